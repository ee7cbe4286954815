"""Which named graphs a SPARQL update writes and reads, decided before it runs.

Guarded writes preview an update, validate the graphs it changes and only then
commit them, so every backend must know the graphs an update touches without
executing it.  The update is parsed with rdflib's SPARQL parser (the same one
for every backend, so refusals and error positions do not depend on the engine).

The grammar rules rdflib's parser does not enforce (SPARQL 1.1 Update §3.1 and
the grammar notes of Query §19.6) are checked here too, and answered as syntax
errors: no variables in ``INSERT DATA``/``DELETE DATA``, no blank nodes in
anything that deletes, and no blank-node label shared by two ``INSERT DATA``
operations of one request.

Three rules are enforced here for every backend:

* the default graph of a query is the union of the named graphs, so an update
  writing to the default graph would write into nothing a reader can name:
  it is refused ("write to a named case graph");
* ``LOAD`` is refused: the service never fetches data from the network;
* an update that would read the default graph (``ADD``/``COPY DEFAULT TO``, or
  triple patterns outside ``GRAPH`` with no ``WITH`` or ``USING``) is refused
  too: the engines run updates against the store's own default graph, which is
  always empty, so such an update would silently match nothing (and ``COPY
  DEFAULT TO <g>`` would empty ``<g>``) where a reader expects the union.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pyparsing import ParseException
from rdflib.plugins.sparql.algebra import translateUpdate
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import BNode, URIRef, Variable

from casegraph.errors import QueryRefused, QuerySyntaxError
from casegraph.sparql.parsing import RDFLIB_PARSER_LOCK, syntax_error

WRITE_TO_NAMED_GRAPH = (
    "the default graph is the union of the case graphs and cannot be written: "
    "write to a named case graph (INSERT DATA { GRAPH <…> { … } }, WITH <…>, or GRAPH <…>)"
)


READ_NAMED_GRAPHS = (
    "an update reads no default graph (the union of the case graphs is what queries "
    "see): name the graphs it matches with USING <…>, WITH <…> or GRAPH <…> { … }"
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
            raise syntax_error(error, "SPARQL update") from error
        except Exception as error:  # rdflib raises plain exceptions for bad prefixes etc.
            raise QuerySyntaxError(f"SPARQL update is not valid: {error}") from error
    # An update of only a prologue or comments is valid and does nothing; rdflib
    # then returns a bare list instead of an Update.
    operations = getattr(update, "algebra", [])
    _check_grammar_notes(operations)
    scope = _ScopeBuilder()
    for operation in operations:
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
            if source == "DEFAULT":
                raise QueryRefused(READ_NAMED_GRAPHS)
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
        if with_graph is None and not using and matches_outside_graph(op.where):
            raise QueryRefused(READ_NAMED_GRAPHS)
        for graph_term in _graph_patterns(op.where):
            if isinstance(graph_term, Variable):
                if not named:
                    self.reads_all = True
            else:
                self.reads.add(URIRef(graph_term))


_OPERATION_KEYWORDS = {
    "InsertData": "INSERT DATA",
    "DeleteData": "DELETE DATA",
    "DeleteWhere": "DELETE WHERE",
    "Modify": "DELETE/INSERT",
}


def _check_grammar_notes(operations: list[CompValue]) -> None:
    """Raise ``QuerySyntaxError`` for what the grammar forbids and rdflib lets through."""
    labels_seen: dict[str, int] = {}
    for number, operation in enumerate(operations, start=1):
        keyword = _OPERATION_KEYWORDS.get(operation.name)
        if keyword is None:
            continue
        where = f"operation {number} ({keyword})"
        if operation.name in {"InsertData", "DeleteData"}:
            variable = next((t for t in _terms(operation) if isinstance(t, Variable)), None)
            if variable is not None:
                raise QuerySyntaxError(f"SPARQL update syntax error in {where}: variable "
                                       f"?{variable} in a data block (data holds no variables)")
        deleted = operation.delete if operation.name == "Modify" else operation
        if operation.name != "InsertData" and deleted is not None:
            blank = next((t for t in _terms(deleted) if isinstance(t, BNode)), None)
            if blank is not None:
                raise QuerySyntaxError(
                    f"SPARQL update syntax error in {where}: {_blank_node_text(blank)} in what "
                    "is deleted (SPARQL allows no blank nodes there: use a variable)")
        if operation.name != "InsertData":
            continue  # templates may reuse a label: each solution makes fresh blank nodes
        for term in _terms(operation):
            if isinstance(term, BNode) and not _is_anonymous(term):
                first = labels_seen.setdefault(str(term), number)
                if first != number:
                    raise QuerySyntaxError(
                        f"SPARQL update syntax error in {where}: blank node _:{term} is already "
                        f"used by operation {first} (two INSERT DATA operations of one request "
                        "cannot share a label)")


def _walk(node) -> Iterator:
    """Every node and term inside an algebra node, keys of mappings included (the
    graph names of quad templates are the keys of ``quads``)."""
    yield node
    if isinstance(node, CompValue | dict):
        for key, value in node.items():
            yield from _walk(key)
            yield from _walk(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _walk(value)


def _terms(node) -> list:
    """Every RDF term and variable inside an algebra node (templates, data, patterns)."""
    return [n for n in _walk(node) if isinstance(n, URIRef | BNode | Variable)]


#: rdflib gives anonymous blank nodes (``[]``, ``[ :p :o ]``) generated ids
#: ("N" and 32 hex digits); labelled ones keep their label.
_ANONYMOUS_ID_LENGTH = 33


def _is_anonymous(blank: BNode) -> bool:
    text = str(blank)
    return (len(text) == _ANONYMOUS_ID_LENGTH and text[0] == "N"
            and all(c in "0123456789abcdef" for c in text[1:]))


def _blank_node_text(blank: BNode) -> str:
    return "a blank node []" if _is_anonymous(blank) else f"blank node _:{blank}"


#: ``GRAPH x { … }`` in the algebra, and in the parser form ``EXISTS`` patterns keep.
_GRAPH_PATTERNS = {"Graph", "GraphGraphPattern"}


def matches_outside_graph(node, inside_graph: bool = False) -> bool:
    """Whether an algebra expression has triple patterns outside every ``GRAPH``.

    The patterns of ``EXISTS``/``NOT EXISTS`` stay in parser form in rdflib's
    update algebra (``TriplesBlock``, ``GraphGraphPattern``), so both forms count.
    """
    if isinstance(node, CompValue):
        inside_graph = inside_graph or node.name in _GRAPH_PATTERNS
        if node.name in {"BGP", "TriplesBlock"} and node.triples and not inside_graph:
            return True
        return any(matches_outside_graph(value, inside_graph) for value in node.values())
    if isinstance(node, list | tuple):
        return any(matches_outside_graph(value, inside_graph) for value in node)
    return False


def _graph_patterns(node) -> list:
    """The terms of every ``GRAPH x { … }`` pattern inside an algebra expression."""
    return [n.term for n in _walk(node)
            if isinstance(n, CompValue) and n.name in _GRAPH_PATTERNS]
