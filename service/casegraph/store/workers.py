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

import collections
import contextlib
import ctypes
import errno
import itertools
import json
import logging
import multiprocessing
import os
import queue
import re
import resource
import signal
import socket
import threading
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import pyoxigraph as ox

from casegraph.errors import (
    DataRefused,
    DataSyntaxError,
    EngineCrashed,
    InvalidInput,
    Overloaded,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    StoreUnavailable,
    UnsupportedMediaType,
    WorkerOutOfMemory,
)
from casegraph.rdf.formats import JSON_NOTICE_KEY
from casegraph.rdf.results import first_rows
from casegraph.rdf.terms import sparql_json_term, term_parts
from casegraph.store import merge
from casegraph.store.base import CLIENT_LANE, QueryRequest

log = logging.getLogger(__name__)

_NTRIPLES = ox.RdfFormat.N_TRIPLES
#: How long a request waits for the first worker to open its view (seconds).
WORKER_START_TIMEOUT = 300.0
_SYNTAX_POSITION = re.compile(r"error at (\d+):(\d+)")
#: Workers started beyond the client slots: one for the service's own queries while
#: clients keep every other worker busy, and a warm one left when a worker is killed.
SPARE_WORKERS = 1
#: How long a client request waits for a free worker, while every worker is up and
#: busy, before 503 + Retry-After (seconds).
ADMISSION_WAIT_SECONDS = 1.0
#: Client requests that may wait at once; more are refused at once.
ADMISSION_QUEUE_LIMIT = 16


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


def worker_main(conn, view: View, confinement: Confinement | None = None) -> None:
    """Entry point of a worker process: confine it, open the view, then answer requests."""
    refusal = confine(confinement or Confinement())
    if refusal is not None:
        conn.send(("unconfined", refusal))
        return
    db, view = ensure_view(None, None, view)
    conn.send(("ready",))
    handlers = {"query": _run_query, "select_json": _run_select_json, "preview": _run_preview,
                **untrusted_input_handlers()}
    while True:
        try:
            operation, wanted, payload = conn.recv()
        except (EOFError, OSError):
            return  # the parent went away
        try:
            if operation not in STORELESS_OPERATIONS:
                db, view = ensure_view(db, view, wanted)
            status, value = "ok", handlers[operation](db, *payload)
        except REPORTED_ERRORS as error:  # refusals and syntax errors, rebuilt by the parent
            status, value = "raised", error_parts(error)
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
        # CONSTRUCT/DESCRIBE are cut like SELECT rows: a product of two patterns would
        # otherwise cross the pipe, and fill the server's memory, whole.
        triples, truncated = first_rows(
            (tuple(map(term_parts, (t.subject, t.predicate, t.object))) for t in result),
            max_rows)
        return ("graph", triples, truncated)
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


# --------------------------------------------------------------------------- confinement
#
# Workers run everything a client sends (query and update texts, uploads, data to
# validate), so each one is confined before it reads a request: an address-space
# cap (RLIMIT_AS), and a network namespace of its own with no interface up, so no
# parser, escape or engine differential can open a connection — the kernel
# refuses it (ENETUNREACH), whatever the text asked for.

#: Address space a worker may map (RLIMIT_AS), unless configured otherwise.
DEFAULT_WORKER_MEMORY_BYTES = 4 * 1024**3
_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000


@dataclass(frozen=True)
class Confinement:
    """How a worker is confined: its memory cap, and whether a missing network
    namespace is tolerated (``allow_network``: development machines only)."""

    memory_bytes: int | None = DEFAULT_WORKER_MEMORY_BYTES
    allow_network: bool = False


