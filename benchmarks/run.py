"""Run the benchmark: the same queries on the same data, five ways, side by side in one run.

(a) casegraph embedded in-process, (b) casegraph over HTTP (``casegraph serve
--production``: waitress), (c) ``oxigraph serve``, (d) rdflib-endpoint, (e)
plain rdflib.  For each corpus size it generates the synthetic corpus (plus
the bundled ontology and curated cases), measures load time, memory, the
latency of every curated question, of pages, search and export, HTTP
throughput at concurrency 1 and 8, SHACL validation of the corpus and of one
guarded write, and writes ``results-<date>.json`` and ``.md`` to ``--out``.

Every series records its answer (row count and digest, ``benchmarks/answers.py``)
and the report prints a ratio only between equal answers; casegraph runs with
its row cap lifted (``--max-rows``) so that it returns whole answers, as the
other systems do.  casegraph is measured once ``/healthz`` says ``ok`` (query
workers loaded, search index built).  Throughput windows run until
``--throughput-requests`` requests completed (within ``--throughput-max-seconds``).

Everything is bounded: repetitions stop at a per-series time budget and
every request has a timeout; a backend that misses it is reported as
"timeout", never waited for.

Usage: ``python benchmarks/run.py --sizes 1k,10k [--with-50k] [--out benchmarks/out]``, with
the interpreter of the venv ``pip install -e '.[bench]'`` went into (activated or not).
"""

from __future__ import annotations

import argparse
import datetime
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(ROOT))

from benchmarks import environment, report  # noqa: E402
from benchmarks.generate import generate  # noqa: E402
from benchmarks.http_bench import (  # noqa: E402
    SparqlClient,
    mixed_questions,
    path_latency,
    question_latencies,
    throughput,
)
from benchmarks.servers import (  # noqa: E402
    MemoryWatch,
    Server,
    casegraph_server,
    load_oxigraph,
    oxigraph_server,
    rdflib_endpoint_server,
)
from benchmarks.workload import (  # noqa: E402
    ENTITY_PAGES,
    EXPORT_REQUEST,
    SEARCH_REQUESTS,
    QuestionRun,
    question_runs,
    repeat,
)

SIZES = {"1k": 1_000, "2k": 2_000, "10k": 10_000, "50k": 50_000}
SEED = 7
TOKEN = "benchmark-token"


