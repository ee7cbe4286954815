"""The fast path of the safety analysis only ever accepts what the full parse accepts.

``casegraph.sparql.prescreen`` lets queries skip rdflib's parser; these tests hold it to
the same verdicts as the parse: every outbound query still goes to the parser
(and is refused), keywords hidden by lexing tricks are still seen, and for
arbitrary mixes of risky fragments an accepted query has no SERVICE, no FROM
and no more triple patterns than the limit.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.workload import question_runs
from casegraph.errors import QueryRefused, QuerySyntaxError
from casegraph.sparql import safety as sparql_safety
from casegraph.sparql.prescreen import prescreen_query
from casegraph.sparql.safety import LazyGraphNames, SafetyPolicy, check_query
from tests.web.test_safety import escaped, outbound_queries

EVIL = "http://127.0.0.1:9/sparql"
POLICY = SafetyPolicy(known_graphs={"urn:g:1"})
LIMIT = POLICY.max_triple_patterns


def full_analysis(text: str, policy: SafetyPolicy = POLICY):
    """check_query with the pre-screen switched off (and nothing cached)."""
    original = sparql_safety.prescreen_query
    sparql_safety.prescreen_query = lambda *_: None
    try:
        return sparql_safety._query_analysis(
            text, policy.max_text_chars, policy.max_nesting_depth, policy.max_triple_patterns
        )
    finally:
        sparql_safety.prescreen_query = original


def test_curated_questions_pass_the_fast_path_with_the_full_analysis_verdict():
    screened = 0
    for run in question_runs():  # every question, required parameters bound
        text = run.sparql
        fast = check_query(text, POLICY)
        full = full_analysis(text)
        assert (fast.text, fast.form, fast.from_graphs) == (full.text, full.form, [])
        if prescreen_query(text, LIMIT) is not None:
            screened += 1
    assert screened >= len(question_runs()) // 2  # the point of the fast path


def test_every_outbound_query_goes_to_the_parser_and_is_refused():
    for query in outbound_queries(EVIL):
        expanded = sparql_safety.expand_codepoint_escapes(query)
        assert prescreen_query(expanded, LIMIT) is None, query
        with pytest.raises(QueryRefused):
            check_query(query, POLICY)


@pytest.mark.parametrize(
    "query",
    [
        # "<?b)SERVICE#>" reads as one IRI to a naive lexer, but '<' is less-than here.
        f"SELECT * {{ ?s ?p ?a FILTER(?a<?b)SERVICE#>\n<{EVIL}> {{ ?x ?y ?z }} }}",
        f"SELECT * {{ ?s ?p ?o }} # comment\nFROM <{EVIL}>",
        f'SELECT * {{ ?s ?p "#" . SERVICE <{EVIL}> {{ }} }}',
        f"SELECT * {{ ſervice <{EVIL}> {{ }} }}",  # long s: rdflib upper-cases it to S
        f"SELECT * {{ SERVICE\u00a0<{EVIL}> {{ }} }}",
        f"select * {{ ?s ?p ?o }} values ?x {{ 1 }} # {{ }}\nfrom <{EVIL}>",
        f"ASK {{ SERVICE <{EVIL}> {{ }} }}",
        f"SELECT * {{ {escaped('SERVICE')} <{EVIL}> {{ }} }}",
    ],
)
def test_hidden_keywords_are_never_screened_through(query):
    expanded = sparql_safety.expand_codepoint_escapes(query)
    assert prescreen_query(expanded, LIMIT) is None


def test_what_the_fast_path_leaves_to_the_parser():
    assert prescreen_query("ASK { ?s ?p ?o }", LIMIT) is None  # ASK evaluates while parsing
    assert prescreen_query("SELECT * { ?s ?p }", LIMIT) is None  # syntax: the parser reports
    assert prescreen_query("SELECT * { ?s <x:from> ?o }", LIMIT) is None  # conservative
    assert prescreen_query("PREFIX a: <x:> SELECT * { ?s a:p ?o }", LIMIT) == ("SELECT", 8)
    # A comment line is not a token, so it may mention anything.
    assert prescreen_query("# data from cases\nCONSTRUCT WHERE { ?s ?p ?o }", LIMIT)[0] == (
        "CONSTRUCT"
    )


def test_syntax_errors_still_carry_line_and_column():
    with pytest.raises(QuerySyntaxError) as error:
        check_query("PREFIX a: <x:>\nSELECT *\nWHERE { ?s a:p }", POLICY)
    assert error.value.line == 3


def test_cached_analysis_is_judged_by_each_policy():
    query = f"SELECT * {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }}"
    allowing = SafetyPolicy(service_allowlist={EVIL})
    assert check_query(query, allowing).form == "SELECT"
    with pytest.raises(QueryRefused, match="allow-list"):
        check_query(query, POLICY)
    named = "SELECT * FROM <urn:g:1> { ?s ?p ?o }"
    assert check_query(named, POLICY).from_graphs == ["urn:g:1"]
    with pytest.raises(QueryRefused, match="no such graph"):
        check_query(named, SafetyPolicy(known_graphs=set()))


def test_graph_names_are_listed_only_for_queries_that_name_graphs():
    calls = []

    def list_graphs():
        calls.append(1)
        return ["urn:g:1"]

    policy = SafetyPolicy(known_graphs=LazyGraphNames(list_graphs))
    check_query("SELECT * { ?s ?p ?o } LIMIT 3", policy)
    assert calls == []
    check_query("SELECT * FROM <urn:g:1> { ?s ?p ?o }", policy)
    assert calls == [1]


FRAGMENTS = [
    "?s ?p ?o .", "?s <x:p> ?o .", "{ ?a ?b ?c }", "OPTIONAL { ?s <x:q> ?v }",
    f"SERVICE <{EVIL}> {{ ?s ?p ?o }}", "SERVICE ?e { ?s ?p ?o }", "FILTER(?o < ?s)",
    "FILTER(?o<?s)", "#>", "\n", "# SERVICE\n", '"SERVICE"', "<x:SERVICE>", "?service",
    "?s <x:p> (1 2 3 4 5 6 7 8 9 10) .", "?s <x:p> [ <x:q> [ <x:r> 1 ] ] .", "BIND(1 AS ?n)",
    "FROM", "'''\n#'''", "\\u0053ERVICE",
]


@settings(max_examples=150, deadline=None)
@given(
    head=st.sampled_from(["SELECT * WHERE", "SELECT ?s", "CONSTRUCT WHERE", "DESCRIBE ?s WHERE",
                          "PREFIX e: <x:> SELECT *", f"SELECT * FROM <{EVIL}>"]),
    parts=st.lists(st.sampled_from(FRAGMENTS), max_size=8),
    copies=st.integers(min_value=1, max_value=30),
)
def test_whatever_the_fast_path_accepts_the_parser_accepts_alike(head, parts, copies):
    query = f"{head} {{ {' '.join(parts * copies)} }}"
    policy = SafetyPolicy(max_triple_patterns=40)
    try:
        expanded = sparql_safety.expand_codepoint_escapes(query)
    except QuerySyntaxError:
        return
    screened = prescreen_query(expanded, policy.max_triple_patterns)
    if screened is None:
        return
    full = full_analysis(query, policy)
    assert full.services == () and full.from_graphs == () and full.from_named == ()
    assert full.patterns <= screened[1] <= policy.max_triple_patterns
    assert full.form == screened[0]
