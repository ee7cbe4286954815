"""Query worker processes: read-only views of the store that can be killed at a deadline.

pyoxigraph cannot cancel a query, and some queries crash the whole process
(deep nesting overflows the stack; an entity bomb aborts).  So queries never
run in the server process: the parent SIGKILLs a worker that misses its
deadline or notices that it died, and starts a replacement in the background
while the other workers keep answering.

What a worker reads (``open_view``): a *view*, a RocksDB checkpoint of the
store that the writer takes under its write lock at one *generation* (the
count of committed writes), opened read-only.  A checkpoint is hard links to
the store's immutable table files, so a view costs no copy and no memory
beyond RocksDB's caches: memory no longer grows with data × workers (the
workers used to hold an in-memory replica each).  Nobody writes a view, so
reading it read-only is safe (RocksDB leaves a read-only opener beside a live
writer undefined, and pyoxigraph 0.5 has no secondary instances).

How a worker sees writes (``View``, ``ensure_view``): every request carries the
view of the current generation; the writer takes a new checkpoint for the
first request after a write, and a worker on an older view reopens before
answering, so every answer reflects every acknowledged write.  A view is
deleted once no worker uses it.  Update previews run on an in-memory copy of
the graphs the update names, or, for one that may touch every graph, on a
private writable checkpoint (``_run_preview``), thrown away afterwards.

Workers are started with the ``forkserver`` method: forking the threaded
server process itself is unsafe.
"""

from __future__ import annotations

import contextlib
import json
import logging
import multiprocessing
import os
import queue
import re
import signal
import threading
import time
from dataclasses import dataclass
from typing import Any, Protocol

import pyoxigraph as ox

from casegraph.errors import (
    EngineCrashed,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    StoreUnavailable,
)
from casegraph.rdf.formats import JSON_NOTICE_KEY
from casegraph.rdf.results import first_rows
from casegraph.rdf.terms import sparql_json_term, term_parts
from casegraph.store import merge
from casegraph.store.base import QueryRequest

log = logging.getLogger(__name__)

_NTRIPLES = ox.RdfFormat.N_TRIPLES
#: How long a request waits for the first worker to open its view (seconds).
WORKER_START_TIMEOUT = 300.0
_SYNTAX_POSITION = re.compile(r"error at (\d+):(\d+)")


# --------------------------------------------------------------------------- worker side


@dataclass(frozen=True)
class View:
    """A read-only checkpoint of the store: its directory and the generation it holds."""

    path: str
    generation: int


def open_view(view: View) -> ox.Store:
    """Open a view read-only (nothing is loaded: reads go to its table files)."""
    return ox.Store.read_only(view.path)


def ensure_view(db: ox.Store | None, current: View | None, wanted: View
                ) -> tuple[ox.Store, View]:
    """The store to answer from: the open one if it is ``wanted``, else ``wanted`` reopened."""
    if db is not None and current == wanted:
        return db, current
    return open_view(wanted), wanted


def worker_main(conn, view: View) -> None:
    """Entry point of a worker process: open the view, then answer requests."""
    db, view = ensure_view(None, None, view)
    conn.send(("ready",))
    handlers = {"query": _run_query, "select_json": _run_select_json, "preview": _run_preview}
    while True:
        try:
            operation, wanted, payload = conn.recv()
        except (EOFError, OSError):
            return  # the parent went away
        try:
            db, view = ensure_view(db, view, wanted)
            status, value = "ok", handlers[operation](db, *payload)
        except SyntaxError as error:
            status, value = "syntax", str(error)
        except Exception as error:  # reported to the caller, the worker stays usable
            status, value = "error", f"{type(error).__name__}: {error}"
        conn.send((status, view, value))


def _run_query(db: ox.Store, request: QueryRequest) -> tuple:
    max_rows = request.max_rows
    result = _evaluate(db, request)
    if isinstance(result, ox.QueryBoolean):
        return ("boolean", bool(result))
    if isinstance(result, ox.QueryTriples):
        return (
            "graph",
            [tuple(map(term_parts, (t.subject, t.predicate, t.object))) for t in result],
        )
    variables = [v.value for v in result.variables]
    rows, truncated = first_rows((tuple(map(term_parts, s)) for s in result), max_rows)
    return ("bindings", variables, rows, truncated)


