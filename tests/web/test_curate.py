"""The curation workspace over the Flask test client: drafts on disk, sign-in, CSRF, cookies.

The draft is made from tests/fixtures/curate/eastern-heat-source.txt (a made-up text,
never in data/) by the real drafting pipeline; the store is the in-memory one with the
bundled data.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from casegraph.config import Settings
from casegraph.drafting.draft_graph import draft_case
from casegraph.drafting.workspace import DraftEditError, DraftStore, WorkDraft
from casegraph.web import create_app

TOKEN = "test-update-token"
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "curate" / "eastern-heat-source.txt"
SLUG = "eastern-heat-source-unit"


@pytest.fixture(scope="module")
def drafted():
    return draft_case(FIXTURE.read_text(encoding="utf-8"), SLUG)


def test_a_draft_survives_a_restart_with_its_edits(tmp_path, drafted):
    from casegraph.drafting.linking import LinkIndex

    index = LinkIndex.from_data()
    work = WorkDraft.from_draft(drafted, SLUG)
    junk = next(i for i in work.items if i.label == "一)党小组")  # a broken span, not an organisation
    node = junk.node
    assert any(str(s) == node for s in work.graph.subjects())
    work.apply({"op": "reject", "item": junk.id}, index)
    DraftStore(tmp_path).save(work)
    again = DraftStore(tmp_path).load(SLUG)  # a new store object: as after a restart
    assert again.item(junk.id).status == "rejected"
    assert set(again.graph) == set(work.graph) and again.text == work.text
    assert not any(str(s) == node for s in again.graph.subjects())
    assert [d.slug for d in DraftStore(tmp_path).all()] == [SLUG]


def test_a_failed_save_leaves_the_previous_version(tmp_path, drafted, monkeypatch):
    store = DraftStore(tmp_path)
    work = WorkDraft.from_draft(drafted, SLUG)
    store.save(work)
    before = store.path(SLUG).read_bytes()
    work.items[0].status = "accepted"

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        store.save(work)
    assert store.path(SLUG).read_bytes() == before  # old version intact, nothing half-written
    assert [p.name for p in tmp_path.iterdir()] == [f"{SLUG}.json"]  # no temporary left


def test_an_edit_that_does_not_apply_says_why_and_changes_nothing(drafted):
    from casegraph.drafting.linking import LinkIndex

    work = WorkDraft.from_draft(drafted, SLUG)
    triples = set(work.graph)
    with pytest.raises(DraftEditError, match="not a span of the text"):
        work.apply({"op": "add", "fact": "organisation", "start": 5, "end": 99999}, LinkIndex.from_data())
    with pytest.raises(DraftEditError, match="the selection's offsets are off"):
        work.apply({"op": "add", "fact": "organisation", "start": 0, "end": 4, "quote": "东部热源"},
                   LinkIndex.from_data())
    assert set(work.graph) == triples


@pytest.fixture()
def client(tmp_path):
    app = create_app(Settings(store="memory", update_token=TOKEN, drafts_dir=tmp_path / "drafts"))
    return app.test_client()


def _sign_in(client, token=TOKEN, base="http://localhost"):
    page = client.get("/curate/sign-in", base_url=base)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return client.post("/curate/sign-in", data={"csrf_token": csrf, "token": token}, base_url=base)


def _csrf(client) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/curate/drafts").text).group(1)


def test_the_workspace_is_off_without_a_token(tmp_path):
    client = create_app(Settings(store="memory")).test_client()
    answer = client.get("/curate/drafts", headers={"Accept": "application/json"})
    assert answer.status_code == 404
    assert "no update token" in answer.get_json()["error"]["message"]


def test_no_workspace_page_without_signing_in(client):
    assert client.get("/curate/drafts").status_code == 302
    assert client.get("/curate/drafts").headers["Location"].startswith("/curate/sign-in")
    answer = client.get("/curate/api/entity?iri=x")
    assert answer.status_code == 401 and answer.get_json()["error"]["status"] == 401
    assert _sign_in(client, token="wrong").status_code == 401
    assert client.get("/curate/drafts").status_code == 302


def test_the_session_cookie_is_httponly_strict_and_secure_over_https(client):
    plain = _sign_in(client).headers["Set-Cookie"]
    assert "HttpOnly" in plain and "SameSite=Strict" in plain and "Secure" not in plain
    secure = _sign_in(client, base="https://localhost").headers["Set-Cookie"]
    assert "HttpOnly" in secure and "SameSite=Strict" in secure and "Secure" in secure


def test_every_post_needs_the_sessions_csrf_token(client):
    _sign_in(client)
    text = FIXTURE.read_text(encoding="utf-8")
    refused = client.post("/curate/drafts", data={"slug": SLUG, "text": text},
                          headers={"Accept": "application/json"})
    assert refused.status_code == 403 and "CSRF" in refused.get_json()["error"]["message"]
    wrong = client.post("/curate/drafts", data={"slug": SLUG, "text": text, "csrf_token": "x" * 43})
    assert wrong.status_code == 403
    csrf = _csrf(client)
    made = client.post("/curate/drafts", data={"slug": SLUG, "text": text, "csrf_token": csrf})
    assert made.status_code == 303
    cross = client.post(f"/curate/drafts/{SLUG}/op", data={"op": "accept-all", "csrf_token": csrf},
                        headers={"Origin": "http://evil.example", "Accept": "application/json"})
    assert cross.status_code == 403 and "evil.example" in cross.get_json()["error"]["message"]
    assert client.get(f"/curate/drafts/{SLUG}.json").get_json()["undecided"] > 0  # nothing accepted
    # Publishing is refused while candidates are open, and nothing reaches the store.
    early = client.post(f"/curate/drafts/{SLUG}/publish", data={"csrf_token": csrf},
                        headers={"Accept": "application/json"})
    assert early.status_code == 409
    assert client.get(f"/id/case/{SLUG}").status_code == 404


BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_a_refused_form_returns_its_page_with_the_reason_and_what_was_typed(client):
    """A person whose form is refused gets the page back, not a bare error: the reason in
    an alert above the form, the status still saying it was refused, nothing stored."""
    _sign_in(client)
    csrf = _csrf(client)
    text = FIXTURE.read_text(encoding="utf-8")
    bad_slug = client.post("/curate/drafts", headers=BROWSER,
                           data={"slug": "Eastern Heat", "text": text, "csrf_token": csrf})
    page = bad_slug.get_data(as_text=True)
    assert bad_slug.status_code == 400 and bad_slug.mimetype == "text/html"
    assert re.search(r'role="alert">.*slug &#39;Eastern Heat&#39;: use lower-case', page)
    assert 'value="Eastern Heat"' in page and "东部热源分公司" in page  # the form keeps it
    drafts_dir = Path(client.application.config["CASEGRAPH"].drafts_dir)
    assert not drafts_dir.exists() or not any(drafts_dir.iterdir())  # nothing was saved
    made = client.post("/curate/drafts", headers=BROWSER,
                       data={"slug": "form-errors-test", "text": text, "csrf_token": csrf})
    assert made.status_code == 303
    before = client.get("/curate/drafts/form-errors-test.json").get_json()
    item = before["items"][0]["id"]
    empty = client.post("/curate/drafts/form-errors-test/op", headers=BROWSER,
                        data={"op": "labels", "item": item, "zh-Hans": "", "csrf_token": csrf})
    assert empty.status_code == 400
    assert re.search(r'role="alert".*the zh-Hans label may not be empty', empty.get_data(as_text=True))
    early = client.post("/curate/drafts/form-errors-test/publish", headers=BROWSER,
                        data={"csrf_token": csrf})
    assert early.status_code == 409 and "neither accepted" in early.get_data(as_text=True)
    assert client.get("/curate/drafts/form-errors-test.json").get_json() == before


def test_a_too_large_document_is_413(client):
    _sign_in(client)
    big = "济南热电集团有限公司。" * 80_000  # about 2.6 MB of UTF-8
    answer = client.post("/curate/drafts", data={"slug": "too-big", "text": big,
                                                  "csrf_token": _csrf(client)},
                         headers={"Accept": "application/json"})
    assert answer.status_code == 413


def test_edit_operations_build_a_case_that_validates(drafted):
    """Every kind of edit, applied in Python as the browser's forms send them; the graph
    published from the result conforms to the shapes and its quotes to its text."""
    from rdflib import RDFS, Literal, URIRef
    from rdflib.namespace import SKOS

    from casegraph.drafting.linking import LinkIndex
    from casegraph.drafting.workspace import CG, ID
    from casegraph.shacl.provenance import attach_source_text, check_quotes
    from casegraph.shacl.validation import validate_graph

    index = LinkIndex.from_data()
    work = WorkDraft.from_draft(drafted, SLUG)

    def find(label):
        return next(i for i in work.items if i.label == label and i.live)

    committee = find("热电集团党委")
    work.apply({"op": "relink", "item": committee.id,
                "iri": str(ID["org/jinan-thermal-power-group-party-committee"])}, index)
    assert committee.linked and committee.node.endswith("jinan-thermal-power-group-party-committee")
    assert not any(str(s).endswith("re-dian-ji-tuan-dang-wei") for s in work.graph.subjects())
    branch, short = find("济南热电集团有限公司东部热源分公司"), find("东部热源分公司")
    work.apply({"op": "merge", "item": short.id, "into": branch.id}, index)
    assert (URIRef(branch.node), SKOS.altLabel, Literal("东部热源分公司", lang="zh-Hans")) in work.graph
    work.apply({"op": "type", "item": find("锅炉车间").id, "class": "cg:Workshop"}, index)
    with pytest.raises(DraftEditError, match="not one of"):
        work.apply({"op": "type", "item": branch.id, "class": "cg:Award"}, index)
    work.apply({"op": "labels", "item": branch.id, "zh-Hans": "济南热电集团东部热源分公司",
                "zh-Hant": "", "en": "Eastern Heat Source Branch of Jinan Thermal Power Group"}, index)
    assert Literal("濟南熱電集團東部熱源分公司", lang="zh-Hant") in set(
        work.graph.objects(URIRef(branch.node), RDFS.label))
    for junk in ("一)党小组", "和汽机车间", "锅炉车间和汽机车间", "热电集团"):
        work.apply({"op": "reject", "item": find(junk).id}, index)
    two = find("两个")
    work.apply({"op": "fields", "item": two.id, "set:cg:metric": str(ID["metric/party-groups"]),
                "set:cg:figureOf": f"item:{branch.id}"}, index)
    award = next(i for i in work.items if i.kind == "award")
    work.apply({"op": "fields", "item": award.id, "set:cg:year": "2023"}, index)
    with pytest.raises(DraftEditError, match="not a year"):
        work.apply({"op": "set", "item": award.id, "property": "cg:year", "value": "23"}, index)

    def span(quote):
        start = work.text.index(quote)
        return {"start": start, "end": start + len(quote), "quote": quote}

    added = [
        {"fact": "organisation", "label": "汽机车间", "class": "cg:Workshop", **span("汽机车间")},
        {"fact": "figure", "value": "18", "unit": "C62", "metric": str(ID["metric/party-members"]),
         "of": f"item:{find('济南热电集团有限公司东部热源分公司党支部').id}", **span("现有党员18人")},
        {"fact": "practice", "label": "党员先锋岗", "kind": str(ID["practice-kind/party-member-vanguard-post"]),
         "by": f"item:{branch.id}", **span("设立党员先锋岗6个")},
        {"fact": "award", "award": "“五小”竞赛一等奖", "issuer": "not-stated", "level": "not-stated",
         "year": "2023", "recipient": f"item:{branch.id}", **span("2023年荣获山东省住建系统“五小”竞赛一等奖")},
        {"fact": "effect", "innovation": "智慧巡检系统", "by": f"item:{branch.id}",
         "metric": str(ID["metric/duration"]), "before": "3", "before_unit": "HUR", "after": "40",
         "after_unit": "MIN", **span("设备巡检时间从3小时降到了40分钟")},
        {"fact": "relation", "subject": f"item:{find('锅炉车间').id}", "property": "org:subOrganizationOf",
         "object": f"item:{branch.id}", **span("锅炉车间和汽机车间")},
    ]
    for fact in added:
        work.apply({"op": "add", **fact}, index)
    innovation = next(i for i in work.items if i.kind == "innovation")
    assert (URIRef(innovation.node), CG.developedBy, URIRef(branch.node)) in work.graph
    work.apply({"op": "accept-all"}, index)
    assert not work.undecided()
    graph = attach_source_text(work.publish_graph(), work.text)
    report = validate_graph(graph, graph=work.graph_iri)
    report.results.extend(check_quotes(graph, work.graph_iri))
    assert not report.violations, report.to_text()
    assert not any(p in (CG.isDraft, CG.draftConfidence) for p in graph.predicates())
    # The JSON round trip keeps every decision (what a restart reads back).
    again = WorkDraft.from_json(work.to_json())
    assert [vars(i) for i in again.items] == [vars(i) for i in work.items]


def test_a_published_case_is_found_at_once_by_search_and_reconciliation(client):
    """Publish through the JSON operations; the write refreshes the search index and the
    reconciliation index (no 30-second wait) and the draft is listed as published."""
    _sign_in(client)
    csrf = _csrf(client)
    text = FIXTURE.read_text(encoding="utf-8")
    assert client.post("/curate/drafts", data={"slug": SLUG, "text": text, "csrf_token": csrf}
                       ).status_code == 303
    # Reconciliation index built before the case exists: the brand is not there yet.
    def brand_matches():
        import json

        queries = json.dumps({"q": {"query": "东源先锋", "type": "cg:PartyBuildingBrand"}})
        found = client.get("/reconcile", query_string={"queries": queries}).get_json()["q"]["result"]
        return [r for r in found if r["score"] == 1.0]

    assert brand_matches() == []
    state = client.get(f"/curate/drafts/{SLUG}.json").get_json()
    for item in state["items"]:
        if item["label"] == "两个":
            state = client.post(f"/curate/drafts/{SLUG}/op", json={
                "op": "reject", "item": item["id"], "csrf_token": csrf}).get_json()
    state = client.post(f"/curate/drafts/{SLUG}/op", json={"op": "accept-all", "csrf_token": csrf}
                        ).get_json()
    assert state["publishable"], state["report"]
    published = client.post(f"/curate/drafts/{SLUG}/publish", data={"csrf_token": csrf},
                            headers={"Accept": "application/json"})
    assert published.status_code == 200 and published.get_json()["state"] == "published"
    assert len(brand_matches()) == 1
    assert client.get("/search.json", query_string={"q": "东源先锋"}).get_json()["total"] >= 1
    assert client.get(f"/id/case/{SLUG}").status_code == 200
    assert "published" in client.get("/curate/drafts").text
    again = client.post(f"/curate/drafts/{SLUG}/op", json={"op": "accept-all", "csrf_token": csrf})
    assert again.status_code == 400 and "published" in again.get_json()["error"]["message"]


def test_what_the_workspace_cases_needed_by_hand_is_an_edit_now(drafted):
    """The hand fixes the four workspace cases needed after export (docs/authoring.md):
    the case's title and date, sections' English labels and kinds, a new award title's
    labels and readable IRI, a conferral by two issuers, a brand link, an approximate
    figure, a membership with its role — each an operation, and the result validates."""
    from rdflib import RDF, RDFS, XSD, Literal, URIRef
    from rdflib.namespace import DCTERMS, ORG

    from casegraph.drafting.linking import LinkIndex
    from casegraph.drafting.workspace import CG, ID, SCHEMA
    from casegraph.shacl.provenance import attach_source_text, check_quotes
    from casegraph.shacl.validation import validate_graph

    index = LinkIndex.from_data()
    work = WorkDraft.from_draft(drafted, SLUG)

    def find(label):
        return next(i for i in work.items if i.label == label and i.live)

    def span(quote):
        start = work.text.index(quote)
        return {"start": start, "end": start + len(quote), "quote": quote}

    branch = find("济南热电集团有限公司东部热源分公司")
    work.apply({"op": "labels", "item": "case", "zh-Hans": "东部热源分公司党支部“东源先锋”",
                "en": "The Eastern Heat Source Branch's party branch: Dongyuan Vanguard"}, index)
    titles = set(work.graph.objects(work.case_node, DCTERMS.title))
    assert Literal("東部熱源分公司黨支部“東源先鋒”", lang="zh-Hant") in titles
    assert work.title == "东部热源分公司党支部“东源先锋”"
    work.apply({"op": "fields", "item": "case", "set:dcterms:issued": "2024-03-05"}, index)
    assert work.graph.value(work.case_node, DCTERMS.issued) == Literal("2024-03-05", datatype=XSD.date)
    with pytest.raises(DraftEditError, match="not a date"):
        work.apply({"op": "set", "item": "case", "property": "dcterms:issued", "value": "2024-13-01"}, index)
    sections = work.sections()
    first = f"section:{str(sections[0]).rsplit('/', 1)[1]}"
    work.apply({"op": "labels", "item": first, "zh-Hans": "页首", "en": "Header"}, index)
    assert (sections[0], CG.missingLabel, None) not in work.graph
    work.apply({"op": "set", "item": first, "property": "cg:sectionKind",
                "value": str(ID["section-kind/other"])}, index)
    with pytest.raises(DraftEditError, match="no such section"):
        work.apply({"op": "labels", "item": "section:s99", "zh-Hans": "x"}, index)

    # A new award title: labels and a readable IRI; the conferral by two issuers.
    work.apply({"op": "add", "fact": "award", "award": "山东省住建系统“五小”竞赛一等奖",
                "level": str(ID["award-level/provincial"]), "year": "2023",
                "recipient": f"item:{branch.id}", "issuer": "not-stated",
                **span("2023年荣获山东省住建系统“五小”竞赛一等奖")}, index)
    award = work.items[-1]
    work.apply({"op": "labels", "item": award.id, "part": "award", "zh-Hans": "“五小”竞赛一等奖",
                "en": "First prize of the Five Smalls competition"}, index)
    work.apply({"op": "rename", "item": award.id, "part": "award", "slug": "five-smalls-first-prize"}, index)
    title = work.graph.value(URIRef(award.node), CG.award)
    assert title == ID["award/five-smalls-first-prize"]
    assert Literal("First prize of the Five Smalls competition", lang="en") in set(
        work.graph.objects(title, RDFS.label))
    taken = str(ID["org/jinan-thermal-power-group"])
    assert taken in index.entities
    with pytest.raises(DraftEditError, match="already names an entity"):
        work.apply({"op": "rename", "item": branch.id, "slug": "jinan-thermal-power-group"}, index)
    work.apply({"op": "rename", "item": branch.id, "slug": "jinan-thermal-eastern-heat-source"}, index)
    assert branch.node == str(ID["org/jinan-thermal-eastern-heat-source"])
    assert (URIRef(award.node), CG.recipient, URIRef(branch.node)) in work.graph  # followed the rename
    two_issuers = [taken, str(ID["org/jinan-thermal-power-group-party-committee"])]
    work.apply({"op": "fields", "item": award.id, "set:cg:issuer": two_issuers}, index)
    assert {str(o) for o in work.graph.objects(URIRef(award.node), CG.issuer)} == set(two_issuers)
    assert (URIRef(award.node), CG.notStatedInSource, CG.issuer) not in work.graph
    with pytest.raises(DraftEditError, match="one value"):
        work.apply({"op": "fields", "item": award.id, "set:cg:year": ["2022", "2023"]}, index)
    linked = next(i for i in work.items if i.linked and i.kind == "organisation")
    with pytest.raises(DraftEditError, match="entity of the graph"):
        work.apply({"op": "rename", "item": linked.id, "slug": "something-else"}, index)

    # A brand link, an approximate figure, a membership with a new person and role.
    brand = next(i for i in work.items if i.kind == "brand" and "东源先锋" in i.label)
    work.apply({"op": "fields", "item": branch.id, "set:schema:brand": [f"item:{brand.id}"]}, index)
    assert (URIRef(branch.node), SCHEMA.brand, URIRef(brand.node)) in work.graph
    work.apply({"op": "add", "fact": "figure", "value": "126", "unit": "C62",
                "metric": str(ID["metric/heating-area"]), "of": f"item:{branch.id}",
                **span("新增供热面积126万平方米")}, index)
    figure = work.items[-1]
    work.apply({"op": "fields", "item": figure.id, "set:cg:approximate": "true"}, index)
    assert work.graph.value(URIRef(figure.node), CG.approximate) == Literal(True)
    work.apply({"op": "add", "fact": "membership", "person": "陈𬀩", "person_en": "Chen Zhi",
                "role": "初审编辑", "role_en": "First-review editor",
                "organisation": f"item:{branch.id}", **span("初审编辑:陈𬀩")}, index)
    membership, person = work.items[-1], work.items[-2]
    assert (membership.kind, person.kind) == ("membership", "person")
    node = URIRef(membership.node)
    assert work.graph.value(node, ORG.member) == URIRef(person.node)
    role = work.graph.value(node, ORG.role)
    assert Literal("First-review editor", lang="en") in set(work.graph.objects(role, RDFS.label))
    work.apply({"op": "rename", "item": membership.id, "part": "role", "slug": "first-review-editor"}, index)
    assert work.graph.value(node, ORG.role) == ID["role/first-review-editor"]
    # A role, or a conferral's award title, re-pointed at the graph's: the replaced one goes.
    reporter = str(ID["role/reporter"])
    assert index.entities[reporter].kind == "role"
    work.apply({"op": "fields", "item": membership.id, "set:org:role": reporter}, index)
    assert work.graph.value(node, ORG.role) == URIRef(reporter)
    assert (ID["role/first-review-editor"], None, None) not in work.graph
    assert Literal("记者", lang="zh-Hans") in set(work.graph.objects(URIRef(reporter), RDFS.label))
    pioneer = str(ID["award/workers-pioneer"])
    work.apply({"op": "fields", "item": award.id, "set:cg:award": pioneer}, index)
    assert (ID["award/five-smalls-first-prize"], None, None) not in work.graph

    # A brand and a place by selection; a rejected candidate's own passage is not published.
    work.apply({"op": "add", "fact": "brand", "label_en": "Dongyuan Vanguard (second naming)",
                "owner": f"item:{branch.id}", **span("“东源先锋”")}, index)
    brand_item = work.items[-1]
    assert (URIRef(brand_item.node), CG.brandOwner, URIRef(branch.node)) in work.graph
    work.apply({"op": "reject", "item": brand_item.id}, index)
    work.apply({"op": "add", "fact": "place", "label": "山东省", "label_en": "Shandong",
                **span("山东省")}, index)
    assert (URIRef(work.items[-1].node), RDF.type, SCHEMA.Place) in work.graph

    for junk in ("一)党小组", "和汽机车间", "锅炉车间和汽机车间", "热电集团", "两个"):
        work.apply({"op": "reject", "item": find(junk).id}, index)
    work.apply({"op": "accept-all"}, index)
    graph = attach_source_text(work.publish_graph(), work.text)
    cited = set(graph.objects(None, CG.statedIn))
    assert set(graph.subjects(RDF.type, CG.Passage)) == cited  # every passage states a fact
    report = validate_graph(graph, graph=work.graph_iri)
    report.results.extend(check_quotes(graph, work.graph_iri))
    assert not report.violations, report.to_text()
    again = WorkDraft.from_json(work.to_json())
    assert set(again.graph) == set(work.graph)


def test_the_page_offers_the_new_edits_and_a_form_keeps_every_value(client):
    """The case's title, the sections, a second value of a multi-valued field and the
    membership fact are on the page; posting two issuers as the page's form does keeps both."""
    _sign_in(client)
    csrf = _csrf(client)
    text = FIXTURE.read_text(encoding="utf-8")
    client.post("/curate/drafts", data={"slug": SLUG, "text": text, "csrf_token": csrf})
    page = client.get(f"/curate/drafts/{SLUG}").text
    assert 'id="case-title-form"' in page and 'id="sections-h"' in page
    assert 'data-fact="membership"' in page and 'name="set:dcterms:issued" value="" type="date"' in page
    state = client.get(f"/curate/drafts/{SLUG}.json").get_json()
    award = next(i for i in state["items"] if i["kind"] == "award")
    issuers = ["https://w3id.org/casegraph/id/org/jinan-thermal-power-group",
               "https://w3id.org/casegraph/id/org/jinan-thermal-power-group-party-committee"]
    answer = client.post(f"/curate/drafts/{SLUG}/op", data=MultiDict([
        ("csrf_token", csrf), ("op", "fields"), ("item", award["id"]),
        ("set:cg:issuer", issuers[0]), ("set:cg:issuer", issuers[1]), ("set:cg:issuer", "")]))
    assert answer.status_code == 303
    page = client.get(f"/curate/drafts/{SLUG}").text
    item = page[page.index(f'id="item-{award["id"]}"'):]
    item = item[:item.index("</li>")]
    assert item.count('name="set:cg:issuer"') == 3  # both values, and one more to add
    selected = re.findall(r'<option value="([^"]+)" selected>', item)
    group = next(i for i in state["items"] if i["node"] == issuers[0])  # the draft linked it
    assert f"item:{group['id']}" in selected and issuers[1] in selected
