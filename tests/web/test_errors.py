"""Every endpoint answers a failure with the same JSON body: ``{"error": {status, title,
message, …}}``, whatever raised it (a view, the store, the parser, Flask itself)."""

from __future__ import annotations

import json

import pytest

from tests.web.conftest import UPDATE_TOKEN, request

AUTH = {"Authorization": f"Bearer {UPDATE_TOKEN}"}
TURTLE = "text/turtle"
CASE_GRAPH = "https://w3id.org/casegraph/id/graph/case/western-heat-source"

#: (what, method, path, body, content type, extra headers, expected status)
FAILURES = [
    ("query syntax", "GET", "/sparql?query=SELEC%20*", None, None, {}, 400),
    ("SERVICE refused", "GET",
     "/sparql?query=SELECT%20*%20%7B%20SERVICE%20%3Chttp://127.0.0.1:9/%3E%20%7B%20?s%20?p%20?o%20%7D%20%7D",
     None, None, {}, 400),
    ("no acceptable format", "GET", "/sparql?query=ASK%7B%7D", None, None,
     {"Accept": "text/csv"}, 406),
    ("update without a token", "POST", "/sparql", "DROP ALL", "application/sparql-update", {}, 401),
    ("upload of bad Turtle", "PUT", f"/store?graph={CASE_GRAPH}", "<a> <b> .", TURTLE, AUTH, 400),
    ("upload of an unknown syntax", "PUT", f"/store?graph={CASE_GRAPH}", "x", "text/x-unknown",
     AUTH, 415),
    ("write to the ontology graph", "PUT",
     "/store?graph=https://w3id.org/casegraph/id/graph/ontology", "<urn:a> <urn:b> <urn:c> .",
     TURTLE, AUTH, 403),
    ("validation of bad Turtle", "POST", "/validate", "<a> <b> .", TURTLE, {}, 400),
    ("question parameter of the wrong kind", "GET",
     "/api/questions/awards-by-issuer-and-year.json?year=nineteen", None, None, {}, 400),
    ("question parameter of the wrong kind, CSV", "GET",
     "/api/questions/awards-by-issuer-and-year.csv?year=nineteen", None, None, {}, 400),
    ("unknown question", "GET", "/api/questions/no-such-question.json", None, None, {}, 404),
    ("unknown entity", "GET", "/id/org/no-such-organisation", None, None,
     {"Accept": "application/json"}, 404),
    ("wrong method", "DELETE", "/healthz", None, None, {}, 405),
]


@pytest.mark.parametrize(("what", "method", "path", "body", "content_type", "headers", "status"),
                         FAILURES, ids=[f[0] for f in FAILURES])
def test_every_failure_has_the_one_error_shape(service, what, method, path, body, content_type,
                                               headers, status):
    sent = {"Accept": "application/json", **headers}
    if content_type:
        sent["Content-Type"] = content_type
    answer = request(service.url + path, data=None if body is None else body.encode("utf-8"),
                     method=method, headers=sent)
    assert answer.status == status, answer.text
    assert answer.header("Content-Type").startswith("application/json")
    document = json.loads(answer.body)
    assert list(document) == ["error"], document
    error = document["error"]
    assert error["status"] == status
    assert isinstance(error["title"], str) and error["title"]
    assert isinstance(error["message"], str) and error["message"]


def test_syntax_errors_say_where(service):
    answer = service.post("/validate", "@prefix ex: <http://x/> .\nex:a ex:b .", TURTLE,
                          headers={"Accept": "application/json"})
    error = json.loads(answer.body)["error"]
    assert error["line"] == 2


def test_a_bad_question_parameter_is_named(service):
    answer = service.get("/api/questions/awards-by-issuer-and-year.json?year=nineteen",
                         headers={"Accept": "application/json"})
    assert json.loads(answer.body)["error"]["parameter"] == "year"
