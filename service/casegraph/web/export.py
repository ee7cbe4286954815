"""Downloads: the dataset, one case, the ontology, the shapes, and a VoID description.

Every download streams (a generator over the store's ``dump``) and says
``Content-Disposition: attachment`` with a file name; none is built whole in
memory by this module.  The union Turtle/N-Triples downloads are the store's
merge of the graphs (each distinct triple once, as the default graph of a query).

Two counts are shown, each saying what it counts: the distinct triples of the
merge (what ``COUNT(*)`` over the default graph answers; VoID's ``void:triples``
of the dataset) and the statements in the case graphs (a triple that three cases
restate counts three times; the sum of the graphs' ``void:triples``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from flask import Blueprint, Response, abort, render_template, request, stream_with_context
from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, VOID

from casegraph import paths
from casegraph.rdf.formats import canonical_tags
from casegraph.rdf.terms import SD
from casegraph.web.context import current_settings, current_store
from casegraph.web.term_view import (
    Labeller,
    html_or_json,
    rdf_response,
    requested_format,
    run_fixed,
)

bp = Blueprint("export", __name__)


#: name -> (media type, whether the dump holds named graphs)
DATASET_FORMATS = {
    "ttl": ("text/turtle", False),
    "nt": ("application/n-triples", False),
    "trig": ("application/trig", True),
    "nq": ("application/n-quads", True),
    "jsonld": ("application/ld+json", True),
}


def ontology_graph_iri() -> URIRef:
    return URIRef(current_settings().base_iri + "graph/ontology")


def case_graph_iri(slug: str) -> URIRef:
    return URIRef(f"{current_settings().base_iri}graph/case/{slug}")


def _download(chunks: Iterator[bytes], media_type: str, filename: str) -> Response:
    """A streamed download; language tags spelled in BCP 47 case whatever the store keeps."""
    response = Response(stream_with_context(canonical_tags(chunks)), mimetype=media_type)
    response.headers["Content-Disposition"] = f"attachment; filename={filename}"
    return response


def _union(media_type: str) -> Iterator[bytes]:
    yield from current_store().dump(media_type)


def _json_ld_dataset() -> Iterator[bytes]:
    """Expanded JSON-LD, one ``{"@id": graph, "@graph": […]}`` object per named graph."""
    store = current_store()
    yield b"[\n"
    for i, iri in enumerate(store.named_graphs()):
        nodes = json.loads(store.graph(iri).serialize(format="json-ld"))
        separator = ",\n" if i else ""
        yield (separator + json.dumps({"@id": str(iri), "@graph": nodes},
                                      ensure_ascii=False)).encode("utf-8")
    yield b"\n]\n"


@bp.get("/export")
def export_page():
    cases = run_fixed("case_documents").dicts()
    labeller = Labeller()
    labeller.fetch([row["doc"] for row in cases])
    store = current_store()
    listed = [
        {
            "slug": str(row["graph"]).rsplit("/", 1)[-1],
            "doc": labeller.view(row["doc"]),
            "title": str(row.get("title", "")),
            "triples": store.triple_count(row["graph"]),
        }
        for row in cases
        if str(row["graph"]).startswith(current_settings().base_iri + "graph/case/")
    ]
    total = store.triple_count()
    merged = store.merged_triple_count()
    return html_or_json(
        lambda: render_template("export.html", formats=DATASET_FORMATS, cases=listed,
                                total=total, merged=merged),
        lambda: {
            "triples": merged,
            "statements": total,
            "dataset": [
                {"href": f"/export/dataset.{name}", "media_type": media,
                 "file_name": f"casegraph.{name}", "named_graphs": with_graphs}
                for name, (media, with_graphs) in DATASET_FORMATS.items()
            ],
            "schema": [
                {"href": "/export/ontology.ttl", "media_type": "text/turtle",
                 "file_name": "casegraph-ontology.ttl"},
                {"href": "/export/shapes.ttl", "media_type": "text/turtle",
                 "file_name": "casegraph-shapes.ttl"},
            ],
            "void": "/void",
            "cases": [
                {"slug": c["slug"], "case": c["doc"].text, "title": c["title"],
                 "triples": c["triples"], "href": f"/export/case/{c['slug']}.ttl",
                 "media_type": "text/turtle", "file_name": f"{c['slug']}.ttl"}
                for c in listed
            ],
        },
    )


@bp.get("/export/dataset.<fmt>")
def dataset(fmt: str):
    if fmt not in DATASET_FORMATS:
        abort(404, description=f"no dataset export as .{fmt}; use one of {list(DATASET_FORMATS)}")
    media_type, with_graphs = DATASET_FORMATS[fmt]
    if fmt == "jsonld":
        chunks = _json_ld_dataset()
    elif with_graphs:
        chunks = current_store().dump(media_type)
    else:
        chunks = _union(media_type)
    return _download(chunks, media_type, f"casegraph.{fmt}")


@bp.get("/export/case/<slug>.ttl")
def case_turtle(slug: str):
    iri = case_graph_iri(slug)
    if not current_store().has_graph(iri):
        abort(404, description=f"no case graph <{iri}>")
    return _download(current_store().dump("text/turtle", iri), "text/turtle", f"{slug}.ttl")


@bp.get("/export/ontology.ttl")
def ontology_turtle():
    iri = ontology_graph_iri()
    return _download(current_store().dump("text/turtle", iri), "text/turtle",
                     "casegraph-ontology.ttl")


@bp.get("/export/shapes.ttl")
def shapes_turtle():
    files = paths.shapes_files()
    if not files:
        abort(404, description="no shapes files in shapes/")

    def chunks() -> Iterator[bytes]:
        for path in files:
            yield path.read_bytes()
            yield b"\n"

    return _download(chunks(), "text/turtle", "casegraph-shapes.ttl")


@bp.get("/void")
def void_description():
    """VoID: triples per named graph, entities per class, where to download and query."""
    fmt = requested_format(default="ttl")
    if fmt is None or fmt == "html":
        fmt = "ttl"
    root = request.url_root.rstrip("/")
    dataset_iri = URIRef(root + "/void#dataset")
    store = current_store()
    graph = Graph()
    graph.bind("void", VOID)
    graph.bind("sd", SD)
    graph.add((dataset_iri, RDF.type, VOID.Dataset))
    graph.add((dataset_iri, DCTERMS.title, Literal("casegraph", lang="en")))
    graph.add((dataset_iri, VOID.triples,
               Literal(store.merged_triple_count(), datatype=XSD.integer)))
    graph.add((dataset_iri, VOID.uriSpace, Literal(current_settings().base_iri)))
    graph.add((dataset_iri, VOID.sparqlEndpoint, URIRef(root + "/sparql")))
    for fmt_name in ("trig", "nq"):
        graph.add((dataset_iri, VOID.dataDump, URIRef(f"{root}/export/dataset.{fmt_name}")))
    graph.add((dataset_iri, VOID.vocabulary, URIRef("https://w3id.org/casegraph/ns#")))
    for iri in store.named_graphs():
        graph.add((dataset_iri, VOID.subset, iri))
        graph.add((iri, RDF.type, VOID.Dataset))
        graph.add((iri, SD.name, iri))
        graph.add((iri, VOID.triples, Literal(store.triple_count(iri), datatype=XSD.integer)))
    for i, row in enumerate(run_fixed("void_class_partitions").dicts()):
        partition = URIRef(f"{root}/void#class-{i + 1}")
        graph.add((dataset_iri, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], row["class"]))
        graph.add((partition, VOID.entities, Literal(int(row["entities"]),
                                                      datatype=XSD.integer)))
    return rdf_response(graph, fmt)
