"""Practices found by the names of their kinds.

Case notes often state a practice inside a sentence rather than as a numbered
item: 组建…党员突击队, 党员骨干签“军令状”, 党员亮身份、亮职责.  The practice-kind
scheme names each kind (prefLabel parts split at ``/``, and altLabels); a clause
that contains one of those names of three or more characters is proposed as a
practice of that kind.  New wordings belong in the scheme as altLabels
(ontology/practice-kinds.ttl), not in this code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from casegraph.drafting.candidates import Candidate, Passage, fold_aligned
from casegraph.drafting.linking import LinkIndex, kind_readings, label_rank, practice_kind_labels
from casegraph.drafting.sections import body_spans, in_spans, split_sections

_CLAUSE = re.compile(r"[^，,。；;！？!?\n]+")
#: Clauses that name a kind without stating a practice: reported speech (某某表示…),
#: an occasion (以主题党日为契机, the practice follows it) and honours (获得化纤厂社区“双报到”表彰单位称号 is the award, not the work).
_NOT_A_PRACTICE = re.compile(
    r"表示|谈到|说道|坦言|以.{2,20}为契机$|(?:荣获|获得|获评|被评为|评为|授予|获)[^，,。；;]*(?:称号|荣誉|奖|单位)"
)


def kind_names(index: LinkIndex) -> list[tuple[str, str, bool]]:
    """(folded name, kind IRI, preferred) for every practice-kind name of three or
    more characters, longest first."""
    return [
        (part, entity.iri, preferred)
        for entity, part, preferred in practice_kind_labels(index)
        if len(part) >= 3
    ]


def practices_by_kind(text: str, index: LinkIndex) -> Iterator[tuple[Candidate, str]]:
    """Clauses of the body naming a practice kind, each with the kind it names best.

    A clause naming several kinds (党员先锋岗、党员责任区、党员突击队) is one
    practice: the kind chosen is the one whose wording ranks highest
    (:func:`casegraph.drafting.linking.label_rank`).
    """
    names = kind_names(index)
    folded = fold_aligned(text)
    sections = split_sections(text)
    body = body_spans(text, sections)
    # A heading names a part of the text (its numbered practice, or an effect):
    # the practices are stated under it.
    headings = [(s.start, s.start + len(s.heading)) for s in sections]
    for match in _CLAUSE.finditer(folded):
        clause = match.group().strip()
        if len(clause) < 4 or _NOT_A_PRACTICE.search(clause):
            continue
        begin = match.start() + match.group().index(clause)
        if not in_spans(body, begin) or in_spans(headings, begin):
            continue
        readings = kind_readings(clause, folded=True)
        best: tuple[tuple[bool, int, bool, int], str] | None = None
        for name, kind, preferred in names:
            rank = label_rank(name, preferred, readings)
            if rank is not None and (best is None or rank > best[0]):
                best = (rank, kind)
        if best is not None:
            end = begin + len(clause)
            passage = Passage(begin, end, text[begin:end], folded[begin:end])
            yield (
                Candidate("practice", text[begin:end], passage, "Practice", {"source": "kind"}),
                best[1],
            )
