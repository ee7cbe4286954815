"""Entity and case document pages over the bundled data in a memory store."""

from __future__ import annotations

import re

import pytest
from rdflib import RDFS, Graph, Literal, Namespace, URIRef

from casegraph.config import CANONICAL_BASE_IRI, Settings
from casegraph.store.bootstrap import load_bundled
from casegraph.store.memory import MemoryStore
from casegraph.web import create_app, pages
from tests.web.bundled_app import bundled_app

ID = CANONICAL_BASE_IRI
CG = Namespace("https://w3id.org/casegraph/ns#")
SCHEMA = Namespace("https://schema.org/")


@pytest.fixture(scope="module")
def client():
    settings = Settings(store="memory")
    store = MemoryStore()
    load_bundled(store, settings)
    return create_app(settings, {"TESTING": True}, store=store).test_client()


def test_entity_page_shows_all_three_labels_types_and_vary(client):
    response = client.get("/id/org/jinan-energy-group", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["Vary"].startswith("Accept")
    html = response.get_data(as_text=True)
    for label in ("济南能源集团有限公司", "濟南能源集團有限公司", "Jinan Energy Group"):
        assert label in html
    assert 'href="/resource?iri=https%3A%2F%2Fw3id.org%2Fcasegraph%2Fns%23EnterpriseGroup"' in html


@pytest.mark.parametrize(
    ("accept", "query", "parse_as"),
    [
        ("text/turtle", "", "turtle"),
        ("application/ld+json", "", "json-ld"),
        ("text/html", "?format=nt", "nt"),
        ("text/html", "?format=rdf", "xml"),
    ],
)
def test_entity_rdf_twins_state_the_labels(client, accept, query, parse_as):
    response = client.get(f"/id/org/jinan-energy-group{query}", headers={"Accept": accept})
    assert response.status_code == 200
    assert "Accept" in [v.strip() for v in response.headers["Vary"].split(",")]
    graph = Graph().parse(data=response.get_data(as_text=True), format=parse_as)
    subject = URIRef(ID + "org/jinan-energy-group")
    assert (subject, RDFS.label, Literal("济南能源集团有限公司", lang="zh-Hans")) in graph
    assert all(s == subject or not isinstance(s, URIRef) for s in graph.subjects())


def test_unknown_entity_is_404_and_unknown_format_406(client):
    assert client.get("/id/org/no-such-organisation").status_code == 404
    assert client.get("/id/org/jinan-energy-group?format=pdf").status_code == 406


def test_resource_route_redirects_base_iris_and_describes_others(client):
    response = client.get("/resource", query_string={"iri": ID + "place/jinan"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/id/place/jinan")
    response = client.get("/resource", query_string={"iri": str(CG.PartyBranch)})
    assert response.status_code == 200
    assert "cg:PartyBranch" in response.get_data(as_text=True)


def test_source_passage_and_case_link_are_shown(client):
    html = client.get("/id/org/jinan-bus-3rd-branch-team7-party-branch?lang=en").get_data(
        as_text=True
    )
    assert "Source passages" in html
    assert "所在车队共有职工264人、运营线路17条" in html
    assert 'href="/id/case/jinan-bus-3rd-branch-team7"' in html


def test_cases_mentioning_a_shared_entity_are_listed(client):
    html = client.get("/id/place/jinan").get_data(as_text=True)
    section = html.split('id="cases-h"')[1].split("</section>")[0]
    assert section.count("<li>") >= 2
    assert 'href="/id/case/jinan-bus-3rd-branch-team7"' in section
    assert 'href="/id/case/jinan-water-group"' in section


def test_incoming_links_are_counted_and_paged(client, monkeypatch):
    monkeypatch.setattr(pages, "INCOMING_PAGE_SIZE", 3)
    first = client.get("/id/practice-kind/brand-building?lang=en").get_data(as_text=True)
    assert "Page 1 / " in first
    section = first.split('id="incoming-h"')[1]
    assert section.split("</table>")[1].count('<li><a class="iri"') == 3
    total = int(section.split('<td class="num">')[1].split("<")[0])
    assert total >= 8
    pages_count = -(-total // 3)
    last = client.get(f"/id/practice-kind/brand-building?in_page={pages_count}").get_data(
        as_text=True
    )
    rest = last.split('id="incoming-h"')[1].split("</table>")[1]
    assert rest.count('<li><a class="iri"') == total - 3 * (pages_count - 1)
    assert client.get("/id/practice-kind/brand-building?in_page=0").status_code == 400
    assert client.get("/id/practice-kind/brand-building?in_page=x").status_code == 400


def test_outgoing_values_are_paged_per_property_with_their_graph_counts(client, monkeypatch):
    """A property with more values than a page is paged (?out_page=); the small ones (the
    labels) are on every page; each value says in how many graphs it is stated."""
    monkeypatch.setattr(pages, "OUTGOING_PAGE_SIZE", 3)
    iri = f"{ID}org/jinan-energy-group"
    sparql = f"""SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ GRAPH ?g {{ <{iri}> <{CG}statedIn> ?p }} }}"""
    answer = client.get("/sparql", query_string={"query": sparql},
                        headers={"Accept": "application/sparql-results+json"}).get_json()
    passages = int(answer["results"]["bindings"][0]["n"]["value"])
    assert passages > 3
    label_graphs = client.get("/sparql", query_string={"query": f"""SELECT (COUNT(DISTINCT ?g) AS ?n)
        WHERE {{ GRAPH ?g {{ <{iri}> <{RDFS.label}> "济南能源集团有限公司"@zh-Hans }} }}"""},
        headers={"Accept": "application/sparql-results+json"}).get_json()
    restated = int(label_graphs["results"]["bindings"][0]["n"]["value"])
    pages_count = -(-passages // 3)
    seen = 0
    for number in range(1, pages_count + 1):
        html = client.get(f"/id/org/jinan-energy-group?lang=en&out_page={number}").get_data(as_text=True)
        table = html.split('id="props-h"')[1].split("</table>")[0]
        assert "济南能源集团有限公司" in table and "Jinan Energy Group" in table  # on every page
        assert f"Page {number} / {pages_count}" in html.split('id="props-h"')[1].split("</section>")[0]
        stated = table.split("<code>cg:statedIn</code>")[1] if "<code>cg:statedIn</code>" in table else ""
        seen += stated.count('class="graphs"')
    assert seen == passages
    first = client.get("/id/org/jinan-energy-group?lang=en").get_data(as_text=True)
    table = first.split('id="props-h"')[1].split("</table>")[0]
    row = next(r for r in table.split("<tr>") if '"济南能源集团有限公司"' in r or ">济南能源集团有限公司<" in r)
    assert f"Sources ({restated})" in row
    assert client.get("/id/org/jinan-energy-group?out_page=0").status_code == 400


def test_ui_language_from_parameter_and_accept_language(client):
    assert "屬性" in client.get("/id/place/jinan?lang=zh-Hant").get_data(as_text=True)
    fresh = client.application.test_client()
    html = fresh.get("/id/place/jinan", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(
        as_text=True
    )
    assert "Properties" in html
    html = fresh.get("/id/place/jinan", headers={"Accept-Language": "zh-TW"}).get_data(
        as_text=True
    )
    assert "屬性" in html


def test_case_document_highlights_cited_passages_linked_to_facts(client):
    html = client.get("/id/case/jinan-bus-3rd-branch-team7").get_data(as_text=True)
    assert 'class="case-text"' in html
    assert "支部有正式党员22人、预备党员2人</a></mark>" in html
    assert 'href="/id/case/jinan-bus-3rd-branch-team7/figure/branch-party-members"' in html
    assert "quote does not match" not in html and "引文与原文偏移不一致" not in html
    facts = client.get("/id/case/jinan-bus-3rd-branch-team7?facts=1").get_data(as_text=True)
    assert "cg:sourceTextFile" in facts


def test_source_text_path_stays_inside_the_data_directory():
    assert pages.source_text_path("data/cases/jinan-bus-3rd-branch-team7/source.txt")
    assert pages.source_text_path("../../../../etc/passwd") is None
    assert pages.source_text_path("/etc/passwd") is None
    assert pages.source_text_path("data/../pyproject.toml") is None


def test_highlight_segments_split_overlapping_passages():
    a = {"start": 2, "end": 6}
    b = {"start": 4, "end": 9}
    segments = pages.highlight_segments("0123456789", [a, b])
    assert segments == [("01", []), ("23", [a]), ("45", [a, b]), ("678", [b]), ("9", [])]


HOSTILE = URIRef(ID + "org/hostile")


@pytest.fixture()
def hostile_client():
    graph = Graph()
    graph.add((HOSTILE, RDFS.label, Literal("<script>alert(1)</script>", lang="en")))
    graph.add((HOSTILE, RDFS.label, Literal('"><img src=x onerror=alert(2)>', lang="zh-Hans")))
    graph.add((HOSTILE, SCHEMA.url, URIRef("javascript:alert(3)")))
    graph.add((URIRef("javascript:alert(4)"), CG.locatedIn, HOSTILE))
    store = MemoryStore()
    store.replace_graphs({URIRef(ID + "graph/case/hostile"): graph})
    app = create_app(Settings(store="memory"), {"TESTING": True}, store=store)
    return app.test_client()


def test_hostile_literals_are_escaped_and_javascript_iris_never_links(hostile_client):
    html = hostile_client.get("/id/org/hostile").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    assert 'href="javascript:' not in html.lower()
    assert "javascript:alert(3)" in html and "javascript:alert(4)" in html
    page = hostile_client.get("/resource", query_string={"iri": "javascript:alert(3)"})
    assert 'href="javascript:' not in page.get_data(as_text=True).lower()


@pytest.fixture(scope="module")
def oxigraph_client(tmp_path_factory):
    app = bundled_app(tmp_path_factory.mktemp("oxigraph-pages"))
    yield app.test_client()
    app.extensions["casegraph.store"].close()


def _label_columns(html: str) -> list[tuple[str, str]]:
    """(language, text) of each column of the first side-by-side label table."""
    table = re.search(r'<dl class="labels-side-by-side">(.*?)</dl>', html, re.S).group(1)
    return re.findall(r"<dt>([^<]*)</dt><dd[^>]*>(.*?)</dd>", table, re.S)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/id/org/jinan-energy-group",
         ["济南能源集团有限公司", "濟南能源集團有限公司", "Jinan Energy Group Co., Ltd."]),
        ("/id/practice-kind/mentoring", None),
        ("/id/case/jinan-bus-3rd-branch-team7", None),
    ],
)
def test_oxigraph_pages_show_zh_hans_zh_hant_and_en_side_by_side(oxigraph_client, path, expected):
    """Oxigraph reports ``zh-hans``; the page must still find each label in its column."""
    html = oxigraph_client.get(path + "?lang=en").get_data(as_text=True)
    columns = _label_columns(html)
    assert [lang for lang, _ in columns] == ["zh-Hans", "zh-Hant", "en"], columns
    assert all(text.strip() and "no label" not in text for _, text in columns), columns
    assert "zh-hans" not in html and "zh-hant" not in html
    if expected:
        assert [text for _, text in columns] == expected


def test_case_document_is_named_by_its_title_in_three_languages(client):
    html = client.get("/id/case/jinan-thermal-western-heat-source?lang=zh-Hant").get_data(
        as_text=True
    )
    columns = dict(_label_columns(html))
    assert "青新熙源" in columns["zh-Hans"] and "黨建品牌" in columns["zh-Hant"]
    assert "Qingxin Xiyuan" in columns["en"]
    assert re.search(r"<h1>[^<]*黨支部[^<]*</h1>", html)  # the heading in the UI language
    assert html.count("<h1") == 1


def test_cases_mentioning_an_entity_are_named_by_their_titles(client):
    html = client.get("/id/org/jinan-energy-group?lang=en").get_data(as_text=True)
    cases = html[html.index('id="cases-h"'):html.index('id="incoming-h"')]
    assert 'href="/id/case/jinan-energy-group-chuxin"' in cases
    assert "初心能源" in cases  # the title, not only the IRI


def test_every_iri_of_a_case_graph_resolves_as_a_page_and_as_turtle(client):
    """Every subject and object IRI under the base stated in one case has a page."""
    store = client.application.extensions["casegraph.store"]
    graph = store.graph(URIRef(ID + "graph/case/jinan-bus-3rd-branch-team7"))
    iris = {t for triple in graph for t in (triple[0], triple[2])
            if isinstance(t, URIRef) and str(t).startswith(ID)}
    assert len(iris) > 50
    for iri in sorted(iris):
        response = client.get("/id/" + str(iri)[len(ID):], headers={"Accept": "text/turtle"})
        assert response.status_code == 200, iri
        assert (iri, None, None) in Graph().parse(data=response.get_data(as_text=True),
                                                  format="turtle") or str(iri).startswith(
            ID + "graph/"), iri
    for iri in sorted(iris)[::10]:
        assert client.get("/id/" + str(iri)[len(ID):]).status_code == 200, iri