def _run_select_json(db: ox.Store, request: QueryRequest) -> tuple[bytes, bool]:
    """A SELECT's results as SPARQL JSON bytes, written here rather than in the server.

    Large results otherwise cross the pipe as tuples, become rdflib terms and are
    serialised again in the server's one process.  The document is exactly what
    ``casegraph.rdf.formats`` writes for the same rows (terms via ``sparql_json_term``,
    the same ``json.dumps`` call, the same truncation notice).
    """
    max_rows = request.max_rows
    result = _evaluate(db, request)
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError("JSON results are written here for SELECT queries only")
    variables = [v.value for v in result.variables]
    written: dict[Any, dict[str, str]] = {}  # a term repeated across rows is converted once

    def binding(solution) -> dict[str, dict[str, str]]:
        row = {}
        for name, term in zip(variables, solution, strict=True):
            if term is not None:
                json_term = written.get(term)
                if json_term is None:
                    json_term = written[term] = sparql_json_term(*term_parts(term))
                row[name] = json_term
        return row

    bindings, truncated = first_rows(map(binding, result), max_rows)
    document: dict[str, Any] = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    if truncated:
        document[JSON_NOTICE_KEY] = {"truncated": True, "maxResultRows": max_rows}
    return json.dumps(document, ensure_ascii=False).encode("utf-8"), truncated


def _evaluate(db: ox.Store, request: QueryRequest):
    """Run a query over the requested dataset, the default graph always an RDF merge.

    Without a list the default graph is the store's own, which holds the merge of
    the named graphs (``store.merge``).  The engine reads a list of several
    default graphs as one solution per graph stating a triple, so such a query
    runs on a scratch store holding their merge (and the named graphs it may use).
    """
    sparql, default_graph_uris, named_graph_uris = request[:3]
    if default_graph_uris is not None and len(set(default_graph_uris)) > 1:
        scratch = merge.merged_store(db, list(default_graph_uris), named_graph_uris)
        return scratch.query(sparql, **_dataset_options(None, named_graph_uris))
    return db.query(sparql, **_dataset_options(default_graph_uris, named_graph_uris))


def _dataset_options(
    default_graph_uris: list[str] | None, named_graph_uris: list[str] | None
) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if default_graph_uris is not None:  # [] is an empty default graph
        options["default_graph"] = [ox.NamedNode(g) for g in default_graph_uris]
    if named_graph_uris is not None:  # [] is no named graph at all
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graph_uris]
    return options


def _run_preview(
    db: ox.Store, copy_path: str | None, sparql_update: str, writes: list[str],
    writes_all: bool, reads: list[str],
) -> dict[str, bytes | None]:
    """Apply an update to a scratch store; return the graphs it changed.

    The scratch store is an in-memory copy of the graphs the update writes and reads
    (``update_scope`` names them), taken from the view: a few milliseconds for a case
    graph.  An update that may touch every graph (``GRAPH ?g``, ``CLEAR ALL``) gets
    ``copy_path`` instead, a writable checkpoint of the current generation taken for
    this preview alone (about 100-300 ms at 2k cases), which the parent deletes after.
    Either way nothing needs undoing.
    """
    if copy_path is not None:
        scratch = ox.Store(copy_path)
    else:
        scratch = ox.Store()
        for iri in dict.fromkeys([*writes, *reads]):
            scratch.extend(db.quads_for_pattern(None, None, None, ox.NamedNode(iri)))
    existing = set(scratch.named_graphs())
    candidates = existing if writes_all else {ox.NamedNode(g) for g in writes}
    before = {g: set(scratch.quads_for_pattern(None, None, None, g)) for g in candidates}
    scratch.update(sparql_update)
    changes: dict[str, bytes | None] = {}
    for graph in candidates | (set(scratch.named_graphs()) - existing):
        after = set(scratch.quads_for_pattern(None, None, None, graph))
        if after != before.get(graph, set()):
            triples = [q.triple for q in after]
            changes[graph.value] = ox.serialize(triples, format=_NTRIPLES) if after else None
    return changes


# --------------------------------------------------------------------------- parent side


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Any
    #: The view the worker has open (leased from ``Views``).
    view: View


class Views(Protocol):
    """What the pool needs from the writer: leases on views of the current generation."""

    def current_view(self) -> View:
        """Lease the view of the latest committed generation (taken now if there is none)."""

    def release_view(self, view: View) -> None:
        """End one lease: a superseded view is deleted once nobody holds it."""


