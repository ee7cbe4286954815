"""A new reader's five minutes, in headless Chromium: tasks as a person does them.

Each test counts its clicks and keeps screenshots (test-artifacts/screenshots/task-*.png).
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

BRANCH = "/id/org/jinan-thermal-western-heat-source"


def awards_of_the_branch_company(page, base_url: str, name: str) -> None:
    """Search 热电 → 济南热电集团有限公司 → 西部热源分公司: its five awards, with issuers."""
    page.goto(base_url + "/?lang=zh-Hans")
    page.get_by_label("搜索", exact=True).fill("热电")
    page.get_by_role("button", name="搜索").click()  # click 1
    page.wait_for_url(re.compile(r"/search\?q="))
    screenshot(page, f"{name}-1-search")
    page.locator("#group-organisation + ol li a.result-label",
                 has_text=re.compile(r"^济南热电集团有限公司$")).first.click()  # click 2
    page.wait_for_url(re.compile(r"/id/org/jinan-thermal-power-group$"))
    assert page.locator("h1").inner_text().strip() == "济南热电集团有限公司"
    screenshot(page, f"{name}-2-group")
    neighbourhood = page.locator("#neighbourhood figure.chart")
    if neighbourhood.locator("svg").count():  # drawn only where it fits
        neighbourhood.scroll_into_view_if_needed()
        screenshot(page, f"{name}-2-group-neighbourhood", full_page=False)
    page.locator("#hierarchy .unit-tree a", has_text=re.compile(r"^西部热源分公司$")).first.click()
    page.wait_for_url(re.compile(BRANCH + "$"))  # click 3
    assert page.locator("h1").inner_text().strip() == "西部热源分公司"
    awards = page.locator("#awards table.conferrals tbody tr")
    assert awards.count() == 5
    issuers = [awards.nth(i).locator("td").nth(1).inner_text().strip() for i in range(5)]
    assert sorted(issuers) == sorted(["济南市总工会", "济南能源集团有限公司", "济南能源集团有限公司",
                                      "山东省住建系统", "原文未载"])
    assert page.locator("#awards").is_visible()
    page.locator("#awards").scroll_into_view_if_needed()
    screenshot(page, f"{name}-3-branch-awards", full_page=False)
    screenshot(page, f"{name}-3-branch-page")


def test_from_search_to_the_branch_companys_five_awards_in_three_clicks(page, base_url):
    awards_of_the_branch_company(page, base_url, "task-awards")


def test_the_same_task_at_phone_width(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    try:
        awards_of_the_branch_company(page, base_url, "task-phone")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the branch company's page scrolls sideways ({width}px)"
        # Stacked table cells keep their column labels.
        label = page.evaluate("""() => getComputedStyle(
            document.querySelector('#awards td[data-label]'), '::before').content""")
        assert "颁发单位" in label or "奖项" in label, label
    finally:
        context.close()


def test_from_a_conferral_to_its_issuers_timeline(page, base_url, live_app):
    page.goto(base_url + "/id/case/jinan-thermal-western-heat-source/conferral/"
                         "advanced-party-organisation-2023?lang=en")
    sentence = page.locator(".card-sentence").inner_text()
    assert "Jinan Energy Group Co., Ltd." in sentence and "2023" in sentence
    screenshot(page, "task-conferral-1")
    row = page.locator("table.properties tr", has=page.locator("code", has_text="cg:issuer"))
    row.get_by_role("link", name=re.compile("Jinan Energy Group")).first.click()
    page.wait_for_url(re.compile(r"/id/org/jinan-energy-group"))
    figure = page.locator("#awarded figure.chart")
    figure.locator("svg").first.wait_for()  # ECharts drew the timeline
    assert figure.locator("[role=img]").get_attribute("aria-label")
    years = figure.locator("table.timeline-table tbody th").all_inner_texts()
    stated = live_app[0].extensions["casegraph.store"].query(
        "PREFIX cg: <https://w3id.org/casegraph/ns#> SELECT DISTINCT ?year WHERE { ?c "
        "cg:issuer <https://w3id.org/casegraph/id/org/jinan-energy-group> ; cg:year ?year }").rows
    assert years == sorted(str(year) for (year,) in stated) and "2023" in years
    figure.scroll_into_view_if_needed()
    screenshot(page, "task-conferral-2-issuer-timeline", full_page=False)


def test_ask_a_question_by_typing_a_name_and_choosing_a_suggestion(page, base_url):
    page.goto(base_url + "/questions?lang=en")
    page.get_by_role("link", name="Every unit under a group, at any depth").click()
    page.wait_for_url(re.compile(r"/questions/organisations-under-group"))
    assert page.locator(".warning").count() == 0  # opens as a form with its default
    box = page.get_by_role("combobox", name=re.compile(r"^group"))
    box.fill("")
    box.press_sequentially("熱電集團", delay=30)
    # Typed in traditional characters; the English page suggests English names.
    option = page.get_by_role("option", name="Jinan Thermal Power Group Co., Ltd.", exact=True)
    option.wait_for()
    screenshot(page, "task-question-1-suggestions", full_page=False)
    option.click()
    assert box.input_value() == "Jinan Thermal Power Group Co., Ltd."
    page.get_by_role("button", name="Ask").click()
    page.wait_for_url(re.compile(r"group=https"))
    assert "jinan-thermal-power-group" in page.url
    assert "Jinan Thermal Power Group" in page.locator(".bound-name").inner_text()
    rows = page.locator("table.answer tbody tr")
    assert rows.count() >= 5
    assert "Western Heat Source" in page.locator("table.answer").inner_text()
    # The answered form keeps showing the name, and asking again is for the same entity.
    box = page.get_by_role("combobox", name=re.compile(r"^group"))
    assert box.input_value() == "Jinan Thermal Power Group Co., Ltd."
    screenshot(page, "task-question-2-answer")
    page.get_by_role("button", name="Ask").click()
    page.wait_for_load_state()
    assert "group=https" in page.url and "jinan-thermal-power-group" in page.url


def test_compare_two_companies(page, base_url):
    page.goto(base_url + BRANCH + "?lang=en")
    page.get_by_role("link", name="Compare with other organisations").click()
    page.wait_for_url(re.compile(r"/compare\?org="))
    second = page.get_by_role("combobox", name="Organisation 2")
    second.press_sequentially("东新和信党支部", delay=30)
    page.get_by_role("option").first.wait_for()
    page.get_by_role("option").first.click()
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url(re.compile(r"org=.*org="))
    columns = page.locator(".compare-column")
    assert columns.count() == 2
    assert "Western Heat Source" in columns.nth(0).locator("h2").inner_text()
    assert page.get_by_role("combobox", name="Organisation 1").input_value() == (
        "Western Heat Source Branch of Jinan Thermal Power Group")  # a name, not an IRI
    assert "Dongxin Hexin" in columns.nth(1).locator("h2").inner_text()
    assert page.locator(".compare-column .shared").count() >= 1  # shared kinds or issuers
    screenshot(page, "task-compare")


def test_overview_draws_the_heat_map_and_the_issuer_flows(page, base_url):
    page.goto(base_url + "/overview?lang=en")
    for figure in page.locator("figure.chart").all():
        figure.locator("svg").first.wait_for()
    assert page.locator("table.heatmap-table tbody tr").count() >= 10
    # Every company of the table is named in the heat map, not every other one.
    companies = [c.strip() for c in page.locator("table.heatmap-table tbody th").all_text_contents()]
    heat = page.locator("#heatmap-h ~ figure.chart svg").first
    labels = heat.locator("text").all_text_contents()
    unnamed = [c for c in companies if not any(t.rstrip(".…").strip() and c.startswith(
        t.rstrip(".…").strip()) for t in labels)]
    assert not unnamed, unnamed
    flows = page.locator("#network-h ~ figure.chart")
    svg_text = flows.locator("svg").first.text_content()
    # Every issuer and recipient is labelled in the picture, none cut to nothing.
    assert "Jinan Energy Group" in svg_text and "Issuer" in svg_text
    assert flows.locator("ul.chart-legend li").count() >= 3
    screenshot(page, "task-overview")
    flows.scroll_into_view_if_needed()
    screenshot(page, "task-overview-flows", full_page=False)


def test_the_ontology_class_diagram_leads_to_a_class(page, base_url):
    """Which classes are there and how do they link? The diagram, then a click on a class."""
    page.goto(base_url + "/ontology?lang=en")
    figure = page.locator("#diagram-h ~ figure.chart")
    figure.locator("svg").first.wait_for()
    assert figure.locator("[role=img]").get_attribute("aria-label").startswith("Class diagram")
    figure.scroll_into_view_if_needed()
    screenshot(page, "task-ontology-1-diagram", full_page=False)
    figure.locator("svg text", has_text=re.compile(r"^Party branch$")).first.click()
    page.wait_for_url(re.compile(r"/ontology\?lang=en#PartyBranch$"))
    assert page.locator("#PartyBranch").is_visible()
    screenshot(page, "task-ontology-2-class", full_page=False)


def test_from_a_company_to_its_case_and_a_practice_of_it(page, base_url):
    """What does the case about the branch company say? Who, what, awards; then a practice."""
    page.goto(base_url + BRANCH + "?lang=en")
    # The branch is named by more than one case: pick the one whose title is its brand.
    page.locator("#cases-h + ul a", has_text="Qingxin Xiyuan").click()  # click 1
    page.wait_for_url(re.compile(r"/id/case/jinan-thermal-western-heat-source$"))
    summary = page.locator("#case-card")
    assert "Western Heat Source Branch" in summary.locator(".case-about").inner_text()
    assert summary.locator("table.conferrals tbody tr").count() == 5
    assert "Qingxin Xiyuan" in summary.locator(".case-brands").inner_text()
    # The card sits above the text.
    assert summary.bounding_box()["y"] < page.locator("#text-h").bounding_box()["y"]
    screenshot(page, "task-case-1-card", full_page=False)
    page.locator("details.card summary").first.click()  # click 2: open practices by kind
    page.locator(".practice-kinds a", has_text="Qingxin Xiyuan").first.click()  # click 3
    page.wait_for_url(re.compile(r"/practice/"))
    card = page.locator("#practice-card")
    assert "Practice kind" in card.inner_text() and "Practised by" in card.inner_text()
    screenshot(page, "task-case-2-practice", full_page=False)


def test_who_a_person_is_and_what_they_won(page, base_url):
    page.goto(base_url + "/?lang=en")
    page.get_by_label("Search", exact=True).fill("张帅")
    page.get_by_role("button", name="Search").click()
    page.locator("#group-person + ol li a.result-label").first.click()
    page.wait_for_url(re.compile(r"/id/person/zhang-shuai"))
    card = page.locator("#person-card")
    text = card.inner_text()
    assert "Contestant representing an enterprise" in text
    assert "Jinan Energy Investment Group" in text and "First prize" in text
    screenshot(page, "task-person", full_page=False)


def test_what_is_in_a_place(page, base_url):
    page.goto(base_url + "/search?q=济南市&lang=en")
    page.locator("#group-place + ol li a.result-label", has_text=re.compile(r"^Jinan$")).first.click()
    page.wait_for_url(re.compile(r"/id/place/jinan$"))
    card = page.locator("#place-card")
    assert "Jinan Water Group" in card.inner_text()
    assert card.locator(".unit-tree li").count() >= 5  # the places within it
    screenshot(page, "task-place", full_page=False)


def test_the_new_cards_fit_a_phone(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    try:
        for path, name in (("/id/case/jinan-thermal-western-heat-source", "case"),
                           ("/id/person/zhang-shuai", "person"), ("/id/place/jinan", "place"),
                           ("/overview", "overview"), ("/ontology", "ontology")):
            page.goto(base_url + path + "?lang=zh-Hans")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{path} scrolls sideways ({width}px)"
            screenshot(page, f"task-phone-{name}", full_page=False)
    finally:
        context.close()

