"""Restore numbered section headings whose misaligned run lost too many bytes to read.

A heading line starts with an indent and a numbered label, ``　（二）黨建品牌…``.  When
its GBK bytes are read one byte out of step, the indent's lead byte falls off and
misread pairs that GBK does not map are dropped, so only a few garbled characters
survive, e.g. ``?。ǘh建品牌`` (``。`` and ``ǘ`` are misread pairs, ``h`` is the trail
byte of the first word's last character that put the reader back in step).

Two independent facts restore such a heading:

* the label's number follows from the heading sequence: the headings under one top
  section are numbered (一)(二)(三)… in order, so a damaged label between known
  neighbours, or at the start of a run, is determined;
* the lost word(s) after the label are searched among words of the document itself
  (its n-grams) and of jieba's dictionary.  A candidate is kept only if its GBK bytes,
  misread one byte out of step with unmappable pairs dropped, reproduce *exactly* the
  surviving garbled characters and the closing byte.  The search walks the byte
  constraints word by word, so a word is rejected at its first inconsistent character.

Candidates are ranked by how few dropped pairs they need (each is an extra
coincidence), then by how few words they are made of, then by how many of those words
the document itself uses.  A unique best candidate is accepted; a tie stays flagged.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from casegraph.repair.gbk import decode_pair, dictionary_words, gbk_pair, lost_leads

NUMERALS = "一二三四五六七八九十"
_TOP_HEADING = re.compile(rf"[{NUMERALS}]+、")
_SUB_HEADING = re.compile(rf"[\u3000 ]*[(（]([{NUMERALS}]+)[)）]")
_MAX_INDENT = 2
_MAX_LOST_PAIRS = 4  # dropped pairs a restored heading may need, label included
_MAX_WORDS = 3  # words the lost span may be made of
_MAX_STEPS = 2_000_000  # characters tried in one search; beyond it the heading stays flagged
_NGRAM_LENGTHS = range(2, 7)
_CJK_SPAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]{2,}")


def numeral(number: int) -> str:
    """Chinese numeral of 1-99 as used in heading labels: 一, 十, 十一, 二十三."""
    tens, units = divmod(number, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else NUMERALS[tens - 1] + "十")
    return head + (NUMERALS[units - 1] if units else "")


def number(label: str) -> int | None:
    """Inverse of :func:`numeral`; None for what is not a label number."""
    for candidate in range(1, 100):
        if numeral(candidate) == label:
            return candidate
    return None


def infer_numbers(lines: list[str | None]) -> dict[int, tuple[int, str]]:
    """Label numbers of the damaged headings (``None`` in ``lines``) with the evidence.

    Within a top section (``一、…``) the numbered headings are 1, 2, 3, … in order.  A
    damaged heading's number is inferred from its position, from the previous known
    heading and from the next one; all the evidence that exists must agree.
    """
    sections: list[list[tuple[int, int | None]]] = [[]]
    for index, line in enumerate(lines):
        if line is None:
            sections[-1].append((index, None))
        elif _TOP_HEADING.match(line):
            sections.append([])
        elif match := _SUB_HEADING.match(line):
            sections[-1].append((index, number(match.group(1))))
    inferred: dict[int, tuple[int, str]] = {}
    for slots in sections:
        for position, (index, known) in enumerate(slots):
            if known is not None:
                continue
            votes = {position + 1}
            evidence = [f"position {position + 1} under its section"]
            known_before = [(p, n) for p, (_, n) in enumerate(slots[:position]) if n is not None]
            known_after = [
                (p, n) for p, (_, n) in enumerate(slots) if p > position and n is not None
            ]
            if known_before:
                p, n = known_before[-1]
                votes.add(n + position - p)
                evidence.append(f"after ({numeral(n)}) on line {slots[p][0] + 1}")
            if known_after:
                p, n = known_after[0]
                votes.add(n - (p - position))
                evidence.append(f"before ({numeral(n)}) on line {slots[p][0] + 1}")
            if len(votes) == 1:
                inferred[index] = (votes.pop(), ", ".join(evidence))
    return inferred


@dataclass(frozen=True)
class _State:
    """Where a misread reading of candidate bytes stands against the surviving evidence."""

    matched: int  # surviving garbled pairs explained so far
    pending: int  # a trail byte in hand: the first byte of the next misread pair
    lost: int  # misread pairs that must have been dropped


_FINAL = -1  # ``pending`` once the closing byte put the reader back in step


def _feed(state: _State, pair: bytes, garbled: tuple[bytes, ...], resync: int) -> _State | None:
    """The state after one more in-step character, None when it contradicts the evidence."""
    lead, trail = pair
    if state.matched < len(garbled) and garbled[state.matched] == bytes((state.pending, lead)):
        state = _State(state.matched + 1, state.pending, state.lost)
    elif lead in lost_leads(state.pending):
        state = _State(state.matched, state.pending, state.lost + 1)
    else:
        return None
    if trail >= 0x80:
        return _State(state.matched, trail, state.lost)
    # An ASCII trail byte is read on its own: it must be the run's closing byte.
    if trail != resync or state.matched != len(garbled):
        return None
    return _State(state.matched, _FINAL, state.lost)


def _read(
    text: str, start: _State, garbled: tuple[bytes, ...], resync: int
) -> tuple[_State | None, int]:
    """Feed ``text``; the final state and how many characters were consumed."""
    state: _State | None = start
    for consumed, ch in enumerate(text, 1):
        pair = gbk_pair(ch)
        if pair is None or state is None:
            return None, consumed
        state = _feed(state, pair, garbled, resync)
        if state is not None and state.pending == _FINAL:
            return state, consumed
    return state, len(text)


class Vocabulary:
    """Words a lost span may be made of: the document's n-grams and jieba's words, found
    through the GBK bytes of their first character."""

    def __init__(self, document: str, traditional: bool) -> None:
        self.in_document = {
            span[start : start + length]
            for span in _CJK_SPAN.findall(document)
            for length in _NGRAM_LENGTHS
            for start in range(len(span) - length + 1)
        }
        self.document = document
        self._document = _by_first(tuple(sorted(self.in_document)))
        self._dictionary = _dictionary_by_first(traditional)
        self._firsts_by_lead: dict[int, set[str]] = {}
        for first in set(self._document) | set(self._dictionary):
            pair = gbk_pair(first)
            if pair is not None:
                self._firsts_by_lead.setdefault(pair[0], set()).add(first)

    def words(self, first: str) -> list[str]:
        """The words starting with ``first``, the document's first."""
        document = self._document.get(first, [])
        known = set(document)
        return document + [word for word in self._dictionary.get(first, []) if word not in known]

    def starting(
        self, state: _State, garbled: tuple[bytes, ...], resync: int, max_lost: int
    ) -> Iterator[str]:
        """First characters of the words that may follow ``state``.

        The first character's lead byte either completes the next surviving pair or makes
        a dropped pair.  Once no more pairs may be dropped, its trail byte is fixed too: it
        starts the next surviving pair or is the closing byte (constrain by the evidence
        first, so that the search does not try the whole vocabulary)."""
        options: list[tuple[int, int, int]] = []  # lead, surviving pairs matched, dropped
        if state.matched < len(garbled) and garbled[state.matched][0] == state.pending:
            options.append((garbled[state.matched][1], state.matched + 1, state.lost))
        if state.lost < max_lost:
            options += [(lead, state.matched, state.lost + 1) for lead in lost_leads(state.pending)]
        for lead, matched, lost in options:
            if lost < max_lost:
                yield from sorted(self._firsts_by_lead.get(lead, ()))
                continue
            trail = garbled[matched][0] if matched < len(garbled) else resync
            first = decode_pair(lead, trail)
            if first is not None and (first in self._document or first in self._dictionary):
                yield first


