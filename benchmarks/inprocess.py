"""In-process phases, each run in a fresh child process so its memory is its own.

``embedded``: casegraph's embedded store (``open_store(Settings(store="oxigraph"))``):
bulk load, the curated questions through ``Store.query``, and the pages,
search and export through the Flask app in the same process (test client, no
socket).  ``rdflib``: a plain rdflib ``Dataset`` (default union) answering the
same SPARQL.  ``validation``: whole-corpus SHACL validation of the corpus file, as
``casegraph validate --dump`` runs it (one process per CPU).

Usage: ``python -m benchmarks.inprocess PHASE --corpus FILE --out FRAGMENT.json``
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import time
import tracemalloc
from pathlib import Path

from benchmarks.answers import Answer
from benchmarks.servers import rss_bytes
from benchmarks.workload import (
    ENTITY_PAGES,
    EXPORT_REQUEST,
    SEARCH_REQUESTS,
    question_runs,
    question_series,
    repeat,
)

CLOCK = time.perf_counter


def _memory(extra: dict | None = None) -> dict:
    return {"peak_rss_mb": round(rss_bytes(os.getpid(), "VmHWM") / 2**20, 1), **(extra or {})}


def embedded(corpus: Path, data_dir: Path, times: int, budget: float) -> dict:
    from casegraph.config import Settings
    from casegraph.store import open_store
    from casegraph.web import create_app
    from casegraph.web.context import SEARCH_KEY

    settings = Settings(store="oxigraph", data_dir=data_dir, query_timeout=60.0)
    store = open_store(settings)
    t0 = CLOCK()
    store.bulk_load(corpus, "application/n-quads")
    load_seconds = CLOCK() - t0
    quads = store.triple_count()
    t0 = CLOCK()
    store.start()
    store.query("ASK { ?s ?p ?o }")  # waits for the replicas to hold the snapshot
    workers_seconds = CLOCK() - t0
    tracemalloc.start()
    questions = {}
    for run in question_runs():
        latency = repeat(lambda run=run: casegraph_answer(store.query(run.sparql)), times,
                         budget, CLOCK)
        questions[run.id] = latency.summary()
    t0 = CLOCK()
    app = create_app(settings, store=store)
    # The search index builds in the background; pages timed meanwhile would share the CPU
    # with it and searches would wait for it, as /healthz says ("starting") over HTTP.
    app.extensions[SEARCH_KEY].wait_for_build(None)
    app_seconds = CLOCK() - t0
    client = app.test_client()

    def get(path: str, stream: bool = False) -> int:
        response = client.get(path, buffered=not stream)
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code} for {path}")
        size = sum(len(chunk) for chunk in response.response) if stream else len(response.data)
        response.close()
        return size

    pages = {path: repeat(lambda path=path: get(path), times, budget, CLOCK).summary()
             for path in ENTITY_PAGES}
    search = {path: repeat(lambda path=path: get(path), times * 2, budget, CLOCK).summary()
              for path in SEARCH_REQUESTS}
    export = repeat(lambda: get(EXPORT_REQUEST, stream=True), 1, budget, CLOCK).summary()
    _, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    store.close()
    return {
        "quads": quads,
        "load_seconds": round(load_seconds, 3),
        "triples_per_second": round(quads / load_seconds),
        "workers_ready_seconds": round(workers_seconds, 2),
        "app_start_seconds": round(app_seconds, 2),
        "questions": questions,
        "pages": pages,
        "search": search,
        "export": export,
        "memory": _memory({"python_heap_peak_mb": round(python_peak / 2**20, 1),
                           "note": "this process only; replica workers are separate processes"}),
    }


def casegraph_answer(result) -> Answer:
    """A casegraph ``QueryResult`` as an ``Answer`` (ASK: one ``boolean`` row, as over HTTP)."""
    from rdflib import Literal

    if result.kind == "boolean":
        return Answer.from_rdflib(["boolean"], [(Literal(bool(result.boolean)),)])
    return Answer.from_rdflib(result.variables, result.rows, truncated=result.truncated)


def plain_rdflib(corpus: Path, times: int, budget: float, timeout: float,
                 total_budget: float) -> dict:
    from rdflib import Dataset, Literal

    dataset = Dataset(default_union=True)
    t0 = CLOCK()
    dataset.parse(corpus, format="nquads")
    load_seconds = CLOCK() - t0
    quads = len(dataset)

    def bounded_query(sparql: str) -> int:
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            result = dataset.query(sparql)
            if result.type == "ASK":
                return Answer.from_rdflib(["boolean"], [(Literal(bool(result.askAnswer)),)])
            return Answer.from_rdflib(result.vars or [], [tuple(row) for row in result])
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    questions = question_series(question_runs(), bounded_query, times, budget, total_budget,
                                CLOCK)
    return {"quads": quads, "load_seconds": round(load_seconds, 3),
            "triples_per_second": round(quads / load_seconds),
            "questions": questions, "memory": _memory()}


def _alarm(_signum, _frame):
    raise TimeoutError("query time limit")


def whole_corpus_validation(corpus: Path) -> dict:
    """Validate every case graph of the corpus dump (``validate_dump``, one process per CPU)."""
    import os

    from casegraph.shacl.validation import validate_dump

    started = CLOCK()
    report = validate_dump(corpus)
    elapsed = CLOCK() - started
    violations = [r for r in report.results if r.severity == "Violation"]
    return {"case_graphs": len(report.validated), "processes": os.cpu_count(),
            "seconds": round(elapsed, 2), "violations": len(violations),
            "graphs_with_violations": sorted({str(r.graph) for r in violations})[:20]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("phase", choices=["embedded", "rdflib", "validation"])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--times", type=int, default=5)
    parser.add_argument("--budget", type=float, default=10.0)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--question-budget", type=float, default=90.0)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGALRM, _alarm)
    if args.phase == "embedded":
        result = embedded(args.corpus, args.data_dir, args.times, args.budget)
    elif args.phase == "rdflib":
        result = plain_rdflib(args.corpus, args.times, args.budget, args.timeout,
                              args.question_budget)
    else:
        result = whole_corpus_validation(args.corpus)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