def confine(confinement: Confinement) -> str | None:
    """Cap the worker's memory and take it off the network; why it failed, else None.

    Fails closed: a worker that cannot leave the network refuses to start unless
    ``allow_network`` says a networked worker is acceptable.
    """
    if confinement.memory_bytes:
        try:
            resource.setrlimit(resource.RLIMIT_AS,
                               (confinement.memory_bytes, confinement.memory_bytes))
        except (ValueError, OSError) as error:
            return f"the memory limit cannot be set: {error}"
    reason = leave_network()
    if reason is None:
        return None
    if confinement.allow_network:
        log.warning("query worker runs WITH network access (%s): "
                    "CASEGRAPH_ALLOW_NETWORKED_WORKERS is set", reason)
        return None
    return (f"the query worker cannot be taken off the network ({reason}); queries, "
            "updates and uploads are refused. Run casegraph as root or where user "
            "namespaces are allowed; on a development machine that cannot, "
            "CASEGRAPH_ALLOW_NETWORKED_WORKERS=true runs workers with network access")


def leave_network() -> str | None:
    """Move this process into a new, empty network namespace; why not, else None.

    As root ``unshare(CLONE_NEWNET)`` suffices; unprivileged, a user namespace
    grants the capability for it.  Success is checked, not assumed: a loopback
    connection must then fail with ENETUNREACH.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(_CLONE_NEWNET) != 0:
        first = os.strerror(ctypes.get_errno())
        if libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) != 0:
            return (f"unshare(CLONE_NEWNET) failed: {first}; in a user namespace: "
                    f"{os.strerror(ctypes.get_errno())}")
    return network_reachable()


def network_reachable() -> str | None:
    """None when this process cannot reach even the loopback interface."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.settimeout(1)
    try:
        probe.connect(("127.0.0.1", 80))
    except OSError as error:
        if error.errno == errno.ENETUNREACH:
            return None
        return f"a loopback connection still got: {error.strerror or error}"
    finally:
        probe.close()
    return "a loopback connection succeeded"


# --------------------------------------------------------------------------- untrusted input
#
# The analysis of client texts and the parsing of client data run here, never in
# the server process: a parser that recurses too deep, allocates too much or
# loops only costs this worker (killed at the request's deadline, capped by
# RLIMIT_AS), and the parse-time refusals are decided in the process that then
# executes the text.

#: Errors a handler raises about the request; the parent re-raises them as they are.
REPORTED_ERRORS = (InvalidInput, UnsupportedMediaType)
_REPORTED_BY_NAME = {cls.__name__: cls for cls in (
    QuerySyntaxError, QueryRefused, DataSyntaxError, DataRefused, UnsupportedMediaType)}


def error_parts(error: Exception) -> tuple[str, str, int | None, int | None]:
    """An error as plain values (exceptions with keyword state do not pickle whole)."""
    return (type(error).__name__, str(error), getattr(error, "line", None),
            getattr(error, "column", None))


def raise_parts(parts: tuple[str, str, int | None, int | None]) -> None:
    """Re-raise, in the parent, an error a worker reported with ``error_parts``."""
    name, message, line, column = parts
    cls = _REPORTED_BY_NAME.get(name)
    if cls in (QuerySyntaxError, DataSyntaxError):
        raise cls(message, line=line, column=column)
    if cls is not None:
        raise cls(message)
    raise QueryRefused(message)


#: Operations that read only their payload, never the store: the worker answers them on
#: the view it has open instead of reopening the newest one first.  After every write the
#: newest view is new, and opening a RocksDB checkpoint costs tens of milliseconds (at 2k
#: cases ~40 ms) — paid twice by each guarded write (parse, then validate) for nothing.
STORELESS_OPERATIONS = frozenset({"parse_upload", "validate_upload", "validate_graph"})


def untrusted_input_handlers() -> dict[str, Callable[..., Any]]:
    """The worker operations that read client input other than by executing it."""
    return {
        "check_query": _check_query,
        "prepare_update": _prepare_update,
        "update_scope": _update_scope,
        "parse_upload": _parse_upload,
        "validate_upload": _validate_upload,
        "validate_graph": _validate_graph,
    }


