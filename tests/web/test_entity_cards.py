"""Entity pages for people: names instead of identifiers, summary cards, roll-ups, pictures.

Run over the bundled data in the embedded store (the default backend).
"""

from __future__ import annotations

import html as html_lib
import json
import re

import pytest
from rdflib import RDF, RDFS, Dataset, Graph, Literal, Namespace, URIRef

from casegraph.config import CANONICAL_BASE_IRI as ID
from casegraph.config import Settings
from casegraph.paths import case_files
from casegraph.store.bootstrap import load_bundled
from casegraph.store.memory import MemoryStore
from casegraph.web import create_app
from casegraph.web.search import CLASS_INSTANCES
from tests.web.bundled_app import bundled_app_closed_after

CG = Namespace("https://w3id.org/casegraph/ns#")
ORG = Namespace("http://www.w3.org/ns/org#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
#: Link text that is an identifier: a CURIE, an IRI, or nothing at all.
IDENTIFIER = re.compile(r"^(id:|https?://|urn:|_:|[a-z][a-z0-9]*:[A-Za-z_]|$)")
NO_LABEL = ("(no label)", "(无名称)", "(無名稱)")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    yield from bundled_app_closed_after(tmp_path_factory.mktemp("cards"))


def link_texts(page: str) -> list[tuple[str, str]]:
    """(href, visible text) of every link of a page."""
    return [(href, html_lib.unescape(re.sub(r"<[^>]+>", "", text)).strip())
            for href, text in re.findall(r'<a\b[^>]*href="([^"]*)"[^>]*>(.*?)</a>', page, re.S)]


def section(page: str, element_id: str) -> str:
    match = re.search(rf'<div class="card" id="{element_id}">(.*?)</div>\s*(?:<div|<details|<p class="compare|</section)',
                      page, re.S)
    assert match, f"no #{element_id} card"
    return match.group(1)


def chart_data(page: str) -> list[dict]:
    return [json.loads(block) for block in re.findall(
        r'<script type="application/json" class="chart-data">(.*?)</script>', page, re.S)]


def test_no_link_shows_an_identifier_and_nothing_says_no_label(app, client):
    base = app.config["CASEGRAPH"].base_iri
    subjects = app.extensions["casegraph.store"].query(
        "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s ?p ?o } "
        f"FILTER(isIRI(?s) && STRSTARTS(STR(?s), '{base}')) }}").rows
    assert len(subjects) > 500
    offenders: dict[str, str] = {}
    for (subject,) in subjects:
        for args in ("?facts=1&lang=en", "?lang=zh-Hans"):
            page = client.get("/id/" + str(subject)[len(base):] + args).get_data(as_text=True)
            for href, text in link_texts(page):
                if IDENTIFIER.match(text) and not href.startswith(("/api/", "/sparql")) \
                        and text not in ("ttl", "jsonld", "nt", "rdf", "JSON", "CSV"):
                    offenders.setdefault(f"{text!r} → {href}", str(subject))
            for marker in NO_LABEL:
                if marker in page:
                    offenders.setdefault(marker, str(subject))
    assert not offenders, list(offenders.items())[:20]


def test_heading_is_the_name_in_the_page_language_with_the_other_scripts_beside_it(client):
    page = client.get("/id/org/jinan-thermal-western-heat-source?lang=zh-Hant").get_data(
        as_text=True)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1).strip()
    assert heading == "西部熱源分公司"
    others = re.search(r'<p class="other-names"[^>]*>(.*?)</p>', page, re.S).group(1)
    assert "西部热源分公司" in others and "Western Heat Source Branch" in others
    assert ID + "org/jinan-thermal-western-heat-source" in page
    english = client.get("/id/org/jinan-thermal-western-heat-source?lang=en").get_data(
        as_text=True)
    # The language switch orders values too: the English label comes first in links.
    parent = re.search(r'<p class="parent-chain">(.*?)</p>', english, re.S).group(1)
    assert ">Jinan Thermal Power Group Co., Ltd.</a>" in parent
    # The language switch orders values too: in the statements, the page's script first.
    for lang, first in (("en", "Jinan Thermal Power Group"), ("zh-Hant", "濟南熱電集團")):
        page = client.get(f"/id/org/jinan-thermal-western-heat-source?lang={lang}").get_data(
            as_text=True)
        table = re.search(r'<table class="properties">(.*?)</table>', page, re.S).group(1)
        link = re.search(r'href="/id/org/jinan-thermal-power-group"[^>]*>(.*?)</a>', table,
                         re.S).group(1)
        assert re.match(rf'\s*<span class="label" lang="{lang}"[^>]*>{first}', link), link


