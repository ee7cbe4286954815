"""The embedded persistent backend: one RocksDB pyoxigraph store, one writer.

This process owns the read-write RocksDB store in ``data_dir`` (RocksDB allows
one read-write process), and it is the only writer.  Queries and update
previews run in ``query_workers`` processes (see ``workers``), each reading a
*view*: a RocksDB checkpoint of the store, opened read-only.

* ``replace_graphs`` commits every graph, and the change to the merged default
  graph (``merge``), in one SPARQL update request, which pyoxigraph runs as one
  RocksDB transaction; once it returns the change is in the write-ahead log,
  which survives a killed process but is not synced to the disk (pyoxigraph
  offers no synced write), so the write then flushes RocksDB's memtables into
  table files, which RocksDB fsyncs along with its manifest: only then is the
  write acknowledged, and it survives a power loss too.  The flush also keeps
  memory flat: without it the memtables grew by about 19 MB per thousand small
  writes (measured), far past any steady state;
* then, under the same lock, the generation number goes up and a checkpoint of
  the new state becomes the current view (hard links to the table files the
  flush just wrote, in ``data_dir/casegraph-views``), so the next request of
  every worker answers from it: read-your-writes after every acknowledged write.

A view is deleted when no worker holds it any more; the views directory is
emptied at start (a killed process leaves its views behind).  Restarting
opens RocksDB and a checkpoint and loads nothing.
"""

from __future__ import annotations

import logging
import os
import queue
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.term import URIRef

from casegraph.config import CANONICAL_BASE_IRI, Settings
from casegraph.errors import (
    DataRefused,
    EngineCrashed,
    InsufficientStorage,
    QueryRefused,
    QuerySyntaxError,
    StoreError,
    StoreUnavailable,
)
from casegraph.rdf.formats import WRITTEN_PREFIXES, Format
from casegraph.rdf.results import QueryResult
from casegraph.rdf.terms import parts_of, term_from_parts, term_parts
from casegraph.rdf.uploads import dataset_from_parts
from casegraph.sparql.safety import CheckedQuery, SafetyPolicy
from casegraph.store import merge
from casegraph.store.base import CLIENT_LANE, QueryRequest, Store
from casegraph.store.workers import (
    ADMISSION_WAIT_SECONDS,
    SPARE_WORKERS,
    Confinement,
    QueryWorkerPool,
    View,
)

if TYPE_CHECKING:
    from casegraph.shacl.report import ValidationReport

#: Where the views (checkpoints) live: inside the data directory, so that they are on
#: the same file system and a checkpoint is hard links, never a copy.
VIEWS_DIRECTORY = "casegraph-views"
#: Free bytes a write leaves untouched beyond its size times FLUSH_SPACE_FACTOR.
FREE_SPACE_MARGIN = 1024 * 1024
#: A write lands in the log, then in one table file per index (nine) when flushed.
FLUSH_SPACE_FACTOR = 12
_DEFAULT = ox.DefaultGraph()
log = logging.getLogger(__name__)


