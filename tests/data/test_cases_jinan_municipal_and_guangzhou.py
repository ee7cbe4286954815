"""Key facts of the seven cases added by the cases-a curation pass, pinned to their notes.

Jinan municipal enterprises (济南城建集团 and its parent 济南城市建设集团, 济南公交,
山东济华燃气, 济南能源工程集团) and two Guangzhou Development District enterprises.
The values below were read from each case's source.txt; the tests check that the
curated graphs state them with the right units, issuers, levels and years, that every
figure's number is in the passage it cites, and that the cases reuse the IRIs of the
groups, people and values already in the graph instead of minting copies.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import RDF, RDFS, Dataset, Literal, Namespace, URIRef
from rdflib.namespace import XSD

from casegraph.paths import CASES_DIR, case_files, ontology_files
from tests.case_vocabulary import DOMAIN_CLASSES, PREFIXES

CG = Namespace("https://w3id.org/casegraph/ns#")
ID = "https://w3id.org/casegraph/id/"
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")

CASES = (
    "jinan-urban-construction-iron-army",
    "jinan-city-construction-1-24-n",
    "jinan-bus-party-pioneer-vehicles",
    "shandong-jihua-gas-blue-cap",
    "jinan-energy-engineering-luoyuan-street",
    "guangzhou-development-district-investment-six-projects",
    "science-city-development-group-145-vanguard",
)


def iri(path: str) -> URIRef:
    return URIRef(f"{ID}{path}")


def graph_iri(slug: str) -> URIRef:
    return iri(f"graph/case/{slug}")


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    """Ontology in its named graph plus every curated case, queried as one union."""
    ds = Dataset(default_union=True)
    ontology = ds.graph(iri("graph/ontology"))
    for path in ontology_files():
        ontology.parse(path, format="turtle")
    for path in case_files():
        ds.parse(path, format="trig")
    return ds


def select(ds: Dataset, query: str) -> list[tuple]:
    return [tuple(row) for row in ds.query(PREFIXES + query)]


def figures_of(ds: Dataset, slug: str) -> dict[str, tuple]:
    """zh-Hans label → (value, unit code or unit text, approximate?, metric slug) of a case's figures."""
    rows = select(
        ds,
        f"""
        SELECT ?label ?value ?unit ?approx ?metric WHERE {{
          GRAPH <{graph_iri(slug)}> {{
            ?figure a ?cls ; rdfs:label ?label ; schema:value ?value ; cg:metric ?metric .
            VALUES ?cls {{ cg:Figure cg:MeasuredEffect }}
            OPTIONAL {{ ?figure schema:unitCode ?code }}
            OPTIONAL {{ ?figure schema:unitText ?text }}
            BIND(COALESCE(?code, ?text) AS ?unit)
            OPTIONAL {{ ?figure cg:approximate ?approx }}
            FILTER(lang(?label) = "zh-Hans")
          }}
        }}""",
    )
    return {
        str(label): (
            value.toPython(),
            str(unit),
            bool(approx and approx.toPython()),
            str(metric).rsplit("/", 1)[-1],
        )
        for label, value, unit, approx, metric in rows
    }


def conferrals_of(ds: Dataset, slug: str) -> list[dict[str, str | None]]:
    rows = select(
        ds,
        f"""
        SELECT ?award ?recipient ?issuer ?level ?rank ?year ?on WHERE {{
          GRAPH <{graph_iri(slug)}> {{
            ?c a cg:AwardConferral ; cg:award ?award .
            OPTIONAL {{ ?c cg:recipient ?recipient }} OPTIONAL {{ ?c cg:issuer ?issuer }}
            OPTIONAL {{ ?c cg:level ?level }} OPTIONAL {{ ?c cg:rank ?rank }}
            OPTIONAL {{ ?c cg:year ?year }} OPTIONAL {{ ?c cg:conferredOn ?on }}
          }}
        }}""",
    )
    keys = ("award", "recipient", "issuer", "level", "rank", "year", "on")
    return [
        {
            k: (str(v).removeprefix(ID) if v is not None else None)
            for k, v in zip(keys, row, strict=True)
        }
        for row in rows
    ]


