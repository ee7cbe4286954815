"""The embedded store's cached graph list follows every kind of write."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from casegraph.store.oxigraph import OxigraphStore

A, B, C = (URIRef(f"urn:casegraph-test:graph:{name}") for name in "abc")


def one_triple(value: str) -> Graph:
    graph = Graph()
    graph.add((URIRef("urn:casegraph-test:s"), URIRef("urn:casegraph-test:p"), Literal(value)))
    return graph


def listed_from_rocksdb(store: OxigraphStore) -> list[URIRef]:
    """What the store holds, read without the cache."""
    db = store._db
    return sorted(
        URIRef(g.value)
        for g in db.named_graphs()
        if next(iter(db.quads_for_pattern(None, None, None, g)), None) is not None
    )


def test_graph_list_follows_replacements_removals_and_bulk_loads(tmp_path):
    store = OxigraphStore(tmp_path / "store", query_workers=1)
    try:
        assert store.named_graphs() == []
        store.replace_graphs({A: one_triple("a"), B: one_triple("b")})
        assert store.named_graphs() == [A, B] == listed_from_rocksdb(store)
        assert store.has_graph(A) and store.has_graph(B) and not store.has_graph(C)
        store.replace_graphs({A: None, B: Graph()})  # dropped, and emptied
        assert store.named_graphs() == [] == listed_from_rocksdb(store)
        assert not store.has_graph(A) and not store.has_graph(B)
        quad = ox.Quad(ox.NamedNode("urn:casegraph-test:s"), ox.NamedNode("urn:casegraph-test:p"),
                       ox.Literal("c"), ox.NamedNode(str(C)))
        store.bulk_load(ox.serialize([quad], format=ox.RdfFormat.N_QUADS),
                        "application/n-quads")
        assert store.named_graphs() == [C] == listed_from_rocksdb(store)
        assert store.has_graph(C)
        listed = store.named_graphs()
        listed.clear()  # callers get a copy
        assert store.named_graphs() == [C]
    finally:
        store.close()


def test_has_graph_answers_before_anything_was_listed(tmp_path):
    store = OxigraphStore(tmp_path / "store", query_workers=1)
    try:
        store.replace_graphs({A: one_triple("a")})
        store.close()
        store = OxigraphStore(tmp_path / "store", query_workers=1)  # an empty cache
        assert store.has_graph(A) and not store.has_graph(B)
    finally:
        store.close()
