"""Repair case texts damaged by a bad conversion.

The first case's source went through three accidents, in this order:

1. a pinyin *gloss* was written after some characters: ``現(xiàn)``;
2. some spans of the GBK byte stream were read one byte off, so each decoded
   character straddles two real ones (``?。ㄒ唬`` for ``　（一）``).  The byte
   that fell off the front became ``?``; a decoded pair that GBK does not map to
   an ordinary character (user-defined area, unassigned) was dropped, so two
   bytes are *lost*; an ASCII byte (a gloss letter, or ``?`` for an unmappable
   pair) puts the reader back in step;
3. full-width ASCII forms were folded to ASCII (``（`` → ``(``).

:func:`repair_text` undoes 1 everywhere and undoes 2 where the bytes allow:
it rebuilds the byte stream of a misaligned run and decodes it in step,
searching for the lost pairs, and accepts the result only if every decoded
character is *plausible*, i.e. occurs in the undamaged part of the same text
(plus indentation, brackets and heading numerals).  Repaired characters are
folded like step 3 so the text stays consistent.  A heading run that lost too
many bytes for that is handed to :mod:`casegraph.repair.headings`, which infers its
number from the heading sequence and its lost words from a byte-constrained search
of the document's and the dictionary's words (reported as ``heading-inferred``, with
the evidence).  A run that still cannot be read is kept as it is and reported as
flagged.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Literal

from casegraph.repair.gbk import (
    common_characters,
    dictionary,
    fold_fullwidth,
    gbk_pair,
    is_lost_pair,
    is_traditional,
    simplifier,
)
from casegraph.repair.headings import Vocabulary, infer_numbers, restore_heading

RepairKind = Literal["gloss", "heading", "heading-inferred", "misalignment", "flagged"]

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_TONELESS = "aaaaeeeeiiiioooouuuuüüüünnnm"
_INITIAL = r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])"
_FINAL = (
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|üan|van|ai|ei|ao|ou|an|en|in|un|ün|"
    r"ia|ie|iu|ua|uo|ui|üe|ue|ve|er|a|o|e|i|u|ü|v|ng|n|m)"
)
_SYLLABLES = re.compile(rf"(?:{_INITIAL}?{_FINAL})+")
# A gloss candidate; whether it is pinyin is decided by _is_pinyin.
_GLOSS = re.compile(rf"\(([a-z{_TONED}ü]{{1,24}})\)")
# A gloss whose "(" was swallowed by a misread pair (it then follows "?" or a repaired run).
_BROKEN_GLOSS = re.compile(rf"([a-z{_TONED}ü]{{1,24}})\)")
_ANY_GLOSS = re.compile(rf"\(?([a-z{_TONED}ü]{{1,24}})\)")
# What a gloss may follow: a CJK character, or the debris of a damaged run.
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_HEADING_NUMERALS = "一二三四五六七八九十"
_ALWAYS_PLAUSIBLE = frozenset("\u3000（）" + _HEADING_NUMERALS + "。，、；：“”")
_MAX_LOST_PAIRS = 1
_LOST = "\x00"  # marks where a lost pair was guessed, while readings are ranked


@dataclass(frozen=True)
class Repair:
    """One change (or one refusal): where it was in the raw text and what it became."""

    kind: RepairKind
    line: int  # 1-based line in the raw text
    column: int  # 1-based code-point column in the raw text
    raw: str
    repaired: str
    note: str = ""


@dataclass
class RepairResult:
    text: str
    repairs: list[Repair] = field(default_factory=list)

    @property
    def flagged(self) -> list[Repair]:
        return [r for r in self.repairs if r.kind == "flagged"]

    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(
            ["gloss", "heading", "heading-inferred", "misalignment", "flagged"], 0
        )
        for repair in self.repairs:
            counts[repair.kind] += 1
        return counts

    def as_json(self) -> dict:
        return {"summary": self.summary(), "repairs": [asdict(r) for r in self.repairs]}


def _is_pinyin(gloss: str) -> bool:
    detoned = gloss.translate(str.maketrans(_TONED, _TONELESS))
    return _SYLLABLES.fullmatch(detoned) is not None


def _has_tone_mark(gloss: str) -> bool:
    return any(ch in _TONED for ch in gloss)


def _is_gloss_after(before: str, match: re.Match[str]) -> bool:
    """A pinyin gloss directly after a CJK character or after damaged-run debris."""
    gloss = match.group(1)
    if not before or not _is_pinyin(gloss):
        return False
    if not match.group(0).startswith("("):
        # A gloss that lost its "(" is recognisable only by its tone mark.
        return _has_tone_mark(gloss) and (before == "?" or _CJK.match(before) is not None)
    if _CJK.match(before) or before == "?":
        return True
    # After an ASCII letter only a toned gloss counts: "MVR(ni)" stays text.
    return before.isascii() and before.isalpha() and _has_tone_mark(gloss)


@dataclass(frozen=True)
class _Run:
    """A misaligned span: ``?`` + characters whose bytes are pairs, + a resync byte."""

    start: int  # index of the "?" in the text
    end: int  # index after the resync character
    pairs: tuple[tuple[int, int], ...]
    resync: int | None  # the in-step byte that closed the run; None when it was lost too
    at_line_start: bool
    after_gloss: bool  # the run follows a lost character and its gloss: any lead byte fell off


class _Decoder:
    """Decodes a misaligned run in step, guessing lost pairs, within a plausible alphabet."""

    def __init__(
        self, undamaged: str, plausible: set[str], gloss_chars: dict[str, set[str]]
    ) -> None:
        frequency = Counter(undamaged)
        self.frequency = frequency
        self.bigrams = {text[i : i + 2] for text in [undamaged] for i in range(len(text) - 1)}
        self.by_lead: dict[int, dict[int, str]] = {}
        for ch in plausible:
            encoded = gbk_pair(ch) if not ch.isascii() else None
            if encoded:
                self.by_lead.setdefault(encoded[0], {})[encoded[1]] = ch
        self.by_trail: dict[int, dict[int, str]] = {}
        for lead, trails in self.by_lead.items():
            for trail, ch in trails.items():
                self.by_trail.setdefault(trail, {})[lead] = ch
        self.gloss_chars = gloss_chars

    def decode(self, run: _Run, gloss: str | None, before: str, after: str) -> str | None:
        """The most plausible in-step reading of ``run``; None when there is none or a tie."""
        first = run.pairs[0][0]
        readings: set[str] = set()
        # The byte that fell off was the lead of a punctuation mark or an indent (rows A1-A3).
        for lead, ch in sorted(self.by_trail.get(first, {}).items()):
            indent_only = run.at_line_start and ch != "\u3000"  # a heading's indent
            if (run.after_gloss or 0xA1 <= lead <= 0xA3) and not indent_only:
                readings |= self._walk(run, 1, run.pairs[0][1], ch, 0, gloss)
        if run.at_line_start:
            readings = {r for r in readings if _HEADING_START.match(r.replace(_LOST, ""))}
        ranked = sorted(readings, key=lambda reading: self._rank(reading, before, after))
        best = [self._rank(reading, before, after) for reading in ranked[:2]]
        if not ranked or (len(best) > 1 and best[0] == best[1]):
            return None
        return ranked[0].replace(_LOST, "")

    def _rank(self, reading: str, before: str, after: str) -> tuple[int, int, float]:
        """Order readings: each guessed lost pair must buy a character pair that the
        undamaged text also uses; then prefer characters inside dictionary words; then
        characters frequent in the undamaged text."""
        lost = reading.count(_LOST)
        plain = fold_fullwidth(reading.replace(_LOST, ""))
        context = before + plain + after
        known_pairs = sum(context[i : i + 2] in self.bigrams for i in range(len(context) - 1))
        ordinary = sum(math.log1p(self.frequency.get(ch, 0)) for ch in plain)
        return lost - known_pairs, _characters_outside_words(before, plain, after), -ordinary

    def _walk(
        self, run: _Run, index: int, pending: int, done: str, lost: int, gloss: str | None
    ) -> set[str]:
        """Readings of the pairs from ``index`` on, ``pending`` being a lead byte in hand."""
        readings = self._step(run, index, pending, done, lost, gloss)
        if lost >= _MAX_LOST_PAIRS:
            return readings
        # Two bytes fell out here: one ends the pending character, one starts the next.
        following = run.pairs[index][0] if index < len(run.pairs) else run.resync
        leads = self.by_lead if following is None else self.by_trail.get(following, {})
        for trail, ch in self.by_lead.get(pending, {}).items():
            for lead in leads:
                if is_lost_pair(trail, lead):
                    readings |= self._step(run, index, lead, done + ch + _LOST, lost + 1, gloss)
        return readings

    def _step(
        self, run: _Run, index: int, pending: int, done: str, lost: int, gloss: str | None
    ) -> set[str]:
        """Read the next pair (or the closing byte) in step, without guessing lost bytes."""
        trails = self.by_lead.get(pending, {})
        if index == len(run.pairs):
            return {done + ch for ch in self._close(trails, run.resync, gloss)}
        first, second = run.pairs[index]
        if first not in trails:
            return set()
        return self._walk(run, index + 1, second, done + trails[first], lost, gloss)

    def _close(self, trails: dict[int, str], resync: int | None, gloss: str | None) -> set[str]:
        if resync is not None:
            return {trails[resync]} if resync in trails else set()
        # The last byte became "?": the gloss that followed names the character.
        known = self.gloss_chars.get(gloss or "", set())
        return {ch for ch in trails.values() if ch in known}


_RUN_START = re.compile(r"\?")
# A run at the start of a line is a section heading: an indent and a numbered label.
_HEADING_START = re.compile(rf"\u3000*（[{_HEADING_NUMERALS}]+）")


def _characters_outside_words(before: str, text: str, after: str) -> int:
    """How many CJK characters of ``text`` belong to no word of two or more characters in
    jieba's dictionary, reading it between its neighbours: misread GBK pairs almost never
    spell words."""
    simplified = simplifier().convert(before + text + after)
    covered = [False] * len(simplified)
    for start in range(len(simplified)):
        for end in range(start + 2, min(len(simplified), start + 5) + 1):
            if dictionary().get(simplified[start:end]):
                covered[start:end] = [True] * (end - start)
    inside = range(len(before), len(before) + len(text))
    return sum(1 for i in inside if not covered[i] and _CJK.match(simplified[i]))


def _find_runs(text: str) -> list[_Run]:
    runs = []
    for match in _RUN_START.finditer(text):
        pairs: list[tuple[int, int]] = []
        index = match.end()
        broken = _BROKEN_GLOSS.match(text, index)
        after_gloss = bool(broken and _has_tone_mark(broken.group(1)))
        if after_gloss:
            index = broken.end()  # "?" + gloss: the glossed character is lost with its "("
        while index < len(text) and text[index] not in "\n?":
            encoded = gbk_pair(text[index])
            if encoded is None:
                break
            pairs.append((encoded[0], encoded[1]))
            index += 1
        if not pairs or index >= len(text):
            continue
        closer = text[index]
        at_line_start = match.start() == 0 or text[match.start() - 1] == "\n"
        if closer == "?":
            runs.append(
                _Run(match.start(), index + 1, tuple(pairs), None, at_line_start, after_gloss)
            )
        elif closer.isascii() and closer.isalpha():
            runs.append(
                _Run(
                    match.start(), index + 1, tuple(pairs), ord(closer), at_line_start, after_gloss
                )
            )
    return runs


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _gloss_after(text: str, index: int) -> str | None:
    match = _GLOSS.match(text, index) or _BROKEN_GLOSS.match(text, index)
    return match.group(1) if match and _is_pinyin(match.group(1)) else None


def repair_text(raw: str) -> RepairResult:
    """Remove pinyin glosses and re-read misaligned GBK runs; flag what stays unreadable.

    Positions in the report refer to ``raw``.  The function is idempotent and
    never raises: text without damage comes back unchanged.
    """
    runs = _find_runs(raw)
    undamaged = list(raw)
    for run in runs:
        undamaged[run.start : run.end] = [" "] * (run.end - run.start)
    plain = "".join(undamaged)
    plausible = {ch for ch in plain if _CJK.match(ch)} | _ALWAYS_PLAUSIBLE
    plausible |= common_characters(is_traditional(plain))
    gloss_chars: dict[str, set[str]] = {}
    for match in _GLOSS.finditer(plain):
        if match.start() and _CJK.match(plain[match.start() - 1]):
            gloss_chars.setdefault(match.group(1), set()).add(plain[match.start() - 1])
    decoder = _Decoder(plain, plausible, gloss_chars)

    readings: dict[int, tuple[RepairKind, str, str]] = {}  # run start -> kind, reading, note
    unread_headings: list[_Run] = []
    cursor = 0
    for run in runs:
        if run.start < cursor:
            continue
        gloss = _gloss_after(raw, run.end)
        before = raw[run.start - 1 : run.start] if run.start else ""
        after = _GLOSS.sub("", raw[run.end : run.end + 40])[:2]
        reading = decoder.decode(run, gloss, before, after)
        if reading is not None:
            kind: RepairKind = "heading" if run.at_line_start else "misalignment"
            readings[run.start] = (kind, reading, "")
        elif not all(ch in plausible for ch in raw[run.start + 1 : run.end - 1]):
            readings[run.start] = ("flagged", "", "no plausible reading")
            if run.at_line_start:
                unread_headings.append(run)
        cursor = run.end  # a genuine "?" before ordinary text is no damage: no reading
    if unread_headings:
        _restore_headings(raw, plain, unread_headings, readings)
    return _apply(raw, runs, readings)


def _restore_headings(
    raw: str, plain: str, runs: list[_Run], readings: dict[int, tuple[RepairKind, str, str]]
) -> None:
    """Give the unread heading runs the reading their number and surviving bytes allow."""
    starts = {run.start: run for run in runs}
    lines: list[str | None] = []
    offset = 0
    for line in raw.split("\n"):
        if offset in starts:
            lines.append(None)
        elif offset in readings and readings[offset][0] == "heading":
            lines.append(fold_fullwidth(readings[offset][1].lstrip("\u3000")))
        else:
            lines.append(line)
        offset += len(line) + 1
    numbers = infer_numbers(lines)
    vocabulary = Vocabulary(_GLOSS.sub("", plain), is_traditional(plain))
    for run in runs:
        line_index = raw.count("\n", 0, run.start)
        if line_index not in numbers:
            note = "no heading number follows from the neighbouring headings"
            readings[run.start] = ("flagged", "", note)
            continue
        label_number, evidence = numbers[line_index]
        line_end = raw.find("\n", run.end)
        following = _GLOSS.sub("", raw[run.end : line_end if line_end >= 0 else len(raw)])
        heading, why_not = restore_heading(
            run.pairs, run.resync, label_number, evidence, following, vocabulary
        )
        if heading is None:
            readings[run.start] = ("flagged", "", why_not)
        else:
            readings[run.start] = ("heading-inferred", heading.text, heading.note)


def _apply(
    raw: str, runs: list[_Run], readings: dict[int, tuple[RepairKind, str, str]]
) -> RepairResult:
    """Put the readings in place of their runs, report them, then remove the glosses."""
    result = RepairResult(text="")
    rebuilt: list[str] = []
    origin: list[int] = []  # raw index of each rebuilt character, for the report
    cursor = 0
    for run in runs:
        if run.start not in readings:
            continue
        kind, reading, note = readings[run.start]
        line, column = _position(raw, run.start)
        span = raw[run.start : run.end]
        if kind == "flagged":
            result.repairs.append(Repair("flagged", line, column, span, span, note))
            continue
        if run.at_line_start:
            reading = reading.lstrip("\u3000")
        reading = fold_fullwidth(reading)
        result.repairs.append(Repair(kind, line, column, span, reading, note))
        if run.after_gloss:  # the lost character's gloss goes with the run
            lost_gloss = _BROKEN_GLOSS.match(raw, run.start + 1)
            assert lost_gloss is not None
            result.repairs.append(Repair("gloss", line, column + 1, lost_gloss.group(0), ""))
        rebuilt += raw[cursor : run.start]
        origin += range(cursor, run.start)
        rebuilt += reading
        origin += [run.start] * len(reading)
        cursor = run.end
    rebuilt += raw[cursor:]
    origin += range(cursor, len(raw))
    return _remove_glosses(raw, "".join(rebuilt), origin, result)


def _remove_glosses(
    raw: str, rebuilt: str, origin: list[int], result: RepairResult
) -> RepairResult:
    """Drop glosses from ``rebuilt``, reporting each at its position in ``raw``."""
    # Decide each candidate against the text as already cleaned, so that a gloss revealed
    # by removing another ("字(zì)(zì)") goes too and a second pass finds nothing.
    kept: list[str] = []
    cursor = 0
    search_from = 0
    last_kept = ""
    while match := _ANY_GLOSS.search(rebuilt, search_from):
        between = rebuilt[cursor : match.start()]
        if not _is_gloss_after(between[-1:] or last_kept, match):
            search_from = match.start() + 1
            continue
        line, column = _position(raw, origin[match.start()])
        result.repairs.append(Repair("gloss", line, column, match.group(0), ""))
        kept.append(between)
        last_kept = between[-1:] or last_kept
        cursor = search_from = match.end()
    kept.append(rebuilt[cursor:])
    result.text = "".join(kept)
    result.repairs.sort(key=lambda r: (r.line, r.column))
    return result
