"""Key facts of the Jinan and industry cases, pinned with SPARQL over the curated files.

The six cases (Jinan bus Team 7, Jinan Water Group, Jinan Energy Group's "Chuxin
Energy", the Dongxin Hexin branch of Jinan Thermal Power, Shandong Hi-Speed Road &
Bridge, Huadian's Shiliquan plant) are condensed notes; these tests check that the
curated graphs say what the notes say, that every fact cites an exact passage, and
that the groups, brands and places shared with other cases keep one IRI and one set
of labels.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from rdflib import Dataset, Literal, URIRef

from casegraph.paths import CASES_DIR
from tests.case_vocabulary import ID, PREFIXES, graph_iri, id_path
from tests.shared_material import CASE_NOTES

CASES = (
    "jinan-bus-3rd-branch-team7",
    "jinan-water-group",
    "jinan-energy-group-chuxin",
    "jinan-thermal-dongxin-hexin-branch",
    "shandong-hi-speed-road-bridge",
    "huadian-shiliquan-power-plant",
)
#: The condensed notes these cases were curated from, by case slug.
NOTES = CASE_NOTES
FIRST_CASE = "jinan-thermal-western-heat-source"


def expand(query: str) -> str:
    """Write ``id:org/x`` as a full IRI: SPARQL local names cannot contain '/'."""
    return PREFIXES + re.sub(r"\bid:([\w\-/]+)", rf"<{ID}\1>", query)


def select(ds: Dataset, query: str) -> list[tuple]:
    return [tuple(row) for row in ds.query(expand(query))]


def ask(ds: Dataset, query: str) -> bool:
    return ds.query(expand(query))


def figure(ds: Dataset, slug: str, of: str, metric: str) -> list[Decimal]:
    rows = select(
        ds,
        f"""SELECT ?value WHERE {{ GRAPH <{graph_iri(slug)}> {{
              ?f a cg:Figure ; cg:figureOf <{of}> ; cg:metric <{ID}metric/{metric}> ;
                 schema:value ?value . }} }}""",
    )
    return sorted(row[0].toPython() for row in rows)


# ---- provenance: sources, passages and citations -------------------------------------------


@pytest.mark.parametrize("slug", CASES)
def test_source_text_is_the_note_verbatim(slug):
    note = next(NOTES.glob(f"*_{slug.replace('-', '_')}.txt"), None)
    if note is None:
        pytest.skip(f"the shared note for {slug} is not on this machine")
    assert (CASES_DIR / slug / "source.txt").read_bytes() == note.read_bytes()


@pytest.mark.parametrize("slug", CASES)
def test_case_document_header(dataset, slug):
    rows = select(
        dataset,
        f"""SELECT ?source ?issued ?file WHERE {{ GRAPH <{graph_iri(slug)}> {{
              <{ID}case/{slug}> a cg:CaseDocument ; dcterms:source ?source ;
                  dcterms:issued ?issued ; cg:sourceTextFile ?file ;
                  cg:isCondensedNote true ; cg:caseGraph <{graph_iri(slug)}> . }} }}""",
    )
    assert len(rows) == 1
    source, issued, file = rows[0]
    assert isinstance(source, URIRef)
    note_header = (CASES_DIR / slug / "source.txt").read_text(encoding="utf-8").splitlines()[0]
    assert note_header == f"source: {source}"
    assert issued.datatype == URIRef("http://www.w3.org/2001/XMLSchema#date")
    assert str(file) == f"data/cases/{slug}/source.txt"


# ---- labels and shared IRIs ----------------------------------------------------------------


@pytest.mark.parametrize("slug", CASES)
def test_every_labelled_node_has_three_languages(dataset, slug):
    rows = select(
        dataset,
        f"""SELECT ?s (GROUP_CONCAT(DISTINCT LANG(?l); separator=" ") AS ?langs)
            WHERE {{ GRAPH <{graph_iri(slug)}> {{ ?s rdfs:label ?l }} }} GROUP BY ?s""",
    )
    wanted = {"zh-hans", "zh-hant", "en"}
    missing = {str(s): str(langs) for s, langs in rows if set(str(langs).lower().split()) != wanted}
    assert missing == {}


def test_shared_iris_have_identical_labels_in_every_case(dataset):
    rows = select(
        dataset,
        """SELECT ?s ?g ?label WHERE {
             GRAPH ?g { ?s rdfs:label ?label }
             FILTER (STRSTARTS(STR(?g), "https://w3id.org/casegraph/id/graph/case/"))
             FILTER (!CONTAINS(STR(?s), "/case/")) }""",
    )
    labels: dict[URIRef, dict[URIRef, set[Literal]]] = {}
    for subject, graph, label in rows:
        labels.setdefault(subject, {}).setdefault(graph, set()).add(label)
    differing = {
        str(s): {str(g): sorted(map(str, ls)) for g, ls in per_graph.items()}
        for s, per_graph in labels.items()
        if len({frozenset(ls) for ls in per_graph.values()}) > 1
    }
    assert differing == {}


def test_jinan_energy_group_is_shared_by_the_jinan_energy_cases(dataset):
    rows = select(
        dataset,
        """SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p id:org/jinan-energy-group } }""",
    )
    graphs = {str(g).rsplit("/", 1)[-1] for (g,) in rows}
    assert {"jinan-energy-group-chuxin", "jinan-thermal-dongxin-hexin-branch"} <= graphs
    rows = select(
        dataset,
        """SELECT DISTINCT ?g WHERE { GRAPH ?g {
             id:org/jinan-thermal-power-group org:subOrganizationOf id:org/jinan-energy-group } }""",
    )
    assert {"jinan-energy-group-chuxin", "jinan-thermal-dongxin-hexin-branch"} <= {
        str(g).rsplit("/", 1)[-1] for (g,) in rows
    }


@pytest.mark.skipif(
    not (CASES_DIR / FIRST_CASE / "case.trig").exists(), reason="the first case is not curated yet"
)
def test_first_case_links_to_the_same_jinan_energy_group(dataset):
    assert ask(
        dataset,
        f"""ASK {{ GRAPH <{graph_iri(FIRST_CASE)}> {{
                 ?s org:subOrganizationOf+ id:org/jinan-energy-group }} }}""",
    )


# ---- facts of each case ---------------------------------------------------------------------


def test_bus_team7_party_branch_has_22_full_and_2_probationary_members(dataset):
    slug = "jinan-bus-3rd-branch-team7"
    branch = f"{ID}org/jinan-bus-3rd-branch-team7-party-branch"
    team = f"{ID}org/jinan-bus-3rd-branch-team7"
    assert figure(dataset, slug, branch, "party-members") == [Decimal(22)]
    assert figure(dataset, slug, branch, "probationary-members") == [Decimal(2)]
    assert figure(dataset, slug, team, "staff-count") == [Decimal(264)]
    assert figure(dataset, slug, team, "operating-routes") == [Decimal(17)]
    assert ask(
        dataset,
        """ASK { id:org/jinan-bus-3rd-branch-team7-party-branch
                     cg:partyOrganisationOf/org:subOrganizationOf+ id:org/jinan-public-transport-group }""",
    )


def test_bus_team7_sub_brands_derive_from_the_green_travel_brand(dataset):
    rows = select(
        dataset,
        """SELECT ?zh WHERE { ?b cg:derivesFrom id:brand/jinan-bus-team7-green-travel ;
                                 rdfs:label ?zh . FILTER (LANG(?zh) = "zh-Hans") }""",
    )
    assert sorted(str(r[0]) for r in rows) == sorted(
        ["荀培培志愿服务队", "红奔奔爱心驿站", "红色公交大篷车", "“学习强国”主题线路", "车厢党课"]
    )


def test_jinan_water_group_party_organisation_figures(dataset):
    slug, group = "jinan-water-group", f"{ID}org/jinan-water-group"
    assert figure(dataset, slug, group, "party-members") == [Decimal(841)]
    assert figure(dataset, slug, group, "party-committees") == [Decimal(2)]
    assert figure(dataset, slug, group, "party-general-branches") == [Decimal(5)]
    assert figure(dataset, slug, group, "party-branches") == [Decimal(37)]
    assert figure(dataset, slug, group, "history-years") == [Decimal(89)]


def test_jinan_water_brand_heads_the_1_plus_35_matrix_in_2023(dataset):
    rows = select(
        dataset,
        """SELECT ?matrix ?year WHERE {
             id:brand/jinan-water-e-dian-e-di cg:brandOwner id:org/jinan-water-group ;
                 cg:inBrandMatrix ?m .
             ?m rdfs:label ?matrix . FILTER (LANG(?matrix) = "zh-Hans")
             ?p cg:practisedBy id:org/jinan-water-group ; cg:practiceKind id:practice-kind/brand-matrix ;
                cg:year ?year . }""",
    )
    assert [(str(m), str(y)) for m, y in rows] == [("“1+35”党建品牌矩阵", "2023")]


def test_chuxin_energy_brand_is_launched_and_heads_the_1_8_n_matrix(dataset):
    rows = select(
        dataset,
        """SELECT ?launched ?owner ?matrix WHERE {
             id:brand/chuxin-energy cg:launchedOn ?launched ; cg:brandOwner ?owner ;
                 cg:inBrandMatrix ?m .
             ?m rdfs:label ?matrix . FILTER (LANG(?matrix) = "zh-Hans") }""",
    )
    assert [(str(d), str(o), str(m)) for d, o, m in rows] == [
        ("2022-10-22", f"{ID}org/jinan-energy-group-party-committee", "“1+8+N”党建品牌矩阵")
    ]


def test_chuxin_speech_contest_winners_by_rank(dataset):
    rows = select(
        dataset,
        """SELECT ?rank ?name ?company WHERE {
             ?c a cg:AwardConferral ; cg:competition ?contest ; cg:rank ?r ; cg:recipient ?person ;
                cg:conferredOn "2023-05-25"^^xsd:date ; cg:competingEntries 10 .
             ?contest schema:startDate "2023-05-25"^^xsd:date ; cg:organisedBy id:org/jinan-energy-group .
             BIND (STRAFTER(STR(?r), "award-rank/") AS ?rank)
             ?person rdfs:label ?name . FILTER (LANG(?name) = "zh-Hans")
             ?m org:member ?person ; org:organization ?org .
             ?org rdfs:label ?company . FILTER (LANG(?company) = "zh-Hans") }""",
    )
    assert sorted((str(r), str(n), str(c)) for r, n, c in rows) == sorted(
        [
            ("first-prize", "张帅", "济南能投集团"),
            ("second-prize", "司宇彤", "山东港华燃气集团"),
            ("second-prize", "周云砚", "济南能投集团"),
            ("third-prize", "徐新越", "济南热电集团有限公司"),
            ("third-prize", "刘文慧", "济南热电集团有限公司"),
            ("third-prize", "董雯青", "济南热力集团"),
        ]
    )


def test_yang_yonggang_is_deputy_secretary_of_the_energy_group_party_committee(dataset):
    rows = select(
        dataset,
        """SELECT ?role WHERE { ?m org:member id:person/yang-yonggang ;
                 org:organization id:org/jinan-energy-group-party-committee ; org:role/rdfs:label ?role .
                 FILTER (LANG(?role) = "zh-Hans") }""",
    )
    assert [str(r[0]) for r in rows] == ["党委副书记"]


def test_dongxin_hexin_branch_kept_the_community_honour_for_2024_and_2025(dataset):
    rows = select(
        dataset,
        """SELECT ?year ?conferred WHERE {
             ?c cg:recipient id:org/jinan-thermal-power-dongxin-hexin-party-branch ;
                cg:issuer id:org/huaxianchang-community ; cg:level id:award-level/community ;
                cg:year ?year . OPTIONAL { ?c cg:conferredOn ?conferred } }""",
    )
    assert sorted((str(y), str(d) if d else None) for y, d in rows) == [
        ("2024", None),
        ("2025", "2026-01-22"),
    ]


def test_road_bridge_group_national_honours_and_solid_branch(dataset):
    rows = select(
        dataset,
        """SELECT ?title ?award WHERE {
                 ?c cg:recipient id:org/shandong-hi-speed-road-bridge-group ;
                    cg:level id:award-level/national ; cg:award ?award .
                 ?award rdfs:label ?awarded FILTER (LANG(?awarded) = "zh-Hans")
                 OPTIONAL { ?c rdfs:label ?own FILTER (LANG(?own) = "zh-Hans") }
                 BIND (COALESCE(?own, ?awarded) AS ?title) }""",
    )
    # The titles as the note writes them: a conferral of a title other cases share (工人先锋号,
    # 青年文明号, 文明单位) keeps the published words as its label; the award IRI is the title.
    titles = {str(title): id_path(award) for title, award in rows}
    assert len(titles) == 9
    assert {"全国五一劳动奖状", "全国工人先锋号", "国家级青年文明号", "全国文明单位"} <= set(titles)
    assert titles["全国工人先锋号"] == "award/workers-pioneer"
    assert titles["国家级青年文明号"] == "award/youth-civilisation-post"
    assert titles["全国文明单位"] == "award/civilised-unit"
    rows = select(
        dataset,
        """SELECT ?year WHERE { ?c cg:award id:award/solid-party-branch ;
                 cg:recipient id:org/shandong-road-bridge-jinan-west-ring-party-branch ;
                 cg:issuer id:org/shandong-provincial-road-bridge-group-party-committee ;
                 cg:year ?year }""",
    )
    assert [str(r[0]) for r in rows] == ["2021"]


def test_shiliquan_unit5_overhaul_posts_zones_and_teams(dataset):
    slug = "huadian-shiliquan-power-plant"
    practice = f"{ID}case/{slug}/practice/unit5-overhaul-posts-zones-teams"
    assert figure(dataset, slug, practice, "vanguard-posts") == [Decimal(61)]
    assert figure(dataset, slug, practice, "responsibility-zones") == [Decimal(28)]
    assert figure(dataset, slug, practice, "commando-teams") == [Decimal(30)]
    rows = select(
        dataset,
        """SELECT ?value ?unit ?approx WHERE { ?e cg:effectOf ?p ; cg:metric id:metric/fuel-stock-change ;
                 schema:value ?value ; schema:unitCode ?unit ; cg:approximate ?approx .
                 ?p cg:practisedBy/org:subOrganizationOf id:org/huadian-shiliquan-power-plant }""",
    )
    assert [(v.toPython(), str(u), a.toPython()) for v, u, a in rows] == [
        (Decimal(50000), "TNE", True)
    ]
    assert ask(
        dataset,
        """ASK { id:org/huadian-shiliquan-power-plant org:subOrganizationOf+ id:org/china-huadian-group ;
                      cg:locatedIn/schema:containedInPlace id:place/shandong }""",
    )
