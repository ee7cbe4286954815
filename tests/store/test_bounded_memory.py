"""The embedded store under a steady stream of writes: views current and few, writes flushed.

Query workers read checkpoints (views) of the store, and RocksDB keeps unflushed
writes in memory (and only in an unsynced log); these tests pin what keeps a
long-running server's memory and disk bounded and its acknowledged writes on disk.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from casegraph.errors import EngineCrashed
from casegraph.store.oxigraph import VIEWS_DIRECTORY, OxigraphStore
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


def test_workers_read_views_that_stay_few_and_current_under_writes(tmp_path):
    """Each write publishes a checkpoint; workers move to it, superseded ones are deleted."""
    store = OxigraphStore(tmp_path / "store", query_workers=2)
    try:
        store.replace_graphs({GRAPH: version_graph(0)})
        assert labels(store) == {f"第0版 {i}" for i in range(20)}
        while len(first_workers := worker_pids(store)) < 2 + SPARE_WORKERS:
            time.sleep(0.05)
        for version in range(1, 31):
            store.replace_graphs({GRAPH: version_graph(version)})
            assert labels(store) == {f"第{version}版 {i}" for i in range(20)}
            views = list((tmp_path / "store" / VIEWS_DIRECTORY).iterdir())
            # the current one and at most one per worker (two and the spare)
            assert len(views) <= 1 + 2 + SPARE_WORKERS, views
        assert worker_pids(store) == first_workers  # nothing to renew: no replica grows
    finally:
        store.close()
    assert not (tmp_path / "store" / VIEWS_DIRECTORY).exists()


WRITE_THEN_DIE = """
import os, signal, sys
from pathlib import Path
from casegraph.errors import EngineCrashed
from casegraph.store.oxigraph import VIEWS_DIRECTORY, OxigraphStore
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


def test_replacement_workers_answer_from_the_latest_write(tmp_path):
    store = OxigraphStore(tmp_path / "store", query_workers=2)
    try:
        for version in range(10):
            store.replace_graphs({GRAPH: version_graph(version)})
        assert labels(store) == {f"第9版 {i}" for i in range(20)}
        for worker in list(store._pool._live):
            os.kill(worker.process.pid, signal.SIGKILL)
        store.replace_graphs({GRAPH: version_graph(10)})
        answers = {frozenset(labels_after_crash(store)) for _ in range(4)}
        assert answers == {frozenset(f"第10版 {i}" for i in range(20))}
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
