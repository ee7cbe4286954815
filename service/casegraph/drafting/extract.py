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
from casegraph.drafting.organisations import is_name, organisations
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


def extract(
    text: str, known_places: Iterable[str] = (), known_organisations: Iterable[str] = ()
) -> list[Candidate]:
    """All candidates of a (repaired) case text, kind by kind in text order.

    ``known_places`` and ``known_organisations`` are the names of places and
    organisations the graph already holds, found in the text by name (华润电力控股,
    爱济南: names no suffix rule finds).  A label proposed twice (after folding)
    is kept once, with its first passage.
    """
    passages = list(sentences(text))
    gazetteer = Gazetteer(known_places)
    known = _names_pattern(name for name in known_organisations if _findable(name))
    found: list[Candidate] = []
    for passage in passages:
        names = list(organisations(passage))
        passage_awards = list(awards(passage))
        names.extend(award_issuers(passage_awards))
        names.extend(_known(passage, known, _spans(passage.folded, names)))
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


#: A known name ending like a place (青州市) is the place's: the gazetteer finds it.
_PLACE_ENDING = re.compile(r"[省市区县镇乡]$")


def _findable(name: str) -> bool:
    """Whether a known name is specific enough to be found by itself in any text."""
    return len(name) >= 3 and is_name(name) and not _PLACE_ENDING.search(name)


def _names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    alternatives = sorted(set(names), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, alternatives))) if alternatives else None


def _known(
    passage: Passage, pattern: re.Pattern[str] | None, taken: list[tuple[int, int]]
) -> Iterator[Candidate]:
    """Known organisations named in the passage, except inside a name already found."""
    if pattern is None:
        return
    for match in pattern.finditer(passage.folded):
        if not any(start <= match.start() < end for start, end in taken):
            yield Candidate("organisation", match.group(), passage, "Company")


def _spans(text: str, names: list[Candidate]) -> list[tuple[int, int]]:
    """Where the names occur in ``text`` (every occurrence)."""
    return [
        (match.start(), match.end())
        for name in {candidate.label for candidate in names}
        for match in re.finditer(re.escape(name), text)
    ]
