"""Soak run: `casegraph serve --production` under a steady mixed load for N minutes.

16 client threads on loopback mix SPARQL queries, entity pages, searches,
question API calls and guarded Graph Store writes against a server on a temporary
data directory holding the bundled cases.  The run is bounded (a deadline, a
per-request timeout, a request cap) and stops by itself.  It prints requests by
kind, status counts, p50/p95 latency per kind, writes acknowledged against writes
found afterwards, and the server's resident memory sampled every few seconds.

Memory is judged after a warm-up of the same load (``--warmup-minutes``): RocksDB's
block caches (one per index, each bounded by its capacity) fill during the first
few thousand writes, which is growth towards a ceiling, not a leak.  Requests and
statuses count over the whole run.

    python benchmarks/soak.py --warmup-minutes 15 --minutes 10
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(ROOT))

from benchmarks.servers import free_port, stop_session  # noqa: E402

TOKEN = "soak-token"
ID = "https://w3id.org/casegraph/id/"
KINDS = {"query": 30, "entity": 25, "search": 20, "question": 20, "write": 5}
QUERIES = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?org ?label WHERE { ?org a <http://www.w3.org/ns/org#Organization> ; "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 50",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "ASK { ?s a <https://w3id.org/casegraph/ns#CaseDocument> }",
]
SEARCHES = ["济南热电", "濟南熱電", "党支部", "品牌", "水务", "award", "创新", "供热"]
SAMPLE_SECONDS = 5.0


def soak_case_graph(slug: str, version: int) -> str:
    """A minimal case graph the shapes accept (case document, branch, passage)."""
    quote = f"耐久测试党支部第{version}版"
    return f"""@prefix cg: <https://w3id.org/casegraph/ns#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@base <{ID}> .
<case/{slug}> a cg:CaseDocument ; dcterms:title "耐久测试 {slug}"@zh-Hans ;
  cg:caseGraph <graph/case/{slug}> ; cg:sourceTextFile "data/cases/{slug}/source.txt" ;
  cg:aboutOrganisation <org/{slug}-branch> .
<org/{slug}-branch> a cg:PartyBranch ; rdfs:label "耐久测试党支部{version}"@zh-Hans,
  "耐久測試黨支部{version}"@zh-Hant, "Soak test Party branch {version}"@en ;
  cg:statedIn <case/{slug}/passage/p01> .
<case/{slug}/passage/p01> a cg:Passage ; cg:quote "{quote}"@zh-Hans ;
  cg:charStart 0 ; cg:charEnd {len(quote)} ; dcterms:isPartOf <case/{slug}> .
