"""The remote backend: any SPARQL 1.1 store over the Protocol and Graph Store Protocol.

Queries go through SPARQLWrapper; graph reads use the Graph Store Protocol
(``GET ?graph=``); writes are ONE SPARQL update request per ``replace_graphs``
(``DROP SILENT GRAPH …; INSERT DATA {…}``), which Fuseki and the Oxigraph
server run atomically.

The default graph is the RDF merge of the named graphs (``store.merge``): the
same update request keeps the server's own default graph equal to it
(``replace_graphs_update``: a pure SPARQL retraction and copy, evaluated by the
server), so the server must answer queries from its stored default graph —
``oxigraph serve`` WITHOUT ``--union-default-graph``, whose union yields one
solution per graph stating a triple.  A dataset of several default graphs is
merged here: those graphs (and the named ones the query may use) are fetched and
the query runs on the in-memory backend.

Time limits: the HTTP client gives up after ``timeout`` and raises
``QueryTimeout``; stopping the work on the server is the server's own limit
(``oxigraph serve --timeout-s``, Fuseki ``arq:queryTimeout``), which must be
configured no longer than ``query_timeout``.

Update previews run locally: the graphs the update writes and reads are
fetched into an rdflib dataset and the update is applied there.  An update
whose WHERE clause may read every graph (``GRAPH ?g`` without ``USING NAMED``)
or that writes every graph (``CLEAR ALL``) is refused rather than copying the
whole remote store.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping, Sequence

from rdflib import Dataset, Graph
from rdflib.term import URIRef
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from casegraph.config import Settings
from casegraph.errors import (
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    StoreError,
    StoreUnavailable,
)
from casegraph.rdf.graphs import RDF_MEDIA_TYPES, rdflib_format, replace_graphs_update
from casegraph.rdf.results import QueryResult, first_rows
from casegraph.rdf.terms import ntriples_term, term_from_json
from casegraph.sparql.update_scope import parse_update_scope
from casegraph.store.base import QueryRequest, Store
from casegraph.store.memory import preview_update


class RemoteStore(Store):
    """A SPARQL 1.1 server holding one named graph per case."""

    def __init__(
        self, query_url: str, update_url: str, store_url: str | None, *, timeout: float = 10.0
    ):
        self.query_url = query_url
        self.update_url = update_url
        self.store_url = store_url
        self._default_timeout = timeout

    @classmethod
    def from_settings(cls, settings: Settings) -> RemoteStore:
        if not settings.remote_query_url or not settings.remote_update_url:
            raise StoreUnavailable(
                "the remote store needs CASEGRAPH_REMOTE_QUERY_URL and CASEGRAPH_REMOTE_UPDATE_URL"
            )
        return cls(
            settings.remote_query_url,
            settings.remote_update_url,
            settings.remote_store_url,
            timeout=settings.query_timeout,
        )

    # ------------------------------------------------------------------ reads

    def evaluate(self, request: QueryRequest) -> QueryResult:
        sparql, default_graph_uris, named_graph_uris, timeout, max_rows, _lane = request
        if default_graph_uris is not None and len(set(default_graph_uris)) > 1:
            return self._query_merged(sparql, default_graph_uris, named_graph_uris, max_rows)
        if (default_graph_uris is None) != (named_graph_uris is None):
            # The Protocol cannot say "the union" or "every named graph" beside an
            # explicit list of the other part: list the store's graphs instead.
            every = [str(g) for g in self.named_graphs()]
            default_graph_uris = every if default_graph_uris is None else default_graph_uris
            named_graph_uris = every if named_graph_uris is None else named_graph_uris
        wrapper = SPARQLWrapper(self.query_url)
        wrapper.setMethod(POST)
        wrapper.setTimeout(timeout or self._default_timeout)
        for iri in _protocol_default_graphs(default_graph_uris, named_graph_uris):
            wrapper.addDefaultGraph(iri)
        for iri in named_graph_uris or ():
            wrapper.addNamedGraph(iri)
        wrapper.setQuery(sparql)
        graph_query = wrapper.queryType in {"CONSTRUCT", "DESCRIBE"}
        wrapper.setReturnFormat("nt" if graph_query else JSON)
        if graph_query:
            wrapper.addCustomHttpHeader("Accept", "application/n-triples")
        with _http_errors(timeout or self._default_timeout):
            response = wrapper.query().response.read()
        if graph_query:
            triples, truncated = first_rows(iter(Graph().parse(data=response, format="nt")),
                                            request.max_rows)
            return QueryResult(kind="graph", triples=triples, truncated=truncated)
        document = json.loads(response)
        if "boolean" in document:
            return QueryResult(kind="boolean", boolean=bool(document["boolean"]))
        variables = document["head"].get("vars", [])
        bindings = document["results"]["bindings"]
        truncated = max_rows is not None and len(bindings) > max_rows
        if truncated:
            bindings = bindings[:max_rows]
        rows = [tuple(term_from_json(b.get(v)) for v in variables) for b in bindings]
        return QueryResult(kind="bindings", variables=variables, rows=rows, truncated=truncated)

    def _query_merged(self, sparql: str, default_graph_uris: Sequence[str],
                      named_graph_uris: Sequence[str] | None, max_rows: int | None) -> QueryResult:
        """A query over several default graphs, on a local copy where they are merged."""
        from casegraph.store.memory import MemoryStore

        needed = [*default_graph_uris,
                  *(self.named_graphs() if named_graph_uris is None else named_graph_uris)]
        local = MemoryStore()
        local.replace_graphs({URIRef(iri): self.graph(URIRef(iri)) for iri in dict.fromkeys(needed)})
        return local.query(sparql, default_graph_uris=default_graph_uris,
                           named_graph_uris=named_graph_uris, max_rows=max_rows)

    def named_graphs(self) -> list[URIRef]:
        result = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(row[0] for row in result.rows if isinstance(row[0], URIRef))

    def graph(self, iri: URIRef) -> Graph:
        graph = Graph(identifier=URIRef(iri))
        if self.store_url:
            url = f"{self.store_url}?{urllib.parse.urlencode({'graph': str(iri)})}"
            request = urllib.request.Request(url, headers={"Accept": "application/n-triples"})
            data = self._http(request, absent_ok=True)
            return graph if data is None else graph.parse(data=data, format="nt")
        result = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
        for triple in result.triples:
            graph.add(triple)
        return graph

    def dump(self, media_type: str, graph: URIRef | None = None) -> Iterator[bytes]:
        if graph is not None:
            yield self.graph(graph).serialize(format=rdflib_format(media_type), encoding="utf-8")
            return
        if media_type in RDF_MEDIA_TYPES and not RDF_MEDIA_TYPES[media_type][1]:
            merged = Graph()  # a format of one graph: the merge, the server's default graph
            for triple in self.query("CONSTRUCT WHERE { ?s ?p ?o }").triples:
                merged.add(triple)
            yield merged.serialize(format=rdflib_format(media_type), encoding="utf-8")
            return
        if media_type == "application/n-quads":  # streamed one graph at a time
            for iri in self.named_graphs():
                yield _nquads(self.graph(iri))
            return
        dataset = Dataset()
        for iri in self.named_graphs():
            target = dataset.graph(iri)
            for triple in self.graph(iri):
                target.add(triple)
        yield dataset.serialize(format=rdflib_format(media_type), encoding="utf-8")

    def triple_count(self, graph: URIRef | None = None) -> int:
        pattern = f"GRAPH <{graph}>" if graph is not None else "GRAPH ?g"
        result = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} {{ ?s ?p ?o }} }}")
        return int(result.rows[0][0])

    # ------------------------------------------------------------------ writes

    def update_preview(
        self, sparql_update: str, *, timeout: float | None = None
    ) -> dict[URIRef, Graph | None]:
        scope = parse_update_scope(sparql_update)
        if scope.writes_all or scope.reads_all:
            raise QueryRefused(
                "this update may read or write every graph (GRAPH ?var, CLEAR ALL …); "
                "with the remote store, name the graphs it uses (GRAPH <iri>, USING NAMED <iri>)"
            )
        graphs = {iri: self.graph(iri) for iri in scope.writes | scope.reads}
        return preview_update(graphs, sparql_update, scope.writes)

    def replace_graphs(self, graphs: Mapping[URIRef, Graph | None]) -> None:
        if not graphs:
            return
        self._update(replace_graphs_update(graphs))

    def _update(self, sparql_update: str) -> None:
        request = urllib.request.Request(
            self.update_url,
            data=sparql_update.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update"},
            method="POST",
        )
        self._http(request)

    def _http(self, request: urllib.request.Request, absent_ok: bool = False) -> bytes | None:
        """Send a request; ``None`` for a 404 when ``absent_ok`` (GSP: no such graph)."""
        try:
            with _http_errors(self._default_timeout):
                reply = urllib.request.urlopen(request, timeout=self._default_timeout)
                with reply:
                    return reply.read()
        except StoreError as error:
            if absent_ok and getattr(error, "http_status", None) == 404:
                return None
            raise


#: Named in ``default-graph-uri`` when the default graph must be empty and no other
#: parameter says so; the service never writes a graph under this IRI.
EMPTY_GRAPH = "urn:x-casegraph:empty-default-graph"


def _protocol_default_graphs(
    default_graph_uris: Sequence[str] | None, named_graph_uris: Sequence[str] | None
) -> Sequence[str]:
    """The ``default-graph-uri`` values that give the server the requested dataset.

    The Protocol's parameters express "empty default graph" by naming only named
    graphs, and "no named graphs" by naming only default graphs; an empty
    default graph together with no named graphs has no spelling, so it names a
    graph that never exists.
    """
    if default_graph_uris is None:
        return ()  # the server's union default graph and all its named graphs
    if not default_graph_uris and not named_graph_uris:
        return (EMPTY_GRAPH,)
    return default_graph_uris


def _nquads(graph: Graph) -> bytes:
    suffix = f" <{graph.identifier}> .\n"
    return "".join(
        f"{ntriples_term(s)} {ntriples_term(p)} {ntriples_term(o)}{suffix}" for s, p, o in graph
    ).encode("utf-8")


class _http_errors:
    """Map transport and protocol failures to storage errors."""

    def __init__(self, timeout: float):
        self.timeout = timeout

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if error is None:
            return False
        if isinstance(error, TimeoutError | socket.timeout) or (
            isinstance(error, urllib.error.URLError) and isinstance(error.reason, TimeoutError)
        ):
            raise QueryTimeout(f"the remote store did not answer within {self.timeout:g} s")
        if isinstance(error, QueryBadFormed):
            raise QuerySyntaxError(f"the remote store rejected the query: {error}") from error
        if isinstance(error, urllib.error.HTTPError):
            body = error.read().decode("utf-8", "replace")[:500]
            if error.code == 400:
                raise QuerySyntaxError(f"the remote store rejected the request: {body}")
            failure = StoreError(f"the remote store answered HTTP {error.code}: {body}")
            failure.http_status = error.code
            raise failure from error
        if isinstance(error, urllib.error.URLError | ConnectionError):
            raise StoreUnavailable(f"the remote store is unreachable: {error}") from error
        if isinstance(error, SPARQLWrapperException):
            raise StoreError(f"the remote store failed: {error}") from error
        return False
