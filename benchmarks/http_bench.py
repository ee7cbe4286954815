"""HTTP measurements against a running server: latency series and bounded throughput.

Every request carries a timeout; a request that misses it is recorded as
"timeout" and ends its series, so a slow backend costs at most its timeout.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import requests

from benchmarks.workload import Latency, QuestionRun, question_series, repeat

SPARQL_JSON = "application/sparql-results+json"


class SparqlClient:
    """POSTs queries (form-encoded, SPARQL 1.1 Protocol) to one endpoint; counts result rows."""

    def __init__(self, endpoint: str, timeout: float):
        self.endpoint = endpoint
        self.timeout = timeout
        self._local = threading.local()

    @property
    def session(self) -> requests.Session:
        if not hasattr(self._local, "session"):
            self._local.session = requests.Session()
        return self._local.session

    def select(self, sparql: str) -> int:
        try:
            response = self.session.post(self.endpoint, data={"query": sparql},
                                         headers={"Accept": SPARQL_JSON}, timeout=self.timeout)
        except requests.Timeout as error:
            raise TimeoutError(f"> {self.timeout:.0f} s") from error
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code}: {response.text[:120]}")
        return len(response.json()["results"]["bindings"])

    def get(self, url: str, *, stream: bool = False) -> int:
        """GET a page or download; return the bytes received (streamed in chunks)."""
        try:
            with self.session.get(url, timeout=self.timeout, stream=stream) as response:
                if response.status_code != 200:
                    raise RuntimeError(f"HTTP {response.status_code} for {url}")
                if not stream:
                    return len(response.content)
                return sum(len(c) for c in response.iter_content(1 << 16))
        except requests.Timeout as error:
            raise TimeoutError(f"> {self.timeout:.0f} s") from error

    def put_graph(self, url: str, body: bytes, token: str) -> int:
        response = self.session.put(url, data=body, timeout=self.timeout, headers={
            "Content-Type": "application/n-triples", "Authorization": f"Bearer {token}"})
        if response.status_code not in (200, 201, 204):
            raise RuntimeError(f"HTTP {response.status_code}: {response.text[:200]}")
        return 0


def question_latencies(client: SparqlClient, runs: list[QuestionRun], times: int,
                       budget: float, total_budget: float) -> dict[str, dict]:
    """p50/p95 of each curated question's SPARQL on this endpoint."""
    return question_series(runs, client.select, times, budget, total_budget, time.perf_counter)


def path_latency(client: SparqlClient, url: str, times: int, budget: float,
                 *, stream: bool = False) -> dict:
    latency: Latency = repeat(lambda: client.get(url, stream=stream), times, budget,
                              time.perf_counter)
    return latency.summary()


def throughput(call: Callable[[int], object], concurrency: int, seconds: float) -> dict:
    """Requests completed per second by ``concurrency`` clients during ``seconds``.

    ``call(i)`` makes the i-th request.  Clients start no new request after the
    deadline; requests in flight finish (each is bounded by its own timeout).
    """
    deadline = time.perf_counter() + seconds
    counter = iter(range(1 << 30))
    lock = threading.Lock()
    done, failures, timeouts = [0], [0], [0]

    def client() -> None:
        while time.perf_counter() < deadline:
            with lock:
                i = next(counter)
            try:
                call(i)
            except TimeoutError:
                timeouts[0] += 1
                continue
            except Exception:  # noqa: BLE001 - counted, reported beside the rate
                failures[0] += 1
                continue
            with lock:
                done[0] += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        for _ in range(concurrency):
            pool.submit(client)
    elapsed = time.perf_counter() - started
    return {"requests": done[0], "seconds": round(elapsed, 2),
            "per_second": round(done[0] / elapsed, 2), "failures": failures[0],
            "timeouts": timeouts[0], "concurrency": concurrency}
