"""The Markdown form of a results document: one section per corpus size, backends side by side.

A ratio is printed only between equal answers (``benchmarks.answers``): where two
systems returned different rows the cell says "mismatch" and how they differ.
Ratios are worded from casegraph's side — "2.10× faster", "1.57× slower" — so a
ratio below 1 is never read as a speed-up.
"""

from __future__ import annotations

from benchmarks.answers import compare, describe_difference
from benchmarks.workload import ENTITY_PAGES, SEARCH_REQUESTS, TARGET_CROSS_CASE

BACKENDS = (
    ("embedded", "(a) casegraph embedded"),
    ("casegraph_http", "(b) casegraph HTTP"),
    ("oxigraph_serve", "(c) oxigraph serve"),
    ("rdflib_endpoint", "(d) rdflib-endpoint"),
    ("rdflib", "(e) rdflib in memory"),
)
SHORT = {key: name.split()[0] for key, name in BACKENDS}
#: Whose answer the others are checked against: the first of these that answered.
REFERENCES = ("oxigraph_serve", "embedded", "casegraph_http", "rdflib_endpoint", "rdflib")
HUB_PAGE = ENTITY_PAGES[0]


def _kinds(window: dict, key: str) -> str:
    """The note after a failure count, e.g. ``(HTTP 503 × 150, ConnectionError × 11)``."""
    kinds = window.get("failure_kinds") if key == "failures" else None
    return (" (" + ", ".join(f"{kind} × {n}" for kind, n in sorted(kinds.items())) + ")"
            if kinds else "")


def _get(data: dict, *keys):
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def _cell(series: dict | None, key: str = "p50_ms") -> str:
    if not series:
        return "–"
    if series.get(key) is None:
        return series.get("failure") or "–"
    text = f"{series[key]:g}"
    return text + (" (then " + series["failure"] + ")" if series.get("failure") else "")


def relative(ours: float | None, theirs: float | None, *, higher_is_better: bool) -> str:
    """casegraph's figure against another system's, in words: "2.10× faster", "1.57× slower".

    Latencies are better lower, rates higher; the factor is always ≥ 1.
    """
    if ours is None or theirs is None:
        return "–"
    better, worse = (ours, theirs) if higher_is_better else (theirs, ours)
    if worse == 0:
        return "∞ faster (the other completed none)" if higher_is_better else "–"
    if better == 0:
        return "none completed" if higher_is_better else "–"
    factor = better / worse
    if f"{factor:.2f}" == "1.00" or f"{1 / factor:.2f}" == "1.00":
        return "as fast (1.00×)"
    return f"{factor:.2f}× faster" if factor > 1 else f"{1 / factor:.2f}× slower"


def latency_comparison(ours: dict | None, theirs: dict | None) -> str:
    """p50 of casegraph against another system on one question, or why there is no ratio."""
    if not ours or not theirs or ours.get("p50_ms") is None or theirs.get("p50_ms") is None:
        return "–"
    if ours.get("digest") is None or theirs.get("digest") is None:
        return "– (answer not recorded)"
    difference = describe_difference(ours, theirs)
    if difference:
        return f"mismatch: {difference}"
    return relative(ours["p50_ms"], theirs["p50_ms"], higher_is_better=False)


def question_answers(size: dict, qid: str) -> tuple[str | None, dict[str, str]]:
    """The reference system of a question and how each other system's answer differs."""
    answers = {key: _get(size, key, "questions", qid) for key, _ in BACKENDS}
    for reference in REFERENCES:
        if (answers.get(reference) or {}).get("digest") is not None:
            return reference, compare(answers, reference)
    return None, {}


def throughput_comparison(size: dict, other: str, concurrency: int) -> str:
    """casegraph HTTP's rate against ``other``'s, with both request counts; or why not.

    Comparable only over the same mix of questions, each answered alike on
    both systems, with no throughput request answering a different row count.
    """
    key = f"throughput_c{concurrency}"
    ours, theirs = _get(size, "casegraph_http", key), _get(size, other, key)
    if not ours or not theirs:
        return "–"
    mix_ours = _get(size, "casegraph_http", "throughput_mix")
    mix_theirs = _get(size, other, "throughput_mix")
    if mix_ours != mix_theirs:
        return "not comparable: different question mixes"
    unequal = [qid for qid in mix_ours or []
               if latency_comparison(_get(size, "casegraph_http", "questions", qid),
                                     _get(size, other, "questions", qid)).startswith("mismatch")]
    if unequal:
        return "not comparable: answers differ on " + ", ".join(unequal)
    wrong = {SHORT[k]: s["wrong_answers"] for k, s in (("casegraph_http", ours), (other, theirs))
             if s.get("wrong_answers")}
    if wrong:
        return "not comparable: wrong row counts during the window " + ", ".join(
            f"{name} {count}" for name, count in wrong.items())
    counts = f"{ours['requests']} vs {theirs['requests']} requests"
    minimum = max(ours.get("min_requests") or 0, theirs.get("min_requests") or 0)
    if minimum and min(ours["requests"], theirs["requests"]) < minimum:
        counts += f"; fewer than {minimum}"
    return (relative(ours["per_second"], theirs["per_second"], higher_is_better=True)
            + f" ({counts})")


