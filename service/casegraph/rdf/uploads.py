"""Parse RDF that users send (uploads, Graph Store writes, validation) without side effects.

Uploaded bytes are always parsed as *data*, never as a path or URL, and only
after the checks that keep the parser off the network and the file system:

* JSON-LD: every ``@context`` must be an inline object (or ``null``); a context
  given by IRI, local or remote, and ``@import`` are refused.
* RDF/XML: a document type declaration is refused, so no entity (internal or
  external) is ever expanded; the check runs expat itself, so it sees through
  UTF-16 and other encodings a text search would miss.
* Turtle, TriG, JSON-LD: bracket nesting is bounded before any parser runs; RDF/XML
  element nesting too.

The parser is Oxigraph's (Rust, streaming, no loader callbacks configured), which
reports line and column for every syntax error; the result is an rdflib
``Dataset`` so that validation (pySHACL) and the writers see ordinary rdflib terms.
"""

from __future__ import annotations

import json
import re
import xml.parsers.expat
from collections.abc import Iterator

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from casegraph.errors import DataRefused, DataSyntaxError, UnsupportedMediaType
from casegraph.rdf.formats import GRAPH_FORMATS, OXIGRAPH_FORMATS, Format, format_for_media_type
from casegraph.rdf.lexer import MAX_NESTING_DEPTH, nesting_depth

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
#: Deepest element nesting accepted in RDF/XML (real documents stay below 20).
MAX_XML_DEPTH = 256
_POSITION = re.compile(r"line (\d+)(?: column| between columns) (\d+)")


def upload_format(content_type: str | None) -> Format:
    """The RDF syntax a Content-Type names; raise ``UnsupportedMediaType`` otherwise."""
    fmt = format_for_media_type(content_type or "", GRAPH_FORMATS)
    if fmt is None:
        accepted = ", ".join(f.media_type for f in GRAPH_FORMATS)
        raise UnsupportedMediaType(
            f"Content-Type {content_type or '(none)'!r} is not an RDF syntax the service "
            f"reads; send one of: {accepted}"
        )
    return fmt


def parse_upload(data: bytes, fmt: Format, *, base_iri: str | None = None) -> Dataset:
    """Parse uploaded bytes into a Dataset (triples of graph formats land in the default graph).

    The server never calls this itself: the embedded store runs it (or
    :func:`upload_quad_parts`) in a confined worker process (``Store.parse_upload``).
    """
    return dataset_from_parts(upload_quad_parts(data, fmt, base_iri=base_iri))


def upload_quad_parts(data: bytes, fmt: Format, *, base_iri: str | None = None) -> list[tuple]:
    """The quads of uploaded bytes as plain tuples of term parts, after the refusals.

    Plain tuples cross a worker's pipe cheaply and are rebuilt by
    :func:`dataset_from_parts`; the default graph is ``None``.
    """
    _refuse_unsafe(data, fmt)
    quads = []
    try:
        for quad in ox.parse(data, OXIGRAPH_FORMATS[fmt.name], base_iri=base_iri):
            graph = None if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name
            quads.append(tuple(None if term is None else _parts(term)
                               for term in (quad.subject, quad.predicate, quad.object, graph)))
    except SyntaxError as error:
        raise _located(error) from None
    except ValueError as error:
        raise DataSyntaxError(str(error)) from None
    return quads


def dataset_from_parts(quads: list[tuple]) -> Dataset:
    """The rdflib Dataset of :func:`upload_quad_parts`' tuples."""
    dataset = Dataset()
    for subject, predicate, obj, graph in quads:
        name = DATASET_DEFAULT_GRAPH_ID if graph is None else _term(*graph)
        dataset.graph(name).add((_term(*subject), _term(*predicate), _term(*obj)))
    return dataset


