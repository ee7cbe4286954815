"""The bundled corpus is big and linked enough for cross-case questions to link cases.

Issue 16's floor: at least 40 case graphs about at least 30 organisations, at least
150 entity IRIs referenced from two or more case graphs (the same group, issuer,
award title, practice kind, place or outlet is one IRI), and every cross-case
question answering with rows that come from at least three case graphs.  The
counts are taken from data/, so they hold however the corpus grows.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from casegraph.config import CANONICAL_BASE_IRI as ID
from casegraph.config import Settings
from casegraph.sparql.catalogue import load_catalogue
from casegraph.store.bootstrap import load_bundled
from casegraph.store.memory import MemoryStore
from tests.case_vocabulary import CG, rolls_up_to

CASE_GRAPH = ID + "graph/case/"
CROSS_CASE = sorted(q.id for q in load_catalogue().values() if q.cross_case)
#: Units and the groups the texts say they belong to, read from the notes: the hierarchy
#: edges are stated in the unit's case and, above it, in other cases that name the group.
UNITS_UNDER_GROUPS = [
    line.split("\t")
    for line in (Path(__file__).parent / "units-under-groups.tsv").read_text("utf-8").splitlines()
    if line and not line.startswith("#")
]


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    store = MemoryStore()
    load_bundled(store, Settings(store="memory"))
    return store


@pytest.fixture(scope="module")
def graphs_mentioning(store) -> dict[URIRef, set[URIRef]]:
    """Each IRI → the case graphs that state something about it or link to it."""
    found: dict[URIRef, set[URIRef]] = defaultdict(set)
    for row in store.query(f"""SELECT DISTINCT ?x ?g WHERE {{
            GRAPH ?g {{ {{ ?x ?p ?o }} UNION {{ ?s ?p ?x }} }}
            FILTER(isIRI(?x) && STRSTARTS(STR(?g), "{CASE_GRAPH}")) }}""").dicts():
        found[row["x"]].add(row["g"])
    return found


def test_at_least_40_case_graphs_about_30_organisations(store):
    graphs = [g for g in store.named_graphs() if str(g).startswith(CASE_GRAPH)]
    assert len(graphs) >= 40, len(graphs)
    subjects = store.query("""
        PREFIX cg: <https://w3id.org/casegraph/ns#>
        SELECT (COUNT(DISTINCT ?org) AS ?n) WHERE {
          ?doc a cg:CaseDocument ; cg:aboutOrganisation ?org .
        }""").rows
    organisations = store.query(f"""
        PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE {{
          GRAPH ?g {{ ?o a ?type }} ?type rdfs:subClassOf* org:Organization .
          FILTER(STRSTARTS(STR(?g), "{CASE_GRAPH}"))
        }}""").rows
    assert int(organisations[0][0]) >= 30, organisations
    # The cases are about different organisations, not one company told 40 times.
    assert int(subjects[0][0]) >= 30, subjects


def test_at_least_150_entity_iris_are_shared_by_two_case_graphs(store):
    rows = store.query(f"""
        SELECT ?x WHERE {{
          GRAPH ?g {{ {{ ?x ?p ?o }} UNION {{ ?s ?p ?x }} }}
          FILTER(isIRI(?x) && STRSTARTS(STR(?g), "{CASE_GRAPH}")
                 && STRSTARTS(STR(?x), "{ID}") && !STRSTARTS(STR(?x), "{ID}case/"))
        }} GROUP BY ?x HAVING (COUNT(DISTINCT ?g) >= 2)""").rows
    shared = {str(x)[len(ID):] for (x,) in rows}
    assert len(shared) >= 150, len(shared)
    # Not only vocabulary: organisations and places are shared too.
    assert len({s for s in shared if s.startswith("org/")}) >= 20, sorted(shared)


@pytest.mark.parametrize("question_id", CROSS_CASE)
def test_cross_case_question_rows_come_from_three_case_graphs(store, graphs_mentioning,
                                                              question_id):
    """The entities in the rows are stated in or linked from three or more case graphs
    (an aggregate's group keys: the award levels, the practice kinds), or an aggregate
    row counts three or more cases (``?cases``)."""
    question = load_catalogue()[question_id]
    rows = store.query(question.query_text(question.bindings({}))).dicts()
    assert rows, question_id
    spanned: set[URIRef] = set()
    counted = 0
    for row in rows:
        for name, value in row.items():
            spanned |= graphs_mentioning.get(value, set())
            if name == "cases" and isinstance(value, Literal):
                counted = max(counted, int(value))
    assert max(len(spanned), counted) >= 3, (question_id, len(spanned), counted)


@pytest.mark.parametrize(("unit", "group", "what"), UNITS_UNDER_GROUPS,
                         ids=[row[0] for row in UNITS_UNDER_GROUPS])
def test_units_roll_up_to_their_groups(dataset, unit: str, group: str, what: str) -> None:
    group_class = CG.EnterpriseGroup if what == "enterprise group" else None
    assert rolls_up_to(dataset, unit, group, group_class)
