"""The ontology and SKOS schemes: parse, name every term in three languages, stay consistent."""

from __future__ import annotations

import re

import owlrl
import pytest
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from casegraph import paths
from casegraph.shacl.validation import ontology_graph, validate_graph

CG = Namespace("https://w3id.org/casegraph/ns#")
ERR = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")
LANGS = ("zh-Hans", "zh-Hant", "en")
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(paths.ONTOLOGY_DIR / "casegraph.ttl", format="turtle")


def cg_terms(graph: Graph) -> list[URIRef]:
    return sorted(
        {s for t in TERM_TYPES for s in graph.subjects(RDF.type, t) if str(s).startswith(CG)}
    )


def langs_of(graph: Graph, subject: URIRef, predicate: URIRef) -> set[str]:
    return {o.language for o in graph.objects(subject, predicate) if isinstance(o, Literal)}


@pytest.mark.parametrize("path", paths.ontology_files(), ids=lambda p: p.name)
def test_ontology_files_parse(path):
    assert len(Graph().parse(path, format="turtle")) > 0


def test_ontology_header(ontology):
    header = URIRef("https://w3id.org/casegraph/ns")
    assert (header, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(header, OWL.versionIRI) is not None
    assert ontology.value(header, OWL.versionInfo) is not None


def test_every_term_of_the_modelling_guide_is_declared(ontology):
    guide = (paths.PROJECT_ROOT / "docs" / "modelling.md").read_text(encoding="utf-8")
    named = {CG[m] for m in re.findall(r"\bcg:([A-Za-z]+)\b", guide)}
    declared = set(cg_terms(ontology))
    assert len(named) > 40
    assert named - declared == set()


def test_every_term_has_labels_and_comments_in_three_languages(ontology):
    terms = cg_terms(ontology)
    assert len(terms) > 60
    for term in terms:
        assert langs_of(ontology, term, RDFS.label) >= set(LANGS), term
        assert langs_of(ontology, term, RDFS.comment) >= set(LANGS), term


def _classes_named_by(graph: Graph, node) -> list[URIRef]:
    """A class expression's named classes (unions are unfolded)."""
    if isinstance(node, URIRef):
        return [node]
    members = graph.value(node, OWL.unionOf)
    return [m for m in Collection(graph, members)] if members is not None else []


def test_domains_and_ranges_name_declared_classes(ontology):
    declared = set(ontology.subjects(RDF.type, OWL.Class)) | {RDFS.Literal}
    for predicate in (RDFS.domain, RDFS.range):
        for prop, cls in ontology.subject_objects(predicate):
            if prop in set(ontology.subjects(RDF.type, OWL.DatatypeProperty)) and predicate == (
                RDFS.range
            ):
                continue  # datatype ranges are XSD/RDF datatypes
            named = _classes_named_by(ontology, cls)
            assert named, (prop, predicate)
            for c in named:
                assert c in declared, (prop, predicate, c)


def _closure_errors(data: Graph) -> tuple[list, list]:
    graph = Graph()
    for triple in ontology_graph():
        graph.add(triple)
    for triple in data:
        graph.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    nothing = list(graph.subjects(RDF.type, OWL.Nothing))
    errors = [str(graph.value(m, ERR.error)) for m in graph.subjects(RDF.type, ERR.ErrorMessage)]
    return nothing, errors


def _bundled_data() -> Graph:
    data = Graph()
    for path in paths.case_files():
        ds = Dataset()
        ds.parse(path, format="trig")
        for s, p, o, _g in ds.quads():
            data.add((s, p, o))
    return data


def test_owl_rl_closure_of_ontology_and_bundled_data_is_consistent():
    assert paths.case_files(), "no bundled case data under data/cases"
    nothing, errors = _closure_errors(_bundled_data())
    assert nothing == []
    assert errors == []


def test_owl_rl_closure_detects_a_brand_used_as_issuer():
    """The consistency check can fail: disjointness plus cg:issuer's range catch this."""
    fixture = Dataset()
    fixture.parse(paths.PROJECT_ROOT / "tests/fixtures/western-heat-source/case.trig", format="trig")
    data = Graph()
    for s, p, o, _g in fixture.quads():
        data.add((s, p, o))
    conferral = next(data.subjects(RDF.type, CG.AwardConferral))
    brand = next(data.subjects(RDF.type, CG.PartyBuildingBrand))
    data.set((conferral, CG.issuer, brand))
    nothing, errors = _closure_errors(data)
    assert errors or nothing


def test_skos_schemes_conform_to_the_concept_shape():
    report = validate_graph(ontology_graph(), file="ontology/")
    assert report.conforms, report.to_text()
    assert report.warnings == [], report.to_text()


@pytest.mark.parametrize(
    "scheme, expected",
    [
        ("practice-kind", {"mentoring", "party-group-attached-to-workshop", "brand-matrix"}),
        ("award-level", {"national", "provincial", "municipal", "county", "group",
                         "enterprise", "community"}),
        ("award-rank", {"first-prize", "second-prize", "third-prize", "excellence-prize",
                        "title"}),
        ("metric", {"party-members", "staff-average-age", "report-count", "history-years"}),
        ("section-kind", {"introduction", "background", "practices", "effects", "other"}),
    ],
)
def test_concept_schemes_hold_the_agreed_concepts(scheme, expected):
    g = ontology_graph()
    base = "https://w3id.org/casegraph/id/"
    members = {
        str(c)[len(base) + len(scheme) + 1 :]
        for c in g.subjects(SKOS.inScheme, URIRef(f"{base}scheme/{scheme}"))
    }
    assert expected <= members
    for concept in g.subjects(SKOS.inScheme, URIRef(f"{base}scheme/{scheme}")):
        assert langs_of(g, concept, SKOS.prefLabel) >= set(LANGS), concept
        assert langs_of(g, concept, SKOS.definition) >= set(LANGS), concept
        assert not isinstance(concept, BNode)
