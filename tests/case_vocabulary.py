"""What the case-data tests share: the vocabulary, the union, and the small readers over it.

Domain classes are those whose nodes are case facts and so must cite a passage
of their own case graph (docs/modelling.md, "Provenance").  The readers below
(figures, conferrals, which cases state a node) are the questions several case
modules ask in the same words; each module keeps the values it pins.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from rdflib import RDF, RDFS, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from casegraph.paths import CASES_DIR, case_files, ontology_files

CG = Namespace("https://w3id.org/casegraph/ns#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
#: The base of every IRI the cases mint (docs/modelling.md, "IRIs").
ID = "https://w3id.org/casegraph/id/"

DOMAIN_CLASSES = {
    ORG.Organization, CG.EnterpriseGroup, CG.Company, CG.BranchCompany, CG.PartyOrganisation,
    CG.PartyCommittee, CG.PartyGeneralBranch, CG.PartyBranch, CG.PartyGroup, CG.Workshop,
    CG.Team, CG.PublicBody, CG.Community, CG.MediaOutlet, CG.PartyBuildingBrand, CG.BrandMatrix,
    CG.Practice, CG.AwardConferral, CG.Award, CG.Innovation, CG.TechnicalComponent, CG.Figure,
    CG.MeasuredEffect, CG.Event, CG.MediaCoverage, SCHEMA.Person, SCHEMA.Place, SCHEMA.Brand,
    ORG.Membership,
}  # fmt: skip

PREFIXES = """
PREFIX cg: <https://w3id.org/casegraph/ns#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


def curated_union() -> Dataset:
    """The ontology in its named graph plus every curated case, queried as one union."""
    dataset = Dataset(default_union=True)
    ontology = dataset.graph(URIRef(f"{ID}graph/ontology"))
    for path in ontology_files():
        ontology.parse(path, format="turtle")
    for path in case_files():
        dataset.parse(path, format="trig")
    return dataset


def select(dataset: Dataset, query: str) -> list[tuple]:
    """The rows of ``query`` (written with PREFIXES' prefixes) as tuples."""
    return [tuple(row) for row in dataset.query(PREFIXES + query)]


def iri(path: str) -> URIRef:
    """The IRI the cases mint for ``path`` (``org/jinan-energy-group``)."""
    return URIRef(f"{ID}{path}")


def graph_iri(slug: str) -> URIRef:
    """The named graph of the case in ``data/cases/<slug>``."""
    return iri(f"graph/case/{slug}")


def source_text(slug: str) -> str:
    """The condensed note a case was curated from, the text its passages quote."""
    return (CASES_DIR / slug / "source.txt").read_text(encoding="utf-8")


def local(term: object) -> str:
    """The last path segment of an IRI: a case slug, a concept's or an organisation's name."""
    return str(term).rsplit("/", 1)[-1]


def id_path(term: object) -> str:
    """An IRI minted by the cases written relative to ID (``org/x``), so kinds stay visible."""
    return str(term).removeprefix(ID)


def brand_owners(dataset: Dataset) -> dict[str, str]:
    """Brand (its zh-Hans label) → its owner's path under the id base (``org/…``)."""
    rows = select(dataset, """
        SELECT ?label ?owner WHERE {
          ?brand a cg:PartyBuildingBrand ; cg:brandOwner ?owner ; rdfs:label ?label .
          FILTER(lang(?label) = "zh-Hans")
        }""")
    return {str(label): id_path(owner) for label, owner in rows}


def rolls_up_to(
    dataset: Dataset, unit: str, group: str, group_class: URIRef | None = None
) -> bool:
    """Whether ``org/<unit>`` reaches ``org/<group>`` (of ``group_class``, when given) by
    sub-organisation or party-organisation edges: a party committee belongs to its company,
    which belongs to its group."""
    is_of_class = f"<{ID}org/{group}> a <{group_class}> ." if group_class else ""
    query = f"""ASK {{ <{ID}org/{unit}> (org:subOrganizationOf|cg:partyOrganisationOf)+
                       <{ID}org/{group}> . {is_of_class} }}"""
    return bool(dataset.query(PREFIXES + query).askAnswer)


def cases_stating(
    dataset: Dataset, node: URIRef, predicate: URIRef | None = RDFS.label
) -> set[str]:
    """Slugs of the case graphs in which ``node`` has ``predicate`` (any, when None).

    A shared organisation or place keeps one IRI, so the cases that mention it
    are the graphs it appears in as a subject.
    """
    return {
        local(graph.identifier)
        for graph in dataset.graphs()
        if str(graph.identifier).startswith(f"{ID}graph/case/") and (node, predicate, None) in graph
    }


