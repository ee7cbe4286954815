"""A curator in a real browser: from a document to a published case, and a forged publish refused.

The live server here has a write token (the workspace is on) and its own store and drafts
directory.  The document is tests/fixtures/curate/eastern-heat-source.txt, a made-up case
text (never in data/): its editor's name has a character outside the BMP (𬀩), so a
selection's offsets are only right when the page converts UTF-16 indices to code points.
"""

from __future__ import annotations

import re
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import expect

from casegraph.config import Settings
from casegraph.web import create_app
from tests.browser.conftest import screenshot
from tests.live_server import in_thread, serving

pytestmark = pytest.mark.browser

TOKEN = "curator-token-for-tests"
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "curate" / "eastern-heat-source.txt"
SLUG = "eastern-heat-source-test"
ENGLISH = "Eastern Heat Source Branch Party Branch of Jinan Thermal Power Group"
CASE_TITLE_EN = "Dongyuan Vanguard: the Eastern Heat Source party branch"
SELECTED = "“智慧巡检”系统上线后,设备巡检时间从3小时降到了40分钟"


@pytest.fixture(scope="module")
def curate_server(tmp_path_factory):
    settings = Settings(store="oxigraph", data_dir=tmp_path_factory.mktemp("curate-store"),
                        update_token=TOKEN, drafts_dir=tmp_path_factory.mktemp("drafts"))
    app = create_app(settings)
    with serving(app) as url:
        yield app, url
    app.extensions["casegraph.store"].close()


@pytest.fixture()
def curator(browser, request):
    """A page of its own context; fails the test on script errors (not on the 4xx the
    refusals are about, which the forged-request test checks itself)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error"
            and not m.text.startswith("Failed to load resource") else None)
    page.set_default_timeout(20_000)
    yield page
    context.close()
    assert not errors, f"browser errors in {request.node.name}: {errors}"


def sign_in(page, base_url: str) -> None:
    page.goto(base_url + "/curate/drafts?lang=en")
    page.wait_for_url(re.compile(r"/curate/sign-in"))
    page.get_by_label("Write token").fill(TOKEN)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/curate/drafts(\?lang=en)?$"))


def item(page, label: str):
    return page.locator("li.item").filter(
        has=page.locator("strong", has_text=re.compile(f"^{re.escape(label)}$"))).first


def open_edit(candidate) -> None:
    """Open a candidate's edit controls (a <details>, open already when it has a problem)."""
    if not candidate.locator("details.item-edit").evaluate("d => d.open"):
        candidate.locator("summary").click()


def choose(select, prefix: str) -> None:
    """Choose the first option of ``select`` whose text starts with ``prefix``."""
    value = select.evaluate("""(el, prefix) => [...el.options]
        .find((o) => o.textContent.startsWith(prefix)).value""", prefix)
    select.select_option(value=value)


