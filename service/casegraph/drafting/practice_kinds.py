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
from casegraph.drafting.linking import LinkIndex, practice_kind_labels

_CLAUSE = re.compile(r"[^，,。；;！？!?\n]+")
_QUOTES = re.compile(r"[“”\"‘’「」]")


def kind_names(index: LinkIndex) -> list[tuple[str, str]]:
    """(folded name, kind IRI) for every practice-kind name, longest first."""
    names = {(part, entity.iri) for entity, label in practice_kind_labels(index)
             if len(part := _QUOTES.sub("", label).strip()) >= 3}
    return sorted(names, key=lambda pair: (-len(pair[0]), pair))


def practices_by_kind(
    text: str, index: LinkIndex, start: int = 0
) -> Iterator[tuple[Candidate, str]]:
    """Clauses naming a practice kind, each with the kind's IRI (one per clause and kind)."""
    names = kind_names(index)
    folded = fold_aligned(text)
    for match in _CLAUSE.finditer(folded, start):
        clause = match.group().strip()
        if len(clause) < 4:
            continue
        bare = _QUOTES.sub("", clause)
        seen: set[str] = set()
        for name, kind in names:
            if name in bare and kind not in seen:
                seen.add(kind)
                begin = match.start() + match.group().index(clause)
                end = begin + len(clause)
                passage = Passage(begin, end, text[begin:end], folded[begin:end])
                yield (
                    Candidate("practice", text[begin:end], passage, "Practice", {"source": "kind"}),
                    kind,
                )