class QueryWorkerPool:
    """A fixed number of view workers; requests queue for a free one."""

    def __init__(self, size: int, views: Views):
        self._views = views
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["casegraph.store.workers"])
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._live: set[_Worker] = set()
        self._lock = threading.Lock()
        self._starters: set[threading.Thread] = set()
        self._closing = threading.Event()  # wakes a starter waiting to retry
        self._closed = False
        for _ in range(max(1, size)):
            self._start_replacement()

    def has_live_worker(self) -> bool:
        """Whether a worker has opened its view (else queries wait for one to start)."""
        with self._lock:
            return bool(self._live)

    def run(self, operation: str, payload: tuple, timeout: float | None):
        """Run one request on a free worker; kill it at the deadline."""
        deadline = None if timeout is None else time.monotonic() + timeout
        wait = _remaining(deadline)
        with self._lock:
            starting = not self._live and wait is not None
        if starting:
            # Workers are still starting (first start, or every one was replaced):
            # starting is not the query's time, so wait for it separately.
            wait = max(wait, WORKER_START_TIMEOUT)
        try:
            worker = self._idle.get(timeout=wait)
        except queue.Empty:
            raise QueryTimeout(
                f"no query worker became free within {wait:g} s (all busy or restarting)"
            ) from None
        if starting:
            deadline = time.monotonic() + timeout
        try:
            view = self._views.current_view()
        except BaseException:
            self._idle.put(worker)
            raise
        try:
            worker.conn.send((operation, view, payload))
            if not worker.conn.poll(_remaining(deadline)):
                self._discard(worker, view)
                raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")
            reply = worker.conn.recv()
        except (EOFError, OSError) as error:
            code = self._discard(worker, view)
            raise EngineCrashed(
                f"the query engine died while answering (exit code {code}); "
                "the query was not completed, other queries are unaffected"
            ) from error
        status, opened, value = reply
        self._note_view(worker, view, opened)
        self._idle.put(worker)
        if status == "ok":
            return value
        if status == "syntax":
            match = _SYNTAX_POSITION.search(value)
            line, column = (int(match[1]), int(match[2])) if match else (None, None)
            raise QuerySyntaxError(f"SPARQL syntax error: {value}", line=line, column=column)
        # Evaluation errors are about the request (a failing CREATE, an unsupported
        # SERVICE, a bad IRI): the engine itself is fine.
        raise QueryRefused(f"the engine refused the request: {value}")

    def _note_view(self, worker: _Worker, sent: View, opened: View) -> None:
        """After a reply: the worker holds ``opened``; release the lease it no longer needs.

        ``opened`` is ``sent`` unless reopening failed (then the worker kept its old view).
        """
        if opened == sent and worker.view != sent:
            self._views.release_view(worker.view)
            worker.view = sent
        else:
            self._views.release_view(sent)

    def _discard(self, worker: _Worker, sent: View | None = None) -> int | None:
        """SIGKILL a worker (stopping its query for real) and start a replacement."""
        with self._lock:
            self._live.discard(worker)
        # It may die between is_alive() and kill(): a crashed worker is what we want.
        with contextlib.suppress(ProcessLookupError):
            if worker.process.is_alive():
                os.kill(worker.process.pid, signal.SIGKILL)
        worker.process.join(5)
        worker.conn.close()
        self._release_views(worker, sent)
        self._start_replacement()
        return worker.process.exitcode

    def _release_views(self, worker: _Worker, sent: View | None) -> None:
        """A worker has gone: end its lease, and that of the view sent with its last request."""
        self._views.release_view(worker.view)
        if sent is not None:
            self._views.release_view(sent)

    def _start_replacement(self) -> None:
        starter = threading.Thread(
            target=self._start_worker, name="casegraph-worker-start", daemon=True
        )
        with self._lock:
            self._starters = {t for t in self._starters if t.is_alive()} | {starter}
        starter.start()

    def _start_worker(self) -> None:
        delay = 0.5
        while not self._closed:
            try:
                worker = self._spawn()
            except Exception as error:  # keep trying: a query may be waiting for a worker
                log.warning("query worker failed to start: %s; retrying in %.1f s", error, delay)
                self._closing.wait(delay)
                delay = min(delay * 2, 30)
                continue
            with self._lock:
                closed = self._closed
                if not closed:
                    self._live.add(worker)
            if closed:
                _kill(worker)
                self._release_views(worker, None)
                return
            self._idle.put(worker)
            return

    def _spawn(self) -> _Worker:
        view = self._views.current_view()  # the worker's lease; released when it goes
        try:
            parent_conn, child_conn = self._context.Pipe()
            process = self._context.Process(
                target=worker_main, args=(child_conn, view), name="casegraph-query", daemon=True,
            )
            process.start()
            child_conn.close()
            try:
                parent_conn.recv()  # ("ready",) once the view is open
            except EOFError:
                process.join(5)
                raise StoreUnavailable(
                    f"query worker died opening its view (exit code {process.exitcode})"
                ) from None
        except BaseException:
            self._views.release_view(view)
            raise
        return _Worker(process, parent_conn, view)

    def close(self) -> None:
        """Stop every worker; wait for those starting, whose view the store is about to delete."""
        with self._lock:
            self._closed = True
            starters = list(self._starters)
        self._closing.set()
        for starter in starters:
            if starter is not threading.current_thread():
                starter.join(WORKER_START_TIMEOUT)
        with self._lock:
            workers = list(self._live)
            self._live.clear()
        for worker in workers:
            _kill(worker)
            self._release_views(worker, None)


def _kill(worker: _Worker) -> None:
    if worker.process.is_alive():
        os.kill(worker.process.pid, signal.SIGKILL)
    worker.process.join(5)
    worker.conn.close()


def _remaining(deadline: float | None) -> float | None:
    return None if deadline is None else max(0.0, deadline - time.monotonic())
