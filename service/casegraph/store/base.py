"""The storage interface: few verbs, every backend behind them.

Backends (``oxigraph`` embedded/persistent, ``memory`` rdflib, ``remote`` SPARQL
1.1 Protocol) implement exactly these methods, and the same test-suite runs
against all of them (``tests/conftest.py`` parametrises the ``store`` fixture).

Terms crossing this interface are rdflib terms, so that the HTTP layer, the
pages and the validator never depend on which engine answered.

Invariants every backend guarantees:

* The dataset of a query: ``default_graph_uris=None`` makes the default graph the
  RDF merge of all named graphs (case graphs, the ontology graph): a set of
  triples, so a triple that several graphs state matches once (``store.merge``;
  ``GRAPH ?g`` still sees every statement), and several ``default_graph_uris``
  are merged the same way;
  ``named_graph_uris=None`` makes every named graph available to ``GRAPH``; a
  sequence gives exactly those graphs, so ``[]`` is an empty default graph or no
  named graphs at all (SPARQL 1.1 Query §13.2, Protocol §2.1.4).
* ``replace_graphs`` is all-or-nothing: after an exception the store is
  exactly as before.
* ``query`` raises ``QueryTimeout`` when ``timeout`` passes, and the engine
  work is actually stopped (not merely abandoned).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from rdflib import Dataset, Graph
from rdflib.term import URIRef

from casegraph.rdf.formats import RESULT_FORMATS, Format, format_for_name, serialize_result
from casegraph.rdf.results import QueryResult
from casegraph.rdf.terms import TermParts, parts_of
from casegraph.sparql.safety import CheckedQuery, SafetyPolicy

if TYPE_CHECKING:
    from casegraph.shacl.report import ValidationReport

#: SPARQL JSON results, the format ``select_json`` writes.
JSON_RESULTS = format_for_name("json", RESULT_FORMATS)
#: Query lanes: ``client`` texts come from requests; ``service`` texts are the service's
#: own fixed queries (pages, questions, search), which must stay quick while clients
#: keep every client worker busy (see ``store.workers.QueryWorkerPool.run``).
CLIENT_LANE = "client"
SERVICE_LANE = "service"


class QueryRequest(NamedTuple):
    """One query and its dataset and limits, as ``Store.query`` received them.

    ``None`` graph lists mean "not given" (the union / every named graph), distinct from
    an empty list; ``max_rows`` cuts a SELECT's rows, and a CONSTRUCT's or DESCRIBE's
    triples, and sets ``QueryResult.truncated``; ``lane`` says whose text it is.
    """

    sparql: str
    default_graph_uris: Sequence[str] | None = None
    named_graph_uris: Sequence[str] | None = None
    timeout: float | None = None
    max_rows: int | None = None
    lane: str = CLIENT_LANE


class Store(ABC):
    """A quad store holding one named graph per case plus the ontology graph."""

    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        timeout: float | None = None,
        max_rows: int | None = None,
        lane: str = CLIENT_LANE,
    ) -> QueryResult:
        """Evaluate a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE)."""
        return self.evaluate(
            QueryRequest(sparql, default_graph_uris, named_graph_uris, timeout, max_rows, lane)
        )

    @abstractmethod
    def evaluate(self, request: QueryRequest) -> QueryResult:
        """What ``query`` does, given its arguments as one request (what backends implement)."""

    def select_json(self, request: QueryRequest) -> tuple[bytes, bool]:
        """A SELECT's SPARQL JSON results as bytes, and whether ``max_rows`` cut them.

        This generic version serialises ``evaluate``'s answer; the embedded store has its
        workers write the same bytes, which saves building rdflib terms for every row.
        """
        result = self.evaluate(request)
        return serialize_result(result, JSON_RESULTS, row_limit=request.max_rows), result.truncated

    def stream_rows(self, sparql: str) -> Iterator[tuple[TermParts | None, ...]]:
        """Rows of one of the service's own fixed queries as term parts, streamed.

        For building indexes over the whole store (search); never for client queries,
        which must go through ``query`` and its deadline.  The embedded store reads its
        own RocksDB without building rdflib terms; this version goes through ``query``.
        """
        for row in self.query(sparql).rows:
            yield tuple(None if term is None else parts_of(term) for term in row)

    def start(self) -> None:  # noqa: B027 - optional hook, most backends start at once
        """Start what answering needs (the embedded store's query workers) ahead of the
        first query; servers call it in the background while they come up."""

    @abstractmethod
    def update_preview(
        self, sparql_update: str, *, timeout: float | None = None
    ) -> dict[URIRef, Graph | None]:
        """Evaluate an update WITHOUT committing it; return the new content of every
        named graph it would change (``None`` for a graph it would remove).

        Guarded writes validate this preview and then commit it with
        ``replace_graphs``, so an update is validated before anything is stored.
        """

    @abstractmethod
    def replace_graphs(self, graphs: Mapping[URIRef, Graph | None]) -> None:
        """Atomically replace (or, for ``None``, drop) the given named graphs."""

    @abstractmethod
    def named_graphs(self) -> list[URIRef]:
        """IRIs of the named graphs, sorted."""

    def has_graph(self, iri: URIRef) -> bool:
        """Whether the store holds the named graph ``iri`` (pages and writes ask this on
        every request; a backend with a set of names answers without listing them)."""
        return iri in self.named_graphs()

    @abstractmethod
    def graph(self, iri: URIRef) -> Graph:
        """A copy of one named graph (empty if absent)."""

    @abstractmethod
    def dump(self, media_type: str, graph: URIRef | None = None) -> Iterator[bytes]:
        """Stream one graph, or without ``graph`` the dataset's named graphs (N-Quads, TriG,
        JSON-LD) or their merge (Turtle, N-Triples, RDF/XML: each distinct triple once)."""

    @abstractmethod
    def triple_count(self, graph: URIRef | None = None) -> int:
        """Statements in the named graphs (a triple counted once per graph stating it),
        or triples in one graph."""

    def merged_triple_count(self) -> int:
        """Distinct triples of the default graph (the merge): what ``COUNT(*)`` answers."""
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(result.rows[0][0])

    def bulk_load(self, source: Path | bytes, media_type: str, *, graph: URIRef | None = None):
        """Add the quads of a file (or bytes) to the store; triples go into ``graph``.

        Meant for filling an empty store (first start, benchmarks): the embedded
        backend uses its fast bulk loader, which is NOT atomic.  Curated changes go
        through ``replace_graphs``.  This generic version parses with rdflib and
        merges each named graph of the input with its current content.
        """
        from casegraph.rdf.graphs import parse_named_graphs

        parsed = parse_named_graphs(source, media_type, graph=graph)
        merged = {}
        for iri, new in parsed.items():
            current = self.graph(iri)
            for triple in new:
                current.add(triple)
            merged[iri] = current
        self.replace_graphs(merged)

    # ---- client input.  These versions run in this process (the rdflib and remote
    # backends, for development and tests); the embedded store runs each in a confined
    # worker process (see ``store.workers``), so a server never parses client input.

    def check_query(self, text: str, policy: SafetyPolicy, *,
                    timeout: float | None = None) -> CheckedQuery:
        """Decide whether a client's query may run (``sparql.safety.check_query``)."""
        from casegraph.sparql.safety import check_query

        return check_query(text, policy)

    def prepare_update(self, text: str, policy: SafetyPolicy, using: list[str],
                       using_named: list[str], *, timeout: float | None = None) -> str:
        """A client's update, checked, with the Protocol's ``using-graph-uri`` written in."""
        from casegraph.sparql.protocol_dataset import with_protocol_dataset
        from casegraph.sparql.safety import check_update

        return with_protocol_dataset(check_update(text, policy).text, using, using_named)

    def parse_upload(self, data: bytes, fmt: Format, *, base_iri: str | None = None,
                     timeout: float | None = None) -> Dataset:
        """Parse uploaded RDF (``rdf.uploads.parse_upload``)."""
        from casegraph.rdf.uploads import parse_upload

        return parse_upload(data, fmt, base_iri=base_iri)

    def validate_upload(self, data: bytes, fmt: Format, *, base_iri: str,
                        timeout: float | None = None) -> ValidationReport:
        """Parse uploaded RDF and validate it (``POST /validate``); nothing is stored."""
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        from casegraph.shacl.validation import validate_dataset, validate_graph

        dataset = self.parse_upload(data, fmt)
        if fmt.holds_quads:
            return validate_dataset(dataset, base_iri=base_iri)
        return validate_graph(dataset.graph(DATASET_DEFAULT_GRAPH_ID), base_iri=base_iri)

    def validate_graph(self, data: Graph, *, graph: URIRef | None = None,
                       base_iri: str) -> ValidationReport:
        """The SHACL check of one graph a guarded write would store."""
        from casegraph.shacl.validation import validate_graph

        return validate_graph(data, graph=graph, base_iri=base_iri)

    def queries_ready(self) -> bool:
        """Whether a query would be answered now rather than wait for the engine to start.

        Only the embedded store starts slowly (its query workers load a snapshot);
        ``/healthz`` reports "starting" until then, so that a load balancer or a
        benchmark does not send queries that would sit waiting.
        """
        return True

    def close(self) -> None:  # noqa: B027 - optional hook, most backends need nothing
        """Release files, processes and connections."""
