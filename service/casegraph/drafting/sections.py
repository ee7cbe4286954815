"""The outline of a case text: its sections and its numbered practices.

Case texts follow one loose outline: 案例简介, then top-level parts headed
一、… (背景, 主要做法, 案例效果), each split into （一）… parts.  Inside the
practices part, the (一) headings, the 一是…/二是… enumerations and 1. … lists
are the practices a curator types as ``cg:Practice``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from casegraph.drafting.candidates import Candidate, Passage, fold_aligned

NUMERALS = "一二三四五六七八九十"

#: Heading words → section-kind concept, checked in this order.
SECTION_KINDS = (
    ("案例简介", "introduction"),
    ("概况", "introduction"),
    ("概述", "introduction"),
    ("简介", "introduction"),
    ("背景", "background"),
    ("意义", "background"),
    ("做法", "practices"),
    ("举措", "practices"),
    ("措施", "practices"),
    ("效果", "effects"),
    ("成效", "effects"),
    ("成果", "effects"),
)


@dataclass
class Section:
    """A heading and the span it governs; ``level`` 1 for 一、…, 2 for （一）…."""

    heading: str
    kind: str
    start: int
    end: int
    level: int = 1


_TOP_HEADING = re.compile(
    rf"^[ \t\u3000]*(案例简介[:：]?|[{NUMERALS}]+、[^\n]{{1,40}})[ \t]*$", re.M
)
#: (一) headings: the heading ends at the line end or at the first colon/full stop
#: (condensed notes run the text on after "(一)标题:").
_SUB_HEADING = re.compile(rf"^[ \t\u3000]*([(（][{NUMERALS}]+[)）][^\n:：。]{{1,40}})", re.M)


def split_sections(text: str) -> list[Section]:
    """Top-level sections and their (一) subsections, in text order.

    Text before the first heading (editor lines, metadata) is in no section.
    A subsection's kind is its parent's: (一) under 主要做法 is a practice part.
    """
    folded = fold_aligned(text)
    tops = [m for m in _TOP_HEADING.finditer(folded)]
    sections: list[Section] = []
    for index, mark in enumerate(tops):
        end = tops[index + 1].start() if index + 1 < len(tops) else len(text)
        heading = text[mark.start(1) : mark.end(1)].rstrip(":：")
        kind = next((k for word, k in SECTION_KINDS if word in mark.group(1)), "other")
        sections.append(Section(heading, kind, mark.start(1), end))
        subs = list(_SUB_HEADING.finditer(folded, mark.end(), end))
        for number, sub in enumerate(subs):
            sub_end = subs[number + 1].start() if number + 1 < len(subs) else end
            sub_heading = text[sub.start(1) : sub.end(1)].strip()
            sections.append(Section(sub_heading, kind, sub.start(1), sub_end, level=2))
    return sections


def section_at(sections: list[Section], offset: int) -> Section | None:
    """The innermost section containing ``offset``."""
    containing = [s for s in sections if s.start <= offset < s.end]
    return max(containing, key=lambda s: s.level, default=None)


_ENUMERATED = re.compile(rf"([{NUMERALS}])是([^。；;]{{4,60}})")
_LISTED = re.compile(r"^[ \t\u3000]*\d{1,2}[.、．][ \t]*([^\n:：。]{2,40})", re.M)


def practices(text: str, sections: list[Section], passages: list[Passage]) -> Iterator[Candidate]:
    """Practice candidates: (一) headings of the practices part, 一是… and 1. … items.

    Each cites the passage (sentence) it starts in; a heading cites itself.
    """
    folded = fold_aligned(text)
    for section in sections:
        if section.level == 2 and section.kind == "practices":
            label = re.sub(rf"^[(（][{NUMERALS}]+[)）]", "", section.heading).strip()
            end = section.start + len(section.heading)
            heading = Passage(
                section.start, end, text[section.start : end], folded[section.start : end]
            )
            yield Candidate("practice", label, heading, "Practice", {"source": "heading"})
    for passage in passages:
        for match in _ENUMERATED.finditer(passage.folded):
            label = match.group(2).strip("，,：: ")
            yield Candidate("practice", label, passage, "Practice", {"source": "enumeration"})
    for match in _LISTED.finditer(folded):
        passage = next((p for p in passages if p.start <= match.start(1) < p.end), None)
        if passage is not None:
            label = match.group(1).strip()
            yield Candidate("practice", label, passage, "Practice", {"source": "list"})
