"""Safety: no request reaches the network, no parser runs away — proven over real HTTP.

Each refusal points its URL at a loopback listener that records connections;
the test asserts 400 AND that nothing arrived.  A positive control shows the
listener does see a fetch when the allow-list permits one.
"""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casegraph.config import Settings
from casegraph.errors import QueryRefused, QuerySyntaxError
from casegraph.sparql.safety import (
    SafetyPolicy,
    check_query,
    check_update,
    expand_codepoint_escapes,
    nesting_depth,
)
from casegraph.store.memory import MemoryStore
from tests.web.conftest import UPDATE_TOKEN, live_service, settings_for

WATER_GRAPH = "https://w3id.org/casegraph/id/graph/case/jinan-water-group"
AUTH = {"Authorization": f"Bearer {UPDATE_TOKEN}"}


def escaped(word: str) -> str:
    return "".join(f"\\u{ord(c):04X}" for c in word)


def _outbound(section: str, url: str) -> list[str]:
    """The requests of one ``[section]`` of outbound-requests.txt, aimed at ``url``."""
    text = Path(__file__).with_name("outbound-requests.txt").read_text(encoding="utf-8")
    found: dict[str, list[str]] = {}
    current: list[str] = []
    for line in text.splitlines():
        if line.startswith("[") and line.endswith("]"):
            current = found.setdefault(line[1:-1], [])
        elif line and not line.startswith("#"):
            current.append(line.replace("@URL@", url))
    return found[section]


def outbound_queries(url: str) -> list[str]:
    return _outbound("queries", url)


def outbound_updates(url: str) -> list[str]:
    return _outbound("updates", url)


@pytest.fixture(scope="module")
def guarded_service():
    """The memory backend: rdflib WOULD fetch SERVICE/FROM/LOAD URLs if asked to."""
    store = MemoryStore()
    from casegraph.store.bootstrap import load_bundled

    load_bundled(store, Settings())
    with live_service(store, settings_for("memory")) as live:
        live.wait_ready()  # so that /healthz afterwards says whether the server survived
        yield live


def test_every_outbound_query_is_refused_and_nothing_is_fetched(guarded_service,
                                                                 loopback_listener):
    for query in outbound_queries(loopback_listener.url):
        answer = guarded_service.get("/sparql?" + urllib.parse.urlencode({"query": query}))
        assert answer.status == 400, query
        assert "refused" in json.loads(answer.body)["error"]["message"], query
    assert loopback_listener.connections == []


def test_every_outbound_update_is_refused_and_nothing_is_fetched(guarded_service,
                                                                  loopback_listener):
    for update in outbound_updates(loopback_listener.url):
        answer = guarded_service.post("/sparql", update, "application/sparql-update", AUTH)
        assert answer.status == 400, update
    assert loopback_listener.connections == []


def test_protocol_graph_parameters_are_never_fetched(guarded_service, loopback_listener):
    # A graph the store does not hold is an empty graph (as the protocol tests
    # expect); what matters is that it is never fetched.
    query = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }",
                                    "default-graph-uri": loopback_listener.url})
    answer = guarded_service.get("/sparql?" + query, {"Accept": "application/sparql-results+json"})
    assert answer.status == 200 and json.loads(answer.body)["boolean"] is False
    query = urllib.parse.urlencode({"query": "ASK { GRAPH ?g { ?s ?p ?o } }",
                                    "named-graph-uri": loopback_listener.url})
    answer = guarded_service.get("/sparql?" + query, {"Accept": "application/sparql-results+json"})
    assert answer.status == 200 and json.loads(answer.body)["boolean"] is False
    assert loopback_listener.connections == []


def test_the_listener_sees_a_fetch_when_the_allow_list_permits_it(loopback_listener):
    """Positive control: the same harness detects a real outbound request."""
    store = MemoryStore()
    settings = settings_for("memory", service_allowlist=loopback_listener.url)
    with live_service(store, settings) as live:
        # rdflib only fetches a plain "SERVICE <iri> { … }" (its regex skips SILENT).
        query = f"SELECT * WHERE {{ SERVICE <{loopback_listener.url}> {{ ?s ?p ?o }} }}"
        live.get("/sparql?" + urllib.parse.urlencode({"query": query}))
    assert loopback_listener.connections, "the allowed SERVICE call must reach the listener"


