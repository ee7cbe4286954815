"""The embedded store under a steady stream of writes: workers renewed, writes flushed.

pyoxigraph's in-memory replicas keep every quad they ever removed, and RocksDB
keeps unflushed writes in memory (and only in an unsynced log); these tests pin
the two measures that keep a long-running server's memory bounded and its
acknowledged writes on disk.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from casegraph.errors import EngineCrashed
from casegraph.store.oxigraph import OxigraphStore
from casegraph.store.workers import SPARE_WORKERS

GRAPH = URIRef("https://w3id.org/casegraph/id/graph/case/memory-test")


def version_graph(version: int, size: int = 20) -> Graph:
    graph = Graph()
    for index in range(size):
        graph.add((URIRef(f"https://w3id.org/casegraph/id/org/memory-test-{index}"),
                   RDFS.label, Literal(f"第{version}版 {index}", lang="zh-Hans")))
    return graph


def labels(store: OxigraphStore) -> set[str]:
    result = store.query(f"SELECT ?label WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?label }} }}")
    return {str(row[0]) for row in result.rows}


def worker_pids(store: OxigraphStore) -> set[int]:
    return {worker.process.pid for worker in store._pool._live}


def test_workers_that_replaced_too_many_quads_are_renewed_without_failing_a_query(tmp_path):
    store = OxigraphStore(tmp_path / "store", query_workers=2, retire_workers_after_quads=100)
    try:
        store.replace_graphs({GRAPH: version_graph(0)})
        assert labels(store) == {f"第0版 {i}" for i in range(20)}
        first_workers = worker_pids(store)
        seen_workers = set(first_workers)
        for version in range(1, 31):  # 30 × 20 quads replaced: each worker's budget many times
            store.replace_graphs({GRAPH: version_graph(version)})
            assert labels(store) == {f"第{version}版 {i}" for i in range(20)}
            seen_workers |= worker_pids(store)
        assert not first_workers & worker_pids(store), "the first workers were never retired"
        assert len(seen_workers) > 4, "workers were renewed once at most"
        # the two workers and the spare, each with at most one successor starting
        assert len(store._pool._live) <= 2 * (2 + SPARE_WORKERS)
    finally:
        store.close()


WRITE_THEN_DIE = """
import os, signal, sys
from pathlib import Path
from casegraph.errors import EngineCrashed
from casegraph.store.oxigraph import OxigraphStore
from tests.store.test_bounded_memory import GRAPH, version_graph
store = OxigraphStore(Path(sys.argv[1]), query_workers=1)
store.replace_graphs({GRAPH: version_graph(7)})
os.kill(os.getpid(), signal.SIGKILL)  # acknowledged, then gone without closing anything
"""


def test_an_acknowledged_write_is_in_the_table_files_not_only_in_the_log(tmp_path):
    """Without the write-ahead log, which is not synced (a power loss may take it), the
    acknowledged write is still there."""
    died = subprocess.run([sys.executable, "-c", WRITE_THEN_DIE, str(tmp_path / "store")],
                          cwd=Path(__file__).resolve().parents[2], capture_output=True,
                          text=True, timeout=120)
    assert died.returncode == -signal.SIGKILL, died.stderr
    logs = list((tmp_path / "store").glob("*.log"))
    assert logs, "expected RocksDB's write-ahead log in the data directory"
    for log in logs:
        log.unlink()
    reopened = ox.Store.read_only(str(tmp_path / "store"))
    quads = list(reopened.quads_for_pattern(None, None, None, ox.NamedNode(str(GRAPH))))
    assert {q.object.value for q in quads} == {f"第7版 {i}" for i in range(20)}


def test_the_replication_log_stays_bounded_and_new_workers_still_catch_up(tmp_path, monkeypatch):
    monkeypatch.setattr("casegraph.store.oxigraph.SNAPSHOT_REFRESH_BYTES", 20_000)
    store = OxigraphStore(tmp_path / "store", query_workers=2)
    try:
        for version in range(60):  # about 2.5 KB of N-Quads each: 150 KB in all
            store.replace_graphs({GRAPH: version_graph(version)})
            assert labels(store) == {f"第{version}版 {i}" for i in range(20)}
            assert store._log_bytes < 20_000 + 3_000, "the log outgrew its bound"
        for worker in list(store._pool._live):  # replacements start from a fresh snapshot
            os.kill(worker.process.pid, signal.SIGKILL)
        answers = {frozenset(labels_after_crash(store)) for _ in range(4)}
        assert answers == {frozenset(f"第59版 {i}" for i in range(20))}
    finally:
        store.close()


def labels_after_crash(store: OxigraphStore) -> set[str]:
    """Labels from the next worker that answers (a killed one fails its request once)."""
    for _ in range(5):
        try:
            return labels(store)
        except EngineCrashed:
            continue
    raise AssertionError("no worker answered after the crash")
