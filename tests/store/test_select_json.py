"""The workers' SPARQL JSON is byte for byte what the server would write from rdflib terms."""

from __future__ import annotations

import pytest

from benchmarks.generate import generate
from benchmarks.workload import question_runs
from casegraph.config import Settings
from casegraph.rdf.formats import JSON_NOTICE_KEY, RESULT_FORMATS, serialize_result
from casegraph.store.base import QueryRequest
from casegraph.store.bootstrap import load_bundled
from casegraph.store.oxigraph import OxigraphStore

JSON = next(fmt for fmt in RESULT_FORMATS if fmt.name == "json")

LITERALS = """SELECT ?v WHERE { VALUES ?v {
  "plain" "中文"@zh-hans "x"@EN-gb 1 "01"^^<http://www.w3.org/2001/XMLSchema#integer> 1.50
  1.0e0 "1"^^<http://www.w3.org/2001/XMLSchema#boolean> true
  "2024-01-02T03:04:05Z"^^<http://www.w3.org/2001/XMLSchema#dateTime>
  "2023"^^<http://www.w3.org/2001/XMLSchema#gYear> "abc"^^<http://www.w3.org/2001/XMLSchema#integer>
  "a\\"b\\\\c\\n"  <urn:casegraph-test:x> "x"^^<urn:casegraph-test:type> UNDEF
} }"""


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The bundled cases plus 30 generated ones, in the embedded store with one worker."""
    # One worker and no spare: replicas label blank nodes differently, so both answers
    # must come from the same one.
    store = OxigraphStore(tmp_path_factory.mktemp("select-json"), query_workers=1,
                          spare_workers=0)
    load_bundled(store, Settings(store="oxigraph"))
    store.bulk_load("".join(generate(30, seed=7)).encode(), "application/n-quads")
    yield store
    store.close()


def as_server_writes(store: OxigraphStore, sparql: str, max_rows: int | None) -> bytes:
    result = store.query(sparql, max_rows=max_rows)
    return serialize_result(result, JSON, row_limit=max_rows)


@pytest.mark.parametrize("run", question_runs(), ids=lambda run: run.id)
def test_every_curated_question_gives_the_same_bytes(store, run):
    body, truncated = store.select_json(QueryRequest(run.sparql, max_rows=100_000))
    assert not truncated
    assert body == as_server_writes(store, run.sparql, 100_000)


def test_literals_of_every_kind_and_unbound_values_give_the_same_bytes(store):
    body, _ = store.select_json(QueryRequest(LITERALS))
    assert body == as_server_writes(store, LITERALS, None)
    assert '"xml:lang": "zh-Hans"' in body.decode()


def test_truncation_notice_is_the_same(store):
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
    body, truncated = store.select_json(QueryRequest(query, max_rows=7))
    assert truncated
    assert body == as_server_writes(store, query, 7)
    assert f'"{JSON_NOTICE_KEY}": {{"truncated": true, "maxResultRows": 7}}' in body.decode()
