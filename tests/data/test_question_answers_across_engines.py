"""Every curated question gives the same rows on the remote backend's server as on the
embedded store (order aside), with the parameters' defaults.

The one normalisation is the documented one: numbers compare by value, because Virtuoso
keeps numbers as values and answers their canonical lexical form (``122.0`` → ``122``).
Blank nodes compare as "a blank node" (labels are per answer).
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from rdflib.namespace import XSD
from rdflib.term import BNode, Literal

from casegraph.config import Settings
from casegraph.sparql.catalogue import load_catalogue
from casegraph.sparql.templates import fixed_query
from casegraph.store.bootstrap import load_bundled

QUESTIONS = load_catalogue()
NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.long, XSD.int}

pytestmark = pytest.mark.remote
#: Arguments of the questions whose parameters are required (others use their defaults).
ARGUMENTS = {"figures-of-organisation": {"organisation": "id:org/jinan-bus-3rd-branch-team7"}}


@pytest.fixture(scope="module")
def stores(request, tmp_path_factory):
    from casegraph.store.oxigraph import OxigraphStore

    embedded = OxigraphStore(tmp_path_factory.mktemp("embedded-answers") / "store",
                             query_workers=1)
    load_bundled(embedded, Settings())
    remote = request.getfixturevalue("remote_server").store(timeout=30)
    remote.replace_graphs({iri: None for iri in remote.named_graphs()})
    load_bundled(remote, Settings(store="remote"))
    yield embedded, remote
    embedded.close()


def comparable(term):
    if isinstance(term, BNode):
        return "_:"
    if isinstance(term, Literal) and term.datatype in NUMERIC:
        return ("number", round(Decimal(str(term.toPython())), 9))
    return term


@pytest.mark.parametrize("question_id", sorted(QUESTIONS))
def test_same_rows_as_the_embedded_store(stores, question_id):
    embedded, remote = stores
    question = QUESTIONS[question_id]
    same_rows(embedded, remote,
              question.query_text(question.bindings(ARGUMENTS.get(question_id, {}))))


def test_search_class_closure_is_the_same(stores):
    """The search index's class closure (no path with both ends unbound)."""
    same_rows(*stores, fixed_query("search_class_closure"))


def same_rows(embedded, remote, text: str) -> None:
    expected = embedded.query(text)
    got = remote.query(text)
    assert got.variables == expected.variables
    assert expected.rows, "a curated question with no answer on the bundled data proves nothing"
    want = Counter(tuple(map(comparable, row)) for row in expected.rows)
    have = Counter(tuple(map(comparable, row)) for row in got.rows)
    assert have == want, (f"{len(got.rows)} rows, expected {len(expected.rows)}; "
                          f"missing {list((want - have).elements())[:3]}, "
                          f"extra {list((have - want).elements())[:3]}")
