"""SPARQL text casegraph writes itself: fixed queries, rebased IRIs, bound VALUES.

Request values reach a query only as RDF terms serialised here (``n3()`` plus the escapes
rdflib leaves out), in a ``VALUES`` block injected at the start of the outermost group
pattern; variable names and IRIs are checked first.  Text of a request is never pasted
into SPARQL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache

from rdflib import URIRef
from rdflib.term import Identifier

from casegraph.config import CANONICAL_BASE_IRI
from casegraph.paths import QUERIES_DIR
from casegraph.rdf.lexer import code_characters
from casegraph.rdf.terms import is_sparql_iri, ntriples_term

#: A variable name both engines accept (SPARQL's VARNAME, ASCII only).
VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def expand_curie(raw: str, base_iri: str = CANONICAL_BASE_IRI) -> str:
    """Accept ``id:org/x`` as shorthand for an IRI under the base (forms use it)."""
    if raw.startswith("id:"):
        return base_iri + raw[3:]
    return raw


def rebase(sparql: str, base_iri: str) -> str:
    """Point the query's ``id:`` namespace at the deployment's base IRI."""
    if base_iri == CANONICAL_BASE_IRI:
        return sparql
    return sparql.replace(f"<{CANONICAL_BASE_IRI}", f"<{base_iri}")


def bind_values(
    sparql: str, rows: Sequence[Mapping[str, Identifier]], *, trailing: bool = False
) -> str:
    """Inject ``VALUES (?a ?b) { (t1 t2) … }`` right after the outermost ``{``, or with
    ``trailing`` after the whole query (SELECT only: the query's final ValuesClause).

    Terms are written in N-Triples syntax (``rdf.terms.ntriples_term``), escaped;
    variable names are checked.  Rows may leave variables out (``UNDEF``).

    Where the block goes changes the plan, not the answer: Oxigraph evaluates a group
    that *starts* with VALUES as a join into every pattern after it, and the search
    index's text query over one case's 32 subjects at 1k cases took 302 ms that way,
    3 ms with the same VALUES trailing.  The curated questions keep the block inside,
    where their parameters constrain OPTIONAL and sub-patterns.
    """
    if not rows:
        return sparql
    variables: list[str] = []
    for row in rows:
        for name in row:
            if not VARIABLE_NAME.match(name):
                raise ValueError(f"not a SPARQL variable name: {name!r}")
            if name not in variables:
                variables.append(name)
    lines = []
    for row in rows:
        cells = []
        for v in variables:
            term = row.get(v)
            if isinstance(term, URIRef) and not is_sparql_iri(str(term)):
                raise ValueError(f"not an IRI SPARQL can carry: {str(term)!r}")
            cells.append("UNDEF" if term is None else ntriples_term(term))
        lines.append("(" + " ".join(cells) + ")")
    block = (
        "\n  VALUES (" + " ".join("?" + v for v in variables) + ") {\n    "
        + "\n    ".join(lines) + "\n  }\n"
    )
    if trailing:
        return sparql.rstrip() + "\n" + block.strip() + "\n"
    at = _outermost_brace(sparql)
    return sparql[: at + 1] + block + sparql[at + 1 :]


def _outermost_brace(sparql: str) -> int:
    """Index of the ``{`` opening the WHERE pattern (skipping a CONSTRUCT template).

    Braces inside comments, IRIs and strings do not count.
    """
    depth, in_template = 0, False
    for i, c in code_characters(sparql):
        if c == "{":
            if depth == 0 and not in_template:
                if re.search(r"CONSTRUCT\s*\Z", sparql[:i], re.IGNORECASE):
                    in_template = True
                else:
                    return i
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                in_template = False
    raise ValueError("the query has no group pattern ({ … })")


@cache
def fixed_query(name: str) -> str:
    """A fixed query used by pages, exports, search and tools (``queries/<name>.rq``)."""
    return (QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8")
