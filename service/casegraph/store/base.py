"""The storage interface: few verbs, every backend behind them.

Backends (``oxigraph`` embedded/persistent, ``memory`` rdflib, ``remote`` SPARQL
1.1 Protocol) implement exactly these methods, and the same test-suite runs
against all of them (``tests/conftest.py`` parametrises the ``store`` fixture).

Terms crossing this interface are rdflib terms, so that the HTTP layer, the
pages and the validator never depend on which engine answered.

Invariants every backend guarantees:

* The dataset of a query: ``default_graph_uris=None`` makes the default graph the
  union of all named graphs (case graphs, the ontology graph), and
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from rdflib import Graph
from rdflib.term import Identifier, URIRef

QueryKind = Literal["bindings", "boolean", "graph"]


class StoreError(Exception):
    """Base class of storage errors; ``status`` is the HTTP status they map to."""

    status = 500


class QuerySyntaxError(StoreError):
    """The query or update does not parse; ``line``/``column`` locate it when known."""

    status = 400

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line = line
        self.column = column


class QueryRefused(StoreError):
    """The request is well-formed but not allowed (SERVICE, LOAD, too deep, …)."""

    status = 400


class QueryTimeout(StoreError):
    """The query or update ran past its time limit and was stopped."""

    status = 503


class EngineCrashed(StoreError):
    """The engine died while answering (segfault, abort, out of memory)."""

    status = 500


class StoreUnavailable(StoreError):
    """The backend cannot be reached or opened."""

    status = 503


@dataclass
class QueryResult:
    """The answer to a SPARQL query, independent of the engine that produced it.

    ``kind`` says which of the other fields is meaningful: ``rows`` (with
    ``variables``) for SELECT, ``boolean`` for ASK, ``triples`` for
    CONSTRUCT/DESCRIBE.  ``truncated`` is true when ``max_rows`` cut the rows.
    """

    kind: QueryKind
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Identifier | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Identifier, Identifier, Identifier]] = field(default_factory=list)
    truncated: bool = False

    def dicts(self) -> list[dict[str, Identifier]]:
        """Rows as dicts, unbound variables left out: the shape templates want."""
        return [
            {v: t for v, t in zip(self.variables, row, strict=True) if t is not None}
            for row in self.rows
        ]


class Store(ABC):
    """A quad store holding one named graph per case plus the ontology graph."""

    @abstractmethod
    def query(
        self,
        sparql: str,
        *,
        default_graph_uris: Sequence[str] | None = None,
        named_graph_uris: Sequence[str] | None = None,
        timeout: float | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        """Evaluate a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE)."""

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

    @abstractmethod
    def graph(self, iri: URIRef) -> Graph:
        """A copy of one named graph (empty if absent)."""

    @abstractmethod
    def dump(self, media_type: str, graph: URIRef | None = None) -> Iterator[bytes]:
        """Stream the dataset (N-Quads, TriG) or one graph (Turtle, N-Triples) as bytes."""

    @abstractmethod
    def triple_count(self, graph: URIRef | None = None) -> int:
        """Number of quads in the dataset, or triples in one graph."""

    def bulk_load(self, source: Path | bytes, media_type: str, *, graph: URIRef | None = None):
        """Add the quads of a file (or bytes) to the store; triples go into ``graph``.

        Meant for filling an empty store (first start, benchmarks): the embedded
        backend uses its fast bulk loader, which is NOT atomic.  Curated changes go
        through ``replace_graphs``.  This generic version parses with rdflib and
        merges each named graph of the input with its current content.
        """
        from casegraph.store.formats import parse_named_graphs

        parsed = parse_named_graphs(source, media_type, graph=graph)
        merged = {}
        for iri, new in parsed.items():
            current = self.graph(iri)
            for triple in new:
                current.add(triple)
            merged[iri] = current
        self.replace_graphs(merged)

    def queries_ready(self) -> bool:
        """Whether a query would be answered now rather than wait for the engine to start.

        Only the embedded store starts slowly (its query workers load a snapshot);
        ``/healthz`` reports "starting" until then, so that a load balancer or a
        benchmark does not send queries that would sit waiting.
        """
        return True

    def close(self) -> None:  # noqa: B027 - optional hook, most backends need nothing
        """Release files, processes and connections."""
