"""The compiled SHACL evaluator reports exactly what pyshacl reports.

``validate_graph`` runs casegraph's compiled shapes (``casegraph.shacl.engine``);
``validate_graph_with_pyshacl`` runs pyshacl on the same triples mixed with the
ontology.  Every bundled case graph, every mutation of tests/data/test_shapes.py and a
few edits the mutations do not cover (a case graph restating ontology nodes,
a subclass declared in the data, blank nodes, ill-typed literals) must give the
same results: severity, focus node, path, value, source shape, constraint and
both messages.
"""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from casegraph import paths
from casegraph.shacl.validation import (
    _compiled,
    validate_dataset,
    validate_graph,
    validate_graph_with_pyshacl,
)
from tests.data.test_shapes import (
    CG,
    FIXTURE,
    ID,
    MUTATIONS,
    SCHEMA,
    bases,
    case_graph,
    first_subject,
)


def result_key(r):
    return (
        r.severity, r.focus_node, r.path, r.value, r.source_shape, r.constraint,
        r.message_en, r.message_zh, r.graph, r.file,
    )


def assert_same_report(data: Graph, **labels) -> None:
    fast = validate_graph(data, **labels)
    reference = validate_graph_with_pyshacl(data, **labels)
    assert Counter(map(result_key, fast.results)) == Counter(map(result_key, reference.results)), (
        "compiled:\n" + fast.to_text() + "\npyshacl:\n" + reference.to_text()
    )
    assert fast.validated == reference.validated


def test_the_shapes_compile():
    assert _compiled() is not None, "the shapes fell back to pyshacl; see the logged reason"


def case_graphs():
    for path in paths.case_files():
        ds = Dataset()
        ds.parse(path, format="trig")
        for context in ds.graphs():
            if isinstance(context.identifier, URIRef) and len(context):
                yield pytest.param(context, id=f"{path.parent.name}")


@pytest.mark.parametrize("graph", list(case_graphs()))
def test_bundled_case_graph(graph):
    assert_same_report(graph, graph=graph.identifier, file="case.trig")


@pytest.mark.parametrize("mutation", [pytest.param(m[1], id=m[0]) for m in MUTATIONS])
def test_mutation(mutation):
    for graph in bases():
        if mutation(graph) is not None:
            break
    assert_same_report(graph)


def fixture_with(edit) -> Graph:
    graph = case_graph(FIXTURE)
    edit(graph)
    return graph


def restate_concept_without_labels(g: Graph):
    """A case graph that says something about an ontology node (a SKOS concept)."""
    concept = next(iter(g.objects(first_subject(g, CG.Practice), CG.practiceKind)))
    g.add((concept, SKOS.prefLabel, Literal("重复", lang="zh-Hans")))
    g.add((concept, SKOS.prefLabel, Literal("untagged")))


def local_subclass(g: Graph):
    cls = ID["case/mutation/class/Workshop"]
    g.add((cls, RDFS.subClassOf, CG.Award))
    g.add((ID["case/mutation/award/a1"], RDF.type, cls))


def blank_node_values(g: Graph):
    node = first_subject(g, CG.AwardConferral)
    g.add((node, CG.issuer, BNode()))
    g.add((node, CG.year, BNode()))


def ill_typed_literals(g: Graph):
    """(An ill-typed cg:charStart is left out: rdflib's SPARQL engine crashes on it in pyshacl.)"""
    conferral = first_subject(g, CG.AwardConferral)
    g.set((conferral, CG.competingEntries, Literal("many", datatype=XSD.integer)))
    figure = first_subject(g, CG.Figure)
    g.set((figure, SCHEMA.value, Literal("1.5e", datatype=XSD.decimal)))


def duplicate_labels_and_bad_dates(g: Graph):
    org = first_subject(g, CG.BranchCompany)
    g.add((org, RDFS.label, Literal("另一个名称", lang="zh-Hans")))
    g.add((org, RDFS.label, Literal("Other", lang="en-GB")))
    g.add((org, SCHEMA.foundingDate, Literal("15", datatype=XSD.gYear)))
    document = first_subject(g, CG.CaseDocument)
    g.add((document, CG.caseGraph, Literal("not an IRI")))


@pytest.mark.parametrize(
    "edit",
    [restate_concept_without_labels, local_subclass, blank_node_values, ill_typed_literals,
     duplicate_labels_and_bad_dates],
)
def test_edits_beyond_the_mutations(edit):
    assert_same_report(fixture_with(edit))


def test_empty_graph():
    assert_same_report(Graph())


def test_served_base_is_mapped_the_same_way():
    served = "https://cases.example.org/id/"
    graph = Graph()
    for triple in case_graph(FIXTURE):
        graph.add(
            tuple(
                URIRef(served + t[len(str(ID)):])
                if isinstance(t, URIRef) and t.startswith(str(ID))
                else t
                for t in triple
            )
        )
    assert_same_report(graph, base_iri=served)
    assert_same_report(graph)


def test_dataset_of_several_cases_is_validated_graph_by_graph():
    ds = Dataset()
    for path in paths.case_files()[:3]:
        ds.parse(path, format="trig")
    report = validate_dataset(ds)
    assert len(report.validated) == 3
    assert report.conforms, report.to_text()