def cases_with_practice_kind(dataset: Dataset, kind: str) -> set[str]:
    """Slugs of the cases with a practice of ``practice-kind/<kind>``: what a kind links."""
    kind_iri = f"{ID}practice-kind/{kind}"
    rows = select(dataset, f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?p cg:practiceKind <{kind_iri}> }} }}")
    return {local(g) for (g,) in rows}


class Figure(NamedTuple):
    """One cg:Figure (or cg:MeasuredEffect) of a case, in the terms the notes use."""

    node: URIRef
    label: str | None  # zh-Hans
    value: Decimal | None
    unit: str | None  # the UN/CEFACT code, or the unit as written (schema:unitText)
    approximate: bool
    metric: str | None  # the metric concept's local name
    of: str | None  # cg:figureOf (cg:effectOf for an effect) as an id_path
    quotes: tuple[str, ...]  # the passages it is stated in


def figures(
    dataset: Dataset, slug: str, of: str | None = None, effects: bool = False
) -> list[Figure]:
    """The figures of one case (of the node ``of``, an id_path, when given); with ``effects``,
    its measured effects too."""
    case = dataset.graph(graph_iri(slug))
    classes = (CG.Figure, CG.MeasuredEffect) if effects else (CG.Figure,)
    found = []
    for node in {node for cls in classes for node in case.subjects(RDF.type, cls)}:
        value = case.value(node, SCHEMA.value)
        unit = case.value(node, SCHEMA.unitCode) or case.value(node, SCHEMA.unitText)
        metric = case.value(node, CG.metric)
        subject = case.value(node, CG.figureOf) or case.value(node, CG.effectOf)
        figure = Figure(
            node=node,
            label=zh_hans_label(case, node),
            value=value.toPython() if value is not None else None,
            unit=str(unit) if unit is not None else None,
            approximate=(node, CG.approximate, Literal(True)) in case,
            metric=local(metric) if metric is not None else None,
            of=id_path(subject) if subject is not None else None,
            quotes=tuple(
                sorted(str(case.value(p, CG.quote)) for p in case.objects(node, CG.statedIn))
            ),
        )
        if of is None or figure.of == of:
            found.append(figure)
    return found


class Conferral(NamedTuple):
    """One cg:AwardConferral of a case; IRIs as id_paths, None where the case states nothing."""

    award: str
    recipient: str | None
    issuer: str | None
    level: str | None
    rank: str | None
    year: str | None
    conferred_on: str | None


def conferrals(dataset: Dataset, slug: str) -> list[Conferral]:
    """The award conferrals of one case, one per combination of their stated values."""
    rows = select(
        dataset,
        f"""
        SELECT ?award ?recipient ?issuer ?level ?rank ?year ?on WHERE {{
          GRAPH <{graph_iri(slug)}> {{
            ?c a cg:AwardConferral ; cg:award ?award .
            OPTIONAL {{ ?c cg:recipient ?recipient }} OPTIONAL {{ ?c cg:issuer ?issuer }}
            OPTIONAL {{ ?c cg:level ?level }} OPTIONAL {{ ?c cg:rank ?rank }}
            OPTIONAL {{ ?c cg:year ?year }} OPTIONAL {{ ?c cg:conferredOn ?on }}
          }}
        }}""",
    )
    return [Conferral(*(id_path(v) if v is not None else None for v in row)) for row in rows]


def zh_hans_label(graph: Graph, node: Node) -> str | None:
    """The zh-Hans rdfs:label of ``node``: the name the notes use, so the one tests read."""
    return next(
        (
            str(label)
            for label in graph.objects(node, RDFS.label)
            if getattr(label, "language", None) == "zh-Hans"
        ),
        None,
    )


def graphs_naming(dataset: Dataset, node: URIRef) -> set[str]:
    """Slugs of the case graphs that state something about ``node`` or point at it."""
    rows = select(dataset, f"""
        SELECT DISTINCT ?g WHERE {{
          GRAPH ?g {{ {{ <{node}> ?p ?o }} UNION {{ ?s ?p <{node}> }} }}
          FILTER(STRSTARTS(STR(?g), "{iri('graph/case/')}"))
        }}""")
    return {str(g).rsplit("/", 1)[-1] for (g,) in rows}


def memberships(dataset: Dataset, slug: str) -> set[tuple[str, str, str]]:
    """(person's zh-Hans name, organisation path, role path) of every membership of a case."""
    rows = select(dataset, f"""
        SELECT ?name ?org ?role WHERE {{
          GRAPH <{graph_iri(slug)}> {{
            ?m org:member/rdfs:label ?name ; org:organization ?org ; org:role ?role .
            FILTER(lang(?name) = "zh-Hans")
          }}
        }}""")
    return {(str(n), id_path(o), id_path(r)) for n, o, r in rows}
