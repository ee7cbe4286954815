"""Operations endpoints: ``/healthz`` for probes and ``/metrics`` for Prometheus.

The metrics are kept in-process (one service process, see ``casegraph serve``):
request counts by endpoint and status, a latency histogram by endpoint, and the
store's quad count read at scrape time.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request

from casegraph.errors import StoreError
from casegraph.web.context import SEARCH_KEY

bp = Blueprint("ops", __name__)

#: Upper bounds (seconds) of the latency histogram buckets.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class RequestMetrics:
    """Thread-safe counters behind ``/metrics``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: Counter[tuple[str, int]] = Counter()
        self.bucket_counts: dict[str, list[int]] = defaultdict(
            lambda: [0] * len(LATENCY_BUCKETS)
        )
        self.latency_sum: Counter[str] = Counter()
        self.latency_count: Counter[str] = Counter()

    def observe(self, endpoint: str, status: int, seconds: float) -> None:
        with self._lock:
            self.requests[(endpoint, status)] += 1
            buckets = self.bucket_counts[endpoint]
            for index, bound in enumerate(LATENCY_BUCKETS):
                if seconds <= bound:
                    buckets[index] += 1
            self.latency_sum[endpoint] += seconds
            self.latency_count[endpoint] += 1

    def exposition(self, store_quads: int | None) -> str:
        """The Prometheus text exposition format (version 0.0.4)."""
        lines = [
            "# HELP casegraph_http_requests_total HTTP requests answered, by endpoint and status.",
            "# TYPE casegraph_http_requests_total counter",
        ]
        with self._lock:
            for (endpoint, status), count in sorted(self.requests.items()):
                lines.append(
                    f'casegraph_http_requests_total{{endpoint="{endpoint}",status="{status}"}} '
                    f"{count}"
                )
            lines += [
                "# HELP casegraph_http_request_duration_seconds Time to answer a request.",
                "# TYPE casegraph_http_request_duration_seconds histogram",
            ]
            for endpoint in sorted(self.latency_count):
                name = "casegraph_http_request_duration_seconds"
                for bound, count in zip(LATENCY_BUCKETS, self.bucket_counts[endpoint],
                                        strict=True):
                    lines.append(f'{name}_bucket{{endpoint="{endpoint}",le="{bound:g}"}} {count}')
                total = self.latency_count[endpoint]
                lines.append(f'{name}_bucket{{endpoint="{endpoint}",le="+Inf"}} {total}')
                lines.append(f'{name}_sum{{endpoint="{endpoint}"}} {self.latency_sum[endpoint]:.6f}')
                lines.append(f'{name}_count{{endpoint="{endpoint}"}} {total}')
        if store_quads is not None:
            lines += [
                "# HELP casegraph_store_quads Quads in the store (all named graphs).",
                "# TYPE casegraph_store_quads gauge",
                f"casegraph_store_quads {store_quads}",
            ]
        return "\n".join(lines) + "\n"


def install_request_metrics(app: Flask) -> RequestMetrics:
    """Time every request of ``app``; the endpoint label is the Flask endpoint name."""
    metrics = RequestMetrics()
    app.extensions["casegraph.metrics"] = metrics

    @app.before_request
    def start_timer() -> None:
        g.casegraph_started = time.perf_counter()

    @app.after_request
    def record(response: Response) -> Response:
        started = g.pop("casegraph_started", None)
        if started is not None:
            endpoint = request.endpoint or "unmatched"
            metrics.observe(endpoint, response.status_code, time.perf_counter() - started)
        return response

    return metrics


@bp.get("/healthz")
def healthz():
    """200 "ok" only when queries, pages and search answer at their steady speed.

    A readiness probe.  503 "unavailable" when the store does not answer; 503
    "starting" (with Retry-After and the list of what is ``warming``) while the
    embedded store's query workers load their snapshot or the search index is
    being built: until then queries would wait, and at 50k cases the build's
    thread slows every other request down many times over.  200 "degraded"
    (naming what) when the background search build failed: the service answers,
    but the first search builds the index in the foreground.
    """
    store = current_app.extensions["casegraph.store"]
    try:
        graphs = store.named_graphs()
        ready = store.queries_ready()
    except StoreError as error:
        response = jsonify(status="unavailable", error=str(error))
        response.status_code = 503
        return response
    warming = {}
    if not ready:
        warming["query workers"] = "loading the store's snapshot"
    index = current_app.extensions.get(SEARCH_KEY)
    if index is not None and index.building:
        warming["search index"] = "being built"
    if warming:
        response = jsonify(status="starting", graphs=len(graphs), warming=warming,
                           error="still warming: " + ", ".join(warming))
        response.status_code = 503
        response.headers["Retry-After"] = "1"
        return response
    if index is not None and not index.built:
        reason = index.build_error or "not built yet"
        return jsonify(status="degraded", graphs=len(graphs), degraded={
            "search index": f"{reason}; the first search builds it"})
    return jsonify(status="ok", graphs=len(graphs))


@bp.get("/metrics")
def metrics():
    metrics = current_app.extensions["casegraph.metrics"]
    try:
        quads = current_app.extensions["casegraph.store"].triple_count()
    except StoreError:
        quads = None
    return Response(metrics.exposition(quads), content_type="text/plain; version=0.0.4")


def install_cors(app: Flask, cors_origins: str) -> None:
    """Answer cross-origin requests from ``cors_origins`` (comma-separated, or ``*``).

    Empty (the default) sends no CORS headers, so browsers keep other sites out.
    Preflights (OPTIONS) are answered by Flask's automatic OPTIONS handling; this
    adds the headers that let the browser proceed.
    """
    allowed = {origin.strip() for origin in cors_origins.split(",") if origin.strip()}
    if not allowed:
        return

    @app.after_request
    def add_cors_headers(response: Response) -> Response:
        origin = request.headers.get("Origin")
        if origin is None or ("*" not in allowed and origin not in allowed):
            return response
        response.headers["Access-Control-Allow-Origin"] = "*" if "*" in allowed else origin
        if "*" not in allowed:
            response.vary.add("Origin")
        response.headers["Access-Control-Expose-Headers"] = "X-Casegraph-Truncated"
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = (
                "GET, HEAD, POST, PUT, DELETE, OPTIONS"
            )
            response.headers["Access-Control-Allow-Headers"] = (
                "Accept, Authorization, Content-Type"
            )
            response.headers["Access-Control-Max-Age"] = "600"
        return response
