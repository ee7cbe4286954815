"""Key facts of the four cases added through the browser curation workspace.

sgcc-weihai-rainbow-team, jinan-heating-staff-proposal-award,
jinan-energy-engineering-staff-bookroom and huadian-shandong-guangdong-joint-building
were drafted, reviewed and published in
``/curate`` and exported from the store.  These tests pin what their condensed notes
(data/cases/<slug>/source.txt) say — figures with units, conferrals with issuer, level,
rank and year, the group hierarchy — and, since the cases were chosen for it, that they
reuse the IRIs of organisations, an award title, a brand and a metric that one other
case each held before instead of minting copies.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from rdflib import RDFS, Dataset
from rdflib.namespace import DCTERMS

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

WEIHAI = "sgcc-weihai-rainbow-team"
HEATING = "jinan-heating-staff-proposal-award"
BOOKROOM = "jinan-energy-engineering-staff-bookroom"
HUADIAN = "huadian-shandong-guangdong-joint-building"
CASES = (WEIHAI, HEATING, BOOKROOM, HUADIAN)


@pytest.mark.parametrize("slug", CASES)
def test_case_is_one_graph_citing_its_page_and_quoting_its_text(dataset: Dataset, slug: str) -> None:
    text = source_text(slug)
    page = re.match(r"source: (\S+)\n", text).group(1)
    case = dataset.graph(graph_iri(slug))
    doc = iri(f"case/{slug}")
    assert str(case.value(doc, DCTERMS.source)) == page
    assert case.value(doc, DCTERMS.issued) is not None
    titles = {t.language for t in case.objects(doc, DCTERMS.title)}
    assert titles == {"zh-Hans", "zh-Hant", "en"}
    passages = list(case.subjects(CG.quote, None))
    assert len(passages) >= 8
    for passage in passages:
        start, end = (case.value(passage, p).toPython() for p in (CG.charStart, CG.charEnd))
        assert text[start:end] == str(case.value(passage, CG.quote)), passage


def test_weihai_team_figures(dataset: Dataset) -> None:
    text = source_text(WEIHAI)
    assert "服务队的1185名队员" in text and "总长180米的电缆" in text
    found = {(f.metric, f.value, f.unit) for f in figures(dataset, WEIHAI, of="org/sgcc-weihai-rainbow-team")}
    assert found == {("participants", Decimal("1185"), "C62"), ("distance", Decimal("180"), "MTR")}


def test_weihai_conferral_names_three_provincial_issuers_and_no_year(dataset: Dataset) -> None:
    assert "山东省委宣传部、精神文明建设委员会、民政厅联合发文" in source_text(WEIHAI)
    rows = select(dataset, f"""
        SELECT ?award ?issuer ?level ?year WHERE {{
          GRAPH <{graph_iri(WEIHAI)}> {{
            ?c a cg:AwardConferral ; cg:award/rdfs:label ?award ; cg:level ?level ;
               cg:recipient <{iri('org/sgcc-weihai-rainbow-team')}> ; cg:issuer/rdfs:label ?issuer .
            OPTIONAL {{ ?c cg:year ?year }}
            FILTER(lang(?award) = "zh-Hans" && lang(?issuer) = "zh-Hans")
          }}
        }}""")
    assert {str(r[0]) for r in rows} == {"山东省抗击疫情优秀志愿服务组织"}
    assert {str(r[1]) for r in rows} == {"山东省委宣传部", "山东省精神文明建设委员会", "山东省民政厅"}
    assert {id_path(r[2]) for r in rows} == {"award-level/provincial"}
    assert {r[3] for r in rows} == {None}  # the note gives no year


def test_heating_proposal_first_prize_reuses_the_award_title(dataset: Dataset) -> None:
    assert "2024年度“聚合力促发展”全市优秀职工代表提案征集评选活动" in source_text(HEATING)
    (conferral,) = conferrals(dataset, HEATING)
    assert conferral.award == "award/jinan-staff-proposal-activity-award"
    assert conferral.recipient == "org/jinan-heating-group"
    assert conferral.issuer == "org/jinan-open-factory-affairs-democratic-management-office"
    assert (conferral.level, conferral.rank, conferral.year) == (
        "award-level/municipal", "award-rank/first-prize", "2024")
    # The 2023 prize of the same activity, in another case, is the same award title.
    assert {c.year for c in conferrals(dataset, "jinan-thermal-western-heat-source")
            if c.award == conferral.award} == {"2023"}


def test_bookroom_demonstration_site_and_floor_area(dataset: Dataset) -> None:
    text = source_text(BOOKROOM)
    assert "被济南市总工会授予“2022年济南市工会职工书屋示范点”称号" in text
    assert "占地面积约200平方米" in text
    (conferral,) = conferrals(dataset, BOOKROOM)
    assert (conferral.recipient, conferral.issuer, conferral.level, conferral.year) == (
        "org/jinan-energy-engineering-group", "org/jinan-federation-of-trade-unions",
        "award-level/municipal", "2022")
    (area,) = [f for f in figures(dataset, BOOKROOM) if f.metric == "floor-area"]
    assert (area.value, area.unit, area.approximate) == (Decimal("200"), "MTK", True)


def test_huadian_joint_building_by_both_party_committees(dataset: Dataset) -> None:
    text = source_text(HUADIAN)
    assert "华电广东公司党委和华电山东公司党委在济南开展“华电鲁粤聚合力 奋勇争先谱新篇”党建联建共建活动" in text
    rows = select(dataset, f"""
        SELECT ?by WHERE {{
          GRAPH <{graph_iri(HUADIAN)}> {{
            ?p a cg:Practice ; cg:practisedBy ?by ;
               cg:practiceKind <{iri('practice-kind/joint-party-building')}> ;
               cg:statedIn/cg:quote ?quote .
            FILTER(CONTAINS(STR(?quote), "党建联建共建活动"))
          }}
        }}""")
    assert {id_path(by) for (by,) in rows} == {
        "org/huadian-shandong-party-committee", "org/huadian-guangdong-party-committee"}
    assert rolls_up_to(dataset, "huadian-shandong-party-committee", "china-huadian-group")
    # 董凤亮 and 梁汉东: each 党委书记、执行董事 of their company.
    assert "华电山东公司党委书记、执行董事董凤亮和华电广东公司党委书记、执行董事梁汉东" in text
    assert memberships(dataset, HUADIAN) == {
        ("董凤亮", "org/huadian-shandong-party-committee", "role/party-committee-secretary"),
        ("董凤亮", "org/huadian-shandong", "role/executive-director"),
        ("梁汉东", "org/huadian-guangdong-party-committee", "role/party-committee-secretary"),
        ("梁汉东", "org/huadian-guangdong", "role/executive-director"),
    }


def test_units_roll_up_to_their_groups(dataset: Dataset) -> None:
    assert rolls_up_to(dataset, "sgcc-weihai-rainbow-team", "state-grid-shandong")
    assert rolls_up_to(dataset, "jinan-heating-group", "jinan-energy-group")
    assert rolls_up_to(dataset, "jinan-energy-engineering-group", "jinan-energy-group")


def test_weihai_team_bears_the_rainbow_brand_without_a_second_owner(dataset: Dataset) -> None:
    brand = iri("brand/rainbow-party-member-service-team")
    team = iri("org/sgcc-weihai-rainbow-team")
    assert (team, SCHEMA.brand, brand) in dataset.graph(graph_iri(WEIHAI))
    owners = {o for g in dataset.graphs() for o in g.objects(brand, CG.brandOwner)}
    assert owners == {iri("org/state-grid")}
    assert (brand, RDFS.label, None) in dataset.graph(graph_iri(WEIHAI))


@pytest.mark.parametrize(("path", "added_in", "held_by"), [
    ("org/state-grid-shandong", WEIHAI, "sgcc-qingzhou-rainbow-team"),
    ("org/cpnn", WEIHAI, "spic-hengqin-thermal-power"),
    ("brand/rainbow-party-member-service-team", WEIHAI, "sgcc-qingzhou-rainbow-team"),
    ("org/jinan-heating-group", HEATING, "jinan-energy-group-chuxin"),
    ("award/jinan-staff-proposal-activity-award", HEATING, "jinan-thermal-western-heat-source"),
    ("org/jinan-federation-of-trade-unions", BOOKROOM, "jinan-thermal-western-heat-source"),
    ("metric/floor-area", BOOKROOM, "sgcc-huojia-power-supply"),
    ("org/huadian-shandong", HUADIAN, "huadian-shandong-five-strive"),
    ("org/huadian-guangdong", HUADIAN, "huadian-guangdong-two-firsts-four-excellences"),
    ("org/huadian-guangdong-party-committee", HUADIAN, "huadian-guangdong-two-firsts-four-excellences"),
])
def test_case_reuses_an_iri_another_case_held(
    dataset: Dataset, path: str, added_in: str, held_by: str
) -> None:
    assert {added_in, held_by} <= graphs_naming(dataset, iri(path))
