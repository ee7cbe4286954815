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
    figures,
    graph_iri,
    id_path,
    iri,
    local,
    select,
    source_text,
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
    """(title as published, recipient, issuer, level, year) of one case, None where unstated.

    The award IRI is the bare title, shared across cases (赤峰市工人先锋号 and 全国工人先锋号 are
    both award/workers-pioneer); a conferral of such a title keeps the words the note uses
    as its own zh-Hans label, so the title as published is that label, else the award's.
    """
    rows = select(
        ds,
        f"""
        SELECT ?title ?recipient ?issuer ?level ?year WHERE {{
          GRAPH <{graph_iri(slug)}> {{
            ?c a cg:AwardConferral ; cg:award/rdfs:label ?awarded .
            FILTER(lang(?awarded) = "zh-Hans")
            OPTIONAL {{ ?c rdfs:label ?own FILTER(lang(?own) = "zh-Hans") }}
            OPTIONAL {{ ?c cg:recipient ?recipient }} OPTIONAL {{ ?c cg:issuer ?issuer }}
            OPTIONAL {{ ?c cg:level ?level }} OPTIONAL {{ ?c cg:year ?year }}
          }}
          BIND(COALESCE(?own, ?awarded) AS ?title)
        }}""",
    )
    return {
        (str(title), *(id_path(v) if v is not None else None for v in rest))
        for title, *rest in rows
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
    # 广东省国资委先进基层党组织 and 济南市国资委系统先进基层党组织 are one title, 先进基层党组织,
    # from two issuers; 青州市抗灾抢险先进基层党组织 is a title of its own.
    assert {
        ("先进基层党组织", "spic-hengqin-thermal-power"),
        ("先进基层党组织", "jinan-city-construction-1-24-n"),
        ("青州市抗灾抢险先进基层党组织", "sgcc-qingzhou-rainbow-team"),
    } <= found


#: One award IRI per title, shared by cases: the level and the issuer the notes prefix to the
#: title (全国, 赤峰市, 省级, 济南市国资委系统 …) are on the conferral, the words as published are
#: the conferral's label. (title, case, title as published, issuer, level), read from the notes.
SHARED_TITLES = [
    ("workers-pioneer", "shandong-hi-speed-road-bridge", "全国工人先锋号", None, "national"),
    ("workers-pioneer", "arhorqin-changcheng-heating-line-team", "赤峰市工人先锋号",
     "org/chifeng-federation-of-trade-unions", "municipal"),
    ("civilised-unit", "shandong-hi-speed-road-bridge", "全国文明单位", None, "national"),
    ("civilised-unit", "sgcc-huojia-power-supply", "省级文明单位", None, "provincial"),
    ("advanced-grassroots-party-organisation", "spic-hengqin-thermal-power",
     "广东省国资委先进基层党组织", "org/guangdong-sasac", "provincial"),
    ("advanced-grassroots-party-organisation", "jinan-city-construction-1-24-n",
     "济南市国资委系统先进基层党组织", "org/jinan-sasac", "municipal"),
    ("youth-civilisation-post", "shandong-hi-speed-road-bridge", "国家级青年文明号", None,
     "national"),
    ("youth-civilisation-post", "jinan-thermal-western-heat-source", "济南市青年文明号", None,
     "municipal"),
]


@pytest.mark.parametrize(("title", "slug", "published", "issuer", "level"), SHARED_TITLES,
                         ids=[f"{row[0]}-{row[1]}" for row in SHARED_TITLES])
def test_award_titles_are_shared_with_level_and_issuer_on_the_conferral(
    dataset: Dataset, title: str, slug: str, published: str, issuer: str | None, level: str
) -> None:
    rows = select(
        dataset,
        f"""
        SELECT ?issuer ?level ?hant WHERE {{
          GRAPH <{graph_iri(slug)}> {{
            ?c cg:award <{ID}award/{title}> ; cg:level ?level ; rdfs:label "{published}"@zh-Hans ;
               rdfs:label ?hant FILTER(lang(?hant) = "zh-Hant")
            OPTIONAL {{ ?c cg:issuer ?issuer }}
          }}
        }}""",
    )
    assert [(id_path(i) if i else None, local(lv)) for i, lv, _ in rows] == [(issuer, level)]
    # The words are the note's own (the western branch's note is in traditional script).
    assert published in source_text(slug) or str(rows[0][2]) in source_text(slug)
    # One IRI across the cases, labelled in each with the bare title the published words contain.
    assert {row[1] for row in SHARED_TITLES if row[0] == title} <= cases_stating(
        dataset, iri(f"award/{title}"))
    bare = zh_hans_label(dataset.graph(graph_iri(slug)), iri(f"award/{title}"))
    assert bare and bare in published and bare != published


def test_volunteer_service_links_heating_and_power_cases(dataset: Dataset) -> None:
    graphs = cases_with_practice_kind(dataset, "volunteer-service")
    assert {"zhengzhou-thermal-group", "sgcc-huojia-power-supply"} <= graphs
