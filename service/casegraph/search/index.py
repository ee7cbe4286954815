"""Chinese-aware full-text search: an in-memory inverted index over the store's texts.

Why not ``FILTER CONTAINS``: a scan of every literal per keystroke does not scale to a
million triples, cannot fold traditional and simplified characters, and cannot rank.
Instead every labelled subject becomes one document whose labels, descriptions and
passage quotes are folded (OpenCC ``t2s``, NFKC, lower case) and cut into terms:

* Chinese runs give character bigrams (matching inside words without a segmenter)
  and unigrams (so a one-character query still finds something);
* other text gives lower-cased word tokens; a query word also matches words it is a
  prefix of, so typing-as-you-go works.

Folding and cutting live in ``search_text``.  Postings live in compact numpy arrays (``Segment``).  Changes to named graphs add a
small delta segment and retire the old documents; when deltas grow, everything is
re-compacted from the texts kept per document.  Ranking is BM25 with field weights
(labels count three times), nudged by prominence: a subject stated in more graphs (a
group named by many cases) ranks above an equally matching one stated in one; a query first requires every term and falls back to
"any term" when that finds nothing.
"""

from __future__ import annotations

import logging
import threading
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from rdflib import URIRef

from casegraph.errors import StoreError
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


#: Field kind and BM25 weight of each indexed predicate.
FIELDS: dict[str, tuple[str, float]] = {
    PREFIXES["rdfs"] + "label": ("label", 3.0),
    PREFIXES["skos"] + "prefLabel": ("label", 3.0),
    PREFIXES["skos"] + "altLabel": ("label", 2.0),
    PREFIXES["dcterms"] + "title": ("label", 3.0),
    PREFIXES["schema"] + "description": ("description", 1.0),
    PREFIXES["rdfs"] + "comment": ("description", 1.0),
    PREFIXES["skos"] + "definition": ("description", 1.0),
    PREFIXES["cg"] + "quote": ("quote", 1.0),
}

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
BM25_K1, BM25_B = 1.2, 0.75


@dataclass
class Document:
    """One searchable subject: its IRI, group and the original texts shown in results."""

    iri: str
    group: str
    texts: list[tuple[str, str, str]]  # (field kind, language tag, text)


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


