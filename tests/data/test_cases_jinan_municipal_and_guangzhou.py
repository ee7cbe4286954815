"""Key facts of seven Jinan municipal and Guangzhou Development District cases, pinned to their notes.

Jinan municipal enterprises (济南城建集团 and its parent 济南城市建设集团, 济南公交,
山东济华燃气, 济南能源工程集团) and two Guangzhou Development District enterprises.
The values below were read from each case's source.txt; the tests check that the
curated graphs state them with the right units, issuers, levels and years, and that
the cases reuse the IRIs of the groups, people and values already in the graph
instead of minting copies.  The rules every case keeps (exact passages, labels,
figures written in their passages) are in test_data_integrity.
"""

from __future__ import annotations

from decimal import Decimal

from rdflib import Dataset, Literal
from rdflib.namespace import XSD

from tests.case_vocabulary import (
    CG,
    SCHEMA,
    Conferral,
    brand_owners,
    cases_stating,
    conferrals,
    figures,
    graph_iri,
    id_path,
    iri,
    select,
    zh_hans_label,
)


def figures_of(ds: Dataset, slug: str) -> dict[str | None, tuple]:
    """zh-Hans label → (value, unit code or unit text, approximate?, metric) of a case's figures."""
    return {
        f.label: (f.value, f.unit, f.approximate, f.metric)
        for f in figures(ds, slug, effects=True)
    }


def test_iron_army_second_prize_and_micro_innovations(dataset: Dataset) -> None:
    rows = conferrals(dataset, "jinan-urban-construction-iron-army")
    typical = [r for r in rows if r.award == "award/construction-enterprise-party-building-typical-case"]
    assert typical == [
        Conferral(
            award="award/construction-enterprise-party-building-typical-case",
            recipient="org/jinan-urban-construction-group",
            issuer="org/china-association-of-construction-enterprise-management",
            level=None,
            rank="award-rank/second-prize",
            year="2024",
            conferred_on=None,
        )
    ]
    micro = [r for r in rows if r.award == "award/construction-enterprise-party-building-micro-innovation"]
    # 城建六公司 and 城建一公司 are named; which of the four won which prize is not stated.
    assert {r.recipient for r in micro if r.recipient} == {
        "org/jinan-urban-construction-no6-company",
        "org/jinan-urban-construction-no1-company",
    }
    # 4项案例分别获评一、二、三等奖: each prize is known to exist, its winner is not.
    assert {(r.recipient, r.rank) for r in micro if r.rank} == {
        (None, "award-rank/first-prize"),
        (None, "award-rank/second-prize"),
        (None, "award-rank/third-prize"),
    }
    assert {r.rank for r in micro if r.recipient} == {None}
    assert figures_of(dataset, "jinan-urban-construction-iron-army") == {
        "获评微创新成果一、二、三等奖的案例": (Decimal(4), "C62", False, "count-of-innovations")
    }
    # The level is deliberately absent: the note does not state it.
    assert (None, CG.notStatedInSource, CG.level) in dataset.graph(
        graph_iri("jinan-urban-construction-iron-army")
    )


def test_city_construction_honours_come_from_the_city(dataset: Dataset) -> None:
    rows = conferrals(dataset, "jinan-city-construction-1-24-n")
    # 济南市优秀党务工作者 from 中共济南市委; 济南市国资委系统先进基层党组织, 优秀共产党员 and
    # 优秀党务工作者 from 济南市国资委: three titles, four conferrals. The award IRI is the title;
    # who gave it is on the conferral, so 优秀党务工作者 is one title from two issuers.
    assert sorted((r.award, r.issuer) for r in rows) == [
        ("award/advanced-grassroots-party-organisation", "org/jinan-sasac"),
        ("award/excellent-party-affairs-worker", "org/jinan-municipal-party-committee"),
        ("award/excellent-party-affairs-worker", "org/jinan-sasac"),
        ("award/excellent-party-member", "org/jinan-sasac"),
    ]
    assert {(r.level, r.year, r.recipient) for r in rows} == {
        ("award-level/municipal", "2024", None)
    }
    assert figures_of(dataset, "jinan-city-construction-1-24-n") == {
        "中国共产党成立周年": (Decimal(103), "ANN", False, "history-years"),
        "直属党组织品牌": (Decimal(24), "C62", False, "party-building-brands"),
    }


