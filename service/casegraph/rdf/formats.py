"""Serialisations: SPARQL results (JSON, XML, CSV, TSV) and RDF graphs (six syntaxes).

Each format has one canonical media type (what the service answers with), the
other media types clients send for it, and the short name used by ``format=``.
Result serialisers are written here rather than borrowed from rdflib because
the service's results are engine-independent :class:`QueryResult` objects.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from casegraph.config import CANONICAL_BASE_IRI
from casegraph.rdf.results import QueryResult
from casegraph.rdf.terms import (
    PREFIXES,
    canonical_language_tag,
    json_term,
    ntriples_term,
    oxigraph_term,
)

SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
#: Top-level key added to SPARQL JSON results; JSON clients ignore unknown keys.
JSON_NOTICE_KEY = "casegraph"


@dataclass(frozen=True)
class Format:
    """One serialisation: its name for ``format=``, media types, and rdflib plugin."""

    name: str
    media_type: str
    other_media_types: tuple[str, ...] = ()
    other_names: tuple[str, ...] = ()
    rdflib_format: str | None = None
    holds_quads: bool = False

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.other_media_types)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.other_names)


RESULT_FORMATS: tuple[Format, ...] = (
    Format("json", "application/sparql-results+json", ("application/json",), ("srj",)),
    Format("xml", "application/sparql-results+xml", ("application/xml", "text/xml"), ("srx",)),
    Format("csv", "text/csv"),
    Format("tsv", "text/tab-separated-values", (), ("tab",)),
)

GRAPH_FORMATS: tuple[Format, ...] = (
    Format("turtle", "text/turtle", ("application/x-turtle",), ("ttl",), "turtle"),
    Format("ntriples", "application/n-triples", ("text/plain",), ("nt", "n-triples"), "nt"),
    Format("jsonld", "application/ld+json", ("application/json",), ("json-ld",), "json-ld"),
    Format("rdfxml", "application/rdf+xml", ("application/xml", "text/xml"), ("xml", "rdf"),
           "xml"),
    Format("trig", "application/trig", (), (), "trig", holds_quads=True),
    Format("nquads", "application/n-quads", (), ("nq", "n-quads"), "nquads", holds_quads=True),
)

def offered_media_types(formats: Iterable[Format]) -> list[str]:
    """Every media type of ``formats``, canonical ones first (server preference order)."""
    formats = list(formats)
    ordered = [f.media_type for f in formats]
    ordered += [m for f in formats for m in f.other_media_types if m not in ordered]
    return ordered


def format_for_media_type(media_type: str, formats: Iterable[Format]) -> Format | None:
    media_type = media_type.split(";")[0].strip().lower()
    return next((f for f in formats if media_type in f.media_types), None)


def format_for_name(name: str, formats: Iterable[Format]) -> Format | None:
    """The format a ``format=`` value names: a short name or any of its media types."""
    name = name.strip().lower()
    return next((f for f in formats if name in f.names or name in f.media_types), None)


# --- SPARQL query results ---------------------------------------------------------------


def serialize_result(result: QueryResult, fmt: Format, *, row_limit: int | None = None) -> bytes:
    """SELECT or ASK results in one of ``RESULT_FORMATS``."""
    writer = {"json": _results_json, "xml": _results_xml, "csv": _results_csv,
              "tsv": _results_tsv}[fmt.name]
    return writer(result, row_limit)


def _results_json(result: QueryResult, row_limit: int | None) -> bytes:
    if result.kind == "boolean":
        document: dict = {"head": {}, "boolean": bool(result.boolean)}
    else:
        bindings = [
            {var: json_term(term) for var, term in zip(result.variables, row, strict=True)
             if term is not None}
            for row in result.rows
        ]
        document = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    if result.truncated:
        document[JSON_NOTICE_KEY] = {"truncated": True, "maxResultRows": row_limit}
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def _results_xml(result: QueryResult, row_limit: int | None) -> bytes:
    out = io.StringIO()
    out.write(f'<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="{SPARQL_RESULTS_NS}">\n')
    out.write("<head>")
    for var in result.variables:
        out.write(f"<variable name={quoteattr(var)}/>")
    out.write("</head>\n")
    if result.kind == "boolean":
        out.write(f"<boolean>{'true' if result.boolean else 'false'}</boolean>\n")
    else:
        out.write("<results>\n")
        for row in result.rows:
            out.write("<result>")
            for var, term in zip(result.variables, row, strict=True):
                if term is not None:
                    out.write(f"<binding name={quoteattr(var)}>{_xml_term(term)}</binding>")
            out.write("</result>\n")
        out.write("</results>\n")
    out.write("</sparql>\n")
    return out.getvalue().encode("utf-8")


def _xml_term(term: Identifier) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    attributes = ""
    if isinstance(term, Literal) and term.language:
        attributes = f" xml:lang={quoteattr(term.language)}"
    elif isinstance(term, Literal) and term.datatype and term.datatype != XSD.string:
        attributes = f" datatype={quoteattr(str(term.datatype))}"
    return f"<literal{attributes}>{escape(str(term))}</literal>"


def _results_csv(result: QueryResult, row_limit: int | None) -> bytes:
    # SPARQL 1.1 CSV: RFC 4180 quoting, CRLF, plain values.  ASK has no standard CSV
    # form; like Jena we write one column "_askResult".
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if result.kind == "boolean":
        writer.writerows([["_askResult"], ["true" if result.boolean else "false"]])
    else:
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow(["" if t is None else _csv_value(t) for t in row])
    return out.getvalue().encode("utf-8")


def _csv_value(term: Identifier) -> str:
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _results_tsv(result: QueryResult, row_limit: int | None) -> bytes:
    # SPARQL 1.1 TSV: "?var" headers, terms in N-Triples syntax, LF line ends.
    if result.kind == "boolean":
        lines = ["?_askResult", "true" if result.boolean else "false"]
    else:
        lines = ["\t".join(f"?{var}" for var in result.variables)]
        lines += ["\t".join("" if t is None else _tsv_term(t) for t in row)
                  for row in result.rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


#: Numbers and booleans TSV writes in Turtle's abbreviated form (4, 2.2, 1.0E6, true).
_TURTLE_ABBREVIATIONS = {
    XSD.integer: re.compile(r"[+-]?[0-9]+"),
    XSD.decimal: re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    XSD.double: re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.?[0-9]+)[eE][+-]?[0-9]+"),
    XSD.boolean: re.compile(r"true|false"),
}


def _tsv_term(term: Identifier) -> str:
    abbreviation = _TURTLE_ABBREVIATIONS.get(term.datatype) if isinstance(term, Literal) else None
    if abbreviation is not None and abbreviation.fullmatch(str(term)):
        return str(term)
    return ntriples_term(term)




# --- RDF graphs ---------------------------------------------------------------------------

#: Our format names → Oxigraph's parser/serialiser formats (uploads and downloads alike).
OXIGRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}


#: The prefixes written in Turtle and TriG.  ``id:`` is left out: Turtle's prefixed
#: names cannot hold a ``/`` unescaped (``id:org\/x``), so IRIs under the base are
#: written relative to ``@base`` instead (``<org/x>``), as in the case files.
WRITTEN_PREFIXES = {k: v for k, v in PREFIXES.items() if k != "id"}

# A language tag where a serialisation writes one: after a literal's closing quote
# (Turtle, TriG, N-Triples, N-Quads), as JSON-LD's "@language" value, or as xml:lang.
_LANGUAGE_TAG = re.compile(
    rb'((?<!\\)"@)([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})+)'
    rb'|("@language"\s*:\s*")([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})+)'
    rb'|(xml:lang=")([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})+)'
)


def _canonical_tag(match: re.Match[bytes]) -> bytes:
    lead, tag = next((match.group(i), match.group(i + 1)) for i in (1, 3, 5)
                     if match.group(i) is not None)
    return lead + canonical_language_tag(tag.decode("ascii")).encode("ascii")


def canonical_tags(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """An RDF serialisation with its language tags in BCP 47 case (``@zh-Hans``).

    Oxigraph keeps tags lower-cased (``zh-hans``); downloads and RDF twins spell them
    as the data does.  Chunks are cut at line ends first, so a tag split between two
    chunks is still found (every writer puts a literal and its tag on one line).
    """
    pending = b""
    for chunk in chunks:
        pending += chunk
        cut = pending.rfind(b"\n") + 1
        if cut:
            yield _LANGUAGE_TAG.sub(_canonical_tag, pending[:cut])
            pending = pending[cut:]
    if pending:
        yield _LANGUAGE_TAG.sub(_canonical_tag, pending)


def serialize_graph(triples: Iterable[tuple[Identifier, Identifier, Identifier]],
                    fmt: Format, base_iri: str = CANONICAL_BASE_IRI) -> bytes:
    """Triples (a Graph or any iterable) in ``fmt``; quad formats write the default graph.

    Oxigraph's serialisers are used because they keep every literal's lexical form
    (rdflib's Turtle writer turns ``"841"^^xsd:decimal`` into ``841.0``), so what a
    client reads back is the same term the store holds.
    """
    blank_nodes: dict[BNode, ox.BlankNode] = {}

    def convert(term: Identifier):
        return oxigraph_term(term, blank_nodes)

    statements = [ox.Triple(convert(s), convert(p), convert(o)) for s, p, o in triples]
    if fmt.holds_quads:
        statements = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
                      for t in statements]
    options: dict = {}
    if fmt.name in {"turtle", "trig"}:
        options = {"prefixes": WRITTEN_PREFIXES, "base_iri": base_iri}
    elif fmt.name not in {"ntriples", "nquads"}:
        options = {"prefixes": PREFIXES}
    body = ox.serialize(statements, format=OXIGRAPH_FORMATS[fmt.name], **options)
    return b"".join(canonical_tags([body]))
