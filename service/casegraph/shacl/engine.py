"""casegraph's SHACL shapes compiled once and evaluated in-process, with pyshacl's results.

Why: pyshacl spends ~0.45 s on a 185-triple case graph (re-walking the shapes
graph, building report graphs, running every ``sh:sparql`` through rdflib's
SPARQL engine, and validating the 2,000 mixed-in ontology triples each time).
This module reads the shapes graph once into plain Python objects, evaluates
the SHACL Core components the shapes use with pyshacl's exact semantics
(copied rule by rule from pyshacl 0.40, including its quirks: ``sh:uniqueLang``
results carry no value, ``sh:pattern`` tries ``match`` then ``search``, a node
shape's SPARQL result without ``?value`` reports the focus node), and runs the
``sh:sparql`` constraints on pyoxigraph (``casegraph.shacl.sparql_constraints``).

pyshacl stays the reference: ``compile_shapes`` raises ``Unsupported`` for any
feature it does not evaluate (complex paths, ``sh:targetNode``, ``sh:closed``,
message templates, ...) and the caller then uses pyshacl, and
``tests/shacl/test_validation.py`` compares both on every bundled case and
every mutation of ``tests/data/test_shapes.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from pyshacl.rdfutil.compare import compare_literal
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Identifier

from casegraph.shacl.sparql_constraints import SparqlConstraint, Unsupported

#: What a check returns: the value nodes it fails on (``None``: a result without sh:value).
Check = Callable[["DataView", Identifier, list], list]


@dataclass
class Shape:
    node: Identifier
    path: URIRef | None  # None for a node shape
    severity: URIRef
    messages: tuple[Literal, ...]
    checks: list[tuple[URIRef, Check]] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    sparql: list[SparqlConstraint] = field(default_factory=list)
    target_classes: tuple[URIRef, ...] = ()
    target_subjects_of: tuple[URIRef, ...] = ()


@dataclass(frozen=True)
class RawResult:
    """One result in pyshacl's terms, before the source shape is named for curators."""

    severity: URIRef
    focus: Identifier
    path: Identifier | None
    value: Identifier | None
    source_shape: Identifier
    component: URIRef
    messages: tuple[Literal, ...]


class DataView:
    """Case triples layered over the ontology, read the way pyshacl reads the mixed graph.

    ``index``/``base`` map subject → predicate → objects (in first-seen order, no
    duplicates), so a triple stated in both counts once, as in an rdflib graph.
    """

    def __init__(self, index: dict, base: dict, superclasses: dict | None = None):
        self.index, self.base = index, base
        self._superclasses = superclasses if superclasses is not None else {}
        #: (shape, node) → conforms, for shapes used as values of sh:node, sh:or, ...
        self.conforms: dict = {}

    def objects(self, subject: Identifier, predicate: URIRef) -> list:
        own = self.index.get(subject)
        shared = self.base.get(subject)
        mine = own.get(predicate, ()) if own else ()
        theirs = shared.get(predicate, ()) if shared else ()
        if not theirs:
            return list(mine)
        if not mine:
            return list(theirs)
        return list(dict.fromkeys([*mine, *theirs]))

    def superclasses(self, cls: Identifier) -> frozenset:
        """``cls`` and everything it is an ``rdfs:subClassOf*`` of."""
        found = self._superclasses.get(cls)
        if found is None:
            seen, todo = {cls}, [cls]
            while todo:
                for parent in self.objects(todo.pop(), RDFS.subClassOf):
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            found = self._superclasses[cls] = frozenset(seen)
        return found

    def is_instance(self, node: Identifier, cls: Identifier) -> bool:
        if isinstance(node, Literal):
            return False
        return any(cls in self.superclasses(t) for t in self.objects(node, RDF.type))


def index_triples(triples: Iterable[tuple]) -> dict:
    index: dict = {}
    for s, p, o in triples:
        objects = index.setdefault(s, {}).setdefault(p, [])
        if o not in objects:
            objects.append(o)
    return index


@dataclass
class CompiledShapes:
    """The shapes with targets, ready to run; ``by_class`` lists shapes per target class."""

    targeted: list[Shape]
    by_class: dict[URIRef, list[Shape]]
    by_subject_of: dict[URIRef, list[Shape]]
    sparql: list[SparqlConstraint]


