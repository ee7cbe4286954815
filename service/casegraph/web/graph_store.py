"""``/store``: the SPARQL 1.1 Graph Store HTTP Protocol over the named graphs.

A graph is addressed indirectly, ``/store?graph=<iri>``, or directly: the graph
whose IRI is the request URL itself, ``/store/<path>`` (so
``http://host/store/people/1`` is the graph ``<http://host/store/people/1>``).
``?default`` is the default graph, which is the **union of all named graphs** —
readable (GET/HEAD) but not writable: a write to it could not say which case
graph a triple belongs to, so PUT/POST/DELETE on ``?default`` are refused with 400.

GET/HEAD answer in Turtle, N-Triples, JSON-LD, RDF/XML, TriG or N-Quads by
Accept (or ``format=``).  PUT replaces a graph (201 when it is new, 204
otherwise), POST merges into it — the body in one RDF syntax, or
``multipart/form-data`` whose parts are RDF documents, each with its own
Content-Type — and DELETE drops it (404 when absent).  POST to ``/store``
itself creates a new graph ``/store/<id>`` (201, ``Location`` is its IRI).
Writes need the bearer token and pass the SHACL check first (see
:mod:`casegraph.web.writes`).
"""

from __future__ import annotations

import uuid

from flask import Blueprint, Response, request
from rdflib import Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from casegraph.errors import DataRefused, DataSyntaxError, UnsupportedMediaType
from casegraph.rdf.formats import GRAPH_FORMATS, serialize_graph
from casegraph.rdf.uploads import upload_format
from casegraph.web.context import choose_format, current_store, time_left
from casegraph.web.errors import ApiError
from casegraph.web.writes import require_write_access, write_graphs

bp = Blueprint("graph_store", __name__)

DEFAULT_GRAPH_NOT_WRITABLE = (
    "the default graph is the union of all named graphs and cannot be written: "
    "address a named graph with ?graph=<iri>"
)


@bp.route("/store", methods=["GET", "HEAD"])
def read_graph():
    return _read(_target())


@bp.route("/store/<path:graph_path>", methods=["GET", "HEAD"])
def read_direct_graph(graph_path: str):
    return _read(_direct_target())


@bp.route("/store", methods=["PUT", "POST"])
def write_graph():
    require_write_access()
    if request.method == "POST" and "graph" not in request.args and "default" not in request.args:
        return _write(URIRef(f"{request.url_root}store/{uuid.uuid4().hex}"), new_graph=True)
    return _write(_writable_target())


@bp.route("/store/<path:graph_path>", methods=["PUT", "POST"])
def write_direct_graph(graph_path: str):
    require_write_access()
    return _write(_direct_target())


@bp.route("/store", methods=["DELETE"])
def delete_graph():
    require_write_access()
    return _delete(_writable_target())


@bp.route("/store/<path:graph_path>", methods=["DELETE"])
def delete_direct_graph(graph_path: str):
    require_write_access()
    return _delete(_direct_target())


def _read(target: URIRef | None) -> Response:
    fmt = choose_format(GRAPH_FORMATS)
    store = current_store()
    if target is None:
        graph = Graph()
        for name in store.named_graphs():
            graph += store.graph(name)
    else:
        if not store.has_graph(target):
            raise ApiError(404, f"the store has no graph <{target}>")
        graph = store.graph(target)
    body = serialize_graph(graph, fmt)
    response = Response(body if request.method == "GET" else b"",
                        content_type=f"{fmt.media_type}; charset=utf-8")
    response.headers["Vary"] = "Accept"
    if request.method == "HEAD":
        response.headers["Content-Length"] = str(len(body))
    return response


def _write(target: URIRef, *, new_graph: bool = False) -> Response:
    incoming = _uploaded_graph(target)
    store = current_store()
    existed = store.has_graph(target)
    if request.method == "POST" and existed:
        merged = store.graph(target)
        for triple in incoming:
            merged.add(triple)
        incoming = merged
    write_graphs({target: incoming})
    response = Response(status=204 if existed else 201)
    if not existed:
        response.headers["Location"] = str(target) if new_graph else request.url
    return response


def _delete(target: URIRef) -> Response:
    if not current_store().has_graph(target):
        raise ApiError(404, f"the store has no graph <{target}>")
    write_graphs({target: None})
    return Response(status=204)


def _direct_target() -> URIRef:
    """The graph a direct request names: the request URL without its query."""
    if "graph" in request.args or "default" in request.args:
        raise ApiError(400, "a graph URL (/store/<path>) names its graph itself: drop "
                            "?graph= / ?default, or send them to /store")
    return URIRef(request.base_url)


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
    """The triples of the body, or of every part of a multipart/form-data POST."""
    if request.method == "POST" and request.mimetype == "multipart/form-data":
        if request.form:
            raise ApiError(400, f"form fields {', '.join(sorted(request.form))} carry no "
                                "media type: send each RDF document as a file part with "
                                "its Content-Type")
        parts = list(request.files.items(multi=True))
        if not parts:
            raise ApiError(400, "the multipart/form-data body has no parts")
        graph = Graph()
        for name, part in parts:
            try:
                graph += _default_graph(part.read(), part.content_type, target)
            except DataSyntaxError as error:  # say which part the line and column are in
                raise DataSyntaxError(f"part {name!r}: {error}", error.line,
                                      error.column) from None
            except (DataRefused, UnsupportedMediaType) as error:
                raise type(error)(f"part {name!r}: {error}") from None
            except ApiError as error:
                raise ApiError(error.status, f"part {name!r}: {error.message}") from None
        return graph
    return _default_graph(request.get_data(cache=False), request.content_type, target)


def _default_graph(data: bytes, content_type: str | None, target: URIRef) -> Graph:
    dataset = current_store().parse_upload(data, upload_format(content_type),
                                           base_iri=str(target), timeout=time_left())
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