@pytest.mark.parametrize("units_per_query", [100, 2])
def test_branch_company_rolls_up_all_five_awards_with_their_issuers(client, monkeypatch,
                                                                    units_per_query):
    # Also with the units asked two at a time: a hub's units are asked in batches.
    monkeypatch.setattr("casegraph.web.cards.UNITS_PER_QUERY", units_per_query)
    page = client.get("/id/org/jinan-thermal-western-heat-source?lang=zh-Hans").get_data(
        as_text=True)
    awards = section(page, "awards")
    rows = re.findall(r"<tr>(.*?)</tr>", awards.split("<tbody>")[1], re.S)
    assert len(rows) == 5
    text = [html_lib.unescape(re.sub(r"<[^>]+>", " ", r)) for r in rows]
    expected = [("五小", "山东省住建系统", "链条炉炉排报警装置"),
                ("全市职工代表提案活动奖", "济南市总工会", "集成一体化烟气监测报警系统"),
                ("济南能源集团先进党组织", "济南能源集团有限公司", "西部热源分公司党支部"),
                # 济南市青年文明号: the title is 青年文明号 (shared with other cases), the level 市级.
                ("青年文明号", "原文未载", "西部热源分公司环保车间")]
    for award, issuer, through in expected:
        assert any(award in t and issuer in t and through in t for t in text), (award, text)
    assert sum("济南能源集团先进党组织" in t for t in text) == 2  # 2022 and 2023
    assert any("2021" in t and "一等奖" in t and "省级" in t for t in text)
    assert any("青年文明号" in t and "市级" in t for t in text)


def test_issuer_page_lists_what_it_awarded_with_a_timeline(app, client):
    # Counted from the store: cases added to data/ may add conferrals by this issuer.
    stated = app.extensions["casegraph.store"].query(
        "PREFIX cg: <https://w3id.org/casegraph/ns#> SELECT DISTINCT ?c ?year WHERE { "
        f"?c a cg:AwardConferral ; cg:issuer <{ID}org/jinan-energy-group> "
        "OPTIONAL { ?c cg:year ?year } }").rows
    assert len(stated) >= 8
    page = client.get("/id/org/jinan-energy-group?lang=en").get_data(as_text=True)
    awarded = section(page, "awarded")
    table = re.search(r'<table class="conferrals">.*?<tbody>(.*?)</tbody>', awarded, re.S)
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)
    assert len(rows) == len(stated)
    assert "Zhang Shuai" in awarded and "First prize" in awarded and "2023" in awarded
    timeline = next(d for d in chart_data(page) if "years" in d)
    assert timeline["years"] == sorted({str(year) for _, year in stated if year is not None})
    assert sum(sum(s["data"]) for s in timeline["series"]) == len(stated)
    assert 'class="timeline-table"' in awarded


def test_conferral_page_is_one_sentence_and_the_quote(client):
    page = client.get("/id/case/jinan-thermal-western-heat-source/conferral/wuxiao-2021"
                      "?lang=zh-Hans").get_data(as_text=True)
    heading = html_lib.unescape(re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1))
    assert heading.strip() == "2021 · 山东省住建系统 · “五小”竞赛奖 · 一等奖 → 链条炉炉排报警装置"
    sentence = html_lib.unescape(re.search(r'<p class="card-sentence"[^>]*>(.*?)</p>', page,
                                           re.S).group(1))
    assert sentence.startswith("2021年,山东省住建系统授予“链条炉炉排报警装置”")
    assert "一等奖" in sentence and "省级" in sentence
    assert "斬獲山東省住建系統2021年度“五小”競賽一等獎" in page
    # The quote is marked in its own script (this text was received in traditional
    # characters); a conferral has no label, so there is no empty "labels" section.
    assert re.search(r'<blockquote lang="zh-Hant">[^<]*“五小”競賽', page)
    assert 'id="labels-h"' not in page
    other = client.get("/id/case/spic-hengqin-thermal-power/conferral/guangdong-sasac-advanced-2019"
                       ).get_data(as_text=True)
    assert '<blockquote lang="zh-Hans">' in other and 'lang="zh-Hant">' not in other.split(
        'class="card-sentence"')[1].split("</div>")[0]
    assert 'id="labels-h"' in client.get("/id/org/jinan-thermal-western-heat-source").get_data(
        as_text=True)