def compile_shapes(shapes: Graph) -> CompiledShapes:
    """Read every shape of ``shapes``; ``Unsupported`` when one needs pyshacl."""
    compiler = _Compiler(shapes)
    roots = set(shapes.subjects(SH.targetClass, None)) | set(
        shapes.subjects(SH.targetSubjectsOf, None)
    )
    for unsupported in (SH.targetNode, SH.targetObjectsOf, SH.target, SH.rule):
        if next(shapes.subjects(unsupported, None), None) is not None:
            raise Unsupported(f"{unsupported} is not evaluated here")
    for node in shapes.subjects(RDF.type, RDFS.Class):
        if (node, RDF.type, SH.NodeShape) in shapes:
            raise Unsupported("implicit class targets are not evaluated here")
    targeted = [compiler.shape(root) for root in sorted(roots, key=str)]
    by_class: dict[URIRef, list[Shape]] = {}
    by_subject_of: dict[URIRef, list[Shape]] = {}
    for shape in targeted:
        for cls in shape.target_classes:
            by_class.setdefault(cls, []).append(shape)
        for predicate in shape.target_subjects_of:
            by_subject_of.setdefault(predicate, []).append(shape)
    return CompiledShapes(targeted, by_class, by_subject_of, compiler.sparql)


def focus_nodes(compiled: CompiledShapes, view: DataView, subjects: Iterable) -> dict:
    """Shape node → (shape, its focus nodes among ``subjects``), by pyshacl's target semantics."""
    found: dict[int, tuple[Shape, dict]] = {}
    for subject in subjects:
        for predicate, shapes in compiled.by_subject_of.items():
            if view.objects(subject, predicate):
                for shape in shapes:
                    found.setdefault(id(shape), (shape, {}))[1][subject] = None
        types = view.objects(subject, RDF.type)
        if not types:
            continue
        classes = set().union(*(view.superclasses(t) for t in types))
        for cls in classes & compiled.by_class.keys():
            for shape in compiled.by_class[cls]:
                found.setdefault(id(shape), (shape, {}))[1][subject] = None
    return {shape.node: (shape, list(nodes)) for shape, nodes in found.values()}


def conforms(shape: Shape, node: Identifier, view: DataView) -> bool:
    """Whether ``node`` conforms to ``shape`` (memoised: the same value is often checked twice)."""
    key = (shape.node, node)
    found = view.conforms.get(key)
    if found is None:
        found = view.conforms[key] = evaluate(shape, node, view, None)
    return found


def evaluate(shape: Shape, focus: Identifier, view: DataView, out: list | None) -> bool:
    """Whether ``focus`` conforms to ``shape``; with ``out``, append every result (else stop early).

    SPARQL constraints are not run here: ``casegraph.shacl.sparql_constraints`` runs them on
    the whole graph at once, and only targeted shapes carry them.
    """
    values = [focus] if shape.path is None else view.objects(focus, shape.path)
    ok = True
    for component, check in shape.checks:
        failed = check(view, focus, values)
        if failed:
            if out is None:
                return False
            ok = False
            for value in failed:
                out.append(_result(shape, focus, value, component, shape.messages))
    for prop in shape.properties:
        for value in values:
            if not (evaluate(prop, value, view, out) if out is not None else conforms(
                prop, value, view
            )):
                if out is None:
                    return False
                ok = False
    return ok


def sparql_result(shape: Shape, focus, path, value, messages: tuple[Literal, ...]) -> RawResult:
    """A SPARQL-constraint result as pyshacl builds it (no ``?value``: the focus node)."""
    value = focus if value is None and shape.path is None else value
    return RawResult(
        shape.severity, focus, path if path is not None else shape.path, value, shape.node,
        SH.SPARQLConstraintComponent, messages,
    )


def _result(shape: Shape, focus, value, component: URIRef, messages) -> RawResult:
    return RawResult(shape.severity, focus, shape.path, value, shape.node, component, messages)


_HANDLED = {
    RDF.type, SH.path, SH.severity, SH.message, SH.property, SH.sparql, SH.targetClass,
    SH.targetSubjectsOf, SH.name, SH.description, SH.order, SH.group, SH.declare,
    RDFS.comment, RDFS.label, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.deactivated,
}


