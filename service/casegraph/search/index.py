"""Chinese-aware full-text search: a tantivy index over the store's texts.

Why not ``FILTER CONTAINS``: a scan of every literal per keystroke does not scale to a
million triples, cannot fold traditional and simplified characters, and cannot rank.
Instead every labelled subject becomes one document whose labels, descriptions and
passage quotes are folded (OpenCC ``t2s``, NFKC, lower case) and cut into terms
(``search.text``):

* Chinese runs give character bigrams (matching inside words without a segmenter)
  and unigrams (so a one-character query still finds something);
* other text gives lower-cased word tokens; a query word also matches words it is a
  prefix of (the most frequent ``MAX_PREFIX_EXPANSION``, weighted 0.6), so
  typing-as-you-go works.

tantivy (a Rust search engine) stores the postings.  It gets our terms joined by
spaces and its whitespace tokenizer, so it never re-tokenises Chinese.  It ranks with
BM25 per field, labels boosted three times over descriptions and quotes; a term scores
by its best field, the others adding a tenth (so a name its description repeats is
not worth twice the name alone); the sum over terms is nudged by prominence: a subject stated in more graphs (a group named by many cases) ranks above
an equally matching one stated in one.  tantivy multiplies each score by
``log2(2 + prominence)`` (``weight_by_field``), so the stored value is chosen to make
that factor ``1 + PROMINENCE_WEIGHT * ln(1 + graphs)``: the ranking is tantivy's own,
no re-ranking in Python.  A query first requires every term and falls back to "any
term" when that finds nothing.

Where the index lives: with a store that keeps files (the embedded one) in a
directory beside them, memory-mapped, so memory does not grow with the corpus and a
restart does not rebuild.  Every commit also writes one *stamp document* holding the
store's write stamp (``Store.write_stamp``) it is in step with, atomically with the
changes it describes.  At start the index is used as it is only when that stamp is
the store's current one; a missing, unreadable, other-version or stale index is
rebuilt (in the background, see ``start_rebuild``).  The store moves its stamp before
a write commits, so a crash between the store's commit and the index's leaves an
index that is seen to be stale.  Other stores (memory, remote) get an index in RAM,
built at every start.
"""

from __future__ import annotations

import atexit
import json
import logging
import math
import shutil
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import tantivy
from rdflib import URIRef

from casegraph.errors import StoreError, StoreUnavailable
from casegraph.rdf.terms import PREFIXES, canonical_language_tag
from casegraph.search.text import (
    cut,
    fold,
    query_needles,
    query_tokens,
    snippet,
)
from casegraph.sparql.templates import bind_values, fixed_query
from casegraph.store.base import Store

log = logging.getLogger(__name__)

#: Where the embedded store keeps the index (``Store.derived_dir``).
INDEX_DIRECTORY = "casegraph-search"
#: Part of the stamp: an index written with other documents, fields or terms is rebuilt.
INDEX_VERSION = "1"

#: Field kind of each indexed predicate.
FIELDS: dict[str, str] = {
    PREFIXES["rdfs"] + "label": "label",
    PREFIXES["skos"] + "prefLabel": "label",
    PREFIXES["skos"] + "altLabel": "label",
    PREFIXES["dcterms"] + "title": "label",
    PREFIXES["schema"] + "description": "description",
    PREFIXES["rdfs"] + "comment": "description",
    PREFIXES["skos"] + "definition": "description",
    PREFIXES["cg"] + "quote": "quote",
}
#: BM25 boost of each field kind (each kind is one tantivy field).
BOOSTS = {"label": 3.0, "description": 1.0, "quote": 1.0}

#: How much prominence counts: a subject stated in 3 graphs scores 3.5% above one stated
#: in 1 — enough to order equal and near-equal matches, never to outrank a better match.
PROMINENCE_WEIGHT = 0.05

#: ORG's organisation classes (the ORG ontology itself is not loaded, so no closure to them).
ORG_CLASSES = ("Organization", "FormalOrganization", "OrganizationalUnit")

