"""Writes: atomic graph replacement, side-effect-free update previews, refusals."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from casegraph.errors import QueryRefused, QuerySyntaxError, StoreError
from casegraph.store import memory, merge, oxigraph, remote
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
    elif isinstance(loaded_store, oxigraph.OxigraphStore):
        # The engine runs the whole request in one transaction: make its LAST
        # operation fail after the drops and inserts have executed.
        real_embedded = merge.replace_update
        monkeypatch.setattr(merge, "replace_update", lambda db, graphs: real_embedded(
            db, graphs) + f" ;\nCREATE GRAPH <{ALPHA}>")
    else:
        # The remote store stages the new graphs first, one small request at a time:
        # fail the second staging request, after the first one has been stored.
        monkeypatch.setattr(remote, "WRITE_CHUNK_TRIPLES", 1)
        fail_on_call(monkeypatch, loaded_store, lambda text, n: n == 2 and "INSERT" in text)
    with pytest.raises((StoreError, OSError)):
        loaded_store.replace_graphs(changes)
    assert nquads(loaded_store) == before


def fail_on_call(monkeypatch, store, condition) -> list[str]:
    """Make the remote store's update requests fail when ``condition`` holds for (request
    text, call number): a failing operation goes after the request's first operation
    (``CREATE GRAPH`` of an existing graph), so the engine has already done some work.
    Returns the texts sent."""
    real = store._update
    sent: list[str] = []

    def update(text: str) -> None:
        sent.append(text)
        if condition(text, len(sent)):
            failing = f"CREATE GRAPH <{ALPHA}>"  # ALPHA exists
            first, separator, rest = text.partition(" ;\n")
            real(f"{first} ;\n{failing}{separator}{rest}")
        real(text)

    monkeypatch.setattr(store, "_update", update)
    return sent


def internal_graphs(store) -> list[str]:
    rows = store._query("SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }", []).rows
    return [str(g) for (g,) in rows  # bookkeeping graphs; the merge graph always exists
            if str(g).startswith(ID + "graph/_store/") and str(g) != ID + "graph/_store/merge"]


@pytest.mark.remote
def test_remote_failure_while_staging_leaves_no_trace(remote_loaded, monkeypatch):
    before = nquads(remote_loaded)
    monkeypatch.setattr(remote, "WRITE_CHUNK_TRIPLES", 1)
    fail_on_call(monkeypatch, remote_loaded, lambda text, n: n == 3 and "INSERT" in text)
    with pytest.raises(StoreError) as caught:
        remote_loaded.replace_graphs({ALPHA: small_graph("一"), BETA: None,
                                      GAMMA: fixture_graphs()[BETA]})
    assert caught.value.status == 502
    assert nquads(remote_loaded) == before
    assert internal_graphs(remote_loaded) == []  # the staged copies were removed


@pytest.mark.remote
def test_remote_failure_in_the_swap_is_finished_by_the_next_write(remote_loaded, monkeypatch):
    """Oxigraph server runs the swap in one transaction, so a failure changes nothing;
    Virtuoso commits operation by operation, so the failed swap may be half done — in
    both cases the journal stays, and the next write completes the swap first."""
    before = nquads(remote_loaded)
    wanted = {ALPHA: small_graph("一"), BETA: None, GAMMA: small_graph("二")}
    sent = fail_on_call(monkeypatch, remote_loaded, lambda text, n: "MOVE SILENT" in text)
    with pytest.raises(StoreError):
        remote_loaded.replace_graphs(wanted)
    assert any("MOVE SILENT" in text for text in sent)
    monkeypatch.undo()
    assert any("/journal/" in g for g in internal_graphs(remote_loaded))
    if not remote_loaded._virtuoso:  # one transaction: nothing of the swap stayed
        assert nquads(remote_loaded) == before
    other = URIRef(ID + "graph/case/delta")
    remote_loaded.replace_graphs({other: small_graph("四")})
    assert remote_loaded.named_graphs() == sorted([ALPHA, GAMMA, other,
                                                  URIRef(ID + "graph/ontology")])
    assert set(remote_loaded.graph(ALPHA)) == set(small_graph("一"))
    assert set(remote_loaded.graph(GAMMA)) == set(small_graph("二"))
    assert internal_graphs(remote_loaded) == []
    # The merge (the default graph) was repaired with the graphs.
    union = set()
    for iri in remote_loaded.named_graphs():
        union |= set(remote_loaded.graph(iri))
    merged = remote_loaded.query("CONSTRUCT WHERE { ?s ?p ?o }").triples
    assert set(merged) == union and len(merged) == len(union)


@pytest.mark.remote
def test_remote_writes_split_and_keep_blank_node_structures_whole(remote_loaded, monkeypatch):
    monkeypatch.setattr(remote, "WRITE_CHUNK_TRIPLES", 3)
    sent = fail_on_call(monkeypatch, remote_loaded, lambda text, n: False)
    graph = Graph().parse(format="turtle", data=f"""
        @prefix schema: <https://schema.org/> .
        <{ID}org/x> schema:member [ schema:name "一" ; schema:address [ schema:name "二" ;
            schema:postalCode "250000" ] ] , [ schema:name "三" ] ;
          schema:value 23.5, "7"^^<http://www.w3.org/2001/XMLSchema#decimal> .""")
    graph.add((URIRef(ID + "org/x"), LABEL, Literal('x\n"y" \\ z\t')))
    remote_loaded.replace_graphs({GAMMA: graph})
    stored = remote_loaded.graph(GAMMA)
    assert len([text for text in sent if text.startswith("INSERT {")]) >= 3
    assert isomorphic(stored, graph)
    # The N-Quads export is real N-Quads (one line per quad, the newline escaped).
    exported = b"".join(remote_loaded.dump("application/n-quads"))
    quads = [q for q in ox.parse(exported, format=ox.RdfFormat.N_QUADS)
             if q.graph_name.value == str(GAMMA)]
    assert len(quads) == len(graph)


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
        f"COPY DEFAULT TO <{ALPHA}>",
        f"ADD DEFAULT TO <{GAMMA}>",
        f"INSERT {{ GRAPH <{GAMMA}> {{ ?s <urn:x:p> 1 }} }} WHERE {{ ?s ?p ?o }}",
        f"DELETE {{ GRAPH <{ALPHA}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{ALPHA}> {{ ?s ?p ?o }} "
        "FILTER EXISTS { ?s a ?type } }",
    ],
)
def test_updates_that_write_or_read_the_union_default_graph_and_load_are_refused(
        loaded_store, update):
    """The engines would read the store's own, empty default graph, not the union."""
    with pytest.raises(QueryRefused):
        loaded_store.update_preview(update)