class _Compiler:
    def __init__(self, graph: Graph):
        self.graph = graph
        self.done: dict[Identifier, Shape] = {}
        self.sparql: list[SparqlConstraint] = []

    def shape(self, node: Identifier) -> Shape:
        if node in self.done:
            return self.done[node]
        g = self.graph
        deactivated = g.value(node, SH.deactivated)
        if deactivated is not None and deactivated.toPython() is not False:
            raise Unsupported(f"deactivated shape {node}")
        path = g.value(node, SH.path)
        if path is not None and not isinstance(path, URIRef):
            raise Unsupported(f"complex sh:path on {node}")
        shape = Shape(
            node=node,
            path=path,
            severity=g.value(node, SH.severity) or SH.Violation,
            messages=tuple(m for m in g.objects(node, SH.message) if isinstance(m, Literal)),
            target_classes=tuple(sorted(g.objects(node, SH.targetClass), key=str)),
            target_subjects_of=tuple(sorted(g.objects(node, SH.targetSubjectsOf), key=str)),
        )
        self.done[node] = shape  # before recursing: shapes may refer to each other
        for predicate, obj in g.predicate_objects(node):
            if predicate in _HANDLED:
                continue
            make = _COMPONENTS.get(predicate)
            if make is None:
                raise Unsupported(f"{predicate} on {node} is not evaluated here")
            shape.checks.append(make(self, node, obj))
        if g.value(node, SH.qualifiedValueShape) is None and (
            g.value(node, SH.qualifiedMinCount) is not None
            or g.value(node, SH.qualifiedMaxCount) is not None
        ):
            raise Unsupported(f"qualified count without sh:qualifiedValueShape on {node}")
        shape.properties = [self.shape(p) for p in g.objects(node, SH.property)]
        for constraint in g.objects(node, SH.sparql):
            if shape.messages:
                raise Unsupported(f"{node} has both sh:message and sh:sparql")
            compiled = SparqlConstraint.from_shapes(g, node, constraint)
            shape.sparql.append(compiled)
            self.sparql.append(compiled)
        if shape.sparql and not (shape.target_classes or shape.target_subjects_of):
            raise Unsupported(f"sh:sparql on the untargeted shape {node}")
        return shape

    def items(self, node: Identifier) -> list:
        return list(Collection(self.graph, node))


def _comp(name: str) -> URIRef:
    return SH[name + "ConstraintComponent"]


def _class(c: _Compiler, _node, cls) -> tuple[URIRef, Check]:
    return _comp("Class"), lambda view, f, values: [
        v for v in values if not view.is_instance(v, cls)
    ]


def _datatype(c: _Compiler, _node, dtype) -> tuple[URIRef, Check]:
    return _comp("Datatype"), lambda view, f, values: [
        v for v in values if not _datatype_matches(v, dtype)
    ]


def _datatype_matches(v, dtype) -> bool:
    """pyshacl's DatatypeConstraintComponent, rule for rule."""
    if not isinstance(v, Literal):
        return False
    if v.datatype == dtype:
        return False if getattr(v, "ill_typed", None) is True else _value_is(v, dtype)
    if dtype == RDFS.Literal:
        return True
    if dtype == RDFS.Datatype and v.datatype:
        return True
    if v.datatype is None and v.language is None and dtype == XSD.string:
        return _value_is(v, dtype)
    if dtype == RDF.langString and v.language:
        return _value_is(v, dtype)
    return False


_PYTHON_TYPES = {
    XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int,
    XSD.float: float, XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: date,
    XSD.time: time, XSD.dateTime: datetime,
}


def _value_is(v: Literal, dtype) -> bool:
    expected = _PYTHON_TYPES.get(dtype)
    return True if expected is None else isinstance(v.value, expected)


_NODE_KINDS = {
    BNode: (SH.BlankNode, SH.BlankNodeOrLiteral, SH.BlankNodeOrIRI),
    Literal: (SH.Literal, SH.BlankNodeOrLiteral, SH.IRIOrLiteral),
    URIRef: (SH.IRI, SH.IRIOrLiteral, SH.BlankNodeOrIRI),
}


def _node_kind(c: _Compiler, _node, kind) -> tuple[URIRef, Check]:
    return _comp("NodeKind"), lambda view, f, values: [
        v for v in values if kind not in _NODE_KINDS.get(type(v), ())
    ]


def _as_string(v) -> str:
    if isinstance(v, Literal) and v.value is not None and v.datatype in (
        None, RDF.langString, XSD.string
    ):
        return str(v.value)
    return str(v)


def _min_length(c: _Compiler, _node, limit) -> tuple[URIRef, Check]:
    n = limit.value
    return _comp("MinLength"), lambda view, f, values: [
        v for v in values
        if n != 0 and (isinstance(v, BNode) or len(_as_string(v)) < n)
    ]


def _pattern(c: _Compiler, node, pattern) -> tuple[URIRef, Check]:
    text = str(pattern.value) if pattern.value is not None and len(pattern.value) > 1 else str(
        pattern
    )
    regex = re.compile(text)
    return _comp("Pattern"), lambda view, f, values: [
        v for v in values
        if isinstance(v, BNode)
        or not (regex.match(_as_string(v)) or regex.search(_as_string(v)))
    ]


def _language_in(c: _Compiler, _node, lst) -> tuple[URIRef, Check]:
    wanted = {str(x.value).lower() for x in c.items(lst)}
    allowed: dict[str, bool] = {}

    def ok(v) -> bool:
        lang = v.language if isinstance(v, Literal) else None
        if not lang:
            return False
        found = allowed.get(lang)
        if found is None:
            low = lang.lower()
            found = allowed[lang] = (
                "*" in wanted or low in wanted or low.split("-")[0] in wanted
            )
        return found

    return _comp("LanguageIn"), lambda view, f, values: [v for v in values if not ok(v)]


