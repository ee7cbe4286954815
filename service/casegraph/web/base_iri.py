"""The base IRI of queries and updates sent to ``/sparql``.

SPARQL resolves relative IRIs against a base; a request without ``BASE`` gets
one from the service (SPARQL 1.1 Query §4.1.1, "which MAY be the service
endpoint").  casegraph uses the dataset's base IRI (``settings.base_iri``,
``https://w3id.org/casegraph/id/`` unless configured), the same base the data
files are written against: ``<org/jinan-water-group>`` in a query names the
entity ``id:org/jinan-water-group``, and a query means the same whichever host
name it was sent to.  A ``BASE`` in the request still wins (and a relative one
resolves against ours).

The base is given as a ``BASE`` declaration on a line of its own before the
text, so every backend (embedded, rdflib, remote) and the safety analysis see
the same base.  Errors are reported at the positions of the client's text.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

from casegraph.errors import QuerySyntaxError

_LINE_MENTION = re.compile(r"(\bline\s+|\bat\s+)(\d+)(?=[,:\s)])")


def with_base(text: str, base_iri: str) -> str:
    """``text`` preceded by ``BASE <base_iri>`` on its own line (a valid prologue item)."""
    return f"BASE <{base_iri}>\n{text}"


@contextlib.contextmanager
def client_positions() -> Iterator[None]:
    """Report syntax errors at the client's line numbers, not those of :func:`with_base`."""
    try:
        yield
    except QuerySyntaxError as error:
        if error.line is None or error.line < 2:
            raise
        message = _LINE_MENTION.sub(lambda m: f"{m[1]}{int(m[2]) - 1}", str(error))
        raise QuerySyntaxError(message, line=error.line - 1, column=error.column) from None
