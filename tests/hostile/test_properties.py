"""Property-based tests (hypothesis) of the parsers and parameter binders hostile input meets.

* The question parameter binder never changes a query's meaning: any value it accepts
  comes back from the engine (pyoxigraph, the production parser) as exactly that term,
  the query keeps its own pattern, and any value it refuses is a ``ParameterError``.
* Content negotiation never raises on an Accept header, except ``NotAcceptable``.
* The SPARQL safety checker raises nothing but ``QueryRefused``/``QuerySyntaxError``.
* Upload parsing raises nothing but the errors the HTTP layer maps to 400/415.

Example counts are small: the suite runs in seconds.
"""

from __future__ import annotations

import contextlib
import sys

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from casegraph.errors import (
    DataRefused,
    DataSyntaxError,
    ParameterError,
    QueryRefused,
    QuerySyntaxError,
    UnsupportedMediaType,
)
from casegraph.rdf.formats import GRAPH_FORMATS
from casegraph.rdf.uploads import parse_upload, upload_format
from casegraph.sparql import safety
from casegraph.sparql.catalogue import Parameter, Question
from casegraph.sparql.safety import SafetyPolicy, check_query, check_update
from casegraph.web.negotiation import NotAcceptable, best_media_type, parse_accept

FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])
WATER = "https://w3id.org/casegraph/id/graph/case/jinan-water-group"

# --- the question parameter binder ---------------------------------------------------------

TEMPLATE = """#+ id: probe
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
# a comment with a brace { and a string "}" must not move the VALUES block
SELECT ?value ?marker WHERE {
  BIND("intact" AS ?marker)
}
"""


def probe_question(parameter: Parameter) -> Question:
    return Question(id="probe", title={"en": "probe"}, rationale={"en": "probe"}, tags=(),
                    parameters=(parameter,), answer=("value", "marker"), sparql=TEMPLATE,
                    path=None)  # type: ignore[arg-type]


def run(sparql: str) -> list[tuple]:
    solutions = ox.Store().query(sparql)
    return [(row["value"], row["marker"]) for row in solutions]


def as_oxigraph(term) -> ox.NamedNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if term.datatype is not None:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def assert_binds_exactly(parameter: Parameter, raw: str) -> None:
    """Either a ParameterError, or the engine sees exactly the bound term and nothing else."""
    question = probe_question(parameter)
    try:
        bindings = question.bindings({parameter.name: raw})
    except ParameterError as error:
        assert error.parameter == parameter.name
        return
    if parameter.name not in bindings:  # a blank value leaves an optional parameter unset
        assert not raw.strip()
        return
    sparql = question.query_text(bindings)
    rows = run(sparql)
    assert rows == [(as_oxigraph(bindings[parameter.name]), ox.Literal("intact"))], sparql
    # The query around the VALUES block is the template, byte for byte.
    start, end = sparql.index("\n  VALUES ("), sparql.index("\n  }\n") + len("\n  }\n")
    assert sparql[:start] + sparql[end:] == TEMPLATE


# Text meant to break out of a literal or an IRI: quotes, escapes, braces, comments, newlines.
HOSTILE_TEXT = st.lists(
    st.sampled_from(list('"\'\\<>{}#?.;,() \t\r\n\x00\u202eaé水')
                    + ["\\u0022", "'''", '"""', "} SERVICE <http://127.0.0.1:9/> {"]),
    max_size=20,
).map("".join) | st.text(max_size=40)


@FAST
@given(HOSTILE_TEXT)
def test_a_string_parameter_round_trips_as_one_literal(raw):
    assert_binds_exactly(Parameter(name="value", type="string"), raw)


IRI_LIKE = st.builds(
    lambda scheme, rest: f"{scheme}:{rest}",
    st.sampled_from(["http", "https", "urn", "javascript", "file", "id", "x-y.z+w"]),
    HOSTILE_TEXT,
)


@FAST
@given(IRI_LIKE | HOSTILE_TEXT)
def test_an_iri_parameter_round_trips_as_one_iri_or_is_refused(raw):
    assert_binds_exactly(Parameter(name="value", type="iri"), raw)


@FAST
@given(st.text(alphabet="0123456789+-. xe", max_size=25) | HOSTILE_TEXT)
def test_integer_and_year_parameters_round_trip_or_are_refused(raw):
    assert_binds_exactly(Parameter(name="value", type="integer"), raw)
    assert_binds_exactly(Parameter(name="value", type="year"), raw)


@FAST
@given(HOSTILE_TEXT)
def test_a_value_outside_the_allowed_ones_is_refused(raw):
    parameter = Parameter(name="value", type="string", allowed=("first", "second"))
    question = probe_question(parameter)
    if not raw.strip():  # unset: the question answers for every value
        assert question.bindings({"value": raw}) == {}
    elif raw.strip() in parameter.allowed:
        assert question.bindings({"value": raw})["value"] == Literal(raw.strip())
    else:
        with pytest.raises(ParameterError):
            question.bindings({"value": raw})


