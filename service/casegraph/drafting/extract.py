"""Rule-based candidate extraction from a raw case text.

A curator starts a case from a draft: the sections, the numbered practices and
every organisation, brand, award and figure the patterns can see, each with the
sentence that states it.  The rules favour recall — the curator drops wrong
candidates faster than they find missing ones — and run offline (no model, no
network).  ``casegraph draft-eval`` measures both recall and precision against
the curated cases, so a change to a rule shows its effect in numbers.

The rules live by kind in ``organisations``, ``awards`` (and brands),
``figures`` and ``sections`` (and practices); this module splits the text into
sentence passages and collects their candidates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from casegraph.drafting.awards import award_issuers, awards, brands
from casegraph.drafting.candidates import Candidate, Passage, fold, fold_aligned
from casegraph.drafting.figures import figures
from casegraph.drafting.organisations import organisations
from casegraph.drafting.people import people
from casegraph.drafting.projects import Gazetteer, places, projects
from casegraph.drafting.sections import Section, practices, split_sections

__all__ = ["Candidate", "Passage", "Section", "extract", "fold", "sentences", "split_sections"]

KINDS = ("organisation", "brand", "award", "figure", "practice", "person", "place", "project")

_SENTENCE = re.compile(r"[^。！？!?\n;；]+[。！？!?;；]?")


def sentences(text: str) -> Iterator[Passage]:
    """The sentences of ``text`` as passages (stripped of surrounding blanks)."""
    folded = fold_aligned(text)
    for match in _SENTENCE.finditer(folded):
        stripped = match.group().strip()
        if len(stripped) >= 2:
            start = match.start() + match.group().index(stripped)
            end = start + len(stripped)
            yield Passage(start, end, text[start:end], stripped)


def extract(text: str, known_places: Iterable[str] = ()) -> list[Candidate]:
    """All candidates of a (repaired) case text, kind by kind in text order.

    ``known_places`` are the names of places the graph already holds, found in
    the text by name.  A label proposed twice (after folding) is kept once, with
    its first passage.
    """
    passages = list(sentences(text))
    gazetteer = Gazetteer(known_places)
    found: list[Candidate] = []
    for passage in passages:
        names = list(organisations(passage))
        passage_awards = list(awards(passage))
        names.extend(award_issuers(passage_awards))
        found.extend(names)
        found.extend(brands(passage))
        found.extend(passage_awards)
        found.extend(figures(passage))
        found.extend(people(passage))
        found.extend(places(passage, gazetteer, _spans(passage.folded, names)))
        found.extend(projects(passage))
    found.extend(practices(text, split_sections(text), passages))
    unique: dict[tuple[str, str], Candidate] = {}
    for candidate in found:
        key = candidate.label if candidate.kind == "figure" else fold(candidate.label)
        unique.setdefault((candidate.kind, key), candidate)
    order = {kind: index for index, kind in enumerate(KINDS)}
    return sorted(unique.values(), key=lambda c: (order[c.kind], c.passage.start))


def _spans(text: str, names: list[Candidate]) -> list[tuple[int, int]]:
    """Where the names occur in ``text`` (every occurrence)."""
    return [
        (match.start(), match.end())
        for name in {candidate.label for candidate in names}
        for match in re.finditer(re.escape(name), text)
    ]
