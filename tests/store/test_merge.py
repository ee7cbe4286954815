"""The default graph is the RDF merge of the named graphs, on every backend (issue 19).

A triple that three case graphs state is one triple of the default graph: one
solution for a pattern over it, one in a CONSTRUCT, counted once; ``GRAPH ?g``
still sees each statement.  The same holds for a dataset of several default graphs.
"""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS

from casegraph.rdf.graphs import parse_named_graphs

ID = "https://w3id.org/casegraph/id/"
GROUP = URIRef(ID + "org/merge-test-group")
CASES = [URIRef(f"{ID}graph/case/merge-test-{n}") for n in range(3)]


def case_graph(n: int) -> Graph:
    """Each case restates the group's label and type, and adds a statement of its own."""
    graph = Graph()
    graph.add((GROUP, RDFS.label, Literal("济南能源集团", lang="zh-Hans")))
    graph.add((GROUP, RDFS.label, Literal("Jinan Energy Group", lang="en")))
    graph.add((GROUP, URIRef(ID + "p/case"), Literal(n)))
    node = BNode()  # blank nodes of different graphs are different nodes in the merge
    graph.add((GROUP, URIRef(ID + "p/note"), node))
    graph.add((node, RDFS.label, Literal("注")))
    return graph


@pytest.fixture
def restated(store):
    store.replace_graphs({iri: case_graph(n) for n, iri in enumerate(CASES)})
    return store


def labels_query(where: str = "") -> str:
    return f"SELECT ?label {where} WHERE {{ <{GROUP}> <{RDFS.label}> ?label }}"


def test_a_triple_in_three_graphs_is_one_row_of_the_default_graph(restated):
    rows = restated.query(labels_query()).rows
    assert sorted(str(r[0]) for r in rows) == ["Jinan Energy Group", "济南能源集团"]
    per_graph = restated.query(
        f"SELECT ?g ?label WHERE {{ GRAPH ?g {{ <{GROUP}> <{RDFS.label}> ?label }} }}").rows
    assert len(per_graph) == 6 and {r[0] for r in per_graph} == set(CASES)


def test_ask_construct_aggregates_and_paths_see_the_merge(restated):
    count = restated.query(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ <{GROUP}> <{RDFS.label}> ?label }}").rows
    assert int(count[0][0]) == 2
    built = restated.query(f"CONSTRUCT WHERE {{ <{GROUP}> <{RDFS.label}> ?label }}").triples
    assert len(built) == 2
    path = restated.query(
        f"SELECT ?label WHERE {{ <{GROUP}> <{RDFS.label}>|<{RDFS.comment}> ?label }}").rows
    assert len(path) == 2
    joined = restated.query(
        f"SELECT ?label ?n WHERE {{ <{GROUP}> <{RDFS.label}> ?label ; <{ID}p/case> ?n }}").rows
    assert len(joined) == 6  # 2 labels × 3 case numbers, not 18
    assert restated.query(f"ASK {{ <{GROUP}> <{RDFS.label}> ?label }}").boolean is True


def test_blank_nodes_of_each_graph_stay_apart(restated):
    notes = restated.query(f"SELECT ?note WHERE {{ <{GROUP}> <{ID}p/note> ?note }}").rows
    assert len(notes) == 3


def test_several_default_graphs_are_merged_too(restated):
    first_two = [str(CASES[0]), str(CASES[1])]
    rows = restated.query(labels_query(), default_graph_uris=first_two, named_graph_uris=[]).rows
    assert len(rows) == 2
    named = restated.query(
        f"SELECT ?g WHERE {{ GRAPH ?g {{ <{GROUP}> <{RDFS.label}> ?label }} }}",
        default_graph_uris=first_two, named_graph_uris=[str(CASES[2])]).rows
    assert [r[0] for r in named] == [CASES[2], CASES[2]]


def test_the_merge_follows_replacements_and_drops(restated):
    changed = case_graph(0)
    changed.remove((GROUP, RDFS.label, Literal("Jinan Energy Group", lang="en")))
    restated.replace_graphs({CASES[0]: changed})
    assert len(restated.query(labels_query()).rows) == 2  # still stated by cases 1 and 2
    restated.replace_graphs({CASES[1]: None, CASES[2]: None})
    assert [str(r[0]) for r in restated.query(labels_query()).rows] == ["济南能源集团"]
    restated.replace_graphs({CASES[0]: None})
    assert restated.query(labels_query()).rows == []
    assert int(restated.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0]) == 0


def test_count_of_the_default_graph_is_the_distinct_triples_of_the_trig_export(loaded_store):
    loaded_store.replace_graphs({iri: case_graph(n) for n, iri in enumerate(CASES)})
    exported = b"".join(loaded_store.dump("application/trig"))
    graphs = parse_named_graphs(exported, "application/trig")
    merged = Graph()
    for graph in graphs.values():
        merged += graph  # rdflib keeps the blank nodes of the parsed graphs apart
    counted = loaded_store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0]
    assert int(counted) == len(merged) == loaded_store.merged_triple_count()
    assert loaded_store.triple_count() == sum(len(g) for g in graphs.values()) > len(merged)
    union = Graph().parse(data=b"".join(loaded_store.dump("application/n-triples")),
                          format="nt")
    assert len(union) == len(merged)


def test_the_embedded_writer_changes_the_merge_by_the_difference_only(tmp_path):
    """An edit of one triple retracts one triple from the merge, not the whole graph."""
    from casegraph.store import merge
    from casegraph.store.oxigraph import OxigraphStore

    store = OxigraphStore(tmp_path / "store", query_workers=1)
    try:
        store.replace_graphs({iri: case_graph(n) for n, iri in enumerate(CASES)})
        edited = case_graph(0)
        edited.remove((GROUP, URIRef(ID + "p/case"), Literal(0)))
        edited.add((GROUP, URIRef(ID + "p/case"), Literal(10)))
        update = merge.replace_update(store._db, {CASES[0]: edited})
        retracted = update.split("VALUES (?s ?p ?o) {", 1)[1].split("}", 1)[0]
        assert retracted.strip() == f'(<{GROUP}> <{ID}p/case> "0"^^<http://www.w3.org/2001/XMLSchema#integer>)'
        store.replace_graphs({CASES[0]: edited})
        numbers = store.query(f"SELECT ?n WHERE {{ <{GROUP}> <{ID}p/case> ?n }}").rows
        assert sorted(int(r[0]) for r in numbers) == [1, 2, 10]
    finally:
        store.close()
