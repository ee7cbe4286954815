"""Search: folding, bigrams, English prefixes, ranking, grouping, updates, hostile input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, URIRef

from casegraph.search.index import SearchIndex
from casegraph.search.text import fold, index_terms, query_tokens
from casegraph.store.memory import MemoryStore
from tests.web.bundled_app import bundled_app

BASE = "https://w3id.org/casegraph/id/"
TURTLE_PREFIXES = """
@prefix cg: <https://w3id.org/casegraph/ns#> .
@base <https://w3id.org/casegraph/id/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
"""
CASE_A = URIRef(BASE + "graph/case/a")
CASE_B = URIRef(BASE + "graph/case/b")


def turtle(text: str) -> Graph:
    return Graph().parse(data=TURTLE_PREFIXES + text, format="turtle")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = bundled_app(tmp_path_factory.mktemp("store"))
    yield app.test_client()
    app.extensions["casegraph.store"].close()


@pytest.fixture()
def small_store():
    """Texts written in one script only, so that folding is what makes them match."""
    store = MemoryStore()
    store.replace_graphs(
        {
            CASE_A: turtle("""
                <org/plant> a cg:Company ; rdfs:label "濟南熱電集團"@zh-Hant .
                <case/a/passage/p1> a cg:Passage ; cg:quote "西部热源党支部现有党员23人"@zh-Hans .
                <award/post> a cg:Award ; rdfs:label "青年文明号"@zh-Hans ;
                    schema:description "Youth civilisation post awarded to teams"@en .
                cg:Company rdfs:subClassOf org:FormalOrganization .
            """),
            CASE_B: turtle("""
                <org/plant> schema:description "热电联产企业"@zh-Hans .
                <case/b/passage/p9> a cg:Passage ;
                    cg:quote "该队多次获得青年文明号称号,青年文明号创建成效显著"@zh-Hans .
            """),
        }
    )
    return store


def iris(result) -> list[str]:
    return [hit.iri.removeprefix(BASE) for hit in result.hits]


def test_folding_and_terms():
    assert fold("濟南熱電ＡＢＣ") == "济南热电abc"
    assert index_terms("熱源 Heat") == ["热", "源", "热源", "heat"]
    assert query_tokens("济南热电") == [("济南", False), ("南热", False), ("热电", False)]
    assert query_tokens("党") == [("党", False)]


def test_simplified_query_finds_traditional_text(small_store):
    index = SearchIndex()
    index.rebuild(small_store)
    assert iris(index.search("济南热电")) == ["org/plant"]
    assert index.search("济南热电").hits[0].labels == {"zh-Hant": "濟南熱電集團"}


def test_traditional_query_finds_simplified_text(small_store):
    index = SearchIndex()
    index.rebuild(small_store)
    result = index.search("熱源")
    assert iris(result) == ["case/a/passage/p1"]
    assert result.hits[0].snippet == ("西部", "热源", "党支部现有党员23人")


def test_bigrams_match_inside_words_and_single_characters_match(small_store):
    index = SearchIndex()
    index.rebuild(small_store)
    assert iris(index.search("支部")) == ["case/a/passage/p1"]
    assert "org/plant" in iris(index.search("電"))  # one character: unigram
    assert index.search("热部").total == 0  # both characters occur, but not adjacent


def test_english_words_and_prefixes(small_store):
    index = SearchIndex()
    index.rebuild(small_store)
    assert iris(index.search("Youth")) == ["award/post"]
    assert iris(index.search("civili")) == ["award/post"]  # prefix of "civilisation"
    assert iris(index.search("youth teams")) == ["award/post"]


def test_label_matches_rank_above_repeated_mentions(small_store):
    index = SearchIndex()
    index.rebuild(small_store)
    result = index.search("青年文明号")
    assert iris(result) == ["award/post", "case/b/passage/p9"]
    assert result.group_counts == {"award": 1, "passage": 1}


def test_equal_matches_rank_the_subject_more_graphs_state_first():
    """济南热电 matches 济南热电工程有限公司 and 济南热电集团有限公司 equally; the group,
    which three cases name, comes before the company one case names — whichever order
    the subjects were indexed in."""
    store = MemoryStore()
    cases = [URIRef(BASE + f"graph/case/{n}") for n in range(3)]
    store.replace_graphs({
        cases[0]: turtle('<org/engineering> a cg:Company ; rdfs:label "济南热电工程有限公司"@zh-Hans .'
                         '<org/group> a cg:Company ; rdfs:label "济南热电集团有限公司"@zh-Hans .'),
        cases[1]: turtle('<org/group> rdfs:label "济南热电集团有限公司"@zh-Hans .'),
        cases[2]: turtle('<org/group> rdfs:label "济南热电集团有限公司"@zh-Hans .'),
    })
    index = SearchIndex()
    index.rebuild(store)
    result = index.search("济南热电")
    assert iris(result) == ["org/group", "org/engineering"]
    assert result.hits[0].score > result.hits[1].score  # not a tie left to indexing order
    # Prominence orders near-equal matches only: the exact name still wins.
    assert iris(index.search("济南热电工程有限公司"))[0] == "org/engineering"


def test_groups_follow_the_class_hierarchy(small_store):
    index = SearchIndex()
    index.rebuild(small_store)
    assert index.search("济南").hits[0].group == "organisation"  # cg:Company ⊑ org:FormalOrg.


def test_all_terms_required_unless_none_match(small_store):
    index = SearchIndex()
    index.rebuild(small_store)
    both = index.search("热源 党员")
    assert both.all_terms_matched and iris(both) == ["case/a/passage/p1"]
    some = index.search("热源 不存在的词")
    assert not some.all_terms_matched and iris(some) == ["case/a/passage/p1"]


def test_update_graphs_reindexes_changed_graphs_and_keeps_shared_subjects(small_store):
    index = SearchIndex()
    index.rebuild(small_store)
    assert "org/plant" in iris(index.search("热电联产"))  # text from case b
    small_store.replace_graphs(
        {CASE_B: turtle('<org/new> a cg:Company ; rdfs:label "新能源公司"@zh-Hans .')}
    )
    index.update_graphs(small_store, [str(CASE_B)])
    assert index.search("联产").total == 0  # case b's description of the plant is gone
    assert iris(index.search("濟南熱電")) == ["org/plant"]  # its label from case a stays
    assert iris(index.search("新能源")) == ["org/new"]
    small_store.replace_graphs({CASE_B: None})
    index.update_graphs(small_store, [str(CASE_B)])
    assert index.search("新能源").total == 0
    assert len(index) == 3


def test_repeated_updates_keep_one_document_per_subject_and_the_index_small(small_store, tmp_path):
    index = SearchIndex(tmp_path / "index")
    index.rebuild(small_store)
    index.update_graphs(small_store, [str(CASE_A), str(CASE_B)])
    size = sum(f.stat().st_size for f in (tmp_path / "index").iterdir())
    for _ in range(12):
        index.update_graphs(small_store, [str(CASE_A), str(CASE_B)])
    assert len(index) == 4
    # Replaced documents are merged away, not kept: twelve rewrites do not grow the files.
    assert sum(f.stat().st_size for f in (tmp_path / "index").iterdir()) < 2 * size
    assert iris(index.search("青年文明号")) == ["award/post", "case/b/passage/p9"]


_FUZZ_INDEX = SearchIndex()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_search_never_raises(query):
    if not _FUZZ_INDEX.built:
        store = MemoryStore()
        store.replace_graphs({CASE_A: turtle('<org/x> rdfs:label "济南热电 Jinan"@zh-Hans .')})
        _FUZZ_INDEX.rebuild(store)
    result = _FUZZ_INDEX.search(query)
    assert result.total >= len(result.hits)
    assert all(hit.iri.startswith(BASE) for hit in result.hits)


# -- the HTTP surface, on the bundled cases ----------------------------------------------------


def test_traditional_query_finds_simplified_passages_over_http(client):
    traditional = client.get("/search.json", query_string={"q": "濟南熱電"}).json
    simplified = client.get("/search.json", query_string={"q": "济南热电"}).json
    assert traditional["results"] == simplified["results"]
    assert traditional["groups"]["organisation"] >= 3
    assert traditional["groups"]["passage"] >= 1
    first = traditional["results"][0]
    assert first["group"] == "organisation"
    assert first["labels"]["zh-Hant"].startswith("濟南熱電")
    assert first["page"].startswith("/id/org/")


def test_search_page_groups_results_and_links_entity_pages(client):
    page = client.get("/search", query_string={"q": "青年文明号", "lang": "en"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="group-award"' in html and 'id="group-passage"' in html
    assert html.index('id="group-award"') < html.index('id="group-passage"')
    assert 'href="/id/award/' in html
    assert "<mark>" in html


def test_search_json_by_content_negotiation_and_group_filter(client):
    both = client.get("/search?q=青年文明号", headers={"Accept": "application/json"}).json
    awards = client.get("/search.json?q=青年文明号&group=award").json
    assert set(both["groups"]) >= {"award", "passage"}
    assert {r["group"] for r in awards["results"]} == {"award"}


def test_suggest_returns_labels_in_the_asked_language(client):
    suggestions = client.get("/search/suggest", query_string={"q": "济南热电", "lang": "zh-Hant"})
    assert suggestions.status_code == 200
    assert suggestions.json[0]["label"].startswith("濟南熱電")
    assert len(suggestions.json) <= 8


def test_empty_query_shows_the_form_and_no_results(client):
    page = client.get("/search")
    assert page.status_code == 200
    assert 'name="q"' in page.get_data(as_text=True)
    assert client.get("/search.json?q=").json["total"] == 0


def test_markup_in_the_query_is_escaped(client):
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    html = client.get("/search", query_string={"q": hostile}).get_data(as_text=True)
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_very_long_query_is_truncated_not_refused(client):
    answer = client.get("/search.json", query_string={"q": "济南" * 5000})
    assert answer.status_code == 200
    assert answer.json["query_truncated"] is True


@pytest.mark.parametrize(
    "args, fragment",
    [
        ({"q": "x", "limit": "many"}, "limit must be an integer"),
        ({"q": "x", "limit": "0"}, "limit must be an integer from 1 to 200"),
        ({"q": "x", "group": "spaceship"}, "group must be one of"),
    ],
)
def test_bad_parameters_are_explained(client, args, fragment):
    answer = client.get("/search.json", query_string=args)
    assert answer.status_code == 400
    assert fragment in answer.get_data(as_text=True)


def test_every_response_carries_security_headers(client):
    for url in ("/search?q=x", "/search.json?q=x", "/search/suggest?q=x"):
        headers = client.get(url).headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "http" not in headers["Content-Security-Policy"]


def test_refresh_after_write_reindexes_the_changed_graph(tmp_path):
    from casegraph.config import Settings
    from casegraph.web import create_app
    from casegraph.web.context import refresh_after_write

    store = MemoryStore()
    store.replace_graphs({CASE_A: turtle('<org/x> rdfs:label "旧名称"@zh-Hans .')})
    app = create_app(Settings(store="memory"), {"TESTING": True}, store=store)
    client = app.test_client()
    assert client.get("/search.json?q=旧名称").json["total"] == 1
    store.replace_graphs({CASE_A: turtle('<org/x> rdfs:label "新名稱"@zh-Hant .')})
    with app.app_context():
        refresh_after_write([CASE_A])
    assert client.get("/search.json?q=旧名").json["total"] == 0
    assert client.get("/search.json?q=新名称").json["results"][0]["labels"] == {"zh-Hant": "新名稱"}


def test_search_responses_vary_on_accept(client):
    for accept in ("text/html", "application/json"):
        response = client.get("/search?q=热电", headers={"Accept": accept})
        assert response.status_code == 200
        assert "Accept" in response.headers.get("Vary", "")
