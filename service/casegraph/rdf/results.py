"""The answer to a SPARQL query, as every backend hands it to the layers above.

One shape for all engines (rdflib terms), so that serialisers, pages and the validator
never depend on which engine answered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from rdflib.term import Identifier

QueryKind = Literal["bindings", "boolean", "graph"]
Row = TypeVar("Row")


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


def first_rows(rows: Iterable[Row], max_rows: int | None) -> tuple[list[Row], bool]:
    """At most ``max_rows`` of ``rows`` (all when ``None``), and whether some were left.

    Reads one row past the limit, never the rest: the engines stream solutions, so a
    capped answer costs what it returns.
    """
    kept: list[Row] = []
    for row in rows:
        if max_rows is not None and len(kept) >= max_rows:
            return kept, True
        kept.append(row)
    return kept, False