def test_bus_pioneer_vehicles_figures_and_drivers(dataset: Dataset) -> None:
    assert figures_of(dataset, "jinan-bus-party-pioneer-vehicles") == {
        "党员驾驶员": (Decimal(480), "C62", True, "party-members"),
        "首批挑选的党员驾驶员": (Decimal(100), "C62", False, "participants"),
        "首批挂牌的“党员先锋车”": (Decimal(100), "C62", False, "vehicles"),
    }
    rows = select(
        dataset,
        """
        SELECT ?name ?org WHERE {
          GRAPH <https://w3id.org/casegraph/id/graph/case/jinan-bus-party-pioneer-vehicles> {
            ?m a org:Membership ; org:member ?p ; org:organization ?org ;
               org:role <https://w3id.org/casegraph/id/role/party-member-driver> .
            ?p rdfs:label ?name . FILTER(lang(?name) = "zh-Hans")
          }
        }""",
    )
    assert {(str(n), id_path(o)) for n, o in rows} == {
        ("陈永帅", "org/jinan-public-transport-group"),
        ("张国锋", "org/jinan-public-transport-group"),
    }
    case = dataset.graph(graph_iri("jinan-bus-party-pioneer-vehicles"))
    trial = iri("case/jinan-bus-party-pioneer-vehicles/event/first-pioneer-vehicles-trial-run")
    assert case.value(trial, SCHEMA.startDate) == Literal("2023-04-06", datatype=XSD.date)


def test_jihua_gas_titles_and_merger(dataset: Dataset) -> None:
    rows = conferrals(dataset, "shandong-jihua-gas-blue-cap")
    labels = {zh_hans_label(dataset, iri(r.award)) for r in rows}
    assert labels == {
        "菁英团队",
        "出彩干部",
        "拓展先锋",
        "党员先锋",
        "安全卫士",
        "服务明星",
        "建设标兵",
    }
    assert {(r.issuer, r.level, r.year, r.conferred_on, r.recipient) for r in rows} == {
        ("org/shandong-jihua-gas", "award-level/enterprise", "2020", "2020-06-29", None)
    }
    assert figures_of(dataset, "shandong-jihua-gas-blue-cap") == {
        "中国共产党成立周年": (Decimal(99), "ANN", False, "history-years")
    }
    merger = select(
        dataset,
        """
        SELECT ?p WHERE { GRAPH <https://w3id.org/casegraph/id/graph/case/shandong-jihua-gas-blue-cap> {
          <https://w3id.org/casegraph/id/case/shandong-jihua-gas-blue-cap/event/ganghua-gas-group-founded>
            cg:participant ?p } }""",
    )
    assert {id_path(p) for (p,) in merger} == {
        "org/shandong-jihua-gas",
        "org/jinan-ganghua-gas",
        "org/shandong-ganghua-gas-group",
    }
    kinds = select(
        dataset,
        """
        SELECT ?kind WHERE { GRAPH <https://w3id.org/casegraph/id/graph/case/shandong-jihua-gas-blue-cap> {
          ?p a cg:Practice ; cg:practiceKind ?kind } }""",
    )
    assert iri("practice-kind/community-dual-registration") in {k for (k,) in kinds}


def test_luoyuan_street_works_and_banner(dataset: Dataset) -> None:
    assert figures_of(dataset, "jinan-energy-engineering-luoyuan-street") == {
        "完成全部施工任务用时": (Decimal(45), "DAY", False, "duration"),
        "人员驻扎一线": (Decimal(24), "HUR", False, "duration"),
        "用暖品质提升的供热面积": (Decimal(310000), "MTK", False, "heating-area"),
        "收到锦旗": (Decimal(1), "C62", False, "commendations-received"),  # 一面锦旗
    }
    effects = select(
        dataset,
        """
        SELECT ?effect WHERE { GRAPH <https://w3id.org/casegraph/id/graph/case/jinan-energy-engineering-luoyuan-street> {
          ?effect a cg:MeasuredEffect ;
            cg:effectOf <https://w3id.org/casegraph/id/case/jinan-energy-engineering-luoyuan-street/practice/project-task-force> } }""",
    )
    assert len(effects) == 2
    assert conferrals(dataset, "jinan-energy-engineering-luoyuan-street") == [
        Conferral(
            award="award/silk-banner-sincere-service-dutiful-commitment",
            recipient="org/jinan-thermal-power-engineering-company",
            issuer="org/yinzuo-mall",
            level=None,
            rank=None,
            year="2021",
            conferred_on=None,
        )
    ]


