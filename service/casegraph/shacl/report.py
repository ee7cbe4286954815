"""The outcome of validating case data: results a curator can act on.

A ``ValidationReport`` gathers results from the shapes (casegraph's compiled
engine, or pyshacl, which it reproduces: one run per case graph),
from parsing (syntax errors with file, line and column) and from the passage
text check.  Each result names where the problem is (file or graph, focus
node, path), why (messages in zh-Hans and en) and which rule said so (the
named shape, even when pyshacl reports an anonymous property shape).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Identifier

from casegraph.rdf.terms import CGSH, resource_name

VIOLATION, WARNING, INFO = "Violation", "Warning", "Info"
_SEVERITY_IRIS = {VIOLATION: SH.Violation, WARNING: SH.Warning, INFO: SH.Info}


def display(term: Identifier | None) -> str:
    """A short, readable rendering of an RDF term (prefixed IRI, quoted literal)."""
    if term is None:
        return ""
    return term.n3() if isinstance(term, Literal) else resource_name(term)


@dataclass(frozen=True)
class ValidationResult:
    """One problem found in the data.

    ``source_shape`` is the named shape that holds the failed constraint (the
    node shape owning an anonymous property shape); ``constraint`` is the SHACL
    constraint component.  ``graph`` is the named graph, ``file`` the file the
    data came from, ``line``/``column`` locate syntax errors.
    """

    severity: str
    message_en: str
    message_zh: str = ""
    focus_node: Identifier | None = None
    path: Identifier | None = None
    source_shape: Identifier | None = None
    constraint: Identifier | None = None
    value: Identifier | None = None
    graph: URIRef | None = None
    file: str | None = None
    line: int | None = None
    column: int | None = None

    @property
    def location(self) -> str:
        """Where to look: file (with line and column) and/or graph."""
        parts = []
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}" + (f":{self.column}" if self.column is not None else "")
            parts.append(where)
        if self.graph is not None:
            parts.append(f"graph <{self.graph}>")
        return " ".join(parts) or "(data)"

    def to_dict(self) -> dict:
        def term(t: Identifier | None) -> str | None:
            return None if t is None else (t.n3() if isinstance(t, Literal) else str(t))

        return {
            "severity": self.severity,
            "focusNode": term(self.focus_node),
            "path": term(self.path),
            "messages": {"zh-Hans": self.message_zh, "en": self.message_en},
            "sourceShape": term(self.source_shape),
            "constraint": term(self.constraint),
            "value": term(self.value),
            "graph": term(self.graph),
            "file": self.file,
            "line": self.line,
            "column": self.column,
        }


@dataclass
class ValidationReport:
    """All results of one validation; ``conforms`` allows warnings, never violations."""

    results: list[ValidationResult] = field(default_factory=list)
    #: What was validated (graph IRIs or file names), for the summary line.
    validated: list[str] = field(default_factory=list)

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == VIOLATION]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == WARNING]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def extend(self, other: ValidationReport) -> None:
        self.results.extend(other.results)
        self.validated.extend(other.validated)

    def to_text(self) -> str:
        """A report for people: one block per result, violations first, then a summary."""
        order = {VIOLATION: 0, WARNING: 1, INFO: 2}
        blocks = []
        for r in sorted(self.results, key=lambda r: (order.get(r.severity, 3), r.location)):
            lines = [f"{r.severity.upper()}  {r.location}"]
            if r.focus_node is not None:
                lines.append(f"  focus:   {display(r.focus_node)}")
            if r.path is not None:
                lines.append(f"  path:    {display(r.path)}")
            if r.value is not None:
                lines.append(f"  value:   {display(r.value)}")
            lines.append(f"  message: {r.message_en}")
            if r.message_zh:
                lines.append(f"           {r.message_zh}")
            if r.source_shape is not None:
                lines.append(f"  shape:   {display(r.source_shape)}")
            blocks.append("\n".join(lines))
        summary = (
            f"{'Conforms' if self.conforms else 'Does not conform'}: "
            f"{len(self.violations)} violation(s), {len(self.warnings)} warning(s) "
            f"in {len(self.validated)} graph(s)/file(s)"
        )
        return "\n\n".join([*blocks, summary]) + "\n"

    def to_json(self) -> str:
        return json.dumps(
            {
                "conforms": self.conforms,
                "violations": len(self.violations),
                "warnings": len(self.warnings),
                "validated": self.validated,
                "results": [r.to_dict() for r in self.results],
            },
            ensure_ascii=False,
            indent=2,
        )

    def to_graph(self) -> Graph:
        """The SHACL validation report graph (sh:ValidationReport), one sh:result per result.

        Where a result came from is recorded with ``cgsh:graph`` / ``cgsh:file``.
        """
        g = Graph()
        g.bind("sh", SH)
        g.bind("cgsh", CGSH)
        report = BNode()
        g.add((report, RDF.type, SH.ValidationReport))
        g.add((report, SH.conforms, Literal(self.conforms)))
        for r in self.results:
            node = BNode()
            g.add((report, SH.result, node))
            g.add((node, RDF.type, SH.ValidationResult))
            g.add((node, SH.resultSeverity, _SEVERITY_IRIS.get(r.severity, SH.Violation)))
            g.add((node, SH.resultMessage, Literal(r.message_en, lang="en")))
            if r.message_zh:
                g.add((node, SH.resultMessage, Literal(r.message_zh, lang="zh-Hans")))
            for predicate, obj in (
                (SH.focusNode, r.focus_node),
                (SH.resultPath, r.path),
                (SH.sourceShape, r.source_shape),
                (SH.sourceConstraintComponent, r.constraint),
                (SH.value, r.value),
                (CGSH.graph, r.graph),
            ):
                if obj is not None:
                    g.add((node, predicate, obj))
            if r.file:
                g.add((node, CGSH.file, Literal(r.file)))
        return g

    def to_turtle(self) -> str:
        return self.to_graph().serialize(format="turtle")


def results_from_shacl_report(
    report: Graph,
    shapes: Graph,
    owner_of_property_shape: dict[Identifier, URIRef],
    *,
    graph: URIRef | None,
    file: str | None,
) -> Iterable[ValidationResult]:
    """Turn pyshacl's report graph into results, naming the owning shape of anonymous ones."""
    for node in report.objects(None, SH.result):
        shape = report.value(node, SH.sourceShape)
        if isinstance(shape, BNode):
            shape = owner_of_property_shape.get(shape, shape)
        en, zh = _messages_by_language(list(report.objects(node, SH.resultMessage)))
        severity = report.value(node, SH.resultSeverity)
        path = report.value(node, SH.resultPath)
        yield ValidationResult(
            severity=str(severity).rsplit("#", 1)[-1] if severity else VIOLATION,
            message_en=en,
            message_zh=zh,
            focus_node=report.value(node, SH.focusNode),
            path=path if isinstance(path, URIRef) else None,
            source_shape=shape,
            constraint=report.value(node, SH.sourceConstraintComponent),
            value=report.value(node, SH.value),
            graph=graph,
            file=file,
        )