def test_the_binder_keeps_datatypes():
    """Positive control for the round trip: typed terms come back typed."""
    question = probe_question(Parameter(name="value", type="year"))
    rows = run(question.query_text(question.bindings({"value": "2021"})))
    assert rows == [(ox.Literal("2021", datatype=ox.NamedNode(str(XSD.gYear))),
                     ox.Literal("intact"))]


# --- content negotiation -------------------------------------------------------------------

ACCEPT_PIECES = st.sampled_from(
    ["text/html", "text/*", "*/*", "application/json", "text/turtle", ";q=", "q=0", "q=1.5",
     "q=-1", "q=NaN", "q=inf", "q=1e400", ",", ";", "/", " ", "*", "level=1", '"', "\x00"])
ACCEPT_HEADERS = st.lists(ACCEPT_PIECES, max_size=12).map("".join) | st.text(max_size=60)


@FAST
@given(ACCEPT_HEADERS)
def test_content_negotiation_never_raises_on_any_accept_header(header):
    ranges = parse_accept(header)
    assert all(0.0 <= r.quality <= 1.0 for r in ranges), ranges
    offered = ["text/html", "application/json", "text/turtle"]
    try:
        assert best_media_type(header, offered) in offered
    except NotAcceptable as refusal:
        assert refusal.offered == offered


# --- the SPARQL safety checker -------------------------------------------------------------

SPARQL_PIECES = st.sampled_from(
    ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "*", "?s", "?p", "?o", "{", "}", "(",
     ")", "[", "]", ".", ";", ",", "SERVICE", "SILENT", "\\u0053ERVICE", "\\U00000053", "FROM",
     "NAMED", "GRAPH", "LOAD", "INSERT", "DELETE", "DATA", "USING", "WITH", "INTO", "CLEAR",
     "DROP", "ALL", "DEFAULT", "COPY", "ADD", "TO", "PREFIX", "BASE", "x:", "x:y", "<http://a/>",
     "<>", "<file:///etc/passwd>", '"s"', "'''", '"""', "#", "\n", " ", "FILTER", "REGEX",
     "BIND", "AS", "VALUES", "UNDEF", "OPTIONAL", "UNION", "MINUS", "EXISTS", "NOT", "1",
     "1.5e3", "@en", "^^", "a", "\\", "\x00", "水"])
SPARQL_TEXTS = st.lists(SPARQL_PIECES, max_size=25).map(" ".join) | st.text(max_size=80)
POLICY = SafetyPolicy(known_graphs=frozenset({WATER}))


@pytest.fixture(scope="module", autouse=True)
def parser_recursion_limit():
    """The safety check raises the interpreter's recursion limit on its first parse
    (sparql/safety.py); raise it before Hypothesis runs, which warns when a test changes it."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), safety._PARSER_RECURSION_LIMIT))


@FAST
@given(SPARQL_TEXTS)
def test_the_safety_checker_only_refuses_or_reports_syntax(text):
    for check in (check_query, check_update):
        with contextlib.suppress(QueryRefused, QuerySyntaxError):
            check(text, POLICY)


# --- RDF upload parsing --------------------------------------------------------------------

RDF_PIECES = st.sampled_from(
    ["<http://a/>", "<http://b/>", "<>", "<rel>", "_:b", "[", "]", "(", ")", "{", "}", ".",
     ";", ",", '"x"', '"""', "'", "@en", "^^", "@prefix", "@base", "PREFIX", "GRAPH", "a",
     "x:y", "1", "true", "\n", " ", "#", "\\u0022", "\x00", "\ufeff", "水",
     '{"@context":', '"@id":', '"@import":', '"http://a/"', "[", "]", ":", "null",
     "<?xml version='1.0'?>", "<!DOCTYPE r [", '<!ENTITY e SYSTEM "http://127.0.0.1:9/">',
     "&e;", "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>",
     "</rdf:RDF>", "<rdf:Description rdf:about='http://a/'>", "</rdf:Description>"])
RDF_BYTES = (st.lists(RDF_PIECES, max_size=25).map(lambda p: " ".join(p).encode("utf-8"))
             | st.binary(max_size=120))


@FAST
@given(RDF_BYTES, st.sampled_from(GRAPH_FORMATS))
def test_upload_parsing_only_raises_errors_mapped_to_4xx(data, fmt):
    try:
        parse_upload(data, fmt, base_iri=WATER)
    except (DataSyntaxError, DataRefused) as error:
        assert 400 <= error.status < 500


@FAST
@given(st.text(max_size=60))
def test_any_content_type_names_a_syntax_or_is_415(content_type):
    try:
        assert upload_format(content_type) in GRAPH_FORMATS
    except UnsupportedMediaType as error:
        assert error.status == 415
