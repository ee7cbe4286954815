"""``casegraph query``: run one SPARQL query against an endpoint or the local store.

Against an endpoint the query goes through SPARQLWrapper (the SPARQL 1.1
Protocol, as any client would send it); locally it runs on the store named by the
settings, after the same safety analysis as the HTTP service.  Either way the
answer becomes a :class:`QueryResult` and is printed by the same formatters:
``table`` (aligned, prefixed names, wide CJK characters counted as two columns),
``csv``, ``json`` (SPARQL JSON) or ``turtle`` (CONSTRUCT/DESCRIBE).
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.term import Identifier

from casegraph.config import Settings
from casegraph.errors import InvalidInput
from casegraph.rdf.formats import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    format_for_name,
    serialize_graph,
    serialize_result,
)
from casegraph.rdf.results import QueryResult
from casegraph.rdf.terms import resource_name, term_from_json
from casegraph.sparql.safety import SafetyPolicy, check_query

OUTPUT_FORMATS = ("table", "csv", "json", "turtle")


def read_query_argument(argument: str) -> str:
    """The query text: the argument itself, or the file after ``@``."""
    if argument.startswith("@"):
        return Path(argument[1:]).read_text(encoding="utf-8")
    return argument


def query_endpoint(endpoint: str, text: str, *, timeout: float) -> QueryResult:
    """Send the query with SPARQLWrapper; results come back as SPARQL JSON or Turtle."""
    from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(endpoint)
    client.setQuery(text)
    client.setMethod(POST)
    client.setTimeout(int(timeout) + 5)
    if client.queryType in {"CONSTRUCT", "DESCRIBE"}:
        client.setReturnFormat(TURTLE)
        graph = Graph()
        graph.parse(data=client.query().convert(), format="turtle")
        return QueryResult(kind="graph", triples=list(graph))
    client.setReturnFormat(JSON)
    response = client.query()
    document = json.loads(response.response.read())
    if "boolean" in document:
        return QueryResult(kind="boolean", boolean=bool(document["boolean"]))
    variables = document["head"].get("vars", [])
    rows = [
        tuple(term_from_json(binding[v]) if v in binding else None for v in variables)
        for binding in document["results"]["bindings"]
    ]
    truncated = bool(document.get("casegraph", {}).get("truncated"))
    return QueryResult(kind="bindings", variables=variables, rows=rows, truncated=truncated)


def query_local_store(settings: Settings, text: str) -> QueryResult:
    """Run the query on the local store (bundled data loaded into an empty one)."""
    from casegraph.store import open_store
    from casegraph.store.bootstrap import load_bundled

    store = open_store(settings)
    try:
        if not store.named_graphs():
            load_bundled(store, settings)
        policy = SafetyPolicy(
            known_graphs=frozenset(str(g) for g in store.named_graphs()),
            service_allowlist=SafetyPolicy.parse_allowlist(settings.service_allowlist),
        )
        checked = check_query(text, policy)
        return store.query(checked.text, timeout=settings.query_timeout,
                           max_rows=settings.max_result_rows)
    finally:
        store.close()


def render(result: QueryResult, output: str) -> str:
    """The result as text in one of ``OUTPUT_FORMATS``."""
    if result.kind == "graph":
        if output in {"table", "csv"}:
            output = "turtle"
        fmt = format_for_name("turtle" if output == "turtle" else "jsonld", GRAPH_FORMATS)
        return serialize_graph(result.triples, fmt).decode("utf-8")
    if output == "turtle":
        raise InvalidInput("--format turtle is for CONSTRUCT and DESCRIBE queries; "
                         "use table, csv or json")
    if output in {"csv", "json"}:
        fmt = format_for_name(output, RESULT_FORMATS)
        return serialize_result(result, fmt).decode("utf-8")
    return _table(result)


def _table(result: QueryResult) -> str:
    if result.kind == "boolean":
        return "true" if result.boolean else "false"
    header = [f"?{v}" for v in result.variables]
    cells = [[_display(t) for t in row] for row in result.rows]
    widths = [max([_width(h)] + [_width(row[i]) for row in cells])
              for i, h in enumerate(header)]
    lines = [_line(header, widths), "  ".join("-" * w for w in widths)]
    lines += [_line(row, widths) for row in cells]
    footer = f"{len(result.rows)} row(s)"
    if result.truncated:
        footer += " (truncated at the row limit)"
    return "\n".join([*lines, footer])


def _display(term: Identifier | None) -> str:
    if term is None:
        return ""
    if not isinstance(term, Literal):
        return resource_name(term)
    text = " ".join(str(term).split())
    return f"{text}@{term.language}" if term.language else text


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _line(cells: list[str], widths: list[int]) -> str:
    return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True))
