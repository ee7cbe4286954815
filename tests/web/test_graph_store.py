"""Graph Store Protocol on /store, SPARQL Update, guarded writes and /validate — over HTTP."""

from __future__ import annotations

import json
import urllib.parse

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from casegraph.store.memory import MemoryStore
from tests.web.conftest import UPDATE_TOKEN, live_service, settings_for

WATER = "https://w3id.org/casegraph/id/graph/case/jinan-water-group"
WATER_ORG = URIRef("https://w3id.org/casegraph/id/org/jinan-water-group")
COPY = "https://w3id.org/casegraph/id/graph/case/test-copy-of-water"
AUTH = {"Authorization": f"Bearer {UPDATE_TOKEN}"}
UNLABELLED_ORG = (f"<https://w3id.org/casegraph/id/org/x> <{RDF.type}> "
                  "<http://www.w3.org/ns/org#Organization> .")


def store_url(graph: str | None) -> str:
    return "/store?default" if graph is None else "/store?" + urllib.parse.urlencode(
        {"graph": graph})


def dump(service) -> list[str]:
    """The whole store as sorted canonical N-Quads: blank-node labels and quad order are
    the server's choice (the remote server relabels them per request), the content is not."""
    dataset = ox.Dataset(ox.parse(b"".join(service.store.dump("application/n-quads")),
                                  ox.RdfFormat.N_QUADS))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return sorted(str(quad) for quad in dataset)


def turtle_of(service, graph: str) -> bytes:
    answer = service.get(store_url(graph), {"Accept": "text/turtle"})
    assert answer.status == 200
    return answer.body


# --- reads --------------------------------------------------------------------------------


