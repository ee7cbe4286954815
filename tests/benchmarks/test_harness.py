"""The benchmark harness measures what it says: series, failures, budgets, reports. No timings."""

from __future__ import annotations

import itertools
import json
import os
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from benchmarks.answers import Answer
from benchmarks.http_bench import WrongAnswer, mixed_questions, throughput
from benchmarks.run import write_corpus
from benchmarks.servers import (
    casegraph_ready,
    child_environment,
    command_path,
    rss_bytes,
    tree_pids,
)
from benchmarks.workload import (
    SYNTHETIC_PARAMETERS,
    TARGET_CROSS_CASE,
    Latency,
    QuestionRun,
    question_runs,
    question_series,
    repeat,
)
from casegraph.sparql.catalogue import load_catalogue


class FakeClock:
    """Each call advances one second: budgets and latencies become exact."""

    def __init__(self):
        self.now = itertools.count()

    def __call__(self) -> float:
        return float(next(self.now))


def test_percentiles_pick_observed_samples():
    latency = Latency([0.005, 0.001, 0.003, 0.002, 0.004])
    assert latency.p(0.5) == 0.003
    assert latency.p(0.95) == 0.005
    assert latency.summary()["p50_ms"] == 3.0
    assert Latency([], "timeout").summary()["p50_ms"] is None


def test_repeat_records_a_timeout_and_stops_the_series():
    calls = []

    def call():
        calls.append(1)
        if len(calls) == 2:
            raise TimeoutError("> 1 s")
        return 7

    latency = repeat(call, 5, budget=100, clock=FakeClock())
    assert len(calls) == 2
    assert latency.failure == "timeout (> 1 s)"
    assert latency.rows == 7 and len(latency.samples) == 1


def test_repeat_turns_errors_into_failures_and_respects_the_budget():
    failing = repeat(lambda: 1 / 0, 5, budget=100, clock=FakeClock())
    assert failing.failure.startswith("ZeroDivisionError") and not failing.samples
    # The fake clock advances one second per reading: three readings per call.
    bounded = repeat(lambda: 1, 100, budget=5, clock=FakeClock())
    assert 1 <= len(bounded.samples) < 100


def test_question_series_skips_the_rest_once_its_budget_is_spent():
    runs = question_runs()
    results = question_series(runs, lambda sparql: 1, 1, budget=100, total_budget=10,
                              clock=FakeClock())
    assert set(results) == {r.id for r in runs}
    skipped = [q for q, s in results.items() if s["failure"] and "skipped" in s["failure"]]
    assert skipped and len(skipped) < len(runs)


def test_every_curated_question_is_run_and_synthetic_parameters_are_declared():
    runs = {r.id: r for r in question_runs()}
    assert set(runs) == set(load_catalogue())
    for qid, args in SYNTHETIC_PARAMETERS.items():
        declared = {p.name for p in load_catalogue()[qid].parameters}
        assert set(args) <= declared, qid
        for value in args.values():
            assert f"<https://w3id.org/casegraph/id/{value[3:]}>" in runs[qid].sparql
    assert set(TARGET_CROSS_CASE) <= set(runs)


