"""Key facts of the six power-sector cases, pinned with SPARQL over the curated files.

The cases are condensed notes (data/cases/<slug>/source.txt); these tests check
that the curated graphs say what the notes say: figures with their units,
awards with issuer and rank, measured effects, the group hierarchies, brand
lineage, and the IRIs these cases share with each other and with other cases.
"""

from __future__ import annotations

from decimal import Decimal

from rdflib import Dataset

from tests.case_vocabulary import (
    ID,
    select,
)

POWER_CASES = (
    "guoneng-liaocheng-power",
    "huaneng-jining-power-plant",
    "sgcc-qingzhou-rainbow-team",
    "chayuan-power-generation-branch",
    "crpower-xiantao",
    "zhuhai-jinwan-power",
)


def test_jinwan_company_figures(dataset: Dataset) -> None:
    rows = select(
        dataset,
        """
        SELECT ?metric ?value ?unit WHERE {
          GRAPH <https://w3id.org/casegraph/id/graph/case/zhuhai-jinwan-power> {
            ?figure a cg:Figure ; cg:metric ?metric ; schema:value ?value ; schema:unitCode ?unit ;
                    cg:figureOf ?of .
            VALUES ?of { <https://w3id.org/casegraph/id/org/zhuhai-jinwan-power>
                         <https://w3id.org/casegraph/id/org/zhuhai-jinwan-power-party-committee> }
          }
        }""",
    )
    figures = {str(m).rsplit("/", 1)[-1]: (v.toPython(), str(u)) for m, v, u in rows}
    assert figures == {
        "installed-capacity": (Decimal("1200"), "MAW"),
        "staff-count": (Decimal("300"), "C62"),
        "party-branches": (Decimal("10"), "C62"),
        "party-members": (Decimal("122"), "C62"),
    }


def test_liaocheng_key_projects_add_up(dataset: Dataset) -> None:
    rows = select(
        dataset,
        """
        SELECT ?label ?value WHERE {
          GRAPH <https://w3id.org/casegraph/id/graph/case/guoneng-liaocheng-power> {
            ?figure cg:metric <https://w3id.org/casegraph/id/metric/key-projects> ;
                    schema:value ?value ; rdfs:label ?label .
            FILTER(lang(?label) = "zh-Hans")
          }
        }""",
    )
    values = {str(label): value.toPython() for label, value in rows}
    total = values.pop("重点攻坚项目")
    assert total == 33
    assert sorted(values.values()) == [2, 6, 25]
    assert sum(values.values()) == total


def test_liaocheng_task_teams_and_measured_effects(dataset: Dataset) -> None:
    rows = select(
        dataset,
        """
        SELECT ?metric ?value ?unit ?approx WHERE {
          GRAPH <https://w3id.org/casegraph/id/graph/case/guoneng-liaocheng-power> {
            ?effect a cg:MeasuredEffect ; cg:metric ?metric ; schema:value ?value ;
                    schema:unitCode ?unit .
            OPTIONAL { ?effect cg:approximate ?approx }
          }
        }""",
    )
    effects = {str(m).rsplit("/", 1)[-1]: (v.toPython(), str(u), a) for m, v, u, a in rows}
    assert effects["economic-benefit"][:2] == (Decimal("60000000"), "CNY")
    assert effects["economic-benefit"][2].toPython() is True  # 6000余万元
    assert effects["staff-reduction"][:2] == (Decimal("60"), "C62")
    assert effects["duration"][:2] == (Decimal("20"), "MIN")


def test_chayuan_blending_model_effects(dataset: Dataset) -> None:
    rows = select(
        dataset,
        """
        SELECT ?value ?unit WHERE {
          <https://w3id.org/casegraph/id/innovation/chayuan-dynamic-coal-blending-model>
              cg:developedBy <https://w3id.org/casegraph/id/org/chayuan-power-plant-generation-party-branch> ;
              cg:hasEffect ?effect .
          ?effect cg:effectOf <https://w3id.org/casegraph/id/innovation/chayuan-dynamic-coal-blending-model> ;
                  schema:value ?value .
          OPTIONAL { ?effect schema:unitCode ?code }
          OPTIONAL { ?effect schema:unitText ?text }
          BIND(COALESCE(?code, ?text) AS ?unit)
        }""",
    )
    assert sorted((v.toPython(), str(u)) for v, u in rows) == [
        (Decimal("1.21"), "千克/万千瓦时"),
        (Decimal("630"), "TNE"),
        (Decimal("90000"), "CNY"),
        (Decimal("4730000"), "CNY"),
    ]


def test_qingzhou_awards_name_the_city_as_issuer(dataset: Dataset) -> None:
    rows = select(
        dataset,
        """
        SELECT ?award ?recipient ?issuerLabel WHERE {
          GRAPH <https://w3id.org/casegraph/id/graph/case/sgcc-qingzhou-rainbow-team> {
            ?conferral a cg:AwardConferral ; cg:award/rdfs:label ?award ;
                       cg:recipient ?recipient ; cg:issuer/rdfs:label ?issuerLabel .
            FILTER(lang(?award) = "zh-Hans" && lang(?issuerLabel) = "zh-Hans")
          }
        }""",
    )
    found = {(str(a), str(r).rsplit("/", 1)[-1], str(i)) for a, r, i in rows}
    assert found == {
        ("“千年古城新崛起”突出贡献单位", "state-grid-qingzhou", "青州市"),
        ("青州市抗灾抢险先进基层党组织", "state-grid-qingzhou-party-committee", "青州市"),
    }


