"""An engine crash mid-query fails that request alone: others are answered, data intact.

Two ways to crash the engine while other clients keep querying over HTTP: a query
nested deeper than the engine's stack (sent to the store directly, past the HTTP
layer's pre-check), and a SIGKILL of the query worker process that is answering.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from casegraph.errors import EngineCrashed
from tests.web.conftest import live_service, open_backend, settings_for

pytestmark = pytest.mark.faults

ASK = "ASK { ?s a <https://w3id.org/casegraph/ns#CaseDocument> }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z }"


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    with open_backend("oxigraph", tmp_path_factory.mktemp("crash"), query_timeout=60) as store, \
            live_service(store, settings_for("oxigraph")) as live:
        yield live


class Bystanders:
    """Clients asking a simple question over HTTP in a loop, recording every status."""

    def __init__(self, service, count: int = 3):
        self.service = service
        self.statuses: list[int] = []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._ask, daemon=True) for _ in range(count)]

    def _ask(self) -> None:
        while not self.stop.is_set():
            answer = self.service.get("/sparql?" + urllib.parse.urlencode({"query": ASK}),
                                      {"Accept": "application/sparql-results+json"})
            right = answer.status != 200 or json.loads(answer.body)["boolean"] is True
            self.statuses.append(answer.status if right else -1)  # -1: a wrong answer

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        time.sleep(1.0)  # still answered after the crash, by the remaining or new workers
        self.stop.set()
        for thread in self.threads:
            thread.join(60)


def dump(store) -> bytes:
    return b"".join(sorted(b"".join(store.dump("application/n-quads")).splitlines()))


def test_a_query_that_overflows_the_engine_fails_alone(service):
    before = dump(service.store)
    nested = "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000
    with Bystanders(service) as bystanders:
        for _ in range(3):
            with pytest.raises(EngineCrashed, match="died while answering"):
                service.store.query(nested)
    assert bystanders.statuses and set(bystanders.statuses) == {200}
    assert dump(service.store) == before


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parent = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(parent, []).append(int(entry))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def busiest_descendant(seconds: float = 1.0) -> int:
    """The process under this one burning CPU: the query worker answering the runaway query."""
    candidates = _descendants(os.getpid())
    first = {pid: _cpu_ticks(pid) for pid in candidates}
    time.sleep(seconds)
    pid = max(candidates, key=lambda p: _cpu_ticks(p) - first[p])
    assert _cpu_ticks(pid) - first[pid] > 0, "no query worker is busy"
    return pid


def test_killing_the_worker_that_answers_fails_that_request_alone(service):
    before = dump(service.store)
    answers = []
    runaway = threading.Thread(target=lambda: answers.append(service.get(
        "/sparql?" + urllib.parse.urlencode({"query": RUNAWAY}))))
    with Bystanders(service, count=1) as bystanders:
        runaway.start()
        time.sleep(0.5)
        os.kill(busiest_descendant(), signal.SIGKILL)
        runaway.join(60)
    (killed,) = answers
    assert killed.status == 500
    message = json.loads(killed.body)["error"]["message"]
    assert "query engine died while answering" in message and "exit code -9" in message
    assert bystanders.statuses and set(bystanders.statuses) == {200}
    assert dump(service.store) == before
