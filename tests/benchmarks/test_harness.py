"""The benchmark harness measures what it says: series, failures, budgets, reports. No timings."""

from __future__ import annotations

import itertools
import os

import pyoxigraph as ox
import pytest

from benchmarks import report
from benchmarks.http_bench import throughput
from benchmarks.run import write_corpus
from benchmarks.servers import rss_bytes, tree_pids
from benchmarks.workload import (
    SYNTHETIC_PARAMETERS,
    TARGET_CROSS_CASE,
    Latency,
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


def test_throughput_counts_completed_requests_failures_and_timeouts():
    def call(i: int) -> None:
        if i % 3 == 1:
            raise TimeoutError
        if i % 3 == 2:
            raise RuntimeError("HTTP 500")

    result = throughput(call, concurrency=2, seconds=0.2)
    assert result["requests"] > 0 and result["timeouts"] > 0 and result["failures"] > 0
    assert result["concurrency"] == 2


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


@pytest.fixture
def results() -> dict:
    series = {"p50_ms": 2.0, "p95_ms": 3.0, "failure": None, "rows": 4}
    slow = {"p50_ms": None, "p95_ms": None, "failure": "timeout (> 10 s)", "rows": None}
    return {
        "date": "2000-01-01", "command": "python benchmarks/run.py --sizes 1k",
        "environment": {"nproc": 2, "cpu": "cpu", "memory_gb": 1, "python": "3.11",
                        "pyoxigraph": "0.5", "rdflib": "7", "oxigraph_server": "oxigraph 0.5",
                        "rdflib_endpoint": "0.6"},
        "sizes": {"1k": {
            "cases": 1000, "quads": 5,
            "casegraph_http": {"questions": {"q": series},
                               "throughput_c1": {"per_second": 8.0}},
            "oxigraph_serve": {"questions": {"q": {**series, "p50_ms": 1.0}},
                               "throughput_c1": {"per_second": 10.0}},
            "rdflib_endpoint": {"questions": {"q": slow}, "throughput_c1": {"per_second": 0.5}},
            "embedded": {"questions": {"q": series}, "load_seconds": 1.5},
            "rdflib": {"failure": "phase timeout (> 420 s)"},
        }},
    }


def test_report_shows_every_backend_ratios_and_failures(results):
    text = report.markdown(results)
    assert "(c) oxigraph serve" in text and "(e) rdflib in memory" in text
    assert "| q | 4 | 2 / 3 | 2 / 3 | 1 / 3 | timeout (> 10 s) / timeout (> 10 s) |" in text
    assert "| 2.00× |" in text  # (b)/(c) p50
    assert "c=1 0.80×" in text and "c=1 16.00×" in text
    assert "(e) rdflib in memory: phase timeout (> 420 s)" in text
    assert report.throughput_ratio(results["sizes"]["1k"], "oxigraph_serve", 8) is None
    results["sizes"]["1k"]["rdflib_endpoint"]["throughput_c1"]["per_second"] = 0
    assert "c=1 ∞ (the other completed none)" in report.markdown(results)
