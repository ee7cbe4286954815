"""What a system answered, reduced to a row count and an order-independent digest.

A ratio of two latencies only means something when both systems returned the
same rows, so every series records the answer it timed.  Engines spell equal
RDF terms differently (``"01"^^xsd:integer`` or ``"1"``, ``@zh-Hans`` or
``@zh-hans``, a plain literal or ``^^xsd:string``), so terms are put in one
canonical form first; blank node labels are local to a result, so every blank
node counts as the same term.  The digest is a sum of per-row hashes: the same
multiset of rows gives the same digest in any order.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rdflib import BNode, Literal, URIRef

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
INTEGER_TYPES = {XSD + name for name in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte")}
FLOAT_TYPES = {XSD + "double", XSD + "float"}
_MODULUS = 1 << 128


def canonical_literal(value: str, language: str | None, datatype: str | None) -> str:
    """One spelling per RDF literal: lower-case language tag, canonical numeric lexical forms."""
    if language:
        return f'"{value}"@{language.lower()}'
    if datatype in (None, XSD + "string", RDF_LANG_STRING):
        return f'"{value}"'
    lexical = value.strip()
    try:
        if datatype in INTEGER_TYPES:
            lexical = str(int(lexical))
        elif datatype == XSD + "decimal":
            number = Decimal(lexical)
            lexical = format(number.normalize(), "f") if number else "0"
            lexical += "" if "." in lexical else ".0"
        elif datatype in FLOAT_TYPES:
            number = float(lexical)
            lexical = ("NaN" if math.isnan(number) else "INF" if number == math.inf
                       else "-INF" if number == -math.inf else repr(number))
        elif datatype == XSD + "boolean":
            lexical = {"1": "true", "0": "false"}.get(lexical, lexical)
        elif datatype == XSD + "dateTime" and lexical.endswith(("+00:00", "-00:00")):
            lexical = lexical[:-6] + "Z"
        else:
            lexical = value
    except (ValueError, InvalidOperation):
        lexical = value  # an ill-typed literal stays as it was spelled
    return f'"{lexical}"^^<{datatype}>'


def canonical_json_term(term: Mapping[str, str]) -> str:
    """A term of SPARQL 1.1 Query Results JSON (``typed-literal`` of older servers included)."""
    kind = term["type"]
    if kind == "uri":
        return f"<{term['value']}>"
    if kind == "bnode":
        return "_:"
    if kind in ("literal", "typed-literal"):
        return canonical_literal(term["value"], term.get("xml:lang"), term.get("datatype"))
    raise ValueError(f"unknown term type {kind!r} in a SPARQL JSON result")


def canonical_rdflib_term(term) -> str:
    """An rdflib term (the rows of casegraph's ``QueryResult`` and of rdflib itself)."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return "_:"
    if isinstance(term, Literal):
        return canonical_literal(str(term), term.language,
                                 str(term.datatype) if term.datatype else None)
    raise ValueError(f"unexpected term {term!r} ({type(term).__name__}) in a result row")


def row_key(bound: Iterable[tuple[str, str]]) -> str:
    """One row as text: its bound variables, by name, with canonical terms."""
    return "\x1e".join(f"{name}\x1f{term}" for name, term in sorted(bound))


def digest(keys: Iterable[str]) -> str:
    """Order-independent digest of a multiset of row keys (the sum of their 128-bit hashes)."""
    total = 0
    for key in keys:
        total += int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=16).digest(),
                                "big")
    return f"{total % _MODULUS:032x}"


@dataclass
class Answer:
    """The rows of one answer, kept so that the digest is computed after the clock stopped."""

    variables: list[str]
    rows: list
    kind: str  # "json" (bindings of SPARQL JSON) or "rdflib" (tuples of rdflib terms)
    truncated: bool = False

    @property
    def count(self) -> int:
        return len(self.rows)

    def digest(self) -> str:
        if self.kind == "json":
            keys = (row_key((name, canonical_json_term(term)) for name, term in row.items())
                    for row in self.rows)
        else:
            keys = (row_key((name, canonical_rdflib_term(term))
                            for name, term in zip(self.variables, row, strict=True)
                            if term is not None)
                    for row in self.rows)
        return digest(keys)

    @classmethod
    def from_json(cls, document: dict, *, truncated: bool = False) -> Answer:
        """A SPARQL JSON results document; an ASK answer is one row binding ``boolean``."""
        if "boolean" in document:
            value = "true" if document["boolean"] else "false"
            row = {"boolean": {"type": "literal", "value": value, "datatype": XSD + "boolean"}}
            return cls(["boolean"], [row], "json", truncated)
        return cls(document["head"].get("vars", []), document["results"]["bindings"], "json",
                   truncated)

    @classmethod
    def from_rdflib(cls, variables: Iterable, rows: Iterable, *, truncated: bool = False
                    ) -> Answer:
        return cls([str(v) for v in variables], list(rows), "rdflib", truncated)


def compare(answers: Mapping[str, dict | None], reference: str) -> dict[str, str]:
    """How each system's answer differs from ``reference``'s: "" when it is the same answer.

    ``answers`` maps a system to a series summary (``rows``, ``digest``,
    ``truncated``) or None; systems without an answer are left out.
    """
    ref = answers.get(reference)
    if not ref or ref.get("digest") is None:
        return {}
    differences = {}
    for name, answer in answers.items():
        if name == reference or not answer or answer.get("digest") is None:
            continue
        differences[name] = describe_difference(answer, ref)
    return differences


def describe_difference(answer: dict, reference: dict) -> str:
    """"" for equal answers, otherwise what differs (counts, truncation, or the rows)."""
    if answer["digest"] == reference["digest"] and answer["rows"] == reference["rows"] \
            and not answer.get("truncated") and not reference.get("truncated"):
        return ""
    cut = " (truncated)" if answer.get("truncated") else ""
    cut_ref = " (truncated)" if reference.get("truncated") else ""
    if answer["rows"] != reference["rows"]:
        return f"{answer['rows']} rows{cut} vs {reference['rows']}{cut_ref}"
    if answer["digest"] != reference["digest"]:
        return f"same count ({answer['rows']}), different rows"
    return f"same rows but flagged truncated{cut or cut_ref}"