def _unique_lang(c: _Compiler, _node, flag) -> tuple[URIRef, Check]:
    def check(view, f, values):
        if not flag.value:
            return []
        seen, duplicated = set(), set()
        for v in values:
            if isinstance(v, Literal) and v.language:
                lang = str(v.language).lower()
                (duplicated if lang in seen else seen).add(lang)
        return [None] * len(duplicated)

    return _comp("UniqueLang"), check


def _min_count(c: _Compiler, _node, n) -> tuple[URIRef, Check]:
    limit = int(n.value)
    return _comp("MinCount"), lambda view, f, values: [None] if len(values) < limit else []


def _max_count(c: _Compiler, _node, n) -> tuple[URIRef, Check]:
    limit = int(n.value)
    return _comp("MaxCount"), lambda view, f, values: [None] if len(values) > limit else []


def _min_inclusive(c: _Compiler, _node, bound) -> tuple[URIRef, Check]:
    bound_is_string = isinstance(bound.value, str)

    def ok(v) -> bool:
        if not isinstance(v, Literal) or isinstance(v.value, str) != bound_is_string:
            return False
        try:
            return compare_literal(v, bound) >= 0
        except (TypeError, NotImplementedError):
            return False

    return _comp("MinInclusive"), lambda view, f, values: [v for v in values if not ok(v)]


def _less_than(c: _Compiler, _node, other) -> tuple[URIRef, Check]:
    def comparable(v):
        if isinstance(v, BNode):
            raise Unsupported("sh:lessThan on a blank node")
        if isinstance(v, URIRef):
            return str(v), True
        if isinstance(v, Literal) and isinstance(v.value, str):
            return v.value, True
        return v, False

    def check(view, f, values):
        failed = []
        for v in values:
            left, left_is_string = comparable(v)
            for w in view.objects(f, other):
                right, right_is_string = comparable(w)
                if left_is_string != right_is_string or not left < right:
                    failed.append(v)
        return failed

    return _comp("LessThan"), check


def _in(c: _Compiler, _node, lst) -> tuple[URIRef, Check]:
    allowed = c.items(lst)
    return _comp("In"), lambda view, f, values: [v for v in values if v not in allowed]


def _has_value(c: _Compiler, _node, wanted) -> tuple[URIRef, Check]:
    return _comp("HasValue"), lambda view, f, values: [] if wanted in values else [None]


def _node(c: _Compiler, _node, other) -> tuple[URIRef, Check]:
    shape = c.shape(other)
    return _comp("Node"), lambda view, f, values: [
        v for v in values if not conforms(shape, v, view)
    ]


def _logical(name: str, passes: Callable[[int, int], bool]):
    def make(c: _Compiler, _node, lst) -> tuple[URIRef, Check]:
        members = [c.shape(s) for s in c.items(lst)]

        def check(view, f, values):
            return [
                v for v in values
                if not passes(sum(conforms(s, v, view) for s in members), len(members))
            ]

        return _comp(name), check

    return make


def _not(c: _Compiler, _node, other) -> tuple[URIRef, Check]:
    shape = c.shape(other)
    return _comp("Not"), lambda view, f, values: [
        v for v in values if conforms(shape, v, view)
    ]


def _qualified(c: _Compiler, node, other) -> tuple[URIRef, Check]:
    shape = c.shape(other)
    low = c.graph.value(node, SH.qualifiedMinCount)
    high = c.graph.value(node, SH.qualifiedMaxCount)
    if high is not None:
        raise Unsupported(f"sh:qualifiedMaxCount on {node}")
    low_n = int(low.value) if low is not None else None

    def check(view, f, values):
        if low_n is None or (not values and low_n < 1):
            return []
        conforming = sum(conforms(shape, v, view) for v in values)
        return [None] if conforming < low_n else []

    return SH.QualifiedMinCountConstraintComponent, check


_COMPONENTS = {
    SH["class"]: _class,
    SH.datatype: _datatype,
    SH.nodeKind: _node_kind,
    SH.minLength: _min_length,
    SH.pattern: _pattern,
    SH.languageIn: _language_in,
    SH.uniqueLang: _unique_lang,
    SH.minCount: _min_count,
    SH.maxCount: _max_count,
    SH.minInclusive: _min_inclusive,
    SH.lessThan: _less_than,
    SH["in"]: _in,
    SH.hasValue: _has_value,
    SH.node: _node,
    SH["or"]: _logical("Or", lambda passed, n: passed >= 1),
    SH["and"]: _logical("And", lambda passed, n: passed == n),
    SH.xone: _logical("Xone", lambda passed, n: passed == 1),
    SH["not"]: _not,
    SH.qualifiedValueShape: _qualified,
}
