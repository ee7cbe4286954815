"""Documentation generated from the schema itself: ontology terms and SHACL shapes.

The ontology page reads the ontology graph from the store (``ontology_terms.rq``), so it
documents exactly what queries run against.  The shapes are not part of the dataset; the
shapes page reads ``shapes/*.ttl`` and re-reads them when a file changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Identifier

from casegraph.paths import shapes_files
from casegraph.rdf.terms import language_of
from casegraph.web.term_view import curie, run_fixed

RDFS_NS = "http://www.w3.org/2000/01/rdf-schema#"
OWL_NS = "http://www.w3.org/2002/07/owl#"
SKOS_NS = "http://www.w3.org/2004/02/skos/core#"

TERM_KINDS = {
    OWL_NS + "Class": "class",
    OWL_NS + "ObjectProperty": "object_property",
    OWL_NS + "DatatypeProperty": "datatype_property",
    OWL_NS + "AnnotationProperty": "annotation_property",
}
_RELATIONS = {
    RDFS_NS + "subClassOf": "super",
    RDFS_NS + "subPropertyOf": "super",
    RDFS_NS + "domain": "domain",
    RDFS_NS + "range": "range",
    OWL_NS + "inverseOf": "inverse",
}


@dataclass
class OntologyTerm:
    """A class or property with what the ontology says about it, ready for a template."""

    iri: str
    kind: str
    labels: dict[str, str] = field(default_factory=dict)
    definitions: dict[str, str] = field(default_factory=dict)
    relations: dict[str, list[str]] = field(default_factory=dict)

    @property
    def anchor(self) -> str:
        return self.iri.rsplit("#", 1)[-1]


def ontology_terms() -> list[OntologyTerm]:
    """Every cg: class and property, classes first, each kind in IRI order."""
    terms: dict[str, OntologyTerm] = {}
    for row in run_fixed("ontology_terms").dicts():
        iri = str(row["term"])
        term = terms.setdefault(iri, OntologyTerm(iri, TERM_KINDS[str(row["kind"])]))
        p, o = str(row.get("p", "")), row.get("o")
        if o is None:
            continue
        if isinstance(o, Literal):
            target = term.labels if p == RDFS_NS + "label" else term.definitions
            target.setdefault(language_of(o), str(o))
        elif p in _RELATIONS:
            value = curie(str(row["member"])) if "member" in row else _describe(o)
            values = term.relations.setdefault(_RELATIONS[p], [])
            if value not in values and not (isinstance(o, BNode) and "member" not in row):
                values.append(value)
    order = list(TERM_KINDS.values())
    return sorted(terms.values(), key=lambda t: (order.index(t.kind), t.iri))


def _describe(value: Identifier) -> str:
    return curie(str(value)) if isinstance(value, URIRef) else str(value)


@dataclass
class ShapeConstraint:
    """One constraint of a shape: a property path (or the node itself) and its rules."""

    name: str | None
    path: str | None
    rules: list[tuple[str, str]]
    messages: list[str]
    severity: str | None


@dataclass
class Shape:
    iri: str
    name: str
    targets: list[tuple[str, str]]
    severity: str | None
    comments: list[str]
    messages: list[str]
    constraints: list[ShapeConstraint]

    @property
    def anchor(self) -> str:
        return self.name.replace(":", "-")


_NOT_RULES = {
    SH.path,
    SH.message,
    SH.severity,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.property,
    RDF.type,
    SH.deactivated,
}
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def _shapes_files_key() -> tuple[tuple[str, int], ...]:
    return tuple((str(f), f.stat().st_mtime_ns) for f in shapes_files())


def shapes() -> list[Shape]:
    return _shapes_of(_shapes_files_key())


def shapes_graph() -> Graph:
    """All shapes files merged, a fresh copy the caller may change (the page's RDF twin)."""
    graph = Graph()
    cached = _parsed_shapes(_shapes_files_key())
    for prefix, namespace in cached.namespaces():
        graph.bind(prefix, namespace)
    graph += cached
    return graph


@lru_cache(maxsize=4)
def _parsed_shapes(files: tuple[tuple[str, int], ...]) -> Graph:
    """Parse the shapes files (cached per set of files and modification times)."""
    graph = Graph()
    for path, _ in files:
        graph.parse(Path(path), format="turtle")
    return graph


@lru_cache(maxsize=4)
def _shapes_of(files: tuple[tuple[str, int], ...]) -> list[Shape]:
    graph = _parsed_shapes(files)
    found = []
    for node in sorted(
        set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.subjects(SH.targetClass, None)),
        key=str,
    ):
        if not isinstance(node, URIRef):
            continue
        targets = [
            (_name(graph, t), _short(str(kind)))
            for kind in _TARGETS
            for t in graph.objects(node, kind)
        ]
        constraints = [_constraint(graph, p) for p in graph.objects(node, SH.property)]
        constraints.sort(key=lambda c: c.path or "")
        node_rules = _rules(graph, node)
        if node_rules:
            constraints.insert(0, ShapeConstraint(None, None, node_rules, [], None))
        found.append(
            Shape(
                iri=str(node),
                name=_name(graph, node),
                targets=targets,
                severity=_severity(graph, node),
                comments=_texts(graph.objects(node, RDFS.comment)),
                messages=_texts(graph.objects(node, SH.message)),
                constraints=constraints,
            )
        )
    return found


