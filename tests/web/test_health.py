"""/healthz as a readiness probe: "starting" until queries and search answer at steady speed."""

from __future__ import annotations

import json
import threading
import time

from rdflib import Graph, Literal, URIRef

from casegraph.config import Settings
from casegraph.errors import StoreUnavailable
from casegraph.search.index import SearchIndex
from casegraph.store.bootstrap import load_bundled
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
            assert "query workers" in json.loads(starting.text)["warming"]
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


def test_healthz_is_starting_until_the_search_index_is_built(monkeypatch):
    """Search answers (and the build stops taking CPU from other requests) before "ok"."""
    release = threading.Event()
    real_rebuild = SearchIndex.rebuild

    def held_rebuild(index, store):  # a build that takes as long as the test wants
        release.wait(60)
        return real_rebuild(index, store)

    monkeypatch.setattr(SearchIndex, "rebuild", held_rebuild)
    store = MemoryStore()
    load_bundled(store, Settings())
    try:
        with live_service(store, settings_for("memory")) as live:
            starting = live.get("/healthz")
            assert starting.status == 503, starting.text
            body = json.loads(starting.text)
            assert body["status"] == "starting" and body["graphs"] > 1
            assert body["warming"] == {"search index": "being built"}
            assert starting.header("retry-after") == "1"
            release.set()
            answer = _ready(live)
            assert json.loads(answer.text)["status"] == "ok"
            found = json.loads(live.get("/search.json?q=%E5%85%9A%E5%BB%BA").text)
            assert found["total"] > 0
    finally:
        release.set()


def test_healthz_names_a_failed_search_build_as_degraded(monkeypatch):
    failures = []

    def failing_rebuild(index, store):  # the store went away during the start-up build
        failures.append(1)
        raise StoreUnavailable("the remote store refused the connection")

    monkeypatch.setattr(SearchIndex, "rebuild", failing_rebuild)
    with live_service(MemoryStore(), settings_for("memory")) as live:
        answer = _ready(live)
        assert failures
        assert json.loads(answer.text) == {
            "status": "degraded", "graphs": 0,
            "degraded": {"search index": "the remote store refused the connection; "
                                         "the first search builds it"}}


def test_healthz_is_ok_once_the_index_is_built_for_a_store_without_workers():
    with live_service(MemoryStore(), settings_for("memory")) as live:
        answer = _ready(live)
        assert json.loads(answer.text) == {"status": "ok", "graphs": 0}


def _ready(live):
    """The first /healthz answer that is not 503 "starting" (within 60 s)."""
    answer = live.wait_ready()
    assert answer.status == 200, answer.text
    return answer
