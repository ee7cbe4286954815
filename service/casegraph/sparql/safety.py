"""Decide whether a SPARQL query or update may run, by parsing it — never by keywords.

A query reaches the store only after this module has

1. expanded SPARQL code-point escapes (``\\u0053ERVICE`` is ``SERVICE``) exactly once,
   and refused a text that would still contain an escape afterwards, so that the
   text we analyse is byte for byte the text the engine evaluates;
2. refused, before any recursive parser runs, texts that are too long or nest
   brackets too deeply (pyparsing recurses per level, and pyoxigraph crashes the
   process at roughly 2,200 levels);
3. parsed it with rdflib's SPARQL grammar and walked the parse tree to refuse
   ``SERVICE`` (unless the endpoint is allow-listed), ``LOAD``, and ``FROM`` /
   ``FROM NAMED`` / ``USING`` naming graphs the store does not hold — each of
   which would make an engine fetch a URL from the server's network.

A carriage return that ends no line is refused too: Oxigraph ends a comment there and
rdflib does not, so ``#\r SERVICE <…>`` was a comment to this analysis and a call to the
engine.

This analysis decides the clear, early 400s; it is not what keeps execution off the
network.  For the embedded store it runs in the same confined worker process that then
executes the text, whose network namespace has no interface: a SERVICE or LOAD that got
past it still cannot connect, and is refused by the engine's own failure.

Refusals raise :class:`~casegraph.errors.QueryRefused`; syntax errors raise
:class:`~casegraph.errors.QuerySyntaxError` with the line and column.
"""

from __future__ import annotations

import functools
import re
import sys
import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field

from pyparsing import ParseBaseException, ParseResults
from rdflib.plugins.sparql.algebra import translatePrologue
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

from casegraph.errors import QueryRefused, QuerySyntaxError
from casegraph.rdf.lexer import MAX_NESTING_DEPTH, nesting_depth
from casegraph.sparql.parsing import RDFLIB_PARSER_LOCK, syntax_error
from casegraph.sparql.prescreen import prescreen_query

#: Longest query or update text analysed, in characters (bodies are also capped by
#: ``max_request_bytes``; this bounds the parser's work on a single text).
MAX_TEXT_CHARS = 200_000
#: Deepest bracket nesting (``{``, ``(``, ``[``) accepted; real queries stay below 15.
#: Most triple patterns in the WHERE parts of one query or update.
MAX_TRIPLE_PATTERNS = 200

_PARSER_RECURSION_LIMIT = 20_000
_PARSER_STACK_BYTES = 256 * 1024 * 1024
_STACK_SIZE_LOCK = threading.Lock()

# One SPARQL code-point escape: \uXXXX or \UXXXXXXXX (SPARQL 1.1, section 19.2).
_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# What rdflib's own escape expansion would still pick up (it is case-insensitive).
_LEFTOVER_ESCAPE = re.compile(r"\\[uU][0-9A-Fa-f]{4}")
# A carriage return that ends no line: Oxigraph (which executes) ends a comment there,
# rdflib (whose parse tree the checks walk) does not, so a "comment" could hide a SERVICE.
_LONE_CARRIAGE_RETURN = re.compile("\r(?!\n)")
# Tokens inside which brackets do not count: long and short strings, IRIs, comments.


@dataclass(frozen=True)
class SafetyPolicy:
    """What the service allows: graphs it holds and SERVICE endpoints it may call."""

    known_graphs: Collection[str] = ()
    service_allowlist: Collection[str] = ()
    max_text_chars: int = MAX_TEXT_CHARS
    max_nesting_depth: int = MAX_NESTING_DEPTH
    max_triple_patterns: int = MAX_TRIPLE_PATTERNS

    @staticmethod
    def parse_allowlist(raw: str) -> frozenset[str]:
        """``settings.service_allowlist`` is comma-separated IRIs."""
        return frozenset(part.strip() for part in raw.split(",") if part.strip())


