"""/healthz as a readiness probe: "starting" until the embedded store can answer queries."""

from __future__ import annotations

import json
import threading
import time

from rdflib import Graph, Literal, URIRef

from casegraph.store.memory import MemoryStore
from casegraph.store.oxigraph import OxigraphStore
from casegraph.store.workers import QueryWorkerPool
from tests.web.conftest import live_service, settings_for

GRAPH = URIRef("https://w3id.org/casegraph/id/graph/case/health")
LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")


def test_healthz_is_starting_until_a_query_worker_has_loaded_its_snapshot(tmp_path, monkeypatch):
    release = threading.Event()
    real_spawn = QueryWorkerPool._spawn

    def held_spawn(pool):  # a snapshot that takes as long as the test wants to load
        release.wait(60)
        return real_spawn(pool)

    monkeypatch.setattr(QueryWorkerPool, "_spawn", held_spawn)
    store = OxigraphStore(tmp_path / "store", query_workers=1)
    graph = Graph()
    graph.add((URIRef("https://w3id.org/casegraph/id/org/health"), LABEL, Literal("健康")))
    store.replace_graphs({GRAPH: graph})
    try:
        with live_service(store, settings_for("oxigraph")) as live:
            starting = live.get("/healthz")
            assert starting.status == 503
            assert json.loads(starting.text)["status"] == "starting"
            assert starting.header("retry-after") == "1"
            release.set()
            deadline = time.monotonic() + 60
            while (answer := live.get("/healthz")).status != 200:
                assert time.monotonic() < deadline, answer.text
                time.sleep(0.1)
            assert json.loads(answer.text) == {"status": "ok", "graphs": 1}
            query = live.get("/sparql?query=ASK%7B%3Fs%20%3Fp%20%22%E5%81%A5%E5%BA%B7%22%7D",
                             headers={"Accept": "application/sparql-results+json"})
            assert json.loads(query.text)["boolean"] is True
    finally:
        release.set()
        store.close()


def test_healthz_is_ok_at_once_for_a_store_without_workers():
    with live_service(MemoryStore(), settings_for("memory")) as live:
        answer = live.get("/healthz")
        assert answer.status == 200 and json.loads(answer.text)["status"] == "ok"
