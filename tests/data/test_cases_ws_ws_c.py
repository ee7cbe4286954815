"""Key facts of the four power-supply cases helper ws-c added through the curation workspace.

sgcc-jinan-licheng-caishi-station, sgcc-cixi-red-boat-service-team,
sgcc-jiangsu-service-team-618-day and csg-shenzhen-longhua-power-supply-party-building were
uploaded to ``/curate``, reviewed there with the JSON operations and exported from the store
with ``casegraph export-case``.  Each test first reads the fact in the case's condensed note
(data/cases/<slug>/source.txt), then checks that the case graph says it: the award conferrals
with issuer, level and year where the note gives them, figures with their units, the hierarchy
up to State Grid, the posts people hold, and the IRIs the cases share with cases that were in
the graph before them instead of minting copies.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import RDFS, Dataset
from rdflib.namespace import DCTERMS, XSD

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

CAISHI = "sgcc-jinan-licheng-caishi-station"
CIXI = "sgcc-cixi-red-boat-service-team"
JIANGSU = "sgcc-jiangsu-service-team-618-day"
LONGHUA = "csg-shenzhen-longhua-power-supply-party-building"
PAGES = {
    CAISHI: "https://m.yybnet.net/jinan/news/201903/8886282.html",
    CIXI: "https://www.smelz.cn/article/zixun/detail-30614.html",
    JIANGSU: "http://zgnt.net/content/2024-06/20/content_3231348.htm",
    LONGHUA: "https://www.ncdqh.com.cn/service/202504/231646.html",
}


def practices(dataset: Dataset, slug: str) -> set[tuple[str, str]]:
    """(practice kind, practiser path) of the case's practices."""
    rows = select(dataset, f"""
        SELECT ?kind ?by WHERE {{
          GRAPH <{graph_iri(slug)}> {{ ?p a cg:Practice ; cg:practiceKind ?kind ; cg:practisedBy ?by }}
        }}""")
    return {(id_path(k).removeprefix("practice-kind/"), id_path(b)) for k, b in rows}


@pytest.mark.parametrize("slug", sorted(PAGES))
def test_case_is_one_graph_citing_its_page_and_quoting_its_text(dataset: Dataset, slug: str) -> None:
    text = source_text(slug)
    case = dataset.graph(graph_iri(slug))
    doc = iri(f"case/{slug}")
    assert str(case.value(doc, DCTERMS.source)) == PAGES[slug]
    titles = {t.language: str(t) for t in case.objects(doc, DCTERMS.title)}
    assert set(titles) == {"zh-Hans", "zh-Hant", "en"}
    # The note's first line is the page's title (or, where the page shows none, the note's).
    assert text.splitlines()[0].removeprefix("title: ").startswith(titles["zh-Hans"])
    passages = list(case.subjects(CG.quote, None))
    assert len(passages) >= 8
    for passage in passages:
        start, end = (case.value(passage, p).toPython() for p in (CG.charStart, CG.charEnd))
        assert text[start:end] == str(case.value(passage, CG.quote)), passage
    for section in case.objects(doc, CG.hasSection):
        assert {label.language for label in case.objects(section, RDFS.label)} >= {"zh-Hans", "en"}


@pytest.mark.parametrize(("slug", "day"), [
    (CAISHI, "2019-03-28"), (CIXI, "2020-12-17"), (JIANGSU, "2024-06-20")])
def test_case_date_is_the_pages(dataset: Dataset, slug: str, day: str) -> None:
    assert day in source_text(slug)
    assert str(dataset.graph(graph_iri(slug)).value(iri(f"case/{slug}"), DCTERMS.issued)) == day


def test_longhua_date_is_the_month_of_its_address(dataset: Dataset) -> None:
    # The page shows no day; its address (…/202504/…) and the note give the month.
    assert "即2025年4月" in source_text(LONGHUA)
    issued = dataset.graph(graph_iri(LONGHUA)).value(iri(f"case/{LONGHUA}"), DCTERMS.issued)
    assert (str(issued), issued.datatype) == ("2025-04", XSD.gYearMonth)