def results_from_engine(
    raw: Iterable,
    owner_of_property_shape: dict[Identifier, URIRef],
    *,
    graph: URIRef | None,
    file: str | None,
) -> Iterable[ValidationResult]:
    """Turn ``casegraph.shacl.engine.RawResult``s into results exactly as pyshacl's are turned."""
    for r in raw:
        shape = r.source_shape
        if isinstance(shape, BNode):
            shape = owner_of_property_shape.get(shape, shape)
        en, zh = _messages_by_language(list(r.messages))
        yield ValidationResult(
            severity=str(r.severity).rsplit("#", 1)[-1],
            message_en=en,
            message_zh=zh,
            focus_node=r.focus,
            path=r.path if isinstance(r.path, URIRef) else None,
            source_shape=shape,
            constraint=r.component,
            value=r.value,
            graph=graph,
            file=file,
        )


def _messages_by_language(messages: list[Literal]) -> tuple[str, str]:
    """The English and simplified Chinese messages of a result.

    pyshacl drops the language tag of SPARQL-constraint messages, so untagged
    messages are sorted by script; a shape without sh:message gets pyshacl's
    generated English text and no Chinese one.
    """
    en = zh = None
    for m in messages:
        lang = getattr(m, "language", None)
        if lang is None:
            lang = "zh-Hans" if any("\u4e00" <= ch <= "\u9fff" for ch in str(m)) else "en"
        if lang == "en" and en is None:
            en = str(m)
        elif lang == "zh-Hans" and zh is None:
            zh = str(m)
    return en or "constraint not satisfied", zh or ""