class LazyGraphNames(Collection[str]):
    """The store's graph names, listed only if a query actually names a graph.

    Most queries have no ``FROM``/``USING``, so listing the graphs for each of them
    (one per case) would be wasted work on the request path.
    """

    def __init__(self, list_graphs: Callable[[], Iterable[object]]):
        self._list_graphs = list_graphs

    @functools.cached_property
    def _names(self) -> frozenset[str]:
        return frozenset(str(g) for g in self._list_graphs())

    def __contains__(self, iri: object) -> bool:
        return iri in self._names

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


@dataclass(frozen=True)
class CheckedQuery:
    """A query that may run: ``text`` is what to hand to the store."""

    text: str
    form: str  # "SELECT", "ASK", "CONSTRUCT" or "DESCRIBE"
    from_graphs: list[str] = field(default_factory=list)
    from_named_graphs: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CheckedUpdate:
    """An update that may run: ``text`` is what to hand to the store."""

    text: str
    operations: list[str] = field(default_factory=list)


_QUERY_FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


def check_query(text: str, policy: SafetyPolicy) -> CheckedQuery:
    """Analyse a query; return it ready to run or raise ``QueryRefused``/``QuerySyntaxError``.

    The policy-free part of the analysis is cached per text (clients repeat their
    queries), and queries that the pre-screen proves harmless skip rdflib's parser.
    """
    limits = (policy.max_text_chars, policy.max_nesting_depth, policy.max_triple_patterns)
    if len(text) <= _CACHED_TEXT_CHARS:
        analysis = _cached_query_analysis(text, *limits)
    else:
        analysis = _query_analysis(text, *limits)
    if analysis.patterns > policy.max_triple_patterns:
        raise QueryRefused(
            f"{analysis.patterns} triple patterns; at most {policy.max_triple_patterns} "
            "are accepted"
        )
    for endpoint in analysis.services:
        _check_service(endpoint, policy)
    _require_known_graphs(list(analysis.from_graphs + analysis.from_named), "FROM", policy)
    return CheckedQuery(
        analysis.text, analysis.form, list(analysis.from_graphs), list(analysis.from_named)
    )


@dataclass(frozen=True)
class _Endpoint:
    """The endpoint of a SERVICE clause: an absolute IRI or a variable's name."""

    name: str
    is_variable: bool = False


@dataclass(frozen=True)
class _QueryAnalysis:
    """What a query text asks for, independent of the policy it is judged by."""

    text: str
    form: str
    patterns: int  # the exact count, or an upper bound from the pre-screen
    services: tuple[_Endpoint, ...] = ()  # SERVICE endpoints in walk order
    from_graphs: tuple[str, ...] = ()
    from_named: tuple[str, ...] = ()


def _query_analysis(
    text: str, max_text_chars: int, max_nesting_depth: int, max_triple_patterns: int
) -> _QueryAnalysis:
    limits = SafetyPolicy(
        max_text_chars=max_text_chars,
        max_nesting_depth=max_nesting_depth,
        max_triple_patterns=max_triple_patterns,
    )
    expanded = _prepare(text, limits)
    screened = prescreen_query(expanded, max_triple_patterns)
    if screened is not None:
        return _QueryAnalysis(expanded, screened[0], screened[1])
    parsed = _parse_on_deep_stack(parseQuery, expanded)
    prologue = translatePrologue(parsed[0], None)
    body = parsed[1]
    services, patterns = _tree_facts(body, prologue)
    from_graphs: list[str] = []
    from_named: list[str] = []
    for clause in _field(body, "datasetClause", []):
        if _field(clause, "default") is not None:
            from_graphs.append(str(prologue.absolutize(clause["default"])))
        else:
            from_named.append(str(prologue.absolutize(clause["named"])))
    return _QueryAnalysis(
        expanded, _QUERY_FORMS[body.name], patterns, tuple(services),
        tuple(from_graphs), tuple(from_named),
    )


