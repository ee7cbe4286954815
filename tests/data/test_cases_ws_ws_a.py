"""Key facts of the four heating cases helper ws-a curated in the workspace.

tianjin-binhai-heating-steward-brand, kaifeng-jinsheng-heating-repair-team,
jinan-thermoelectric-xinghuo-laba and jinan-energy-investment-heating-stewards were drafted,
reviewed and published in ``/curate`` and written back with ``casegraph export-case``.
These tests pin what their condensed notes (data/cases/<slug>/source.txt) say — each
figure's value and unit read from the note's own words, the Workers' Pioneer conferral with
its level, year and unstated issuer, the brands' owners, the hierarchy, the people in
their posts — and that the cases reuse the IRIs other cases held (济南热电集团 and its
“热电星火” brand, 济南能投集团, 济南热力集团, 大众网, the 工人先锋号 title) instead of
minting copies.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from rdflib import Dataset
from rdflib.namespace import DCTERMS

from tests.case_vocabulary import (
    CG,
    conferrals,
    figures,
    graph_iri,
    graphs_naming,
    id_path,
    iri,
    rolls_up_to,
    select,
    source_text,
)

BINHAI = "tianjin-binhai-heating-steward-brand"
KAIFENG = "kaifeng-jinsheng-heating-repair-team"
LABA = "jinan-thermoelectric-xinghuo-laba"
NENGTOU = "jinan-energy-investment-heating-stewards"
CASES = (BINHAI, KAIFENG, LABA, NENGTOU)

#: 万 as the notes write it: the figures store base units.
TEN_THOUSAND = Decimal(10_000)


def number(text: str, pattern: str) -> Decimal:
    """The number the note writes where ``pattern`` (one group) matches."""
    found = re.search(pattern, text)
    assert found, pattern
    return Decimal(found.group(1))


@pytest.mark.parametrize("slug", CASES)
def test_case_is_one_graph_citing_its_page_and_quoting_its_text(dataset: Dataset, slug: str) -> None:
    text = source_text(slug)
    page = re.search(r"^source: (\S+)$", text, re.MULTILINE).group(1)
    case = dataset.graph(graph_iri(slug))
    doc = iri(f"case/{slug}")
    assert str(case.value(doc, DCTERMS.source)) == page
    assert case.value(doc, DCTERMS.issued) is not None
    assert {t.language for t in case.objects(doc, DCTERMS.title)} == {"zh-Hans", "zh-Hant", "en"}
    passages = list(case.subjects(CG.quote, None))
    assert len(passages) >= 8
    for passage in passages:
        start, end = (case.value(passage, p).toPython() for p in (CG.charStart, CG.charEnd))
        assert text[start:end] == str(case.value(passage, CG.quote)), passage
    # Only this case's graph holds its passages.
    assert {g for g in graphs_naming(dataset, passages[0])} == {slug}


def test_binhai_season_figures_with_units(dataset: Dataset) -> None:
    text = source_text(BINHAI)
    days = number(text, r"持续供热(\d+)天")
    area = number(text, r"供热面积达(\d+)余万平方米") * TEN_THOUSAND
    households = number(text, r"满足(\d+)万余户") * TEN_THOUSAND
    found = {(f.metric, f.value, f.unit, f.approximate)
             for f in figures(dataset, BINHAI, of="org/binhai-heating-group")}
    assert {("duration", days, "DAY", False), ("heating-area", area, "MTK", True),
            ("households", households, "C62", True)} <= found


def test_binhai_brand_handles_complaints(dataset: Dataset) -> None:
    text = source_text(BINHAI)
    handled = number(text, r"共处理各类信访件(\d+)个")
    brand = "brand/binhai-little-heating-steward"
    (figure,) = figures(dataset, BINHAI, of=brand)
    assert (figure.metric, figure.value, figure.unit) == ("complaints-handled", handled, "C62")
    owner = dataset.graph(graph_iri(BINHAI)).value(iri(brand), CG.brandOwner)
    assert id_path(owner) == "org/binhai-heating-group"
    repairs = number(text, r"应急抢修(\d+)处")
    assert ("emergency-repairs", repairs) in {(f.metric, f.value) for f in figures(dataset, BINHAI)}


def test_kaifeng_workers_pioneer_is_the_shared_title_municipal_2023_issuer_not_stated(
    dataset: Dataset,
) -> None:
    text = source_text(KAIFENG)
    assert "该班组荣获“2023年开封市工人先锋号”荣誉称号" in text
    assert "页面未写明授予“工人先锋号”称号的单位" in text
    (conferral,) = conferrals(dataset, KAIFENG)
    assert conferral.award == "award/workers-pioneer"
    assert (conferral.recipient, conferral.level, conferral.year, conferral.issuer) == (
        "org/kaifeng-jinsheng-heating-pipe-repair-team", "award-level/municipal", "2023", None)
    (missing,) = select(dataset, f"""
        SELECT ?p WHERE {{ GRAPH <{graph_iri(KAIFENG)}> {{
          ?c a cg:AwardConferral ; cg:notStatedInSource ?p }} }}""")
    assert missing[0] == CG.issuer


def test_kaifeng_team_figures_and_parent(dataset: Dataset) -> None:
    text = source_text(KAIFENG)
    members = number(text, r"由(\d+)人组成")
    length = number(text, r"全市([\d.]+)公里供热主管网")
    found = {(f.metric, f.value, f.unit)
             for f in figures(dataset, KAIFENG, of="org/kaifeng-jinsheng-heating-pipe-repair-team")}
    assert found == {("staff-count", members, "C62"), ("distance", length, "KMT")}
    assert rolls_up_to(dataset, "kaifeng-jinsheng-heating-pipe-repair-team", "kaifeng-jinsheng-heating")


def test_laba_volunteers_reuse_the_thermal_power_spark_brand(dataset: Dataset) -> None:
    assert "热电集团南郊、北郊、东新、和信等分公司的“热电星火”志愿者" in source_text(LABA)
    brand = iri("brand/thermal-power-spark")
    owners = {o for g in dataset.graphs() for o in g.objects(brand, CG.brandOwner)}
    assert owners == {iri("org/jinan-thermal-power-group")}
    assert {LABA, "jinan-thermal-dongxin-hexin-branch"} <= graphs_naming(dataset, brand)
    for branch in ("nanjiao", "beijiao", "dongxin", "hexin"):
        assert rolls_up_to(dataset, f"jinan-thermal-power-{branch}-branch", "jinan-energy-group")
    for branch in ("hemao", "hean"):
        assert rolls_up_to(dataset, f"jinan-heating-{branch}-branch", "jinan-heating-group")


def test_laba_practices_have_kinds_and_practisers(dataset: Dataset) -> None:
    rows = select(dataset, f"""
        SELECT ?kind ?by WHERE {{ GRAPH <{graph_iri(LABA)}> {{
          ?p a cg:Practice ; cg:practiceKind ?kind ; cg:practisedBy ?by }} }}""")
    kinds = {id_path(k) for k, _ in rows}
    assert kinds == {"practice-kind/volunteer-service", "practice-kind/public-knowledge-outreach"}
    assert ("practice-kind/public-knowledge-outreach", "org/jinan-heating-hemao-branch") in {
        (id_path(k), id_path(b)) for k, b in rows}


def test_nengtou_people_hold_their_posts(dataset: Dataset) -> None:
    text = source_text(NENGTOU)
    assert "济南能投集团党委书记、董事长陈福仲" in text
    assert "能投集团党委委员、副总经理齐剑昆" in text
    assert "济南能投集团党委副书记、工会主席王恩立" in text
    held = select(dataset, f"""
        SELECT ?name ?org ?role WHERE {{ GRAPH <{graph_iri(NENGTOU)}> {{
          ?m org:member/rdfs:label ?name ; org:organization ?org ; org:role ?role .
          FILTER(lang(?name) = "zh-Hans") }} }}""")
    committee, group = "org/jinan-energy-investment-group-party-committee", "org/jinan-energy-investment-group"
    assert {(str(n), id_path(o), id_path(r)) for n, o, r in held} == {
        ("陈福仲", committee, "role/party-committee-secretary"),
        ("陈福仲", group, "role/board-chair"),
        ("齐剑昆", committee, "role/party-committee-member"),
        ("齐剑昆", group, "role/deputy-general-manager"),
        ("王恩立", committee, "role/party-committee-deputy-secretary"),
        ("王恩立", group, "role/trade-union-chair"),
    }
    assert rolls_up_to(dataset, "jinan-energy-investment-group-party-committee", "jinan-energy-group")


def test_nengtou_commendation_and_development_figures(dataset: Dataset) -> None:
    text = source_text(NENGTOU)
    teams = number(text, r"获得表彰的(\d+)个供暖管家团队")
    (conferral,) = conferrals(dataset, NENGTOU)
    assert (conferral.issuer, conferral.level, conferral.year, conferral.recipient) == (
        "org/jinan-energy-investment-group", "award-level/enterprise", "2021", None)
    assert ("service-teams", teams, "C62") in {(f.metric, f.value, f.unit) for f in figures(dataset, NENGTOU)}
    developed = number(text, r"新开发冷热用户建筑总面积(\d+)万㎡") * TEN_THOUSAND
    heating = number(text, r"开发供热面积(\d+)万㎡") * TEN_THOUSAND
    photovoltaic = number(text, r"装机容量([\d.]+)MW")
    found = {(f.metric, f.value, f.unit)
             for f in figures(dataset, NENGTOU, of="org/jinan-energy-investment-group")}
    assert {("heating-area-added", developed, "MTK"), ("heating-area-added", heating, "MTK"),
            ("installed-capacity", photovoltaic, "MAW")} <= found


@pytest.mark.parametrize(("path", "added_in", "held_by"), [
    ("brand/thermal-power-spark", LABA, "jinan-thermal-dongxin-hexin-branch"),
    ("org/jinan-thermal-power-group", LABA, "jinan-thermal-western-heat-source"),
    ("org/jinan-heating-group", LABA, "jinan-heating-staff-proposal-award"),
    ("org/dzwww", LABA, "jinan-water-group"),
    ("org/jinan-energy-investment-group", NENGTOU, "jinan-energy-group-chuxin"),
    ("org/jinan-energy-group", NENGTOU, "jinan-energy-group-chuxin"),
    ("role/party-committee-secretary", NENGTOU, "huadian-shandong-guangdong-joint-building"),
    ("award/workers-pioneer", KAIFENG, "arhorqin-changcheng-heating-line-team"),
    ("metric/heating-area", BINHAI, "arhorqin-changcheng-heating-line-team"),
])
def test_case_reuses_an_iri_another_case_held(
    dataset: Dataset, path: str, added_in: str, held_by: str
) -> None:
    assert {added_in, held_by} <= graphs_naming(dataset, iri(path))