def test_cross_case_questions_have_work_to_do_on_the_synthetic_corpus(tmp_path):
    """The questions find synthetic rows (not only curated ones) through the shared nodes."""
    write_corpus(150, tmp_path / "dataset.nq")
    store = ox.Store()
    store.load(path=str(tmp_path / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    runs = {r.id: r for r in question_runs()}
    for qid in (*TARGET_CROSS_CASE, "brands-of-group", "passages-about"):
        rows = list(store.query(runs[qid].sparql, use_default_graph_as_union=True))
        synthetic = [r for r in rows if any("/synthetic/" in str(t) for t in r)]
        assert len(synthetic) > 1, f"{qid} finds no cross-case synthetic rows"


def test_throughput_counts_completed_requests_failures_timeouts_and_wrong_answers():
    def call(i: int) -> None:
        if i % 4 == 1:
            raise TimeoutError
        if i % 4 == 2:
            raise RuntimeError("HTTP 500")
        if i % 4 == 3:
            raise WrongAnswer("q: 3 rows, expected 4")

    result = throughput(call, concurrency=2, seconds=0.2)
    assert result["requests"] > 0 and result["timeouts"] > 0 and result["failures"] > 0
    assert result["wrong_answers"] > 0
    assert result["concurrency"] == 2
    # Failures say what they were, so a refusal (503) is not mistaken for a crash.
    assert result["failure_kinds"] == {"HTTP 500": result["failures"]}


def test_a_throughput_window_lasts_until_it_counted_the_minimum_of_requests():
    clock = FakeClock()  # each reading is one second later: 3 s pass within a few requests
    result = throughput(lambda i: None, concurrency=1, seconds=3, min_requests=200,
                        max_seconds=10_000, clock=clock)
    assert result["requests"] >= 200 and result["reached_min_requests"]
    short = throughput(lambda i: None, concurrency=1, seconds=3, clock=FakeClock())
    assert short["requests"] < 200


def test_a_throughput_window_never_outlasts_its_maximum():
    result = throughput(lambda i: None, concurrency=1, seconds=3, min_requests=10**6,
                        max_seconds=50, clock=FakeClock())
    assert 0 < result["requests"] < 50
    assert not result["reached_min_requests"] and result["min_requests"] == 10**6


def test_the_throughput_mix_checks_each_answer_against_the_reference_rows():
    class Client:
        def select(self, sparql: str) -> Answer:
            rows = [{"x": {"type": "uri", "value": "http://a"}}] * (2 if "two" in sparql else 1)
            return Answer.from_json({"head": {"vars": ["x"]}, "results": {"bindings": rows}})

    one = QuestionRun("one", {}, "SELECT one", False)
    two = QuestionRun("two", {}, "SELECT two", False)
    call = mixed_questions(Client(), [(one, 1), (two, 1)])
    call(0)
    with pytest.raises(WrongAnswer, match="two: 2 rows, expected 1"):
        call(1)
    mixed_questions(Client(), [(two, None)])(0)  # no reference count: nothing to check


def test_repeat_hashes_the_first_answer_outside_the_timed_call_and_the_budget():
    clock = FakeClock()

    class SlowToHash(Answer):
        def digest(self) -> str:
            for _ in range(5):  # hashing takes five clock readings ("seconds")
                clock()
            return super().digest()

    rows = [{"x": {"type": "literal", "value": str(i)}} for i in range(3)]
    answer = SlowToHash(["x"], rows, "json", truncated=True)
    latency = repeat(lambda: answer, 3, budget=4, clock=clock)
    # Timed inside the call, the sample would be 6 s; counted in the budget, one sample.
    assert latency.samples == [1.0, 1.0]
    assert latency.rows == 3 and latency.digest == answer.digest() and latency.truncated
    summary = latency.summary()
    assert (summary["rows"], summary["digest"], summary["truncated"]) == (3, answer.digest(), True)


def test_commands_are_found_beside_the_interpreter_without_an_activated_venv(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    beside = Path(sys.executable).parent / "casegraph"
    assert beside.is_file(), "the tests run with the venv's python, which has casegraph"
    assert command_path("casegraph") == str(beside)
    assert child_environment()["PATH"].split(os.pathsep)[0] == str(Path(sys.executable).parent)
    with pytest.raises(FileNotFoundError, match=r"pip install -e '\.\[bench\]'"):
        command_path("no-such-casegraph-command")


def _response(status: int, body: dict) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode()
    return response


def test_casegraph_is_ready_only_when_healthz_says_ok_and_degraded_is_named():
    assert casegraph_ready(_response(503, {"status": "starting",
                                           "warming": {"search index": "being built"}})) is None
    assert casegraph_ready(_response(200, {"status": "ok", "graphs": 3})) == "ok"
    degraded = casegraph_ready(_response(200, {"status": "degraded",
                                               "degraded": {"search index": "x"}}))
    assert degraded.startswith("degraded:") and "search index" in degraded


def test_the_corpus_file_holds_the_bundled_data_and_the_synthetic_cases(tmp_path):
    path = tmp_path / "dataset.nq"
    count = write_corpus(3, path)
    quads = list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))
    assert len(quads) == count
    graphs = {q.graph_name.value for q in quads}
    assert "https://w3id.org/casegraph/id/graph/ontology" in graphs
    assert sum("/synthetic/graph/case/" in g for g in graphs) == 3
    assert any("/id/graph/case/" in g and "synthetic" not in g for g in graphs)


def test_memory_of_a_process_tree_includes_this_process():
    assert os.getpid() in tree_pids(os.getpid())
    assert rss_bytes(os.getpid()) > 0
    assert rss_bytes(os.getpid(), "VmHWM") >= rss_bytes(os.getpid())