def test_qingzhou_typhoon_repair(dataset: Dataset) -> None:
    rows = select(
        dataset,
        """
        SELECT ?year ?unit ?value WHERE {
          ?event a cg:Event ; schema:startDate ?year ;
                 schema:location <https://w3id.org/casegraph/id/place/wangfen-town> .
          ?figure cg:figureOf ?event ; schema:value ?value ; schema:unitCode ?unit .
        }""",
    )
    assert {(str(y), str(u), v.toPython()) for y, u, v in rows} == {
        ("2018", "DAY", Decimal("4")),
        ("2018", "C62", Decimal("300")),
    }


def test_xiantao_honours(dataset: Dataset) -> None:
    rows = select(
        dataset,
        """
        SELECT ?award ?recipientType ?rank WHERE {
          GRAPH <https://w3id.org/casegraph/id/graph/case/crpower-xiantao> {
            ?conferral a cg:AwardConferral ; cg:award/rdfs:label ?award ;
                       cg:recipient ?recipient ; cg:rank ?rank .
            ?recipient a ?recipientType .
            FILTER(lang(?award) = "zh-Hans")
          }
        }""",
    )
    found = {(str(a), str(t).rsplit("#", 1)[-1], str(r).rsplit("/", 1)[-1]) for a, t, r in rows}
    assert found == {
        ("中央企业先进集体", "Company", "title"),
        ("现代工业企业党建创新成果", "PartyCommittee", "first-prize"),
        ("全国电力行业示范工程", "Innovation", "title"),
    }


def test_local_brands_derive_from_group_brands(dataset: Dataset) -> None:
    rows = select(
        dataset,
        """
        SELECT ?brand ?owner WHERE {
          ?brand cg:derivesFrom+ ?root .
          ?root cg:brandOwner ?owner .
          FILTER NOT EXISTS { ?root cg:derivesFrom ?parent }
        }""",
    )
    pairs = {(str(b).rsplit("/", 1)[-1], str(o).rsplit("/", 1)[-1]) for b, o in rows}
    assert ("state-grid-qingzhou-five-colours", "state-grid") in pairs


def test_jining_culture_and_its_practices(dataset: Dataset) -> None:
    rows = select(
        dataset,
        """
        SELECT ?value ?unit WHERE {
          ?figure cg:figureOf <https://w3id.org/casegraph/id/org/china-huaneng-group> ;
                  cg:metric <https://w3id.org/casegraph/id/metric/history-years> ;
                  schema:value ?value ; schema:unitCode ?unit .
        }""",
    )
    assert [(v.toPython(), str(u)) for v, u in rows] == [(Decimal("40"), "ANN")]
    kinds = select(
        dataset,
        """
        SELECT DISTINCT ?kind WHERE {
          GRAPH <https://w3id.org/casegraph/id/graph/case/huaneng-jining-power-plant> {
            ?practice cg:practisedBy
                        <https://w3id.org/casegraph/id/org/huaneng-jining-power-plant-party-committee> ;
                      cg:practiceKind ?kind .
          }
        }""",
    )
    assert {str(k).rsplit("/", 1)[-1] for (k,) in kinds} == {
        "three-level-linkage",
        "corporate-culture-building",
        "theory-study",
        "enterprise-history-compilation",
        "integrity-culture-education",
        "brand-building",
        "thematic-discussion",  # 开展专题研讨
    }


def test_three_level_linkage_is_shared_by_jining_and_jinwan(dataset: Dataset) -> None:
    rows = select(
        dataset,
        """
        SELECT DISTINCT ?owner WHERE {
          ?practice cg:practiceKind <https://w3id.org/casegraph/id/practice-kind/three-level-linkage> ;
                    cg:practisedBy ?committee .
          ?committee cg:partyOrganisationOf/org:subOrganizationOf* ?owner .
          ?owner a cg:EnterpriseGroup .
        }""",
    )
    assert {str(o).rsplit("/", 1)[-1] for (o,) in rows} >= {
        "china-huaneng-group",
        "guangdong-energy-group",
    }


def test_rainbow_team_covered_by_cctv_and_xinhua(dataset: Dataset) -> None:
    rows = select(
        dataset,
        """
        SELECT ?outlet WHERE {
          ?coverage a cg:MediaCoverage ; cg:outlet ?outlet ;
                    cg:coverageOf/schema:brand <https://w3id.org/casegraph/id/brand/rainbow-party-member-service-team> .
        }""",
    )
    assert {str(o) for (o,) in rows} >= {f"{ID}org/cctv", f"{ID}org/xinhua"}


def test_commando_teams_link_power_companies_across_cases(dataset: Dataset) -> None:
    """The same practice kind ties together units of different groups in different cases."""
    rows = select(
        dataset,
        """
        SELECT DISTINCT ?g WHERE {
          GRAPH ?g { ?practice cg:practiceKind
                       <https://w3id.org/casegraph/id/practice-kind/party-member-commando-team> }
        }""",
    )
    graphs = {str(g).rsplit("/", 1)[-1] for (g,) in rows}
    assert {
        "guoneng-liaocheng-power",
        "chayuan-power-generation-branch",
        "crpower-xiantao",
        "zhuhai-jinwan-power",
    } <= graphs


