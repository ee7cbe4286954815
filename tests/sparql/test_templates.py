"""VALUES binding: inside the outermost group or trailing, the same answer."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from casegraph.sparql.templates import bind_values

QUERY = "SELECT ?s ?label WHERE { ?s <urn:label> ?label OPTIONAL { ?s <urn:note> ?n } }"


@pytest.fixture(scope="module")
def engine():
    store = ox.Store()
    for i in range(5):
        store.add(ox.Quad(ox.NamedNode(f"urn:s{i}"), ox.NamedNode("urn:label"), ox.Literal(f"l{i}")))
    return store


def answer(engine, sparql):
    return sorted((row["s"].value, row["label"].value) for row in engine.query(sparql))


def test_trailing_and_inside_values_give_the_same_rows(engine):
    rows = [{"s": URIRef("urn:s1")}, {"s": URIRef("urn:s3")}]
    inside = bind_values(QUERY, rows)
    trailing = bind_values(QUERY, rows, trailing=True)
    assert inside != trailing
    assert answer(engine, inside) == answer(engine, trailing) == [("urn:s1", "l1"), ("urn:s3", "l3")]


def test_literals_are_escaped_in_either_place(engine):
    rows = [{"label": Literal('l2"} } DROP ALL #')}]
    for trailing in (False, True):
        assert answer(engine, bind_values(QUERY, rows, trailing=trailing)) == []
