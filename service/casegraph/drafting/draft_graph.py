"""Turn extracted candidates into a draft case graph a curator edits.

The draft is written in the same vocabulary as curated data (docs/modelling.md)
so that the curator's work is deleting and correcting, not re-typing.  Every
node carries ``cg:isDraft true`` until the curator confirms it; the shapes
report drafts so that none is loaded by accident.
"""

from __future__ import annotations

from decimal import Decimal

from rdflib import RDF, RDFS, XSD, Dataset, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

from casegraph.config import CANONICAL_BASE_IRI, ONTOLOGY_NS
from casegraph.drafting.extract import Candidate, Passage, Section, extract, split_sections
from casegraph.repair import repair_text

CG = Namespace(ONTOLOGY_NS)
ID = Namespace(CANONICAL_BASE_IRI)
SCHEMA = Namespace("https://schema.org/")


def draft_case(raw_text: str, slug: str) -> tuple[Dataset, list[Candidate]]:
    """Repair ``raw_text``, extract candidates and build the draft named graph."""
    text = repair_text(raw_text).text
    candidates = extract(text)
    dataset = Dataset()
    graph = dataset.graph(ID[f"graph/draft/{slug}"])
    case = ID[f"case/{slug}"]
    graph.add((case, RDF.type, CG.CaseDocument))
    graph.add((case, CG.isDraft, Literal(True)))
    for order, section in enumerate(split_sections(text), start=1):
        _add_section(graph, case, slug, order, section)
    passages: dict[tuple[int, int], URIRef] = {}
    for number, candidate in enumerate(candidates, start=1):
        node = ID[f"case/{slug}/draft/{candidate.kind}-{number:03d}"]
        passage = passages.get((candidate.passage.start, candidate.passage.end))
        if passage is None:
            passage = _add_passage(graph, case, slug, len(passages) + 1, candidate.passage)
            passages[(candidate.passage.start, candidate.passage.end)] = passage
        _add_candidate(graph, node, candidate, passage)
    return dataset, candidates


def _add_section(graph, case: URIRef, slug: str, order: int, section: Section) -> None:
    node = ID[f"case/{slug}/section/{order:02d}"]
    graph.add((case, CG.hasSection, node))
    graph.add((node, RDF.type, CG.Section))
    graph.add((node, RDFS.label, Literal(section.heading, lang="zh")))
    graph.add((node, CG.order, Literal(order)))
    graph.add((node, CG.sectionKind, ID[f"section-kind/{section.kind}"]))


def _add_passage(graph, case: URIRef, slug: str, number: int, passage: Passage) -> URIRef:
    node = ID[f"case/{slug}/draft/passage-{number:03d}"]
    graph.add((node, RDF.type, CG.Passage))
    graph.add((node, CG.quote, Literal(passage.text, lang="zh")))
    graph.add((node, CG.charStart, Literal(passage.start)))
    graph.add((node, CG.charEnd, Literal(passage.end)))
    graph.add((node, DCTERMS.isPartOf, case))
    return node


def _add_candidate(graph, node: URIRef, candidate: Candidate, passage: URIRef) -> None:
    graph.add((node, RDF.type, CG[candidate.cg_class]))
    graph.add((node, CG.isDraft, Literal(True)))
    graph.add((node, CG.statedIn, passage))
    details = candidate.details
    if candidate.kind == "award":
        award = URIRef(f"{node}/award")
        graph.add((award, RDF.type, CG.Award))
        graph.add((award, RDFS.label, Literal(candidate.label, lang="zh-Hans")))
        graph.add((node, CG.award, award))
        if "year" in details:
            graph.add((node, CG.year, Literal(details["year"], datatype=XSD.gYear)))
        if "rank" in details:
            graph.add((node, CG.rank, ID[f"award-rank/{details['rank']}"]))
        return
    graph.add((node, RDFS.label, Literal(candidate.label, lang="zh-Hans")))
    if candidate.kind == "figure" and "before" in details:
        for side in ("before", "after"):
            value = URIRef(f"{node}/{side}")
            graph.add((node, CG[side], value))
            graph.add((value, RDF.type, SCHEMA.QuantitativeValue))
            graph.add((value, SCHEMA.value, Literal(Decimal(details[side]))))
            graph.add((value, SCHEMA.unitCode, Literal(details[f"{side}_unit"])))
    elif candidate.kind == "figure":
        graph.add((node, SCHEMA.value, Literal(Decimal(details["value"]))))
        graph.add((node, SCHEMA.unitCode, Literal(details["unit"])))
        if details.get("approximate"):
            graph.add((node, CG.approximate, Literal(True)))