class ReplicaGraphNames(Collection[str]):
    """The graphs this worker's store holds, probed one by one (FROM/USING checks)."""

    def __init__(self, replica: ox.Store):
        self._replica = replica

    def __contains__(self, iri: object) -> bool:
        try:
            graph = ox.NamedNode(str(iri))
        except ValueError:
            return False
        return next(iter(self._replica.quads_for_pattern(None, None, None, graph)), None) \
            is not None

    def __iter__(self) -> Iterator[str]:
        return (g.value for g in self._replica.named_graphs()
                if isinstance(g, ox.NamedNode) and g.value in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _policy(replica: ox.Store, allowlist: list[str]):
    from casegraph.sparql.safety import SafetyPolicy

    return SafetyPolicy(known_graphs=ReplicaGraphNames(replica),
                        service_allowlist=frozenset(allowlist))


def _check_query(replica: ox.Store, text: str, allowlist: list[str]):
    from casegraph.sparql.safety import check_query

    return check_query(text, _policy(replica, allowlist))


def _prepare_update(replica: ox.Store, text: str, allowlist: list[str],
                    using: list[str], using_named: list[str]) -> str:
    from casegraph.sparql.protocol_dataset import with_protocol_dataset
    from casegraph.sparql.safety import check_update

    checked = check_update(text, _policy(replica, allowlist))
    return with_protocol_dataset(checked.text, using, using_named)


def _update_scope(replica: ox.Store, text: str) -> tuple[list[str], bool, list[str], bool]:
    """The graphs an update writes and reads (``sparql.update_scope``), decided here."""
    from casegraph.sparql.update_scope import parse_update_scope

    scope = parse_update_scope(text)
    return (sorted(str(g) for g in scope.writes), scope.writes_all,
            sorted(str(g) for g in scope.reads), scope.reads_all)


def _parse_upload(replica: ox.Store, data: bytes, format_name: str,
                  base_iri: str | None) -> list[tuple]:
    """Uploaded bytes as quads of term parts (``rdf.uploads.dataset_from_parts`` rebuilds them)."""
    from casegraph.rdf.uploads import upload_quad_parts

    return upload_quad_parts(data, _graph_format(format_name), base_iri=base_iri)


def _validate_upload(replica: ox.Store, data: bytes, format_name: str, base_iri: str):
    """``POST /validate``: parse and validate here; the report is all that goes back."""
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    from casegraph.rdf.uploads import parse_upload
    from casegraph.shacl.validation import validate_dataset, validate_graph

    fmt = _graph_format(format_name)
    dataset = parse_upload(data, fmt)
    if fmt.holds_quads:
        return validate_dataset(dataset, base_iri=base_iri)
    return validate_graph(dataset.graph(DATASET_DEFAULT_GRAPH_ID), base_iri=base_iri)


def _validate_graph(replica: ox.Store, triples: list[tuple], graph_iri: str | None,
                    base_iri: str):
    """A guarded write's SHACL check: written data is client data, so it runs here."""
    from rdflib import Graph, URIRef

    from casegraph.rdf.terms import term_from_parts
    from casegraph.shacl.validation import validate_graph

    graph = Graph()
    for triple in triples:
        graph.add(tuple(term_from_parts(*parts) for parts in triple))
    return validate_graph(graph, graph=URIRef(graph_iri) if graph_iri else None,
                          base_iri=base_iri)


def _graph_format(name: str):
    from casegraph.rdf.formats import GRAPH_FORMATS, format_for_name

    fmt = format_for_name(name, GRAPH_FORMATS)
    if fmt is None:
        raise UnsupportedMediaType(f"no RDF syntax named {name!r}")
    return fmt


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
    """View workers; requests queue for a free one (see ``run`` for admission)."""

    def __init__(self, size: int, views: Views, *, confinement: Confinement | None = None,
                 spares: int = SPARE_WORKERS, admission_wait: float = ADMISSION_WAIT_SECONDS):
        self._views = views
        self._confinement = confinement or Confinement()
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["casegraph.store.workers"])
        self._idle = _IdleWorkers()
        #: Idle workers a client request leaves to the service's own queries.
        self._reserve = max(0, spares)
        self._target = max(1, size) + self._reserve
        #: Set once every worker has started: until then no spare is kept back (the
        #: first queries after a start would only wait for the last ones to open).
        self._started = False
        self._admission_wait = admission_wait
        #: Client requests waiting for a worker now (at most ADMISSION_QUEUE_LIMIT).
        self._waiting = 0
        #: Why workers cannot run at all (confinement failed): every request says so.
        self._failure: str | None = None
        self._live: set[_Worker] = set()
        self._lock = threading.Lock()
        self._starters: set[threading.Thread] = set()
        self._closing = threading.Event()  # wakes a starter waiting to retry
        self._closed = False
        for _ in range(self._target):
            self._start_replacement()

    def has_live_worker(self) -> bool:
        """Whether a worker has opened its view (else queries wait for one to start).

        Raises ``StoreUnavailable`` when no worker can ever start (confinement failed).
        """
        if self._failure is not None:
            raise StoreUnavailable(self._failure)
        with self._lock:
            return bool(self._live)

    def run(self, operation: str, payload: tuple, timeout: float | None, *,
            lane: str = CLIENT_LANE):
        """Run one request on a free worker; kill it at the deadline.

        Admission, for client requests (the service's own take any idle worker):

        * they leave the spare workers idle, so pages and questions find one at once
          while clients keep every other worker busy (``_IdleWorkers``);
        * while every worker is up and busy, a client request waits at most
          ``admission_wait`` seconds, then gets ``Overloaded`` (503, Retry-After)
          instead of queueing behind work that may take the whole time limit; while
          a killed worker is being replaced it waits up to its own deadline, since
          the replacement is coming;
        * at most ``ADMISSION_QUEUE_LIMIT`` wait at once; more are refused at once.
        """
        if self._failure is not None:
            raise StoreUnavailable(self._failure)
        if lane != CLIENT_LANE:
            return self._run(operation, payload, timeout, client=False)
        with self._lock:
            if self._waiting >= ADMISSION_QUEUE_LIMIT:
                raise Overloaded(f"{self._waiting} requests are already waiting for a query "
                                 "worker; retry shortly", retry_after=2)
            self._waiting += 1
        try:
            return self._run(operation, payload, timeout, client=True)
        finally:
            with self._lock:
                self._waiting -= 1

    def _run(self, operation: str, payload: tuple, timeout: float | None, *, client: bool):
        deadline = None if timeout is None else time.monotonic() + timeout
        wait = _remaining(deadline)
        with self._lock:
            starting = not self._live and wait is not None
            complete = len(self._live) >= self._target
            self._started = self._started or complete
            reserve = self._reserve if client and self._started else 0
        capped = False
        if starting:
            # Workers are still starting (first start, or every one was replaced):
            # starting is not the query's time, so wait for it separately.
            wait = max(wait, WORKER_START_TIMEOUT)
        elif client and complete and (wait is None or self._admission_wait < wait):
            wait, capped = self._admission_wait, True
        try:
            worker = self._idle.get(wait, reserve)
            if worker is _NO_WORKER:  # left in place for the next waiter
                raise StoreUnavailable(self._failure or "no query worker can start")
        except queue.Empty:
            if capped:
                raise Overloaded(f"every query worker stayed busy for {wait:g} s; "
                                 "retry shortly", retry_after=2) from None
            raise Overloaded(f"no query worker became free within {wait:g} s (all busy or "
                             "restarting); retry shortly", retry_after=2) from None
        if self._failure is not None:
            raise StoreUnavailable(self._failure)
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
                raise QueryTimeout("the request ran past its time limit and was stopped")
            reply = worker.conn.recv()
        except (EOFError, OSError) as error:
            code = self._discard(worker, view)
            if code == -signal.SIGABRT and self._confinement.memory_bytes:
                # Allocation failures abort the engine; under RLIMIT_AS that is the cap.
                raise WorkerOutOfMemory(
                    "the query needed more memory than a query worker may use "
                    f"({self._confinement.memory_bytes // 2**20:,} MiB) and was stopped; "
                    "narrow the query or add LIMIT (other queries are unaffected)"
                ) from error
            raise EngineCrashed(
                f"the query engine died while answering (exit code {code}); "
                "the query was not completed, other queries are unaffected"
            ) from error
        status, opened, value = reply
        self._note_view(worker, view, opened)
        self._idle.put(worker)
        if status == "ok":
            return value
        if status == "raised":
            raise_parts(value)
        if status == "syntax":
            match = _SYNTAX_POSITION.search(value)
            line, column = (int(match[1]), int(match[2])) if match else (None, None)
            raise QuerySyntaxError(f"SPARQL syntax error: {value}", line=line, column=column)
        if "Network is unreachable" in value:
            # The engine itself tried to fetch something (SERVICE, LOAD): the parse-time
            # refusals did not see it, the worker's empty network namespace stopped it.
            raise QueryRefused(
                "the request asked the engine to fetch data from the network (SERVICE or "
                f"LOAD), which query workers have no access to; refused ({value})")
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
            except WorkerUnconfined as error:
                log.error("%s", error)
                self._failure = str(error)
                self._idle.put(_NO_WORKER)  # wakes a request waiting for a worker
                return
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
                target=worker_main, args=(child_conn, view, self._confinement),
                name="casegraph-query", daemon=True,
            )
            process.start()
            child_conn.close()
            try:
                started = parent_conn.recv()  # ("ready",) once the view is open
                if started[0] == "unconfined":
                    process.join(5)
                    raise WorkerUnconfined(started[1])
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


