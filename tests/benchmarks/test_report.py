"""The report prints ratios between equal answers only, worded from casegraph's side."""

from __future__ import annotations

import copy

import pytest

from benchmarks import report
from benchmarks.report import latency_comparison, relative, throughput_comparison


def series(p50: float, rows: int, digest: str, *, truncated: bool = False) -> dict:
    return {"p50_ms": p50, "p95_ms": p50 * 2, "failure": None, "rows": rows, "digest": digest,
            "truncated": truncated}


def window(per_second: float, requests: int, *, wrong: int = 0) -> dict:
    return {"per_second": per_second, "requests": requests, "wrong_answers": wrong,
            "min_requests": 200, "seconds": requests / per_second}


@pytest.fixture
def results() -> dict:
    slow = {"p50_ms": None, "p95_ms": None, "failure": "timeout (> 10 s)", "rows": None,
            "digest": None}
    mix = ["equal-q", "fast-q"]
    return {
        "date": "2000-01-01", "command": "python benchmarks/run.py --sizes 1k",
        "environment": {"nproc": 2, "cpu": "cpu", "memory_gb": 1, "python": "3.11",
                        "pyoxigraph": "0.5", "rdflib": "7", "oxigraph_server": "oxigraph 0.5",
                        "rdflib_endpoint": "0.6"},
        "row_cap": {"casegraph_max_result_rows": 10_000_000, "mode": "lifted"},
        "sizes": {"1k": {
            "cases": 1000, "quads": 5,
            "casegraph_http": {
                "questions": {"equal-q": series(3.14, 4, "d1"),
                              "fast-q": series(1.0, 7, "d3"),
                              "cut-q": series(595, 10000, "d4", truncated=True),
                              "reordered-q": series(2.0, 9, "d6")},
                "throughput_mix": mix, "ready_seconds": 4.2, "ready_state": "ok",
                "rss_at_ready_mb": 840.0, "restart": {"ready_seconds": 3.5},
                "throughput_c1": window(8.0, 250), "throughput_c8": window(30.0, 600)},
            "oxigraph_serve": {
                "questions": {"equal-q": series(2.0, 4, "d1"),
                              "fast-q": series(2.1, 7, "d3"),
                              "cut-q": series(3511, 30113, "d5"),
                              "reordered-q": series(2.0, 9, "d7")},
                "throughput_mix": mix, "rss_at_ready_mb": 100.0,
                "throughput_c1": window(10.0, 300), "throughput_c8": window(10.0, 300)},
            "rdflib_endpoint": {
                "questions": {"equal-q": slow, "fast-q": series(16.0, 7, "d3")},
                "throughput_mix": mix,
                "throughput_c1": {**window(0.5, 20), "timeouts": 6, "failures": 1}},
            "embedded": {"questions": {"equal-q": series(3.0, 4, "d1")}, "load_seconds": 1.5},
            "rdflib": {"failure": "phase timeout (> 420 s)"},
        }},
    }


@pytest.mark.parametrize(("ours", "theirs", "higher", "words"), [
    (3.14, 2.0, False, "1.57× slower"),  # a latency: casegraph took longer
    (1.0, 2.1, False, "2.10× faster"),
    (2.0, 2.0, False, "as fast (1.00×)"),
    (8.0, 10.0, True, "1.25× slower"),  # a rate: casegraph completed fewer
    (17.9, 10.0, True, "1.79× faster"),
    (5.0, 0.0, True, "∞ faster (the other completed none)"),
    (0.0, 5.0, True, "none completed"),
    (None, 5.0, True, "–"),
])
def test_ratios_are_worded_from_casegraphs_side_and_never_below_one(ours, theirs, higher, words):
    assert relative(ours, theirs, higher_is_better=higher) == words