@pytest.mark.parametrize("path", ["/validate", "/store?graph=" + WATER_GRAPH])
def test_uploads_never_load_contexts_or_entities(guarded_service, loopback_listener, path):
    url = loopback_listener.url
    uploads = [
        ("application/ld+json", json.dumps({"@context": url, "@id": "http://a/", "p": 1})),
        ("application/ld+json", json.dumps({"@context": [{"x": "http://x/"}, url + "c.jsonld"],
                                            "@id": "http://a/"})),
        ("application/ld+json", json.dumps({"@context": {"@import": url}, "@id": "http://a/"})),
        ("application/ld+json", json.dumps({"@id": "http://a/", "http://x/p": {
            "@context": "file:///etc/passwd", "@id": "http://b/"}})),
        ("application/rdf+xml",
         f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "{url}">]>'
         '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&e;</rdf:RDF>'),
        ("application/rdf+xml",
         ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY e SYSTEM "'
          + url + '">]><r>&e;</r>').encode("utf-16")),
    ]
    for content_type, body in uploads:
        answer = guarded_service.post(path, body, content_type, AUTH,
                                      method="PUT" if path.startswith("/store") else "POST")
        assert answer.status == 400, body
        assert "refused" in json.loads(answer.body)["error"]["message"]
    assert loopback_listener.connections == []


def test_deep_nesting_is_refused_before_any_parser_runs(guarded_service):
    # pyoxigraph crashes the process at about 2,200 levels; pyparsing recurses per level.
    for depth in (65, 3_000, 50_000):
        query = "SELECT * WHERE " + "{" * depth + "}" * depth
        answer = guarded_service.post("/sparql", query, "application/sparql-query")
        assert answer.status == 400
        assert f"nest {depth} levels" in json.loads(answer.body)["error"]["message"]
    turtle = "<http://a/> <http://b/> " + "[ <http://c/> " * 3_000 + "]" * 3_000 + " ."
    assert guarded_service.post("/validate", turtle, "text/turtle").status == 400
    assert guarded_service.get("/healthz").status == 200


# --- the analysis itself ------------------------------------------------------------------

POLICY = SafetyPolicy(known_graphs={WATER_GRAPH})


def test_brackets_inside_strings_iris_and_comments_do_not_count():
    assert nesting_depth('SELECT * { ?s ?p "{{{{" . ?s <http://x/((((> ?o } # ((((') == 1
    assert nesting_depth("SELECT * { ?s ?p '''}}}\n{{{''' }") == 1
    # A closing bracket hidden in an IRI cannot lower the count either.
    assert nesting_depth("SELECT * { ?s <x:)))> ?o " + "{" * 70 + "}" * 70 + "}") == 71


def test_limits_on_patterns_size_and_depth():
    patterns = " . ".join(f"?s <p:{i}> ?o{i}" for i in range(200))
    assert check_query("SELECT * { " + patterns + " }", POLICY).form == "SELECT"
    with pytest.raises(QueryRefused, match="201 triple patterns"):
        check_query("SELECT * { " + patterns + " . ?s <p:x> ?y }", POLICY)
    with pytest.raises(QueryRefused, match="characters"):
        check_query("ASK {}" + " " * 300_000, POLICY)


def test_allow_listed_service_and_known_graphs_pass():
    policy = SafetyPolicy(known_graphs={WATER_GRAPH}, service_allowlist={"http://ok/sparql"})
    assert check_query("SELECT * { SERVICE <http://ok/sparql> { ?s ?p ?o } }", policy)
    checked = check_query(f"SELECT * FROM <{WATER_GRAPH}> {{ ?s ?p ?o }}", policy)
    assert checked.from_graphs == [WATER_GRAPH]
    update = check_update(f"DELETE {{ ?s ?p ?o }} USING <{WATER_GRAPH}> WHERE {{ ?s ?p ?o }}",
                          policy)
    assert update.operations == ["Modify"]


def test_escapes_that_produce_escapes_are_refused():
    with pytest.raises(QueryRefused, match="further escapes"):
        check_query("SELECT * { \\u005Cu0053ERVICE <http://a/> { } }", POLICY)


def test_syntax_errors_carry_line_and_column():
    with pytest.raises(QuerySyntaxError) as error:
        check_query("SELECT *\nWHERE { ?s ?p }", POLICY)
    assert error.value.line == 2 and error.value.column is not None


@given(st.sampled_from(["SERVICE", "service", "SeRvIcE"]), st.lists(st.booleans(), min_size=7,
                                                                   max_size=7))
def test_any_mix_of_escaped_and_plain_letters_is_seen_as_service(word, mask):
    keyword = "".join(escaped(c) if m else c for c, m in zip(word, mask, strict=True))
    with pytest.raises(QueryRefused, match="SERVICE"):
        check_query(f"SELECT * {{ {keyword} <http://127.0.0.1:9/> {{ ?s ?p ?o }} }}", POLICY)


@given(st.text(max_size=40))
def test_codepoint_expansion_leaves_text_without_escapes_alone(text):
    if "\\" not in text:
        assert expand_codepoint_escapes(text) == text
