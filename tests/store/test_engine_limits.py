"""The embedded engine under abuse: runaway and crashing queries, reopen, kill -9."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading

import pytest
from rdflib import Graph, Literal, URIRef

from casegraph.errors import EngineCrashed, QueryTimeout
from casegraph.store.oxigraph import OxigraphStore

ID = "https://w3id.org/casegraph/id/"
P = URIRef("https://w3id.org/casegraph/ns#value")


@pytest.fixture
def embedded(tmp_path):
    store = OxigraphStore(tmp_path / "store", query_workers=2, query_timeout=30)
    graph = Graph()
    for i in range(400):
        graph.add((URIRef(f"{ID}org/o{i}"), P, Literal(i)))
    store.replace_graphs({URIRef(ID + "graph/case/generated"): graph})
    yield store
    store.close()


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z . ?d ?s ?w }"


def test_runaway_query_is_stopped_while_other_queries_are_answered(embedded):
    simple_answers = []

    def ask_simple_questions():
        for _ in range(5):
            result = embedded.query(f"ASK {{ <{ID}org/o7> ?p 7 }}", timeout=20)
            simple_answers.append(result.boolean)

    # One worker is busy with the runaway query; the other answers meanwhile.
    asker = threading.Thread(target=ask_simple_questions)
    asker.start()
    try:
        with pytest.raises(QueryTimeout):
            embedded.query(RUNAWAY, timeout=1.5)
    finally:
        asker.join()
    assert simple_answers == [True] * 5
    assert embedded.query(f"ASK {{ <{ID}org/o3> ?p 3 }}").boolean  # a replacement serves


def test_crashing_query_fails_alone_and_the_next_query_works(embedded):
    nested = "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000
    with pytest.raises(EngineCrashed):
        embedded.query(nested)
    assert embedded.query(f"ASK {{ <{ID}org/o1> ?p 1 }}").boolean


def test_every_acknowledged_write_is_visible_to_the_next_query(embedded):
    graph_iri = URIRef(ID + "graph/case/counter")
    for i in range(6):
        g = Graph()
        g.add((URIRef(ID + "org/counter"), P, Literal(i)))
        embedded.replace_graphs({graph_iri: g})
        rows = embedded.query(f"SELECT ?v WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?v }} }}").rows
        assert [int(r[0]) for r in rows] == [i]


def test_data_survives_closing_and_reopening(tmp_path):
    store = OxigraphStore(tmp_path / "store", query_workers=1)
    g = Graph()
    g.add((URIRef(ID + "org/kept"), P, Literal("保留", lang="zh-Hans")))
    store.replace_graphs({URIRef(ID + "graph/case/kept"): g})
    store.close()
    reopened = OxigraphStore(tmp_path / "store", query_workers=1)
    try:
        assert reopened.named_graphs() == [URIRef(ID + "graph/case/kept")]
        assert reopened.query(f"ASK {{ <{ID}org/kept> ?p ?o }}").boolean
    finally:
        reopened.close()


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from rdflib import Graph, Literal, URIRef
    from casegraph.store.oxigraph import OxigraphStore

    store = OxigraphStore(Path(sys.argv[1]), query_workers=1)
    for i in range(int(sys.argv[2]), 100000):
        g = Graph()
        for j in range(50):
            g.add((URIRef(f"urn:x:s{i}-{j}"), URIRef("urn:x:p"), Literal(j)))
        store.replace_graphs({URIRef(f"urn:x:graph/{i}"): g})
        print(i, flush=True)
    """
)


@pytest.mark.parametrize("round_", range(3))
def test_kill_9_between_acknowledged_writes_loses_nothing(tmp_path, round_):
    location = tmp_path / "store"
    acknowledged: list[int] = []
    start = 0
    for kill_after in (5 + round_, 9 + 2 * round_):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(location), str(start)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for line in writer.stdout:
            acknowledged.append(int(line))
            if len(acknowledged) >= kill_after:
                break
        writer.kill()  # SIGKILL, possibly in the middle of the next commit
        writer.wait()
        start = acknowledged[-1] + 1
    store = OxigraphStore(location, query_workers=1)
    try:
        present = {int(str(g).rsplit("/", 1)[1]) for g in store.named_graphs()}
        assert set(acknowledged) <= present
        for i in present:  # a graph is there completely or not at all
            assert store.triple_count(URIRef(f"urn:x:graph/{i}")) == 50
    finally:
        store.close()
