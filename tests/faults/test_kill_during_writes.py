"""kill -9 of ``casegraph serve`` in a stream of guarded writes: no acknowledged write lost.

One data directory lives through every round.  A client thread PUTs small case
graphs (five graphs, each rewritten with a rising version) and records each 2xx;
the server is SIGKILLed at a random moment, restarted on the same directory, and
every graph must hold exactly the content of its last acknowledged version, or of
the one write that was in flight at the kill (committed but not yet answered), and
never a mixture.
"""

from __future__ import annotations

import json
import random
import threading
import time
import urllib.error
import urllib.parse

import pytest
from rdflib import Graph

from tests.faults.conftest import (
    ID,
    case_graph,
    case_graph_iri,
    case_graph_turtle,
    start_serve,
)

pytestmark = [pytest.mark.faults, pytest.mark.remote, pytest.mark.timeout(400)]

ROUNDS = 20
SLUGS = [f"fault-kill-{i}" for i in range(5)]
BUNDLED = case_graph_iri("jinan-water-group")


class WriteStream:
    """Writes versions 1, 2, 3 … round-robin over SLUGS until the server stops answering."""

    def __init__(self, served, first_version: int):
        self.served = served
        self.version = first_version
        self.acknowledged: dict[str, int] = {}
        self.in_flight: tuple[str, int] | None = None
        self.acknowledged_count = 0
        self.first_ack = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while True:
            slug = SLUGS[self.version % len(SLUGS)]
            self.in_flight = (slug, self.version)
            try:
                status = self.served.put_graph(case_graph_iri(slug),
                                               case_graph_turtle(slug, self.version))
            except (urllib.error.URLError, ConnectionError, OSError):
                return  # killed: the in-flight write may or may not have committed
            assert status in (201, 204), status
            self.acknowledged[slug] = self.version
            self.acknowledged_count += 1
            self.in_flight = None
            self.version += 1
            self.first_ack.set()


def version_held(graph: Graph | None, slug: str, candidates: set[int]) -> int | None:
    """Which complete version ``graph`` is; fails on anything else (a partial write)."""
    if graph is None:
        return None
    for version in candidates:
        expected = case_graph(slug, version)
        if len(graph) == len(expected) and set(graph) == set(expected):
            return version
    raise AssertionError(f"{slug} holds {len(graph)} triples matching none of the versions "
                         f"{sorted(candidates)}: a partial or lost write")


def kill_mid_stream(served, version: int, rng: random.Random, round_: int, data_dir, log_dir):
    """Write a stream of versions from ``version``, kill -9 the server at a random moment
    after the first acknowledgement, start it again: (the stream, the new server)."""
    stream = WriteStream(served, version)
    stream.thread.start()
    assert stream.first_ack.wait(60), f"round {round_}: no write was acknowledged"
    time.sleep(rng.uniform(0.0, 1.2))
    served.kill_9()
    stream.thread.join(30)
    return stream, start_serve(data_dir, log_dir=log_dir)


def candidate_versions(slug: str, expected: dict[str, int], stream: WriteStream) -> set[int]:
    """The versions ``slug`` may hold: its last acknowledged one, and the one in flight."""
    candidates = {expected[slug]} if slug in expected else set()
    if stream.in_flight and stream.in_flight[0] == slug:
        candidates.add(stream.in_flight[1])
    return candidates


def test_kill_9_during_writes_loses_no_acknowledged_write(tmp_path):
    data_dir = tmp_path / "store"
    rng = random.Random(20240917)
    served = start_serve(data_dir, log_dir=tmp_path)
    bundled_before = served.graph(BUNDLED)
    committed: dict[str, int] = {}  # the version each graph held after the last restart
    total_acknowledged = checked = found = 0  # writes; graphs checked, graphs found
    try:
        version = 1
        for round_ in range(ROUNDS):
            stream, served = kill_mid_stream(served, version, rng, round_, data_dir, tmp_path)
            version = stream.version + 1
            expected = {**committed, **stream.acknowledged}
            for slug in SLUGS:
                held = version_held(served.graph(case_graph_iri(slug)), slug,
                                    candidate_versions(slug, expected, stream))
                if slug in expected:
                    assert held is not None, f"round {round_}: acknowledged {slug} is missing"
                if held is not None:
                    committed[slug] = held
            total_acknowledged += stream.acknowledged_count
            checked += len(stream.acknowledged)
            found += sum(committed[slug] >= v for slug, v in stream.acknowledged.items())
        assert found == checked
        assert served.graph(BUNDLED).isomorphic(bundled_before)
        print(f"{ROUNDS} kills survived; {total_acknowledged} writes acknowledged; "
              f"{found}/{checked} last acknowledged versions found after the restarts")
    finally:
        served.stop()


SEARCH_ROUNDS = 8


def test_kill_9_during_writes_leaves_no_stale_search_index(tmp_path):
    """After each kill the search index (kept beside the store, opened or rebuilt at
    start) names every branch by the version its graph holds: never a stale one."""
    data_dir = tmp_path / "store"
    rng = random.Random(20261207)
    served = start_serve(data_dir, log_dir=tmp_path)
    committed: dict[str, int] = {}
    try:
        version = 1
        for round_ in range(SEARCH_ROUNDS):
            stream, served = kill_mid_stream(served, version, rng, round_, data_dir, tmp_path)
            version = stream.version + 1
            deadline = time.monotonic() + 60
            while (health := served.get("/healthz")).status == 503:
                assert time.monotonic() < deadline, health.text
                time.sleep(0.1)
            answer = served.get("/search.json?" + urllib.parse.urlencode(
                {"q": "故障测试党支部", "group": "organisation", "limit": 50}))
            labels = {r["iri"]: r["labels"].get("zh-Hans")
                      for r in json.loads(answer.text)["results"]}
            expected = {**committed, **stream.acknowledged}
            for slug in SLUGS:
                held = version_held(served.graph(case_graph_iri(slug)), slug,
                                    candidate_versions(slug, expected, stream))
                branch = f"{ID}org/{slug}-branch"
                if held is None:
                    assert branch not in labels, f"round {round_}: {slug} is not stored"
                else:
                    committed[slug] = held
                    assert labels.get(branch) == f"故障测试党支部{held}", (round_, slug, held)
    finally:
        served.stop()
