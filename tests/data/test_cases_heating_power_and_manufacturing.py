"""Key facts of eight heating, power and manufacturing cases, pinned with SPARQL.

Heating and power (包头热力, 包头第一热电厂, 无锡新联热力, 长山热电厂, 华润电力湖北,
华能小湾水电站) and two central SOEs outside power (中车大连所, 华西包装). Each case is a
condensed note (data/cases/<slug>/source.txt); the expected values below were read
from those notes, and each test also checks that the figure is worded so in the text,
so a figure edited in the TriG alone, or in the text alone, fails.  The rules every
case keeps (exact passages, labels, titles, page addresses) are in test_data_integrity.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Dataset

from tests.case_vocabulary import (
    CG,
    Figure,
    cases_stating,
    cases_with_practice_kind,
    figures,
    iri,
    local,
    select,
    source_text,
)


def figures_in(ds: Dataset, slug: str) -> dict[str | None, Figure]:
    """zh-Hans figure label -> the figure, with the quotes of its passages."""
    return {figure.label: figure for figure in figures(ds, slug)}


def test_baotou_heating_strongest_branches_by_level(dataset: Dataset) -> None:
    found = figures_in(dataset, "baotou-heating-strongest-branch")
    held = {
        label: figure.value
        for label, figure in found.items()
        if figure.unit == "C62" and any(q.startswith("目前集团公司拥有") for q in figure.quotes)
    }
    assert held == {
        "市级“最强党支部”": Decimal("2"),
        "市国资系统“最强党支部”": Decimal("9"),
        "集团公司“最强党支部”": Decimal("11"),
    }
    text = source_text("baotou-heating-strongest-branch")
    for label, value in held.items():
        assert f"{label}{int(value)}个" in text
    rows = select(
        dataset,
        """
        SELECT ?date ?participant ?organiser WHERE {
          GRAPH <https://w3id.org/casegraph/id/graph/case/baotou-heating-strongest-branch> {
            ?review a cg:Event ; schema:startDate ?date ; cg:participant ?participant ;
                    cg:organisedBy ?organiser .
            ?participant a cg:PartyBranch .
          }
        }""",
    )
    assert {(str(d), local(p)) for d, p, _ in rows} == {
        ("2022-04-21", "baotou-heating-no2-heating-company-party-branch"),
        ("2022-04-21", "baotou-heating-hexi-heating-plant-party-branch"),
    }
    assert {local(o) for *_, o in rows} == {"baotou-strongest-branch-review-group"}


def test_baotou_first_plant_dcs_simulator_and_6211(dataset: Dataset) -> None:
    rows = select(
        dataset,
        """
        SELECT ?person WHERE {
          <https://w3id.org/casegraph/id/innovation/baotou-first-thermal-power-dcs-simulator>
              cg:developedBy ?branch .
          ?branch cg:partyOrganisationOf <https://w3id.org/casegraph/id/org/baotou-first-thermal-power-plant> .
          ?membership org:organization ?branch ; org:member/rdfs:label ?person ;
                      org:role <https://w3id.org/casegraph/id/role/party-member> .
          FILTER(lang(?person) = "zh-Hans")
        }""",
    )
    assert sorted(str(p) for (p,) in rows) == ["卢洪强", "庞自强"]
    assert "党员庞自强和卢洪强" in source_text("baotou-first-thermal-power-6211")
    figure = figures_in(dataset, "baotou-first-thermal-power-6211")["“6211”体系规范的管理方面"]
    assert (figure.value, figure.unit) == (Decimal("6"), "C62")
    assert any("六个方面的管理" in quote for quote in figure.quotes)


def test_wuxi_youth_league_honour_and_patents(dataset: Dataset) -> None:
    rows = select(
        dataset,
        """
        SELECT ?award ?level ?year ?notStated WHERE {
          GRAPH <https://w3id.org/casegraph/id/graph/case/wuxi-xinlian-heating-youth-league> {
            ?conferral a cg:AwardConferral ; cg:award/rdfs:label ?award ; cg:level ?level ;
                       cg:year ?year ; cg:notStatedInSource ?notStated ;
                       cg:recipient <https://w3id.org/casegraph/id/org/wuxi-xinlian-heating-youth-league-branch> .
            FILTER(lang(?award) = "zh-Hans")
          }
        }""",
    )
    assert [(str(a), local(lv), str(y), n) for a, lv, y, n in rows] == [
        ("“五四红旗团支部”", "municipal", "2022", CG.issuer)
    ]
    found = figures_in(dataset, "wuxi-xinlian-heating-youth-league")
    patents = {
        label: (figure.value, figure.unit)
        for label, figure in found.items()
        if any(q.startswith("2021年") for q in figure.quotes)
    }
    assert patents == {
        "发明专利": (Decimal("3"), "C62"),
        "实用新型专利": (Decimal("3"), "C62"),
        "申报国际专利": (Decimal("1"), "C62"),
        "软著取得国家专利授权": (Decimal("6"), "C62"),
    }
    assert "3项发明专利、3项实用新型专利,申报国际专利1项,6项软著" in source_text(
        "wuxi-xinlian-heating-youth-league"
    )
    assert (found["学习教育"].value, found["学习教育"].unit) == (Decimal("19"), "C62")
    assert (found["驻厂防疫值班"].value, found["驻厂防疫值班"].unit) == (Decimal("24"), "HUR")


def test_wuxi_league_branch_sits_under_company_and_league_committee(dataset: Dataset) -> None:
    rows = select(
        dataset,
        """
        SELECT ?parent WHERE {
          <https://w3id.org/casegraph/id/org/wuxi-xinlian-heating-youth-league-branch>
              org:subOrganizationOf+ ?parent .
        }""",
    )
    assert {local(p) for (p,) in rows} == {
        "wuxi-xinlian-heating",
        "huaguang-environment-energy-youth-league-committee",
        "huaguang-environment-energy",
    }


def test_wuxi_authors_are_case_authors_of_their_company(dataset: Dataset) -> None:
    """The byline "新联热力 陈艳旭 周鑫" names the authors with their unit, as the Huadian
    Guangdong note names its case authors with theirs: the same role in both cases."""
    assert "稿件署名“新联热力 陈艳旭 周鑫”" in source_text("wuxi-xinlian-heating-youth-league")
    rows = select(
        dataset,
        """
        SELECT ?name ?org WHERE {
          GRAPH <https://w3id.org/casegraph/id/graph/case/wuxi-xinlian-heating-youth-league> {
            ?m a org:Membership ; org:member ?p ; org:organization ?org ;
               org:role <https://w3id.org/casegraph/id/role/case-author> .
            ?p rdfs:label ?name . FILTER(lang(?name) = "zh-Hans")
          }
        }""",
    )
    assert {(str(n), local(o)) for n, o in rows} == {
        ("陈艳旭", "wuxi-xinlian-heating"),
        ("周鑫", "wuxi-xinlian-heating"),
    }
    assert {"wuxi-xinlian-heating-youth-league", "huadian-guangdong-two-firsts-four-excellences"} <= (
        cases_stating(dataset, iri("role/case-author")))


def test_changshan_key_projects_and_banner(dataset: Dataset) -> None:
    found = figures_in(dataset, "changshan-thermal-power-party-building-plus")
    projects = found["“党建引领+”重点项目"]
    assert (projects.value, projects.unit) == (Decimal("19"), "C62")
    assert any("“党建引领+”重点项目19项" in quote for quote in projects.quotes)
    teams = found["累计授予样板作业小组"]
    assert (teams.value, teams.unit) == (Decimal("9"), "C62")
    rows = select(
        dataset,
        """
        SELECT ?issuer ?level ?year ?competition WHERE {
          GRAPH <https://w3id.org/casegraph/id/graph/case/changshan-thermal-power-party-building-plus> {
            ?conferral a cg:AwardConferral ; cg:issuer ?issuer ; cg:level ?level ;
                       cg:year ?year ; cg:competition/rdfs:label ?competition ;
                       cg:notStatedInSource cg:recipient .
            FILTER(lang(?competition) = "zh-Hans")
          }
        }""",
    )
    assert [(local(i), local(lv), str(y), str(c)) for i, lv, y, c in rows] == [
        ("changshan-thermal-power-plant-party-committee", "enterprise", "2024",
         "1号机组A修提质增效劳动竞赛"),
    ]  # fmt: skip


def test_hubei_brand_roll_up_and_contractors(dataset: Dataset) -> None:
    rows = select(
        dataset,
        """
        SELECT ?owner ?group WHERE {
          <https://w3id.org/casegraph/id/brand/chiyan-panxin> cg:brandOwner ?owner .
          ?owner (cg:partyOrganisationOf|org:subOrganizationOf)+ ?group .
          ?group a cg:EnterpriseGroup .
        }""",
    )
    assert {(local(o), local(g)) for o, g in rows} == {
        ("crpower-hubei-party-committee", "china-resources-group")
    }
    contractors = select(
        dataset,
        """
        SELECT ?name WHERE {
          <https://w3id.org/casegraph/id/case/crpower-hubei-chiyan-panxin/practice/contractor-joint-building>
              cg:practiceKind <https://w3id.org/casegraph/id/practice-kind/joint-party-building> ;
              cg:involves/rdfs:label ?name .
          FILTER(lang(?name) = "zh-Hans")
        }""",
    )
    names = {str(n) for (n,) in contractors}
    assert names == {"江西水电", "中能建建筑", "河南二建", "河南四建"}
    assert "江西水电、中能建建筑、河南二建、河南四建" in source_text("crpower-hubei-chiyan-panxin")
    monthly = figures_in(dataset, "crpower-hubei-chiyan-panxin")["每月党建联建、共建主题党日活动"]
    assert (monthly.value, monthly.unit) == (Decimal("1"), "次/月")


def test_xiaowan_station_figures(dataset: Dataset) -> None:
    found = figures_in(dataset, "huaneng-xiaowan-one-branch-one-feature")
    assert {label: (figure.value, figure.unit) for label, figure in found.items()} == {
        "单机容量": (Decimal("700"), "MAW"),  # 70万千瓦
        "总装机容量": (Decimal("4200"), "MAW"),  # 420万千瓦
        "小湾电站职工": (Decimal("182"), "C62"),
    }
    text = source_text("huaneng-xiaowan-one-branch-one-feature")
    assert "单机容量70万千瓦,总装机容量420万千瓦" in text
    assert "共有职工182人" in text


def test_crrc_five_forces_and_huaxi_brand(dataset: Dataset) -> None:
    forces = figures_in(dataset, "crrc-dalian-institute-five-forces")["“五力模式”之“力”"]
    assert (forces.value, forces.unit) == (Decimal("5"), "C62")
    assert any("“向心力、引领力、战斗力、保障力、长效力”“五力模式”" in q for q in forces.quotes)
    rows = select(
        dataset,
        """
        SELECT ?owner ?group WHERE {
          <https://w3id.org/casegraph/id/brand/yin-erge-party-building-home> cg:brandOwner ?owner .
          ?owner cg:partyOrganisationOf/org:subOrganizationOf ?group .
        }""",
    )
    assert {(local(o), local(g)) for o, g in rows} == {
        ("huaxi-packaging-group-party-committee", "china-chengtong")
    }
    assert "华包集团是中国诚通控股集团有限公司(简称“诚通集团”)的下属企业" in source_text(
        "huaxi-packaging-yin-erge"
    )


@pytest.mark.parametrize(
    ("path", "cases"),
    [
        ("place/baotou", {"baotou-heating-strongest-branch", "baotou-first-thermal-power-6211"}),
        ("org/china-huaneng-group",
         {"huaneng-jining-power-plant", "huaneng-xiaowan-one-branch-one-feature"}),
        ("org/china-resources-power", {"crpower-xiantao", "crpower-hubei-chiyan-panxin"}),
        ("place/hubei", {"crpower-xiantao", "crpower-hubei-chiyan-panxin"}),
        ("org/china-electric-power-net", {"crpower-xiantao", "crpower-hubei-chiyan-panxin"}),
    ],
)  # fmt: skip
def test_shared_iris_are_stated_in_each_case(dataset: Dataset, path: str, cases: set[str]) -> None:
    """Each case that names a shared group or place states it under the one IRI (that its
    labels agree everywhere is test_data_integrity's check)."""
    assert cases <= cases_stating(dataset, iri(path), predicate=CG.statedIn)


def test_one_branch_one_brand_links_xiaowan_and_crrc(dataset: Dataset) -> None:
    """The same practice kind, worded 一支部一特色 in both texts, ties a hydropower station to a CRRC institute."""
    graphs = cases_with_practice_kind(dataset, "one-branch-one-brand")
    assert {"huaneng-xiaowan-one-branch-one-feature", "crrc-dalian-institute-five-forces"} <= graphs
    for slug in ("huaneng-xiaowan-one-branch-one-feature", "crrc-dalian-institute-five-forces"):
        assert "“一支部一特色”" in source_text(slug)