class _IdleWorkers:
    """The idle workers, handed out oldest waiter first; a waiter with a ``reserve``
    takes one only while more than ``reserve`` are idle.

    So while clients keep every other worker busy, or a killed worker's replacement is
    still loading, a page's query still finds the spare at once; and a waiting write is
    not overtaken, again and again, by readers that keep coming back.
    """

    def __init__(self) -> None:
        self._workers: collections.deque[_Worker] = collections.deque()
        self._waiters: list[tuple[int, int]] = []  # (ticket, reserve), oldest first
        self._tickets = itertools.count()
        self._changed = threading.Condition()

    def put(self, worker: _Worker) -> None:
        with self._changed:
            self._workers.append(worker)
            self._changed.notify_all()

    def get(self, timeout: float | None, reserve: int = 0) -> _Worker:
        """An idle worker; ``queue.Empty`` at the timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._changed:
            me = (next(self._tickets), reserve)
            self._waiters.append(me)
            try:
                while True:
                    if _NO_WORKER in self._workers:
                        return _NO_WORKER
                    served = next((w for w in self._waiters if len(self._workers) > w[1]), None)
                    if served == me:
                        return self._workers.popleft()
                    left = _remaining(deadline)
                    if left is not None and left <= 0:
                        raise queue.Empty
                    self._changed.wait(left)
            finally:
                self._waiters.remove(me)
                self._changed.notify_all()  # the next eligible waiter may go now


class WorkerUnconfined(StoreUnavailable):
    """A worker could not be confined (see ``confine``) and refused to start."""


#: Put in the idle queue when no worker can ever start, to wake the waiting requests.
_NO_WORKER = _Worker(process=None, conn=None, view=View("", -1))


def _kill(worker: _Worker) -> None:
    if worker.process.is_alive():
        os.kill(worker.process.pid, signal.SIGKILL)
    worker.process.join(5)
    worker.conn.close()


def _remaining(deadline: float | None) -> float | None:
    return None if deadline is None else max(0.0, deadline - time.monotonic())