def test_brands_and_the_teams_bearing_them(dataset: Dataset) -> None:
    assert "国家电网浙江电力红船共产党员服务队" in source_text(CIXI)
    assert "成立“电之翼”供电志愿服务队" in source_text(LONGHUA)
    for slug, brand, owner, teams in (
        (CIXI, "brand/red-boat-party-member-service-team", "org/state-grid-zhejiang",
         {"org/sgcc-cixi-red-boat-service-team", "org/sgcc-cixi-customer-service-red-boat-service-team",
          "org/sgcc-zhejiang-red-boat-service-team"}),
        (LONGHUA, "brand/csg-longhua-wings-of-power", "org/csg-shenzhen-longhua-power-supply-bureau",
         {"org/csg-longhua-wings-of-power-volunteer-team"}),
    ):
        case = dataset.graph(graph_iri(slug))
        assert {id_path(o) for o in case.objects(iri(brand), CG.brandOwner)} == {owner}
        assert {id_path(t) for t in case.subjects(SCHEMA.brand, iri(brand))} == teams


def test_caishi_station_titles_from_state_grid_shandong(dataset: Dataset) -> None:
    assert "彩石供电所建成国网山东省电力公司“优秀班组”和“企业文化创建示范点”" in source_text(CAISHI)
    found = {(c.award, c.recipient, c.issuer, c.level, c.year) for c in conferrals(dataset, CAISHI)}
    station = "org/state-grid-jinan-caishi-station"
    assert found == {
        ("award/excellent-team", station, "org/state-grid-shandong", "award-level/enterprise", None),
        ("award/corporate-culture-demonstration-site", station, "org/state-grid-shandong",
         "award-level/enterprise", None),
    }


def test_caishi_station_rolls_up_to_state_grid(dataset: Dataset) -> None:
    text = source_text(CAISHI)
    assert "历城供电公司彩石供电所党支部落实国网山东省电力公司" in text
    assert "在国网济南供电公司党委领导下" in text
    assert rolls_up_to(dataset, "state-grid-jinan-caishi-station-party-branch", "state-grid-jinan-licheng")
    assert rolls_up_to(dataset, "state-grid-jinan-licheng", "state-grid-jinan")
    # 国网山东省电力公司 → State Grid is stated by the Qingzhou case.
    assert rolls_up_to(dataset, "state-grid-jinan-caishi-station", "state-grid")


def test_caishi_secretaries_hold_their_posts(dataset: Dataset) -> None:
    text = source_text(CAISHI)
    assert "杨广辉是国网济南市历城区供电公司党委书记" in text and "吕多勇是彩石供电所党支部书记" in text
    assert {
        ("杨广辉", "org/state-grid-jinan-licheng-party-committee", "role/party-committee-secretary"),
        ("吕多勇", "org/state-grid-jinan-caishi-station-party-branch", "role/party-branch-secretary"),
    } <= memberships(dataset, CAISHI)
    assert ("branch-standardisation", "org/state-grid-jinan-caishi-station-party-branch") in \
        practices(dataset, CAISHI)


def test_cixi_outstanding_unit_and_gold_medal_titles(dataset: Dataset) -> None:
    text = source_text(CIXI)
    assert "获得国家电网浙江电力红船共产党员服务队2019—2020 年度优秀分队称号" in text
    assert "(慈溪客服)红船共产党员服务队继续保留金牌红船党员服务队称号" in text
    found = {c.award: c for c in conferrals(dataset, CIXI)}
    unit = found["award/red-boat-service-team-outstanding-unit"]
    assert (unit.recipient, unit.issuer, unit.level, unit.year) == (
        "org/sgcc-cixi-red-boat-service-team", None, "award-level/enterprise", "2019")
    gold = found["award/gold-medal-red-boat-service-team"]
    assert gold.recipient == "org/sgcc-cixi-customer-service-red-boat-service-team"
    # The note names no issuer for either title: the graph says so rather than guessing.
    case = dataset.graph(graph_iri(CIXI))
    stated = {id_path(c) for c in case.subjects(CG.notStatedInSource, CG.issuer)}
    assert len(stated) == len(found) == 4
    assert found["award/model-worker"].level == "award-level/national"
    assert found["award/model-worker"].recipient == "person/qian-haijun"


def test_cixi_lamp_project_figures(dataset: Dataset) -> None:
    text = source_text(CIXI)
    assert "累计完成室内照明线路改造5000余户" in text and "七大志愿服务项目" in text
    found = {(f.metric, f.value, f.unit, f.approximate) for f in figures(dataset, CIXI)}
    assert found == {("households", Decimal("5000"), "C62", True),
                     ("volunteer-projects", Decimal("7"), "C62", False)}