@pytest.mark.parametrize("slug", CASES)
def test_case_is_one_named_graph_with_exact_passages(slug: str) -> None:
    text = (CASES_DIR / slug / "source.txt").read_text(encoding="utf-8")
    single = Dataset()
    single.parse(CASES_DIR / slug / "case.trig", format="trig")
    assert {g.identifier for g in single.graphs() if len(g)} == {graph_iri(slug)}
    case = single.graph(graph_iri(slug))
    passages = list(case.subjects(RDF.type, CG.Passage))
    assert len(passages) >= 8
    for passage in passages:
        start = int(case.value(passage, CG.charStart))
        end = int(case.value(passage, CG.charEnd))
        assert text[start:end] == str(case.value(passage, CG.quote)), passage


@pytest.mark.parametrize("slug", CASES)
def test_every_domain_node_cites_a_passage_and_has_three_labels(
    dataset: Dataset, slug: str
) -> None:
    case = dataset.graph(graph_iri(slug))
    nodes = {s for s, cls in case.subject_objects(RDF.type) if cls in DOMAIN_CLASSES}
    assert nodes
    for node in nodes:
        cited = set(case.objects(node, CG.statedIn))
        assert cited and all((p, RDF.type, CG.Passage) in case for p in cited), node
        if (node, RDF.type, CG.AwardConferral) in case or (node, RDF.type, ORG.Membership) in case:
            continue
        langs = {label.language for label in case.objects(node, RDFS.label)}
        assert {"zh-Hans", "zh-Hant", "en"} <= langs, f"{node} labels {langs}"


@pytest.mark.parametrize("slug", CASES)
def test_every_figure_number_is_in_its_passage(dataset: Dataset, slug: str) -> None:
    """A figure's value, in the units the note writes it (万, 亿), is in a passage it cites."""
    case = dataset.graph(graph_iri(slug))
    figures = set(case.subjects(RDF.type, CG.Figure)) | set(
        case.subjects(RDF.type, CG.MeasuredEffect)
    )
    assert figures
    for figure in figures:
        value = case.value(figure, SCHEMA.value).toPython()
        written = {f"{value.to_integral_value():f}"}
        for scale, suffix in ((Decimal(10) ** 4, "万"), (Decimal(10) ** 8, "亿")):
            if value >= scale and value % scale == 0:
                written.add(f"{(value / scale).normalize():f}{suffix}")
        quotes = [str(case.value(p, CG.quote)) for p in case.objects(figure, CG.statedIn)]
        assert any(w in q for w in written for q in quotes), (figure, written, quotes)


def test_case_documents_point_to_their_pages(dataset: Dataset) -> None:
    date = XSD.date
    expected = {
        "jinan-urban-construction-iron-army": (
            "http://tlcrb.com/html/2024/djxx_0524/13826.html",
            Literal("2024-05-24", datatype=date),
        ),
        "jinan-bus-party-pioneer-vehicles": (
            "http://www.otol-cn.com/XINGKONGCOM/keyun/2023/0407/article_105023.html",
            Literal("2023-04-07", datatype=date),
        ),
        "shandong-jihua-gas-blue-cap": (
            "http://jinan.sdnews.com.cn/fw/202006/t20200624_2755879.htm",
            Literal("2020-06-24", datatype=date),
        ),
        "jinan-energy-engineering-luoyuan-street": (
            "http://jinan.dzwww.com/qcxw/202111/t20211124_9469160.htm",
            Literal("2021-11-24", datatype=date),
        ),
        # These two pages show no date, so the cases record none.
        "guangzhou-development-district-investment-six-projects": (
            "https://www.mffb.com.cn/news/show-515668.html",
            None,
        ),
        "science-city-development-group-145-vanguard": ("http://zhhongmei.cn/xwdt/780.html", None),
        # The corpus holds this page without its address: no source, no date.
        "jinan-city-construction-1-24-n": (None, None),
    }
    for slug, (source, issued) in expected.items():
        case = dataset.graph(graph_iri(slug))
        doc = iri(f"case/{slug}")
        assert (doc, CG.isCondensedNote, Literal(True)) in case
        found = case.value(doc, URIRef("http://purl.org/dc/terms/source"))
        assert (str(found) if found is not None else None) == source, slug
        assert case.value(doc, URIRef("http://purl.org/dc/terms/issued")) == issued, slug


