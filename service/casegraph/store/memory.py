"""The in-memory backend: an rdflib ``Dataset`` for tests and tiny datasets.

Its union default graph is already an RDF merge (rdflib yields each triple once,
whichever graphs state it), as is the default graph it builds for a list of graphs.

It is the reference for the other backends' behaviour, not a production
engine: rdflib cannot interrupt a running query, so ``timeout`` is enforced
only after the fact (a slow query still runs to its end, then its answer is
discarded with ``QueryTimeout``).  Use the ``oxigraph`` backend for a service.

One re-entrant lock guards the dataset: rdflib updates are not isolated from
concurrent reads, and its SPARQL parser must not be initialised by several
threads at once (rdflib #1282), so queries, updates and writes take turns.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence

import rdflib.plugins.sparql
from pyparsing import ParseException
from rdflib import Dataset, Graph
from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
from rdflib.plugins.sparql.evaluate import evalPart
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import QueryContext, Update
from rdflib.plugins.sparql.update import _fillTemplate, evalUpdate
from rdflib.term import URIRef

from casegraph.errors import QueryRefused, QuerySyntaxError, QueryTimeout
from casegraph.rdf.graphs import RDF_MEDIA_TYPES, rdflib_format
from casegraph.rdf.results import QueryResult, first_rows
from casegraph.sparql.parsing import RDFLIB_PARSER_LOCK, syntax_error
from casegraph.sparql.update_scope import parse_update_scope
from casegraph.store.base import QueryRequest, Store

# FROM <iri> of an unknown graph must never fetch it from the web.
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

_CHUNK = 64 * 1024


class MemoryStore(Store):
    """An rdflib Dataset whose default graph is the union of its named graphs."""

    def __init__(self) -> None:
        self._lock = RDFLIB_PARSER_LOCK
        self._dataset = Dataset(default_union=True)
        with self._lock:
            # Initialise rdflib's query and update grammars once, under the lock.
            self._dataset.query("ASK { ?s ?p ?o }")
            Dataset().update("INSERT DATA { GRAPH <urn:x:warm-up> { <urn:x:a> <urn:x:b> 1 } }")

    def evaluate(self, request: QueryRequest) -> QueryResult:
        sparql, default_graph_uris, named_graph_uris, timeout, max_rows, _lane = request
        started = time.monotonic()
        with self._lock:
            try:
                prepared = translateQuery(parseQuery(sparql))
            except ParseException as error:
                raise syntax_error(error) from error
            except ValueError as error:  # rdflib: relative IRIs without a base, bad escapes
                raise QuerySyntaxError(f"SPARQL query is not valid: {error}") from error
            _fill_construct_where_template(prepared.algebra)
            dataset = self._dataset
            if default_graph_uris is not None or named_graph_uris is not None:
                # The caller's dataset replaces the query's FROM / FROM NAMED.
                dataset = self._protocol_dataset(default_graph_uris, named_graph_uris)
                prepared.algebra["datasetClause"] = None
            answer = _to_query_result(dataset.query(prepared), max_rows)
        if timeout is not None and time.monotonic() - started > timeout:
            raise QueryTimeout(f"query ran longer than {timeout:g} s")
        return answer

    def _protocol_dataset(
        self, default_graph_uris: Sequence[str] | None, named_graph_uris: Sequence[str] | None
    ) -> Dataset:
        """A copy holding exactly the requested dataset (``None``: union / every graph)."""
        view = Dataset(default_union=False)
        stored = self.named_graphs()
        for iri in stored if default_graph_uris is None else default_graph_uris:
            for triple in self._dataset.graph(URIRef(iri)):
                view.default_graph.add(triple)
        for iri in stored if named_graph_uris is None else named_graph_uris:
            target = view.graph(URIRef(iri))
            for triple in self._dataset.graph(URIRef(iri)):
                target.add(triple)
        return view

    def update_preview(
        self, sparql_update: str, *, timeout: float | None = None
    ) -> dict[URIRef, Graph | None]:
        scope = parse_update_scope(sparql_update)
        with self._lock:
            current = {iri: self.graph(iri) for iri in self.named_graphs()}
            candidates = None if scope.writes_all else scope.writes
            return preview_update(current, sparql_update, candidates)

    def replace_graphs(self, graphs: Mapping[URIRef, Graph | None]) -> None:
        # Read every input first: if one of them fails, nothing has been touched.
        prepared = {
            URIRef(iri): (list(graph) if graph is not None else None)
            for iri, graph in graphs.items()
        }
        with self._lock:
            for iri, triples in prepared.items():
                self._dataset.remove_graph(iri)
                if triples:
                    target = self._dataset.graph(iri)
                    for triple in triples:
                        target.add(triple)

    def named_graphs(self) -> list[URIRef]:
        with self._lock:
            default = self._dataset.default_graph.identifier
            return sorted(
                URIRef(c.identifier)
                for c in self._dataset.graphs()
                if c.identifier != default and len(c)
            )

    def graph(self, iri: URIRef) -> Graph:
        copy = Graph(identifier=iri)
        with self._lock:
            for triple in self._dataset.graph(URIRef(iri)):
                copy.add(triple)
        return copy

    def dump(self, media_type: str, graph: URIRef | None = None) -> Iterator[bytes]:
        with self._lock:
            if graph is not None:
                data = self.graph(graph).serialize(format=rdflib_format(media_type))
            elif not RDF_MEDIA_TYPES[media_type][1] if media_type in RDF_MEDIA_TYPES else False:
                # A format of one graph: the merge.
                merged = Graph()
                for triple in self._dataset.triples((None, None, None)):
                    merged.add(triple)
                data = merged.serialize(format=rdflib_format(media_type))
            else:
                view = Dataset()
                for iri in self.named_graphs():
                    target = view.graph(iri)
                    for triple in self._dataset.graph(iri):
                        target.add(triple)
                data = view.serialize(format=rdflib_format(media_type))
        payload = data.encode("utf-8") if isinstance(data, str) else data
        for start in range(0, len(payload), _CHUNK):
            yield payload[start : start + _CHUNK]

    def triple_count(self, graph: URIRef | None = None) -> int:
        with self._lock:
            if graph is not None:
                return len(self._dataset.graph(URIRef(graph)))
            return sum(len(self._dataset.graph(iri)) for iri in self.named_graphs())


def preview_update(
    graphs: Mapping[URIRef, Graph], sparql_update: str, candidates: frozenset[URIRef] | None
) -> dict[URIRef, Graph | None]:
    """Run an update on a scratch copy of ``graphs``; return the graphs it changed.

    ``candidates`` are the graphs the update may write (``None``: any).  The
    scratch dataset's default graph is its own empty default graph, as in
    pyoxigraph updates (see ``update_scope``).
    """
    scratch = Dataset(default_union=False)
    for iri, graph in graphs.items():
        target = scratch.graph(iri)
        for triple in graph:
            target.add(triple)
    with RDFLIB_PARSER_LOCK:
        try:
            update = translateUpdate(parseUpdate(sparql_update))
            for operation in getattr(update, "algebra", []):  # a bare list: no operations
                if operation.name == "Create":
                    _create_graph(scratch, operation)
                elif operation.name == "Modify" and operation.using:
                    _modify_with_using(scratch, operation)
                else:
                    evalUpdate(scratch, Update(operation.prologue, [operation]))
        except Exception as error:  # rdflib raises plain exceptions for failed operations
            raise QueryRefused(f"the update cannot be applied: {error}") from error
    default = scratch.default_graph.identifier
    after = {
        URIRef(c.identifier): c for c in scratch.graphs() if len(c) and c.identifier != default
    }
    changes: dict[URIRef, Graph | None] = {}
    for iri in set(graphs) | set(after) if candidates is None else candidates:
        old, new = graphs.get(iri), after.get(iri)
        if new is None:
            if old is not None and len(old):
                changes[iri] = None
        elif old is None or set(old) != set(new):
            copy = Graph(identifier=iri)
            for triple in new:
                copy.add(triple)
            changes[iri] = copy
    return changes


def _create_graph(scratch: Dataset, operation: CompValue) -> None:
    """CREATE GRAPH, which rdflib does not implement.

    This store keeps no empty graphs, so creating one changes nothing; creating
    a graph that holds triples fails unless SILENT (SPARQL 1.1 Update §3.2.1).
    """
    if len(scratch.graph(operation.graphiri)) and not operation.silent:
        raise ValueError(f"CREATE GRAPH <{operation.graphiri}>: the graph already exists")


def _modify_with_using(scratch: Dataset, operation: CompValue) -> None:
    """DELETE/INSERT … USING … WHERE with the dataset that USING and USING NAMED give.

    rdflib ignores ``USING NAMED`` (every graph stays visible to ``GRAPH ?g``), so
    the WHERE clause is matched here against exactly the named graphs; then all
    deletions are applied before all insertions, as SPARQL 1.1 Update §3.1.3 says.
    """
    view = Dataset(default_union=False)
    for clause in operation.using:
        if clause.default is not None:
            view.default_graph += scratch.graph(clause.default)
        else:
            target = view.graph(clause.named)
            target += scratch.graph(clause.named)
    context = QueryContext(view, initBindings={})
    context.prologue = operation.prologue
    solutions = list(evalPart(context, operation.where))
    template_graph = (
        scratch.graph(operation.withClause) if operation.withClause else scratch.default_graph
    )
    for template, adding in ((operation.delete, False), (operation.insert, True)):
        if not template:
            continue
        for solution in solutions:
            targets = [(template_graph, template.triples or [])]
            for graph, quads in (template.quads or {}).items():
                if solution.get(graph) is not None:
                    targets.append((scratch.graph(solution.get(graph)), quads))
            for target, triples in targets:
                for triple in _fillTemplate(triples, solution):
                    target.add(triple) if adding else target.remove(triple)


def _fill_construct_where_template(algebra: CompValue) -> None:
    """Give ``CONSTRUCT WHERE { … }`` its template: the WHERE clause's triples.

    rdflib finds them only when the WHERE is directly under the projection, so
    ``CONSTRUCT WHERE { … } LIMIT 1`` (a slice around it) would fail with a TypeError.
    """
    if algebra.name != "ConstructQuery" or algebra.template:
        return
    node = algebra.p
    while isinstance(node, CompValue) and node.name != "BGP":
        node = node.get("p")
    if isinstance(node, CompValue):
        algebra["template"] = node.triples


def _to_query_result(result, max_rows: int | None) -> QueryResult:
    if result.type == "ASK":
        return QueryResult(kind="boolean", boolean=bool(result.askAnswer))
    if result.type in {"CONSTRUCT", "DESCRIBE"}:
        triples, truncated = first_rows(iter(result.graph), max_rows)
        return QueryResult(kind="graph", triples=triples, truncated=truncated)
    variables = [str(v) for v in result.vars]
    rows, truncated = first_rows(map(tuple, result), max_rows)
    return QueryResult(kind="bindings", variables=variables, rows=rows, truncated=truncated)