def _size_section(label: str, size: dict) -> list[str]:
    lines = [f"### {label}: {size['cases']} synthetic cases, {size['quads']} quads", ""]
    lines += ["| figure | " + " | ".join(name for _, name in BACKENDS) + " |",
              "|---|" + "---|" * len(BACKENDS)]

    def row(title: str, values: list[str]) -> None:
        lines.append(f"| {title} | " + " | ".join(values) + " |")

    def fmt(value, suffix: str = "") -> str:
        return "–" if value is None else f"{value:g}{suffix}"

    def each(*keys) -> list[str]:
        return [fmt(_get(size, key, *keys)) for key, _ in BACKENDS]

    row("load (s)", each("load_seconds"))
    row("load (triples/s)", each("triples_per_second"))
    row("ready after start (s)", each("ready_seconds"))
    row("process-tree RSS at ready (MB)", each("rss_at_ready_mb"))
    row("restart to ready (s)", each("restart", "ready_seconds"))
    row("process-tree RSS at ready after restart (MB)", each("restart", "rss_at_ready_mb"))
    row("process-tree PSS at ready after restart (MB)", each("restart", "pss_at_ready_mb"))
    row("peak RSS (MB)", each("memory", "peak_rss_mb"))
    for concurrency in (1, 8):
        cells = []
        for key, _ in BACKENDS:
            window = _get(size, key, f"throughput_c{concurrency}")
            cells.append("–" if not window else f"{fmt(window['per_second'])} (n="
                         + ", ".join([str(window["requests"])] + [
                             f"{window[k]} {word}" + _kinds(window, k) for k, word in (
                                 ("timeouts", "timeouts"), ("failures", "failed"),
                                 ("wrong_answers", "wrong")) if window.get(k)]) + ")")
        row(f"throughput c={concurrency} (req/s, n requests)", cells)
    states = [f"{SHORT[k]} {_get(size, k, 'ready_state')}" for k, _ in BACKENDS
              if _get(size, k, "ready_state") not in (None, "ok")]
    if states:
        lines += ["", "Not fully ready when measured: " + "; ".join(states)]
    lines += ["", "Curated questions, p50 / p95 in ms (same SPARQL; (b) via /sparql; "
              "`api` = (b) via /api/questions/<id>.json; rows = rows of the reference answer, "
              "(c) unless it failed; ≠ marks an answer that differs from it, `answers` says "
              "how). Ratios are (b)'s p50 against (c)'s and (d)'s, between equal answers only:",
              "",
              "| question | rows | answers | " + " | ".join(name for _, name in BACKENDS)
              + " | (b) api | (b) vs (c) | (b) vs (d) |",
              "|---|---|---|" + "---|" * (len(BACKENDS) + 3)]
    qids = set()
    for key, _ in BACKENDS:
        qids |= set(_get(size, key, "questions") or {})
    for qid in sorted(qids):
        reference, differences = question_answers(size, qid)
        cells = []
        for key, _ in BACKENDS:
            series = _get(size, key, "questions", qid)
            mark = " ≠" if differences.get(key) else ""
            cells.append(f"{_cell(series)} / {_cell(series, 'p95_ms')}{mark}" if series else "–")
        if reference is None:
            verdict = "no answer"
        elif any(differences.values()):
            verdict = "; ".join(f"{SHORT[k]} ≠ {SHORT[reference]}: {d}"
                                for k, d in differences.items() if d)
        else:
            verdict = "equal" if differences else f"only {SHORT[reference]}"
        ours = _get(size, "casegraph_http", "questions", qid)
        star = " ★" if qid in TARGET_CROSS_CASE else ""
        lines.append(
            f"| {qid}{star} | {fmt(_get(size, reference or '', 'questions', qid, 'rows'))} | "
            f"{verdict} | " + " | ".join(cells)
            + f" | {_cell(_get(size, 'casegraph_http', 'questions_api', qid))} | "
            + latency_comparison(ours, _get(size, "oxigraph_serve", "questions", qid)) + " | "
            + latency_comparison(ours, _get(size, "rdflib_endpoint", "questions", qid)) + " |")
    lines += ["", "★ the cross-case questions of the targets.", "",
              "| request | (a) embedded first · p50/p95 ms | (b) HTTP first · p50/p95 ms | (b) size (KB) |",
              "|---|---|---|---|"]
    for path in (*ENTITY_PAGES, *SEARCH_REQUESTS):
        group = "pages" if path in ENTITY_PAGES else "search"
        a, b = _get(size, "embedded", group, path), _get(size, "casegraph_http", group, path)
        kilobytes = (b or {}).get("rows")
        lines.append(f"| `{path}` | {_cell(a, 'first_ms')} · {_cell(a)} / {_cell(a, 'p95_ms')} | "
                     f"{_cell(b, 'first_ms')} · {_cell(b)} / {_cell(b, 'p95_ms')} | "
                     f"{'–' if kilobytes is None else round(kilobytes / 1024, 1)} |")
    export_b = _get(size, "casegraph_http", "export") or {}
    export_c = _get(size, "oxigraph_serve", "export") or {}
    lines.append(f"| export N-Quads (whole dataset) | {_cell(_get(size, 'embedded', 'export'))} | "
                 f"{_cell(export_b)} (server tree RSS {export_b.get('tree_rss_before_mb')} → "
                 f"peak {export_b.get('tree_rss_peak_mb')} MB); (c) GET /store "
                 f"{_cell(export_c)} | |")
    write = _get(size, "casegraph_http", "guarded_write")
    validation = size.get("validation") or {}
    lines += ["", f"- guarded write (PUT one case graph via /store, validated + committed): "
              f"p50 {_cell(write)} ms, p95 {_cell(write, 'p95_ms')} ms"]
    if "seconds" in validation:
        lines.append(
            f"- whole-corpus SHACL validation (`casegraph validate --dump`, "
            f"{validation['processes']} processes): {validation['case_graphs']} graphs in "
            f"{validation['seconds']} s; violations found: {validation['violations']}")
    for key, name in BACKENDS:
        if _get(size, key, "failure"):
            lines.append(f"- {name}: {size[key]['failure']}")
    for key, name in (("oxigraph_serve", "(c)"), ("rdflib_endpoint", "(d)")):
        lines.append(f"- throughput (b) vs {name}: c=1 {throughput_comparison(size, key, 1)}; "
                     f"c=8 {throughput_comparison(size, key, 8)}")
    ours, theirs = (_get(size, k, "rss_at_ready_mb") for k in ("casegraph_http", "oxigraph_serve"))
    if ours and theirs:
        lines.append(f"- process-tree RSS at ready, (b) vs (c): {ours:g} vs {theirs:g} MB "
                     f"= {ours / theirs:.2f}× the memory of (c)")
    for what, key in (("RSS", "rss_at_ready_mb"), ("PSS", "pss_at_ready_mb")):
        ours, theirs = (_get(size, k, "restart", key) for k in ("casegraph_http", "oxigraph_serve"))
        if ours and theirs:
            lines.append(f"- process-tree {what} at ready after a restart, (b) vs (c): "
                         f"{ours:g} vs {theirs:g} MB = {ours / theirs:.2f}×")
    versus_c = {qid: latency_comparison(_get(size, "casegraph_http", "questions", qid),
                                        _get(size, "oxigraph_serve", "questions", qid))
                for qid in sorted(qids)}
    slower = [f"{qid} ({words})" for qid, words in versus_c.items() if words.endswith("slower")]
    if slower:
        lines.append("- (b) is slower than (c) on: " + ", ".join(slower))
    mismatched = [qid for qid, words in versus_c.items() if words.startswith("mismatch")]
    if mismatched:
        lines.append("- no ratio, (b) and (c) answered differently: " + ", ".join(mismatched))
    hub = _get(size, "casegraph_http", "pages", HUB_PAGE)
    if hub and hub.get("p50_ms") is not None:
        lines.append(f"- hub page `{HUB_PAGE}`: first request (the render) "
                     f"{_cell(hub, 'first_ms')} ms, then p50 {hub['p50_ms']:g} ms (kept until "
                     "the next write), "
                     f"{round((hub.get('rows') or 0) / 1024, 1)} KB of HTML")
    return lines + [""]


def markdown(results: dict) -> str:
    env = results["environment"]
    cap = results.get("row_cap") or {}
    lines = [f"## Results {results['date']}", "",
             f"`{results['command']}` — {env['nproc']} CPUs ({env['cpu']}), "
             f"{env['memory_gb']} GB; Python {env['python']}, pyoxigraph {env['pyoxigraph']}, "
             f"rdflib {env['rdflib']}, {env['oxigraph_server']}, rdflib-endpoint "
             f"{env['rdflib_endpoint']}; total {results.get('total_seconds')} s", ""]
    if cap.get("mode") == "lifted":
        lines += [f"Row cap: lifted — `casegraph serve` ran with "
                  f"`CASEGRAPH_MAX_RESULT_ROWS={cap['casegraph_max_result_rows']}`, so every "
                  "system returns whole answers. Every answer is checked (row count and an "
                  "order-independent digest of canonical terms) against the reference; a "
                  "different answer is shown as a mismatch, never as a ratio.", ""]
    for label, size in results["sizes"].items():
        lines += _size_section(label, size)
    return "\n".join(lines)