def test_iron_army_second_prize_and_micro_innovations(dataset: Dataset) -> None:
    rows = conferrals_of(dataset, "jinan-urban-construction-iron-army")
    typical = [
        r for r in rows if r["award"] == "award/construction-enterprise-party-building-typical-case"
    ]
    assert typical == [
        {
            "award": "award/construction-enterprise-party-building-typical-case",
            "recipient": "org/jinan-urban-construction-group",
            "issuer": "org/china-association-of-construction-enterprise-management",
            "level": None,
            "rank": "award-rank/second-prize",
            "year": "2024",
            "on": None,
        }
    ]
    micro = [
        r
        for r in rows
        if r["award"] == "award/construction-enterprise-party-building-micro-innovation"
    ]
    # 城建六公司 and 城建一公司 are named; which of the four won which prize is not stated.
    assert {r["recipient"] for r in micro} == {
        "org/jinan-urban-construction-no6-company",
        "org/jinan-urban-construction-no1-company",
    }
    assert {r["rank"] for r in micro} == {None}
    assert figures_of(dataset, "jinan-urban-construction-iron-army") == {
        "获评微创新成果一、二、三等奖的案例": (Decimal(4), "C62", False, "count-of-innovations")
    }
    # The level is deliberately absent: the note does not state it.
    assert (None, CG.notStatedInSource, CG.level) in dataset.graph(
        graph_iri("jinan-urban-construction-iron-army")
    )