#: Texts up to this length have their analysis cached (bounds the cache's memory).
_CACHED_TEXT_CHARS = 20_000
_cached_query_analysis = functools.lru_cache(maxsize=512)(_query_analysis)


def check_update(text: str, policy: SafetyPolicy) -> CheckedUpdate:
    """Analyse an update request; return it ready to run or raise."""
    expanded = _prepare(text, policy)
    parsed = _parse_on_deep_stack(parseUpdate, expanded)
    operations = []
    for prologue_tree, operation in zip(
        _field(parsed, "prologue", []), _field(parsed, "request", []), strict=False
    ):
        prologue = translatePrologue(prologue_tree, None)
        if operation.name == "Load":
            raise QueryRefused(
                f"LOAD <{prologue.absolutize(operation['iri'])}> refused: "
                "the service never fetches data from URLs; send the data in the request"
            )
        _check_tree(operation, prologue, policy)
        using = [
            str(prologue.absolutize(_field(clause, "default") or _field(clause, "named")))
            for clause in _field(operation, "using", [])
        ]
        _require_known_graphs(using, "USING", policy)
        operations.append(operation.name)
    return CheckedUpdate(expanded, operations)


def expand_codepoint_escapes(text: str) -> str:
    """Replace ``\\uXXXX``/``\\UXXXXXXXX`` by the code points they denote, once."""

    def code_point(match: re.Match[str]) -> str:
        value = int(match.group(1) or match.group(2), 16)
        if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
            raise QuerySyntaxError(f"invalid code-point escape {match.group(0)!r}")
        return chr(value)

    return _CODEPOINT_ESCAPE.sub(code_point, text)


def _prepare(text: str, policy: SafetyPolicy) -> str:
    if len(text) > policy.max_text_chars:
        raise QueryRefused(
            f"the request text has {len(text):,} characters; at most "
            f"{policy.max_text_chars:,} are accepted"
        )
    expanded = expand_codepoint_escapes(text)
    lone = _LONE_CARRIAGE_RETURN.search(expanded)
    if lone:
        line = expanded.count("\n", 0, lone.start()) + 1
        raise QueryRefused(
            f"a carriage return not followed by a line feed (line {line}, character "
            f"{lone.start()}) is refused: SPARQL parsers disagree on whether it ends a "
            "comment; end lines with LF or CR LF, and write \\r inside strings"
        )
    leftover = _LEFTOVER_ESCAPE.search(expanded)
    if leftover:
        raise QueryRefused(
            f"escape sequences that produce further escapes ({leftover.group(0)!r} at "
            f"character {leftover.start()}) are refused: they would be read differently "
            "by different engines"
        )
    depth = nesting_depth(expanded)
    if depth > policy.max_nesting_depth:
        raise QueryRefused(
            f"brackets nest {depth} levels deep; at most {policy.max_nesting_depth} are accepted"
        )
    return expanded


def _check_tree(tree: CompValue, prologue, policy: SafetyPolicy) -> None:
    services, patterns = _tree_facts(tree, prologue)
    for endpoint in services:
        _check_service(endpoint, policy)
    if patterns > policy.max_triple_patterns:
        raise QueryRefused(
            f"{patterns} triple patterns; at most {policy.max_triple_patterns} are accepted"
        )


