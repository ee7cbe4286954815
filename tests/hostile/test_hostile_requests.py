"""Hostile requests against every endpoint, over real HTTP, on the embedded oxigraph store.

Each row of :data:`tests.hostile.cases.CASES` is sent as raw HTTP (``http.client``, so
paths reach the server byte for byte, ``..`` included) while a loopback listener records
any connection the server makes.  Every answer must

* have one of the row's statuses (a 4xx refusal, or 200 where answering is safe), and
  never be a 5xx other than the documented 503s: past the time limit, past a query
  worker's memory cap, or every worker busy (Retry-After);
* arrive before the row's client-side limit (a hang fails the test instead of stalling
  the suite);
* carry line and column for syntax errors (rows marked ``located``);
* never contain live markup or file contents: no ``<script>alert``, ``<img src=x``,
  ``href="javascript:`` in HTML, no ``/etc/passwd`` lines anywhere, and no U+202E
  (right-to-left override) in page text outside an element that isolates it (``dir``);
* leave the listener untouched and the store unchanged (digest of its N-Quads,
  confirmed by canonical N-Quads when the digest differs).

The rows without writes run again against the read-only service, plus writes that it
must refuse with 403.  ``pytest -q tests/hostile`` prints the counts per class.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import urllib.parse
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from rdflib import Graph, URIRef

from tests.hostile.cases import CASES, READ_ONLY_WRITES, WATER, Hostile
from tests.hostile.conftest import STATUSES, TRIED, canonical_quads, fingerprint

LIVE_MARKUP = ("<script>alert", "<img src=x", 'href="javascript:', "href='javascript:")
FILE_CONTENTS = ("root:x:0:0", "[build-system]")


def _fill(text, listener_url: str):
    if isinstance(text, bytes):
        return text.replace(b"@L@", listener_url.encode())
    return None if text is None else text.replace("@L@", listener_url).replace("@W@", WATER)


def send(service, case: Hostile, listener_url: str) -> tuple[int, dict[str, str], bytes]:
    """Send ``case`` as raw HTTP; a server that closes early still counts as an answer."""
    parsed = urllib.parse.urlsplit(service.url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=case.limit)
    body = _fill(case.body, listener_url)
    if isinstance(body, str):
        body = body.encode("utf-8")
    headers = {name: _fill(value, listener_url) for name, value in case.headers.items()}
    if case.content_type is not None:
        headers["Content-Type"] = case.content_type
    if body is None and case.method in {"POST", "PUT"}:
        body = b""
    try:
        # A server that answers 413 before reading the whole body may close early.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.request(case.method, _fill(case.path, listener_url), body=body,
                               headers=headers)
        response = connection.getresponse()
        return (response.status, {k.lower(): v for k, v in response.getheaders()},
                response.read())
    finally:
        connection.close()


RIGHT_TO_LEFT_OVERRIDE = "\u202e"
_VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"}


class BidiAudit(HTMLParser):
    """Finds page text holding U+202E outside an element that isolates it (``dir``)."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, bool]] = []
        self.unisolated: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in _VOID_ELEMENTS:
            self.open.append((tag, any(name == "dir" for name, _ in attrs)))

    def handle_endtag(self, tag):
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        in_title = any(tag == "title" for tag, _ in self.open)
        isolated = any(has_dir for _, has_dir in self.open)
        if RIGHT_TO_LEFT_OVERRIDE in data and not (isolated or in_title):
            self.unisolated.append(data)


def check(service, case: Hostile, listener, baseline: str) -> None:
    status, headers, body = send(service, case, listener.url)
    TRIED[case.attack] += 1
    STATUSES[case.attack][status] += 1
    text = body.decode("utf-8", errors="replace")
    assert status in case.expect, f"{case.id}: {status} {text[:500]}"
    if status == 503:  # a documented limit: time, a worker's memory, or every worker busy
        assert any(limit in text for limit in (
            "time limit", "memory than a query worker may use", "retry shortly")), text[:500]
    if case.located:
        error = json.loads(body)["error"]
        assert error.get("line") and error.get("column"), error
    if headers.get("content-type", "").startswith("text/html"):
        for marker in LIVE_MARKUP:
            assert marker not in text.lower(), f"{case.id}: live markup {marker!r}"
        audit = BidiAudit()
        audit.feed(text)
        assert audit.unisolated == [], f"{case.id}: a bidi override reorders the page"
    for marker in FILE_CONTENTS:
        assert marker not in text, f"{case.id}: file contents in the answer"
    assert listener.connections == [], f"{case.id}: the server made an outbound request"
    if fingerprint(service.store) != baseline.digest:
        changed = canonical_quads(service.store) != baseline.quads
        if changed:
            baseline.restore(service.store)  # so that one failure does not fail every row
        assert not changed, f"{case.id} changed the store"


@dataclass
class Baseline:
    """The store as the suite found it: digest, canonical quads, and its graphs to restore."""

    digest: str
    quads: list[str]
    graphs: dict[URIRef, Graph]

    def restore(self, store) -> None:
        store.replace_graphs({**{name: None for name in store.named_graphs()}, **self.graphs})


@pytest.fixture(scope="session")
def baseline(hostile_store) -> Baseline:
    graphs = {name: hostile_store.graph(name) for name in hostile_store.named_graphs()}
    return Baseline(fingerprint(hostile_store), canonical_quads(hostile_store), graphs)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_request_is_refused_or_answered_safely(armed_service, loopback_listener,
                                                       baseline, case):
    check(armed_service, case, loopback_listener, baseline)


READ_ONLY_CASES = [c for c in CASES if not c.writes] + READ_ONLY_WRITES


@pytest.mark.parametrize("case", READ_ONLY_CASES, ids=[c.id for c in READ_ONLY_CASES])
def test_read_only_service_refuses_the_same(read_only_service, loopback_listener, baseline,
                                            case):
    if case.attack == "auth":
        # Without a configured token every write is 403, whatever the credentials.
        case = Hostile(**{**case.__dict__, "expect": frozenset({403})})
    check(read_only_service, case, loopback_listener, baseline)
