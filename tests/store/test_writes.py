"""Writes: atomic graph replacement, side-effect-free update previews, refusals."""

from __future__ import annotations

import pytest
from casegraph.store import memory, oxigraph, remote
from casegraph.store.base import QueryRefused, QuerySyntaxError, StoreError
from rdflib import Graph, Literal, URIRef

from tests.conftest import fixture_graphs

ID = "https://w3id.org/casegraph/id/"
ALPHA = URIRef(ID + "graph/case/alpha-heat")
BETA = URIRef(ID + "graph/case/beta-water")
LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
GAMMA = URIRef(ID + "graph/case/gamma")


def nquads(store) -> bytes:
    """The whole dataset, sorted, as a byte-comparable snapshot."""
    data = b"".join(store.dump("application/n-quads"))
    return b"\n".join(sorted(line for line in data.splitlines() if line.strip()))


def small_graph(label: str) -> Graph:
    graph = Graph()
    graph.add((URIRef(ID + "org/gamma"), LABEL, Literal(label, lang="zh-Hans")))
    return graph


def test_replace_graphs_replaces_adds_and_drops_together(loaded_store):
    loaded_store.replace_graphs(
        {ALPHA: small_graph("新内容"), BETA: None, GAMMA: small_graph("伽马")}
    )
    assert loaded_store.named_graphs() == sorted([ALPHA, GAMMA, URIRef(ID + "graph/ontology")])
    assert set(loaded_store.graph(ALPHA)) == set(small_graph("新内容"))
    answer = loaded_store.query(f"SELECT ?l WHERE {{ GRAPH <{GAMMA}> {{ ?s ?p ?l }} }}")
    assert [str(r[0]) for r in answer.rows] == ["伽马"]
    assert not loaded_store.query(f"ASK {{ GRAPH <{BETA}> {{ ?s ?p ?o }} }}").boolean


def test_a_failure_in_the_middle_of_a_commit_changes_nothing(loaded_store, monkeypatch):
    before = nquads(loaded_store)
    changes = {ALPHA: small_graph("一"), BETA: None, GAMMA: small_graph("二")}
    if isinstance(loaded_store, memory.MemoryStore):
        # The memory store reads every input before touching the dataset.
        class FailingGraph(Graph):
            def __iter__(self):
                yield from list(super().__iter__())[:1]
                raise OSError("disk went away while reading the second graph")

        failing = FailingGraph()
        failing += small_graph("二")
        failing.add((URIRef(ID + "org/gamma"), LABEL, Literal("三", lang="zh-Hans")))
        changes[GAMMA] = failing
    else:
        # The engine runs the whole request in one transaction: make its LAST
        # operation fail after the drops and inserts have executed.
        module = oxigraph if isinstance(loaded_store, oxigraph.OxigraphStore) else remote
        real = module.replace_graphs_update
        monkeypatch.setattr(
            module,
            "replace_graphs_update",
            lambda graphs: real(graphs) + f" ;\nCREATE GRAPH <{ALPHA}>",
        )
    with pytest.raises((StoreError, OSError)):
        loaded_store.replace_graphs(changes)
    assert nquads(loaded_store) == before


def test_update_preview_returns_new_graphs_and_changes_nothing(loaded_store):
    before = nquads(loaded_store)
    preview = loaded_store.update_preview(
        f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        DELETE {{ GRAPH <{ALPHA}> {{ ?b rdfs:label ?l }} }}
        INSERT {{ GRAPH <{ALPHA}> {{ ?b rdfs:label "西部热源第一党支部"@zh-Hans }} }}
        WHERE {{ GRAPH <{ALPHA}> {{ ?b rdfs:label ?l FILTER(STR(?l) = "西部热源党支部") }} }} ;
        INSERT DATA {{ GRAPH <{GAMMA}> {{ <{ID}org/gamma> rdfs:label "伽马"@zh-Hans }} }} ;
        DROP GRAPH <{BETA}>"""
    )
    assert set(preview) == {ALPHA, BETA, GAMMA}
    assert preview[BETA] is None
    labels = {str(o) for s, p, o in preview[ALPHA] if p == LABEL and "branch" in str(s)}
    assert "西部热源第一党支部" in labels and "西部热源党支部" not in labels
    assert len(preview[ALPHA]) == len(fixture_graphs()[ALPHA])
    assert [str(o) for o in preview[GAMMA].objects()] == ["伽马"]
    assert nquads(loaded_store) == before


def test_update_preview_omits_graphs_it_does_not_change(loaded_store):
    preview = loaded_store.update_preview(
        f"DELETE WHERE {{ GRAPH <{BETA}> {{ <urn:x:nothing> ?p ?o }} }}"
    )
    assert preview == {}


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <urn:x:s> <urn:x:p> 1 }",
        "DELETE { ?s ?p ?o } INSERT { ?s ?p 2 } WHERE { GRAPH ?g { ?s ?p ?o } }",
        f"COPY <{ALPHA}> TO DEFAULT",
        "LOAD <http://example.org/data.ttl>",
    ],
)
def test_writes_to_the_union_default_graph_and_load_are_refused(loaded_store, update):
    with pytest.raises(QueryRefused):
        loaded_store.update_preview(update)


def test_update_syntax_error_is_reported(store):
    with pytest.raises(QuerySyntaxError):
        store.update_preview("INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> } }")