def test_innovation_effects_read_before_and_after_with_units(client):
    page = client.get("/id/innovation/chain-grate-alarm-device?lang=en").get_data(as_text=True)
    effects = html_lib.unescape(re.sub(r"<[^>]+>", "", re.search(
        r'<ul class="effects">(.*?)</ul>', page, re.S).group(1)))
    assert re.search(r"Fault handling time:\s*3 h\s*→\s*10 min", effects)
    assert re.search(r"100%", effects)


def test_organisation_pictures_carry_their_data_as_json_with_links(client):
    page = client.get("/id/org/jinan-thermal-power-group?lang=zh-Hans").get_data(as_text=True)
    data = chart_data(page)
    tree = next(d for d in data if "children" in d)
    assert tree["name"] == "济南能源集团有限公司"  # the top of the chain
    graph = next(d for d in data if "nodes" in d)
    names = {n["name"] for n in graph["nodes"]}
    assert "初心+炽心安源" in names
    assert all(n["href"].startswith("/id/") for n in graph["nodes"])
    assert 'role="img"' in page and 'aria-label="隶属关系树状图"' in page


def test_sources_are_case_titles_behind_a_toggle(client):
    page = client.get("/id/brand/qingxin-xiyuan?lang=zh-Hans").get_data(as_text=True)
    toggle = re.search(r'<details class="graphs">(.*?)</details>', page, re.S).group(1)
    assert "济南热电集团西部热源分公司党支部:“青新熙源”党建品牌" in toggle
    assert "graph/case" not in re.sub(r'href="[^"]*"|title="[^"]*"', "", toggle)


HOSTILE_NAME = '</script><script>alert(1)</script><img src=x onerror=alert(2)>'


@pytest.fixture()
def hostile_client():
    """An organisation, its unit, an award and an issuer, all named by hostile literals."""
    graph = Graph()
    org, unit, issuer = (URIRef(ID + f"org/hostile-{n}") for n in ("org", "unit", "issuer"))
    award, conferral = URIRef(ID + "award/hostile"), URIRef(ID + "case/hostile/conferral/1")
    level = URIRef(ID + "award-level/hostile")
    graph.add((org, RDF.type, CG.Company))
    graph.add((unit, RDF.type, CG.Workshop))
    graph.add((unit, ORG.subOrganizationOf, org))
    graph.add((issuer, RDF.type, CG.PublicBody))
    for node in (org, unit, issuer, award, level):
        graph.add((node, RDFS.label, Literal(HOSTILE_NAME, lang="zh-Hans")))
    graph.add((conferral, RDF.type, CG.AwardConferral))
    graph.add((conferral, CG.award, award))
    graph.add((conferral, CG.recipient, unit))
    graph.add((conferral, CG.issuer, issuer))
    graph.add((conferral, CG.year, Literal("2020")))
    graph.add((conferral, CG.level, level))
    store = MemoryStore()
    load_bundled(store, Settings(store="memory"))  # the ontology: which classes get cards
    store.replace_graphs({URIRef(ID + "graph/case/hostile"): graph})
    app = create_app(Settings(store="memory"), {"TESTING": True}, store=store)
    return app.test_client()


@pytest.mark.parametrize("path", ["/id/org/hostile-org", "/id/org/hostile-issuer"])
def test_hostile_literals_cannot_inject_markup_through_the_pictures(hostile_client, path):
    page = hostile_client.get(path).get_data(as_text=True)
    blocks = re.findall(r'<script type="application/json" class="chart-data">(.*?)</script>',
                        page, re.S)
    assert blocks, "the page has pictures"
    for block in blocks:
        assert "<" not in block and ">" not in block
    assert all(HOSTILE_NAME in json.dumps(json.loads(b), ensure_ascii=False) for b in blocks)
    assert "<script>alert(1)" not in page and "<img src=x" not in page


def test_passage_hits_are_titled_by_their_case_and_section(client):
    page = client.get("/search", query_string={"q": "链条炉排报警", "lang": "en"}).get_data(
        as_text=True)
    passages = re.search(r'<section class="result-group" aria-labelledby="group-passage">(.*?)'
                         r"</section>", page, re.S).group(1)
    titles = [html_lib.unescape(t) for t in re.findall(r'class="result-label"[^>]*>(.*?)</a>',
                                                       passages)]
    assert titles and all(" · " in t and "/passage/" not in t for t in titles)
    assert any(t.startswith("Western Heat Source Branch Party Branch") for t in titles)


