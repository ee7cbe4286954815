"""Key facts of the four water and gas cases ws-d added through the curation workspace.

jinan-ganghua-gas-epidemic-commando, zheneng-gas-shangyu-civilised-unit,
hefei-water-beicheng-red-water-steward and qingdao-water-drainage-flood-commando were
drafted, decided, completed by span and published in ``/curate`` (its JSON operations),
then written back with ``casegraph export-case``.  These tests pin what their condensed
notes (data/cases/<slug>/source.txt) say — each value is checked in the note first —
and that the cases reuse the IRIs the graph held before (济南港华燃气 and 济南能源集团,
the award title 文明单位, the place 青岛市, the roles and metrics) instead of minting copies.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from rdflib import Dataset
from rdflib.namespace import DCTERMS

from tests.case_vocabulary import (
    CG,
    SCHEMA,
    brand_owners,
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

GANGHUA = "jinan-ganghua-gas-epidemic-commando"
SHANGYU = "zheneng-gas-shangyu-civilised-unit"
HEFEI = "hefei-water-beicheng-red-water-steward"
QINGDAO = "qingdao-water-drainage-flood-commando"
CASES = (GANGHUA, SHANGYU, HEFEI, QINGDAO)


@pytest.mark.parametrize("slug", CASES)
def test_case_is_one_graph_citing_its_page_and_quoting_its_text(dataset: Dataset, slug: str) -> None:
    text = source_text(slug)
    assert text.startswith("title: ")
    page = re.search(r"^source: (\S+)$", text, re.MULTILINE).group(1)
    case = dataset.graph(graph_iri(slug))
    doc = iri(f"case/{slug}")
    assert str(case.value(doc, DCTERMS.source)) == page
    assert {t.language for t in case.objects(doc, DCTERMS.title)} == {"zh-Hans", "zh-Hant", "en"}
    assert str(next(t for t in case.objects(doc, DCTERMS.title) if t.language == "zh-Hans")) == \
        text.split("\n", 1)[0].removeprefix("title: ")
    passages = list(case.subjects(CG.quote, None))
    assert len(passages) >= 10
    for passage in passages:
        start, end = (case.value(passage, p).toPython() for p in (CG.charStart, CG.charEnd))
        assert text[start:end] == str(case.value(passage, CG.quote)), passage
    others = [g for g in dataset.graphs() if g.identifier != case.identifier
              and (doc, None, None) in g]
    assert others == []  # the case document lives in its own graph only


@pytest.mark.parametrize(("slug", "issued"), [
    (GANGHUA, "2022-03-29"), (SHANGYU, "2025-05-30"), (QINGDAO, "2022-07-08"), (HEFEI, None)])
def test_case_is_dated_as_its_page(dataset: Dataset, slug: str, issued: str | None) -> None:
    value = dataset.graph(graph_iri(slug)).value(iri(f"case/{slug}"), DCTERMS.issued)
    if issued is None:
        assert "未标发布时间" in source_text(slug) and value is None
    else:
        assert issued in source_text(slug) and str(value) == issued


def test_shangyu_national_civilised_unit_from_the_central_leading_group(dataset: Dataset) -> None:
    text = source_text(SHANGYU)
    assert "中央宣传思想文化工作领导小组发布第七届全国文明单位等名单,浙能燃气上虞公司新获评第七届全国文明单位" in text
    assert "浙江能源嘉华发电有限公司、浙江浙能电力股份有限公司台州发电厂等浙能集团所属企业再次通过复评" in text
    found = {(c.recipient, c.issuer, c.level, c.year) for c in conferrals(dataset, SHANGYU)
             if c.award == "award/civilised-unit"}
    leading_group = "org/central-propaganda-ideology-culture-leading-group"
    assert found == {
        ("org/zheneng-gas-shangyu", leading_group, "award-level/national", "2025"),
        ("org/zheneng-jiahua-power", leading_group, "award-level/national", "2025"),
        ("org/zheneng-taizhou-power-plant", leading_group, "award-level/national", "2025"),
        # 浙江省文明单位: the note names no issuer and no year.
        ("org/zheneng-gas-shangyu", None, "award-level/provincial", None),
    }


def test_shangyu_provincial_titles_record_that_no_issuer_is_named(dataset: Dataset) -> None:
    assert "曾获评浙江省文明单位、浙江省平安单位、浙江省治安安全示范单位等荣誉" in source_text(SHANGYU)
    rows = select(dataset, f"""
        SELECT ?award WHERE {{
          GRAPH <{graph_iri(SHANGYU)}> {{
            ?c cg:award ?award ; cg:level <{iri('award-level/provincial')}> ;
               cg:notStatedInSource cg:issuer .
          }}
        }}""")
    assert {id_path(a) for (a,) in rows} == {
        "award/civilised-unit", "award/safe-unit", "award/public-security-model-unit"}


def test_shangyu_figures_keep_the_notes_approximations(dataset: Dataset) -> None:
    text = source_text(SHANGYU)
    for phrase in ("11万居民用户和千余户非居民用户", "累计现场办理业务1.2万余人次", "完成居民入户安检26万余户",
                   "近4.3万户居民免费", "宣传手册26万余份", "惠及近3.4万户老小区居民", "及14个街道、乡镇"):
        assert phrase in text
    found = {(f.metric, f.value, f.unit, f.approximate) for f in figures(dataset, SHANGYU)}
    assert found == {
        ("households", Decimal("110000"), "C62", False),
        ("households", Decimal("1000"), "C62", True),
        ("people-served", Decimal("12000"), "C62", True),
        ("households", Decimal("260000"), "C62", True),
        ("households", Decimal("43000"), "C62", True),
        ("publicity-materials", Decimal("260000"), "C62", True),
        ("households", Decimal("34000"), "C62", True),
        ("areas-covered", Decimal("14"), "C62", False),
    }


def test_hefei_branch_service_area_and_customers(dataset: Dataset) -> None:
    assert "服务面积90.41平方千米,服务用户18.3万户" in source_text(HEFEI)
    found = {(f.metric, f.value, f.unit) for f in figures(dataset, HEFEI, of="org/hefei-water-beicheng-branch")}
    assert found == {("service-area", Decimal("90410000"), "MTK"), ("households", Decimal("183000"), "C62")}


def test_brands_are_owned_by_the_units_that_created_them(dataset: Dataset) -> None:
    assert "北城供水分公司党支部围绕建设过硬党支部" in source_text(HEFEI)
    assert "创建“两支队伍 四心服务”党建品牌" in source_text(SHANGYU)
    owners = brand_owners(dataset)
    assert owners["红色‘水管家’ 服务送到家"] == "org/hefei-water-beicheng-branch-party-branch"
    assert owners["两支队伍 四心服务"] == "org/zheneng-gas-shangyu"
    branch = dataset.graph(graph_iri(HEFEI))
    assert (iri("org/hefei-water-beicheng-branch-party-branch"), SCHEMA.brand,
            iri("brand/hefei-water-red-water-steward")) in branch


def test_hefei_secretary_supervision_is_the_branchs_practice(dataset: Dataset) -> None:
    assert "对疑难工单实行“书记督办制”" in source_text(HEFEI)
    rows = select(dataset, f"""
        SELECT ?by WHERE {{
          GRAPH <{graph_iri(HEFEI)}> {{
            ?p cg:practiceKind <{iri('practice-kind/secretary-supervision')}> ; cg:practisedBy ?by .
          }}
        }}""")
    assert {id_path(by) for (by,) in rows} == {"org/hefei-water-beicheng-branch-party-branch"}


def test_people_hold_the_posts_the_notes_give(dataset: Dataset) -> None:
    assert "其中吴正亚任党委书记、董事长;彭尧任党委副书记、总经理" in source_text(HEFEI)
    group = "org/hefei-water-supply-group"
    assert memberships(dataset, HEFEI) == {
        ("吴正亚", group, "role/party-committee-secretary"), ("吴正亚", group, "role/board-chair"),
        ("彭尧", group, "role/party-committee-deputy-secretary"), ("彭尧", group, "role/general-manager"),
        ("黄瑞", "org/cnwaternews", "role/case-author"),
    }
    assert "刘希广介绍(他是综合第一党支部书记)" in source_text(GANGHUA)
    assert ("刘希广", "org/jinan-ganghua-gas-first-general-party-branch",
            "role/party-branch-secretary") in memberships(dataset, GANGHUA)
    assert "黄金海为公司经理;唐金磊为安生部部长" in source_text(QINGDAO)
    assert {(n, r) for n, _, r in memberships(dataset, QINGDAO)} == {
        ("黄金海", "role/manager"), ("唐金磊", "role/safety-production-department-head"),
        ("赵宇", "role/youth-league-branch-secretary"), ("逄建勇", "role/pumping-station-manager")}


def test_units_roll_up_to_their_groups(dataset: Dataset) -> None:
    assert "济南能源集团所属济南港华燃气" in source_text(GANGHUA)
    assert rolls_up_to(dataset, "jinan-ganghua-gas-anti-epidemic-commando-team", "jinan-energy-group")
    assert rolls_up_to(dataset, "jinan-ganghua-gas-pipeline-operation-party-branch", "jinan-energy-group")
    assert rolls_up_to(dataset, "zheneng-taizhou-power-plant", "zhejiang-energy-group")
    assert rolls_up_to(dataset, "zheneng-gas-shangyu", "zhejiang-energy-group", CG.EnterpriseGroup)
    assert rolls_up_to(dataset, "hefei-water-beicheng-branch-party-branch", "hefei-water-supply-group",
                       CG.EnterpriseGroup)
    assert rolls_up_to(dataset, "qingdao-water-drainage-3-pumping-station-commando-team",
                       "qingdao-water-group", CG.EnterpriseGroup)


def test_qingdao_flood_practices_belong_to_the_three_teams(dataset: Dataset) -> None:
    text = source_text(QINGDAO)
    assert "组成党员防汛突击队" in text and "组成防汛青年突击队" in text and "泵站突击队" in text
    rows = select(dataset, f"""
        SELECT DISTINCT ?by WHERE {{
          GRAPH <{graph_iri(QINGDAO)}> {{
            ?p cg:practiceKind <{iri('practice-kind/flood-control-and-disaster-relief')}> ;
               cg:practisedBy ?by .
          }}
        }}""")
    assert {id_path(by) for (by,) in rows} == {
        "org/qingdao-water-drainage-3-flood-commando-team",
        "org/qingdao-water-drainage-3-youth-flood-commando-team",
        "org/qingdao-water-drainage-3-pumping-station-commando-team",
    }


@pytest.mark.parametrize(("path", "added_in", "held_by"), [
    ("org/jinan-ganghua-gas", GANGHUA, "shandong-jihua-gas-blue-cap"),
    ("org/jinan-energy-group", GANGHUA, "jinan-energy-group-chuxin"),
    ("role/party-member", GANGHUA, "baotou-first-thermal-power-6211"),
    ("award/civilised-unit", SHANGYU, "sgcc-huojia-power-supply"),
    ("role/case-author", SHANGYU, "huadian-guangdong-two-firsts-four-excellences"),
    ("metric/households", SHANGYU, "zibo-thermal-warm-curtain"),
    ("role/party-committee-secretary", HEFEI, "huadian-shandong-guangdong-joint-building"),
    ("role/party-committee-deputy-secretary", HEFEI, "jinan-energy-group-chuxin"),
    ("role/board-chair", HEFEI, "jinan-energy-investment-heating-stewards"),
    ("place/qingdao", QINGDAO, "sgcc-qingdao-summit-power-guard"),
])
def test_case_reuses_an_iri_another_case_held(
    dataset: Dataset, path: str, added_in: str, held_by: str
) -> None:
    assert {added_in, held_by} <= graphs_naming(dataset, iri(path))
