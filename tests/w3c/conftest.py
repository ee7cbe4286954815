"""The service the W3C suites run against, and the per-manifest counts they print.

Test ids are ``<backend>-<manifest folder>:<test name>``; after the session the
outcomes are printed per backend and manifest, with every skip reason counted,
so a run of ``pytest -rs tests/w3c`` gives the figures the closing notes quote.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator

import pytest

from casegraph.config import Settings
from casegraph.store.memory import MemoryStore
from tests.web.conftest import UPDATE_TOKEN, LiveService, live_service

#: (backend, manifest folder) -> outcome -> count; skip reason -> count.
OUTCOMES: defaultdict[tuple[str, str], Counter] = defaultdict(Counter)
SKIP_REASONS: Counter = Counter()
_TEST_ID = re.compile(r"tests/w3c/.*\[(?P<backend>memory|oxigraph|remote)-(?P<manifest>[^:\]]+):")


@pytest.fixture(scope="module", params=[
    "memory", "oxigraph", pytest.param("remote", marks=pytest.mark.remote)])
def empty_service(request, tmp_path_factory) -> Iterator[LiveService]:
    """A service with no data and writes enabled; each test clears it first."""
    if request.param == "memory":
        store = MemoryStore()
    elif request.param == "remote":
        store = request.getfixturevalue("remote_server").store(timeout=30)
    else:
        from casegraph.store.oxigraph import OxigraphStore

        store = OxigraphStore(tmp_path_factory.mktemp("w3c") / "store", query_workers=2)
    settings = Settings(store=request.param, update_token=UPDATE_TOKEN)
    with live_service(store, settings) as live:
        yield live
    store.close()


def pytest_runtest_logreport(report) -> None:
    match = _TEST_ID.search(report.nodeid)
    if match is None or not (report.when == "call" or report.outcome != "passed"):
        return
    if hasattr(report, "wasxfail"):
        outcome = "xfailed" if report.skipped else "xpassed"
    else:
        outcome = report.outcome if report.when == "call" or report.skipped else "error"
    OUTCOMES[match["backend"], match["manifest"]][outcome] += 1
    if outcome == "skipped":
        SKIP_REASONS[report.longrepr[2].removeprefix("Skipped: ")] += 1


def pytest_terminal_summary(terminalreporter) -> None:
    if not OUTCOMES:
        return
    write = terminalreporter.write_line
    terminalreporter.section("W3C SPARQL 1.1 manifests over HTTP, per backend")
    for backend, manifest in sorted(OUTCOMES):
        counts = OUTCOMES[backend, manifest]
        total = sum(counts.values())
        outcomes = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
        write(f"{backend:<9} {manifest:<22} {total:>3} tests: {outcomes}")
    for reason, count in SKIP_REASONS.most_common():
        write(f"skipped ×{count}: {reason}")
