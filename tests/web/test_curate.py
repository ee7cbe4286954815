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
    junk = next(i for i in work.items if i.label == "荣获")
    work.apply({"op": "reject", "item": junk.id}, index)
    DraftStore(tmp_path).save(work)
    again = DraftStore(tmp_path).load(SLUG)  # a new store object: as after a restart
    assert again.item(junk.id).status == "rejected"
    assert set(again.graph) == set(work.graph) and again.text == work.text
    assert not any(str(s).endswith("person/rong-huo") for s in again.graph.subjects())
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


def test_a_too_large_document_is_413(client):
    _sign_in(client)
    big = "济南热电集团有限公司。" * 80_000  # about 2.6 MB of UTF-8
    answer = client.post("/curate/drafts", data={"slug": "too-big", "text": big,
                                                  "csrf_token": _csrf(client)},
                         headers={"Accept": "application/json"})
    assert answer.status_code == 413