def test_city_construction_honours_come_from_the_city(dataset: Dataset) -> None:
    rows = conferrals_of(dataset, "jinan-city-construction-1-24-n")
    by_award = {r["award"].removeprefix("award/"): r for r in rows}
    assert set(by_award) == {
        "jinan-excellent-party-affairs-worker",
        "jinan-sasac-advanced-grassroots-party-organisation",
        "jinan-sasac-excellent-party-member",
        "jinan-sasac-excellent-party-affairs-worker",
    }
    assert (
        by_award["jinan-excellent-party-affairs-worker"]["issuer"]
        == "org/jinan-municipal-party-committee"
    )
    assert {r["issuer"] for k, r in by_award.items() if k.startswith("jinan-sasac")} == {
        "org/jinan-sasac"
    }
    assert {(r["level"], r["year"], r["recipient"]) for r in rows} == {
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
    assert {(str(n), str(o).removeprefix(ID)) for n, o in rows} == {
        ("陈永帅", "org/jinan-public-transport-group"),
        ("张国锋", "org/jinan-public-transport-group"),
    }
    case = dataset.graph(graph_iri("jinan-bus-party-pioneer-vehicles"))
    trial = iri("case/jinan-bus-party-pioneer-vehicles/event/first-pioneer-vehicles-trial-run")
    assert case.value(trial, SCHEMA.startDate) == Literal("2023-04-06", datatype=XSD.date)


def test_jihua_gas_titles_and_merger(dataset: Dataset) -> None:
    rows = conferrals_of(dataset, "shandong-jihua-gas-blue-cap")
    labels = {
        str(label)
        for r in rows
        for label in dataset.objects(iri(r["award"]), RDFS.label)
        if label.language == "zh-Hans"
    }
    assert labels == {
        "菁英团队",
        "出彩干部",
        "拓展先锋",
        "党员先锋",
        "安全卫士",
        "服务明星",
        "建设标兵",
    }
    assert {(r["issuer"], r["level"], r["year"], r["on"], r["recipient"]) for r in rows} == {
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
    assert {str(p).removeprefix(ID) for (p,) in merger} == {
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
    }
    effects = select(
        dataset,
        """
        SELECT ?effect WHERE { GRAPH <https://w3id.org/casegraph/id/graph/case/jinan-energy-engineering-luoyuan-street> {
          ?effect a cg:MeasuredEffect ;
            cg:effectOf <https://w3id.org/casegraph/id/case/jinan-energy-engineering-luoyuan-street/practice/project-task-force> } }""",
    )
    assert len(effects) == 2
    assert conferrals_of(dataset, "jinan-energy-engineering-luoyuan-street") == [
        {
            "award": "award/silk-banner-sincere-service-dutiful-commitment",
            "recipient": "org/jinan-thermal-power-engineering-company",
            "issuer": "org/yinzuo-mall",
            "level": None,
            "rank": None,
            "year": "2021",
            "on": None,
        }
    ]


def test_guangzhou_cases_awards_and_figures(dataset: Dataset) -> None:
    assert conferrals_of(dataset, "guangzhou-development-district-investment-six-projects") == [
        {
            "award": "award/national-enterprise-party-building-innovation-excellent-case",
            "recipient": "org/gdd-investment-holding-party-branch",
            "issuer": None,
            "level": "award-level/national",
            "rank": "award-rank/title",
            "year": "2024",
            "on": None,
        }
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
    }


def test_brands_belong_to_their_organisations(dataset: Dataset) -> None:
    rows = select(
        dataset,
        """
        SELECT ?label ?owner WHERE {
          ?brand a cg:PartyBuildingBrand ; cg:brandOwner ?owner ; rdfs:label ?label .
          FILTER(lang(?label) = "zh-Hans")
        }""",
    )
    owners = {str(label): str(owner).removeprefix(ID) for label, owner in rows}
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


@pytest.mark.parametrize(
    ("unit", "group"),
    [
        ("org/jinan-urban-construction-no6-company", "org/jinan-city-construction-group"),
        ("org/jinan-urban-construction-group-party-committee", "org/jinan-city-construction-group"),
        ("org/shandong-ganghua-gas-group", "org/jinan-energy-group"),
        ("org/jinan-thermal-power-engineering-company", "org/jinan-energy-group"),
        ("org/jihua-party-school", "org/shandong-jihua-gas"),
        ("org/science-city-development-group-party-general-branch", "org/science-city-group"),
        ("org/gdd-investment-holding-party-branch", "org/gdd-investment-holding"),
    ],
)
def test_units_roll_up_to_their_groups(dataset: Dataset, unit: str, group: str) -> None:
    """Hierarchy edges, some stated in these cases and some (engineering → energy group) in older ones."""
    ask = (
        f"""ASK {{ <{ID}{unit}> (org:subOrganizationOf|cg:partyOrganisationOf)+ <{ID}{group}> }}"""
    )
    assert dataset.query(PREFIXES + ask).askAnswer


def test_cases_reuse_the_iris_already_in_the_graph(dataset: Dataset) -> None:
    """Each shared entity appears in a new case and in a case that was there before."""
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
        graphs = {
            str(g.identifier).rsplit("/", 1)[-1]
            for g in dataset.graphs()
            if (iri(path), None, None) in g
        }
        assert slugs <= graphs, (path, graphs)
        label_sets = {
            frozenset(g.objects(iri(path), RDFS.label))
            for g in dataset.graphs()
            if (iri(path), RDFS.label, None) in g
        }
        assert len(label_sets) == 1, f"{path} is labelled differently: {label_sets}"


def test_know_and_act_value_is_shared_by_two_units_of_the_energy_group(dataset: Dataset) -> None:
    """The Western Heat Source branch and 济南能源工程集团 both hold 知行合一 为人民服务."""
    rows = select(
        dataset,
        """
        SELECT DISTINCT ?org WHERE { ?org cg:coreValue "知行合一 为人民服务"@zh-Hans }""",
    )
    assert {str(o).removeprefix(ID) for (o,) in rows} >= {
        "org/jinan-thermal-western-heat-source",
        "org/jinan-energy-engineering-group",
    }