def test_cixi_team_is_a_unit_of_the_zhejiang_red_boat_teams(dataset: Dataset) -> None:
    assert rolls_up_to(dataset, "sgcc-cixi-red-boat-service-team", "sgcc-zhejiang-red-boat-service-team")
    assert rolls_up_to(dataset, "sgcc-cixi-red-boat-service-team", "state-grid")


def test_jiangsu_role_models_of_the_times(dataset: Dataset) -> None:
    assert "2021年6月18日，如东、南京、金湖共产党员服务队被中共江苏省委宣传部授予“时代楷模”荣誉称号" in \
        source_text(JIANGSU)
    found = conferrals(dataset, JIANGSU)
    assert {c.award for c in found} == {"award/role-model-of-the-times"}
    assert {(c.issuer, c.level, c.year) for c in found} == {
        ("org/jiangsu-provincial-party-publicity-department", "award-level/provincial", "2021")}
    assert {c.recipient for c in found} == {
        "org/sgcc-rudong-veterans-service-team", "org/sgcc-nanjing-service-team",
        "org/sgcc-jinhu-service-team"}


def test_jiangsu_activity_day_and_teams(dataset: Dataset) -> None:
    text = source_text(JIANGSU)
    assert "把每年6月18日定为公司党员服务队统一活动日" in text
    assert "全省130支江苏电力共产党员服务队" in text and "郭鹏是这支服务队的队长" in text
    assert ("unified-activity-day", "org/state-grid-jiangsu") in practices(dataset, JIANGSU)
    (teams,) = figures(dataset, JIANGSU)
    assert (teams.metric, teams.value, teams.unit, teams.of) == (
        "service-teams", Decimal("130"), "C62", "org/sgcc-jiangsu-party-member-service-teams")
    assert ("郭鹏", "org/sgcc-rudong-veterans-service-team", "role/team-leader") in \
        memberships(dataset, JIANGSU)
    assert rolls_up_to(dataset, "sgcc-rudong-veterans-service-team", "state-grid")


def test_longhua_figures(dataset: Dataset) -> None:
    text = source_text(LONGHUA)
    for phrase in ("4个方面39项重点举措", "辖区69个社区", "99个挂图作战重点项目", "9个城中村综合升级改造项目",
                   "惠及28.6万户", "只用两天"):
        assert phrase in text
    found = {(f.metric, f.value, f.unit) for f in figures(dataset, LONGHUA)}
    assert {("key-measures", Decimal("39"), "C62"), ("areas-covered", Decimal("69"), "C62"),
            ("key-projects", Decimal("99"), "C62"), ("key-projects", Decimal("9"), "C62"),
            ("households", Decimal("286000"), "C62"), ("duration", Decimal("2"), "DAY")} <= found


def test_longhua_practices_and_units(dataset: Dataset) -> None:
    assert "并成立“电之翼”供电志愿服务队" in source_text(LONGHUA)
    bureau = "org/csg-shenzhen-longhua-power-supply-bureau"
    kinds = practices(dataset, LONGHUA)
    assert {("task-list-tracking", bureau), ("party-business-integration", bureau),
            ("volunteer-service", "org/csg-longhua-wings-of-power-volunteer-team")} <= kinds
    assert rolls_up_to(dataset, "csg-longhua-wings-of-power-volunteer-team",
                       "csg-shenzhen-longhua-power-supply-bureau")


@pytest.mark.parametrize(("path", "added_in", "held_by"), [
    ("org/state-grid-shandong", CAISHI, "sgcc-qingzhou-rainbow-team"),
    ("org/state-grid", CIXI, "sgcc-huojia-power-supply"),
    ("org/state-grid", JIANGSU, "sgcc-qingdao-summit-power-guard"),
    ("place/jinan", CAISHI, "jinan-water-group"),
    ("place/guizhou", CIXI, "chayuan-power-generation-branch"),
    ("role/party-committee-secretary", CAISHI, "huadian-shandong-guangdong-joint-building"),
    ("role/reporter", JIANGSU, "guoneng-liaocheng-power"),
    ("metric/service-teams", JIANGSU, "sgcc-qingzhou-rainbow-team"),
    ("metric/households", LONGHUA, "zibo-thermal-warm-curtain"),
    ("place/jiangsu", JIANGSU, "huadian-jiangsu-five-shows-five-contests"),
])
def test_case_reuses_an_iri_another_case_held(
    dataset: Dataset, path: str, added_in: str, held_by: str
) -> None:
    assert {added_in, held_by} <= graphs_naming(dataset, iri(path))
