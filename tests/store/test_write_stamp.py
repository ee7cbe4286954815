"""The embedded store's write stamp: what derived state (the search index) compares
itself with to know whether it is in step."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from casegraph.errors import StoreError
from casegraph.store.memory import MemoryStore
from casegraph.store.oxigraph import OxigraphStore

A = URIRef("https://w3id.org/casegraph/id/graph/case/stamp-a")
B = URIRef("https://w3id.org/casegraph/id/graph/case/stamp-b")


def labelled(text: str) -> Graph:
    graph = Graph()
    graph.add((URIRef("https://w3id.org/casegraph/id/org/stamp"), RDFS.label, Literal(text)))
    return graph


def test_the_stamp_moves_with_each_write_and_survives_a_restart(tmp_path):
    store = OxigraphStore(tmp_path / "store", query_workers=1)
    opened = store.write_stamp()
    store.replace_graphs({A: labelled("一")})
    first = store.write_stamp()
    store.replace_graphs({B: labelled("二")})
    second = store.write_stamp()
    assert len({opened, first, second}) == 3
    assert store.graphs_written_since(opened) == {str(A), str(B)}
    assert store.graphs_written_since(first) == {str(B)}
    assert store.graphs_written_since(second) == set()
    store.close()
    reopened = OxigraphStore(tmp_path / "store", query_workers=1)
    try:
        assert reopened.write_stamp() == second
        assert reopened.graphs_written_since(second) == set()
        assert reopened.graphs_written_since(first) is None  # before this run: not known
    finally:
        reopened.close()


class FailingUpdates:
    """RocksDB as the store holds it, except that every update fails (an I/O error)."""

    def __init__(self, db):
        self.db = db

    def update(self, *args, **kwargs):
        raise OSError("Input/output error")

    def __getattr__(self, name):
        return getattr(self.db, name)


def test_a_rolled_back_write_keeps_the_committed_stamp_but_not_after_a_restart(tmp_path):
    """In this run nothing changed; on disk the stamp moved before the commit failed, so
    after a restart whatever was derived before counts as stale (never as current)."""
    store = OxigraphStore(tmp_path / "store", query_workers=1)
    before = store.write_stamp()
    store._db = FailingUpdates(store._db)
    with pytest.raises(StoreError, match="rolled back"):
        store.replace_graphs({A: labelled("三")})
    store._db = store._db.db
    assert store.write_stamp() == before
    assert store.graphs_written_since(before) == set()
    store.close()
    reopened = OxigraphStore(tmp_path / "store", query_workers=1)
    try:
        assert reopened.write_stamp() != before
    finally:
        reopened.close()


def test_a_bulk_load_makes_earlier_stamps_unknown(tmp_path):
    store = OxigraphStore(tmp_path / "store", query_workers=1)
    try:
        before = store.write_stamp()
        store.bulk_load(b'<urn:s> <urn:p> "o" <urn:g> .\n', "application/n-quads")
        assert store.write_stamp() != before
        assert store.graphs_written_since(before) is None
    finally:
        store.close()


def test_stores_without_files_have_no_stamp():
    store = MemoryStore()
    assert store.write_stamp() is None and store.derived_dir("x") is None