def _contains(sorted_ids: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """Mask of ``candidates`` present in ``sorted_ids`` (binary search, no sorting)."""
    pos = np.minimum(np.searchsorted(sorted_ids, candidates), len(sorted_ids) - 1)
    return sorted_ids[pos] == candidates


@dataclass
class _Entry:
    """A subject's texts (ordered, de-duplicated), the graphs they came from, its group."""

    texts: dict[tuple[str, str, str], None] = field(default_factory=dict)
    graphs: set[str] = field(default_factory=set)
    group: str = "other"


class Segment:
    """Immutable postings for a batch of documents: per term, doc ids and weighted tfs."""

    def __init__(self, postings: Iterable[tuple[int, Counter[str]]]):
        term_ids: dict[str, int] = {}
        terms_col: list[int] = []
        docs_col: list[int] = []
        tf_col: list[float] = []
        for doc_id, counts in postings:
            for term, tf in counts.items():
                terms_col.append(term_ids.setdefault(term, len(term_ids)))
                docs_col.append(doc_id)
                tf_col.append(tf)
        terms = np.asarray(terms_col, dtype=np.int32)
        order = np.argsort(terms, kind="stable")  # stable keeps doc ids ascending per term
        self.doc_ids = np.asarray(docs_col, dtype=np.int32)[order]
        self.tfs = np.asarray(tf_col, dtype=np.float32)[order]
        bounds = np.searchsorted(terms[order], np.arange(len(term_ids) + 1))
        self.ranges = {t: (int(bounds[i]), int(bounds[i + 1])) for t, i in term_ids.items()}

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        span = self.ranges.get(term)
        if span is None:
            return None
        return self.doc_ids[span[0] : span[1]], self.tfs[span[0] : span[1]]


class SearchIndex:
    """The search index of one store.  Thread-safe: readers see a consistent snapshot."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        #: False until the first ``rebuild``: lets the app build lazily when the store is late.
        self.built = False
        #: True while ``start_rebuild``'s thread runs.
        self.building = False
        #: Why the last background build failed (None once a build succeeds): ``/healthz``
        #: reports it, since searches then build the index in the foreground.
        self.build_error: str | None = None
        self._ready = threading.Event()
        self._ready.set()
        self._written_while_building: set[str] = set()
        self._reset()

    def _reset(self) -> None:
        self.documents: list[Document | None] = []
        self._doc_of_iri: dict[str, int] = {}
        self._docs_of_graph: dict[str, set[int]] = {}
        self._segments: list[Segment] = []
        self._length = np.zeros(0, dtype=np.float32)
        self._alive = np.zeros(0, dtype=bool)
        self._retired = 0  # documents replaced or removed since the last compaction
        self._avg_length = 1.0
        self._group = np.zeros(0, dtype=np.int8)
        #: log(1 + graphs stating the document's texts): the prominence prior.
        self._prominence = np.zeros(0, dtype=np.float32)
        self._words: list[str] = []  # sorted vocabulary of word terms, for prefix expansion
        self._df: Counter[str] = Counter()

    # -- building ---------------------------------------------------------------------------

    def rebuild(self, store: Store) -> None:
        """Index every text of the store from scratch (at startup, or after a bulk load).

        Rows are streamed into per-subject entries (never held as one list), and the
        new postings are built beside the current ones: searches keep using the old
        index until the new one is swapped in.
        """
        supers = self._class_closure(store)
        entries = self._entries(
            store.stream_rows(fixed_query("search_texts")),
            store.stream_rows(fixed_query("search_types")),
            supers,
        )
        fresh = SearchIndex()
        fresh._add_documents(entries)
        del entries
        with self._lock:
            for name in _INDEX_STATE:
                setattr(self, name, getattr(fresh, name))
            self.built = True
            self.build_error = None

    def start_rebuild(self, store: Store) -> threading.Thread:
        """Rebuild on a background thread; the service answers meanwhile.

        Graphs written while the build runs are queued and re-indexed once it is in
        place (the build may have read them before the write).  A failed build leaves
        ``built`` false, so the first search builds the index itself.
        """
        with self._lock:
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
            with self._lock:
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
        """
        graph_iris = [str(g) for g in graph_iris]
        with self._lock:
            if self.building:
                self._written_while_building.update(graph_iris)
                return
            affected = {i for g in graph_iris for i in self._docs_of_graph.get(g, ())}
            iris = {self.documents[i].iri for i in affected if self.documents[i] is not None}
        for graph_iri in graph_iris:
            iris.update(
                str(s) for s in store.graph(URIRef(graph_iri)).subjects() if isinstance(s, URIRef)
            )
        iris_sorted = sorted(iris)
        texts, types = [], []
        for start in range(0, len(iris_sorted), 500):
            chunk = iris_sorted[start : start + 500]
            texts += store.stream_rows(bind_values(fixed_query("search_texts"), [{"s": URIRef(iri)} for iri in chunk], trailing=True))
            types += store.stream_rows(bind_values(fixed_query("search_types"), [{"s": URIRef(iri)} for iri in chunk], trailing=True))
        supers = self._class_closure(store)
        with self._lock:
            for iri in iris_sorted:
                doc_id = self._doc_of_iri.pop(iri, None)
                if doc_id is not None:
                    self._retire(doc_id)
            self._add_documents(self._entries(texts, types, supers))
            if len(self._segments) > 8 or self._retired > max(len(self), 1000):
                self._compact()

    @staticmethod
    def _class_closure(store: Store) -> dict[str, set[str]]:
        supers: dict[str, set[str]] = {}
        for cls, sup in store.stream_rows(fixed_query("search_class_closure")):
            supers.setdefault(cls[1], set()).add(sup[1])
        return supers

    @staticmethod
    def _entries(text_rows, type_rows, supers: dict[str, set[str]]) -> dict[str, _Entry]:
        """Group rows ``(subject, predicate, text, graph)`` (term parts, see ``Store.stream_rows``) into
        one entry per subject."""
        entries: dict[str, _Entry] = {}
        for subject, predicate, text, graph in text_rows:
            if subject[0] == "u" and text[0] == "l":
                entry = entries.setdefault(subject[1], _Entry())
                lang = canonical_language_tag(text[2] or "")
                entry.texts.setdefault((FIELDS[predicate[1]][0], lang, text[1]))
                entry.graphs.add(graph[1])
        types: dict[str, set[str]] = {}
        for subject, cls in type_rows:
            types.setdefault(subject[1], set()).add(cls[1])
        for iri, entry in entries.items():
            entry.group = _group_of(types.get(iri, set()), supers)
        return entries

    def _add_documents(self, entries: dict[str, _Entry]) -> None:
        batch: list[tuple[int, Counter[str]]] = []
        lengths, groups, prominence = [], [], []
        for iri, entry in entries.items():
            doc_id = len(self.documents)
            self.documents.append(Document(iri, entry.group, list(entry.texts)))
            self._doc_of_iri[iri] = doc_id
            for graph in entry.graphs:
                self._docs_of_graph.setdefault(graph, set()).add(doc_id)
            counts: Counter[str] = Counter()
            length = 0
            seen_folded: set[tuple[str, str]] = set()
            for kind, _, text in entry.texts:
                if (kind, folded := fold(text)) in seen_folded:
                    continue  # zh-Hans and zh-Hant labels fold to one text: count it once
                seen_folded.add((kind, folded))
                weight = 3.0 if kind == "label" else 1.0
                terms = cut(folded)
                length += len(terms)
                for term in terms:
                    counts[term] += weight
            batch.append((doc_id, counts))
            lengths.append(length)
            groups.append(GROUP_KEYS.index(entry.group))
            prominence.append(np.log1p(len(entry.graphs)))
            self._df.update(counts.keys())
        if not batch:
            self._update_statistics()
            return
        self._segments.append(Segment(batch))
        self._length = np.concatenate([self._length, np.asarray(lengths, dtype=np.float32)])
        self._alive = np.concatenate([self._alive, np.ones(len(batch), dtype=bool)])
        self._update_statistics()
        self._group = np.concatenate([self._group, np.asarray(groups, dtype=np.int8)])
        self._prominence = np.concatenate(
            [self._prominence, np.asarray(prominence, dtype=np.float32)])
        self._words = sorted(t for t in self._df if t.isascii())

    def _retire(self, doc_id: int) -> None:
        self._alive[doc_id] = False
        self._retired += 1
        self.documents[doc_id] = None
        for docs in self._docs_of_graph.values():
            docs.discard(doc_id)

    def _compact(self) -> None:
        """Rebuild postings from the live documents' kept texts (no store round trip)."""
        graphs_of: dict[int, set[str]] = {}
        for graph, ids in self._docs_of_graph.items():
            for doc_id in ids:
                graphs_of.setdefault(doc_id, set()).add(graph)
        entries = {
            doc.iri: _Entry(dict.fromkeys(doc.texts), graphs_of.get(doc_id, set()), doc.group)
            for doc_id, doc in enumerate(self.documents)
            if doc is not None
        }
        self._reset()
        self._add_documents(entries)

    # -- searching --------------------------------------------------------------------------

    def _update_statistics(self) -> None:
        live_lengths = self._length[self._alive]
        self._avg_length = float(live_lengths.mean()) if len(live_lengths) else 1.0
        self._avg_length = self._avg_length or 1.0

    def __len__(self) -> int:
        return len(self._alive) - self._retired

    def _expansions(self, term: str, is_word: bool) -> list[tuple[str, float]]:
        if not is_word:
            return [(term, 1.0)]
        start = bisect_left(self._words, term)
        candidates = []
        for word in self._words[start : start + 2000]:
            if not word.startswith(term):
                break
            candidates.append(word)
        candidates.sort(key=lambda w: (w != term, -self._df[w]))
        return [(w, 1.0 if w == term else 0.6) for w in candidates[:MAX_PREFIX_EXPANSION]]

    def _term_postings(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        ids, tfs = [], []
        for segment in self._segments:
            found = segment.postings(term)
            if found is not None:
                ids.append(found[0])
                tfs.append(found[1])
        if not ids:
            return np.zeros(0, np.int32), np.zeros(0, np.float32)
        return np.concatenate(ids), np.concatenate(tfs)

    def _scored_postings(self, term: str, is_word: bool, live: int) -> list:
        """Per matching term: doc ids (ascending) and each posting's BM25 contribution."""
        parts = []
        for expanded, weight in self._expansions(term, is_word):
            ids, tfs = self._term_postings(expanded)
            # retired documents do not count towards document frequency
            df = int(np.count_nonzero(self._alive[ids])) if self._retired else len(ids)
            if not df:
                continue
            idf = np.log(1.0 + (live - df + 0.5) / (df + 0.5))
            norm = BM25_K1 * (1 - BM25_B + BM25_B * self._length[ids] / self._avg_length)
            parts.append((ids, weight * idf * tfs * (BM25_K1 + 1) / (tfs + norm)))
        return parts

    def _union(self, id_arrays: list[np.ndarray]) -> np.ndarray:
        """Sorted distinct doc ids of several ascending arrays; a bitmap when they are big."""
        if len(id_arrays) == 1:
            return id_arrays[0]
        if sum(len(a) for a in id_arrays) * 8 < len(self._alive):
            return np.unique(np.concatenate(id_arrays))
        present = np.zeros(len(self._alive), dtype=bool)
        for ids in id_arrays:
            present[ids] = True
        return np.flatnonzero(present).astype(np.int32)

    def search(self, query: str, *, limit: int = 50, group: str | None = None) -> SearchResult:
        """Rank documents for ``query``; never raises on any string."""
        with self._lock:
            return self._search(query, limit, group)

    def _search(self, query: str, limit: int, group: str | None) -> SearchResult:
        tokens = query_tokens(query)
        empty = SearchResult(query, [], 0, {}, False)
        live = len(self)
        if not tokens or live == 0:
            return empty
        token_postings = [self._scored_postings(t, is_word, live) for t, is_word in tokens]
        token_docs = [self._union([ids for ids, _ in parts]) for parts in token_postings if parts]
        if not token_docs:
            return empty
        token_docs.sort(key=len)
        candidates = token_docs[0]
        if len(token_docs) == len(tokens):  # every token occurs somewhere: try all of them
            for docs in token_docs[1:]:
                candidates = candidates[_contains(docs, candidates)]
                if not len(candidates):
                    break
        all_matched = len(token_docs) == len(tokens) and bool(len(candidates))
        if not all_matched:
            candidates = self._union(token_docs)
        if self._retired:
            candidates = candidates[self._alive[candidates]]
        if group is not None and group in GROUP_KEYS:
            candidates = candidates[self._group[candidates] == GROUP_KEYS.index(group)]
        if not len(candidates):
            return empty
        scores = np.zeros(len(candidates), dtype=np.float64)
        for parts in token_postings:
            for ids, contribution in parts:  # ids ascend: segments hold ascending doc ids
                pos = np.minimum(np.searchsorted(ids, candidates), len(ids) - 1)
                hit = ids[pos] == candidates
                scores[hit] += contribution[pos[hit]]
        scores *= 1.0 + PROMINENCE_WEIGHT * self._prominence[candidates]
        counts = np.bincount(self._group[candidates], minlength=len(GROUP_KEYS))
        if len(scores) > limit:
            best = np.argpartition(-scores, limit)[:limit]
            top = best[np.argsort(-scores[best], kind="stable")]
        else:
            top = np.argsort(-scores, kind="stable")
        needles = query_needles(query, tokens)
        hits = [self._hit(int(candidates[i]), float(scores[i]), needles) for i in top]
        return SearchResult(
            query=query,
            hits=hits,
            total=len(candidates),
            group_counts={GROUP_KEYS[i]: int(n) for i, n in enumerate(counts) if n},
            all_terms_matched=all_matched,
        )

    def _hit(self, doc_id: int, score: float, terms: list[str]) -> Hit:
        doc = self.documents[doc_id]
        labels: dict[str, str] = {}
        for kind, lang, text in doc.texts:
            if kind == "label":
                labels.setdefault(lang, text)
        return Hit(doc.iri, doc.group, labels, round(score, 4), snippet(doc.texts, terms))


#: The fields ``_reset`` sets: what ``rebuild`` swaps in from the index it built aside.
_INDEX_STATE = (
    "documents", "_doc_of_iri", "_docs_of_graph", "_segments", "_length", "_alive",
    "_retired", "_avg_length", "_group", "_prominence", "_words", "_df",
)


def _group_of(types: set[str], supers: dict[str, set[str]]) -> str:
    closure = set(types)
    for t in types:
        closure |= supers.get(t, set())
    for key, classes in GROUPS:
        if any(c in closure for c in classes):
            return key
    return "other"