def test_get_a_named_graph_in_each_syntax(service):
    expected = service.store.graph(URIRef(WATER))
    for accept, fmt in [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                        ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")]:
        answer = service.get(store_url(WATER), {"Accept": accept})
        assert answer.status == 200 and answer.header("Content-Type").startswith(accept)
        assert Graph().parse(data=answer.body, format=fmt).isomorphic(expected), accept


def test_head_has_headers_and_no_body(service):
    answer = service.post(store_url(WATER), b"", "text/turtle", method="HEAD")
    assert answer.status == 200 and answer.body == b""
    assert int(answer.header("Content-Length")) == len(turtle_of(service, WATER))


def test_get_default_is_the_union_of_the_named_graphs(service):
    answer = service.get(store_url(None), {"Accept": "application/n-triples"})
    union = Graph().parse(data=answer.body, format="nt")
    expected = Graph()
    for name in service.store.named_graphs():
        expected += service.store.graph(name)
    assert len(union) == len(expected) and union.isomorphic(expected)


def test_unknown_graph_is_404_and_a_missing_address_400(service):
    assert service.get(store_url("https://example.org/none")).status == 404
    assert service.get("/store").status == 400
    assert service.get("/store?graph=not%20an%20iri").status == 400


# --- who may write ------------------------------------------------------------------------


def test_writes_without_the_token_are_401_with_a_bearer_challenge(service):
    before = dump(service)
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic eDp5"}):
        answer = service.post(store_url(WATER), "", "text/turtle", headers, method="DELETE")
        assert answer.status == 401
        assert answer.header("WWW-Authenticate").startswith("Bearer")
        update = service.post("/sparql", f"DROP GRAPH <{WATER}>", "application/sparql-update",
                              headers)
        assert update.status == 401
    assert dump(service) == before


def test_a_service_without_a_token_is_read_only():
    with live_service(MemoryStore(), settings_for("memory", update_token=None)) as live:
        answer = live.post("/sparql", "CLEAR ALL", "application/sparql-update", AUTH)
        assert answer.status == 403
        assert "read-only" in json.loads(answer.body)["error"]["message"]
        assert live.post(store_url(WATER), "", "text/turtle", AUTH, method="PUT").status == 403


# --- guarded writes -----------------------------------------------------------------------


ONTOLOGY = "https://w3id.org/casegraph/id/graph/ontology"


@pytest.mark.parametrize("method, path, body, content_type", [
    ("POST", "/sparql", "DROP ALL", "application/sparql-update"),
    ("POST", "/sparql", "CLEAR NAMED", "application/sparql-update"),
    ("POST", "/sparql", f"DROP GRAPH <{ONTOLOGY}>", "application/sparql-update"),
    ("POST", "/sparql", f"INSERT DATA {{ GRAPH <{ONTOLOGY}> {{ <urn:x:a> <urn:x:b> <urn:x:c> }} }}",
     "application/sparql-update"),
    ("PUT", store_url(ONTOLOGY), "<urn:x:a> <urn:x:b> <urn:x:c> .", "text/turtle"),
    ("DELETE", store_url(ONTOLOGY), "", "text/turtle"),
])
def test_writes_never_change_the_ontology_graph(service, method, path, body, content_type):
    """Even with the token: the shapes check data against the bundled ontology files."""
    before = dump(service)
    answer = service.post(path, body, content_type, AUTH, method=method)
    message = json.loads(answer.body)["error"]["message"]
    # The remote backend too: it previews DROP ALL over casegraph's own graphs.
    assert (answer.status, "ontology graph" in message) == (403, True), answer.text
    assert dump(service) == before


def test_put_post_delete_a_graph_round_trip(service):
    content = turtle_of(service, WATER)
    created = service.post(store_url(COPY), content, "text/turtle", AUTH, method="PUT")
    assert created.status == 201
    assert Graph().parse(data=turtle_of(service, COPY), format="turtle").isomorphic(
        service.store.graph(URIRef(WATER)))
    extra = f'<{WATER_ORG}> <{RDFS.comment}> "added by the Graph Store test"@en .'
    merged = service.post(store_url(COPY), extra, "application/n-triples", AUTH)
    assert merged.status == 204
    copy = service.store.graph(URIRef(COPY))
    assert (WATER_ORG, RDFS.comment, Literal("added by the Graph Store test", lang="en")) in copy
    assert len(copy) == len(service.store.graph(URIRef(WATER))) + 1
    assert service.post(store_url(COPY), "", "text/turtle", AUTH, method="DELETE").status == 204
    assert service.get(store_url(COPY)).status == 404
    assert service.post(store_url(COPY), "", "text/turtle", AUTH, method="DELETE").status == 404


def test_writes_to_the_default_graph_are_400_explaining_the_union(service):
    for method in ("PUT", "POST", "DELETE"):
        answer = service.post(store_url(None), "<x:a> <x:b> <x:c> .", "application/n-triples",
                              AUTH, method=method)
        assert answer.status == 400
        assert "union" in json.loads(answer.body)["error"]["message"]


def test_a_write_that_breaks_the_shapes_is_422_and_changes_nothing(service):
    before = dump(service)
    # Every organisation needs a zh label: remove them all from the water company.
    update = (f"DELETE {{ GRAPH <{WATER}> {{ <{WATER_ORG}> <{RDFS.label}> ?l }} }} "
              f"WHERE {{ GRAPH <{WATER}> {{ <{WATER_ORG}> <{RDFS.label}> ?l }} }}")
    answer = service.post("/sparql", update, "application/sparql-update", AUTH)
    assert answer.status == 422
    report = json.loads(answer.body)
    assert report["conforms"] is False and report["violations"] >= 1
    as_turtle = service.post("/sparql", update, "application/sparql-update",
                             {**AUTH, "Accept": "text/turtle"})
    assert as_turtle.status == 422
    graph = Graph().parse(data=as_turtle.body, format="turtle")
    assert Literal(False) in set(graph.objects(None, SH.conforms))
    unlabelled = UNLABELLED_ORG
    put = service.post(store_url(WATER), unlabelled, "application/n-triples", AUTH, method="PUT")
    assert put.status == 422
    assert dump(service) == before


def test_a_conforming_update_is_applied(service):
    note = Literal("更新测试", lang="zh-Hans")
    update = f'INSERT DATA {{ GRAPH <{WATER}> {{ <{WATER_ORG}> <{RDFS.comment}> "更新测试"@zh-Hans }} }}'
    form = urllib.parse.urlencode({"update": update})
    answer = service.post("/sparql", form, "application/x-www-form-urlencoded", AUTH)
    assert answer.status == 200
    assert json.loads(answer.body)["changed_graphs"] == [WATER]
    assert (WATER_ORG, RDFS.comment, note) in service.store.graph(URIRef(WATER))
    undo = update.replace("INSERT DATA", "DELETE DATA")
    assert service.post("/sparql", undo, "application/sparql-update", AUTH).status == 200
    assert (WATER_ORG, RDFS.comment, note) not in service.store.graph(URIRef(WATER))


def test_a_body_naming_graphs_is_refused_by_the_graph_store(service):
    trig = f"<{WATER}> {{ <x:a> <x:b> <x:c> }}"
    answer = service.post(store_url(COPY), trig, "application/trig", AUTH, method="PUT")
    assert answer.status == 400


# --- /validate ----------------------------------------------------------------------------


def test_validate_reports_without_storing(memory_service):
    before = dump(memory_service)
    good = turtle_of(memory_service, WATER)
    answer = memory_service.post("/validate", good, "text/turtle")
    assert answer.status == 200 and json.loads(answer.body)["conforms"] is True
    bad = UNLABELLED_ORG
    answer = memory_service.post("/validate", bad, "application/n-triples",
                                 {"Accept": "text/turtle"})
    assert answer.status == 200
    report = Graph().parse(data=answer.body, format="turtle")
    assert Literal(False) in set(report.objects(None, SH.conforms))
    trig = memory_service.post("/validate", f"<{COPY}> {{ {bad} }}", "application/trig")
    assert trig.status == 200
    assert json.loads(trig.body)["conforms"] is False
    assert json.loads(trig.body)["validated"] == [COPY]
    assert dump(memory_service) == before


@pytest.mark.parametrize(
    ("content_type", "body", "line"),
    [("text/turtle", "@prefix x: <http://x/> .\nx:a x:b .", 2),
     ("application/ld+json", '{\n  "@id": "http://a/",\n  "x": }', 3),
     ("application/rdf+xml", '<?xml version="1.0"?>\n<a>\n</b>', 3),
     ("application/n-quads", '<http://a> <http://b> "c"@ .', 1)],
)
def test_malformed_uploads_are_400_with_line_and_column(memory_service, content_type, body,
                                                        line):
    answer = memory_service.post("/validate", body, content_type)
    assert answer.status == 400
    error = json.loads(answer.body)["error"]
    assert error["line"] == line and error["column"] >= 1


def test_validate_refuses_unknown_media_types_and_large_bodies(memory_service):
    assert memory_service.post("/validate", "<p>x</p>", "text/html").status == 415
    big = "<http://a/> <http://b/> \"" + "x" * (70 * 1024) + "\" ."
    assert memory_service.post("/validate", big, "application/n-triples").status == 413


# --- the update's dataset from the Protocol -----------------------------------------------

SEEN = "http://example.org/casegraph-test/seen"


def update(service, text: str, **params):
    query_string = urllib.parse.urlencode(params, doseq=True)
    return service.post(f"/sparql?{query_string}", text, "application/sparql-update", AUTH)


def test_using_named_graph_uri_gives_the_graphs_an_update_matches(service):
    service.store.replace_graphs({URIRef(SEEN): None})  # left by a failed run
    insert = (f"INSERT {{ GRAPH <{SEEN}> {{ ?g <urn:x:seen> true }} }} "
              f"WHERE {{ GRAPH ?g {{ ?case a <https://w3id.org/casegraph/ns#CaseDocument> }} }}")
    answer = update(service, insert, **{"using-named-graph-uri": WATER})
    assert answer.status == 200, answer.text
    assert set(service.store.graph(URIRef(SEEN)).subjects()) == {URIRef(WATER)}
    # DELETE WHERE takes the dataset too (as its long form DELETE { … } USING … WHERE { … }):
    # with another graph as the only named graph it matches nothing.
    delete = f"DELETE WHERE {{ GRAPH <{SEEN}> {{ ?s <urn:x:seen> ?o }} }}"
    assert update(service, delete, **{"using-named-graph-uri": WATER}).status == 200
    assert URIRef(SEEN) in service.store.named_graphs()
    assert update(service, delete, **{"using-named-graph-uri": SEEN}).status == 200
    assert URIRef(SEEN) not in service.store.named_graphs()


def test_using_graph_uri_is_the_default_graph_of_the_where_clause(service):
    service.store.replace_graphs({URIRef(SEEN): None})  # left by a failed run
    insert = f"INSERT {{ GRAPH <{SEEN}> {{ ?org <urn:x:seen> true }} }} WHERE {{ ?org a ?type }}"
    answer = update(service, insert, **{"using-graph-uri": WATER})
    assert answer.status == 200, answer.text
    seen = set(service.store.graph(URIRef(SEEN)).subjects())
    assert WATER_ORG in seen
    assert seen == set(service.store.graph(URIRef(WATER)).subjects(RDF.type))
    assert service.post(store_url(SEEN), "", "text/turtle", AUTH, method="DELETE").status == 204


def test_using_graph_uri_beside_using_or_with_is_400(memory_service):
    for text in (f"WITH <{WATER}> INSERT {{ ?s <urn:x:p> 1 }} WHERE {{ ?s ?p ?o }}",
                 f"INSERT {{ GRAPH <{SEEN}> {{ ?s <urn:x:p> 1 }} }} USING <{WATER}> "
                 "WHERE { ?s ?p ?o }"):
        answer = update(memory_service, text, **{"using-graph-uri": WATER})
        assert answer.status == 400
        assert "give the dataset one way only" in json.loads(answer.body)["error"]["message"]
    bad_iri = update(memory_service, "CLEAR SILENT GRAPH <urn:x:g>",
                     **{"using-graph-uri": "not an iri"})
    assert bad_iri.status == 400


def test_relative_iris_in_an_update_resolve_against_the_dataset_base(service):
    service.store.replace_graphs({URIRef(SEEN): None})  # left by a failed run
    answer = update(service, f"INSERT DATA {{ GRAPH <{SEEN}> {{ <s> <p> <o> }} }}")
    assert answer.status == 200, answer.text
    base = "https://w3id.org/casegraph/id/"
    assert set(service.store.graph(URIRef(SEEN))) == {
        (URIRef(base + "s"), URIRef(base + "p"), URIRef(base + "o"))}
    assert service.post(store_url(SEEN), "", "text/turtle", AUTH, method="DELETE").status == 204


# --- multipart, direct identification, new graphs -----------------------------------------

BOUNDARY = "casegraph-test-boundary"


def multipart(*parts: tuple[str, str | None, str]) -> bytes:
    """A multipart/form-data body of (name, content type or None for a plain field, text)."""
    chunks = []
    for name, content_type, text in parts:
        disposition = f'form-data; name="{name}"'
        head = f"Content-Disposition: {disposition}"
        if content_type is not None:
            head = f'Content-Disposition: {disposition}; filename="{name}"\r\n' \
                   f"Content-Type: {content_type}"
        chunks.append(f"--{BOUNDARY}\r\n{head}\r\n\r\n{text}\r\n")
    return ("".join(chunks) + f"--{BOUNDARY}--\r\n").encode("utf-8")


def test_a_multipart_post_merges_every_part(service):
    service.store.replace_graphs({URIRef(SEEN): None})  # left by a failed run
    body = multipart(("given.ttl", "text/turtle", '<urn:x:p1> <urn:x:given> "Ann" .'),
                     ("family.nt", "application/n-triples", '<urn:x:p1> <urn:x:family> "Lee" .'))
    answer = service.post(store_url(SEEN), body, f"multipart/form-data; boundary={BOUNDARY}",
                          AUTH)
    assert answer.status == 201, answer.text
    assert {str(o) for o in service.store.graph(URIRef(SEEN)).objects()} == {"Ann", "Lee"}
    assert service.post(store_url(SEEN), "", "text/turtle", AUTH, method="DELETE").status == 204


def test_a_multipart_part_without_rdf_is_refused_naming_the_part(memory_service):
    content_type = f"multipart/form-data; boundary={BOUNDARY}"
    image = multipart(("photo.png", "image/png", "not rdf"))
    answer = memory_service.post(store_url(SEEN), image, content_type, AUTH)
    assert answer.status == 415 and "photo.png" in json.loads(answer.body)["error"]["message"]
    broken = multipart(("bad.ttl", "text/turtle", "<urn:x:a> <urn:x:b> ."))
    answer = memory_service.post(store_url(SEEN), broken, content_type, AUTH)
    assert answer.status == 400 and "bad.ttl" in json.loads(answer.body)["error"]["message"]
    field = multipart(("note", None, "<urn:x:a> <urn:x:b> <urn:x:c> ."))
    assert memory_service.post(store_url(SEEN), field, content_type, AUTH).status == 400
    assert URIRef(SEEN) not in memory_service.store.named_graphs()


def test_a_graph_addressed_directly_by_its_url(service):
    path = "/store/casegraph-test/people"
    triple = "<urn:x:p1> <urn:x:name> \"Ann\" ."
    assert service.post(path, triple, "application/n-triples", AUTH, method="PUT").status == 201
    graph_iri = URIRef(service.url + path)
    assert graph_iri in service.store.named_graphs()
    answer = service.get(path, {"Accept": "application/n-triples"})
    assert answer.status == 200 and "Ann" in answer.text
    assert service.get(store_url(str(graph_iri))).status == 200
    assert service.get(path + "?default").status == 400
    assert service.post(path, "", "text/turtle", AUTH, method="DELETE").status == 204
    assert service.get(path).status == 404


def test_post_to_the_store_creates_a_new_graph(service):
    answer = service.post("/store", "<urn:x:p1> <urn:x:name> \"Ann\" .", "text/turtle", AUTH)
    assert answer.status == 201
    location = answer.header("Location")
    assert location.startswith(service.url + "/store/")
    assert URIRef(location) in service.store.named_graphs()
    assert service.get(location[len(service.url):]).status == 200
    assert service.post(store_url(location), "", "text/turtle", AUTH,
                        method="DELETE").status == 204
