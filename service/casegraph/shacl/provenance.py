"""Provenance a write can check: every quote is the case's source text at its offsets.

A case graph carries its source text with it — as ``cg:sourceText`` on the case
document (what ``casegraph publish`` uploads), or, for the bundled cases, as
``cg:sourceTextFile`` naming a file under ``data/`` — so the service can refuse
a passage whose ``cg:quote`` is not that text between ``cg:charStart`` and
``cg:charEnd``.  Without this, a quote with one digit changed would be stored.

A file path is only followed inside the bundled data folder: a graph uploaded
over HTTP must not make the service read other files.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import RDF, Dataset, Graph, Literal, URIRef

from casegraph import paths
from casegraph.rdf.terms import CGSH
from casegraph.shacl.report import WARNING, ValidationResult
from casegraph.shacl.validation import check_passages_against_text

_CG = "https://w3id.org/casegraph/ns#"
SOURCE_TEXT = URIRef(_CG + "sourceText")
SOURCE_TEXT_FILE = URIRef(_CG + "sourceTextFile")
QUOTE = URIRef(_CG + "quote")
CASE_DOCUMENT = URIRef(_CG + "CaseDocument")


def attach_source_text(graph: Graph, text: str) -> Graph:
    """Put ``text`` on the graph's case document as ``cg:sourceText`` (replacing any).

    What publishing a case means for its text: the graph carries the text its passages
    quote, so every write of it can check the quotes (``check_quotes``) and the case page
    can show it.  ``casegraph publish`` and the curation workspace both publish this way.
    """
    for case in set(graph.subjects(RDF.type, CASE_DOCUMENT)):
        graph.set((case, SOURCE_TEXT, Literal(text)))
    return graph


def source_text_of(graph: Graph, data_dir: Path | None = None) -> tuple[str, str] | None:
    """The graph's source text and where it came from, or None when it has none."""
    for text in graph.objects(None, SOURCE_TEXT):
        if isinstance(text, Literal):
            return str(text), "cg:sourceText"
    root = (data_dir or paths.DATA_DIR).resolve()
    for name in graph.objects(None, SOURCE_TEXT_FILE):
        candidate = (paths.PROJECT_ROOT / str(name)).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate.read_text(encoding="utf-8"), str(name)
    return None


def check_quotes(graph: Graph, iri: URIRef) -> list[ValidationResult]:
    """Violations for quotes that differ from the source text; a warning when there is none."""
    if not any(graph.subjects(QUOTE, None)):
        return []
    found = source_text_of(graph)
    if found is None:
        return [
            ValidationResult(
                severity=WARNING,
                message_en="the graph has passages but no source text (cg:sourceText): "
                "their quotes cannot be checked",
                message_zh="该图有段落但没有原文（cg:sourceText），无法核对引文",
                focus_node=iri,
                path=SOURCE_TEXT,
                source_shape=CGSH.PassageQuotesSourceText,
                graph=iri,
            )
        ]
    text, origin = found
    dataset = Dataset()
    copy = dataset.graph(iri)
    copy += graph
    return check_passages_against_text(dataset, text, origin)
