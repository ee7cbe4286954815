"""``using-graph-uri`` / ``using-named-graph-uri``: the Protocol's dataset for an update.

SPARQL 1.1 Protocol §2.2.3: these parameters give the dataset against which the
WHERE clause of each update operation is matched, exactly as ``USING`` and
``USING NAMED`` would; an update that itself has ``USING``, ``USING NAMED`` or
``WITH`` together with them is a 400.

Every backend must see the same update, so the parameters are written into the
update text as ``USING`` clauses before each operation's top-level ``WHERE``
(``DELETE WHERE { Q }`` becomes its long form ``DELETE { Q } USING … WHERE { Q }``).
A graph the store does not hold is an empty graph, as for ``default-graph-uri``.
"""

from __future__ import annotations

import re

from rdflib.plugins.sparql.parser import parseUpdate

from casegraph.errors import QueryRefused
from casegraph.rdf.lexer import OPAQUE_PATTERN
from casegraph.rdf.terms import is_sparql_iri
from casegraph.sparql.parsing import RDFLIB_PARSER_LOCK

#: Tokens inside which braces and keywords do not count, then braces and WHERE.
_TOKENS = re.compile(
    rf"(?P<opaque>{OPAQUE_PATTERN})"
    r"|(?P<brace>[{}])"
    r"|(?P<where>(?<![\w:?$])WHERE(?![\w:-]))",
    re.DOTALL | re.IGNORECASE,
)
_WITH_WHERE = {"Modify", "DeleteWhere"}


def with_protocol_dataset(
    update: str, using_graphs: list[str], using_named_graphs: list[str]
) -> str:
    """``update`` with the Protocol's dataset written into each operation's WHERE.

    Raises ``QueryRefused`` (400) for an invalid graph IRI, and when an operation
    already has ``USING``, ``USING NAMED`` or ``WITH``.
    """
    if not using_graphs and not using_named_graphs:
        return update
    for iri in using_graphs + using_named_graphs:
        if not is_sparql_iri(iri):
            raise QueryRefused(f"using-graph-uri / using-named-graph-uri {iri!r} is not an "
                               "absolute IRI")
    operations = _operations_with_where(update)
    positions = _top_level_wheres(update)
    if len(positions) != len(operations):  # pragma: no cover - the lexer follows the grammar
        raise QueryRefused("the update's WHERE clauses could not be located to apply "
                           "using-graph-uri; name the graphs with USING in the update instead")
    clause = " ".join([f"USING <{g}>" for g in using_graphs]
                      + [f"USING NAMED <{g}>" for g in using_named_graphs]) + " "
    pieces, done = [], 0
    for name, (where, pattern_end) in zip(operations, positions, strict=True):
        if name == "DeleteWhere":
            pattern = update[where + len("WHERE"):pattern_end].strip()
            pieces += [update[done:where], f"{pattern} {clause}WHERE {pattern}"]
            done = pattern_end
        else:
            pieces += [update[done:where], clause]
            done = where
    return "".join(pieces) + update[done:]


def _operations_with_where(update: str) -> list[str]:
    """Names of the operations that have a WHERE clause, in order; refuse conflicts."""
    with RDFLIB_PARSER_LOCK:
        parsed = parseUpdate(update)
    names = []
    for operation in dict.get(parsed, "request", []):
        if operation.name == "Modify" and (
            dict.get(operation, "using") or dict.get(operation, "withClause") is not None
        ):
            raise QueryRefused(
                "the update has USING, USING NAMED or WITH and the request has "
                "using-graph-uri / using-named-graph-uri: give the dataset one way only"
            )
        if operation.name in _WITH_WHERE:
            names.append(operation.name)
    return names


def _top_level_wheres(update: str) -> list[tuple[int, int]]:
    """For each WHERE outside braces: its offset and the end of the pattern after it."""
    found: list[tuple[int, int]] = []
    depth = 0
    pending: int | None = None
    for token in _TOKENS.finditer(update):
        if token["brace"] == "{":
            depth += 1
        elif token["brace"] == "}":
            depth -= 1
            if depth == 0 and pending is not None:
                found.append((pending, token.end()))
                pending = None
        elif token["where"] and depth == 0:
            pending = token.start()
    return found