def test_a_different_answer_is_a_mismatch_never_a_speed_up(results):
    size = results["sizes"]["1k"]
    cut = latency_comparison(size["casegraph_http"]["questions"]["cut-q"],
                             size["oxigraph_serve"]["questions"]["cut-q"])
    assert cut == "mismatch: 10000 rows (truncated) vs 30113"
    reordered = latency_comparison(size["casegraph_http"]["questions"]["reordered-q"],
                                   size["oxigraph_serve"]["questions"]["reordered-q"])
    assert reordered == "mismatch: same count (9), different rows"
    text = report.markdown(results)
    cut_line = next(line for line in text.splitlines() if line.startswith("| cut-q"))
    assert "faster" not in cut_line and "slower" not in cut_line
    assert "mismatch: 10000 rows (truncated) vs 30113" in cut_line
    assert "595 / 1190 ≠" in cut_line  # (b)'s cell is marked as differing from (c)
    assert "| (b) ≠ (c): 10000 rows (truncated) vs 30113 |" in cut_line
    assert "- no ratio, (b) and (c) answered differently: cut-q, reordered-q" in text


def test_equal_answers_get_ratios_and_slower_is_said_plainly(results):
    text = report.markdown(results)
    equal_line = next(line for line in text.splitlines() if line.startswith("| equal-q"))
    assert "| equal |" in equal_line and "| 1.57× slower |" in equal_line
    fast_line = next(line for line in text.splitlines() if line.startswith("| fast-q"))
    assert "| 2.10× faster | 16.00× faster |" in fast_line
    assert "- (b) is slower than (c) on: equal-q (1.57× slower)" in text
    assert "Row cap: lifted" in text and "CASEGRAPH_MAX_RESULT_ROWS=10000000" in text


def test_throughput_ratios_carry_both_request_counts(results):
    size = results["sizes"]["1k"]
    assert throughput_comparison(size, "oxigraph_serve", 1) == \
        "1.25× slower (250 vs 300 requests)"
    assert throughput_comparison(size, "oxigraph_serve", 8) == \
        "3.00× faster (600 vs 300 requests)"
    assert throughput_comparison(size, "rdflib_endpoint", 8) == "–"
    text = report.markdown(results)
    assert "| throughput c=1 (req/s, n requests) | – | 8 (n=250) | 10 (n=300) " \
        "| 0.5 (n=20, 6 timeouts, 1 failed) |" in text
    assert "- process-tree RSS at ready, (b) vs (c): 840 vs 100 MB = 8.40× the memory of (c)" \
        in text


def test_throughput_over_unequal_answers_or_mixes_is_not_compared(results):
    size = results["sizes"]["1k"]
    # (d) answered equal-q not at all, fast-q alike: only fewer requests than the minimum.
    assert throughput_comparison(size, "rdflib_endpoint", 1) == \
        "16.00× faster (250 vs 20 requests; fewer than 200)"
    mixed = copy.deepcopy(size)
    mixed["casegraph_http"]["throughput_mix"] = mixed["oxigraph_serve"]["throughput_mix"] = \
        ["equal-q", "cut-q"]
    assert throughput_comparison(mixed, "oxigraph_serve", 1) == \
        "not comparable: answers differ on cut-q"
    mixed["rdflib_endpoint"]["throughput_mix"] = ["fast-q"]
    assert throughput_comparison(mixed, "rdflib_endpoint", 1) == \
        "not comparable: different question mixes"
    wrong = copy.deepcopy(size)
    wrong["oxigraph_serve"]["throughput_c1"]["wrong_answers"] = 3
    assert throughput_comparison(wrong, "oxigraph_serve", 1) == \
        "not comparable: wrong row counts during the window (c) 3"


def test_report_shows_every_backend_and_failures(results):
    text = report.markdown(results)
    assert "(c) oxigraph serve" in text and "(e) rdflib in memory" in text
    assert "(e) rdflib in memory: phase timeout (> 420 s)" in text
    assert "| ready after start (s) | – | 4.2 | – |" in text
    assert "| restart to ready (s) | – | 3.5 | – |" in text
    results["sizes"]["1k"]["casegraph_http"]["ready_state"] = "degraded: {'search index': 'x'}"
    assert "Not fully ready when measured: (b) degraded" in report.markdown(results)
