"""Key facts of seven heating, power and water cases, pinned with SPARQL over the curated files.

The cases are condensed notes of public pages (data/cases/<slug>/source.txt) on
heating, power and water companies outside the first corpus. These tests check
that each curated graph says what its note says — figures with units, award
conferrals with issuer, level and year, brand owners, the group hierarchies —
and which IRIs the cases share with cases already in the graph, so that
cross-case questions gain rows. Expected values are read from the notes.  The
rules every case keeps (exact passages, labels, no draft markers, concepts defined
in ontology/) are in test_data_integrity.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Dataset

from tests.case_vocabulary import (
    ID,
    PREFIXES,
    brand_owners,
    cases_stating,
    cases_with_practice_kind,
    conferrals,
    figures,
    graph_iri,
    id_path,
    iri,
    local,
    select,
    zh_hans_label,
)

CASES = (
    "spic-hengqin-thermal-power",
    "zhengzhou-thermal-group",
    "sgcc-huojia-power-supply",
    "shuifa-shidao-thermal-power",
    "huadian-guangdong-two-firsts-four-excellences",
    "arhorqin-changcheng-heating-line-team",
    "qunfeng-water-supply-sizhua-sicu",
)


def figures_of(ds: Dataset, slug: str, subject: str) -> dict[str | None, tuple]:
    """zh-Hans figure label -> (value, unit, approximate) for the figures of one subject."""
    return {f.label: (f.value, f.unit, f.approximate) for f in figures(ds, slug, of=subject)}


def honours(ds: Dataset, slug: str) -> set[tuple]:
    """(award's zh-Hans label, recipient, issuer, level, year) of one case, None where unstated."""
    return {
        (zh_hans_label(ds, iri(c.award)), c.recipient, c.issuer, c.level, c.year)
        for c in conferrals(ds, slug)
    }


def test_hengqin_party_committee_figures_and_sasac_title(dataset: Dataset) -> None:
    slug = "spic-hengqin-thermal-power"
    assert figures_of(dataset, slug, "org/spic-hengqin-thermal-power-party-committee") == {
        "党支部": (Decimal("4"), "C62", False),
        "党员": (Decimal("48"), "C62", False),
    }
    assert honours(dataset, slug) == {
        (
            "广东省国资委先进基层党组织",
            "org/spic-hengqin-thermal-power-party-committee",
            "org/guangdong-sasac",
            "award-level/provincial",
            "2019",
        )
    }


def test_zhengzhou_brand_and_grid_figures(dataset: Dataset) -> None:
    assert brand_owners(dataset)["红暖万家"] == "org/zhengzhou-thermal-group"
    rows = select(
        dataset,
        """
        SELECT ?metric ?value ?unit WHERE {
          GRAPH <https://w3id.org/casegraph/id/graph/case/zhengzhou-thermal-group> {
            ?figure a cg:Figure ; cg:metric ?metric ; schema:value ?value ; schema:unitCode ?unit .
          }
        }""",
    )
    assert {(id_path(m), v.toPython(), str(u)) for m, v, u in rows} == {
        ("metric/party-branches", Decimal("17"), "C62"),
        ("metric/service-grids", Decimal("286"), "C62"),
        ("metric/households", Decimal("327"), "C62"),
        ("metric/video-views", Decimal("500000"), "C62"),
    }


def test_huojia_company_figures_and_titles(dataset: Dataset) -> None:
    slug = "sgcc-huojia-power-supply"
    figures = figures_of(dataset, slug, "org/sgcc-huojia-power-supply")
    assert figures["员工"] == (Decimal("455"), "C62", False)
    assert figures["党员"] == (Decimal("185"), "C62", False)
    area = figures_of(dataset, slug, f"case/{slug}/practice/civilisation-practice-centre-1-6")
    assert area == {"实践中心活动阵地面积": (Decimal("100"), "MTK", True)}  # 不到100平方米
    checkpoints = figures_of(dataset, slug, f"case/{slug}/practice/epidemic-checkpoint-power")
    assert sorted(v for v, _, _ in checkpoints.values()) == [Decimal("40"), Decimal("47")]
    assert honours(dataset, slug) == {
        (
            "新乡市学雷锋活动示范点",
            "org/sgcc-huojia-power-supply",
            "org/xinxiang-propaganda-department",
            "award-level/municipal",
            None,
        ),
        ("省级文明单位", "org/sgcc-huojia-power-supply", None, "award-level/provincial", None),
    }
    # The page names no issuer of the provincial title: the absence is recorded, not guessed.
    ask = dataset.query(
        PREFIXES
        + f"""ASK {{ <{ID}case/{slug}/conferral/provincial-civilised-unit>
                    cg:notStatedInSource cg:issuer }}"""
    )
    assert ask.askAnswer


def test_shidao_heating_season_figures(dataset: Dataset) -> None:
    slug = "shuifa-shidao-thermal-power"
    figures = figures_of(dataset, slug, "org/shuifa-shidao-thermal-power")
    assert figures["居民供热面积新增"] == (Decimal("12.4"), "P1", False)
    assert figures["供热用户满意度"] == (Decimal("99.6"), "P1", False)
    commendations = select(
        dataset,
        f"""
        SELECT ?value WHERE {{
          GRAPH <{graph_iri(slug)}> {{
            ?figure cg:metric <{ID}metric/commendations-received> ; schema:value ?value ;
                    cg:year "2019"^^xsd:gYear .
          }}
        }}""",
    )
    assert sorted(v.toPython() for (v,) in commendations) == [3, 10, 128]
    battle = figures_of(dataset, slug, f"case/{slug}/event/heating-defence-battle")
    assert battle["尚需建设工期"] == (Decimal("45"), "DAY", False)
    assert battle["热源厂尾工尾项"] == (Decimal("30"), "C62", True)  # 30多个
    rows = select(
        dataset,
        f"""SELECT ?date WHERE {{ <{ID}case/{slug}/event/acquisition-2018> schema:startDate ?date ;
                                   cg:participant <{ID}org/shuifa-group> }}""",
    )
    assert [str(d) for (d,) in rows] == ["2018-10"]


def test_huadian_guangdong_targets_and_group_appraisal(dataset: Dataset) -> None:
    slug = "huadian-guangdong-two-firsts-four-excellences"
    targets = figures_of(dataset, slug, f"case/{slug}/practice/plan-1-15")
    assert targets == {
        "2025年清洁能源装机占比目标": (Decimal("70"), "P1", True),
        "2025年运营装机规模目标": (Decimal("15000000"), "KWT", True),  # 超过1500万千瓦
    }
    assert honours(dataset, slug) == {
        (
            "中国华电党建考评A级",
            "org/huadian-guangdong",
            "org/china-huadian-group",
            "award-level/group",
            None,
        )
    }


def test_arhorqin_team_figures_and_workers_pioneer(dataset: Dataset) -> None:
    slug = "arhorqin-changcheng-heating-line-team"
    figures = figures_of(dataset, slug, "org/arhorqin-changcheng-heating-line-team")
    assert figures["班组工人"] == (Decimal("12"), "C62", False)
    assert figures["平均年龄"] == (Decimal("31"), "ANN", False)
    assert figures["高级工"] == (Decimal("5"), "C62", False)
    assert figures["辖区二次换热站"] == (Decimal("14"), "C62", False)
    assert figures["辖区供热面积"] == (Decimal("2700000"), "MTK", True)  # 270多万平方米
    assert figures["用热户"] == (Decimal("16734"), "C62", False)
    found = honours(dataset, slug)
    assert (
        "赤峰市工人先锋号",
        "org/arhorqin-changcheng-heating-line-team",
        "org/chifeng-federation-of-trade-unions",
        "award-level/municipal",
        "2017",
    ) in found
    rows = select(
        dataset,
        f"""SELECT ?year ?end WHERE {{
              <{ID}case/{slug}/conferral/heating-advanced-team-2015-2016> cg:year ?year ;
                  cg:yearEnd ?end }}""",
    )
    assert [(str(y), str(e)) for y, e in rows] == [("2015", "2016")]


def test_qunfeng_brand_effect_and_figures(dataset: Dataset) -> None:
    slug = "qunfeng-water-supply-sizhua-sicu"
    rows = select(
        dataset,
        f"""SELECT ?owner WHERE {{ <{ID}brand/qunfeng-sizhua-sicu-huanshui-tongxin> cg:brandOwner ?owner }}""",
    )
    assert [id_path(o) for (o,) in rows] == ["org/qunfeng-water-supply-party-branch"]
    rows = select(
        dataset,
        f"""
        SELECT ?value ?unit ?approx WHERE {{
          <{ID}innovation/qunfeng-smart-water-pumping-stations>
              cg:developedBy <{ID}org/qunfeng-water-supply-party-branch> ; cg:hasEffect ?effect .
          ?effect a cg:MeasuredEffect ; schema:value ?value ; schema:unitCode ?unit ;
                  cg:approximate ?approx .
        }}""",
    )
    assert [(v.toPython(), str(u), a.toPython()) for v, u, a in rows] == [
        (Decimal("3000000"), "CNY", True)  # 300余万元
    ]
    assert figures_of(dataset, slug, "org/qunfeng-water-supply-party-branch") == {
        "党组织凝聚力和向心力测评满意度": (Decimal("98"), "P1", False)
    }
    rows = select(
        dataset,
        f"""SELECT ?metric ?value WHERE {{ GRAPH <{graph_iri(slug)}> {{
              ?figure cg:metric ?metric ; schema:value ?value }} }}""",
    )
    values = {(id_path(m), v.toPython()) for m, v in rows}
    assert {
        ("metric/responsibility-zones", 16),
        ("metric/activities", 12),
        ("metric/rate", 100),
    } <= values


def test_team_belongs_to_its_heating_company(dataset: Dataset) -> None:
    ask = dataset.query(
        PREFIXES
        + f"""ASK {{ <{ID}org/arhorqin-changcheng-heating-line-team> a cg:Team ;
                    org:subOrganizationOf <{ID}org/arhorqin-changcheng-heating> }}"""
    )
    assert ask.askAnswer


@pytest.mark.parametrize(
    ("path", "others"),
    [
        # Groups and places these cases share with cases of the first corpus.
        ("org/state-grid", {"sgcc-qingzhou-rainbow-team"}),
        ("org/china-huadian-group", {"huadian-shiliquan-power-plant"}),
        ("place/guangdong", {"zhuhai-jinwan-power"}),
        ("place/zhuhai", {"zhuhai-jinwan-power"}),
        ("place/shandong", {"huaneng-jining-power-plant", "guoneng-liaocheng-power"}),
        # And among themselves.
        ("place/henan", {"zhengzhou-thermal-group"}),
    ],
)
def test_shared_iris_appear_in_other_cases(dataset: Dataset, path: str, others: set[str]) -> None:
    """A shared group or place keeps its IRI from the earlier case (that its labels agree
    everywhere is test_data_integrity's check)."""
    graphs = cases_stating(dataset, iri(path))
    assert others <= graphs
    assert graphs & set(CASES), f"{path} is not used by any of these cases"


def test_grassroots_party_organisation_titles_are_now_answered_across_provinces(
    dataset: Dataset,
) -> None:
    """先进基层党组织 titles: the Guangdong SASAC one joins the Qingzhou one of the first corpus."""
    rows = select(
        dataset,
        """
        SELECT DISTINCT ?award ?g WHERE {
          GRAPH ?g { ?conferral a cg:AwardConferral ; cg:award ?a . ?a rdfs:label ?award .
                     FILTER(lang(?award) = "zh-Hans" && CONTAINS(?award, "先进基层党组织")) }
        }""",
    )
    found = {(str(a), local(g)) for a, g in rows}
    assert ("广东省国资委先进基层党组织", "spic-hengqin-thermal-power") in found
    assert ("青州市抗灾抢险先进基层党组织", "sgcc-qingzhou-rainbow-team") in found


def test_volunteer_service_links_heating_and_power_cases(dataset: Dataset) -> None:
    graphs = cases_with_practice_kind(dataset, "volunteer-service")
    assert {"zhengzhou-thermal-group", "sgcc-huojia-power-supply"} <= graphs
