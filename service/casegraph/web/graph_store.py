"""``/store``: the SPARQL 1.1 Graph Store HTTP Protocol over the named graphs.

``?graph=<iri>`` addresses one named graph; ``?default`` the default graph, which
is the **union of all named graphs** — readable (GET/HEAD) but not writable: a
write to it could not say which case graph a triple belongs to, so PUT/POST/DELETE
on ``?default`` are refused with 400.

GET/HEAD answer in Turtle, N-Triples, JSON-LD, RDF/XML, TriG or N-Quads by
Accept (or ``format=``).  PUT replaces a graph (201 when it is new, 204
otherwise), POST merges into it, DELETE drops it (404 when absent).  Writes need
the bearer token and pass the SHACL check first (see :mod:`casegraph.web.writes`).
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from rdflib import Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from casegraph.formats import GRAPH_FORMATS, serialize_graph
from casegraph.rdf_input import parse_upload, upload_format
from casegraph.web import current_store
from casegraph.web.errors import ApiError
from casegraph.web.sparql import choose_format
from casegraph.web.writes import replace_graphs, require_write_access

bp = Blueprint("graph_store", __name__)

DEFAULT_GRAPH_NOT_WRITABLE = (
    "the default graph is the union of all named graphs and cannot be written: "
    "address a named graph with ?graph=<iri>"
)


@bp.route("/store", methods=["GET", "HEAD"])
def read_graph():
    fmt = choose_format(GRAPH_FORMATS)
    target = _target()
    store = current_store()
    if target is None:
        graph = Graph()
        for name in store.named_graphs():
            graph += store.graph(name)
    else:
        if target not in store.named_graphs():
            raise ApiError(404, f"the store has no graph <{target}>")
        graph = store.graph(target)
    body = serialize_graph(graph, fmt)
    response = Response(body if request.method == "GET" else b"",
                        content_type=f"{fmt.media_type}; charset=utf-8")
    response.headers["Vary"] = "Accept"
    if request.method == "HEAD":
        response.headers["Content-Length"] = str(len(body))
    return response


@bp.route("/store", methods=["PUT", "POST"])
def write_graph():
    require_write_access()
    target = _writable_target()
    incoming = _uploaded_graph(target)
    store = current_store()
    existed = target in store.named_graphs()
    if request.method == "POST" and existed:
        merged = store.graph(target)
        for triple in incoming:
            merged.add(triple)
        incoming = merged
    replace_graphs({target: incoming})
    response = Response(status=204 if existed else 201)
    if not existed:
        response.headers["Location"] = request.url
    return response


@bp.route("/store", methods=["DELETE"])
def delete_graph():
    require_write_access()
    target = _writable_target()
    if target not in current_store().named_graphs():
        raise ApiError(404, f"the store has no graph <{target}>")
    replace_graphs({target: None})
    return Response(status=204)


def _target() -> URIRef | None:
    """The addressed graph; ``None`` for ``?default``; 400 for neither or both."""
    graph = request.args.get("graph")
    if graph is not None and "default" in request.args:
        raise ApiError(400, "give either ?graph=<iri> or ?default, not both")
    if graph is None and "default" not in request.args:
        raise ApiError(400, "address a graph with ?graph=<iri> or ?default")
    if graph is None:
        return None
    if not graph.strip() or any(c in graph for c in ' <>"{}|^`\\'):
        raise ApiError(400, f"graph={graph!r} is not an absolute IRI")
    if ":" not in graph:
        raise ApiError(400, f"graph={graph!r} is not an absolute IRI (it has no scheme)")
    return URIRef(graph)


def _writable_target() -> URIRef:
    target = _target()
    if target is None:
        raise ApiError(400, DEFAULT_GRAPH_NOT_WRITABLE)
    return target


def _uploaded_graph(target: URIRef) -> Graph:
    fmt = upload_format(request.content_type)
    dataset = parse_upload(request.get_data(cache=False), fmt, base_iri=str(target))
    named = [g.identifier for g in dataset.graphs()
             if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g)]
    if named:
        raise ApiError(400, f"the body names graphs ({', '.join(sorted(named))}); the Graph "
                            "Store Protocol takes the content of ONE graph — send Turtle or "
                            "N-Triples, or TriG/N-Quads with only default-graph triples")
    graph = Graph()
    for triple in dataset.graph(DATASET_DEFAULT_GRAPH_ID):
        graph.add(triple)
    return graph
