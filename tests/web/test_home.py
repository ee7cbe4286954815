"""The shell pages on the bundled data: home, query (YASGUI + plain form), ontology, shapes."""

from __future__ import annotations

import json
import re

import pytest

from casegraph import paths
from casegraph.sparql.catalogue import load_catalogue
from tests.web.bundled_app import bundled_app


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = bundled_app(tmp_path_factory.mktemp("store"))
    yield app.test_client()
    app.extensions["casegraph.store"].close()


def test_home_counts_every_case_and_links_entry_points(client):
    html = client.get("/?lang=en").get_data(as_text=True)
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    case_rows = re.findall(r'<tr>\s*<th scope="row">(.*?)</tr>', body, re.S)
    assert len(case_rows) == len(paths.case_files())
    for row in case_rows:
        counts = [int(n) for n in re.findall(r'<td class="num"[^>]*>(\d+)</td>', row)]
        assert len(counts) == 7 and counts[-1] > 0  # every case states facts in passages
    assert "jinan-thermal-dongxin-hexin-branch" in html
    for href in ("/search", "/questions", "/query", "/export", "/ontology", "/shapes"):
        assert f'href="{href}"' in html


def test_home_totals_count_shared_entities_once(client):
    html = client.get("/?lang=en").get_data(as_text=True)
    footer = re.search(r"<tfoot>(.*?)</tfoot>", html, re.S).group(1)
    totals = [int(n) for n in re.findall(r">(\d+)</td>", footer)]
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    per_case = [
        [int(n) for n in re.findall(r">(\d+)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]
    summed = [sum(column) for column in zip(*per_case, strict=True)]
    assert all(0 < total <= s for total, s in zip(totals, summed, strict=True))
    assert f"({len(paths.case_files())} cases)" in footer


def test_query_page_serves_yasgui_locally_with_the_curated_questions(client):
    html = client.get("/query").get_data(as_text=True)
    config = json.loads(
        re.search(
            r'<script type="application/json" id="query-config">(.*?)</script>', html, re.S
        ).group(1)
    )
    assert config["endpoint"] == "/sparql"
    assert [e["id"] for e in config["examples"]] == list(load_catalogue())
    assert all("SELECT" in e["query"] or "CONSTRUCT" in e["query"] for e in config["examples"])
    for src in re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html):
        assert src.startswith("/"), f"{src} is not served by us"


def test_query_page_form_works_without_javascript(client):
    html = client.get("/query").get_data(as_text=True)
    assert '<form class="query-form" method="post" action="/sparql">' in html
    assert '<textarea id="query-text" name="query"' in html
    answer = client.post(
        "/sparql", data={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?t }", "format": "csv"}
    )
    assert answer.status_code == 200
    assert answer.get_data(as_text=True).splitlines()[0] == "n"


def test_ontology_page_documents_classes_and_properties_in_three_languages(client):
    html = client.get("/ontology").get_data(as_text=True)
    branch = re.search(r'<article class="term" id="PartyBranch">(.*?)</article>', html, re.S)
    assert branch, "cg:PartyBranch is documented"
    text = branch.group(1)
    assert "党支部" in text and "黨支部" in text and "Party branch" in text
    assert 'href="#PartyOrganisation"' in text  # its super-class, linked
    prop = re.search(
        r'<article class="term" id="partyOrganisationOf">(.*?)</article>', html, re.S
    ).group(1)
    assert "org:subOrganizationOf" in prop and 'href="#PartyOrganisation"' in prop
    assert "org:Organization" in prop


def test_shapes_page_lists_each_shape_with_targets_and_messages(client):
    html = client.get("/shapes").get_data(as_text=True)
    assert 'id="cgsh-EntityLabelShape"' in html
    section = re.search(r'id="cgsh-EntityLabelShape"(.*?)</article>', html, re.S).group(1)
    assert "org:Organization" in section and "cg:Award" in section
    assert "sh:languageIn" in section and "zh-Hans" in section
    assert "标签必须带语言标签" in section


@pytest.mark.parametrize("url", ["/", "/query", "/ontology", "/shapes", "/static/js/query-page.js"])
def test_pages_carry_security_headers_and_name_their_controls(client, url):
    answer = client.get(url)
    assert answer.status_code == 200
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    policy = answer.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    if answer.mimetype == "text/html":
        html = answer.get_data(as_text=True)
        for control in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
            if 'type="hidden"' in control:
                continue
            control_id = re.search(r'id="([^"]+)"', control).group(1)
            assert f'for="{control_id}"' in html or "aria-label" in control


TWINS = {
    "/": ("cases", "totals"),
    "/questions": ("questions",),
    "/questions/shared-practice-kinds": ("columns", "rows"),
    "/export": ("dataset", "cases", "schema", "void"),
    "/query": ("endpoint", "examples"),
    "/api/docs": ("openapi", "paths"),
}


@pytest.mark.parametrize("url", sorted(TWINS))
def test_every_page_has_a_json_twin_by_accept_or_format(client, url):
    page = client.get(url, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.mimetype == "text/html"
    assert "Accept" in page.headers["Vary"]
    by_accept = client.get(url, headers={"Accept": "application/json"})
    by_format = client.get(url, query_string={"format": "json"})
    for answer in (by_accept, by_format):
        assert answer.status_code == 200 and answer.mimetype == "application/json"
        assert "Accept" in answer.headers["Vary"]
        assert set(TWINS[url]) <= set(answer.get_json())
    assert by_accept.get_json() == by_format.get_json()
    assert client.get(url, query_string={"format": "pdf"}).status_code == 406


def test_json_twins_carry_what_the_pages_show(client):
    home = client.get("/?format=json").get_json()
    assert len(home["cases"]) == len(paths.case_files())
    assert all(case["counts"].get("passage", 0) > 0 for case in home["cases"])
    catalogue = client.get("/questions?format=json").get_json()["questions"]
    assert [q["id"] for q in catalogue] == list(load_catalogue())
    assert all({"zh-Hans", "zh-Hant", "en"} <= set(q["title"]) for q in catalogue)
    export = client.get("/export?format=json").get_json()
    for item in export["dataset"] + export["schema"] + export["cases"]:
        download = client.get(item["href"])
        assert download.mimetype == item["media_type"], item
        assert item["file_name"] in download.headers["Content-Disposition"]
        download.close()


@pytest.mark.parametrize(
    ("url", "accept", "parse_as", "expected"),
    [
        ("/ontology", "text/turtle", "turtle",
         ("https://w3id.org/casegraph/ns#PartyOrganisation",
          "http://www.w3.org/2002/07/owl#Class")),
        ("/ontology", "application/json", "json-ld",
         ("https://w3id.org/casegraph/ns#award", "http://www.w3.org/2002/07/owl#ObjectProperty")),
        ("/shapes", "text/turtle", "turtle", (None, "http://www.w3.org/ns/shacl#NodeShape")),
        ("/shapes", "application/n-triples", "nt",
         (None, "http://www.w3.org/ns/shacl#NodeShape")),
    ],
)
def test_ontology_and_shapes_pages_have_rdf_twins(client, url, accept, parse_as, expected):
    from rdflib import RDF, Graph, URIRef

    answer = client.get(url, headers={"Accept": accept})
    assert answer.status_code == 200 and "Accept" in answer.headers["Vary"]
    graph = Graph().parse(data=answer.get_data(as_text=True), format=parse_as)
    subject, rdf_class = expected
    subject = URIRef(subject) if subject else None
    assert (subject, RDF.type, URIRef(rdf_class)) in graph
    assert len(graph) > 100


def test_every_ui_string_is_in_three_languages_and_every_template_key_exists():
    from casegraph.search.index import GROUP_KEYS
    from casegraph.web import home, i18n

    assert not hasattr(home, "PAGE_STRINGS")
    for key, texts in i18n._STRINGS.items():
        assert len(texts) == 3 and all(t.strip() for t in texts), key
    used = {f"group_{k}" for k in (*GROUP_KEYS, *home.STATISTIC_KINDS)}
    used |= {"class", "object_property", "datatype_property", "annotation_property"}
    for template in (paths.QUERIES_DIR.parent / "templates").glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"(?<![\w.])t\(", text), f"{template.name} uses t(); use _()"
        used |= set(re.findall(r"""_\(['"]([a-z_]+)['"]\)""", text))
    assert used <= set(i18n._STRINGS), used - set(i18n._STRINGS)
