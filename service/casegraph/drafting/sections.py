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


#: An editor's block, 【说明】… or 【可抽取实体】…: a heading of its own, whose text
#: runs on after it.  What it says is about the note, not a practice of the unit.
EDITORIAL = r"【[^】\n]{1,20}】"


@dataclass
class Section:
    """A heading and the span it governs; ``level`` 1 for 一、…, 2 for （一）…."""

    heading: str
    kind: str
    start: int
    end: int
    level: int = 1


_TOP_HEADING = re.compile(
    rf"^[ \t\u3000]*(案例简介[:：]?|[{NUMERALS}]+、[^\n]{{1,40}})[ \t]*$|^[ \t\u3000]*({EDITORIAL})",
    re.M,
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
        group = 1 if mark.group(1) else 2
        heading = text[mark.start(group) : mark.end(group)].rstrip(":：")
        if group == 2:
            sections.append(Section(heading, "other", mark.start(group), end))
            continue
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


def body_spans(text: str, sections: list[Section]) -> list[tuple[int, int]]:
    """Where a practice may be stated: from the first heading on, without editors' blocks.

    What precedes the first heading is the note's header (source, title and
    editor lines); a text without headings is all body.
    """
    tops = [s for s in sections if s.level == 1]
    start = tops[0].start if tops else 0
    spans: list[tuple[int, int]] = []
    for section in tops:
        if re.match(EDITORIAL, section.heading):
            if section.start > start:
                spans.append((start, section.start))
            start = section.end
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def in_spans(spans: list[tuple[int, int]], start: int) -> bool:
    return any(begin <= start < end for begin, end in spans)


_ENUMERATED = re.compile(rf"([{NUMERALS}])是([^。；;]{{4,60}})")
_LISTED = re.compile(r"^[ \t\u3000]*\d{1,2}[.、．][ \t]*([^\n:：。]{2,40})", re.M)


def practices(text: str, sections: list[Section], passages: list[Passage]) -> Iterator[Candidate]:
    """Practice candidates: (一) headings of the practices part, 一是… and 1. … items.

    Each cites the passage (sentence) it starts in; a heading cites the first
    sentence under it, which states what the heading names (the heading alone
    when none follows).  Nothing in the header or an editor's block is a practice.
    """
    folded = fold_aligned(text)
    body = body_spans(text, sections)
    for section in sections:
        if section.level == 2 and section.kind == "practices":
            label = re.sub(rf"^[(（][{NUMERALS}]+[)）]", "", section.heading).strip()
            end = section.start + len(section.heading)
            heading = next(
                (p for p in passages if end <= p.start < section.end),
                Passage(section.start, end, text[section.start : end], folded[section.start : end]),
            )
            yield Candidate("practice", label, heading, "Practice", {"source": "heading"})
    for passage in passages:
        if not in_spans(body, passage.start):
            continue
        for match in _ENUMERATED.finditer(passage.folded):
            label = match.group(2).strip("，,：: ")
            yield Candidate("practice", label, passage, "Practice", {"source": "enumeration"})
    for match in _LISTED.finditer(folded):
        if not in_spans(body, match.start()):
            continue
        passage = next((p for p in passages if p.start <= match.start(1) < p.end), None)
        if passage is not None:
            label = match.group(1).strip()
            yield Candidate("practice", label, passage, "Practice", {"source": "list"})