def test_guangzhou_cases_awards_and_figures(dataset: Dataset) -> None:
    assert conferrals(dataset, "guangzhou-development-district-investment-six-projects") == [
        Conferral(
            award="award/national-enterprise-party-building-innovation-excellent-case",
            recipient="org/gdd-investment-holding-party-branch",
            issuer=None,
            level="award-level/national",
            rank="award-rank/title",
            year="2024",
            conferred_on=None,
        )
    ]
    assert figures_of(dataset, "guangzhou-development-district-investment-six-projects") == {
        "资产增长": (Decimal(20), "倍", False, "asset-growth")
    }
    assert figures_of(dataset, "science-city-development-group-145-vanguard") == {
        "党总支组织理论学习": (Decimal(20), "C62", True, "activities"),
        "领导班子下沉项目一线调研": (Decimal(80), "C62", True, "activities"),
        "现场进度会、协调会和整改专题会等工作会议": (Decimal(50), "C62", True, "activities"),
        "外出调研": (Decimal(10), "C62", True, "activities"),
        "科学城集团资产总额(2021年10月末)": (Decimal(84500000000), "CNY", False, "total-assets"),
        "科学城集团营业收入(截至2021年10月末)": (
            Decimal(14000000000),
            "CNY",
            False,
            "operating-revenue",
        ),
        # 品牌名称中的数字:成立1个党(总)支部
        "成立的党(总)支部": (Decimal(1), "C62", False, "party-general-branches"),
    }


def test_brands_belong_to_their_organisations(dataset: Dataset) -> None:
    owners = brand_owners(dataset)
    assert owners["城建铁军"] == "org/jinan-urban-construction-group"
    assert owners["双色引擎"] == "org/jinan-public-transport-group"
    assert owners["党员“蓝帽子”服务进万家"] == "org/shandong-jihua-gas"
    assert owners["145发展党员先锋队"] == "org/science-city-development-group"
    matrices = select(
        dataset,
        """
        SELECT ?label WHERE { ?m a cg:BrandMatrix ; rdfs:label ?label . FILTER(lang(?label) = "zh-Hans") }""",
    )
    assert {"“城建铁军1+15”党建品牌矩阵", "“1+24+N”党建品牌矩阵"} <= {str(m) for (m,) in matrices}


def test_cases_reuse_the_iris_already_in_the_graph(dataset: Dataset) -> None:
    """Each shared entity appears in a new case and in a case that was there before.

    That they read the same there is test_data_integrity's check on every shared IRI."""
    shared = {
        "org/jinan-public-transport-group": {
            "jinan-bus-3rd-branch-team7",
            "jinan-bus-party-pioneer-vehicles",
        },
        "role/party-member-driver": {
            "jinan-bus-3rd-branch-team7",
            "jinan-bus-party-pioneer-vehicles",
        },
        "org/jinan-energy-group": {"jinan-energy-group-chuxin", "shandong-jihua-gas-blue-cap"},
        "org/shandong-ganghua-gas-group": {
            "jinan-energy-group-chuxin",
            "shandong-jihua-gas-blue-cap",
        },
        "org/jinan-energy-engineering-group": {
            "jinan-energy-group-chuxin",
            "jinan-energy-engineering-luoyuan-street",
        },
        "person/zhang-na": {
            "jinan-thermal-western-heat-source",
            "jinan-energy-engineering-luoyuan-street",
        },
        "org/dzwww": {"jinan-water-group", "jinan-energy-engineering-luoyuan-street"},
        "org/jinan-city-construction-group": {
            "jinan-urban-construction-iron-army",
            "jinan-city-construction-1-24-n",
        },
        "place/jinan": {
            "jinan-water-group",
            "jinan-urban-construction-iron-army",
            "shandong-jihua-gas-blue-cap",
        },
    }
    for path, slugs in shared.items():
        graphs = cases_stating(dataset, iri(path), predicate=None)
        assert slugs <= graphs, (path, graphs)


def test_know_and_act_value_is_shared_by_two_units_of_the_energy_group(dataset: Dataset) -> None:
    """The Western Heat Source branch and 济南能源工程集团 both hold 知行合一 为人民服务."""
    rows = select(
        dataset,
        """
        SELECT DISTINCT ?org WHERE { ?org cg:coreValue "知行合一 为人民服务"@zh-Hans }""",
    )
    assert {id_path(o) for (o,) in rows} >= {
        "org/jinan-thermal-western-heat-source",
        "org/jinan-energy-engineering-group",
    }