#: Result groups in precedence order: a document belongs to the first group one of its
#: types (or their super-classes) names.  Keys are what pages and JSON show.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("organisation", tuple(PREFIXES["org"] + c for c in ORG_CLASSES)),
    ("brand", (PREFIXES["cg"] + "PartyBuildingBrand", PREFIXES["schema"] + "Brand")),
    ("award", (PREFIXES["cg"] + "Award",)),
    ("conferral", (PREFIXES["cg"] + "AwardConferral",)),
    ("practice", (PREFIXES["cg"] + "Practice",)),
    ("innovation", (PREFIXES["cg"] + "Innovation",)),
    ("event", (PREFIXES["cg"] + "Event", PREFIXES["schema"] + "Event")),
    ("person", (PREFIXES["schema"] + "Person",)),
    ("place", (PREFIXES["schema"] + "Place",)),
    ("figure", (PREFIXES["cg"] + "Figure",)),
    ("media", (PREFIXES["cg"] + "MediaCoverage",)),
    ("case", (PREFIXES["cg"] + "CaseDocument",)),
    ("section", (PREFIXES["cg"] + "Section",)),
    ("passage", (PREFIXES["cg"] + "Passage",)),
    ("concept", (PREFIXES["skos"] + "Concept",)),
    ("class", (PREFIXES["owl"] + "Class", PREFIXES["rdfs"] + "Class")),
    ("property", (PREFIXES["rdf"] + "Property", PREFIXES["owl"] + "ObjectProperty", PREFIXES["owl"] + "DatatypeProperty")),
    ("other", ()),
)
GROUP_KEYS = tuple(key for key, _ in GROUPS)

MAX_PREFIX_EXPANSION = 50
PREFIX_WEIGHT = 0.6
#: How much the fields other than a term's best one add to its score.
FIELD_TIE_BREAKER = 0.1
#: The index writer's memory budget: past it, tantivy writes a segment and starts anew.
WRITER_HEAP_BYTES = 48_000_000


@dataclass
class Hit:
    """A ranked result.  ``snippet`` is ``(before, match, after)`` of a non-label text."""

    iri: str
    group: str
    labels: dict[str, str]
    score: float
    snippet: tuple[str, str, str] | None

    def label(self, lang: str = "zh-Hans") -> str:
        for tag in (lang, "zh-Hans", "zh-Hant", "en", ""):
            if tag in self.labels:
                return self.labels[tag]
        # Unlabelled nodes (passages) are named by their IRI path: "case/<slug>/passage/p03".
        return next(iter(self.labels.values()), self.iri.split("/id/", 1)[-1])


@dataclass
class SearchResult:
    query: str
    hits: list[Hit]
    total: int
    group_counts: dict[str, int]
    all_terms_matched: bool


@dataclass
class _Entry:
    """A subject's texts (ordered, de-duplicated), the graphs they came from, its group."""

    texts: dict[tuple[str, str, str], None] = field(default_factory=dict)
    graphs: set[str] = field(default_factory=set)
    group: str = "other"


