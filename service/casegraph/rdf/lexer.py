"""The lexical tokens SPARQL, Turtle and TriG share, and what is counted with them.

Strings (short and long, both quotes), IRIs and comments are *opaque*: brackets, braces
and keywords inside them do not count.  Every lexer-level check casegraph makes — bracket
nesting before any parser runs, the outermost group pattern a VALUES block goes into, the
top-level WHERE clauses of an update — uses this one definition, so they cannot disagree
about where a string or a comment ends (a comment ends at ``\\n`` or ``\\r``, as in the
grammars).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

#: The opaque tokens, as a regular expression (without flags; compile with ``re.DOTALL``).
OPAQUE_PATTERN = (
    # A local-name escape (PN_LOCAL_ESC: ex:a\#b, ex:a\(b) is a character of a prefixed
    # name, never a comment or a bracket.
    r"\\[_~.\-!$&'()*+,;=/?#@%]"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n\r]*"
)
_OPAQUE = re.compile(OPAQUE_PATTERN, re.DOTALL)

#: The deepest bracket nesting accepted in queries, updates and Turtle/TriG uploads:
#: parsers recurse per level, and no curated or real query comes near it.
MAX_NESTING_DEPTH = 64

_OPENERS = "{(["
_CLOSERS = "})]"


def code_segments(text: str) -> Iterator[tuple[int, str]]:
    """``(offset, segment)`` for each stretch of ``text`` outside opaque tokens."""
    position = 0
    for match in _OPAQUE.finditer(text):
        if match.start() > position:
            yield position, text[position : match.start()]
        position = match.end()
    if position < len(text):
        yield position, text[position:]


def code_characters(text: str) -> Iterator[tuple[int, str]]:
    """``(index, character)`` of every character outside opaque tokens."""
    for offset, segment in code_segments(text):
        for i, char in enumerate(segment):
            yield offset + i, char


def nesting_depth(text: str) -> int:
    """Deepest bracket nesting outside opaque tokens.

    Linear and non-recursive, so it can run before any parser sees the text.
    """
    depth = deepest = 0
    for _, char in code_characters(text):
        if char in _OPENERS:
            depth += 1
            deepest = max(deepest, depth)
        elif char in _CLOSERS:
            depth = max(depth - 1, 0)
    return deepest