def write_corpus(cases: int, path: Path) -> int:
    """Bundled ontology and curated cases, then ``cases`` synthetic cases: one N-Quads file.

    The bundled part is what ``casegraph serve`` loads on first start, so every
    backend holds exactly what the casegraph server would hold.
    """
    import pyoxigraph as ox

    from casegraph import paths
    from casegraph.config import Settings
    from casegraph.store.bootstrap import ontology_graph_iri, rebased_quads

    settings = Settings()
    ontology = ox.NamedNode(str(ontology_graph_iri(settings)))
    bundled = [(p, ontology) for p in paths.ontology_files()]
    bundled += [(p, None) for p in paths.case_files()]
    quads = [q for p, graph in bundled for q in rebased_quads(p, settings.base_iri, graph)]
    count = len(quads)
    with path.open("wb") as out:
        out.write(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
        for line in generate(cases, SEED):
            out.write(line.encode("utf-8"))
            count += 1
    return count


def child_phase(phase: str, corpus: Path, work: Path, args, *extra: str) -> dict:
    """Run one in-process phase in a fresh interpreter; its JSON fragment is the result."""
    fragment = work / f"{phase}.json"
    command = [sys.executable, "-m", "benchmarks.inprocess", phase, "--corpus", str(corpus),
               "--out", str(fragment), "--times", str(args.times), "--budget",
               str(args.budget), "--timeout", str(args.timeout),
               "--question-budget", str(args.question_budget), *extra]
    try:
        subprocess.run(command, cwd=ROOT, check=True, timeout=args.phase_timeout)
    except subprocess.TimeoutExpired:
        return {"failure": f"phase timeout (> {args.phase_timeout:.0f} s)"}
    except subprocess.CalledProcessError as error:
        return {"failure": f"exit status {error.returncode}"}
    return json.loads(fragment.read_text(encoding="utf-8"))


def http_common(server: Server, endpoint: str, args,
                mix: list[tuple[QuestionRun, int | None]] | None) -> dict:
    """Question latencies and throughput at concurrency 1 and 8 on one SPARQL endpoint.

    Throughput mixes the questions of ``mix`` with the row counts they had on the
    reference system (``oxigraph serve``), so every system's rate is over the same
    requests; the reference passes None and sets the mix from its own answers.
    """
    client = SparqlClient(server.url + endpoint, args.timeout)
    runs = question_runs()
    result = {"questions": question_latencies(client, runs, args.times, args.budget,
                                              args.question_budget)}
    if mix is None:
        mix = reference_mix(runs, result["questions"])
    result["throughput_mix"] = [run.id for run, _ in mix]
    if mix:
        for concurrency in (1, 8):
            result[f"throughput_c{concurrency}"] = throughput(
                mixed_questions(client, mix), concurrency, args.throughput_seconds,
                min_requests=args.throughput_requests,
                max_seconds=args.throughput_max_seconds)
    return result


def reference_mix(runs: list[QuestionRun], questions: dict[str, dict]
                  ) -> list[tuple[QuestionRun, int | None]]:
    """The throughput mix: every question the reference answered in time, with its rows."""
    return [(run, questions[run.id]["rows"]) for run in runs
            if questions[run.id]["failure"] is None]


def ready_figures(server: Server, timeout: float) -> dict:
    """Seconds from the process start to ready, what the probe said, and the tree's RSS then."""
    seconds = server.wait_ready(timeout)
    return {"ready_seconds": round(seconds, 2), "ready_state": server.state,
            "rss_at_ready_mb": round(server.tree_rss() / 2**20, 1),
            "pss_at_ready_mb": round(server.tree_pss() / 2**20, 1)}


def restart(start: Callable[[], Server], timeout: float) -> dict:
    """Start the server again on the data it already holds: restart-to-ready and RSS then."""
    server = start()
    try:
        return ready_figures(server, timeout)
    finally:
        server.stop()


def bench_casegraph_http(data_dir: Path, corpus: Path, work: Path, args,
                         mix: list[tuple[QuestionRun, int | None]] | None) -> dict:
    def start() -> Server:
        return casegraph_server(data_dir, TOKEN, work / "casegraph.log", max_rows=args.max_rows)

    server = start()
    try:
        result = ready_figures(server, args.phase_timeout)
        result |= http_common(server, "/sparql", args, mix)
        client = SparqlClient(server.url, args.timeout)
        result["questions_api"] = {
            run.id: path_latency(client, server.url + run.api_path, args.times, args.budget)
            for run in question_runs()}
        result["pages"] = {p: path_latency(client, server.url + p, args.times, args.budget)
                           for p in ENTITY_PAGES}
        result["search"] = {p: path_latency(client, server.url + p, args.times * 2, args.budget)
                            for p in SEARCH_REQUESTS}
        before = server.tree_rss()
        during = MemoryWatch(server.process.pid)
        result["export"] = path_latency(client, server.url + EXPORT_REQUEST, 1, args.budget,
                                        stream=True)
        result["export"]["tree_rss_before_mb"] = round(before / 2**20, 1)
        result["export"]["tree_rss_peak_mb"] = round(during.stop() / 2**20, 1)
        result["guarded_write"] = guarded_write(client, server.url, corpus, args)
    finally:
        result_peak = server.stop()
    result["memory"] = {"peak_rss_mb": round(result_peak / 2**20, 1),
                        "note": "sum over the server process and its query worker processes"}
    result["restart"] = restart(start, args.phase_timeout)
    return result


def guarded_write(client: SparqlClient, base: str, corpus: Path, args) -> dict:
    """PUT one synthetic case graph back with its own content: validated, then committed."""
    iri = "https://w3id.org/casegraph/id/synthetic/graph/case/case-000000"
    marker = f"<{iri}> .\n"
    body = "".join(line[: -len(marker)] + ".\n" for line in _lines_of_graph(corpus, marker))
    url = f"{base}/store?graph={iri}"
    return repeat(lambda: client.put_graph(url, body.encode("utf-8"), TOKEN), args.times,
                  args.budget, time.perf_counter).summary()


def _lines_of_graph(corpus: Path, marker: str):
    with corpus.open(encoding="utf-8") as lines:
        for line in lines:
            if line.endswith(marker):
                yield line


def bench_oxigraph(corpus: Path, work: Path, args) -> dict:
    location = work / "oxigraph-serve"
    t0 = time.perf_counter()
    load_oxigraph(corpus, location, args.phase_timeout)
    load_seconds = time.perf_counter() - t0

    def start() -> Server:
        return oxigraph_server(location, work / "oxigraph.log")

    server = start()
    try:
        result = {"load_seconds": round(load_seconds, 2), **ready_figures(server, 60),
                  **http_common(server, "/query", args, None)}
        client = SparqlClient(server.url, args.timeout)
        client.session.headers["Accept"] = "application/n-quads"
        result["export"] = path_latency(client, server.url + "/store", 1, args.budget,
                                        stream=True)
    finally:
        peak = server.stop()
    result["memory"] = {"peak_rss_mb": round(peak / 2**20, 1)}
    result["restart"] = restart(start, 60)
    return result


def bench_rdflib_endpoint(corpus: Path, work: Path, args,
                          mix: list[tuple[QuestionRun, int | None]] | None) -> dict:
    server = rdflib_endpoint_server(corpus, work / "rdflib-endpoint.log")
    try:
        try:
            ready = server.wait_ready(args.phase_timeout)
        except TimeoutError as error:
            return {"failure": f"load timeout: {error}",
                    "memory": {"peak_rss_mb": round(server.stop() / 2**20, 1)}}
        result = {"load_seconds": round(ready, 2), **http_common(server, "/", args, mix)}
    finally:
        peak = server.stop()
    result["memory"] = {"peak_rss_mb": round(peak / 2**20, 1)}
    return result


def run_size(label: str, cases: int, out: Path, args) -> dict:
    work = out / f"work-{label}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    corpus = out / f"dataset-{label}.nq"
    t0 = time.perf_counter()
    quads = write_corpus(cases, corpus)
    print(f"[{label}] corpus: {quads} quads in {time.perf_counter() - t0:.1f} s", flush=True)
    data_dir = work / "casegraph-store"
    result: dict = {"cases": cases, "quads": quads, "corpus": str(corpus.relative_to(ROOT))
                    if corpus.is_relative_to(ROOT) else str(corpus)}
    def mix() -> list[tuple[QuestionRun, int | None]] | None:
        """The reference's throughput mix, or None (each system its own) if it failed."""
        questions = (result.get("oxigraph_serve") or {}).get("questions")
        return reference_mix(question_runs(), questions) if questions else None

    # oxigraph serve runs first of the servers: it is the reference the others are
    # compared with, and its answers fix the throughput mix.
    phases = [
        ("embedded", lambda: child_phase("embedded", corpus, work, args,
                                         "--data-dir", str(data_dir))),
        ("oxigraph_serve", lambda: bench_oxigraph(corpus, work, args)),
        ("casegraph_http", lambda: bench_casegraph_http(data_dir, corpus, work, args, mix())),
        ("rdflib_endpoint", lambda: bench_rdflib_endpoint(corpus, work, args, mix())),
        ("rdflib", lambda: child_phase("rdflib", corpus, work, args)),
        ("validation", lambda: child_phase("validation", corpus, work, args)),
    ]
    for name, phase in phases:
        t0 = time.perf_counter()
        try:
            result[name] = phase()
        except Exception as error:  # noqa: BLE001 - one failed backend must not sink the run
            result[name] = {"failure": f"{type(error).__name__}: {error}"[:300]}
        print(f"[{label}] {name}: {time.perf_counter() - t0:.1f} s"
              + (f" — {result[name]['failure']}" if "failure" in result[name] else ""),
              flush=True)
    shutil.rmtree(work / "oxigraph-serve", ignore_errors=True)
    shutil.rmtree(data_dir, ignore_errors=True)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    corpus = parser.add_argument_group("corpora")
    corpus.add_argument("--sizes", default="1k,10k", help="comma-separated: 1k, 2k, 10k, 50k")
    corpus.add_argument("--with-50k", action="store_true", help="add the 50k-case corpus")
    corpus.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    latency = parser.add_argument_group("latency series")
    latency.add_argument("--times", type=int, default=5, help="repetitions per series")
    latency.add_argument("--budget", type=float, default=8.0, help="seconds per series")
    latency.add_argument("--question-budget", type=float, default=90.0,
                         help="seconds for all question series of one backend")
    throughput = parser.add_argument_group(
        "throughput", "a window lasts at least --throughput-seconds, then until "
        "--throughput-requests completed or --throughput-max-seconds passed")
    throughput.add_argument("--throughput-seconds", type=float, default=4.0)
    throughput.add_argument("--throughput-requests", type=int, default=200)
    throughput.add_argument("--throughput-max-seconds", type=float, default=60.0)
    limits = parser.add_argument_group("limits")
    limits.add_argument("--timeout", type=float, default=10.0, help="seconds per request")
    limits.add_argument("--max-rows", type=int, default=10_000_000,
                        help="CASEGRAPH_MAX_RESULT_ROWS for casegraph serve: lifted far above "
                             "any answer, so it returns every row as the other systems do")
    limits.add_argument("--phase-timeout", type=float, default=420.0,
                        help="seconds for one load or in-process phase")
    args = parser.parse_args(argv)
    labels = [s.strip() for s in args.sizes.split(",") if s.strip()]
    if args.with_50k and "50k" not in labels:
        labels.append("50k")
    unknown = [s for s in labels if s not in SIZES]
    if unknown:
        parser.error(f"unknown size(s) {unknown}; choose from {list(SIZES)}")
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results = {"date": datetime.date.today().isoformat(), "seed": SEED,
               "command": " ".join(["python", "benchmarks/run.py", *(argv or sys.argv[1:])]),
               "environment": environment.describe(),
               "row_cap": {"casegraph_max_result_rows": args.max_rows, "mode": "lifted"},
               "sizes": {}}
    for label in labels:
        results["sizes"][label] = run_size(label, SIZES[label], args.out, args)
    results["total_seconds"] = round(time.perf_counter() - started, 1)
    stem = args.out / f"results-{results['date']}"
    stem.with_suffix(".json").write_text(json.dumps(results, ensure_ascii=False, indent=1),
                                         encoding="utf-8")
    markdown = report.markdown(results)
    stem.with_suffix(".md").write_text(markdown, encoding="utf-8")
    print(markdown)
    print(f"wrote {stem}.json and {stem}.md ({results['total_seconds']} s)")


if __name__ == "__main__":
    main()