def _schema() -> tantivy.Schema:
    """One document per subject, plus the stamp document (``meta`` = "stamp")."""
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("iri", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("group", stored=True, fast=True, tokenizer_name="raw",
                           index_option="basic")
    builder.add_text_field("graph", tokenizer_name="raw", index_option="basic")
    for kind in BOOSTS:
        builder.add_text_field(kind, tokenizer_name="whitespace", index_option="freq")
    builder.add_bytes_field("texts", stored=True)  # JSON [[kind, lang, text], …]
    builder.add_float_field("prominence", fast=True)
    builder.add_text_field("meta", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("stamp", stored=True, tokenizer_name="raw", index_option="basic")
    return builder.build()


#: How long an exiting process waits for queued writes to be indexed (a restart then
#: opens the index in step instead of rebuilding it).
EXIT_WAIT_SECONDS = 30.0


class SearchIndex:
    """The search index of one store.  Thread-safe: a search reads one committed state.

    ``directory`` is where the index is kept (None: in RAM).
    """

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory
        #: Writers (``rebuild``, ``update_graphs``) take turns; searches never wait.
        self._write_lock = threading.Lock()
        #: Guards ``building`` and the graphs queued while it is true.
        self._state_lock = threading.Lock()
        #: False until the index is in step with the store (built, or opened in step).
        self.built = False
        #: True while ``start_rebuild``'s thread runs.
        self.building = False
        #: Why the last build (or a refresh) failed, None once a build succeeds:
        #: ``/healthz`` reports it, since searches then build the index in the foreground.
        self.build_error: str | None = None
        self._ready = threading.Event()
        self._ready.set()
        self._written_while_building: set[str] = set()
        #: The store stamp the committed index is in step with (None: not known to be).
        self._stamp: str | None = None
        self._schema = _schema()
        self._kept_stamp: str | None = None
        self._index = self._open()
        #: Writes queued for the catch-up thread (``update_graphs_later``): the graphs, how
        #: many writes were queued and how many of them the index has taken in.
        self._catching_up = threading.Condition()
        self._queued: set[str] = set()
        self._queued_writes = 0
        self._indexed_writes = 0
        self._catch_up_thread: threading.Thread | None = None

    # -- opening ----------------------------------------------------------------------------

    def _open(self) -> tantivy.Index:
        """The kept index, or a new empty one where it is missing, unreadable or of
        another version (the stamp it was committed with is read for ``resume``)."""
        if self.directory is None:
            return tantivy.Index(self._schema)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            index = tantivy.Index(self._schema, path=str(self.directory), reuse=True)
            version, _, stamp = _read_stamp(index, self._schema).partition(" ")
            if version == INDEX_VERSION:
                self._kept_stamp = stamp
                return index
            if version:
                log.info("the search index in %s is of version %s, not %s: it is rebuilt",
                         self.directory, version, INDEX_VERSION)
        except (OSError, ValueError) as error:
            log.warning("the search index in %s cannot be read (%s): it is rebuilt",
                        self.directory, error)
        try:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory.mkdir(parents=True, exist_ok=True)
            return tantivy.Index(self._schema, path=str(self.directory), reuse=False)
        except (OSError, ValueError) as error:
            raise StoreUnavailable(
                f"cannot create the search index in {self.directory}: {error}") from error

    def resume(self, store: Store) -> bool:
        """Serve the kept index as it is if it is in step with ``store``; True if so.

        Otherwise (no index kept, or the store was written since it was) the caller
        builds it: nothing is searched until then.
        """
        current = store.write_stamp()
        if current is None or self._kept_stamp != current:
            if self.directory is not None:
                log.info("the search index in %s is not in step with the store "
                         "(index at %s, store at %s): it is rebuilt",
                         self.directory, self._kept_stamp or "nothing", current)
            return False
        with self._write_lock:
            self._stamp = current
            self.built = True
            self.build_error = None
        log.info("search index opened in step with the store: %d documents in %s",
                 len(self), self.directory)
        return True

    # -- building ---------------------------------------------------------------------------

    def rebuild(self, store: Store) -> None:
        """Index every text of the store from scratch (at startup, or after a bulk load).

        Rows are streamed into per-subject entries (never held as one list); the new
        documents replace the old ones in one commit, so searches keep reading the
        previous index until it is done.
        """
        with self._write_lock:
            stamp = store.write_stamp()  # read first: every write up to it is read below
            supers = self._class_closure(store)
            entries = self._entries(
                store.stream_rows(fixed_query("search_texts")),
                store.stream_rows(fixed_query("search_types")),
                supers,
            )
            self._replace_documents(None, entries, stamp)
            self._stamp = stamp
            self.built = True
            self.build_error = None

    def _replace_documents(self, removed: list[str] | None, entries: dict[str, _Entry],
                           stamp: str | None) -> None:
        """Delete the documents of ``removed`` (every document when None), add those of
        ``entries`` and commit them with ``stamp``, all in one commit or none.

        ``entries`` is emptied once its documents are added: a rebuild holds every text
        of the store, and they are let go before the commit.
        """
        writer = self._writer()
        try:
            if removed is None:
                writer.delete_all_documents()
            else:
                for iri in removed:
                    writer.delete_documents_by_term("iri", iri)
            for iri, entry in entries.items():
                writer.add_document(self._document(iri, entry))
            entries.clear()
            self._commit(writer, stamp)
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()

    def start_rebuild(self, store: Store) -> threading.Thread:
        """Rebuild on a background thread; the service answers meanwhile.

        Graphs written while the build runs are queued and re-indexed once it is in
        place (the build may have read them before the write).  A failed build leaves
        ``built`` false, so the first search builds the index itself.
        """
        with self._state_lock:
            self.building = True
            self._ready.clear()
            self._written_while_building = set()
        thread = threading.Thread(
            target=self._build_in_background, args=(store,), name="casegraph-search-build",
            daemon=True,
        )
        thread.start()
        return thread

    def wait_for_build(self, timeout: float | None) -> bool:
        """Wait for a background build to finish; True when none is running any more."""
        return self._ready.wait(timeout)

    def _build_in_background(self, store: Store) -> None:
        try:
            self.rebuild(store)
        except StoreError as error:  # e.g. a remote store still starting
            log.warning("search index not built in the background: %s", error)
            self.build_error = str(error)
        except Exception as error:  # reported; the first search retries in the foreground
            log.exception("search index build failed")
            self.build_error = f"{type(error).__name__}: {error}"
        finally:
            with self._state_lock:
                self.building = False
                written, self._written_while_building = self._written_while_building, set()
            try:
                if written and self.built:
                    self.update_graphs(store, sorted(written))
            finally:
                self._ready.set()

    def update_graphs(self, store: Store, graph_iris: Iterable[str]) -> None:
        """Re-index the subjects of the named graphs that just changed (or were dropped).

        A shared subject (an issuer, a group) also keeps its texts from other graphs: the
        affected subjects are re-read from the whole store, not only the changed graphs.
        The graphs of every other write committed since the index's stamp are re-indexed
        too (a concurrent write whose own refresh has not run yet), so the stamp this
        commit writes is true even if the process dies before that refresh.

        The store's write is committed whatever happens here: if the index cannot be
        written, it is marked not built (``/healthz`` says so) and the next search
        rebuilds it, rather than serving results that miss the write.
        """
        graphs = {str(g) for g in graph_iris}
        with self._state_lock:
            if self.building:
                self._written_while_building.update(graphs)
                return
        with self._write_lock:
            try:
                self._update(store, graphs)
            except (StoreError, OSError, ValueError, RuntimeError) as error:
                log.exception("the search index could not be updated")
                self.built = False
                self.build_error = f"the last write could not be indexed ({error})"

    def update_graphs_later(self, store: Store, graph_iris: Iterable[str]) -> None:
        """Queue ``update_graphs`` for one committed write and return at once.

        Why: the re-index reads every affected subject back from the store (a shared
        group's thousands of texts), the larger part of a write's time at 10k cases; the
        write is durable without it.  One thread takes the queued writes in, several at a
        time, and ``wait_until_current`` lets a search see every write acknowledged
        before it started.  A process that exits lets the queue finish first (an
        ``atexit`` wait); one that dies first loses nothing but time: the index's stamp is
        older than the store's, so ``resume`` refuses it and the index is rebuilt.
        """
        with self._catching_up:
            self._queued.update(str(g) for g in graph_iris)
            self._queued_writes += 1
            if self._catch_up_thread is None:
                self._catch_up_thread = threading.Thread(
                    target=self._catch_up, args=(store,), name="casegraph-search-catch-up",
                    daemon=True)
                self._catch_up_thread.start()
                atexit.register(self.wait_until_current, EXIT_WAIT_SECONDS)
            self._catching_up.notify_all()

    def wait_until_current(self, timeout: float) -> bool:
        """Wait until every write queued so far is indexed; False if ``timeout`` ran out."""
        with self._catching_up:
            target = self._queued_writes
            return self._catching_up.wait_for(lambda: self._indexed_writes >= target, timeout)

    def _catch_up(self, store: Store) -> None:
        while True:
            with self._catching_up:
                self._catching_up.wait_for(lambda: self._queued_writes > self._indexed_writes)
                graphs, self._queued = self._queued, set()
                target = self._queued_writes
            try:
                self.update_graphs(store, sorted(graphs))
            finally:
                with self._catching_up:
                    self._indexed_writes = target
                    self._catching_up.notify_all()

    def _update(self, store: Store, graphs: set[str]) -> None:
        stamp = store.write_stamp()
        since = None if self._stamp is None else store.graphs_written_since(self._stamp)
        graphs |= since or set()
        searcher = self._index.searcher()
        iris = set(self._subjects_of(searcher, graphs))
        for start in range(0, len(graphs), 500):
            chunk = [{"g": URIRef(g)} for g in sorted(graphs)[start : start + 500]]
            iris.update(s[1] for (s,) in store.stream_rows(
                bind_values(fixed_query("graph_subjects"), chunk, trailing=True)))
        iris_sorted = sorted(iris)
        texts, in_graphs, types = [], [], []
        for start in range(0, len(iris_sorted), 500):
            chunk = [{"s": URIRef(iri)} for iri in iris_sorted[start : start + 500]]
            for name, rows in (("search_subject_texts", texts), ("search_subject_graphs", in_graphs),
                               ("search_types", types)):
                rows += store.stream_rows(bind_values(fixed_query(name), chunk, trailing=True))
        entries = self._entries(texts, types, self._class_closure(store), in_graphs)
        in_step = stamp if since is not None else None
        self._replace_documents(iris_sorted, entries, in_step)
        self._stamp = in_step

    def _subjects_of(self, searcher: tantivy.Searcher, graphs: set[str]) -> list[str]:
        """IRIs of the indexed subjects with a text stated in one of ``graphs``."""
        if not graphs:
            return []
        query = tantivy.Query.term_set_query(self._schema, "graph", sorted(graphs))
        found = searcher.search(query, 1).count
        if not found:
            return []
        return [searcher.doc(address)["iri"][0]
                for _, address in searcher.search(query, found, count=False).hits]

    def _writer(self) -> tantivy.IndexWriter:
        """A writer for one change: made per change and finished with its merges, so no
        writer threads, lock or memory outlive it."""
        try:
            return self._index.writer(WRITER_HEAP_BYTES, 1)
        except ValueError as error:
            raise StoreUnavailable(
                f"the search index in {self.directory or 'memory'} cannot be written: {error}"
            ) from error

    def _commit(self, writer: tantivy.IndexWriter, stamp: str | None) -> None:
        """Commit the writer's changes with the stamp they bring the index to (None: not
        known to be in step), and make searches see them at once."""
        writer.delete_documents_by_term("meta", "stamp")
        meta = tantivy.Document()
        meta.add_text("meta", "stamp")
        meta.add_text("stamp", f"{INDEX_VERSION} {stamp or ''}")
        writer.add_document(meta)
        writer.commit()
        self._index.reload()

    @staticmethod
    def _class_closure(store: Store) -> dict[str, set[str]]:
        supers: dict[str, set[str]] = {}
        for cls, sup in store.stream_rows(fixed_query("search_class_closure")):
            supers.setdefault(cls[1], set()).add(sup[1])
        return supers

    @staticmethod
    def _entries(text_rows, type_rows, supers: dict[str, set[str]],
                 graph_rows: Iterable[tuple] = ()) -> dict[str, _Entry]:
        """Group rows ``(subject, predicate, text, graph)`` (term parts, see ``Store.stream_rows``) into
        one entry per subject.

        A re-index after a write reads the distinct texts ``(subject, predicate, text)`` and
        the graphs ``(subject, graph)`` apart instead: a hub's label stated in a thousand
        graphs is then one text row and a thousand short ones, not a thousand of each text.
        """
        entries: dict[str, _Entry] = {}
        for subject, predicate, text, *graph in text_rows:
            if subject[0] == "u" and text[0] == "l":
                entry = entries.setdefault(subject[1], _Entry())
                lang = canonical_language_tag(text[2] or "")
                entry.texts.setdefault((FIELDS[predicate[1]], lang, text[1]))
                if graph:
                    entry.graphs.add(graph[0][1])
        for subject, graph in graph_rows:
            if subject[1] in entries:
                entries[subject[1]].graphs.add(graph[1])
        types: dict[str, set[str]] = {}
        for subject, cls in type_rows:
            types.setdefault(subject[1], set()).add(cls[1])
        for iri, entry in entries.items():
            entry.group = _group_of(types.get(iri, set()), supers)
        return entries

    @staticmethod
    def _document(iri: str, entry: _Entry) -> tantivy.Document:
        document = tantivy.Document()
        document.add_text("iri", iri)
        document.add_text("group", entry.group)
        for graph in sorted(entry.graphs):
            document.add_text("graph", graph)
        terms: dict[str, list[str]] = {kind: [] for kind in BOOSTS}
        seen_folded: set[tuple[str, str]] = set()
        for kind, _, text in entry.texts:
            if (kind, folded := fold(text)) in seen_folded:
                continue  # zh-Hans and zh-Hant labels fold to one text: count it once
            seen_folded.add((kind, folded))
            terms[kind] += cut(folded)
        for kind, kind_terms in terms.items():
            if kind_terms:
                document.add_text(kind, " ".join(kind_terms))
        document.add_bytes("texts", json.dumps(list(entry.texts), ensure_ascii=False).encode())
        # tantivy multiplies the score by log2(2 + this): 1 + weight * ln(1 + graphs).
        factor = 1.0 + PROMINENCE_WEIGHT * math.log1p(len(entry.graphs))
        document.add_float("prominence", 2.0**factor - 2.0)
        return document

    # -- searching --------------------------------------------------------------------------

    def __len__(self) -> int:
        return max(0, self._index.searcher().num_docs - 1)  # not the stamp document

    def _term_query(self, searcher: tantivy.Searcher, term: str, is_word: bool) -> tantivy.Query:
        """What one query token matches: the term (or a word it begins) in any field.

        The best field counts, the others only a little (``FIELD_TIE_BREAKER``): a name
        that a description repeats is not worth twice a name alone.
        """
        per_field = []
        for kind, boost in BOOSTS.items():
            expansions = {term: 1.0}
            if is_word:
                for word, _ in searcher.terms_with_prefix(kind, term, limit=MAX_PREFIX_EXPANSION):
                    expansions.setdefault(word, PREFIX_WEIGHT)
            per_field.append(tantivy.Query.boolean_query([
                (tantivy.Occur.Should, tantivy.Query.boost_query(
                    tantivy.Query.term_query(self._schema, kind, word, index_option="freq"),
                    boost * weight))
                for word, weight in expansions.items()
            ]))
        return tantivy.Query.disjunction_max_query(per_field, tie_breaker=FIELD_TIE_BREAKER)

    def search(self, query: str, *, limit: int = 50, group: str | None = None) -> SearchResult:
        """Rank documents for ``query``; never raises on any string."""
        tokens = query_tokens(query)
        empty = SearchResult(query, [], 0, {}, False)
        searcher = self._index.searcher()
        if not tokens or searcher.num_docs <= 1:
            return empty
        token_queries = [self._term_query(searcher, t, is_word) for t, is_word in tokens]
        every = tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in token_queries])
        anyone = tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in token_queries])
        if group is not None and group in GROUP_KEYS:
            # "Every term matched" is said of the whole index, not of the group.
            all_matched = searcher.search(every, 1).count > 0
            matching = tantivy.Query.boolean_query([
                (tantivy.Occur.Must, every if all_matched else anyone),
                (tantivy.Occur.Must, tantivy.Query.term_query(self._schema, "group", group)),
            ])
            found = searcher.search(matching, limit, weight_by_field="prominence")
        else:
            matching = every
            found = searcher.search(every, limit, weight_by_field="prominence")
            all_matched = found.count > 0
            if not all_matched:
                matching = anyone
                found = searcher.search(anyone, limit, weight_by_field="prominence")
        if not found.count:
            return empty
        buckets = searcher.aggregate(
            matching, {"groups": {"terms": {"field": "group", "size": len(GROUP_KEYS)}}})
        counts = {b["key"]: b["doc_count"] for b in buckets["groups"]["buckets"]}
        needles = query_needles(query, tokens)
        return SearchResult(
            query=query,
            hits=[self._hit(searcher.doc(address), score, needles) for score, address in found.hits],
            total=found.count,
            group_counts={key: int(counts[key]) for key in GROUP_KEYS if key in counts},
            all_terms_matched=all_matched,
        )

    @staticmethod
    def _hit(document: tantivy.Document, score: float, terms: list[str]) -> Hit:
        texts = [tuple(t) for t in json.loads(document["texts"][0])]
        labels: dict[str, str] = {}
        for kind, lang, text in texts:
            if kind == "label":
                labels.setdefault(lang, text)
        return Hit(document["iri"][0], document["group"][0], labels, round(score, 4),
                   snippet(texts, terms))


def _read_stamp(index: tantivy.Index, schema: tantivy.Schema) -> str:
    """``"<version> <store stamp>"`` of the last commit; "" for an index never committed."""
    searcher = index.searcher()
    hits = searcher.search(tantivy.Query.term_query(schema, "meta", "stamp"), 1).hits
    return searcher.doc(hits[0][1])["stamp"][0] if hits else ""


def _group_of(types: set[str], supers: dict[str, set[str]]) -> str:
    closure = set(types)
    for t in types:
        closure |= supers.get(t, set())
    for key, classes in GROUPS:
        if any(c in closure for c in classes):
            return key
    return "other"
