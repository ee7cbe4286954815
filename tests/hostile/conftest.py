"""Fixtures of the hostile-input suite: the bundled cases plus a graph of hostile data,
on the embedded oxigraph store (the default backend), served twice over loopback HTTP —
once with an update token (writes enabled) and once read-only.

The hostile graph is loaded straight into the store (bypassing the shapes, as data from
an older release or a remote store could be): its labels carry markup, a right-to-left
override and ``javascript:`` IRIs, and its case document names ``/etc/passwd`` as its
source text.  Pages must show all of it inert.

After the session, :func:`pytest_terminal_summary` prints how many hostile requests were
tried per class of attack and which statuses refused them.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from rdflib import Dataset

from casegraph.config import Settings
from casegraph.store.base import Store
from casegraph.store.bootstrap import load_bundled
from tests.web.conftest import (  # noqa: F401 - loopback_listener is a fixture used here
    LiveService,
    live_service,
    loopback_listener,
    settings_for,
)

HOSTILE_GRAPH = "https://w3id.org/casegraph/id/graph/case/hostile-input"
HOSTILE_TRIG = f"""
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix cg: <https://w3id.org/casegraph/ns#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<{HOSTILE_GRAPH}> {{
  <https://w3id.org/casegraph/id/org/hostile-input> a org:Organization ;
    rdfs:label "<script>alert('label')</script>"@zh-Hans ,
               "\\"><img src=x onerror=alert(1)>"@en ,
               "\\u202Egnp.exe 恶意"@zh-Hant ;
    rdfs:comment "<a href=\\"javascript:alert(3)\\">click</a>" ;
    rdfs:seeAlso <javascript:alert(1)> ;
    foaf:homepage <file:///etc/passwd> .
  <https://w3id.org/casegraph/id/case/hostile-input> a cg:CaseDocument ;
    rdfs:label "<script>alert('case')</script>"@en ;
    cg:sourceTextFile "../../../../../../../../etc/passwd" .
}}
"""

#: Per class of attack: how many requests were tried and the statuses they got.
TRIED: Counter[str] = Counter()
STATUSES: dict[str, Counter[int]] = defaultdict(Counter)


def fingerprint(store: Store) -> str:
    """A digest of the store's N-Quads, lines sorted: cheap enough to take per request.

    The embedded store keeps its blank-node labels, so an unchanged store gives the same
    digest; a differing digest is confirmed with :func:`canonical_quads`.
    """
    lines = b"".join(store.dump("application/n-quads")).splitlines()
    return hashlib.sha256(b"\n".join(sorted(lines))).hexdigest()


def canonical_quads(store: Store) -> list[str]:
    """The whole store as sorted canonical N-Quads (as ``tests/web/test_graph_store.py``)."""
    dataset = ox.Dataset(ox.parse(b"".join(store.dump("application/n-quads")),
                                  ox.RdfFormat.N_QUADS))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return sorted(str(quad) for quad in dataset)


@pytest.fixture(scope="session")
def hostile_store(tmp_path_factory) -> Iterator[Store]:
    from casegraph.store.oxigraph import OxigraphStore

    store = OxigraphStore(tmp_path_factory.mktemp("hostile") / "store", query_workers=2,
                          query_timeout=3.0)
    load_bundled(store, Settings())
    hostile = Dataset()
    hostile.parse(data=HOSTILE_TRIG, format="trig")
    store.replace_graphs({g.identifier: g for g in hostile.graphs() if len(g)})
    try:
        yield store
    finally:
        store.close()


def _settings(**overrides) -> Settings:
    return settings_for("oxigraph", query_timeout=3.0, max_result_rows=1000,
                        max_request_bytes=1024 * 1024, **overrides)


@pytest.fixture(scope="session")
def armed_service(hostile_store) -> Iterator[LiveService]:
    """Writes enabled by the update token."""
    with live_service(hostile_store, _settings()) as live:
        yield live


@pytest.fixture(scope="session")
def read_only_service(hostile_store) -> Iterator[LiveService]:
    """The same store with no update token: every write must be 403."""
    with live_service(hostile_store, _settings(update_token=None)) as live:
        yield live


def pytest_terminal_summary(terminalreporter) -> None:
    if not TRIED:
        return
    write = terminalreporter.write_line
    terminalreporter.section("hostile requests by class of attack")
    write(f"{'class':<22} {'tried':>5}  statuses")
    for name in sorted(TRIED):
        statuses = ", ".join(f"{s}×{n}" for s, n in sorted(STATUSES[name].items()))
        write(f"{name:<22} {TRIED[name]:>5}  {statuses}")
    total = Counter()
    for counts in STATUSES.values():
        total.update(counts)
    write(f"{'total':<22} {sum(TRIED.values()):>5}  "
          + ", ".join(f"{s}×{n}" for s, n in sorted(total.items())))