def test_update_syntax_error_is_reported(store):
    with pytest.raises(QuerySyntaxError):
        store.update_preview("INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> } }")


@pytest.mark.parametrize(
    "update, reason",
    [
        ("DELETE DATA { GRAPH <urn:x:g> { ?s <urn:x:p> 1 } }", "variable ?s in a data block"),
        ("INSERT DATA { GRAPH ?g { <urn:x:s> <urn:x:p> 1 } }", "variable ?g in a data block"),
        ("DELETE DATA { GRAPH <urn:x:g> { _:a <urn:x:p> 1 } }", "blank node _:a in what is deleted"),
        ("DELETE WHERE { GRAPH <urn:x:g> { _:a <urn:x:p> ?o } }", "blank node _:a in what is deleted"),
        ("WITH <urn:x:g> DELETE { ?s <urn:x:p> [] } WHERE { ?s <urn:x:p> ?o }",
         "a blank node [] in what is deleted"),
        ("INSERT DATA { GRAPH <urn:x:g> { _:b <urn:x:p> 1 } } ;\n"
         "INSERT DATA { GRAPH <urn:x:h> { _:b <urn:x:p> 2 } }",
         "operation 2 (INSERT DATA): blank node _:b is already used by operation 1"),
    ],
)
def test_updates_the_grammar_forbids_are_syntax_errors(loaded_store, update, reason):
    """rdflib's parser accepts these; every backend must answer them as syntax errors."""
    before = nquads(loaded_store)
    with pytest.raises(QuerySyntaxError) as refusal:
        loaded_store.update_preview(update)
    assert reason in str(refusal.value)
    assert nquads(loaded_store) == before


def test_labels_may_repeat_in_templates_and_within_one_insert_data(store):
    preview = store.update_preview(
        "INSERT DATA { GRAPH <urn:x:g> { _:b <urn:x:p> 1 } GRAPH <urn:x:h> { _:b <urn:x:p> 1 } } ;"
        "INSERT { GRAPH <urn:x:g> { _:b <urn:x:p> 2 } } WHERE {} ;"
        "INSERT { GRAPH <urn:x:h> { _:b <urn:x:p> 2 } } WHERE {}"
    )
    assert {len(graph) for graph in preview.values()} == {2}
    assert set(preview) == {URIRef("urn:x:g"), URIRef("urn:x:h")}


@pytest.mark.parametrize("update", ["", "# nothing but a comment", "PREFIX : <urn:x:>\nBASE <urn:y:>"])
def test_an_update_without_operations_changes_nothing(loaded_store, update):
    assert loaded_store.update_preview(update) == {}


def test_create_graph_is_a_no_op_and_fails_for_a_graph_that_holds_triples(store):
    assert store.update_preview("CREATE GRAPH <urn:x:new>") == {}
    store.replace_graphs({GAMMA: small_graph("伽马")})
    assert store.update_preview(f"CREATE SILENT GRAPH <{GAMMA}>") == {}
    with pytest.raises(QueryRefused, match="already exists"):
        store.update_preview(f"CREATE GRAPH <{GAMMA}>")


def test_graphs_read_inside_not_exists_are_part_of_the_preview(store):
    """The remote backend copies only the graphs an update reads: EXISTS counts too."""
    kept, dropped = (URIRef("urn:x:a"), URIRef("urn:x:b"))
    source, other = URIRef("urn:x:source"), URIRef("urn:x:other")
    graph = Graph()
    graph.add((kept, LABEL, Literal("1")))
    graph.add((dropped, LABEL, Literal("2")))
    marker = Graph()
    marker.add((kept, LABEL, Literal("3")))
    store.replace_graphs({source: graph, other: marker})
    preview = store.update_preview(
        f"DELETE {{ GRAPH <{source}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{source}> {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ GRAPH <{other}> {{ ?s ?p2 ?o2 }} }} }}"
    )
    assert set(preview) == {source}
    assert set(preview[source]) == {(kept, LABEL, Literal("1"))}
