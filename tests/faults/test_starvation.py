"""Reproduction 4 of issue 13: slow clients and busy or killed workers starve nobody.

Against ``casegraph serve --production`` (waitress; 2 query workers plus the spare):

* 8 connections that send one header line every 2 s hold no thread, so every
  cheap request keeps answering under a second (with gunicorn's threads they stopped
  all responses for a minute);
* two clients keeping both client workers busy with queries that run to the time
  limit leave pages, search and /healthz under a second (the spare worker), and a
  small SELECT is answered within its own time limit — 200, or 503 with Retry-After
  once every worker stayed busy for ``admission_wait`` — instead of waiting ≈ 9.5 s;
* once both of those workers are killed at the deadline, pages still answer at once
  from the spare, and a query is answered within its limit instead of waiting up to
  300 s for a replacement.
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator

import pytest

from tests.faults.conftest import ServeProcess, start_serve
from tests.hostile.reproductions import (
    LIMIT,
    cheap_probes_stay_fast,
    in_parallel,
    server_env,
    sparql_query,
)

pytestmark = [pytest.mark.faults, pytest.mark.remote]

#: Runs until the time limit kills it (a count over a three-way product of the store).
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SMALL = "SELECT ?g WHERE { GRAPH ?g { ?s a ?type } } LIMIT 3"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[ServeProcess]:
    root = tmp_path_factory.mktemp("starvation")
    served = start_serve(root / "store", "--production", log_dir=root,
                         env=server_env("http://127.0.0.1:9/"))
    try:
        yield served
    finally:
        served.stop()


def test_slow_header_senders_hold_no_thread(server):
    parsed = urllib.parse.urlsplit(server.url)
    slow = [socket.create_connection((parsed.hostname, parsed.port), timeout=5) for _ in range(8)]
    try:
        for connection in slow:
            connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        with cheap_probes_stay_fast(server):
            for line in range(5):  # one header line every 2 s, for 10 s
                time.sleep(2)
                for connection in slow:
                    connection.sendall(f"X-Slow-{line}: still here\r\n".encode())
                started = time.monotonic()
                small = sparql_query(server, SMALL, timeout=10)
                assert small.status == 200, small.body[:300]
                assert time.monotonic() - started < 1.0
    finally:
        for connection in slow:
            connection.close()


def test_busy_client_workers_leave_cheap_requests_fast(server):
    stop = threading.Event()
    heavy_statuses: list[int] = []

    def keep_busy() -> None:
        while not stop.is_set():
            heavy_statuses.append(sparql_query(server, ENDLESS, timeout=30).status)

    heavy = [threading.Thread(target=keep_busy, daemon=True) for _ in range(2)]
    for thread in heavy:
        thread.start()
    try:
        time.sleep(0.5)
        with cheap_probes_stay_fast(server):
            deadline = time.monotonic() + 2 * LIMIT + 1
            while time.monotonic() < deadline:
                small = sparql_query(server, SMALL, timeout=30)
                assert small.status in {200, 503}, small.body[:300]
                assert small.seconds < LIMIT + 1, f"a small SELECT took {small.seconds:.2f} s"
                if small.status == 503:
                    assert small.headers.get("retry-after")
                time.sleep(0.3)
    finally:
        stop.set()
        for thread in heavy:
            thread.join(30)
    assert 503 in heavy_statuses, "the endless queries were never stopped at the limit"


def test_after_two_workers_were_killed_pages_answer_at_once_and_queries_soon(server):
    killed = in_parallel(lambda: sparql_query(server, ENDLESS), lambda: sparql_query(server, ENDLESS))
    assert [reply.status for reply in killed] == [503, 503], [r.body[:200] for r in killed]
    with cheap_probes_stay_fast(server):
        small = sparql_query(server, SMALL)
        assert small.status in {200, 503}, small.body[:300]
        assert small.seconds < LIMIT + 1, f"the first query after the kills took {small.seconds:.2f} s"
        time.sleep(2)
    again = sparql_query(server, SMALL)
    assert again.status == 200, again.body[:300]
