"""Key facts of seven Shandong heating, power and SOE cases, pinned with SPARQL over the curated files.

The cases are condensed notes (data/cases/<slug>/source.txt) of public pages:
淄博热力 "暖心帘", 临沂阳光热力 "五小" competition, 大唐青岛热力 joint building,
华电山东公司 "五争先", 国网青岛供电 "旗帜领航·电靓青岛", 山东海洋集团 "领航" and
山东电建 "四领三创,建功山海". The expected values below are read from those notes;
the tests check that the curated graphs say the same, and which IRIs the cases
share with each other and with the cases already in the graph.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import RDF, XSD, Dataset, URIRef

from tests.case_vocabulary import (
    CG,
    ID,
    PREFIXES,
    cases_stating,
    cases_with_practice_kind,
    figures,
    graph_iri,
    iri,
    local,
    select,
)

CASES = (
    "zibo-thermal-warm-curtain",
    "linyi-sunshine-thermal-wuxiao",
    "datang-qingdao-thermal-joint-building",
    "huadian-shandong-five-strive",
    "sgcc-qingdao-summit-power-guard",
    "shandong-marine-group-linghang",
    "shandong-power-construction-four-leads",
)


def practice_kinds(ds: Dataset, slug: str, practiser: str) -> set[str]:
    """The kinds (local names) of the practices ``practiser`` carries out in one case."""
    rows = select(
        ds,
        f"""SELECT DISTINCT ?k WHERE {{ GRAPH <{graph_iri(slug)}> {{
              ?p cg:practisedBy <{ID}{practiser}> ; cg:practiceKind ?k }} }}""",
    )
    return {local(k) for (k,) in rows}


def by_metric(ds: Dataset, slug: str, of: str) -> dict[str | None, list[tuple]]:
    """metric → sorted (value, unit, approximate) of the figures of one node in one case."""
    found: dict[str | None, list[tuple]] = {}
    for figure in figures(ds, slug, of=of):
        found.setdefault(figure.metric, []).append((figure.value, figure.unit, figure.approximate))
    return {metric: sorted(values) for metric, values in found.items()}


def test_zibo_warm_curtains_reach_50_buildings_121_entrances_1128_households(
    dataset: Dataset,
) -> None:
    slug = "zibo-thermal-warm-curtain"
    found = by_metric(dataset, slug, f"case/{slug}/practice/warm-curtain-installation")
    assert found == {
        "buildings": [(Decimal("50"), "C62", False)],
        "building-entrances": [(Decimal("121"), "C62", False)],
        "households": [(Decimal("1128"), "C62", False)],
    }
    rows = select(
        dataset,
        f"""
        SELECT ?date ?kind ?community WHERE {{
          GRAPH <{graph_iri(slug)}> {{
            ?event a cg:Event ; schema:startDate ?date ;
                   cg:organisedBy <{ID}org/zibo-thermal> ; cg:participant ?community .
            <{ID}case/{slug}/practice/warm-curtain-installation>
                cg:practisedBy <{ID}org/zibo-thermal> ; cg:practiceKind ?kind .
          }}
        }}""",
    )
    assert {str(d) for d, _k, _c in rows} == {"2021-12-21"}  # 冬至
    # 此次活动是淄博热力开展党史学习教育以来为群众办实事的又一缩影
    assert {local(k) for _d, k, _c in rows} == {
        "theme-party-day",
        "volunteer-service",
        "practical-things-for-the-masses",
        "centralised-study-campaign",  # 开展党史学习教育以来
    }
    assert {local(c) for _d, _k, c in rows} == {"zibo-xiyuan-community"}


def test_zibo_heating_steward_belongs_to_the_east_district_branch(dataset: Dataset) -> None:
    rows = select(
        dataset,
        """
        SELECT ?name ?role ?parent WHERE {
          ?membership org:member ?person ; org:organization ?unit ; org:role/rdfs:label ?role .
          ?person rdfs:label ?name . ?unit org:subOrganizationOf ?parent .
          FILTER(lang(?name) = "zh-Hans" && lang(?role) = "zh-Hans")
          FILTER(?unit = <https://w3id.org/casegraph/id/org/zibo-thermal-east-district-branch>)
        }""",
    )
    assert [(str(n), str(r), local(p)) for n, r, p in rows] == [
        ("宋明刚", "供暖管家", "zibo-thermal")
    ]


def test_linyi_first_review_passed_25_of_45_projects(dataset: Dataset) -> None:
    slug = "linyi-sunshine-thermal-wuxiao"
    found = by_metric(dataset, slug, f"case/{slug}/event/first-round-review")
    assert found == {
        "count-of-innovations": [(Decimal("25"), "C62", False), (Decimal("45"), "C62", False)]
    }
    labels = dict(
        (str(value.toPython()), str(label))
        for value, label in select(
            dataset,
            f"""
            SELECT ?value ?label WHERE {{
              GRAPH <{graph_iri(slug)}> {{
                ?figure cg:figureOf <{ID}case/{slug}/event/first-round-review> ;
                        schema:value ?value ; rdfs:label ?label .
                FILTER(lang(?label) = "zh-Hans")
              }}
            }}""",
        )
    )
    assert "通过" in labels["25.0"] and "参加初审" in labels["45.0"]


def test_wuxiao_competition_is_run_by_the_youth_league_committee(dataset: Dataset) -> None:
    rows = select(
        dataset,
        """
        SELECT ?practice ?organiser ?company WHERE {
          ?practice cg:practiceKind <https://w3id.org/casegraph/id/practice-kind/wuxiao-competition> ;
                    cg:practisedBy ?organiser .
          ?organiser org:subOrganizationOf* ?company .
          ?company a cg:Company .
        }""",
    )
    assert {(local(o), local(c)) for _p, o, c in rows} >= {
        ("linyi-sunshine-thermal-youth-league-committee", "linyi-sunshine-thermal"),
    }
    # The kind is new; the "五小" award title it pairs with is the Western Heat Source case's.
    concept = URIRef(f"{ID}practice-kind/wuxiao-competition")
    assert (concept, RDF.type, URIRef("http://www.w3.org/2004/02/skos/core#Concept")) in dataset
    assert (URIRef(f"{ID}award/wuxiao-competition"), RDF.type, CG.Award) in dataset


def test_datang_joint_building_partner_and_red_grid(dataset: Dataset) -> None:
    slug = "datang-qingdao-thermal-joint-building"
    rows = select(
        dataset,
        f"""
        SELECT ?practice ?kind ?partner ?group WHERE {{
          GRAPH <{graph_iri(slug)}> {{
            ?practice cg:practisedBy <{ID}org/datang-qingdao-thermal> ;
                      cg:practiceKind ?kind ; cg:involves ?partner .
          }}
          ?partner org:subOrganizationOf ?group .
        }}""",
    )
    assert {local(p) for _pr, _k, p, _g in rows} == {"qingdao-west-coast-municipal-management-company"}
    assert {local(g) for *_rest, g in rows} == {"qingdao-west-coast-public-utility-group"}
    kinds = {local(k) for _p, k, _pa, _g in rows}
    assert {"joint-party-building", "party-building-grid", "volunteer-service"} <= kinds
    # 西海岸新区 → 青岛市 → 山东省
    ask = dataset.query(
        PREFIXES
        + f"""ASK {{ <{ID}org/datang-qingdao-thermal> cg:locatedIn/schema:containedInPlace+
                     <{ID}place/shandong> }}"""
    )
    assert ask.askAnswer


def test_huadian_shandong_is_under_the_group_of_the_shiliquan_case(dataset: Dataset) -> None:
    assert cases_stating(dataset, iri("org/china-huadian-group")) >= {
        "huadian-shiliquan-power-plant",
        "huadian-shandong-five-strive",
    }
    ask = dataset.query(
        PREFIXES
        + f"""ASK {{ <{ID}org/huadian-shandong> org:subOrganizationOf <{ID}org/china-huadian-group> ;
                       cg:enterpriseSpirit "争先精神"@zh-Hans }}"""
    )
    assert ask.askAnswer
    launch = select(
        dataset,
        """
        SELECT ?start WHERE {
          ?event a cg:Event ; cg:organisedBy <https://w3id.org/casegraph/id/org/huadian-shandong> ;
                 schema:startDate ?start .
        }""",
    )
    assert [(str(s), s.datatype) for (s,) in launch] == [("2016-03", XSD.gYearMonth)]


def test_qingdao_brand_owner_rolls_up_to_state_grid(dataset: Dataset) -> None:
    rows = select(
        dataset,
        """
        SELECT ?label ?owner WHERE {
          ?brand a cg:PartyBuildingBrand ; rdfs:label ?label ; cg:brandOwner ?owner .
          ?owner org:subOrganizationOf+ <https://w3id.org/casegraph/id/org/state-grid> .
          FILTER(lang(?label) = "zh-Hans")
        }""",
    )
    assert ("旗帜领航·电靓青岛", "state-grid-qingdao") in {(str(b), local(o)) for b, o in rows}
    # The same State Grid node carries the Qingzhou case's units.
    graphs = {
        local(g)
        for (g,) in select(
            dataset,
            """SELECT DISTINCT ?g WHERE {
                 GRAPH ?g { ?unit org:subOrganizationOf+ <https://w3id.org/casegraph/id/org/state-grid> }
               }""",
        )
    }
    assert {"sgcc-qingzhou-rainbow-team", "sgcc-qingdao-summit-power-guard"} <= graphs


def test_qingdao_summit_figures(dataset: Dataset) -> None:
    slug = "sgcc-qingdao-summit-power-guard"
    found = by_metric(dataset, slug, f"case/{slug}/event/third-multinationals-summit")
    assert found == {
        "participating-organisations": [(Decimal("57"), "C62", False), (Decimal("313"), "C62", False)],
        "participants": [(Decimal("815"), "C62", False), (Decimal("3000"), "C62", True)],
        "activities": [(Decimal("35"), "C62", False), (Decimal("41"), "C62", False)],
    }
    kinds = practice_kinds(dataset, slug, "org/state-grid-qingdao")
    assert {"political-power-supply", "party-member-commando-team", "brand-building"} <= kinds


def test_marine_group_linghang_brand_and_study_carriers(dataset: Dataset) -> None:
    slug = "shandong-marine-group-linghang"
    assert by_metric(dataset, slug, "org/shandong-marine-group") == {
        "history-years": [(Decimal("10"), "ANN", False)]  # 成立十年
    }
    rows = select(
        dataset,
        """
        SELECT ?description WHERE {
          <https://w3id.org/casegraph/id/brand/shandong-marine-linghang>
              cg:brandOwner <https://w3id.org/casegraph/id/org/shandong-marine-group> ;
              schema:description ?description .
          FILTER(lang(?description) = "zh-Hans")
        }""",
    )
    (description,) = rows[0]
    assert all(layer in str(description) for layer in ("启航", "护航", "远航"))
    kinds = practice_kinds(dataset, slug, "org/shandong-marine-group")
    assert {"three-meetings-one-lesson", "theory-study", "theme-party-day"} <= kinds


def test_power_construction_brand_belongs_to_the_party_committee(dataset: Dataset) -> None:
    rows = select(
        dataset,
        """
        SELECT ?owner ?company ?meeting ?year WHERE {
          <https://w3id.org/casegraph/id/brand/shandong-power-construction-four-leads>
              cg:brandOwner ?owner ; rdfs:label "四领三创,建功山海"@zh-Hans .
          ?owner cg:partyOrganisationOf ?company .
          ?event cg:organisedBy ?owner ; rdfs:label ?meeting ; schema:startDate ?year .
          FILTER(lang(?meeting) = "zh-Hans")
        }""",
    )
    assert [(local(o), local(c), str(m), str(y)) for o, c, m, y in rows] == [
        (
            "shandong-power-construction-party-committee",
            "shandong-power-construction",
            "庆祝中国共产党建党102周年党员大会",
            "2023",
        )
    ]


def test_theme_party_day_links_these_cases_with_earlier_ones(dataset: Dataset) -> None:
    graphs = cases_with_practice_kind(dataset, "theme-party-day")
    assert {"zibo-thermal-warm-curtain", "shandong-marine-group-linghang"} <= graphs
    assert graphs - set(CASES), "no earlier case shares the kind"


@pytest.mark.parametrize(
    ("path", "slugs"),
    [
        ("place/shandong", {"huaneng-jining-power-plant", "datang-qingdao-thermal-joint-building",
                            "sgcc-qingdao-summit-power-guard", "shandong-marine-group-linghang",
                            "huadian-shandong-five-strive"}),
        ("place/qingdao", {"datang-qingdao-thermal-joint-building", "sgcc-qingdao-summit-power-guard"}),
        ("org/state-grid", {"sgcc-qingzhou-rainbow-team", "sgcc-qingdao-summit-power-guard"}),
        ("org/china-huadian-group", {"huadian-shiliquan-power-plant", "huadian-shandong-five-strive"}),
    ],
)
def test_shared_entities_keep_one_iri_across_cases(
    dataset: Dataset, path: str, slugs: set[str]
) -> None:
    """One IRI: a shared organisation or place is labelled, under the same IRI, in each case
    that names it (that the labels agree is test_data_integrity's check)."""
    assert slugs <= cases_stating(dataset, iri(path))
