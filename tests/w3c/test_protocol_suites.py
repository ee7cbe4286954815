"""The W3C SPARQL 1.1 Protocol and Graph Store Protocol manifests, run over HTTP.

Each manifest test is a sequence of HTTP requests with expected statuses and,
for queries, the expected result format and boolean.  They run against a live
casegraph service on loopback, on the memory and the embedded oxigraph
backends.  Where casegraph deliberately differs from the suite, the test is
skipped with the reason (``DELIBERATE_DIFFERENCES``); everything else must pass.
The suites' ``/sparql/`` is casegraph's ``/sparql`` and their Graph Store ``/gsp``
is ``/store`` (so a direct graph ``/gsp/person/1.ttl`` is ``<http://host/store/person/1.ttl>``).
The pass counts per manifest are printed by ``pytest -rs -s tests/w3c``.
"""

from __future__ import annotations

import dataclasses
import http.client
import json
from collections.abc import Iterator
from urllib.parse import quote, urlsplit

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from casegraph.store.memory import MemoryStore
from tests.w3c.manifest import W3C_SPARQL11, HttpRequest, ProtocolTest, protocol_tests
from tests.web.conftest import UPDATE_TOKEN, Answer, LiveService

if W3C_SPARQL11 is None:
    pytest.skip(
        "the W3C test suites are not at ../shared/w3c-rdf-tests (set CASEGRAPH_SHARED)",
        allow_module_level=True,
    )

MANIFESTS = [
    "protocol/manifest.ttl",
    "graph-store-protocol/manifest-indirect.ttl",
    "graph-store-protocol/manifest-direct.ttl",
]
# http-rdf-update/manifest.ttl is not run: every test in it is dawg:Deprecated
# "in favor of the tests in ../graph-store-protocol/manifest.ttl", which we run.

#: Tests casegraph answers differently on purpose, and why.
DELIBERATE_DIFFERENCES = {
    # Every fact lives in a named case graph, traced to a passage and checked by the
    # shapes graph by graph; the default graph is the union of those graphs (README
    # "Using it"), so it is read-only: a triple written "to the default graph" would
    # belong to no case and no passage.  Updates and GSP writes name their graph.
    "put_get_default": "PUTs the default graph, which is the read-only union of the named "
                       "graphs (casegraph keeps every fact in a named case graph)",
}

#: Tests that fail today because of known gaps (listed in the closing note); strict, so
#: a fix shows up as an unexpected pass.
KNOWN_GAPS: dict[str, str] = {}
KNOWN_GAPS_OXIGRAPH: dict[str, str] = {}
KNOWN_GAPS_MEMORY: dict[str, str] = {}


def _collect() -> Iterator[pytest.param]:
    for manifest in MANIFESTS:
        for test in protocol_tests(W3C_SPARQL11 / manifest):
            marks = []
            reason = DELIBERATE_DIFFERENCES.get(test.local_name)
            if reason:
                marks.append(pytest.mark.skip(reason=reason))
            yield pytest.param(test, id=f"{manifest.split('/')[0]}:{test.local_name}", marks=marks)


@pytest.mark.parametrize("test", list(_collect()))
def test_w3c_protocol(empty_service: LiveService, test: ProtocolTest, request) -> None:
    on_memory = isinstance(empty_service.store, MemoryStore)
    gap = KNOWN_GAPS.get(test.local_name) or (
        KNOWN_GAPS_MEMORY if on_memory else KNOWN_GAPS_OXIGRAPH
    ).get(test.local_name)
    if gap:
        request.applymarker(pytest.mark.xfail(reason=gap, strict=True))
    store = empty_service.store
    store.replace_graphs({graph: None for graph in store.named_graphs()})
    for data_file, graph_name in test.graph_data:
        graph = Graph()
        graph.parse(data_file, format="nt")
        store.replace_graphs({URIRef(graph_name): graph})
    location = None
    for number, exchange in enumerate(test.requests, start=1):
        if location is not None:  # the graph a POST to the store created
            exchange = dataclasses.replace(
                exchange, path=exchange.path.replace("$LOCATION$", quote(location, safe="")))
        answer = _send(empty_service, exchange)
        location = answer.header("location") or location
        where = f"{test.name}, request {number} ({exchange.method} {exchange.path})"
        assert exchange.status_ok(answer.status), f"{where}: {answer.status} {answer.text[:300]}"
        _check_body(exchange, answer, where)


def _send(service: LiveService, exchange: HttpRequest):
    path = exchange.path
    if path.startswith("/sparql/"):
        path = "/sparql" + path[len("/sparql/"):]
    elif path.startswith("/gsp"):
        path = "/store" + path[len("/gsp"):]
    headers = dict(exchange.headers)
    if exchange.method not in {"GET", "HEAD"} or "update" in (exchange.body or ""):
        headers["Authorization"] = f"Bearer {UPDATE_TOKEN}"
    body = None if exchange.body is None else exchange.body.encode(
        "utf-16" if "UTF-16" in headers.get("content-type", "") else "utf-8"
    )
    # http.client sends exactly these headers: urllib would add a form Content-Type
    # to a POST without one, hiding what the "missing media type" tests check.
    connection = http.client.HTTPConnection(urlsplit(service.url).netloc, timeout=60)
    try:
        connection.request(exchange.method, path, body=body, headers=headers)
        response = connection.getresponse()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()},
                      response.read())
    finally:
        connection.close()


def _check_body(exchange: HttpRequest, answer, where: str) -> None:
    content_type = (answer.header("content-type") or "").split(";")[0].strip()
    if exchange.expected_format == "boolean" or exchange.expected_boolean is not None:
        assert content_type in {"application/sparql-results+json",
                                "application/sparql-results+xml"}, where
        if exchange.expected_boolean is not None:
            assert _boolean(answer, content_type) is exchange.expected_boolean, where
    elif exchange.expected_format == "tabular":
        assert content_type in {"application/sparql-results+json", "application/sparql-results+xml",
                                "text/csv", "text/tab-separated-values"}, where
    elif exchange.expected_format == "RDF":
        assert content_type in {"application/rdf+xml", "text/turtle", "application/n-triples"}, where
    if exchange.expected_body is not None and exchange.method == "GET":
        expected = Graph().parse(data=exchange.expected_body, format="turtle",
                                 publicID=_public_id(exchange.path))
        got = Graph().parse(data=answer.body, format=content_type or "turtle")
        assert isomorphic(expected, got), f"{where}: graph differs"


def _boolean(answer, content_type: str) -> bool:
    if content_type.endswith("json"):
        return json.loads(answer.body)["boolean"]
    return b"<boolean>true</boolean>" in answer.body


def _public_id(path: str) -> str:
    return f"http://www.example{urlsplit(path).path}"
