"""Key facts of the four transport, tourism and port cases helper ws-e added through the
curation workspace.

jinan-rail-transit-joint-creation (济南轨道交通集团 “联创共建”), jinan-bus-southern-company-may-day-award
(济南公交南部公司, 济南市五一劳动奖状), shanxiang-jiunvfeng-party-cloud (山乡集团九女峰 “党建云·故乡情”)
and shandong-port-yantai-two-tracks (山东港口烟台港 “两大赛道”) were drafted, reviewed and
published in ``/curate`` and written back by ``casegraph export-case``.  These tests pin what
their condensed notes (data/cases/<slug>/source.txt) say — figures with units, conferrals with
issuer, level and year (or their absence), brand owners, the chains of units up to their
groups, people in posts — and that the cases reuse the IRIs other cases held instead of
minting copies.  Every value asserted is read in the note first, so a test fails when the
graph and its text part.
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
    memberships,
    rolls_up_to,
    select,
    source_text,
)

RAIL = "jinan-rail-transit-joint-creation"
BUS = "jinan-bus-southern-company-may-day-award"
SHANXIANG = "shanxiang-jiunvfeng-party-cloud"
YANTAI = "shandong-port-yantai-two-tracks"
CASES = (RAIL, BUS, SHANXIANG, YANTAI)


@pytest.mark.parametrize("slug", CASES)
def test_case_is_one_graph_citing_its_page_and_quoting_its_text(dataset: Dataset, slug: str) -> None:
    text = source_text(slug)
    page = re.search(r"^source: (\S+)$", text, re.MULTILINE).group(1)
    case = dataset.graph(graph_iri(slug))
    doc = iri(f"case/{slug}")
    assert str(case.value(doc, DCTERMS.source)) == page
    assert {t.language for t in case.objects(doc, DCTERMS.title)} == {"zh-Hans", "zh-Hant", "en"}
    passages = list(case.subjects(CG.quote, None))
    assert len(passages) >= 10
    for passage in passages:
        start, end = (case.value(passage, p).toPython() for p in (CG.charStart, CG.charEnd))
        assert text[start:end] == str(case.value(passage, CG.quote)), passage
    # The case lives in its own named graph only: no other graph describes its document.
    assert graphs_naming(dataset, doc) == {slug}


@pytest.mark.parametrize(("slug", "said", "issued"), [
    (RAIL, "发布日期2024-01-17 15:55:52", "2024-01-17"),
    (YANTAI, "地址路径含“2022/1011”", "2022-10-11"),
    # A year only (2022) and an undated page: the workspace takes full dates, so none is set.
    (BUS, "页面未标日期", None),
    (SHANXIANG, "未显示标题与日期", None),
])
def test_case_is_dated_as_its_note_says(dataset: Dataset, slug: str, said: str, issued: str | None) -> None:
    assert said in source_text(slug)
    value = dataset.graph(graph_iri(slug)).value(iri(f"case/{slug}"), DCTERMS.issued)
    assert (str(value) if value is not None else None) == issued


def test_rail_temporary_party_organisations_and_170_days(dataset: Dataset) -> None:
    text = source_text(RAIL)
    assert "在建设运营一线成立了32个临时党组织" in text and "只用170天就完成了换乘大厅2层结构" in text
    (count,) = figures(dataset, RAIL, of="org/jinan-rail-transit-group")
    assert (count.metric, count.value, count.unit) == ("temporary-party-organisations", Decimal("32"), "C62")
    (days,) = [f for f in figures(dataset, RAIL) if f.unit == "DAY"]
    assert (days.metric, days.value) == ("duration", Decimal("170"))
    # The 170 days are those of the Line 6 temporary Party committee's push at Laotun Station.
    practice = iri(days.of)
    case = dataset.graph(graph_iri(RAIL))
    assert id_path(case.value(practice, CG.practisedBy)) == \
        "org/jinan-rail-line-6-project-temporary-party-committee"
    assert rolls_up_to(dataset, "jinan-rail-line-6-special-task-force", "jinan-rail-transit-group")


def test_rail_brand_and_its_two_undated_or_unleveled_awards(dataset: Dataset) -> None:
    text = source_text(RAIL)
    assert "入选市属国企党建工作“十大品牌”,并获评2023年度“国企党建品牌建设优秀案例”" in text
    assert "未写明“十大品牌”和“国企党建品牌建设优秀案例”的评选单位" in text
    found = {(c.award, c.recipient, c.issuer, c.level, c.year) for c in conferrals(dataset, RAIL)}
    assert found == {
        ("award/municipal-soe-party-building-top-ten-brands", "org/jinan-rail-transit-group", None,
         "award-level/municipal", None),
        ("award/soe-party-building-brand-excellent-case", "org/jinan-rail-transit-group", None, None, "2023"),
    }
    case = dataset.graph(graph_iri(RAIL))
    for conferral in case.subjects(CG.award, None):
        assert (conferral, CG.notStatedInSource, CG.issuer) in case
    brand = iri("brand/jinan-rail-joint-creation")
    assert id_path(case.value(brand, CG.brandOwner)) == "org/jinan-rail-transit-group"


def test_bus_may_day_certificate_from_the_city_trade_unions(dataset: Dataset) -> None:
    text = source_text(BUS)
    assert "济南市总工会发布《关于表扬2021年“建功十四五 建设强省会”争先创优劳动竞赛" in text
    assert "在2021年度“建功十四五 建设强省会”争先创优劳动竞赛中表现突出,获得济南市五一劳动奖状" in text
    (may_day,) = [c for c in conferrals(dataset, BUS) if c.award == "award/may-day-labour-certificate"]
    assert (may_day.recipient, may_day.issuer, may_day.level, may_day.year) == (
        "org/jinan-bus-southern-company", "org/jinan-federation-of-trade-unions",
        "award-level/municipal", "2021")


def test_bus_other_honours_keep_their_issuers_levels_and_years(dataset: Dataset) -> None:
    text = source_text(BUS)
    assert "孟苓菲(公司六队驾驶员)获得山东省“最美驾驶员”荣誉称号" in text
    assert "集团“2020年先进单位”“2020年先进基层党委”" in text
    assert "当年4月获得省级文明单位荣誉称号" in text
    found = {(c.award, c.recipient, c.issuer, c.level, c.year) for c in conferrals(dataset, BUS)
             if c.award != "award/may-day-labour-certificate"}
    assert found == {
        ("award/most-beautiful-driver", "person/meng-lingfei", None, "award-level/provincial", "2021"),
        ("award/advanced-unit", "org/jinan-bus-southern-company", "org/jinan-public-transport-group",
         "award-level/group", "2020"),
        ("award/advanced-grassroots-party-committee", "org/jinan-bus-southern-company",
         "org/jinan-public-transport-group", "award-level/group", "2020"),
        # 省级文明单位 is the shared title 文明单位 at provincial level; 当年 names no year.
        ("award/civilised-unit", "org/jinan-bus-southern-company", None, "award-level/provincial", None),
    }
    assert memberships(dataset, BUS) == {
        ("孟苓菲", "org/jinan-bus-southern-company-team-6", "role/driver")}
    assert rolls_up_to(dataset, "jinan-bus-southern-company-team-6", "jinan-public-transport-group")
    assert rolls_up_to(dataset, "jinan-bus-southern-company-party-committee", "jinan-public-transport-group")


def test_shanxiang_brand_figures_and_chain_to_the_province_group(dataset: Dataset) -> None:
    text = source_text(SHANXIANG)
    assert "捐赠赞助各类物资10余次,为村民捐赠1.2万只芦花鸡苗" in text
    assert "落地打造了以泰山九女峰乡村振兴示范区为代表的十多个乡村振兴项目" in text
    found = {(f.metric, f.value, f.unit, f.approximate) for f in figures(dataset, SHANXIANG)}
    assert found == {
        ("activities", Decimal("10"), "C62", True),
        ("donated-items", Decimal("12000"), "C62", False),
        ("projects", Decimal("10"), "C62", True),
    }
    case = dataset.graph(graph_iri(SHANXIANG))
    brand = iri("brand/shanxiang-party-building-cloud-hometown-love")
    assert id_path(case.value(brand, CG.brandOwner)) == \
        "org/shanxiang-jiunvfeng-rural-revitalisation-party-branch"
    assert "山乡集团有限公司是山东文旅集团权属企业" in text
    assert rolls_up_to(dataset, "shanxiang-jiunvfeng-rural-revitalisation-party-branch",
                       "shandong-culture-tourism-group")
    assert "山乡集团党委书记、董事长为张建峰" in text
    assert memberships(dataset, SHANXIANG) == {
        ("张建峰", "org/shanxiang-group-party-committee", "role/party-committee-secretary"),
        ("张建峰", "org/shanxiang-group", "role/board-chair"),
    }


def test_shanxiang_first_secretary_practice_is_the_branch_s(dataset: Dataset) -> None:
    assert "派驻第一书记参与项目共驻共建" in source_text(SHANXIANG)
    rows = select(dataset, f"""
        SELECT ?by WHERE {{ GRAPH <{graph_iri(SHANXIANG)}> {{
          ?p cg:practiceKind <{iri('practice-kind/first-secretary-in-village')}> ; cg:practisedBy ?by }} }}""")
    assert {id_path(by) for (by,) in rows} == {"org/shanxiang-jiunvfeng-rural-revitalisation-party-branch"}


def test_yantai_port_figures_in_their_units(dataset: Dataset) -> None:
    text = source_text(YANTAI)
    assert "提前85天完成中非班轮全年150万吨目标,原油管道复线(干线)管输量突破300万吨,前三季度货物吞吐量增长9.4%" in text
    assert "把烟台港123个基层党支部和24个直属党组织书记纳入竞赛范围" in text
    found = {(f.metric, f.value, f.unit, f.approximate)
             for f in figures(dataset, YANTAI, of="org/shandong-port-yantai-port")}
    assert found == {
        ("duration", Decimal("85"), "DAY", False),
        ("cargo-volume", Decimal("1500000"), "TNE", False),
        ("cargo-volume", Decimal("3000000"), "TNE", True),  # 突破: more than
        ("rate", Decimal("9.4"), "P1", False),
        ("party-branches", Decimal("123"), "C62", False),
        ("party-secretaries", Decimal("24"), "C62", False),
    }


def test_yantai_contests_are_the_party_committee_s_and_it_rolls_up_to_shandong_port(
    dataset: Dataset,
) -> None:
    assert "烟台港党委组织部牵头,全面启动“星级支部积分赛”和“头雁领飞擂台赛”" in source_text(YANTAI)
    rows = select(dataset, f"""
        SELECT ?kind WHERE {{ GRAPH <{graph_iri(YANTAI)}> {{
          ?p a cg:Practice ; cg:practiceKind ?kind ;
             cg:practisedBy <{iri('org/shandong-port-yantai-port-party-committee')}> }} }}""")
    kinds = {id_path(k) for (k,) in rows}
    assert {"practice-kind/performance-appraisal", "practice-kind/strongest-branch-creation",
            "practice-kind/three-level-linkage"} <= kinds
    assert rolls_up_to(dataset, "shandong-port-yantai-port-party-committee", "shandong-port-group")


@pytest.mark.parametrize(("path", "added_in", "held_by"), [
    ("org/jinan-public-transport-group", BUS, "jinan-bus-party-pioneer-vehicles"),
    ("org/jinan-public-transport-group-party-committee", BUS, "jinan-bus-3rd-branch-team7"),
    ("org/jinan-federation-of-trade-unions", BUS, "jinan-thermal-western-heat-source"),
    ("award/civilised-unit", BUS, "sgcc-huojia-power-supply"),
    ("place/jinan", RAIL, "jinan-water-group"),
    ("place/shandong", SHANXIANG, "sgcc-qingzhou-rainbow-team"),
    ("role/party-committee-secretary", SHANXIANG, "huadian-shandong-guangdong-joint-building"),
    ("metric/party-branches", YANTAI, "jinan-water-group"),
    ("practice-kind/branch-on-project", RAIL, "shandong-hi-speed-road-bridge"),
])
def test_case_reuses_an_iri_another_case_held(
    dataset: Dataset, path: str, added_in: str, held_by: str
) -> None:
    assert {added_in, held_by} <= graphs_naming(dataset, iri(path))
