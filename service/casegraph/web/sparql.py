"""``/sparql``: the SPARQL 1.1 Query and Update Protocol, and the Service Description.

* Queries: ``GET ?query=``, ``POST`` with ``application/sparql-query``, or ``POST``
  form ``query=``; ``default-graph-uri`` / ``named-graph-uri`` name graphs of the
  store (never URLs to fetch).  Without them (and without FROM / FROM NAMED) the
  **default graph is the union of all named graphs** (every case graph and the
  ontology graph) and every named graph can be matched by ``GRAPH``.  A dataset
  that names only named graphs has an empty default graph, one that names only
  default graphs has no named graphs (Protocol §2.1.4, Query §13.2).
* Relative IRIs resolve against the dataset's base IRI (see :mod:`casegraph.web.base_iri`).
* Results: SELECT as SPARQL JSON, XML, CSV or TSV, ASK as JSON or XML (CSV and
  TSV have no boolean form: 406); CONSTRUCT/DESCRIBE as
  Turtle, N-Triples, JSON-LD, RDF/XML, TriG or N-Quads — by ``Accept`` (q-values
  honoured) or ``format=``.  A SELECT cut at ``max_result_rows`` says so in the
  ``X-Casegraph-Truncated: true`` header and, in JSON, a top-level ``casegraph`` key.
  Results holding characters XML 1.0 cannot carry (U+0001 …) are 406 in the XML
  formats, naming the formats that can carry them.
* Updates: ``POST`` form ``update=`` or ``application/sparql-update``, with
  ``Authorization: Bearer <token>``; they are validated against the SHACL shapes
  before anything is stored (see :mod:`casegraph.web.writes`).
* ``GET /sparql`` without a query: the Service Description (RDF, by Accept).

Every query and update is analysed by :mod:`casegraph.sparql.safety` first — by the
store (``Store.check_query``), which for the embedded store means in a confined worker
process: this process never parses a client's text.  CONSTRUCT and DESCRIBE answers are
cut at ``max_result_rows`` triples like SELECT rows, with the same header.
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, request
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, VOID

from casegraph.rdf.formats import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    Format,
    serialize_graph,
    serialize_result,
)
from casegraph.rdf.results import QueryResult
from casegraph.rdf.terms import SD
from casegraph.store.base import QueryRequest
from casegraph.web.base_iri import client_positions, with_base
from casegraph.web.context import (
    choose_format,
    current_settings,
    current_store,
    safety_policy,
    time_left,
)
from casegraph.web.errors import ApiError
from casegraph.web.writes import run_update

bp = Blueprint("sparql", __name__)

W3C_FORMATS = Namespace("http://www.w3.org/ns/formats/")
_FORMAT_IRIS = {
    "json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "ntriples": "N-Triples",
    "jsonld": "JSON-LD", "rdfxml": "RDF_XML", "trig": "TriG", "nquads": "N-Quads",
}
_FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"
#: ASK answers in these only: SPARQL CSV and TSV define no boolean result.
BOOLEAN_FORMATS = tuple(f for f in RESULT_FORMATS if f.name in {"json", "xml"})
_XML_FORMATS = {"xml", "rdfxml"}
#: Characters XML 1.0 cannot carry, not even as character references.
_NOT_XML_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@bp.route("/sparql", methods=["GET", "POST"])
def sparql_endpoint():
    query, update = _operation()
    if update is not None:
        return run_update(update)
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


def answer_query(text: str) -> Response:
    settings = current_settings()
    policy = safety_policy()
    store = current_store()
    with client_positions():
        checked = store.check_query(with_base(text, settings.base_iri), policy,
                                    timeout=time_left())
    default_graphs, named_graphs = _dataset(checked.from_graphs, checked.from_named_graphs)
    if checked.form in {"CONSTRUCT", "DESCRIBE"}:
        fmt = choose_format(GRAPH_FORMATS)
    else:
        fmt = choose_format(BOOLEAN_FORMATS if checked.form == "ASK" else RESULT_FORMATS)
    request = QueryRequest(checked.text, default_graphs, named_graphs, time_left(),
                           settings.max_result_rows)
    if fmt.name == "json" and checked.form == "SELECT":
        with client_positions():
            body, truncated = store.select_json(request)
        return _results_response(body, fmt, truncated)
    with client_positions():
        result = store.evaluate(request)
    if fmt.name in _XML_FORMATS:
        _require_xml_characters(result)
    if result.kind == "graph":
        body = serialize_graph(result.triples, fmt)
    else:
        body = serialize_result(result, fmt, row_limit=settings.max_result_rows)
    return _results_response(body, fmt, result.truncated)


def _results_response(body: bytes, fmt: Format, truncated: bool) -> Response:
    response = Response(body, content_type=f"{fmt.media_type}; charset=utf-8")
    response.headers["Vary"] = "Accept"
    if truncated:
        response.headers["X-Casegraph-Truncated"] = "true"
    return response


def _dataset(
    from_graphs: list[str], from_named_graphs: list[str]
) -> tuple[list[str] | None, list[str] | None]:
    """The query's dataset: the Protocol's, else FROM / FROM NAMED, else ``None`` (union).

    Whichever part the chosen source leaves out is empty: naming only named graphs
    means an empty default graph, naming only default graphs means no named graphs.
    """
    default_graphs = _protocol_graphs("default-graph-uri")
    named_graphs = _protocol_graphs("named-graph-uri")
    if default_graphs or named_graphs:
        return default_graphs, named_graphs
    if from_graphs or from_named_graphs:  # checked to name graphs of the store
        return list(from_graphs), list(from_named_graphs)
    return None, None


def _require_xml_characters(result: QueryResult) -> None:
    """406 when a term holds a character that no XML 1.0 document can contain."""
    rows = result.triples if result.kind == "graph" else result.rows
    for row in rows:
        for term in row:
            found = term is not None and _NOT_XML_CHARACTER.search(str(term))
            if found:
                alternatives = "JSON, CSV or TSV" if result.kind == "bindings" else (
                    "Turtle, N-Triples, JSON-LD, TriG or N-Quads")
                raise ApiError(406, f"the results hold the character U+{ord(found[0]):04X} "
                                    f"(in {term.n3()[:80]}), which XML 1.0 cannot carry; "
                                    f"ask for {alternatives}")


def _protocol_graphs(parameter: str) -> list[str]:
    """``default-graph-uri``/``named-graph-uri`` values.

    A graph the store does not hold is an empty graph, as in every SPARQL store:
    the stores are opened so that they never fetch a graph by its IRI.
    """
    source = request.form if request.mimetype == _FORM_MEDIA_TYPE else {}
    return request.args.getlist(parameter) + (source.getlist(parameter) if source else [])


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
