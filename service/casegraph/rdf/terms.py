"""RDF terms: the one prefix table and one converter per direction between term forms.

Terms travel in four forms: rdflib terms (what every layer above the store handles),
pyoxigraph terms (inside the embedded engine and the upload parser), *term parts* — plain
tuples ``(kind, value, language, datatype)`` that are cheap to pickle between processes —
and SPARQL JSON results objects.  Every conversion between them is here, once, so that a
term reads the same whichever engine produced it: language tags in their BCP 47 case
(``zh-Hans``: Oxigraph lower-cases them), simple literals without ``xsd:string``, and
lexical forms kept as stored (``"1.0E6"`` stays ``"1.0E6"``).
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from rdflib import Namespace
from rdflib.term import BNode, Identifier, Literal, URIRef

from casegraph.config import CANONICAL_BASE_IRI, ONTOLOGY_NS

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

#: The scripts every label is written in (the shapes ask for all three), in display
#: order; the UI speaks the same three.
LABEL_LANGUAGES = ("zh-Hans", "zh-Hant", "en")

#: An absolute IRI without the characters SPARQL's IRIREF forbids.
_IRIREF = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]+\Z")

#: The prefixes casegraph writes (Turtle, TriG and JSON-LD downloads, pages, reports)
#: and reads in its own queries (docs/modelling.md, "Namespaces").
PREFIXES = {
    "cg": ONTOLOGY_NS,
    "cgsh": "https://w3id.org/casegraph/shapes#",
    "id": CANONICAL_BASE_IRI,
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "time": "http://www.w3.org/2006/time#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "void": "http://rdfs.org/ns/void#",
}



def prefixed_name(iri: str) -> str | None:
    """``cg:statedIn`` for an IRI in one of the ``PREFIXES`` namespaces, else ``None``."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return None


def resource_name(term: URIRef | BNode) -> str:
    """An IRI as a prefixed name where one fits (else ``<iri>``), a blank node as ``_:b``:
    how terminals and text reports show resources."""
    if isinstance(term, URIRef):
        return prefixed_name(term) or f"<{term}>"
    return f"_:{term}"


#: The namespaces rdflib does not name itself.
CGSH = Namespace(PREFIXES["cgsh"])
SD = Namespace(PREFIXES["sd"])

#: Term parts: ("u", iri, None, None), ("b", label, None, None) or ("l", text, language,
#: datatype).
TermParts = tuple[str, str, str | None, str | None]

_NT_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def canonical_language_tag(tag: str) -> str:
    """BCP 47 case conventions (``zh-Hans``, ``en-GB``): Oxigraph returns tags
    lower-cased, and pages compare tags with the ontology's spelling."""
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def language_of(literal: Literal) -> str:
    """The literal's language in BCP 47 spelling ("zh-Hans"), "" when it has none."""
    return canonical_language_tag(literal.language) if literal.language else ""


# --- to and from term parts ---------------------------------------------------------------


def term_parts(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> TermParts | None:
    """A pyoxigraph term as parts (RDF-star triple terms become their text)."""
    if term is None:
        return None
    kind = type(term)
    if kind is ox.NamedNode:
        return ("u", term.value, None, None)
    if kind is ox.BlankNode:
        return ("b", term.value, None, None)
    if kind is ox.Literal:
        return ("l", term.value, term.language, term.datatype.value)
    return ("l", str(term), None, None)


def parts_of(term: Identifier) -> TermParts:
    """An rdflib term as parts."""
    if isinstance(term, Literal):
        return ("l", str(term), term.language, str(term.datatype) if term.datatype else None)
    return ("u" if isinstance(term, URIRef) else "b", str(term), None, None)


def term_from_parts(kind: str, value: str, language: str | None, datatype: str | None):
    """The rdflib term of some parts."""
    if kind == "u":
        return URIRef(value)
    if kind == "b":
        return BNode(value)
    if language or datatype == XSD_STRING:
        return Literal(value, lang=canonical_language_tag(language) if language else None)
    # normalize=False keeps the lexical form the store holds ("1.0E6" stays "1.0E6").
    return Literal(value, datatype=datatype, normalize=False)


def oxigraph_term(term: Identifier, blank_nodes: dict[BNode, ox.BlankNode]):
    """An rdflib term as a pyoxigraph term; ``blank_nodes`` keeps one node per label
    within a document."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return blank_nodes.setdefault(term, ox.BlankNode())
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


# --- to and from SPARQL JSON results --------------------------------------------------------


def json_term(term: Identifier) -> dict[str, str]:
    """An rdflib term as a SPARQL 1.1 Query Results JSON object."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    value: dict[str, str] = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal):
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype and str(term.datatype) != XSD_STRING:
            # A simple literal is written without its implicit xsd:string.
            value["datatype"] = str(term.datatype)
    return value


def sparql_json_term(
    kind: str, value: str, language: str | None, datatype: str | None
) -> dict[str, str]:
    """Parts as a SPARQL JSON object, exactly as ``json_term`` writes the rdflib term that
    ``term_from_parts`` builds (the query workers write JSON without building terms for
    IRIs and blank nodes; literals go through rdflib for its lexical forms)."""
    if kind == "u":
        return {"type": "uri", "value": value}
    if kind == "b":
        return {"type": "bnode", "value": value}
    return json_term(term_from_parts(kind, value, language, datatype))


def term_from_json(value: dict[str, str] | None) -> Identifier | None:
    """A SPARQL JSON results object (or an unbound ``None``) as an rdflib term."""
    if value is None:
        return None
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    datatype = value.get("datatype")
    return term_from_parts("l", value["value"], value.get("xml:lang"), datatype)


# --- to N-Triples text ----------------------------------------------------------------------


def ntriples_term(term: Identifier) -> str:
    """A term in N-Triples syntax: one line, every control character escaped.

    Also valid SPARQL, so queries and updates casegraph writes use it too (rdflib's
    ``n3()`` writes a literal holding a newline as a ``\"\"\"…\"\"\"`` string, which
    N-Triples does not allow, and leaves tabs raw, which some parsers fold to spaces).
    """
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    text = f'"{str(term).translate(_NT_ESCAPES)}"'
    if isinstance(term, Literal) and term.language:
        return f"{text}@{term.language}"
    if isinstance(term, Literal) and term.datatype and str(term.datatype) != XSD_STRING:
        return f"{text}^^<{term.datatype}>"
    return text


def is_sparql_iri(text: str) -> bool:
    """Whether ``text`` can stand between ``<`` and ``>`` in a query as an absolute IRI.

    The grammar's IRIREF alone is not enough: the engine's IRI parser also refuses
    control characters, bad percent-encodings and a second ``#``, which would turn a
    bound parameter into a syntax error of the whole query instead of a 400 naming it.
    """
    if not _IRIREF.match(text):
        return False
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True
