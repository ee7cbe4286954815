"""Key facts of the four power-generation cases helper ws-b added through the workspace.

datang-zala-hydropower-four-together, huadian-jiangsu-five-shows-five-contests,
huaneng-longdong-joint-building and spic-party-vanguard-teams were drafted, reviewed and
published in ``/curate`` over its JSON operations and exported with ``casegraph
export-case``.  These tests pin what their condensed notes (data/cases/<slug>/source.txt)
say — figures with units and metrics, the conferral with its issuer and year, brand
owners and lineage, the group hierarchy, people in posts — and that the cases reuse the
group IRIs other cases held before (China Huadian, China Huaneng, SPIC, the construction
association, China Electric Power Net) instead of minting copies.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import RDF, Dataset
from rdflib.namespace import DCTERMS

from tests.case_vocabulary import (
    CG,
    SCHEMA,
    conferrals,
    figures,
    graph_iri,
    graphs_naming,
    id_path,
    iri,
    memberships,
    rolls_up_to,
    select,
    source_text,
)

ZALA = "datang-zala-hydropower-four-together"
JIANGSU = "huadian-jiangsu-five-shows-five-contests"
LONGDONG = "huaneng-longdong-joint-building"
SPIC = "spic-party-vanguard-teams"
CASES = (ZALA, JIANGSU, LONGDONG, SPIC)


@pytest.mark.parametrize("slug", CASES)
def test_case_is_one_graph_citing_its_page_and_quoting_its_text(dataset: Dataset, slug: str) -> None:
    text = source_text(slug)
    case = dataset.graph(graph_iri(slug))
    doc = iri(f"case/{slug}")
    assert str(case.value(doc, DCTERMS.source)).startswith("http")
    assert {t.language for t in case.objects(doc, DCTERMS.title)} == {"zh-Hans", "zh-Hant", "en"}
    # The other graphs hold nothing about this case document: one case, one graph.
    assert graphs_naming(dataset, doc) == {slug}
    passages = list(case.subjects(CG.quote, None))
    assert len(passages) >= 10
    for passage in passages:
        start, end = (case.value(passage, p).toPython() for p in (CG.charStart, CG.charEnd))
        assert text[start:end] == str(case.value(passage, CG.quote)), passage


@pytest.mark.parametrize(("slug", "written", "issued"), [
    (JIANGSU, "发布日期2021-10-25", "2021-10-25"),
    (LONGDONG, "页面日期2022-02-25", "2022-02-25"),
    (SPIC, "页面日期2021年06月18日", "2021-06-18"),
])
def test_case_date_is_the_date_its_note_gives(dataset: Dataset, slug: str, written: str, issued: str) -> None:
    assert written in source_text(slug)
    assert str(dataset.graph(graph_iri(slug)).value(iri(f"case/{slug}"), DCTERMS.issued)) == issued


def test_zala_best_case_award_by_the_construction_association_in_2024(dataset: Dataset) -> None:
    text = source_text(ZALA)
    assert "获评中国施工企业管理协会“2024年工程建设企业文化建设最佳案例”" in text
    (conferral,) = conferrals(dataset, ZALA)
    assert conferral.award == "award/construction-enterprise-culture-best-case"
    assert (conferral.recipient, conferral.issuer, conferral.year) == (
        "org/datang-zala-hydropower", "org/china-association-of-construction-enterprise-management",
        "2024")
    # The text names no level: recorded as not stated, not guessed.
    assert conferral.level is None
    nodes = select(dataset, f"""
        SELECT ?c WHERE {{ GRAPH <{graph_iri(ZALA)}> {{ ?c cg:notStatedInSource cg:level }} }}""")
    assert len(nodes) == 1


def test_zala_figures_capacity_and_experts(dataset: Dataset) -> None:
    text = source_text(ZALA)
    assert "世界首台套500兆瓦高水头冲击式水电工程" in text and "公司另有两名职工" in text
    found = {(f.metric, f.value, f.unit) for f in figures(dataset, ZALA, of="org/datang-zala-hydropower")}
    assert found == {("installed-capacity", Decimal("500"), "MAW"), ("experts-appointed", Decimal("2"), "C62")}


def test_zala_brand_derives_from_the_group_brand(dataset: Dataset) -> None:
    assert "以集团公司“红帆领航·卓越大唐”党建品牌为引领" in source_text(ZALA)
    case = dataset.graph(graph_iri(ZALA))
    brand, group_brand = iri("brand/four-togethers-spirit-project-no-1"), iri("brand/red-sails-leading-excellent-datang")
    assert case.value(brand, CG.brandOwner) == iri("org/datang-zala-hydropower")
    assert case.value(group_brand, CG.brandOwner) == iri("org/china-datang")
    assert (brand, CG.derivesFrom, group_brand) in case
    assert (iri("org/datang-zala-hydropower"), SCHEMA.brand, brand) in case
    assert rolls_up_to(dataset, "datang-zala-hydropower", "china-datang")


def test_jiangsu_units_roll_up_to_china_huadian(dataset: Dataset) -> None:
    text = source_text(JIANGSU)
    assert "华电江苏公司(中国华电集团有限公司江苏分公司)" in text and "戚电的沈长根班组" in text
    for unit in ("huadian-wujiang-thermal-power", "huadian-judian", "huadian-yangdian",
                 "huadian-qidian-shen-changgen-team"):
        assert rolls_up_to(dataset, unit, "huadian-jiangsu"), unit
    assert rolls_up_to(dataset, "huadian-jiangsu", "china-huadian-group")


def test_jiangsu_people_in_their_posts(dataset: Dataset) -> None:
    text = source_text(JIANGSU)
    assert "吴江热电设备部部门主任张浩良" in text and "基建专工白阳" in text
    assert memberships(dataset, JIANGSU) == {
        ("张浩良", "org/huadian-wujiang-thermal-power", "role/equipment-department-head"),
        ("白阳", "org/huadian-jiangsu", "role/capital-construction-specialist"),
    }


def test_jiangsu_five_shows_and_five_contests_with_their_kinds(dataset: Dataset) -> None:
    assert "“五亮”是亮身份、亮职责、亮承诺、亮业绩、亮形象" in source_text(JIANGSU)
    rows = select(dataset, f"""
        SELECT ?kind ?by WHERE {{
          GRAPH <{graph_iri(JIANGSU)}> {{ ?p a cg:Practice ; cg:practiceKind ?kind ; cg:practisedBy ?by }}
        }}""")
    found = {(id_path(k), id_path(b)) for k, b in rows}
    assert {("practice-kind/party-member-identity-display", "org/huadian-jiangsu"),
            ("practice-kind/labour-skills-competition", "org/huadian-jiangsu"),
            ("practice-kind/flood-control-and-disaster-relief", "org/huadian-wujiang-thermal-power"),
            ("practice-kind/volunteer-service", "org/huadian-judian")} <= found
    (hours,) = [f for f in figures(dataset, JIANGSU) if f.unit == "HUR"]
    assert (hours.value, hours.metric) == (Decimal("24"), "duration")


def test_longdong_launch_led_by_huaneng_leaders(dataset: Dataset) -> None:
    text = source_text(LONGDONG)
    assert "中国华能集团有限公司党组副书记、工委主任王森出席并讲话,党组成员、副总经理李富民主持会议" in text
    held = memberships(dataset, LONGDONG)
    assert {("王森", "org/china-huaneng-group", "role/leading-party-group-deputy-secretary"),
            ("李富民", "org/china-huaneng-group", "role/leading-party-group-member"),
            ("李富民", "org/china-huaneng-group", "role/deputy-general-manager")} <= held
    # The article's author is no member of the group.
    assert not any(name == "白晶栋" for name, _, _ in held)
    assert rolls_up_to(dataset, "huaneng-gansu", "china-huaneng-group")
    case = dataset.graph(graph_iri(LONGDONG))
    assert case.value(iri("org/huaneng-gansu"), CG.locatedIn) == iri("place/gansu")
    assert (iri("project/huaneng-longdong-energy-base"), RDF.type, CG.Project) in case


def test_spic_vanguard_counts_each_with_its_metric(dataset: Dataset) -> None:
    text = source_text(SPIC)
    assert "成立党员尖刀班127个、党员突击队996个、党员先锋岗1499个、党员责任区3589个,另有其他创先争优团队335个" in text
    found = {(f.metric, f.value) for f in figures(dataset, SPIC, of="org/state-power-investment-corporation")}
    assert found == {("pioneer-teams", Decimal("127")), ("commando-teams", Decimal("996")),
                     ("vanguard-posts", Decimal("1499")), ("responsibility-zones", Decimal("3589")),
                     ("pioneer-teams", Decimal("335"))}
    assert "成立由16名党员组成的党员突击队" in text and "8.8万根螺旋管桩" in text
    unit = {(f.metric, f.value, f.unit)
            for f in figures(dataset, SPIC, of="org/spic-huanghe-power-maintenance")}
    assert unit == {("party-members", Decimal("16"), "C62"), ("components-installed", Decimal("88000"), "C62")}


def test_spic_units_roll_up_to_the_group(dataset: Dataset) -> None:
    for unit in ("spic-fujian", "spic-anhui", "spic-smart-energy-snpdri", "spic-huanghe-power-maintenance"):
        assert rolls_up_to(dataset, unit, "state-power-investment-corporation"), unit
    # The page's "国家电力投资集团公司" is the group, not its Guangdong company.
    assert SPIC not in graphs_naming(dataset, iri("org/spic-guangdong"))


@pytest.mark.parametrize(("path", "added_in", "held_by"), [
    ("org/china-association-of-construction-enterprise-management", ZALA, "jinan-urban-construction-iron-army"),
    ("org/china-huadian-group", JIANGSU, "huadian-shiliquan-power-plant"),
    ("org/china-huaneng-group", LONGDONG, "huaneng-jining-power-plant"),
    ("org/china-electric-power-net", LONGDONG, "crpower-hubei-chiyan-panxin"),
    ("org/state-power-investment-corporation", SPIC, "spic-hengqin-thermal-power"),
    ("practice-kind/joint-party-building", LONGDONG, "datang-qingdao-thermal-joint-building"),
])
def test_case_reuses_an_iri_another_case_held(
    dataset: Dataset, path: str, added_in: str, held_by: str
) -> None:
    assert {added_in, held_by} <= graphs_naming(dataset, iri(path))
