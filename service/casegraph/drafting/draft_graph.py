"""Turn extracted candidates into a draft case graph a curator edits.

The draft is written in the same vocabulary as curated data (docs/modelling.md)
so that the curator's work is deleting and correcting, not re-typing.  Every
node carries ``cg:isDraft true`` until the curator confirms it, and every
candidate cites a ``cg:Passage`` whose quote is the exact slice of the
repaired text at its offsets.  Draft IRIs live under ``…/draft/`` so that
nothing in a draft can collide with a curated IRI.
"""

from __future__ import annotations

from decimal import Decimal

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

from casegraph.config import CANONICAL_BASE_IRI, ONTOLOGY_NS
from casegraph.drafting.candidates import Candidate, Passage, to_simplified
from casegraph.drafting.extract import extract
from casegraph.drafting.scaffold import SLUG
from casegraph.drafting.sections import Section, section_at, split_sections
from casegraph.repair.text import repair_text

CG = Namespace(ONTOLOGY_NS)
ID = Namespace(CANONICAL_BASE_IRI)
SCHEMA = Namespace("https://schema.org/")


def draft_case(raw_text: str, slug: str) -> tuple[Dataset, list[Candidate], str]:
    """Repair ``raw_text``, extract candidates and build the draft named graph.

    Returns the dataset (one graph, ``id:graph/draft/<slug>``), the candidates
    and the repaired text the passages' offsets refer to (save it as the case's
    ``source.txt``).
    """
    if not SLUG.match(slug):
        raise ValueError(f"slug {slug!r}: use lower-case ASCII words joined by hyphens")
    text = repair_text(raw_text).text
    candidates = extract(text)
    dataset = Dataset()
    dataset.bind("cg", CG)
    graph = dataset.graph(ID[f"graph/draft/{slug}"])
    case = ID[f"case/{slug}"]
    graph.add((case, RDF.type, CG.CaseDocument))
    graph.add((case, CG.isDraft, Literal(True)))
    graph.add((case, CG.sourceTextFile, Literal(f"data/cases/{slug}/source.txt")))
    sections = split_sections(text)
    section_nodes = {
        id(section): _add_section(graph, case, slug, order, section)
        for order, section in enumerate(sections, start=1)
    }
    passages: dict[tuple[int, int], URIRef] = {}
    for number, candidate in enumerate(candidates, start=1):
        span = (candidate.passage.start, candidate.passage.end)
        if span not in passages:
            section = section_at(sections, candidate.passage.start)
            passages[span] = _add_passage(
                graph,
                case,
                ID[f"case/{slug}/draft/passage-{len(passages) + 1:03d}"],
                candidate.passage,
                section_nodes.get(id(section)) if section else None,
            )
        node = ID[f"case/{slug}/draft/{candidate.kind}-{number:03d}"]
        _add_candidate(graph, node, candidate, passages[span])
    return dataset, candidates, text


def _add_section(graph: Graph, case: URIRef, slug: str, order: int, section: Section) -> URIRef:
    node = ID[f"case/{slug}/draft/section-{order:02d}"]
    graph.add((case, CG.hasSection, node))
    graph.add((node, RDF.type, CG.Section))
    graph.add((node, CG.isDraft, Literal(True)))
    graph.add((node, RDFS.label, _zh(section.heading)))
    graph.add((node, CG.order, Literal(order)))
    graph.add((node, CG.sectionKind, ID[f"section-kind/{section.kind}"]))
    return node


def _add_passage(
    graph: Graph, case: URIRef, node: URIRef, passage: Passage, section: URIRef | None
) -> URIRef:
    graph.add((node, RDF.type, CG.Passage))
    graph.add((node, CG.quote, _zh(passage.text)))
    graph.add((node, CG.charStart, Literal(passage.start)))
    graph.add((node, CG.charEnd, Literal(passage.end)))
    graph.add((node, DCTERMS.isPartOf, case))
    if section is not None:
        graph.add((node, CG.inSection, section))
    return node


def _add_candidate(graph: Graph, node: URIRef, candidate: Candidate, passage: URIRef) -> None:
    graph.add((node, RDF.type, CG[candidate.cg_class]))
    graph.add((node, CG.isDraft, Literal(True)))
    graph.add((node, CG.statedIn, passage))
    if candidate.kind == "award":
        _add_award(graph, node, candidate, passage)
    elif candidate.kind == "figure":
        graph.add((node, RDFS.label, _zh(candidate.label)))
        _add_figure(graph, node, candidate.details)
    else:
        graph.add((node, RDFS.label, _zh(candidate.label)))


def _add_award(graph: Graph, node: URIRef, candidate: Candidate, passage: URIRef) -> None:
    """A conferral with its title (a draft cg:Award) and, when stated, issuer, year and rank."""
    details = candidate.details
    award = URIRef(f"{node}/award")
    graph.add((award, RDF.type, CG.Award))
    graph.add((award, CG.isDraft, Literal(True)))
    graph.add((award, RDFS.label, _zh(candidate.label)))
    graph.add((award, CG.statedIn, passage))
    graph.add((node, CG.award, award))
    if "year" in details:
        graph.add((node, CG.year, Literal(details["year"], datatype=XSD.gYear)))
    if "yearEnd" in details:
        graph.add((node, CG.yearEnd, Literal(details["yearEnd"], datatype=XSD.gYear)))
    if "rank" in details:
        graph.add((node, CG.rank, ID[f"award-rank/{details['rank']}"]))
    for key, cls, predicate in (("issuer", CG.PublicBody, CG.issuer),
                                ("competition", CG.Event, CG.competition)):
        if key in details:
            named = URIRef(f"{node}/{key}")
            graph.add((named, RDF.type, cls))
            graph.add((named, CG.isDraft, Literal(True)))
            graph.add((named, RDFS.label, _zh(details[key])))
            graph.add((named, CG.statedIn, passage))
            graph.add((node, predicate, named))


def _add_figure(graph: Graph, node: URIRef, details: dict[str, str]) -> None:
    if "before" in details:
        for side in ("before", "after"):
            value = URIRef(f"{node}/{side}")
            graph.add((node, CG[side], value))
            graph.add((value, RDF.type, SCHEMA.QuantitativeValue))
            graph.add((value, SCHEMA.value, Literal(Decimal(details[side]))))
            graph.add((value, SCHEMA.unitCode, Literal(details[f"{side}_unit"])))
        return
    graph.add((node, SCHEMA.value, Literal(Decimal(details["value"]))))
    graph.add((node, SCHEMA.unitCode, Literal(details["unit"])))
    if details.get("approximate"):
        graph.add((node, CG.approximate, Literal(True)))


def _zh(text: str) -> Literal:
    """A Chinese literal tagged with its script: zh-Hant when folding changes it."""
    return Literal(text, lang="zh-Hans" if to_simplified(text) == text else "zh-Hant")
