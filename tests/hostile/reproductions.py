"""Shared pieces of the issue-13 reproductions: a production server and a liveness probe.

The server is ``casegraph serve --production`` (waitress, 8 threads, 2 query workers
plus the spare) on the 13 bundled cases, with a 3-second time limit, a 1 MiB body
limit and 1,000 result rows, and a loopback listener whose ``/internal`` URL is on the
SERVICE allow-list: the analysis lets a query call it, so only the workers' network
namespace stands between the engine and the listener.

:func:`cheap_probes_stay_fast` is the liveness assertion of every reproduction: while
the hostile requests run, ``/healthz``, an entity page and a search keep answering 200,
each under a second, and the server process is still the one that started.
"""

from __future__ import annotations

import contextlib
import http.client
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

from tests.faults.conftest import ServeProcess

#: The server's time limit for one request (CASEGRAPH_QUERY_TIMEOUT).
LIMIT = 3.0
MAX_BODY = 1024 * 1024
MAX_ROWS = 1000
PROBES = ("/healthz", "/id/case/jinan-water-group",
          "/search.json?" + urllib.parse.urlencode({"q": "党支部"}))
#: A cheap request must answer within this, whatever else runs.
CHEAP = 1.0


def server_env(listener_url: str) -> dict[str, str]:
    return {
        "CASEGRAPH_QUERY_TIMEOUT": str(LIMIT),
        "CASEGRAPH_MAX_REQUEST_BYTES": str(MAX_BODY),
        "CASEGRAPH_MAX_RESULT_ROWS": str(MAX_ROWS),
        "CASEGRAPH_SERVICE_ALLOWLIST": listener_url + "internal",
    }


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float


def send(server: ServeProcess, method: str, path: str, body: bytes | None = None,
         headers: dict[str, str] | None = None, timeout: float = 60) -> Reply:
    """One raw HTTP exchange; a body given as an iterator goes chunked."""
    parsed = urllib.parse.urlsplit(server.url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=timeout)
    started = time.monotonic()
    try:
        connection.request(method, path, body=body, headers=headers or {},
                           encode_chunked=not isinstance(body, bytes | None))
        response = connection.getresponse()
        data = response.read()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data,
                     time.monotonic() - started)
    finally:
        connection.close()


def sparql_query(server: ServeProcess, text: str, accept: str = "application/sparql-results+json",
                 timeout: float = 60) -> Reply:
    return send(server, "POST", "/sparql", text.encode("utf-8"),
                {"Content-Type": "application/sparql-query", "Accept": accept}, timeout)


@contextlib.contextmanager
def cheap_probes_stay_fast(server: ServeProcess) -> Iterator[list[tuple[float, str]]]:
    """Probe the cheap endpoints in a loop while the block runs; assert liveness after."""
    latencies: list[tuple[float, str]] = []
    failures: list[str] = []
    stop = threading.Event()
    pid = server.process.pid

    def probe() -> None:
        while not stop.is_set():
            for path in PROBES:
                started = time.monotonic()
                try:
                    with urllib.request.urlopen(server.url + path, timeout=10) as answer:
                        status = answer.status
                        answer.read()
                except urllib.error.HTTPError as error:
                    status = error.code
                except OSError as error:
                    failures.append(f"{path}: {error}")
                    continue
                latencies.append((time.monotonic() - started, path))
                if status != 200:
                    failures.append(f"{path}: {status}")
            stop.wait(0.1)

    thread = threading.Thread(target=probe, daemon=True)
    thread.start()
    try:
        yield latencies
    finally:
        stop.set()
        thread.join(15)
    assert not failures, failures[:5]
    assert latencies, "no probe ran"
    slowest = max(latencies)
    assert slowest[0] < CHEAP, f"{slowest[1]} took {slowest[0]:.2f} s while the attack ran"
    assert server.process.poll() is None and server.process.pid == pid, server.output()[-3000:]
    assert send(server, "GET", "/healthz").status == 200


def in_parallel(*calls) -> list:
    """Run the callables in threads; their results (or exceptions) in order."""
    results: list = [None] * len(calls)

    def run(index: int, call) -> None:
        try:
            results[index] = call()
        except Exception as error:  # handed back to the test
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, c), daemon=True) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results