def _tree_facts(tree: CompValue, prologue) -> tuple[list[_Endpoint], int]:
    """SERVICE endpoints and the number of triple patterns."""
    services: list[_Endpoint] = []
    patterns = 0
    for node in _walk(tree):
        if node.name == "ServiceGraphPattern":
            term = node["term"]
            if isinstance(term, Variable):
                services.append(_Endpoint(str(term), is_variable=True))
            else:
                services.append(_Endpoint(str(prologue.absolutize(term))))
        elif node.name == "TriplesBlock":
            patterns += sum(len(group) // 3 for group in _field(node, "triples", []))
    return services, patterns


def _check_service(endpoint: _Endpoint, policy: SafetyPolicy) -> None:
    if endpoint.is_variable:
        raise QueryRefused(f"SERVICE ?{endpoint.name} refused: the endpoint must be a fixed IRI")
    if endpoint.name not in policy.service_allowlist:
        raise QueryRefused(
            f"SERVICE <{endpoint.name}> refused: federated queries may only call endpoints "
            "in the service allow-list (CASEGRAPH_SERVICE_ALLOWLIST)"
        )


def _require_known_graphs(iris: list[str], keyword: str, policy: SafetyPolicy) -> None:
    for iri in iris:
        if iri not in policy.known_graphs:
            raise QueryRefused(
                f"{keyword} <{iri}> refused: the store holds no such graph, and the service "
                "never fetches graphs from URLs (see GET /sparql for the graphs it holds)"
            )


def _walk(node) -> Iterator[CompValue]:
    """Every CompValue below ``node``, depth-first, without recursion."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, CompValue):
            yield current
            stack.extend(current.values())
        elif isinstance(current, ParseResults | list | tuple):
            stack.extend(current)
        elif isinstance(current, dict):
            stack.extend(current.values())


def _parse_on_deep_stack(parser, text: str):
    """Run rdflib's recursive-descent parser on a thread with a large stack.

    pyparsing recurses about twenty frames per triple pattern of a basic graph
    pattern, so a legitimate 200-pattern query overflows Python's default limit
    of 1,000 frames.  The parse runs on its own thread with a 256 MiB stack
    (reserved, not committed) and the interpreter's recursion limit raised to
    ``_PARSER_RECURSION_LIMIT``; whatever still recurses too far is refused.
    """
    if sys.getrecursionlimit() < _PARSER_RECURSION_LIMIT:
        sys.setrecursionlimit(_PARSER_RECURSION_LIMIT)
    _warm_up_parser()
    outcome: dict[str, object] = {}

    def parse() -> None:
        try:
            outcome["tree"] = parser(text)
        except ParseBaseException as error:
            outcome["error"] = syntax_error(error)
        except RecursionError:
            outcome["error"] = QueryRefused(
                "the request is too large or nests too deeply to be parsed"
            )
        except ValueError as error:  # rdflib: invalid IRIs, literals, escapes
            outcome["error"] = QuerySyntaxError(str(error))

    # rdflib's parser is not safe for concurrent use (pyparsing parse actions
    # share state: concurrent parses fail at random), so every rdflib parse holds
    # the one parser lock — taken here, in the calling thread, which is reentrant
    # for callers that already hold it.
    with RDFLIB_PARSER_LOCK:
        with _STACK_SIZE_LOCK:
            previous = threading.stack_size(_PARSER_STACK_BYTES)
            try:
                worker = threading.Thread(target=parse, name="sparql-parse", daemon=True)
                worker.start()
            finally:
                threading.stack_size(previous)
        worker.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["tree"]


@functools.cache
def _warm_up_parser() -> None:
    """Initialise rdflib's grammar once, under the storage layer's parser lock.

    rdflib builds parts of its grammar lazily and that first build is not
    thread-safe (rdflib #1282); later parses also hold the lock (see above).
    """
    with RDFLIB_PARSER_LOCK:
        parseQuery("ASK {}")
        parseUpdate("CLEAR SILENT GRAPH <urn:x-casegraph:warm-up>")


def _field(node: CompValue, key: str, default=None):
    """A parse-tree field or ``default``; ``CompValue.get`` returns the key itself when absent."""
    return dict.get(node, key, default)


__all__ = [
    "CheckedQuery",
    "LazyGraphNames",
    "CheckedUpdate",
    "SafetyPolicy",
    "check_query",
    "check_update",
    "expand_codepoint_escapes",
]
