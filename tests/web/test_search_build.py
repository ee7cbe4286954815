"""Building the search index: streamed from the embedded store, in the background, with
writes during the build re-indexed once it is in place."""

from __future__ import annotations

import threading

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from casegraph.search.index import SearchIndex
from casegraph.store.memory import MemoryStore
from casegraph.store.oxigraph import OxigraphStore
from tests.web.test_search import CASE_A, CASE_B, small_store  # noqa: F401 - fixture

BASE = "https://w3id.org/casegraph/id/"


#: Queries that between them reach every text of ``small_store``.
PROBES = ("济南热电", "热电联产", "热源", "青年文明号", "youth", "civilisation", "党员 23")


def answers(index: SearchIndex) -> list[list[tuple]]:
    return [[(h.iri, h.group, h.labels, h.score, h.snippet) for h in index.search(q).hits]
            for q in PROBES]


def test_streamed_rows_give_the_same_index_as_query_rows(small_store, tmp_path):  # noqa: F811
    """The embedded store streams term parts; the memory store answers rdflib terms."""
    embedded = OxigraphStore(tmp_path / "store", query_workers=1)
    try:
        embedded.replace_graphs({g: small_store.graph(g) for g in small_store.named_graphs()})
        from_memory, from_embedded = SearchIndex(), SearchIndex()
        from_memory.rebuild(small_store)
        from_embedded.rebuild(embedded)
        assert answers(from_embedded) == answers(from_memory)
        assert all(answers(from_memory))
        assert len(from_embedded) == 4  # plant, two passages, award
        hits = [h.iri for h in from_embedded.search("青年文明号").hits]
        assert BASE + "award/post" in hits
    finally:
        embedded.close()


class SlowStore(MemoryStore):
    """A store whose full read of types (after the texts) waits until the test lets it go on."""

    def __init__(self):
        super().__init__()
        self.reading = threading.Event()
        self.go_on = threading.Event()

    def query(self, sparql, **options):
        if not self.reading.is_set() and "?s rdf:type ?type" in sparql and "\nVALUES ?s {" not in sparql:
            self.reading.set()
            assert self.go_on.wait(10)
        return super().query(sparql, **options)


def test_background_build_keeps_writes_made_while_it_runs(small_store):  # noqa: F811
    store = SlowStore()
    store.replace_graphs({CASE_A: small_store.graph(CASE_A)})
    index = SearchIndex()
    thread = index.start_rebuild(store)
    assert store.reading.wait(10)
    assert index.building and not index.built and not index.wait_for_build(0)
    # A write lands after the build has read the texts: it is queued, then re-indexed.
    late = Graph()
    late.add((URIRef(BASE + "org/late"), RDF.type, URIRef("https://w3id.org/casegraph/ns#Company")))
    late.add((URIRef(BASE + "org/late"), RDFS.label, Literal("迟到的公司", lang="zh-Hans")))
    store.replace_graphs({CASE_B: late})
    index.update_graphs(store, [str(CASE_B)])
    store.go_on.set()
    thread.join(20)
    assert index.wait_for_build(0) and index.built and not index.building
    assert BASE + "org/late" in [h.iri for h in index.search("迟到").hits]
    assert BASE + "org/plant" in [h.iri for h in index.search("热电").hits]


def test_searches_use_the_previous_index_while_a_rebuild_runs(small_store):  # noqa: F811
    index = SearchIndex()
    index.rebuild(small_store)
    store = SlowStore()  # empty: the rebuild will drop every document
    thread = index.start_rebuild(store)
    assert store.reading.wait(10)
    assert BASE + "org/plant" in [h.iri for h in index.search("热电").hits]
    store.go_on.set()
    thread.join(20)
    assert len(index) == 0