"""


def process_tree_rss(root: int) -> dict[str, int]:
    """RSS in bytes of ``root`` and each of its descendants, keyed by a role label.

    Labels follow the tree's shape (``server``, ``server/1``, ``server/1/2`` …, numbered
    by pid order) so that one process's growth can be told from another's.
    """
    children: dict[int, list[int]] = collections.defaultdict(list)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                children[int(fields[1])].append(int(entry))
    sizes: dict[str, int] = {}
    stack = [(root, "server")]
    while stack:
        pid, label = stack.pop()
        for number, child in enumerate(sorted(children.get(pid, [])), 1):
            stack.append((child, f"{label}/{number}"))
        with contextlib.suppress(OSError):
            pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
            sizes[label] = pages * os.sysconf("SC_PAGE_SIZE")
    return sizes


class Soak:
    def __init__(self, base: str, minutes: float, concurrency: int, max_requests: int,
                 kinds: dict[str, int], warmup_minutes: float = 0.0):
        self.base = base
        self.kinds = kinds
        self.warmup_seconds = warmup_minutes * 60
        self.deadline = time.monotonic() + self.warmup_seconds + minutes * 60
        self.concurrency = concurrency
        self.max_requests = max_requests
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = collections.defaultdict(list)
        self.statuses: dict[str, collections.Counter] = collections.defaultdict(
            collections.Counter)
        self.acknowledged: dict[str, int] = {}
        self.acknowledged_writes = 0
        self.sent = 0
        self.entities: list[str] = []
        self.questions: list[str] = []

    def prepare(self, session: requests.Session) -> None:
        """Entity pages and parameter-free questions to draw from."""
        query = ("SELECT DISTINCT ?e WHERE { ?e a ?t . FILTER(STRSTARTS(STR(?e), "
                 f'"{ID}org/") || STRSTARTS(STR(?e), "{ID}case/")) }} LIMIT 300')
        answer = session.post(self.base + "/sparql", data={"query": query},
                              headers={"Accept": "application/sparql-results+json"}, timeout=60)
        answer.raise_for_status()
        self.entities = [b["e"]["value"][len(ID):] for b in answer.json()["results"]["bindings"]]
        for path in sorted(Path(__file__).resolve().parents[1].glob(
                "service/casegraph/questions/*.rq")):
            if session.get(f"{self.base}/api/questions/{path.stem}.json",
                           timeout=60).status_code == 200:
                self.questions.append(path.stem)

    def request(self, session: requests.Session, kind: str, rng: random.Random,
                worker: int) -> None:
        version = None
        if kind == "query":
            call = lambda: session.post(  # noqa: E731
                self.base + "/sparql", data={"query": rng.choice(QUERIES)},
                headers={"Accept": "application/sparql-results+json"}, timeout=30)
        elif kind == "entity":
            call = lambda: session.get(f"{self.base}/id/{rng.choice(self.entities)}",  # noqa: E731
                                       headers={"Accept": "text/html"}, timeout=30)
        elif kind == "search":
            call = lambda: session.get(self.base + "/search.json",  # noqa: E731
                                       params={"q": rng.choice(SEARCHES)}, timeout=30)
        elif kind == "question":
            call = lambda: session.get(  # noqa: E731
                f"{self.base}/api/questions/{rng.choice(self.questions)}.json", timeout=30)
        else:
            slug = f"soak-{worker}-{rng.randrange(3)}"
            with self.lock:
                version = self.acknowledged.get(slug, 0) + 1
            call = lambda: session.put(  # noqa: E731
                self.base + "/store", params={"graph": f"{ID}graph/case/{slug}"},
                data=soak_case_graph(slug, version).encode("utf-8"),
                headers={"Content-Type": "text/turtle",
                         "Authorization": f"Bearer {TOKEN}"}, timeout=30)
        started = time.perf_counter()
        try:
            status = str(call().status_code)
        except requests.RequestException as error:
            status = type(error).__name__
        elapsed = time.perf_counter() - started
        with self.lock:
            self.latencies[kind].append(elapsed)
            self.statuses[kind][status] += 1
            if version is not None and status in ("201", "204"):
                self.acknowledged[slug] = version
                self.acknowledged_writes += 1

    def client(self, worker: int) -> None:
        rng = random.Random(worker)
        session = requests.Session()
        kinds, weights = list(self.kinds), list(self.kinds.values())
        while time.monotonic() < self.deadline:
            with self.lock:
                if self.sent >= self.max_requests:
                    return
                self.sent += 1
            self.request(session, rng.choices(kinds, weights)[0], rng, worker)

    def run(self, server_pid: int) -> list[tuple[float, dict[str, int]]]:
        samples: list[tuple[float, dict[str, int]]] = []
        start = time.monotonic()
        threads = [threading.Thread(target=self.client, args=(i,), daemon=True)
                   for i in range(self.concurrency)]
        for thread in threads:
            thread.start()
        while any(thread.is_alive() for thread in threads):
            samples.append((time.monotonic() - start, process_tree_rss(server_pid)))
            for thread in threads:
                thread.join(SAMPLE_SECONDS / len(threads))
        samples.append((time.monotonic() - start, process_tree_rss(server_pid)))
        return samples

    def writes_found(self, session: requests.Session) -> int:
        """How many written graphs hold exactly their last acknowledged version."""
        found = 0
        for slug, version in self.acknowledged.items():
            answer = session.get(self.base + "/store", params={"graph": f"{ID}graph/case/{slug}"},
                                 headers={"Accept": "text/turtle"}, timeout=60)
            found += answer.status_code == 200 and f"耐久测试党支部{version}\"".encode() \
                in answer.content
        return found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(soak: Soak, samples, found: int, minutes: float) -> None:
    total = sum(len(v) for v in soak.latencies.values())
    minutes += soak.warmup_seconds / 60
    print(f"\nsoak: {minutes:g} min ({soak.warmup_seconds / 60:g} of them warm-up), "
          f"concurrency {soak.concurrency}, {total} requests "
          f"({total / (minutes * 60):.1f}/s); machine: {os.cpu_count()} CPUs, "
          f"{platform.python_implementation()} {platform.python_version()}")
    print(f"{'kind':<10}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}  statuses")
    all_statuses: collections.Counter = collections.Counter()
    for kind in KINDS:
        values = soak.latencies.get(kind, [])
        all_statuses.update(soak.statuses[kind])
        if values:
            print(f"{kind:<10}{len(values):>9}{percentile(values, .5) * 1000:>9.0f}"
                  f"{percentile(values, .95) * 1000:>9.0f}  {dict(soak.statuses[kind])}")
    errors = sum(n for status, n in all_statuses.items() if not status.startswith(("2", "3")))
    print(f"statuses: {dict(all_statuses)}; non-2xx/3xx: {errors}")
    print(f"writes: {soak.acknowledged_writes} acknowledged; {found}/{len(soak.acknowledged)} "
          "written graphs hold their last acknowledged version")
    mib = 1024 * 1024
    trees = [sum(sizes.values()) for _, sizes in samples]
    print("RSS (MiB) of the server process tree, every ~5 s:")
    print("  " + " ".join(f"{tree / mib:.0f}" for tree in trees))
    measured = [(at, sizes) for at, sizes in samples if at >= soak.warmup_seconds] or samples
    window = [sum(sizes.values()) for _, sizes in measured]
    half = len(window) // 2
    print(f"  start {trees[0] / mib:.0f}; measured window (after the warm-up): first "
          f"{window[0] / mib:.0f}, max {max(window) / mib:.0f}, last {window[-1] / mib:.0f}; "
          f"mean of its first half {statistics.mean(window[:half] or window) / mib:.0f}, "
          f"of its second half {statistics.mean(window[half:]) / mib:.0f} "
          f"(± {statistics.pstdev(window[half:]) / mib:.0f})")
    print("RSS (MiB) per process (server = the casegraph command; /n = its n-th child): "
          "start / end of warm-up / end:")
    for label in sorted(samples[-1][1]):
        print(f"  {label:<14}{samples[0][1].get(label, 0) / mib:>7.0f}"
              f"{measured[0][1].get(label, 0) / mib:>7.0f}{samples[-1][1][label] / mib:>7.0f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0,
                        help="the measured window, after the warm-up")
    parser.add_argument("--warmup-minutes", type=float, default=15.0,
                        help="the same load first, while caches fill (memory judged after it)")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--max-requests", type=int, default=2_000_000)
    parser.add_argument("--without", action="append", default=[], choices=sorted(KINDS),
                        help="leave a kind of request out (repeatable), e.g. to tell "
                             "the writes' share of memory growth from the reads'")
    arguments = parser.parse_args()
    casegraph = shutil.which("casegraph")
    command = [casegraph] if casegraph else [sys.executable, "-m", "casegraph.cli"]
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="casegraph-soak-") as scratch:
        log = open(Path(scratch) / "serve.log", "wb")  # noqa: SIM115 (closed below)
        server = subprocess.Popen(
            [*command, "serve", "--production", "--port", str(port), "--data-dir",
             str(Path(scratch) / "store"), "--update-token", TOKEN],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        session = requests.Session()
        try:
            for _ in range(600):
                with contextlib.suppress(requests.RequestException):
                    if session.get(base + "/healthz", timeout=2).ok:
                        break
                if server.poll() is not None:
                    raise SystemExit(f"casegraph serve exited: {server.returncode}")
                time.sleep(0.2)
            kinds = {kind: weight for kind, weight in KINDS.items() if kind not in arguments.without}
            soak = Soak(base, arguments.minutes, arguments.concurrency, arguments.max_requests,
                        kinds, arguments.warmup_minutes)
            soak.prepare(session)
            samples = soak.run(server.pid)
            found = soak.writes_found(session)
            report(soak, samples, found, arguments.minutes)
            log.flush()
            errors = [line for line in (Path(scratch) / "serve.log").read_text(
                errors="replace").splitlines() if "error" in line.lower()]
            if errors:
                print(f"server log, {len(errors)} error line(s), the last 20:")
                print("\n".join("  " + line for line in errors[-20:]))
        finally:
            stop_session(server)
            log.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