def _by_first(words: tuple[str, ...]) -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for word in words:
        if gbk_pair(word[0]) is not None and not word.isascii():
            index.setdefault(word[0], []).append(word)
    return index


@functools.cache
def _dictionary_by_first(traditional: bool) -> dict[str, list[str]]:
    return _by_first(dictionary_words(traditional))


@dataclass(frozen=True)
class Candidate:
    words: tuple[str, ...]  # vocabulary words spelling the lost span (the last may run on)
    text: str  # the lost span itself
    lost: int  # dropped pairs it needs

    def rank(self, vocabulary: Vocabulary) -> tuple[int, int, int]:
        from_document = sum(1 for word in self.words if word in vocabulary.in_document)
        return self.lost, len(self.words), -from_document


def search_lost_span(
    start: _State,
    garbled: tuple[bytes, ...],
    resync: int,
    following: str,
    vocab: Vocabulary,
    max_lost: int,
) -> list[Candidate] | None:
    """Every vocabulary reading of the bytes after ``start``, best first; None when the
    search ran out of steps (then nothing can be claimed)."""
    # The readings that finish the run from a state depend on the state alone: memoise.
    endings: dict[tuple[_State, int], list[tuple[tuple[str, ...], str, int]]] = {}
    steps = 0

    def finish(state: _State, words_left: int) -> list[tuple[tuple[str, ...], str, int]]:
        nonlocal steps
        if (state, words_left) in endings:
            return endings[state, words_left]
        found: list[tuple[tuple[str, ...], str, int]] = []
        for first in vocab.starting(state, garbled, resync, max_lost):
            after_first, _ = _read(first, state, garbled, resync)
            group = vocab.words(first)
            steps += 1 + len(group)
            if steps > _MAX_STEPS:
                raise _SearchExhausted
            if after_first is None or after_first.lost > max_lost:
                continue
            for word in group:
                end, consumed = after_first, 0
                if after_first.pending != _FINAL:
                    end, consumed = _read(word[1:], after_first, garbled, resync)
                if end is None or end.lost > max_lost:
                    continue
                span = word[: consumed + 1]
                if end.pending == _FINAL:
                    if following.startswith(word[len(span) :]):
                        found.append(((word,), span, end.lost))
                elif words_left > 1:
                    found += [
                        ((word, *rest), word + tail, lost)
                        for rest, tail, lost in finish(end, words_left - 1)
                    ]
        endings[state, words_left] = found
        return found

    try:
        readings = finish(start, _MAX_WORDS)
    except _SearchExhausted:
        return None
    best: dict[str, Candidate] = {}
    for words, text, lost in readings:
        candidate = Candidate(words, text, lost)
        known = best.get(text)
        if known is None or candidate.rank(vocab) < known.rank(vocab):
            best[text] = candidate
    return sorted(best.values(), key=lambda candidate: candidate.rank(vocab))


