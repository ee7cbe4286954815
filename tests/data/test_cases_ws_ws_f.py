"""Key facts of the four manufacturing, rail and construction cases helper ws-f added
through the curation workspace.

crcc-15th-bureau-rail-ops-locomotive-party, crec-wuhan-electrification-two-innovations,
shandong-hi-speed-construction-pioneer and zaozhuang-mining-daizhuang-party-alliance were
drafted, reviewed and published in ``/curate`` and exported with ``casegraph export-case``.
These tests pin what their condensed notes (data/cases/<slug>/source.txt) say — figures with
units, conferrals with their issuers and level, brand owners and lineage, the hierarchy up to
the groups — and that the cases reuse the IRIs other cases held (山东高速集团, the award title
过硬党支部) instead of minting copies.  Each fact is read from the note first, so a test
fails when the note and the graph part ways.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Dataset
from rdflib.namespace import DCTERMS

from tests.case_vocabulary import (
    CG,
    brand_owners,
    cases_with_practice_kind,
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

LOCOMOTIVE = "crcc-15th-bureau-rail-ops-locomotive-party"
ELECTRIFICATION = "crec-wuhan-electrification-two-innovations"
HI_SPEED = "shandong-hi-speed-construction-pioneer"
DAIZHUANG = "zaozhuang-mining-daizhuang-party-alliance"
CASES = (LOCOMOTIVE, ELECTRIFICATION, HI_SPEED, DAIZHUANG)
PAGES = {
    LOCOMOTIVE: "http://cn.office369.com/news/show-2369527.html",
    ELECTRIFICATION: "http://news.tielu.cn/yixian/2016-11-08/119619.html",
    HI_SPEED: "http://yfsoft.com.cn/32297.html",
    DAIZHUANG: "http://zzky.shandong-energy.com/77803/77829/2025/07/39692097.html",
}
#: The page date each note gives (None: the page shows none, so the case has no date).
ISSUED = {LOCOMOTIVE: None, ELECTRIFICATION: "2016-11-08", HI_SPEED: None, DAIZHUANG: "2025-07-02"}
NOTE_DATES = {ELECTRIFICATION: "“2016-11-08”", DAIZHUANG: "发布日期2025年07月02日"}


def practice_of(dataset: Dataset, slug: str, quoted: str) -> tuple[str, set[str], set[str]]:
    """The practice stated in the passage containing ``quoted``: its IRI path, kinds and
    practisers (id_paths)."""
    rows = select(dataset, f"""
        SELECT ?p ?kind ?by WHERE {{
          GRAPH <{graph_iri(slug)}> {{
            ?p a cg:Practice ; cg:practiceKind ?kind ; cg:practisedBy ?by ;
               cg:statedIn/cg:quote ?quote .
            FILTER(CONTAINS(STR(?quote), "{quoted}"))
          }}
        }}""")
    assert len({p for p, _, _ in rows}) == 1, rows
    return id_path(rows[0][0]), {id_path(k) for _, k, _ in rows}, {id_path(b) for _, _, b in rows}


@pytest.mark.parametrize("slug", CASES)
def test_case_is_one_graph_citing_its_page_and_quoting_its_note(dataset: Dataset, slug: str) -> None:
    text = source_text(slug)
    case = dataset.graph(graph_iri(slug))
    doc = iri(f"case/{slug}")
    assert {id_path(g.identifier) for g in dataset.graphs() if (doc, None, None) in g} == {
        f"graph/case/{slug}"}
    assert str(case.value(doc, DCTERMS.source)) == PAGES[slug]
    issued = case.value(doc, DCTERMS.issued)
    assert (str(issued) if issued is not None else None) == ISSUED[slug]
    if slug in NOTE_DATES:
        assert NOTE_DATES[slug] in text
    else:
        assert "页面摘录未显示" in text and "发布日期" in text  # the note says the page shows none
    title = {t.language: str(t) for t in case.objects(doc, DCTERMS.title)}
    assert set(title) == {"zh-Hans", "zh-Hant", "en"}
    assert text.startswith(f"title: {title['zh-Hans']}\n")
    passages = list(case.subjects(CG.quote, None))
    assert len(passages) >= 8
    for passage in passages:
        start, end = (case.value(passage, p).toPython() for p in (CG.charStart, CG.charEnd))
        assert text[start:end] == str(case.value(passage, CG.quote)), passage


def test_locomotive_company_figures_and_its_innovation_results(dataset: Dataset) -> None:
    text = source_text(LOCOMOTIVE)
    assert "公司现有员工4005人、机车设备80台(套),运维线路22条,运营总里程4318公里" in text
    company = "org/china-railway-15th-bureau-rail-transit-operation"
    found = {(f.metric, f.value, f.unit) for f in figures(dataset, LOCOMOTIVE, of=company)}
    assert {("staff-count", Decimal("4005"), "C62"), ("vehicles", Decimal("80"), "C62"),
            ("operating-routes", Decimal("22"), "C62"), ("distance", Decimal("4318"), "KMT"),
            ("vehicles", Decimal("6"), "C62")} <= found
    # CTC dispatching and automatic driving: turnover efficiency up 15%, labour cost down 20%.
    assert "机车周转效率提升15%,人力成本降低20%" in text
    path, kinds, by = practice_of(dataset, LOCOMOTIVE, "CTC智能调度系统")
    assert (kinds, by) == ({"practice-kind/technical-innovation"}, {company})
    results = {(f.label, f.value, f.unit, f.metric) for f in figures(dataset, LOCOMOTIVE, of=path)}
    assert results == {("机车周转效率提升15%", Decimal("15"), "P1", "rate"),
                       ("人力成本降低20%", Decimal("20"), "P1", "rate")}
    (tackled,) = figures(dataset, LOCOMOTIVE,
                         of="org/china-railway-15th-bureau-shuohuang-locomotive-party-branch")
    assert "党员攻关队攻克30余项技术难题" in text
    assert (tackled.value, tackled.approximate, tackled.metric) == (Decimal("30"), True, "key-projects")


def test_locomotive_honours_name_the_group_or_say_nothing(dataset: Dataset) -> None:
    text = source_text(LOCOMOTIVE)
    assert "公司党委两度获得集团授予的“先进基层党委”称号;公司另有两个党支部获评“示范党支部”" in text
    found = {c.award: c for c in conferrals(dataset, LOCOMOTIVE)}
    committee = found["award/advanced-grassroots-party-committee"]
    assert (committee.recipient, committee.issuer, committee.level, committee.year) == (
        "org/china-railway-15th-bureau-rail-transit-operation-party-committee",
        "org/china-railway-15th-bureau-group", "award-level/group", None)
    # The two model branches are not named, nor who rated them: recorded as not stated.
    model = found["award/model-party-branch"]
    assert (model.recipient, model.issuer, model.level) == (None, None, None)
    unstated = select(dataset, f"""
        SELECT ?p WHERE {{ GRAPH <{graph_iri(LOCOMOTIVE)}> {{
          ?c cg:award <{iri('award/model-party-branch')}> ; cg:notStatedInSource ?p }} }}""")
    assert {str(p) for (p,) in unstated} == {str(CG.recipient), str(CG.issuer), str(CG.level)}


def test_locomotive_brands_and_the_group_hierarchy(dataset: Dataset) -> None:
    text = source_text(LOCOMOTIVE)
    assert "打造“机车党建”特色品牌" in text and "朔黄机务党支部创建“铁韵红583”品牌" in text
    owners = brand_owners(dataset)
    assert owners["机车党建"] == "org/china-railway-15th-bureau-rail-transit-operation"
    assert owners["铁韵红583"] == "org/china-railway-15th-bureau-shuohuang-locomotive-party-branch"
    assert "在中国铁建系统内" in text
    assert rolls_up_to(dataset, "china-railway-15th-bureau-shuohuang-locomotive-party-branch",
                       "china-railway-construction-corporation", CG.EnterpriseGroup)


def test_electrification_savings_of_the_party_member_innovations(dataset: Dataset) -> None:
    text = source_text(ELECTRIFICATION)
    assert "虎峰分区所移设方案已获设计单位和建设单位认可,节约直接成本200万元" in text
    path, kinds, by = practice_of(dataset, ELECTRIFICATION, "虎峰分区所移设方案")
    department = "org/china-railway-wuhan-electrification-harbin-mudanjiang-project-department"
    assert (kinds, by) == ({"practice-kind/technical-innovation"}, {department})
    assert {(f.metric, f.value, f.unit) for f in figures(dataset, ELECTRIFICATION, of=path)} == {
        ("cost-saving", Decimal("2000000"), "CNY"), ("reward-amount", Decimal("18000"), "CNY")}
    assert "16项“两创”成果累计节省成本和创造效益1000万元以上" in text
    (benefit,) = [f for f in figures(dataset, ELECTRIFICATION) if f.metric == "economic-benefit"]
    assert (benefit.value, benefit.unit, benefit.approximate) == (Decimal("10000000"), "CNY", True)
    assert "集团18个党工委、82个党支部" in text and "956名党员亮身份、亮职责、亮标准" in text
    group = {(f.metric, f.value) for f in figures(dataset, ELECTRIFICATION,
                                                  of="org/china-railway-wuhan-electrification-bureau-group")}
    assert group == {("party-committees", Decimal("18")), ("party-branches", Decimal("82")),
                     ("participants", Decimal("956"))}
    assert rolls_up_to(dataset, "china-railway-wuhan-electrification-harbin-mudanjiang-project-department",
                       "china-railway-wuhan-electrification-bureau-group", CG.EnterpriseGroup)


def test_hi_speed_brand_award_by_two_national_issuers(dataset: Dataset) -> None:
    text = source_text(HI_SPEED)
    assert "在全国公路职工思想政治研究会、中国公路学会等单位联合组织的第一届公路交通行业优秀党建品牌推选宣传活动中" in text
    rows = [c for c in conferrals(dataset, HI_SPEED)
            if c.award == "award/highway-transport-excellent-party-building-brand-top-20"]
    assert {c.issuer for c in rows} == {"org/national-highway-workers-political-work-research-society",
                                         "org/china-highway-and-transportation-society"}
    assert {(c.recipient, c.level, c.year) for c in rows} == {
        ("org/shandong-hi-speed-construction-management-group", "award-level/national", None)}
    assert "入选“山东优秀党建品牌孵化工程”" in text and "获评“山东省干事创业好团队”" in text
    provincial = {c.award for c in conferrals(dataset, HI_SPEED) if c.level == "award-level/provincial"}
    assert provincial == {"award/shandong-excellent-party-building-brand-incubation-project",
                          "award/shandong-good-team-for-getting-things-done"}


def test_hi_speed_brand_derives_from_the_group_brand(dataset: Dataset) -> None:
    text = source_text(HI_SPEED)
    assert "在山东高速集团“山高党旗红”党建品牌引领下打造“建设先锋 奋勇争先”党建系列品牌" in text
    owners = brand_owners(dataset)
    assert owners["建设先锋 奋勇争先"] == "org/shandong-hi-speed-construction-management-group"
    assert owners["山高党旗红"] == "org/shandong-hi-speed-group"
    assert bool(dataset.query(
        f"ASK {{ <{iri('brand/construction-pioneers-striving-first')}> "
        f"<{CG.derivesFrom}> <{iri('brand/shandong-hi-speed-party-flag-red')}> }}").askAnswer)
    assert "等8个党建子品牌" in text
    (count,) = figures(dataset, HI_SPEED, of="brand/construction-pioneers-striving-first")
    assert (count.metric, count.value, count.unit) == ("party-building-brands", Decimal("8"), "C62")
    assert rolls_up_to(dataset, "shandong-hi-speed-construction-management-group-party-committee",
                       "shandong-hi-speed-group", CG.EnterpriseGroup)


def test_daizhuang_solid_branches_rated_by_both_groups(dataset: Dataset) -> None:
    text = source_text(DAIZHUANG)
    assert "以综采工区、充填工区、机电工区、选煤厂4家山东能源集团和枣矿集团“过硬党支部”为“圆心”" in text
    rows = conferrals(dataset, DAIZHUANG)
    assert {c.award for c in rows} == {"award/solid-party-branch"}
    assert {c.issuer for c in rows} == {"org/shandong-energy-group", "org/zaozhuang-mining-group"}
    branches = {c.recipient for c in rows}
    assert len(branches) == 4
    assert {c.level for c in rows} == {"award-level/group"}
    for branch in branches:  # the note does not say 枣矿集团 belongs to 山东能源集团
        assert rolls_up_to(dataset, branch.removeprefix("org/"), "zaozhuang-mining-group",
                           CG.EnterpriseGroup)


def test_daizhuang_innovation_figures_and_branch_grading(dataset: Dataset) -> None:
    text = source_text(DAIZHUANG)
    assert "完成技术创新、小改小革16项,其中申报实用新型专利5项,累计创效700余万元" in text
    path, kinds, by = practice_of(dataset, DAIZHUANG, "完成技术创新、小改小革16项")
    assert (kinds, by) == ({"practice-kind/technical-innovation"}, {"org/zaozhuang-mining-daizhuang-coal"})
    found = {(f.metric, f.value, f.unit, f.approximate) for f in figures(dataset, DAIZHUANG, of=path)}
    assert found == {("count-of-innovations", Decimal("16"), "C62", False),
                     ("count-of-innovations", Decimal("5"), "C62", False),
                     ("economic-benefit", Decimal("7000000"), "CNY", True)}
    assert "“增加先进支部、提升中间支部、整顿后进支部”" in text
    assert DAIZHUANG in cases_with_practice_kind(dataset, "branch-grading-and-upgrading")
    assert "通过“揭榜挂帅”解决了" in text
    assert DAIZHUANG in cases_with_practice_kind(dataset, "open-call-task-taking")


@pytest.mark.parametrize(("path", "added_in", "held_by"), [
    ("org/shandong-hi-speed-group", HI_SPEED, "shandong-hi-speed-road-bridge"),
    ("award/solid-party-branch", DAIZHUANG, "shandong-hi-speed-road-bridge"),
    ("metric/key-projects", LOCOMOTIVE, "changshan-thermal-power-party-building-plus"),
    ("practice-kind/open-call-task-taking", DAIZHUANG, "changshan-thermal-power-party-building-plus"),
])
def test_case_reuses_an_iri_another_case_held(
    dataset: Dataset, path: str, added_in: str, held_by: str
) -> None:
    assert {added_in, held_by} <= graphs_naming(dataset, iri(path))
