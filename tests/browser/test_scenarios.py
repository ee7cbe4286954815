"""What a reader does in a real browser: search, browse, ask, query, download."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_home_page_shows_statistics_and_entry_points(page, base_url):
    page.goto(base_url + "/?lang=en")
    assert page.get_by_role("heading", name="Statistics").is_visible()
    rows = page.locator("table.statistics tbody tr")
    assert rows.count() >= 10
    assert page.get_by_role("link", name="SPARQL query").first.is_visible()
    screenshot(page, "home")


@pytest.mark.parametrize("query, name", [("济南热电", "simplified"), ("濟南熱電", "traditional")])
def test_search_in_simplified_and_traditional_characters(page, base_url, query, name):
    page.goto(base_url + "/?lang=zh-Hans")
    page.get_by_label("搜索", exact=True).fill(query)
    page.get_by_role("button", name="搜索").click()
    page.wait_for_url(re.compile(r"/search\?q="))
    organisations = page.locator("#group-organisation + ol li a.result-label")
    assert organisations.count() >= 3
    assert "济南热电集团" in organisations.first.inner_text()
    assert page.locator("#group-passage").is_visible()
    screenshot(page, f"search-{name}")


def test_open_an_organisation_from_the_search_results(page, base_url):
    page.goto(base_url + "/search?q=济南热电集团有限公司&lang=en")
    page.locator("#group-organisation + ol li a.result-label").first.click()
    page.wait_for_url(re.compile(r"/id/org/"))
    assert "濟南熱電集團有限公司" in page.content()
    assert page.get_by_role("heading", name="Properties").is_visible()
    screenshot(page, "organisation")


def test_follow_an_award_conferral_to_its_issuer(page, base_url, live_app):
    app, _ = live_app
    row = (
        app.extensions["casegraph.store"]
        .query(
            "PREFIX cg: <https://w3id.org/casegraph/ns#> SELECT ?conferral ?issuer WHERE "
            "{ ?conferral a cg:AwardConferral ; cg:issuer ?issuer } ORDER BY ?conferral LIMIT 1"
        )
        .rows[0]
    )
    base = app.config["CASEGRAPH"].base_iri
    conferral, issuer = (str(term).removeprefix(base) for term in row)
    page.goto(f"{base_url}/id/{conferral}?lang=en")
    issuer_row = page.locator("table.properties tr", has=page.locator("code", has_text="cg:issuer"))
    issuer_row.locator(f'a[href="/id/{issuer}"]').first.click()
    page.wait_for_url(f"{base_url}/id/{issuer}")
    heading = page.locator("h1").inner_text().strip()
    assert heading and not heading.startswith("id:")  # the issuer's name, not its CURIE
    assert f"id:{issuer}" in page.locator(".full-iri").inner_text()
    screenshot(page, "conferral-issuer")


def test_run_a_curated_question_with_a_parameter(page, base_url):
    page.goto(base_url + "/questions/awards-by-issuer-and-year?lang=en")
    page.get_by_label(re.compile(r"^issuer")).fill("id:org/jinan-energy-group")
    page.get_by_role("button", name="Ask").click()
    page.wait_for_url(re.compile(r"issuer=id%3Aorg%2Fjinan-energy-group"))
    rows = page.locator("table.answer tbody tr")
    assert rows.count() >= 1
    assert "jinan-energy-group" in rows.first.inner_html()
    screenshot(page, "question-with-parameter")


def test_run_a_query_in_yasgui_and_see_results(page, base_url):
    page.goto(base_url + "/query?lang=en")
    page.wait_for_selector(".yasgui .CodeMirror")
    # One clean tab; the curated questions are a list below the editor.
    tabs = page.locator(".yasgui .tabsList [role=tab]")
    assert tabs.count() == 1, tabs.all_inner_texts()
    assert not page.locator("#plain-query").is_visible()  # YASGUI replaced the plain form
    start = page.evaluate("() => window.casegraphYasgui.getTab().getYasqe().getValue()")
    assert "cg:AwardConferral" in start and "LIMIT 20" in start
    page.locator(".yasqe_queryButton").first.click()
    results = page.locator(".yasr table tbody tr")
    results.first.wait_for()
    assert results.count() >= 10
    table = page.locator(".yasr table").inner_text()
    assert re.search(r"\b20(21|22|23)\b", table) and "^^" not in table  # readable literals
    examples = page.locator("button.load-example")
    assert examples.count() >= 20
    page.get_by_role("button", name=re.compile(r"^Load: Every unit under a group")).click()
    loaded = page.evaluate("() => window.casegraphYasgui.getTab().getYasqe().getValue()")
    assert "subOrganizationOf" in loaded
    page.evaluate("""() => window.casegraphYasgui.getTab().getYasqe().setValue(
        'PREFIX cg: <https://w3id.org/casegraph/ns#>\\n' +
        'SELECT ?case (COUNT(?p) AS ?passages) WHERE { ?p a cg:Passage ; ' +
        '<http://purl.org/dc/terms/isPartOf> ?case } GROUP BY ?case ORDER BY ?case')""")
    page.locator(".yasqe_queryButton").first.click()
    page.wait_for_function("() => document.querySelector('.yasr').innerText.includes('chayuan')")
    assert "chayuan-power-generation-branch" in page.locator(".yasr").inner_text()
    screenshot(page, "yasgui")


def test_download_an_export(page, base_url):
    page.goto(base_url + "/export?lang=en")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="chayuan-power-generation-branch.ttl").click()
    download = download_info.value
    assert download.suggested_filename == "chayuan-power-generation-branch.ttl"
    graph = Graph().parse(download.path(), format="turtle")
    assert len(graph) > 50
    screenshot(page, "export")


def test_ontology_and_shapes_pages_render_and_link_within(page, base_url):
    page.goto(base_url + "/ontology?lang=en")
    page.locator('article.term a[href="#PartyOrganisation"]').first.click()
    assert page.url.endswith("#PartyOrganisation")
    assert page.locator("#PartyOrganisation").is_visible()
    screenshot(page, "ontology", full_page=False)
    page.goto(base_url + "/shapes?lang=zh-Hant")
    assert page.locator("article.shape").count() >= 3
    screenshot(page, "shapes", full_page=False)


def test_pages_fit_a_phone_screen_without_javascript(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(base_url + "/query?lang=en")
        assert page.locator("#plain-query textarea").is_visible()  # the plain form, no YASGUI
        page.goto(base_url + "/search?q=青年文明号&lang=en")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the search page scrolls sideways ({width}px)"
        screenshot(page, "search-phone-nojs")
    finally:
        context.close()


#: page -> whether it has form controls (so the check cannot pass on an empty page)
ACCESSIBILITY_PAGES = {
    "/": True, "/search?q=济南": True, "/questions": False,
    "/questions/shared-practice-kinds": True, "/questions/awards-by-issuer-and-year": True,
    "/query": True, "/export": False, "/ontology": False, "/shapes": False,
    "/id/org/jinan-energy-group": False, "/id/case/jinan-bus-3rd-branch-team7": False,
    "/api/docs": False, "/questions/organisations-under-group": True,
    "/compare?org=id:org/jinan-thermal-western-heat-source": True, "/overview": False,
    "/id/org/jinan-thermal-western-heat-source": False, "/id/person/zhang-shuai": False,
    "/id/place/jinan": False,
    "/id/case/guoneng-liaocheng-power/practice/phase-one-turnaround": False,
}
#: pages whose pictures must be drawn and named (ECharts canvases marked role="img")
PICTURE_PAGES = {"/ontology", "/overview", "/id/org/jinan-energy-group",
                 "/id/org/jinan-thermal-western-heat-source"}
CONTROL_ROLES = {"textbox", "searchbox", "combobox", "button", "checkbox", "radio",
                 "spinbutton", "listbox", "slider"}


@pytest.mark.parametrize("path", sorted(ACCESSIBILITY_PAGES))
def test_every_control_has_an_accessible_name(page, base_url, path):
    """Chromium's accessibility tree names every input, select, textarea and button."""
    page.goto(base_url + path + ("&" if "?" in path else "?") + "lang=en")
    page.wait_for_load_state("networkidle")
    tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    controls = [
        node for node in tree
        if not node.get("ignored") and node.get("role", {}).get("value") in CONTROL_ROLES
    ]
    unnamed = [n for n in controls if not n.get("name", {}).get("value", "").strip()]
    assert not unnamed, [(n["role"]["value"], n.get("properties")) for n in unnamed]
    assert bool(controls) == ACCESSIBILITY_PAGES[path], [n["role"]["value"] for n in controls]
    # Every picture (an ECharts canvas marked role="img") has an accessible name too.
    images = [n for n in tree if not n.get("ignored") and n.get("role", {}).get("value") in (
        "img", "image")]
    assert all(n.get("name", {}).get("value", "").strip() for n in images), images
    if path in PICTURE_PAGES:
        assert images, f"{path}: no picture in the accessibility tree"
