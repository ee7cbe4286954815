"""Which named graphs a SPARQL update writes and reads, decided before it runs.

Guarded writes preview an update, validate the graphs it changes and only then
commit them, so every backend must know the graphs an update touches without
executing it.  The update is parsed with rdflib's SPARQL parser (the same one
for every backend, so refusals and error positions do not depend on the engine).

Two rules are enforced here for every backend:

* the default graph of a query is the union of the named graphs, so an update
  writing to the default graph would write into nothing a reader can name:
  it is refused ("write to a named case graph");
* ``LOAD`` is refused: the service never fetches data from the network.

Inside an update's WHERE clause the default graph is the store's real default
graph, which is empty: updates name their graphs with ``WITH``, ``USING`` or
``GRAPH``.  Every backend follows this (pyoxigraph has no union option for
updates, so the others copy its behaviour).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from pyparsing import ParseException
from rdflib.plugins.sparql.algebra import translateUpdate
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef, Variable

from casegraph.store.base import QueryRefused, QuerySyntaxError

#: rdflib's SPARQL grammar is initialised lazily and breaks when several threads
#: parse for the first time at once (rdflib #1282); every rdflib parse in the
#: storage layer holds this lock.
RDFLIB_PARSER_LOCK = threading.RLock()

WRITE_TO_NAMED_GRAPH = (
    "the default graph is the union of the case graphs and cannot be written: "
    "write to a named case graph (INSERT DATA { GRAPH <…> { … } }, WITH <…>, or GRAPH <…>)"
)


@dataclass(frozen=True)
class UpdateScope:
    """The graphs an update may change (``writes``) and may read (``reads``).

    ``writes_all``/``reads_all`` are true when a ``GRAPH ?var`` template,
    ``CLEAR ALL`` or similar makes every named graph a candidate.
    """

    writes: frozenset[URIRef]
    writes_all: bool
    reads: frozenset[URIRef]
    reads_all: bool


def parse_update_scope(sparql_update: str) -> UpdateScope:
    """Parse ``sparql_update`` and work out its scope; refuse default-graph writes and LOAD."""
    with RDFLIB_PARSER_LOCK:
        try:
            update = translateUpdate(parseUpdate(sparql_update))
        except ParseException as error:
            raise QuerySyntaxError(
                f"SPARQL update syntax error at line {error.lineno}, column {error.col}: {error.msg}",
                line=error.lineno,
                column=error.col,
            ) from error
        except Exception as error:  # rdflib raises plain exceptions for bad prefixes etc.
            raise QuerySyntaxError(f"SPARQL update is not valid: {error}") from error
    scope = _ScopeBuilder()
    for operation in update.algebra:
        scope.add(operation)
    return UpdateScope(
        frozenset(scope.writes), scope.writes_all, frozenset(scope.reads), scope.reads_all
    )


class _ScopeBuilder:
    def __init__(self) -> None:
        self.writes: set[URIRef] = set()
        self.reads: set[URIRef] = set()
        self.writes_all = False
        self.reads_all = False

    def add(self, op: CompValue) -> None:
        name = op.name
        if name == "Load":
            raise QueryRefused("LOAD is not allowed: the service never fetches data from the web")
        if name in {"InsertData", "DeleteData", "DeleteWhere"}:
            self._template(op, default_graph=None)
            if name == "DeleteWhere":
                self.reads.update(g for g in op.quads if isinstance(g, URIRef))
        elif name == "Modify":
            self._modify(op)
        elif name in {"Clear", "Drop", "Create"}:
            self._graph_target(op.graphiri)
        elif name in {"Add", "Copy", "Move"}:
            source, target = op.graph
            if target == "DEFAULT":
                raise QueryRefused(WRITE_TO_NAMED_GRAPH)
            self._graph_target(target)
            if name == "Move":
                self._graph_target(source)
            if isinstance(source, URIRef):
                self.reads.add(source)
        else:  # pragma: no cover - rdflib knows no other update operations
            raise QueryRefused(f"unsupported update operation {name}")

    def _graph_target(self, target) -> None:
        if target == "DEFAULT":
            raise QueryRefused(WRITE_TO_NAMED_GRAPH)
        if target in {"ALL", "NAMED"}:
            self.writes_all = True
        else:
            self.writes.add(URIRef(target))

    def _template(self, clause, default_graph: URIRef | None) -> None:
        if clause is None:
            return
        if clause.triples:
            if default_graph is None:
                raise QueryRefused(WRITE_TO_NAMED_GRAPH)
            self.writes.add(default_graph)
        for graph in clause.quads or {}:
            if isinstance(graph, Variable):
                self.writes_all = True
            else:
                self.writes.add(URIRef(graph))

    def _modify(self, op: CompValue) -> None:
        with_graph = op.withClause
        self._template(op.delete, with_graph)
        self._template(op.insert, with_graph)
        using = op.using or []
        # Attribute access: CompValue.get returns the key itself for an absent field.
        defaults = [u.default for u in using if u.default is not None]
        named = [u.named for u in using if u.named is not None]
        self.reads.update(URIRef(g) for g in defaults + named)
        if with_graph is not None and not defaults:
            self.reads.add(URIRef(with_graph))
        for graph_term in _graph_patterns(op.where):
            if isinstance(graph_term, Variable):
                if not named:
                    self.reads_all = True
            else:
                self.reads.add(URIRef(graph_term))


def _graph_patterns(node) -> list:
    """The terms of every ``GRAPH x { … }`` pattern inside an algebra expression."""
    found = []
    if isinstance(node, CompValue):
        if node.name == "Graph":
            found.append(node.term)
        for value in node.values():
            found.extend(_graph_patterns(value))
    elif isinstance(node, list | tuple):
        for value in node:
            found.extend(_graph_patterns(value))
    return found
