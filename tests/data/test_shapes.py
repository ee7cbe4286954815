"""The shapes accept the bundled cases and reject each kind of broken fact.

Mutation tests start from the first real case when it has the fact to break,
otherwise from the fixture case written per docs/modelling.md, apply ONE
change and assert the named shape rejects it with its bilingual message.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from casegraph import paths
from casegraph.shacl.report import CGSH, VIOLATION, WARNING
from casegraph.shacl.validation import validate_files, validate_graph

CG = Namespace("https://w3id.org/casegraph/ns#")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
ID = Namespace("https://w3id.org/casegraph/id/")
FIXTURE = Path(__file__).parents[1] / "fixtures" / "western-heat-source" / "case.trig"
FIRST_CASE = paths.CASES_DIR / "jinan-thermal-western-heat-source" / "case.trig"


def case_graph(path: Path) -> Graph:
    ds = Dataset()
    ds.parse(path, format="trig")
    graph = Graph()
    for s, p, o, _g in ds.quads():
        graph.add((s, p, o))
    return graph


def bases() -> list[Graph]:
    """The real first case when it exists, then the fixture."""
    found = [case_graph(FIRST_CASE)] if FIRST_CASE.exists() else []
    return [*found, case_graph(FIXTURE)]


def first_subject(g: Graph, cls: URIRef, having: URIRef | None = None) -> URIRef | None:
    for s in sorted(g.subjects(RDF.type, cls), key=str):
        if having is None or g.value(s, having) is not None:
            return s
    return None


# Each mutation edits the graph in place and returns the focus node it broke,
# or None when this base has no such fact (the next base is tried).
Mutation = Callable[[Graph], URIRef | None]


def drop(predicate: URIRef, cls: URIRef) -> Mutation:
    def mutate(g: Graph):
        node = first_subject(g, cls, predicate)
        if node is not None:
            g.remove((node, predicate, None))
        return node

    return mutate


def replace_value(cls: URIRef, predicate: URIRef, make: Callable[[Graph, URIRef], object]):
    def mutate(g: Graph):
        node = first_subject(g, cls, predicate)
        if node is not None:
            g.set((node, predicate, make(g, node)))
        return node

    return mutate


def strip_label_tags(g: Graph):
    node = first_subject(g, ORG.Organization) or first_subject(g, CG.PartyBranch)
    label = next(o for o in g.objects(node, RDFS.label) if o.language == "zh-Hans")
    g.remove((node, RDFS.label, label))
    g.add((node, RDFS.label, Literal(str(label))))
    return node


def only_english_label(g: Graph):
    node = first_subject(g, CG.PartyBuildingBrand, RDFS.label)
    for label in list(g.objects(node, RDFS.label)):
        if label.language != "en":
            g.remove((node, RDFS.label, label))
    return node


def no_english_label(g: Graph):
    node = first_subject(g, CG.Award, RDFS.label)
    for label in list(g.objects(node, RDFS.label)):
        if label.language == "en":
            g.remove((node, RDFS.label, label))
    return node


def brand_as_issuer(g: Graph):
    node = first_subject(g, CG.AwardConferral, CG.issuer)
    brand = first_subject(g, CG.PartyBuildingBrand)
    if node is None or brand is None:
        return None
    g.set((node, CG.issuer, brand))
    return node


def year_end_before_year(g: Graph):
    node = first_subject(g, CG.AwardConferral, CG.year)
    if node is not None:
        year = int(str(g.value(node, CG.year)))
        g.set((node, CG.yearEnd, Literal(str(year - 1), datatype=XSD.gYear)))
    return node


def statedin_to_document(g: Graph):
    node = first_subject(g, CG.PartyBuildingBrand)
    document = first_subject(g, CG.CaseDocument)
    g.set((node, CG.statedIn, document))
    return node


def before_without_unit(g: Graph):
    node = first_subject(g, CG.MeasuredEffect, CG.before)
    if node is not None:
        g.remove((g.value(node, CG.before), SCHEMA.unitCode, None))
    return node


def event_ending_before_start(g: Graph):
    event = ID["case/mutation/event/contest"]
    passage = first_subject(g, CG.Passage)
    g.add((event, RDF.type, CG.Event))
    g.add((event, RDFS.label, Literal("演讲比赛", lang="zh-Hans")))
    g.add((event, RDFS.label, Literal("演講比賽", lang="zh-Hant")))
    g.add((event, RDFS.label, Literal("Speech contest", lang="en")))
    g.add((event, SCHEMA.startDate, Literal("2023-05-25", datatype=XSD.date)))
    g.add((event, SCHEMA.endDate, Literal("2023-04", datatype=XSD.gYearMonth)))
    g.add((event, CG.statedIn, passage))
    return event


def membership_without_member(g: Graph):
    membership = ID["case/mutation/membership/m1"]
    org = first_subject(g, ORG.Organization) or first_subject(g, CG.PartyBranch)
    g.add((membership, RDF.type, ORG.Membership))
    g.add((membership, ORG.organization, org))
    g.add((membership, CG.statedIn, first_subject(g, CG.Passage)))
    return membership


MUTATIONS = [
    # (id, mutation, expected source shape, expected path, expected severity)
    ("conferral-without-issuer", drop(CG.issuer, CG.AwardConferral),
     CGSH.ConferralIssuerRequired, None, VIOLATION),
    ("brand-as-issuer", brand_as_issuer, CGSH.AwardConferralShape, CG.issuer, VIOLATION),
    ("conferral-without-level", drop(CG.level, CG.AwardConferral),
     CGSH.ConferralLevelRequired, None, VIOLATION),
    ("conferral-without-recipient", drop(CG.recipient, CG.AwardConferral),
     CGSH.ConferralRecipientRequired, None, VIOLATION),
    ("year-as-plain-string",
     replace_value(CG.AwardConferral, CG.year, lambda g, n: Literal(str(g.value(n, CG.year)))),
     CGSH.YearShape, CG.year, VIOLATION),
    ("year-end-before-year", year_end_before_year, CGSH.YearShape, CG.yearEnd, VIOLATION),
    ("implausible-year",
     replace_value(CG.AwardConferral, CG.year, lambda g, n: Literal("2201", datatype=XSD.gYear)),
     CGSH.PlausibleYearShape, CG.year, VIOLATION),
    ("competing-entries-as-string",
     replace_value(CG.AwardConferral, CG.competingEntries, lambda g, n: Literal("291")),
     CGSH.AwardConferralShape, CG.competingEntries, VIOLATION),
    ("figure-without-unit", drop(SCHEMA.unitCode, CG.Figure), CGSH.FigureShape, None, VIOLATION),
    ("figure-value-as-string",
     replace_value(CG.Figure, SCHEMA.value, lambda g, n: Literal(str(g.value(n, SCHEMA.value)))),
     CGSH.FigureShape, SCHEMA.value, VIOLATION),
    ("unit-code-not-allowed",
     replace_value(CG.Figure, SCHEMA.unitCode, lambda g, n: Literal("人")),
     CGSH.FigureShape, SCHEMA.unitCode, VIOLATION),
    ("figure-without-metric", drop(CG.metric, CG.Figure), CGSH.PlainFigureShape, None, VIOLATION),
    ("effect-before-without-after", drop(CG.after, CG.MeasuredEffect),
     CGSH.MeasuredEffectShape, None, VIOLATION),
    ("effect-quantity-without-unit", before_without_unit,
     CGSH.MeasuredEffectShape, CG.before, VIOLATION),
    ("organisation-without-passage", drop(CG.statedIn, CG.PartyBranch),
     CGSH.StatedInPassageShape, CG.statedIn, VIOLATION),
    ("conferral-without-passage", drop(CG.statedIn, CG.AwardConferral),
     CGSH.StatedInPassageShape, CG.statedIn, VIOLATION),
    ("statedin-not-a-passage", statedin_to_document,
     CGSH.StatedInPassageShape, CG.statedIn, VIOLATION),
    ("label-without-language-tag", strip_label_tags, CGSH.LabelLanguageTagged, RDFS.label,
     VIOLATION),
    ("only-english-label", only_english_label, CGSH.LabelInChinese, RDFS.label, VIOLATION),
    ("no-english-label", no_english_label, CGSH.LabelInEnglish, RDFS.label, WARNING),
    ("empty-quote",
     replace_value(CG.Passage, CG.quote, lambda g, n: Literal("", lang="zh-Hant")),
     CGSH.PassageShape, CG.quote, VIOLATION),
    ("passage-without-document", drop(DCTERMS.isPartOf, CG.Passage),
     CGSH.PassageShape, DCTERMS.isPartOf, VIOLATION),
    ("passage-start-after-end",
     replace_value(CG.Passage, CG.charStart, lambda g, n: Literal(int(g.value(n, CG.charEnd)))),
     CGSH.PassageShape, CG.charStart, VIOLATION),
    ("practice-kind-from-wrong-scheme",
     replace_value(CG.Practice, CG.practiceKind, lambda g, n: ID["metric/party-members"]),
     CGSH.PracticeShape, CG.practiceKind, VIOLATION),
    ("practice-without-practitioner", drop(CG.practisedBy, CG.Practice),
     CGSH.PracticeShape, CG.practisedBy, VIOLATION),
    ("brand-derives-from-itself",
     replace_value(CG.PartyBuildingBrand, CG.derivesFrom, lambda g, n: n),
     CGSH.BrandShape, None, VIOLATION),
    ("brand-without-owner", drop(CG.brandOwner, CG.PartyBuildingBrand),
     CGSH.BrandShape, CG.brandOwner, VIOLATION),
    ("event-ends-before-start", event_ending_before_start,
     CGSH.EventShape, SCHEMA.endDate, VIOLATION),
    ("membership-without-member", membership_without_member,
     CGSH.MembershipShape, ORG.member, VIOLATION),
    ("innovation-without-developer", drop(CG.developedBy, CG.Innovation),
     CGSH.InnovationShape, CG.developedBy, VIOLATION),
]


def test_the_bases_conform_before_mutation():
    for graph in bases():
        report = validate_graph(graph)
        assert report.conforms, report.to_text()


@pytest.mark.parametrize(
    "mutation, shape, path, severity",
    [pytest.param(*m[1:], id=m[0]) for m in MUTATIONS],
)
def test_mutation_is_rejected_by_the_named_shape(mutation, shape, path, severity):
    for graph in bases():
        focus = mutation(graph)
        if focus is not None:
            break
    else:
        pytest.fail("neither the first case nor the fixture has the fact this mutation breaks")
    report = validate_graph(graph)
    if severity == VIOLATION:
        assert not report.conforms
    else:
        assert report.conforms, report.to_text()
    matching = [
        r
        for r in report.results
        if r.source_shape == shape
        and r.focus_node == focus
        and r.severity == severity
        and (path is None or r.path == path)
    ]
    assert matching, report.to_text()
    assert all(r.message_en and r.message_zh for r in matching)


def test_foundingdate_must_be_a_gyear():
    graph = case_graph(FIXTURE)
    branch = first_subject(graph, CG.BranchCompany)
    graph.add((branch, SCHEMA.foundingDate, Literal("2015-01-01", datatype=XSD.date)))
    report = validate_graph(graph)
    assert any(
        r.source_shape == CGSH.OrganisationShape and r.path == SCHEMA.foundingDate
        for r in report.violations
    ), report.to_text()


def test_quote_must_match_the_source_text(tmp_path):
    folder = tmp_path / "western-heat-source"
    folder.mkdir()
    (folder / "source.txt").write_text(
        (FIXTURE.parent / "source.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    trig = FIXTURE.read_text(encoding="utf-8").replace("現(xiàn)有黨員23人", "現(xiàn)有黨員32人")
    (folder / "case.trig").write_text(trig, encoding="utf-8")
    report = validate_files([folder / "case.trig"])
    bad = [r for r in report.violations if r.source_shape == CGSH.PassageQuotesSourceText]
    assert len(bad) == 1
    assert bad[0].focus_node == ID["case/western-heat-source/passage/p02"]
    assert "23" in bad[0].message_en


def test_report_turtle_is_a_shacl_report():
    graph = case_graph(FIXTURE)
    drop(CG.issuer, CG.AwardConferral)(graph)
    report = validate_graph(graph)
    shacl = Graph().parse(data=report.to_turtle(), format="turtle")
    sh = Namespace("http://www.w3.org/ns/shacl#")
    (node,) = shacl.subjects(RDF.type, sh.ValidationReport)
    assert shacl.value(node, sh.conforms) == Literal(False)
    assert len(list(shacl.objects(node, sh.result))) == len(report.results)
    assert isinstance(node, BNode)


def test_case_graph_base_is_mapped_back_to_canonical():
    served = "https://cases.example.org/id/"
    canonical = str(ID)
    graph = Graph()
    for triple in case_graph(FIXTURE):
        graph.add(
            tuple(
                URIRef(served + t[len(canonical):])
                if isinstance(t, URIRef) and t.startswith(canonical)
                else t
                for t in triple
            )
        )
    assert validate_graph(graph, base_iri=served).conforms
    assert not validate_graph(graph).conforms


@pytest.mark.parametrize("path", paths.case_files(), ids=lambda p: p.parent.name)
def test_bundled_case_conforms(path):
    report = validate_files([path])
    assert report.conforms, report.to_text()


def test_there_is_bundled_case_data():
    assert paths.case_files(), "no data/cases/*/case.trig"