def submit(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def select_text(page, quote):
    """Select ``quote`` in the draft's text as a mouse would (a DOM range)."""
    page.evaluate("""(quote) => {
        const box = document.getElementById('draft-text');
        const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
        const nodes = []; let all = '';
        while (walker.nextNode()) { nodes.push([walker.currentNode, all.length]); all += walker.currentNode.data; }
        const at = all.indexOf(quote), end = at + quote.length;
        const find = (i) => { for (const [n, s] of nodes) if (i >= s && i <= s + n.data.length) return [n, i - s]; };
        const range = document.createRange();
        range.setStart(...find(at)); range.setEnd(...find(end));
        const selection = document.getSelection(); selection.removeAllRanges(); selection.addRange(range);
    }""", quote)


def test_a_curator_turns_a_document_into_a_published_case(curator, curate_server):
    page = curator
    app, base_url = curate_server
    sign_in(page, base_url)
    screenshot(page, "curate-drafts-empty")

    page.get_by_label("Case slug").fill(SLUG)
    page.get_by_label(re.compile("^Document file")).set_input_files(str(FIXTURE))
    submit(page, page.get_by_role("button", name="Make the draft"))
    assert page.url.endswith(f"/curate/drafts/{SLUG}")
    text = page.locator("#draft-text")
    assert "东部热源分公司" in text.inner_text()
    assert page.locator("#draft-text mark[data-items]").count() >= 10
    screenshot(page, "curate-draft-new")

    # Re-link: the draft minted a new IRI for the abbreviation 热电集团党委; the
    # reconciliation service suggests the group's committee, with its summary.
    committee = item(page, "热电集团党委")
    assert "new entity" in committee.locator(".item-meta").inner_text()
    open_edit(committee)
    suggestion = committee.locator(".suggestions li", has_text="济南热电集团有限公司党委").first
    suggestion.wait_for()
    suggestion.locator(".suggestion-summary", has_text="case(s)").wait_for()
    assert "id:org/jinan-thermal-power-group-party-committee" in suggestion.inner_text()
    screenshot(page, "curate-relink-suggestions", full_page=False)
    suggestion.locator("input[type=radio]").check()
    submit(page, committee.get_by_role("button", name="Link", exact=True))
    relinked = item(page, "济南热电集团有限公司党委")
    assert "id:org/jinan-thermal-power-group-party-committee" in relinked.inner_text()

    # Merge the short form into the full name of the branch; reject what is not a fact.
    short = item(page, "东部热源分公司")
    open_edit(short)
    choose(short.get_by_label("Merge into"), "济南热电集团有限公司东部热源分公司 ")
    submit(page, short.get_by_role("button", name="Merge"))
    for junk in ("一)党小组", "和汽机车间", "锅炉车间和汽机车间", "热电集团"):
        submit(page, item(page, junk).get_by_role("button", name=re.compile("^Reject")))
    assert item(page, "热电集团").locator(".status").inner_text() == "rejected"

    # Accept candidates one by one, the last with the keyboard only.
    for good in ("济南热电集团有限公司东部热源分公司", "山东省住建系统"):
        submit(page, item(page, good).get_by_role("button", name=re.compile("^Accept")))
        assert item(page, good).locator(".status").inner_text() == "accepted"
    item(page, "东源先锋").get_by_role("button", name=re.compile("^Reject")).focus()
    with page.expect_navigation():
        page.keyboard.press("Shift+Tab")  # back to its Accept button
        page.keyboard.press("Enter")
    assert item(page, "东源先锋").locator(".status").inner_text() == "accepted"
    unnamed = page.evaluate("""() => [...document.querySelectorAll(
        'main button, main input:not([type=hidden]), main select, main textarea, main summary, main a')]
        .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                        && !el.textContent.trim())
        .map((el) => el.outerHTML.slice(0, 80))""")
    assert unnamed == [], f"controls without an accessible name: {unnamed}"

    # A violation, linked from the report to its candidate, fixed there.
    report = page.locator("#report .violations")
    assert "A figure needs schema:value, cg:metric and cg:figureOf" in report.inner_text()
    report.get_by_role("link", name=re.compile("^两个")).click()
    figure = item(page, "两个")
    assert figure.locator(".item-problem").count() == 1
    screenshot(page, "curate-violation", full_page=False)
    figure.get_by_label(re.compile("^Metric")).select_option(label="Party groups")
    choose(figure.get_by_label(re.compile("^Of")), "济南热电集团有限公司东部热源分公司党支部 ")
    submit(page, figure.get_by_role("button", name=re.compile(r"^Save fields")))
    assert "figure needs" not in page.locator("#report").inner_text()
    figure = item(page, "两个")
    assert figure.locator(".item-problem").count() == 0
    assert "Party groups" in figure.get_by_label(re.compile("^Metric")).evaluate(
        "s => s.options[s.selectedIndex].text")

    # The award's year, which the draft missed (a warning), from the text.
    award = item(page, "“五小”竞赛奖")
    open_edit(award)
    award.get_by_label(re.compile("^Year")).fill("2023")
    submit(page, award.get_by_role("button", name=re.compile(r"^Save fields")))
    assert item(page, "“五小”竞赛奖").get_by_label(re.compile("^Year")).input_value() == "2023"

    # Add a fact by selecting it in the text: the innovation and its effect.
    select_text(page, SELECTED)
    expect(page.locator("#add-end")).not_to_have_value("")
    start = int(page.locator("#add-start").input_value())
    end = int(page.locator("#add-end").input_value())
    source = app.extensions["casegraph.curate"].drafts.load(SLUG).text
    assert source[start:end] == SELECTED  # code points, although 𬀩 is two UTF-16 units
    assert page.locator("#selection-quote").inner_text().startswith("““智慧巡检”")
    page.get_by_label("What it states").select_option(label="An innovation's effect (before → after)")
    form = page.locator("#add-form")
    form.get_by_label("Innovation's name").fill("智慧巡检系统")
    choose(form.locator("#effect-by"), "济南热电集团有限公司东部热源分公司 ")
    form.locator("#effect-metric").select_option(label="Duration")
    form.get_by_label("Before").fill("3")
    form.locator("#effect-before-unit").select_option("HUR")
    form.get_by_label("After").fill("40")
    form.locator("#effect-after-unit").select_option("MIN")
    screenshot(page, "curate-add-fact", full_page=False)
    submit(page, form.get_by_role("button", name="Add"))
    assert item(page, "智慧巡检系统").locator(".status").inner_text() == "accepted"
    # The draft's own reading of the sentence is now a duplicate.
    submit(page, item(page, "从3小时降到了40分钟").get_by_role("button", name=re.compile("^Reject")))

    # Labels: zh-Hant follows the edited zh-Hans (OpenCC), the English name is the curator's.
    branch = item(page, "济南热电集团有限公司东部热源分公司党支部")
    open_edit(branch)
    branch.get_by_label("Name in simplified Chinese").fill("济南热电集团东部热源分公司党支部")
    expect(branch.get_by_label(re.compile("^Name in traditional Chinese"))).to_have_value(
        "濟南熱電集團東部熱源分公司黨支部")
    branch.get_by_label("Name in English").fill(ENGLISH)
    submit(page, branch.get_by_role("button", name="Save labels"))
    branch = item(page, "济南热电集团东部热源分公司党支部")
    assert ENGLISH in branch.locator(".item-meta").inner_text()

    # What a case needs beyond its candidates: its title in English, the page's date, a
    # section's English name, and a person's role selected in the text.
    case_panel = page.locator("#case-fields")
    case_panel.locator("#case-title-form").get_by_label("Name in English").fill(CASE_TITLE_EN)
    submit(page, page.locator("#case-title-form").get_by_role("button", name="Save labels"))
    page.locator("#case-fields").get_by_label(re.compile("^Date of the page")).fill("2024-03-05")
    submit(page, page.locator("#case-fields").get_by_role("button", name="Save fields"))
    assert page.locator("#case-fields").get_by_label(re.compile("^Date of the page")).input_value() == "2024-03-05"
    summary = page.locator("#sections details", has_text="案例简介")
    summary.locator("summary").click()
    summary.get_by_label("Name in English").fill("Summary")
    submit(page, summary.get_by_role("button", name="Save labels"))
    assert "Summary" in page.locator("#sections details", has_text="案例简介").locator("summary").inner_text()
    select_text(page, "初审编辑:陈𬀩")
    expect(page.locator("#add-end")).not_to_have_value("")
    page.get_by_label("What it states").select_option(label="A person's role in an organisation")
    form = page.locator("#add-form")
    form.get_by_label("or a new person's name").fill("陈𬀩")
    form.get_by_label("Role", exact=True).fill("初审编辑")
    form.get_by_label("Role in English").fill("First-review editor")
    choose(form.locator("#mem-org"), "济南热电集团东部热源分公司党支部 ")
    screenshot(page, "curate-add-membership", full_page=False)
    submit(page, form.get_by_role("button", name="Add"))
    membership = page.locator("#candidates li.item", has_text="初审编辑").last
    assert membership.locator(".status").inner_text() == "accepted"

    publish = page.get_by_role("button", name="Publish", exact=True)
    assert publish.is_disabled()  # candidates are still open
    submit(page, page.get_by_role("button", name="Accept all remaining candidates"))
    assert "No violations." in page.locator("#report").inner_text()
    screenshot(page, "curate-ready")
    assert page.get_by_role("button", name="Publish", exact=True).is_enabled()
    submit(page, page.get_by_role("button", name="Publish", exact=True))
    assert "This case is published." in page.locator(".published-banner").inner_text()
    screenshot(page, "curate-published")

    # The case on its page, in search and in a cross-case question — at once.
    submit(page, page.get_by_role("link", name="Open the case page"))
    assert page.url.endswith(f"/id/case/{SLUG}")
    assert "智慧巡检" in page.locator(".case-text").inner_text()
    assert page.locator(".case-text mark").count() >= 10
    screenshot(page, "curate-case-page")
    page.goto(base_url + f"/id/case/{SLUG}?lang=en")
    assert CASE_TITLE_EN in page.locator("h1").inner_text()
    assert "2024-03-05" in page.locator("main").inner_text()
    page.goto(base_url + "/search?q=东源先锋&lang=en")
    assert "东源先锋" in page.locator("#group-brand + ol").inner_text()
    page.goto(base_url + "/search?q=智慧巡检系统&lang=en")
    assert page.locator("a.result-label", has_text="智慧巡检系统").count() >= 1
    screenshot(page, "curate-search")
    page.goto(base_url + "/questions/shared-award-titles?lang=en")
    shared = page.locator("table.answer tbody tr", has_text=ENGLISH)
    assert shared.count() == 1  # the title the new case shares with the western branch's case
    assert "'Five Smalls' competition award" in shared.inner_text()
    assert "Western Heat Source" in page.locator("table.answer tbody").inner_text()
    screenshot(page, "curate-question")

    # The drafts page lists it as published; the review works at phone width.
    page.goto(base_url + "/curate/drafts")
    row = page.locator("table.drafts tr", has_text=SLUG)
    assert "published" in row.inner_text()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base_url + f"/curate/drafts/{SLUG}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the page scrolls sideways at phone width ({width}px)"
    screenshot(page, "curate-phone", full_page=False)
    page.goto(base_url + f"/curate/drafts/{SLUG}#item-c003")
    screenshot(page, "curate-phone-candidates", full_page=False)


class _Attacker(BaseHTTPRequestHandler):
    """Another site's page that posts to the workspace as soon as it loads."""

    target = ""

    def do_GET(self):  # noqa: N802 - the http.server API
        body = (f'<!doctype html><form id="f" method="post" action="{self.target}">'
                '<input name="op" value="accept-all"></form>'
                '<script>document.getElementById("f").submit()</script>').encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_forged_publish_is_refused_and_the_cookie_is_guarded(browser, curate_server, tmp_path):
    app, base_url = curate_server
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    try:
        sign_in(page, base_url)
        cookie = next(c for c in context.cookies() if c["name"] == "casegraph_curator")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert cookie["secure"] is False and cookie["path"] == "/curate"  # plain http here
        assert page.evaluate("document.cookie").find("casegraph_curator") < 0

        page.get_by_label("Case slug").fill("forged-publish-test")
        page.get_by_label("Or paste the text").fill(FIXTURE.read_text(encoding="utf-8"))
        submit(page, page.get_by_role("button", name="Make the draft"))
        target = base_url + "/curate/drafts/forged-publish-test"

        # With the session cookie but without the CSRF token: 403 in the one error shape.
        answer = page.request.post(target + "/publish", form={"op": "publish"},
                                   headers={"Accept": "application/json"})
        assert answer.status == 403
        assert "CSRF token" in answer.json()["error"]["message"]
        answer = page.request.post(target + "/op", form={"op": "accept-all"},
                                   headers={"Accept": "application/json"})
        assert answer.status == 403

        # From another site (localhost is not the site 127.0.0.1): SameSite=Strict keeps
        # the cookie home, and the request is refused.
        _Attacker.target = target + "/op"
        with in_thread(HTTPServer(("127.0.0.1", 0), _Attacker)) as attacker:
            with page.expect_response(lambda r: r.url == target + "/op") as refused:
                page.goto(attacker.replace("127.0.0.1", "localhost") + "/")
            assert refused.value.status in (401, 403)
        screenshot(page, "curate-forged-refused")
        draft = app.extensions["casegraph.curate"].drafts.load("forged-publish-test")
        assert draft.undecided() and draft.state == "draft"  # nothing was accepted
        graph = f"{app.config['CASEGRAPH'].base_iri}graph/case/forged-publish-test"
        assert graph not in {str(g) for g in app.extensions["casegraph.store"].named_graphs()}
    finally:
        context.close()
