"""HTTP measurements against a running server: latency series and bounded throughput.

Every request carries a timeout; a request that misses it is recorded as
"timeout" and ends its series, so a slow backend costs at most its timeout.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import requests

from benchmarks.answers import Answer
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

    def select(self, sparql: str) -> Answer:
        """The parsed answer; ``truncated`` when casegraph says it cut the rows."""
        try:
            response = self.session.post(self.endpoint, data={"query": sparql},
                                         headers={"Accept": SPARQL_JSON}, timeout=self.timeout)
        except requests.Timeout as error:
            raise TimeoutError(f"> {self.timeout:.0f} s") from error
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code}: {response.text[:120]}")
        truncated = response.headers.get("X-Casegraph-Truncated") == "true"
        return Answer.from_json(response.json(), truncated=truncated)

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


class WrongAnswer(Exception):
    """A throughput request answered with another row count than the series had."""


def throughput(call: Callable[[int], object], concurrency: int, seconds: float, *,
               min_requests: int = 0, max_seconds: float | None = None, clock=time.perf_counter
               ) -> dict:
    """Requests completed per second by ``concurrency`` clients.

    The window lasts ``seconds`` and then until ``min_requests`` have completed,
    but never past ``max_seconds``: a ratio of two rates counted over a handful
    of requests each says little, and the count is reported with the rate.
    ``call(i)`` makes the i-th request.  Clients start no new request after the
    window; requests in flight finish (each is bounded by its own timeout).
    ``WrongAnswer`` is counted apart from other failures.
    """
    started = clock()
    hard_stop = started + max(seconds, max_seconds if max_seconds is not None else seconds)
    counter = iter(range(1 << 30))
    lock = threading.Lock()
    done, failures, timeouts, wrong = [0], [0], [0], [0]
    failure_kinds: Counter[str] = Counter()  # "HTTP 503", "ConnectionError", …

    def open_window() -> bool:
        now = clock()
        return now < hard_stop and (now < started + seconds or done[0] < min_requests)

    def client() -> None:
        while open_window():
            with lock:
                i = next(counter)
            try:
                call(i)
            except TimeoutError:
                timeouts[0] += 1
                continue
            except WrongAnswer:
                wrong[0] += 1
                continue
            except Exception as error:  # noqa: BLE001 - counted, reported beside the rate
                status = re.match(r"HTTP \d{3}", str(error))
                with lock:
                    failures[0] += 1
                    failure_kinds[status.group() if status else type(error).__name__] += 1
                continue
            with lock:
                done[0] += 1

    with ThreadPoolExecutor(concurrency) as pool:
        for _ in range(concurrency):
            pool.submit(client)
    elapsed = clock() - started
    return {"requests": done[0], "seconds": round(elapsed, 2),
            "per_second": round(done[0] / elapsed, 2) if elapsed else None,
            "failures": failures[0], "failure_kinds": dict(failure_kinds),
            "timeouts": timeouts[0], "wrong_answers": wrong[0],
            "concurrency": concurrency, "min_requests": min_requests,
            "reached_min_requests": done[0] >= min_requests}


def mixed_questions(client: SparqlClient, mix: list[tuple[QuestionRun, int | None]]
                    ) -> Callable[[int], object]:
    """The i-th request of a throughput window: question ``i`` of the mix, its rows checked.

    The mix is the same list on every system (fixed by the reference system),
    with the row count each question answered there.
    """

    def call(i: int) -> None:
        run, expected = mix[i % len(mix)]
        rows = client.select(run.sparql).count
        if expected is not None and rows != expected:
            raise WrongAnswer(f"{run.id}: {rows} rows, expected {expected}")

    return call