def _constraint(graph: Graph, node: Identifier) -> ShapeConstraint:
    return ShapeConstraint(
        name=_name(graph, node) if isinstance(node, URIRef) else None,
        path=_path(graph, graph.value(node, SH.path)),
        rules=_rules(graph, node),
        messages=_texts(graph.objects(node, SH.message)),
        severity=_severity(graph, node),
    )


def _rules(graph: Graph, node: Identifier) -> list[tuple[str, str]]:
    rules = []
    for p, o in sorted(graph.predicate_objects(node), key=lambda po: str(po[0])):
        if p in _NOT_RULES or p in _TARGETS or not str(p).startswith(str(SH)):
            continue
        rules.append((_short(str(p)), _render(graph, o)))
    return rules


def _render(graph: Graph, value: Identifier, depth: int = 0) -> str:
    """A readable Turtle-like rendering of a constraint value (lists, nested shapes)."""
    if isinstance(value, URIRef):
        return _name(graph, value)
    if isinstance(value, Literal):
        return str(value)
    if depth > 3:
        return "[…]"
    if graph.value(value, RDF.first) is not None or value == RDF.nil:
        return "(" + ", ".join(_render(graph, v, depth + 1) for v in Collection(graph, value)) + ")"
    select = graph.value(value, SH.select)
    if select is not None:  # a SPARQL constraint: its message says what it checks
        return " ".join(_texts(graph.objects(value, SH.message))) or "SPARQL"
    inner = [
        f"{_short(str(p))} {_render(graph, o, depth + 1)}"
        for p, o in sorted(graph.predicate_objects(value), key=lambda po: str(po[0]))
        if p != RDF.type
    ]
    return "[ " + " ; ".join(inner) + " ]"


def _path(graph: Graph, path: Identifier | None) -> str | None:
    if path is None:
        return None
    if isinstance(path, URIRef):
        return _name(graph, path)
    if graph.value(path, RDF.first) is not None:
        return "/".join(_path(graph, p) or "?" for p in Collection(graph, path))
    for kind, template in (
        (SH.inversePath, "^{}"),
        (SH.zeroOrMorePath, "{}*"),
        (SH.oneOrMorePath, "{}+"),
        (SH.zeroOrOnePath, "{}?"),
    ):
        inner = graph.value(path, kind)
        if inner is not None:
            return template.format(_path(graph, inner))
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(_path(graph, p) or "?" for p in Collection(graph, alternatives))
    return "?"


def _severity(graph: Graph, node: Identifier) -> str | None:
    value = graph.value(node, SH.severity)
    return _short(str(value)) if value is not None else None


def _texts(values: Iterable[Identifier]) -> list[str]:
    return sorted(
        f"{v} ({v.language})" if isinstance(v, Literal) and v.language else str(v) for v in values
    )


def _short(iri: str) -> str:
    return iri.rsplit("#", 1)[-1]


def _name(graph: Graph, iri: Identifier) -> str:
    """``cgsh:EntityLabelShape``: the prefixes the shapes file itself declares."""
    return iri.n3(graph.namespace_manager) if isinstance(iri, URIRef) else str(iri)