class OxigraphStore(Store):
    """The persistent store of one ``casegraph`` process, queried through killable workers."""

    def __init__(self, data_dir: Path, *, query_workers: int = 2, query_timeout: float = 10.0,
                 confinement: Confinement | None = None, spare_workers: int = SPARE_WORKERS,
                 admission_wait: float = ADMISSION_WAIT_SECONDS):
        self.data_dir = Path(data_dir)
        self._confinement = confinement or Confinement()
        self._spare_workers = spare_workers
        self._admission_wait = admission_wait
        self._db = _open_rocksdb(self.data_dir)
        if merge.needs_merge(self._db):  # written before the default graph held the merge
            merge.build_merge(self._db)
            self._db.flush()
        self._reopen_before_writing = False
        self._query_workers = query_workers
        self._default_timeout = query_timeout
        self._write_lock = threading.Lock()  # one writer; also pins generations
        self._state_lock = threading.Lock()  # generation, views and their leases
        self._pool_lock = threading.Lock()
        self._generation = 0
        self._views_dir = self.data_dir / VIEWS_DIRECTORY
        shutil.rmtree(self._views_dir, ignore_errors=True)  # left by a killed process
        self._view: View | None = None
        self._leases: dict[View, int] = {}
        self._merged_count: tuple[int, int] | None = None  # (generation, triples)
        self._pool: QueryWorkerPool | None = None
        # Names of the non-empty named graphs, kept current by every write: listing
        # them from RocksDB probes each graph (O(cases)), and /sparql needs them per request.
        self._graph_names: set[str] | None = None
        self._sorted_names: list[URIRef] | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> OxigraphStore:
        return cls(
            settings.data_dir,
            query_workers=settings.query_workers,
            query_timeout=settings.query_timeout,
            confinement=Confinement(
                memory_bytes=settings.worker_memory_mb * 1024 * 1024 or None,
                allow_network=settings.allow_networked_workers,
            ),
            admission_wait=settings.admission_wait,
        )

    # ------------------------------------------------------------------ reads

    def start(self) -> None:
        """Start the query workers now instead of at the first query (servers warm up)."""
        with self._pool_lock:
            if self._pool is None:
                self._pool = QueryWorkerPool(self._query_workers, self,
                                             confinement=self._confinement,
                                             spares=self._spare_workers,
                                             admission_wait=self._admission_wait)

    def queries_ready(self) -> bool:
        self.start()  # a readiness probe before the first query starts them
        return self._pool.has_live_worker()

    def _run(self, operation: str, payload: tuple, timeout: float | None,
             lane: str = CLIENT_LANE):
        self.start()
        return self._pool.run(operation, payload, timeout or self._default_timeout, lane=lane)

    # ---- client input, in the confined workers (see ``workers``)

    def _parse_untrusted(self, operation: str, payload: tuple, timeout: float | None,
                         refusal: type[Exception]):
        """Run a parsing operation; a parser that crashes its worker is the request's
        fault (it nests or repeats a construct too much), so it is a 400, not a 500."""
        try:
            return self._run(operation, payload, timeout)
        except EngineCrashed as error:
            raise refusal(
                "the request crashed the parser in its worker process (it nests or repeats "
                f"a construct too deeply to be parsed); nothing else was affected ({error})"
            ) from None

    def check_query(self, text: str, policy: SafetyPolicy, *,
                    timeout: float | None = None) -> CheckedQuery:
        """The safety analysis, in a worker: the graphs FROM names are probed there."""
        return self._parse_untrusted(
            "check_query", (text, sorted(policy.service_allowlist)), timeout, QueryRefused)

    def prepare_update(self, text: str, policy: SafetyPolicy, using: list[str],
                       using_named: list[str], *, timeout: float | None = None) -> str:
        return self._parse_untrusted(
            "prepare_update", (text, sorted(policy.service_allowlist), using, using_named),
            timeout, QueryRefused)

    def parse_upload(self, data: bytes, fmt: Format, *, base_iri: str | None = None,
                     timeout: float | None = None) -> Dataset:
        quads = self._parse_untrusted("parse_upload", (data, fmt.name, base_iri), timeout,
                                      DataRefused)
        return dataset_from_parts(quads)

    def validate_upload(self, data: bytes, fmt: Format, *, base_iri: str,
                        timeout: float | None = None) -> ValidationReport:
        return self._parse_untrusted("validate_upload", (data, fmt.name, base_iri), timeout,
                                     DataRefused)

    def validate_graph(self, data: Graph, *, graph: URIRef | None = None,
                       base_iri: str) -> ValidationReport:
        triples = [tuple(parts_of(term) for term in triple) for triple in data]
        return self._run("validate_graph",
                         (triples, None if graph is None else str(graph), base_iri), None)

    def evaluate(self, request: QueryRequest) -> QueryResult:
        answer = self._run("query", (_for_worker(request),), request.timeout, request.lane)
        if answer[0] == "boolean":
            return QueryResult(kind="boolean", boolean=answer[1])
        if answer[0] == "graph":
            return QueryResult(
                kind="graph", triples=[tuple(term_from_parts(*p) for p in t) for t in answer[1]],
                truncated=answer[2],
            )
        _, variables, rows, truncated = answer
        return QueryResult(
            kind="bindings",
            variables=variables,
            rows=[tuple(None if p is None else term_from_parts(*p) for p in row) for row in rows],
            truncated=truncated,
        )

    def select_json(self, request: QueryRequest) -> tuple[bytes, bool]:
        """Written by the worker: the same bytes as the generic version, without turning
        every row into rdflib terms in this process (a 30,000-row answer spends more time
        there than in the engine)."""
        return self._run("select_json", (_for_worker(request),), request.timeout, request.lane)

    def stream_rows(self, sparql: str) -> Iterator[tuple[tuple | None, ...]]:
        """Rows of one of the service's own fixed queries, read here from RocksDB, as term
        parts (``workers.term_parts``), streamed.

        For building indexes over the whole store (search): no worker round trip, no
        rdflib terms, no list of every row.  Never for client queries: these run here,
        where they cannot be stopped at a deadline.
        """
        result = self._db.query(sparql)  # the default graph is the merge
        for solution in result:
            yield tuple(map(term_parts, solution))

    def update_preview(
        self, sparql_update: str, *, timeout: float | None = None
    ) -> dict[URIRef, Graph | None]:
        # The scope is worked out by a worker too: the update is a client's text.
        deadline = time.monotonic() + (timeout or self._default_timeout)
        writes, writes_all, reads, reads_all = self._run("update_scope", (sparql_update,),
                                                         timeout)
        # Only an update that may touch every graph needs a copy of the whole store.
        copy = self._writable_copy() if writes_all or reads_all else None
        try:
            payload = (None if copy is None else str(copy), sparql_update, writes, writes_all,
                       reads)
            changes = self._run("preview", payload, max(0.0, deadline - time.monotonic()))
        finally:
            if copy is not None:
                shutil.rmtree(copy, ignore_errors=True)
        return {
            URIRef(iri): None
            if data is None
            else Graph(identifier=URIRef(iri)).parse(data=data, format="nt")
            for iri, data in changes.items()
        }

    def has_graph(self, iri: URIRef) -> bool:
        """Looked up in the cached set of names: no sorted list is built after a write."""
        with self._state_lock:
            if self._graph_names is not None:
                return str(iri) in self._graph_names
        self.named_graphs()  # fills the cache
        with self._state_lock:
            return str(iri) in (self._graph_names or ())

    def named_graphs(self) -> list[URIRef]:
        with self._state_lock:
            if self._sorted_names is not None:
                return list(self._sorted_names)
        with self._write_lock:  # no write may slip between listing and caching
            names = self._graph_names
            if names is None:
                names = {
                    g.value
                    for g in self._db.named_graphs()
                    if isinstance(g, ox.NamedNode) and _has_quads(self._db, g)
                }
            ordered = sorted(map(URIRef, names))
            with self._state_lock:
                self._graph_names, self._sorted_names = names, ordered
            return list(ordered)

    def graph(self, iri: URIRef) -> Graph:
        data = ox.serialize(
            (q.triple for q in self._db.quads_for_pattern(None, None, None, ox.NamedNode(iri))),
            format=ox.RdfFormat.N_TRIPLES,
        )
        return Graph(identifier=URIRef(iri)).parse(data=data, format="nt")

    def dump(self, media_type: str, graph: URIRef | None = None) -> Iterator[bytes]:
        rdf_format = ox.RdfFormat.from_media_type(media_type)
        if rdf_format is None:
            raise ValueError(f"unsupported RDF media type {media_type!r}")
        options: dict = {}
        if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
            # No id: prefix (its names would need id:org\/x): relative to @base instead.
            options["prefixes"] = WRITTEN_PREFIXES
            options["base_iri"] = CANONICAL_BASE_IRI
        db = self._db
        if graph is not None:
            def items():
                return (q.triple for q in db.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
        elif rdf_format.supports_datasets:  # the named graphs; the merge is derived from them
            def items():
                return (q for q in db.quads_for_pattern(None, None, None, None)
                        if not isinstance(q.graph_name, ox.DefaultGraph))
        else:  # one graph of the whole dataset: the merge
            def items():
                return (q.triple for q in db.quads_for_pattern(None, None, None, _DEFAULT))
        return _stream_dump(items, rdf_format, options)

    def triple_count(self, graph: URIRef | None = None) -> int:
        if graph is None:
            return len(self._db) - self.merged_triple_count()
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        return int(next(iter(self._db.query(query)))["n"].value)

    def merged_triple_count(self) -> int:
        with self._state_lock:
            if self._merged_count is not None and self._merged_count[0] == self._generation:
                return self._merged_count[1]
        with self._write_lock:  # an iterator reads the snapshot it was made at
            generation, merged = self._generation, merge.merged_triples(self._db)
        count = sum(1 for _ in merged)  # counted without holding up writes
        with self._state_lock:
            self._merged_count = (generation, count)
        return count

    # ------------------------------------------------------------------ writes

    def replace_graphs(self, graphs: Mapping[URIRef, Graph | None]) -> None:
        if not graphs:
            return
        with self._write_lock:
            if self._reopen_before_writing:
                self._reopen()
            update = merge.replace_update(self._db, graphs)
            self._ensure_space_for(len(update.encode("utf-8")))
            try:
                self._db.update(update)
            except SyntaxError as error:
                raise QuerySyntaxError(f"the graphs cannot be written: {error}") from error
            except (OSError, RuntimeError) as error:
                if "No space left" in str(error):
                    self._reopen_before_writing = True  # RocksDB refuses writes until then
                    raise InsufficientStorage(self._no_space_message()) from error
                raise StoreError(f"the write was rolled back: {error}") from error
            self._note_graph_names({str(iri): _has_quads(self._db, ox.NamedNode(iri))
                                    for iri in graphs})
            self._flush_committed_write()
            self._publish_view()

    def bulk_load(self, source: Path | bytes, media_type: str, *, graph: URIRef | None = None):
        """Fast, non-atomic load with the RocksDB bulk loader (empty store, benchmarks).

        Once query workers run, the generic path is used instead (one transaction
        they see whole).  The merge is then rebuilt over the whole store.
        """
        if self._pool is not None:
            return super().bulk_load(source, media_type, graph=graph)
        rdf_format = ox.RdfFormat.from_media_type(media_type)
        options = {"to_graph": ox.NamedNode(graph)} if graph is not None else {}
        if isinstance(source, Path):
            options["path"] = str(source)
        else:
            options["input"] = source
        with self._write_lock:
            try:
                self._db.bulk_load(format=rdf_format, **options)
            except SyntaxError as error:
                raise QuerySyntaxError(
                    f"{source if isinstance(source, Path) else 'input'}: {error}"
                ) from error
            merge.build_merge(self._db)
            self._db.flush()
            with self._state_lock:
                self._graph_names = self._sorted_names = None
            self._publish_view()

    def _flush_committed_write(self) -> None:
        """Make the committed write durable before it is acknowledged (see the module doc).

        The write is already committed and replicated: if the flush itself fails
        (a disk filled up in between), the write stays acknowledged and durable
        across a killed process, the failure is logged, and the next write's
        flush covers it.
        """
        try:
            self._db.flush()
        except OSError as error:
            log.error("a committed write could not be flushed to disk (%s); it is in the "
                      "write-ahead log and will be flushed with the next write", error)

    def _note_graph_names(self, changes: Mapping[str, bool]) -> None:
        """Keep the cached graph names in step with a committed replacement."""
        with self._state_lock:
            if self._graph_names is None:
                return
            for iri, has_quads in changes.items():
                if has_quads:
                    self._graph_names.add(iri)
                else:
                    self._graph_names.discard(iri)
            self._sorted_names = None

    def _ensure_space_for(self, update_bytes: int) -> None:
        """Refuse a write the disk cannot hold before RocksDB sees it.

        A write that fails inside RocksDB for lack of space leaves RocksDB refusing
        every later write until it is reopened; refusing early keeps the store
        writable the moment space is freed.
        """
        disk = os.statvfs(self.data_dir)
        if disk.f_bavail * disk.f_frsize < FLUSH_SPACE_FACTOR * update_bytes + FREE_SPACE_MARGIN:
            raise InsufficientStorage(self._no_space_message())

    def _no_space_message(self) -> str:
        return (f"no space left on the device holding {self.data_dir}: the write was "
                "rolled back and the store is unchanged; free some space and retry")

    def _reopen(self) -> None:
        """Close and reopen RocksDB (called under the write lock after an out-of-space write).

        The old handle must be closed first: RocksDB locks the directory even
        against the same process.
        """
        old, self._db = self._db, None
        del old
        self._db = _open_rocksdb(self.data_dir)
        self._reopen_before_writing = False

    # ------------------------------------------------------------------ views

    def _publish_view(self) -> None:
        """Make a checkpoint of the state just committed the current view (write lock held).

        The writes before it were flushed, so the checkpoint is hard links and a
        manifest.  If it fails (a full disk), no view is current and the next request
        tries again, answering 503 until one can be taken: never an older state.
        """
        with self._state_lock:
            self._generation += 1
            old, self._view = self._view, None
            self._drop_if_unused(old)
        view = self._checkpoint(self._generation)
        with self._state_lock:
            self._view = view

    def _checkpoint(self, generation: int) -> View | None:
        path = self._views_dir / f"view-{generation}-{uuid.uuid4().hex[:8]}"
        try:
            self._views_dir.mkdir(exist_ok=True)
            self._db.backup(str(path))
        except OSError as error:
            log.error("no view of generation %d could be taken (%s)", generation, error)
            shutil.rmtree(path, ignore_errors=True)
            return None
        return View(str(path), generation)

    def current_view(self) -> View:
        with self._state_lock:
            if self._view is not None:
                self._leases[self._view] = self._leases.get(self._view, 0) + 1
                return self._view
        with self._write_lock:  # pins the generation while the checkpoint is taken
            with self._state_lock:
                view = self._view
            if view is None:
                view = self._checkpoint(self._generation)
                if view is None:
                    raise StoreUnavailable(
                        f"no consistent view of the store in {self.data_dir} can be opened "
                        "(is its disk full?); retry once space is freed")
            with self._state_lock:
                self._view = view
                self._leases[view] = self._leases.get(view, 0) + 1
                return view

    def release_view(self, view: View) -> None:
        with self._state_lock:
            self._leases[view] -= 1
            if view != self._view:
                self._drop_if_unused(view)

    def _drop_if_unused(self, view: View | None) -> None:
        """Delete a superseded view nobody holds (caller holds the state lock)."""
        if view is not None and not self._leases.get(view):
            self._leases.pop(view, None)
            shutil.rmtree(view.path, ignore_errors=True)

    def _writable_copy(self) -> Path:
        """A private checkpoint of the current state for one update preview (deleted after)."""
        path = self._views_dir / f"preview-{uuid.uuid4().hex}"
        with self._write_lock:
            try:
                self._views_dir.mkdir(exist_ok=True)
                self._db.backup(str(path))
            except OSError as error:
                shutil.rmtree(path, ignore_errors=True)
                raise StoreUnavailable(
                    f"the update cannot be previewed: no copy of the store in {self.data_dir} "
                    f"can be taken ({error})") from error
        return path

    def close(self) -> None:
        with self._pool_lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None
        self._db.flush()
        del self._db
        shutil.rmtree(self._views_dir, ignore_errors=True)


def _for_worker(request: QueryRequest) -> QueryRequest:
    """The request as a worker gets it: graph lists as lists (``None``, not given, stays
    distinct from ``[]``), no timeout (the pool enforces it)."""
    return request._replace(
        default_graph_uris=None if request.default_graph_uris is None
        else list(request.default_graph_uris),
        named_graph_uris=None if request.named_graph_uris is None
        else list(request.named_graph_uris),
        timeout=None,
    )


def _open_rocksdb(data_dir: Path) -> ox.Store:
    """Open (creating) the store, or say in one sentence what stops it and where."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(data_dir))
    except OSError as error:
        reason = error.strerror or str(error)
        hint = ("; only one casegraph process may use a data directory at a time"
                if "lock" in str(error).lower() else "")
        raise StoreUnavailable(f"cannot open the store in {data_dir}: {reason}{hint}") from error


def _has_quads(db: ox.Store, graph: ox.NamedNode) -> bool:
    return next(iter(db.quads_for_pattern(None, None, None, graph)), None) is not None


class _QueueWriter:
    """A binary file object that hands each write to a consumer thread via a bounded queue."""

    def __init__(self, chunks: queue.Queue, cancelled: threading.Event):
        self._chunks = chunks
        self._cancelled = cancelled

    def write(self, data) -> int:
        if self._cancelled.is_set():
            raise OSError("export cancelled by its reader")
        self._chunks.put(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def _stream_dump(items: Callable[[], Iterable], rdf_format, options: dict) -> Iterator[bytes]:
    """Serialise ``items()`` in a background thread, yielding chunks: memory stays flat.

    ``items`` is called in that thread: pyoxigraph iterators must stay in the thread
    that made them."""
    chunks: queue.Queue = queue.Queue(maxsize=32)
    cancelled = threading.Event()
    failure: list[BaseException] = []
    done = object()

    def produce() -> None:
        try:
            ox.serialize(items(), _QueueWriter(chunks, cancelled), rdf_format, **options)
        except BaseException as error:  # handed to the consumer
            failure.append(error)
        chunks.put(done)

    threading.Thread(target=produce, name="casegraph-dump", daemon=True).start()
    finished = False
    try:
        while (chunk := chunks.get()) is not done:
            yield chunk
        finished = True
    finally:
        if not finished:  # the reader stopped early: stop the producer and let it exit
            cancelled.set()
            while chunks.get() is not done:
                pass
    if failure:
        raise StoreError(f"export failed: {failure[0]}")
