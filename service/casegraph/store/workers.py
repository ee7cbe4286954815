"""Query worker processes: in-memory replicas that can be killed at a deadline.

pyoxigraph cannot cancel a query, and some queries crash the whole process
(deep nesting overflows the stack; an entity bomb aborts).  So queries never
run in the server process: each worker holds an in-memory ``pyoxigraph.Store``
replica of the persistent store, and the parent SIGKILLs a worker that misses
its deadline or notices that it died, and starts a replacement in the
background while the other workers keep answering.

A worker starts from an N-Quads snapshot taken at some *generation* and then
applies, before every request, the committed graph replacements it has not
seen yet (the *replication log*), so it answers from exactly the state of the
last acknowledged write: never half an update, never an older state.

pyoxigraph's in-memory store never frees a removed quad (measured: about 440
bytes kept per quad replaced), so a replica grows with every write it applies.
A worker counts the quads it has replaced and, past a budget, asks to be
retired: the pool starts a fresh one from a new snapshot and stops the old one
once its successor answers, so memory stays bounded under a steady write load
without losing capacity.

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
from casegraph.store.base import QueryRequest

log = logging.getLogger(__name__)

#: One replicated commit: (generation, {graph IRI: N-Quads of its new content or None}).
LogEntry = tuple[int, dict[str, bytes | None]]
_NQUADS = ox.RdfFormat.N_QUADS
_NTRIPLES = ox.RdfFormat.N_TRIPLES
#: How long a request waits for the first worker to load its snapshot (seconds).
WORKER_START_TIMEOUT = 300.0
#: Quads a worker may replace (garbage it cannot free) before it is retired:
#: this many, or half the quads it started with if that is more.
RETIRE_AFTER_REPLACED_QUADS = 20_000
_SYNTAX_POSITION = re.compile(r"error at (\d+):(\d+)")


# --------------------------------------------------------------------------- worker side


def worker_main(conn, snapshot_path: str, generation: int, retire_after: int) -> None:
    """Entry point of a worker process: load the snapshot, then answer requests."""
    replica = ox.Store()
    replica.load(path=snapshot_path, format=_NQUADS, lenient=True)
    budget = max(retire_after, len(replica) // 2)
    replaced = 0
    conn.send(("ready",))
    handlers = {"query": _run_query, "select_json": _run_select_json, "preview": _run_preview}
    while True:
        try:
            operation, entries, payload = conn.recv()
        except (EOFError, OSError):
            return  # the parent went away
        for entry_generation, changes in entries:
            if entry_generation > generation:
                replaced += _apply_changes(replica, changes)
                generation = entry_generation
        try:
            status, value = "ok", handlers[operation](replica, *payload)
        except SyntaxError as error:
            status, value = "syntax", str(error)
        except Exception as error:  # reported to the caller, the worker stays usable
            status, value = "error", f"{type(error).__name__}: {error}"
        if operation == "preview" and status == "ok":
            value, undone = value  # a failed update left the replica as it was
            replaced += undone
        conn.send((status, generation, value, replaced > budget))


def _apply_changes(replica: ox.Store, changes: dict[str, bytes | None]) -> int:
    """Replace graphs in the replica; returns the quads removed (now garbage)."""
    removed = 0
    for iri, nquads in changes.items():
        graph = ox.NamedNode(iri)
        removed += sum(1 for _ in replica.quads_for_pattern(None, None, None, graph))
        replica.remove_graph(graph)
        if nquads:
            replica.load(nquads, format=_NQUADS, lenient=True)
    return removed


def _evaluate(replica: ox.Store, request: QueryRequest):
    return replica.query(
        request.sparql,
        **_dataset_options(request.default_graph_uris, request.named_graph_uris),
    )


def _run_query(replica: ox.Store, request: QueryRequest) -> tuple:
    max_rows = request.max_rows
    result = _evaluate(replica, request)
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


def _run_select_json(replica: ox.Store, request: QueryRequest) -> tuple[bytes, bool]:
    """A SELECT's results as SPARQL JSON bytes, written here rather than in the server.

    Large results otherwise cross the pipe as tuples, become rdflib terms and are
    serialised again in the server's one process.  The document is exactly what
    ``casegraph.rdf.formats`` writes for the same rows (terms via ``sparql_json_term``,
    the same ``json.dumps`` call, the same truncation notice).
    """
    max_rows = request.max_rows
    result = _evaluate(replica, request)
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


def _dataset_options(
    default_graph_uris: list[str] | None, named_graph_uris: list[str] | None
) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if default_graph_uris is not None:  # [] is an empty default graph
        options["default_graph"] = [ox.NamedNode(g) for g in default_graph_uris]
    else:
        options["use_default_graph_as_union"] = True
    if named_graph_uris is not None:  # [] is no named graph at all
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graph_uris]
    return options


def _run_preview(
    replica: ox.Store, sparql_update: str, writes: list[str], writes_all: bool
) -> tuple[dict[str, bytes | None], int]:
    """Apply an update to the replica, read the changed graphs, and undo it.

    Returns the changed graphs and about how many quads the update and its undo
    removed (garbage in the replica, never freed).
    """
    existing = set(replica.named_graphs())
    candidates = existing if writes_all else {ox.NamedNode(g) for g in writes}
    before = {g: set(replica.quads_for_pattern(None, None, None, g)) for g in candidates}
    replica.update(sparql_update)
    replaced = sum(map(len, before.values()))  # at most this many deleted by the update
    try:
        created = set(replica.named_graphs()) - existing
        changes: dict[str, bytes | None] = {}
        for graph in candidates | created:
            after = set(replica.quads_for_pattern(None, None, None, graph))
            if after != before.get(graph, set()):
                triples = [q.triple for q in after]
                changes[graph.value] = ox.serialize(triples, format=_NTRIPLES) if after else None
    finally:
        for graph in candidates | (set(replica.named_graphs()) - existing):
            replaced += sum(1 for _ in replica.quads_for_pattern(None, None, None, graph))
            replica.remove_graph(graph)
        for graph, quads in before.items():
            replica.extend(quads)
            if graph in existing:
                replica.add_graph(graph)
    return changes, replaced


# --------------------------------------------------------------------------- parent side


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Any
    generation: int
    #: A successor is starting: it reported too much garbage in its replica.
    retiring: bool = False
    #: The successor answers: stop this one instead of giving it more requests.
    retired: bool = False


class Replication(Protocol):
    """What the pool needs from the writer: snapshots and the replication log."""

    def snapshot(self) -> tuple[str, int]:
        """Lease a snapshot file (N-Quads) and the generation it holds."""

    def release_snapshot(self, path: str) -> None:
        """End the lease: the file may be deleted once superseded."""

    def entries_since(self, generation: int) -> list[LogEntry]:
        """The committed changes after ``generation``, oldest first."""


class QueryWorkerPool:
    """A fixed number of replica workers; requests queue for a free one."""

    def __init__(self, size: int, replication: Replication, *,
                 retire_after_quads: int = RETIRE_AFTER_REPLACED_QUADS):
        self._replication = replication
        self._retire_after = retire_after_quads
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["casegraph.store.workers"])
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._live: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(max(1, size)):
            self._start_replacement()

    def min_generation(self) -> int | None:
        """The oldest generation a live worker is at (log entries after it are needed)."""
        with self._lock:
            return min((w.generation for w in self._live), default=None)

    def has_live_worker(self) -> bool:
        """Whether a worker has loaded its snapshot (else queries wait for one to start)."""
        with self._lock:
            return bool(self._live)

    def run(self, operation: str, payload: tuple, timeout: float | None):
        """Run one request on a free worker; kill it at the deadline."""
        deadline = None if timeout is None else time.monotonic() + timeout
        wait = _remaining(deadline)
        with self._lock:
            starting = not self._live and wait is not None
        if starting:
            # Workers are still loading their snapshot (first start, or every one was
            # replaced): loading is not the query's time, so wait for it separately.
            wait = max(wait, WORKER_START_TIMEOUT)
        try:
            worker = self._idle.get(timeout=wait)
            while worker.retired:
                self._stop(worker)
                worker = self._idle.get(timeout=_remaining(deadline) if not starting else wait)
        except queue.Empty:
            raise QueryTimeout(
                f"no query worker became free within {wait:g} s (all busy or restarting)"
            ) from None
        if starting:
            deadline = time.monotonic() + timeout
        entries = self._replication.entries_since(worker.generation)
        try:
            worker.conn.send((operation, entries, payload))
            if not worker.conn.poll(_remaining(deadline)):
                self._discard(worker)
                raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")
            reply = worker.conn.recv()
        except (EOFError, OSError) as error:
            code = self._discard(worker)
            raise EngineCrashed(
                f"the query engine died while answering (exit code {code}); "
                "the query was not completed, other queries are unaffected"
            ) from error
        status, worker.generation, value, worn = reply
        if worn and not worker.retiring:
            worker.retiring = True
            self._start_replacement(retire=worker)
        if worker.retired:
            self._stop(worker)
        else:
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

    def _discard(self, worker: _Worker) -> int | None:
        """SIGKILL a worker (stopping its query for real) and start a replacement."""
        with self._lock:
            self._live.discard(worker)
        # It may die between is_alive() and kill(): a crashed worker is what we want.
        with contextlib.suppress(ProcessLookupError):
            if worker.process.is_alive():
                os.kill(worker.process.pid, signal.SIGKILL)
        worker.process.join(5)
        worker.conn.close()
        if not worker.retiring:  # a retiring worker's successor is already starting
            self._start_replacement()
        return worker.process.exitcode

    def _stop(self, worker: _Worker) -> None:
        """Stop a retired worker (idle, so nothing is lost); its successor already runs."""
        with self._lock:
            self._live.discard(worker)
        _kill(worker)

    def _start_replacement(self, retire: _Worker | None = None) -> None:
        threading.Thread(
            target=self._start_worker, args=(retire,), name="casegraph-worker-start", daemon=True
        ).start()

    def _start_worker(self, retire: _Worker | None = None) -> None:
        delay = 0.5
        while not self._closed:
            try:
                worker = self._spawn()
            except Exception as error:  # keep trying: a query may be waiting for a worker
                log.warning("query worker failed to start: %s; retrying in %.1f s", error, delay)
                time.sleep(delay)
                delay = min(delay * 2, 30)
                continue
            with self._lock:
                if self._closed:
                    _kill(worker)
                    return
                self._live.add(worker)
            self._idle.put(worker)
            if retire is not None:
                retire.retired = True  # stopped when next taken from, or given back to, the queue
            return

    def _spawn(self) -> _Worker:
        path, generation = self._replication.snapshot()
        try:
            parent_conn, child_conn = self._context.Pipe()
            process = self._context.Process(
                target=worker_main,
                args=(child_conn, path, generation, self._retire_after),
                name="casegraph-query",
                daemon=True,
            )
            process.start()
            child_conn.close()
            try:
                parent_conn.recv()  # ("ready",) once the snapshot is loaded
            except EOFError:
                process.join(5)
                raise StoreUnavailable(
                    f"query worker died loading the snapshot (exit code {process.exitcode})"
                ) from None
        finally:
            self._replication.release_snapshot(path)
        return _Worker(process, parent_conn, generation)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._live)
            self._live.clear()
        for worker in workers:
            _kill(worker)


def _kill(worker: _Worker) -> None:
    if worker.process.is_alive():
        os.kill(worker.process.pid, signal.SIGKILL)
    worker.process.join(5)
    worker.conn.close()


def _remaining(deadline: float | None) -> float | None:
    return None if deadline is None else max(0.0, deadline - time.monotonic())
