"""The one lock every rdflib SPARQL parse holds, and how its syntax errors are reported.

rdflib's SPARQL grammar (pyparsing) is initialised lazily and breaks when several
threads parse for the first time at once (rdflib #1282), so the safety checks, the
update-scope analysis, the protocol-dataset rewrite and the memory backend all parse
under this lock.
"""

from __future__ import annotations

import threading

from pyparsing import ParseBaseException

from casegraph.errors import QuerySyntaxError

RDFLIB_PARSER_LOCK = threading.RLock()


def syntax_error(error: ParseBaseException, what: str = "SPARQL") -> QuerySyntaxError:
    """rdflib's parse error as the client sees it: what, where (line, column), why."""
    return QuerySyntaxError(
        f"{what} syntax error at line {error.lineno}, column {error.col}: {error.msg}",
        line=error.lineno,
        column=error.col,
    )
