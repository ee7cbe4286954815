"""What the case-data tests share: the domain classes, the SPARQL prefixes, the union.

Domain classes are those whose nodes are case facts and so must cite a passage
of their own case graph (docs/modelling.md, "Provenance").
"""

from __future__ import annotations

from rdflib import Dataset, Namespace, URIRef

from casegraph.paths import case_files, ontology_files

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


def local(iri: object) -> str:
    """The last path segment of an IRI: a case slug, a concept's or an organisation's name."""
    return str(iri).rsplit("/", 1)[-1]


def id_path(iri: object) -> str:
    """An IRI minted by the cases written relative to ID (``org/x``), so kinds stay visible."""
    return str(iri).removeprefix(ID)
