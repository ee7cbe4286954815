"""The reproductions of issue 13, against a production server: each is refused or bounded,
the server stays up, and cheap requests keep answering under a second meanwhile.

Reproduction 4 (slow clients, busy and killed workers) is in ``tests/faults/test_starvation.py``.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator

import pytest

from tests.faults.conftest import AUTH, ServeProcess, case_graph_turtle, start_serve, store_path
from tests.hostile.reproductions import (
    LIMIT,
    MAX_BODY,
    MAX_ROWS,
    cheap_probes_stay_fast,
    in_parallel,
    send,
    server_env,
    sparql_query,
)
from tests.web.conftest import LoopbackListener, loopback_listening

pytestmark = [pytest.mark.faults, pytest.mark.remote]


@pytest.fixture(scope="module")
def listener() -> Iterator[LoopbackListener]:
    with loopback_listening() as listening:
        yield listening


@pytest.fixture(scope="module")
def server(tmp_path_factory, listener) -> Iterator[ServeProcess]:
    root = tmp_path_factory.mktemp("reproductions")
    served = start_serve(root / "store", "--production", log_dir=root,
                         env=server_env(listener.url))
    try:
        yield served
    finally:
        served.stop()


@pytest.fixture(autouse=True)
def no_connection_reaches_the_listener(listener):
    """Whatever a reproduction sends, nothing connects to the loopback listener."""
    before = len(listener.connections)
    yield
    assert listener.connections[before:] == []


# --------------------------------------------------------------------------- 1: crashes

DEEP_QUERIES = {
    "10,000 negations": "SELECT * WHERE { BIND(" + "!" * 10_000 + "true AS ?x) }",
    "10,000 additions": "SELECT * WHERE { BIND(" + "+".join(["1"] * 10_000) + " AS ?x) }",
    "escaped # before 2,300 braces": "PREFIX ex: <http://x/> SELECT * WHERE { ?s ex:a\\#b ?o . "
    + "{ " * 2_300 + "}" * 2_301,
}


@pytest.mark.parametrize("text", DEEP_QUERIES.values(), ids=DEEP_QUERIES.keys())
def test_a_query_that_crashes_the_parser_is_a_400_and_the_server_stays_up(server, text):
    with cheap_probes_stay_fast(server):
        reply = sparql_query(server, text)
    assert reply.status == 400, reply.body[:500]
    message = json.loads(reply.body)["error"]["message"]
    assert "crashed the parser" in message or "nest" in message


def test_json_ld_nested_5000_deep_is_refused_after_an_rdflib_parse(server):
    # An rdflib parse first (it raises the recursion limit where it runs).
    assert sparql_query(server, "SELECT * WHERE { ?s ?p ?o FILTER(?o = 1) } LIMIT 1").status == 200
    document = '{"http://x/p": ' * 5_000 + '"v"' + "}" * 5_000
    with cheap_probes_stay_fast(server):
        reply = send(server, "POST", "/validate", document.encode(),
                     {"Content-Type": "application/ld+json"})
    assert reply.status == 400, reply.body[:500]
    assert "nest" in json.loads(reply.body)["error"]["message"]


# --------------------------------------------------------------------------- 2: network


def test_a_carriage_return_comment_cannot_smuggle_a_service_call(server, listener):
    text = f"SELECT ?x WHERE {{ #\r SERVICE <{listener.url}internal> {{ ?x ?y ?z }} \n}}"
    reply = send(server, "GET", "/sparql?" + urllib.parse.urlencode({"query": text}))
    assert reply.status == 400, reply.body[:500]
    assert "carriage return" in json.loads(reply.body)["error"]["message"]


def test_a_carriage_return_comment_cannot_smuggle_a_load(server, listener):
    update = (f"INSERT DATA {{ GRAPH <urn:x-casegraph:g> {{ <urn:a> <urn:b> <urn:c> }} }} ; "
              f"#\r LOAD <{listener.url}x.ttl> INTO GRAPH <urn:x-casegraph:g>\n")
    reply = send(server, "POST", "/sparql", update.encode(),
                 {"Content-Type": "application/sparql-update", **AUTH})
    assert reply.status == 400, reply.body[:500]


def test_an_allow_listed_service_is_still_unreachable_from_the_workers(server, listener):
    """The analysis accepts this SERVICE (its endpoint is allow-listed); the engine then
    tries to call it, and the worker's empty network namespace stops the connection."""
    text = f"SELECT * WHERE {{ SERVICE <{listener.url}internal> {{ ?s ?p ?o }} }}"
    with cheap_probes_stay_fast(server):
        reply = sparql_query(server, text)
    assert reply.status == 400, reply.body[:500]
    assert "network" in json.loads(reply.body)["error"]["message"]


# --------------------------------------------------------------------------- 3: unbounded work


def test_a_700_step_property_path_is_stopped_at_the_limit(server):
    text = "SELECT * WHERE { ?s " + "/".join(["a"] * 700) + " ?o }"
    with cheap_probes_stay_fast(server):
        reply = sparql_query(server, text)
    assert reply.status in {200, 400, 503}, reply.body[:500]
    assert reply.seconds < LIMIT + 2


