"""``/sparql``: the SPARQL 1.1 Query and Update Protocol, and the Service Description.

* Queries: ``GET ?query=``, ``POST`` with ``application/sparql-query``, or ``POST``
  form ``query=``; ``default-graph-uri`` / ``named-graph-uri`` name graphs of the
  store (never URLs to fetch).  Without them the **default graph is the union of
  all named graphs** (every case graph and the ontology graph).
* Results: SELECT/ASK as SPARQL JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE as
  Turtle, N-Triples, JSON-LD, RDF/XML, TriG or N-Quads — by ``Accept`` (q-values
  honoured) or ``format=``.  A SELECT cut at ``max_result_rows`` says so in the
  ``X-Casegraph-Truncated: true`` header and, in JSON, a top-level ``casegraph`` key.
* Updates: ``POST`` form ``update=`` or ``application/sparql-update``, with
  ``Authorization: Bearer <token>``; they are validated against the SHACL shapes
  before anything is stored (see :mod:`casegraph.web.writes`).
* ``GET /sparql`` without a query: the Service Description (RDF, by Accept).

Every query and update is analysed by :mod:`casegraph.sparql_safety` first.
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, VOID

from casegraph.formats import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    Format,
    format_for_media_type,
    format_for_name,
    offered_media_types,
    serialize_graph,
    serialize_result,
)
from casegraph.sparql_safety import LazyGraphNames, SafetyPolicy, check_query
from casegraph.web import current_settings, current_store
from casegraph.web.errors import ApiError
from casegraph.web.negotiation import NotAcceptable, best_media_type
from casegraph.web.writes import apply_update

bp = Blueprint("sparql", __name__)

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
W3C_FORMATS = Namespace("http://www.w3.org/ns/formats/")
_FORMAT_IRIS = {
    "json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "ntriples": "N-Triples",
    "jsonld": "JSON-LD", "rdfxml": "RDF_XML", "trig": "TriG", "nquads": "N-Quads",
}
_FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"


@bp.route("/sparql", methods=["GET", "POST"])
def sparql_endpoint():
    query, update = _operation()
    if update is not None:
        return apply_update(update)
    if query is None:
        return service_description()
    return answer_query(query)


def _operation() -> tuple[str | None, str | None]:
    """The query or the update text of the request, per the protocol's three forms."""
    if request.method == "GET":
        if "update" in request.args:
            raise ApiError(400, "updates must be sent with POST (form field update= or "
                                "Content-Type application/sparql-update)")
        return _single(request.args, "query"), None
    media_type = (request.mimetype or "").lower()
    if media_type == "application/sparql-query":
        return _body_text(), None
    if media_type == "application/sparql-update":
        return None, _body_text()
    if media_type in {_FORM_MEDIA_TYPE, "multipart/form-data"}:
        query, update = _single(request.form, "query"), _single(request.form, "update")
        if query is not None and update is not None:
            raise ApiError(400, "send either query= or update=, not both")
        if query is None and update is None:
            raise ApiError(400, "the form has neither a query= nor an update= field")
        return query, update
    raise ApiError(
        415,
        f"Content-Type {request.mimetype or '(none)'!r} is not a SPARQL request; send "
        "application/sparql-query, application/sparql-update or a form "
        f"({_FORM_MEDIA_TYPE}) with query= or update=",
    )


def _single(fields, name: str) -> str | None:
    """The one value of a protocol parameter; the protocol allows no more than one."""
    values = fields.getlist(name)
    if len(values) > 1:
        raise ApiError(400, f"{len(values)} {name}= parameters: send exactly one operation")
    return values[0] if values else None


def _body_text() -> str:
    charset = request.mimetype_params.get("charset", "utf-8")
    if charset.lower().replace("-", "") != "utf8":
        # The protocol requires UTF-8 for direct POST bodies.
        raise ApiError(415, f"charset={charset} is not accepted: send the body as UTF-8")
    try:
        return request.get_data(cache=False).decode(charset)
    except (LookupError, UnicodeDecodeError) as error:
        raise ApiError(400, f"the request body is not valid {charset}: {error}") from None


def safety_policy() -> SafetyPolicy:
    settings = current_settings()
    return SafetyPolicy(
        known_graphs=LazyGraphNames(current_store().named_graphs),
        service_allowlist=SafetyPolicy.parse_allowlist(settings.service_allowlist),
    )