def test_one_result_is_singular_and_a_class_lists_its_instances(client):
    one = client.get("/search", query_string={"q": "链条炉炉排报警装置", "lang": "en",
                                              "group": "innovation"}).get_data(as_text=True)
    count = re.search(r'<p class="result-count"><strong>(\d+)</strong> (\w+)</p>', one)
    assert count.group(2) == ("result" if count.group(1) == "1" else "results")
    page = client.get("/search", query_string={"q": "奖项", "lang": "zh-Hans"}).get_data(
        as_text=True)
    instances = html_lib.unescape(re.search(r'<p class="instances">(.*?)</p>', page, re.S).group(1))
    # The class lists its first CLASS_INSTANCES awards in IRI order, read here from the files.
    awards: dict[URIRef, str] = {}
    for path in case_files():
        data = Dataset().parse(path, format="trig")
        titles = {award for award, _, _, _ in data.quads((None, RDF.type, CG.Award))}
        for award, _, label, _ in data.quads((None, RDFS.label, None)):
            if award in titles and label.language == "zh-Hans":
                awards[award] = str(label)
    assert len(awards) > CLASS_INSTANCES
    assert all(awards[award] in instances for award in sorted(awards)[:CLASS_INSTANCES])


def test_home_features_cross_case_questions_browses_by_type_and_names_every_case(client):
    page = client.get("/?lang=en").get_data(as_text=True)
    featured = re.search(r'<ul class="featured-questions">(.*?)</ul>', page, re.S).group(1)
    assert len(re.findall(r'href="/questions/', featured)) >= 5
    assert 'href="/overview"' in featured
    browse = re.search(r'<ul class="entry-points browse-types">(.*?)</ul>', page, re.S).group(1)
    assert "Award conferral" in browse and "Innovation" in browse
    table = re.search(r'<table class="statistics">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    names = [html_lib.unescape(n) for n in re.findall(
        r'<th scope="row">\s*<a href="[^"]*">(.*?)</a>', table)]
    # Every case by its own English title (none falls back to its subject's name).
    english = set()
    for case in case_files():
        dataset = Dataset().parse(case, format="trig")
        english |= {str(o) for s, _, o, _ in dataset.quads((None, DCTERMS.title, None, None))
                    if o.language == "en" and any(dataset.quads((s, RDF.type, CG.CaseDocument, None)))}
    assert len(names) == len(case_files())
    assert set(names) == english, set(names) ^ english


@pytest.mark.parametrize("path", ["/export/case/jinan-thermal-western-heat-source.ttl",
                                  "/export/dataset.trig", "/export/dataset.nq",
                                  "/export/dataset.jsonld",
                                  "/id/org/jinan-thermal-western-heat-source?format=ttl",
                                  "/id/org/jinan-thermal-western-heat-source?format=jsonld"])
def test_exports_spell_language_tags_canonically_and_never_escape_slashes(client, path):
    body = client.get(path).get_data(as_text=True)
    assert not re.search(r'"@zh-han[st]\b|"@language"\s*:\s*"zh-han[st]"', body)
    assert re.search(r'"@zh-Hans\b|"@language"\s*:\s*"zh-Hans"', body)
    assert "\\/" not in body


def test_turtle_download_reads_back_as_the_stored_graph(app, client):
    body = client.get("/export/case/jinan-thermal-western-heat-source.ttl").get_data()
    graph = Graph().parse(data=body, format="turtle")
    stored = app.extensions["casegraph.store"].graph(
        URIRef(ID + "graph/case/jinan-thermal-western-heat-source"))
    assert len(graph) == len(stored) > 500
    label = (URIRef(ID + "org/jinan-thermal-western-heat-source"), RDFS.label,
             Literal("西部热源分公司", lang="zh-Hans"))
    assert label in graph


def test_every_question_downloads_as_csv(client):
    from casegraph.sparql.catalogue import load_catalogue

    for question_id in load_catalogue():
        response = client.get(f"/api/questions/{question_id}.csv")
        assert response.status_code == 200, question_id
        assert response.mimetype == "text/csv"


def test_brand_page_shows_its_lineage_as_a_tree(client):
    page = client.get("/id/brand/qingxin-xiyuan?lang=zh-Hans").get_data(as_text=True)
    lineage = section(page, "lineage")
    assert lineage.index("初心+炽心安源") < lineage.index("青新熙源")  # parent above child
    tree = next(d for d in chart_data(page) if d.get("name") == "初心+炽心安源")
    assert [c["name"] for c in tree["children"]] == ["青新熙源"]