class _SearchExhausted(Exception):
    """The step budget of one search is spent."""


@dataclass(frozen=True)
class HeadingReading:
    text: str  # indent, label and the restored words, before full-width folding
    note: str


def restore_heading(
    pairs: tuple[tuple[int, int], ...],
    resync: int | None,
    label_number: int,
    number_evidence: str,
    following: str,
    vocab: Vocabulary,
) -> tuple[HeadingReading | None, str]:
    """The heading a damaged run at a line start spelled, or None and why not."""
    if resync is None:
        return None, "the run has no closing byte to anchor the lost words"
    garbled = tuple(bytes(pair) for pair in pairs)
    label = f"（{numeral(label_number)}）"
    results: list[tuple[str, Candidate]] = []
    # Deepen the number of dropped pairs: fewer is better, so the first depth with
    # readings holds the best ones and deeper searches (the expensive ones) are skipped.
    for max_lost in range(_MAX_LOST_PAIRS + 1):
        for indent in range(_MAX_INDENT + 1):
            prefix = "\u3000" * indent + label
            first = gbk_pair(prefix[0])
            assert first is not None
            state, _ = _read(prefix[1:], _State(0, first[1], 0), garbled, resync)
            if state is None or state.pending == _FINAL or state.lost > max_lost:
                continue
            candidates = search_lost_span(state, garbled, resync, following, vocab, max_lost)
            if candidates is None:
                return None, "the search for the lost words ran out of steps"
            results += [(prefix, candidate) for candidate in candidates]
        if results:
            break
    if not results:
        return None, f"no vocabulary words after {label} reproduce the garbled bytes"
    results.sort(key=lambda result: result[1].rank(vocab))
    best_prefix, best = results[0]
    if len(results) > 1 and results[1][1].rank(vocab) == best.rank(vocab):
        rivals = " / ".join(candidate.text for _, candidate in results[:4])
        return None, f"ambiguous lost words after {label}: {rivals}"
    shown = " + ".join(
        f"{word} ({vocab.document.count(word)}× in the text)"
        if word in vocab.in_document
        else f"{word} (dictionary)"
        for word in best.words
    )
    runner_up = f", runner-up {results[1][1].text!r}" if len(results) > 1 else ""
    note = (
        f"number {numeral(label_number)} from the heading sequence ({number_evidence}); "
        f"lost words {best.text!r} = {shown}: best of {len(results)} vocabulary reading(s) "
        f"whose GBK bytes, misread one byte out of step, give exactly the surviving "
        f"characters, with {best.lost} dropped pair(s){runner_up}"
    )
    return HeadingReading(best_prefix + best.text, note), ""