def test_huge_in_lists_do_not_make_a_plain_ask_wait(server):
    strings = ",".join(f'"v{i}"' for i in range(20_000))
    heavy = f"ASK {{ ?s ?p ?o FILTER(?o IN ({strings})) }}"
    assert 140_000 < len(heavy.encode()) < 200_000
    with cheap_probes_stay_fast(server):
        replies = in_parallel(*[lambda: sparql_query(server, heavy) for _ in range(4)],
                              lambda: sparql_query(server, "ASK { ?s ?p ?o }"))
    *heavy_replies, plain = replies
    assert all(r.status in {200, 400, 503} for r in heavy_replies), heavy_replies
    assert plain.status in {200, 503}, plain.body[:500]  # answered, or told to retry
    assert plain.seconds < LIMIT + 2
    if plain.status == 503:
        assert plain.headers.get("retry-after")


def test_a_cubic_validation_does_not_hold_up_a_write(server):
    quotes = "\n".join(
        f'  cg:quote "引文{i}"@zh-Hans ; cg:charStart {i} ; cg:charEnd {i + 3} ;'
        for i in range(300))
    passage = f"""@prefix cg: <https://w3id.org/casegraph/ns#> .
<https://w3id.org/casegraph/id/case/k3/passage/p01> a cg:Passage ;
{quotes}
  cg:quote "最后"@zh-Hans .
"""
    slug = "k3-bystander"
    with cheap_probes_stay_fast(server):
        validation, write = in_parallel(
            lambda: send(server, "POST", "/validate", passage.encode(),
                         {"Content-Type": "text/turtle"}),
            lambda: send(server, "PUT", store_path(f"https://w3id.org/casegraph/id/graph/case/{slug}"),
                         case_graph_turtle(slug, 1).encode(),
                         {"Content-Type": "text/turtle", **AUTH}),
        )
    assert validation.status in {200, 503}, validation.body[:500]
    assert validation.seconds < LIMIT + 2
    assert write.status in {201, 204}, write.body[:500]
    assert write.seconds < LIMIT + 2


def test_deeply_nested_rdf_xml_is_refused_quickly(server):
    depth = 40_000
    document = ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                'xmlns:ex="http://x/"><rdf:Description rdf:about="http://x/s">'
                + "<ex:p><rdf:Description>" * depth
                + "</rdf:Description></ex:p>" * depth
                + "</rdf:Description></rdf:RDF>")
    assert len(document) > 1_000_000 or depth == 40_000
    body = document.encode()[: MAX_BODY - 1] if len(document) > MAX_BODY else document.encode()
    with cheap_probes_stay_fast(server):
        reply = send(server, "POST", "/validate", body, {"Content-Type": "application/rdf+xml"})
    assert reply.status == 400, reply.body[:500]
    assert reply.seconds < LIMIT


# --------------------------------------------------------------------------- 5: outputs


def test_a_construct_over_a_product_is_capped_and_flagged(server):
    subjects = " ".join(f"<urn:x-casegraph:s{i}>" for i in range(1000))
    objects = " ".join(str(i) for i in range(1000))
    text = (f"CONSTRUCT {{ ?a <urn:x-casegraph:p> ?b }} WHERE {{ VALUES ?a {{ {subjects} }} "
            f"VALUES ?b {{ {objects} }} }}")
    with cheap_probes_stay_fast(server):
        reply = sparql_query(server, text, accept="application/n-triples")
    assert reply.status == 200, reply.body[:500]
    assert reply.headers.get("x-casegraph-truncated") == "true"
    assert len(reply.body.splitlines()) == MAX_ROWS


def test_forty_disconnected_patterns_are_bounded(server):
    patterns = " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(40))
    with cheap_probes_stay_fast(server):
        reply = sparql_query(server, f"SELECT * WHERE {{ {patterns} }} LIMIT 2")
    assert reply.status in {200, 500, 503}, reply.body[:500]
    assert reply.seconds < LIMIT + 2


# --------------------------------------------------------------------------- 6: truncation


def _chunks(data: bytes, size: int = 64 * 1024):
    for start in range(0, len(data), size):
        yield data[start : start + size]


def test_a_chunked_body_past_the_limit_is_a_413_not_a_truncated_write(server):
    graph = "https://w3id.org/casegraph/id/graph/case/chunked-too-large"
    line = "<https://w3id.org/casegraph/id/x/{}> <http://www.w3.org/2000/01/rdf-schema#label> \"t\" .\n"
    data = "".join(line.format(i) for i in range(MAX_BODY // 60)).encode()
    assert len(data) > MAX_BODY
    reply = send(server, "PUT", store_path(graph), _chunks(data),
                 {"Content-Type": "application/n-triples", **AUTH})
    assert reply.status == 413, reply.body[:500]
    assert send(server, "GET", store_path(graph)).status == 404


def test_a_chunked_validation_past_the_limit_is_a_413_not_conforms(server):
    data = b"# padding\n" * (MAX_BODY // 10) + b"this is not turtle .\n"
    reply = send(server, "POST", "/validate", _chunks(data), {"Content-Type": "text/turtle"})
    assert reply.status == 413, reply.body[:500]
