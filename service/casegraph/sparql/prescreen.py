"""A cheap proof that a query needs none of the parse-tree checks of ``sparql_safety``.

rdflib's pyparsing grammar costs 20–55 ms per curated question, more than most
questions take to answer.  Most queries name no graph and call no endpoint, and
for those the full analysis can only accept.  This pre-screen proves that much
without rdflib, and answers ``None`` (run the full analysis) whenever it cannot:

* no ``service`` and no ``from`` anywhere in the text — not as a keyword, nor
  inside a string, an IRI, a variable name or a comment (whole-line comments
  aside), after case folding.  Looking everywhere sidesteps the question of
  where strings, IRIs and comments begin (``<`` is both an IRI opener and an
  operator), so no lexing ambiguity can hide a keyword;
* a prologue of ``PREFIX``/``BASE`` declarations followed by ``SELECT``,
  ``CONSTRUCT`` or ``DESCRIBE`` (``ASK`` is answered while parsing, so it is left
  to the full analysis);
* an upper bound on the triple patterns within the limit: every pattern is
  produced by a term of the text, a collection element producing two, so twice
  the number of term-like runs and ``(``/``[`` openers bounds them;
* Oxigraph, the engine that will run the query, parses it: building the lazy
  solution iterator of a SELECT, CONSTRUCT or DESCRIBE evaluates nothing.

Refusals are never decided here: any doubt falls back to the parser.
"""

from __future__ import annotations

import re
import threading

import pyoxigraph as ox

# Words whose presence anywhere sends a query to the full analysis.  ``from`` covers
# FROM and FROM NAMED; updates (LOAD, USING, WITH) are never pre-screened.
_RISKY_WORDS = ("service", "from")
# A line that is only a comment is a comment or the inside of a long string: never a token.
_COMMENT_LINE = re.compile(r"^[ \t]*#[^\n\r]*$", re.MULTILINE)
_GAP = r"(?:\s|#[^\n\r]*(?:\n|\r|$))*"
_IRIREF = r'<[^<>"{}|^`\\\x00-\x20]*>'
_PNAME_NS = r"[^\s:<>#]*:"
_PROLOGUE_AND_FORM = re.compile(
    rf"{_GAP}(?:(?:PREFIX{_GAP}{_PNAME_NS}{_GAP}{_IRIREF}|BASE{_GAP}{_IRIREF}){_GAP})*"
    r"(SELECT|CONSTRUCT|DESCRIBE)(?![A-Za-z0-9_])",
    re.IGNORECASE,
)
# Runs of characters that may form a term, and the openers of blank nodes and collections.
_TERM_RUN = re.compile(r"[^\s{}()\[\],;.]+")
_OPENERS = re.compile(r"[(\[]")

_ENGINE_LOCK = threading.Lock()
_engine: ox.Store | None = None


def prescreen_query(text: str, max_triple_patterns: int) -> tuple[str, int] | None:
    """``(form, pattern bound)`` when the query provably needs no parse-tree check, else None.

    ``text`` has already been through ``sparql_safety``'s escape expansion and its
    length and nesting limits.
    """
    folded = _COMMENT_LINE.sub("", text).casefold()
    if any(word in folded for word in _RISKY_WORDS):
        return None
    head = _PROLOGUE_AND_FORM.match(text)
    if head is None:
        return None
    body = text[head.end() :]
    bound = 2 * (len(_TERM_RUN.findall(body)) + len(_OPENERS.findall(body)))
    if bound > max_triple_patterns:
        return None
    try:
        _parsing_engine().query(text)  # parses; SELECT/CONSTRUCT/DESCRIBE evaluate lazily
    except (SyntaxError, ValueError, OSError, RuntimeError):
        return None  # the full analysis reports the error with its line and column
    return head.group(1).upper(), bound


def _parsing_engine() -> ox.Store:
    """An empty in-memory store, used only to parse (shared; queries never iterate it)."""
    global _engine
    with _ENGINE_LOCK:
        if _engine is None:
            _engine = ox.Store()
        return _engine