def answer_query(text: str) -> Response:
    settings = current_settings()
    policy = safety_policy()
    checked = check_query(text, policy)
    default_graphs = _protocol_graphs("default-graph-uri", policy)
    named_graphs = _protocol_graphs("named-graph-uri", policy)
    if not default_graphs and not named_graphs:
        # The protocol's dataset overrides the query's; otherwise FROM / FROM NAMED
        # (already checked to name graphs of the store) become the dataset, the same
        # way on every backend.
        default_graphs, named_graphs = checked.from_graphs, checked.from_named_graphs
    returns_graph = checked.form in {"CONSTRUCT", "DESCRIBE"}
    fmt = choose_format(GRAPH_FORMATS if returns_graph else RESULT_FORMATS)
    result = current_store().query(
        checked.text,
        default_graph_uris=default_graphs,
        named_graph_uris=named_graphs,
        timeout=settings.query_timeout,
        max_rows=settings.max_result_rows,
    )
    if result.kind == "graph":
        body = serialize_graph(result.triples, fmt)
    else:
        body = serialize_result(result, fmt, row_limit=settings.max_result_rows)
    response = Response(body, content_type=f"{fmt.media_type}; charset=utf-8")
    response.headers["Vary"] = "Accept"
    if result.truncated:
        response.headers["X-Casegraph-Truncated"] = "true"
    return response


def _protocol_graphs(parameter: str, policy: SafetyPolicy) -> list[str]:
    """``default-graph-uri``/``named-graph-uri`` values.

    A graph the store does not hold is an empty graph, as in every SPARQL store:
    the stores are opened so that they never fetch a graph by its IRI.
    """
    source = request.form if request.mimetype == _FORM_MEDIA_TYPE else {}
    return request.args.getlist(parameter) + (source.getlist(parameter) if source else [])


def choose_format(formats: tuple[Format, ...]) -> Format:
    """``format=`` if given, else the best match for ``Accept``; 406 when none fits."""
    requested = request.args.get("format") or request.form.get("format")
    if requested:
        fmt = format_for_name(requested, formats)
        if fmt is None:
            names = ", ".join(f.name for f in formats)
            raise ApiError(406, f"format={requested!r} is not available for this request; "
                                f"use one of: {names}")
        return fmt
    media_type = best_media_type(request.headers.get("Accept"), offered_media_types(formats))
    fmt = format_for_media_type(media_type, formats)
    if fmt is None:  # pragma: no cover - best_media_type only returns offered types
        raise NotAcceptable(offered_media_types(formats))
    return fmt


def service_description() -> Response:
    """SPARQL 1.1 Service Description of this endpoint, linking the VoID description."""
    settings = current_settings()
    store = current_store()
    endpoint = URIRef(request.base_url)
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("void", VOID)
    graph.bind("dcterms", DCTERMS)
    graph.add((endpoint, RDF.type, SD.Service))
    graph.add((endpoint, SD.endpoint, endpoint))
    graph.add((endpoint, SD.supportedLanguage, SD.SPARQL11Query))
    if settings.update_token:
        graph.add((endpoint, SD.supportedLanguage, SD.SPARQL11Update))
    graph.add((endpoint, SD.feature, SD.UnionDefaultGraph))
    if settings.service_allowlist:
        graph.add((endpoint, SD.feature, SD.BasicFederatedQuery))
    for fmt in RESULT_FORMATS + GRAPH_FORMATS:
        graph.add((endpoint, SD.resultFormat, W3C_FORMATS[_FORMAT_IRIS[fmt.name]]))
    void_document = URIRef(request.url_root + "void")
    graph.add((endpoint, RDFS.seeAlso, void_document))
    dataset = BNode()
    graph.add((endpoint, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, RDFS.seeAlso, void_document))
    default_graph = BNode()
    graph.add((dataset, SD.defaultGraph, default_graph))
    graph.add((default_graph, RDF.type, SD.Graph))
    graph.add((default_graph, DCTERMS.description, Literal(
        "The default graph is the union of all named graphs: every case graph and the "
        "ontology graph.", lang="en")))
    for name in store.named_graphs():
        named, described = BNode(), BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, name))
        graph.add((named, SD.graph, described))
        graph.add((described, RDF.type, SD.Graph))
        graph.add((described, VOID.triples, Literal(store.triple_count(name))))
    fmt = choose_format(GRAPH_FORMATS)
    response = Response(serialize_graph(graph, fmt),
                        content_type=f"{fmt.media_type}; charset=utf-8")
    response.headers["Vary"] = "Accept"
    return response
