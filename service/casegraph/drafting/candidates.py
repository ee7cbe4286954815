"""What the extractor proposes, and the script folding every rule reads through.

The rules are written once, in simplified script; traditional-script texts are
folded character by character so that offsets found in the folded text are
offsets in the original (a quote must be the exact original substring).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

import opencc

CJK = r"\u3400-\u9fff"


@dataclass
class Passage:
    """A span of the repaired text: what a candidate cites.

    ``text`` is the span as written (what a quote must be); ``folded`` is the
    same span in simplified script, which the patterns read.
    """

    start: int
    end: int
    text: str
    folded: str


@dataclass
class Candidate:
    """One proposed fact: its kind, label, ontology class, details and the passage stating it."""

    kind: str  # organisation | brand | award | figure | practice | person | place | project
    label: str
    passage: Passage
    cg_class: str = ""
    details: dict[str, str] = field(default_factory=dict)


@cache
def _converter(config: str = "t2s") -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Traditional → simplified, so one set of patterns reads both scripts."""
    return _converter().convert(text)


def to_traditional(text: str) -> str:
    """Simplified → traditional (OpenCC's phrase-aware s2t): the zh-Hant label of a name."""
    return _converter("s2t").convert(text)


def fold_aligned(text: str) -> str:
    """Fold without moving offsets.

    OpenCC's phrase conversions may change the length; then the text is
    converted character by character, so position i of the result is
    position i of ``text``.
    """
    folded = to_simplified(text)
    if len(folded) == len(text):
        return folded
    return "".join(c if len(f := to_simplified(c)) != 1 else f for c in text)


def fold(text: str) -> str:
    """Folding used to compare labels: simplified script, no quotes, brackets' width or spaces."""
    text = to_simplified(text).replace("（", "(").replace("）", ")")
    return re.sub(r"[\s“”\"'‘’「」『』《》]", "", text)