def _refuse_unsafe(data: bytes, fmt: Format) -> None:
    """The checks that keep the parser off the network and the file system, and shallow."""
    if fmt.name == "jsonld":
        _check_nesting(data)  # before json.loads, which recurses once per level
        _check_jsonld_contexts(data)
    elif fmt.name == "rdfxml":
        _check_xml_has_no_doctype(data)
    elif fmt.name in {"turtle", "trig"}:
        _check_nesting(data)


def _check_nesting(data: bytes) -> None:
    depth = nesting_depth(data.decode("utf-8", errors="replace"))
    if depth > MAX_NESTING_DEPTH:
        raise DataRefused(
            f"brackets nest {depth} levels deep; at most {MAX_NESTING_DEPTH} are accepted"
        )


def _located(error: SyntaxError) -> DataSyntaxError:
    message = str(error.msg if error.msg else error)
    position = _POSITION.search(message)
    if position:
        return DataSyntaxError(message, int(position.group(1)), int(position.group(2)))
    return DataSyntaxError(message)


def _parts(term) -> tuple[str, str, str | None, str | None]:
    if isinstance(term, ox.NamedNode):
        return ("u", term.value, None, None)
    if isinstance(term, ox.BlankNode):
        return ("b", term.value, None, None)
    if isinstance(term, ox.Literal):
        return ("l", term.value, term.language, term.datatype.value)
    raise DataRefused(f"RDF 1.2 triple terms are not supported: {term}")


def _term(kind: str, value: str, language: str | None, datatype: str | None):
    if kind == "u":
        return URIRef(value)
    if kind == "b":
        return BNode(value)
    if language:
        return Literal(value, lang=language)
    if datatype == _XSD_STRING:  # rdflib spells simple literals without one
        return Literal(value)
    return Literal(value, datatype=URIRef(datatype))


def _check_jsonld_contexts(data: bytes) -> None:
    try:
        document = json.loads(data)
    except RecursionError:
        raise DataRefused("the JSON-LD document nests too deeply") from None
    except UnicodeDecodeError as error:
        raise DataSyntaxError(f"JSON-LD must be UTF-8: {error}") from None
    except json.JSONDecodeError as error:
        raise DataSyntaxError(
            f"JSON syntax error at line {error.lineno}, column {error.colno}: {error.msg}",
            error.lineno,
            error.colno,
        ) from None
    for context in _contexts(document):
        if isinstance(context, str):
            raise DataRefused(
                f"JSON-LD @context {context!r} refused: only inline context objects are "
                "accepted; the service never loads contexts from URLs or files"
            )
        if not isinstance(context, dict):
            raise DataRefused(f"JSON-LD @context must be an object, not {context!r}")
        if "@import" in context:
            raise DataRefused(
                f"JSON-LD @import {context['@import']!r} refused: contexts are never loaded"
            )


def _contexts(document) -> Iterator:
    """Every context value anywhere in a JSON document (lists flattened, nulls skipped)."""
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key == "@context":
                    for context in value if isinstance(value, list) else [value]:
                        if context is not None:
                            yield context
                stack.append(value)


def _check_xml_has_no_doctype(data: bytes) -> None:
    """Refuse DTDs the way defusedxml does: by asking expat, not by searching text."""

    def refuse_doctype(name, *_):
        raise DataRefused(
            f"RDF/XML with a document type declaration (<!DOCTYPE {name}>) refused: "
            "entities are never expanded; write the IRIs out in full"
        )

    depth = 0

    def start(*_) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_XML_DEPTH:
            raise DataRefused(f"XML elements nest more than {MAX_XML_DEPTH} levels deep; "
                              "RDF/XML data needs far fewer")

    def end(*_) -> None:
        nonlocal depth
        depth -= 1

    parser = xml.parsers.expat.ParserCreate()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    parser.ExternalEntityRefHandler = refuse_doctype
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as error:
        raise DataSyntaxError(
            f"XML syntax error at line {error.lineno}, column {error.offset + 1}: "
            f"{xml.parsers.expat.ErrorString(error.code)}",
            error.lineno,
            error.offset + 1,
        ) from None
