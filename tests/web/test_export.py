"""Downloads: every export streams with a file name, and round-trips to the store's content."""

from __future__ import annotations

import json

import pytest
from rdflib import RDF, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from tests.web.bundled_app import bundled_memory_store, memory_client

VOID = Namespace("http://rdfs.org/ns/void#")
CG = Namespace("https://w3id.org/casegraph/ns#")


@pytest.fixture(scope="module")
def store():
    return bundled_memory_store()


@pytest.fixture(scope="module")
def client(store):
    return memory_client(store)


@pytest.mark.parametrize(
    ("path", "media_type", "filename"),
    [
        ("/export/dataset.ttl", "text/turtle", "casegraph.ttl"),
        ("/export/dataset.nt", "application/n-triples", "casegraph.nt"),
        ("/export/dataset.trig", "application/trig", "casegraph.trig"),
        ("/export/dataset.nq", "application/n-quads", "casegraph.nq"),
        ("/export/dataset.jsonld", "application/ld+json", "casegraph.jsonld"),
        ("/export/case/jinan-water-group.ttl", "text/turtle", "jinan-water-group.ttl"),
        ("/export/ontology.ttl", "text/turtle", "casegraph-ontology.ttl"),
        ("/export/shapes.ttl", "text/turtle", "casegraph-shapes.ttl"),
    ],
)
def test_downloads_stream_with_media_type_and_file_name(client, path, media_type, filename):
    response = client.get(path)
    assert response.status_code == 200
    assert response.is_streamed
    assert response.mimetype == media_type
    assert response.headers["Content-Disposition"] == f"attachment; filename={filename}"
    assert response.get_data()


def _tags_folded(graph: Graph) -> Graph:
    """The graph with language tags lower-cased: RDF compares tags case-insensitively
    (the export writes ``zh-Hans``, Oxigraph keeps ``zh-hans``); rdflib does not."""
    out = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and o.language:
            o = Literal(str(o), lang=o.language.lower())
        out.add((s, p, o))
    return out


def test_trig_export_holds_the_same_quads_as_the_store(client, store):
    dataset = Dataset()
    dataset.parse(data=client.get("/export/dataset.trig").get_data(as_text=True), format="trig")
    exported = {g.identifier: g for g in dataset.graphs() if len(g)}
    assert set(exported) == set(store.named_graphs())
    for iri in store.named_graphs():
        assert isomorphic(_tags_folded(exported[iri]), _tags_folded(store.graph(iri))), iri


def test_nquads_and_json_ld_exports_count_every_quad(client, store):
    nquads = Dataset()
    nquads.parse(data=client.get("/export/dataset.nq").get_data(as_text=True), format="nquads")
    assert sum(len(g) for g in nquads.graphs()) == store.triple_count()
    document = json.loads(client.get("/export/dataset.jsonld").get_data(as_text=True))
    assert {entry["@id"] for entry in document} == {str(g) for g in store.named_graphs()}
    jsonld = Dataset()
    jsonld.parse(data=json.dumps(document), format="json-ld")
    assert sum(len(g) for g in jsonld.graphs()) == store.triple_count()


def test_union_turtle_is_the_merge_of_the_graphs(client, store):
    union = Graph().parse(data=client.get("/export/dataset.ttl").get_data(as_text=True),
                          format="turtle")
    merged = Graph()
    for iri in store.named_graphs():
        for triple in store.graph(iri):
            merged.add(triple)
    assert len(union) == len(merged)
    assert len(union) == store.merged_triple_count()


def test_one_case_export_is_that_case_graph(client, store):
    iri = URIRef("https://w3id.org/casegraph/id/graph/case/jinan-water-group")
    graph = Graph().parse(data=client.get("/export/case/jinan-water-group.ttl").get_data(
        as_text=True), format="turtle")
    assert isomorphic(_tags_folded(graph), _tags_folded(store.graph(iri)))
    assert client.get("/export/case/no-such-case.ttl").status_code == 404
    assert client.get("/export/dataset.zip").status_code == 404


def test_void_counts_triples_per_graph_and_entities_per_class(client, store):
    void = Graph().parse(data=client.get("/void").get_data(as_text=True), format="turtle")
    (dataset,) = set(void.subjects(VOID.subset, None))
    assert int(void.value(dataset, VOID.triples)) == store.merged_triple_count()
    assert store.merged_triple_count() < store.triple_count()  # the cases restate triples
    for iri in store.named_graphs():
        assert (dataset, VOID.subset, iri) in void
        assert void.value(iri, VOID.triples) == Literal(store.triple_count(iri))
    case_documents = {
        s for iri in store.named_graphs() for s in store.graph(iri).subjects(RDF.type,
                                                                             CG.CaseDocument)
    }
    partitions = {void.value(p, VOID["class"]): int(void.value(p, VOID.entities))
                  for p in void.objects(dataset, VOID.classPartition)}
    assert partitions[CG.CaseDocument] == len(case_documents)


def test_export_page_links_every_download(client, store):
    html = client.get("/export").get_data(as_text=True)
    for name in ("ttl", "nt", "trig", "nq", "jsonld"):
        assert f'href="/export/dataset.{name}"' in html
    case_graphs = [g for g in store.named_graphs() if "/graph/case/" in str(g)]
    assert html.count('href="/export/case/') == len(case_graphs)
