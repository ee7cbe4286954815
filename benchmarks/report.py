"""The Markdown form of a results document: one section per corpus size, backends side by side."""

from __future__ import annotations

from benchmarks.workload import ENTITY_PAGES, SEARCH_REQUESTS, TARGET_CROSS_CASE

BACKENDS = (
    ("embedded", "(a) casegraph embedded"),
    ("casegraph_http", "(b) casegraph HTTP"),
    ("oxigraph_serve", "(c) oxigraph serve"),
    ("rdflib_endpoint", "(d) rdflib-endpoint"),
    ("rdflib", "(e) rdflib in memory"),
)


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


def _ratio(a: float | None, b: float | None) -> str:
    if not a or not b:
        return "–"
    return f"{a / b:.2f}×"


def throughput_ratio(size: dict, other: str, concurrency: int) -> float | None:
    ours = _get(size, "casegraph_http", f"throughput_c{concurrency}", "per_second")
    theirs = _get(size, other, f"throughput_c{concurrency}", "per_second")
    if ours is None or theirs is None:
        return None
    return ours / theirs if theirs else float("inf")


def _size_section(label: str, size: dict) -> list[str]:
    lines = [f"### {label}: {size['cases']} synthetic cases, {size['quads']} quads", ""]
    lines += ["| figure | " + " | ".join(name for _, name in BACKENDS) + " |",
              "|---|" + "---|" * len(BACKENDS)]

    def row(title: str, values: list[str]) -> None:
        lines.append(f"| {title} | " + " | ".join(values) + " |")

    def fmt(value, suffix: str = "") -> str:
        return "–" if value is None else f"{value:g}{suffix}"

    row("load (s)", [fmt(_get(size, key, "load_seconds")) for key, _ in BACKENDS])
    row("load (triples/s)", [fmt(_get(size, key, "triples_per_second")) for key, _ in BACKENDS])
    row("peak RSS (MB)", [fmt(_get(size, key, "memory", "peak_rss_mb")) for key, _ in BACKENDS])
    for concurrency in (1, 8):
        row(f"throughput c={concurrency} (req/s)",
            [fmt(_get(size, key, f"throughput_c{concurrency}", "per_second"))
             for key, _ in BACKENDS])
    lines += ["", "Curated questions, p50 / p95 in ms (same SPARQL; (b) via /sparql; "
              "`api` = (b) via /api/questions/<id>.json; rows = result rows on (c)):", "",
              "| question | rows | " + " | ".join(name for _, name in BACKENDS)
              + " | (b) api | (b)/(c) p50 | (d)/(b) p50 |",
              "|---|---|" + "---|" * (len(BACKENDS) + 3)]
    for qid in sorted(_get(size, "embedded", "questions") or
                      _get(size, "oxigraph_serve", "questions") or {}):
        cells = []
        for key, _ in BACKENDS:
            series = _get(size, key, "questions", qid)
            cells.append(f"{_cell(series)} / {_cell(series, 'p95_ms')}" if series else "–")
        api = _get(size, "casegraph_http", "questions_api", qid)
        ours = _get(size, "casegraph_http", "questions", qid, "p50_ms")
        star = " ★" if qid in TARGET_CROSS_CASE else ""
        lines.append(
            f"| {qid}{star} | {fmt(_get(size, 'oxigraph_serve', 'questions', qid, 'rows'))} | "
            + " | ".join(cells) + f" | {_cell(api)} | "
            + _ratio(ours, _get(size, "oxigraph_serve", "questions", qid, "p50_ms")) + " | "
            + _ratio(_get(size, "rdflib_endpoint", "questions", qid, "p50_ms"), ours) + " |")
    lines += ["", "★ the cross-case questions of the targets.", "",
              "| request | (a) embedded p50/p95 ms | (b) HTTP p50/p95 ms |", "|---|---|---|"]
    for path in (*ENTITY_PAGES, *SEARCH_REQUESTS):
        group = "pages" if path in ENTITY_PAGES else "search"
        a, b = _get(size, "embedded", group, path), _get(size, "casegraph_http", group, path)
        lines.append(f"| `{path}` | {_cell(a)} / {_cell(a, 'p95_ms')} | "
                     f"{_cell(b)} / {_cell(b, 'p95_ms')} |")
    export_b = _get(size, "casegraph_http", "export") or {}
    export_c = _get(size, "oxigraph_serve", "export") or {}
    lines.append(f"| export N-Quads (whole dataset) | {_cell(_get(size, 'embedded', 'export'))} | "
                 f"{_cell(export_b)} (server tree RSS {export_b.get('tree_rss_before_mb')} → "
                 f"peak {export_b.get('tree_rss_peak_mb')} MB); (c) GET /store "
                 f"{_cell(export_c)} |")
    write = _get(size, "casegraph_http", "guarded_write")
    validation = size.get("validation") or {}
    lines += ["", f"- guarded write (PUT one case graph via /store, validated + committed): "
              f"p50 {_cell(write)} ms, p95 {_cell(write, 'p95_ms')} ms"]
    if "seconds_per_case" in validation:
        lines.append(
            f"- whole-corpus SHACL validation: {validation['validated']} of "
            f"{validation['case_graphs']} case graphs in {validation['seconds']} s "
            f"({validation['seconds_per_case']} s per case) → whole corpus "
            f"{'≈ ' if validation['extrapolated'] else ''}{validation['whole_corpus_seconds']} s"
            f"{' (extrapolated)' if validation['extrapolated'] else ''}; "
            f"violations found: {validation['violations']}")
    for key, name in BACKENDS:
        if _get(size, key, "failure"):
            lines.append(f"- {name}: {size[key]['failure']}")
    for key, name in (("oxigraph_serve", "(c)"), ("rdflib_endpoint", "(d)")):
        ratios = [throughput_ratio(size, key, c) for c in (1, 8)]
        lines.append(f"- throughput (b)/{name}: c=1 {_fmt_ratio(ratios[0])}, "
                     f"c=8 {_fmt_ratio(ratios[1])}")
    return lines + [""]


def _fmt_ratio(value: float | None) -> str:
    if value == float("inf"):
        return "∞ (the other completed none)"
    return "–" if value is None else f"{value:.2f}×"


def markdown(results: dict) -> str:
    env = results["environment"]
    lines = [f"## Results {results['date']}", "",
             f"`{results['command']}` — {env['nproc']} CPUs ({env['cpu']}), "
             f"{env['memory_gb']} GB; Python {env['python']}, pyoxigraph {env['pyoxigraph']}, "
             f"rdflib {env['rdflib']}, {env['oxigraph_server']}, rdflib-endpoint "
             f"{env['rdflib_endpoint']}; total {results.get('total_seconds')} s", ""]
    for label, size in results["sizes"].items():
        lines += _size_section(label, size)
    return "\n".join(lines)
