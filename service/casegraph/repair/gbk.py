"""GBK byte facts and language resources shared by the repairs of :mod:`casegraph.repair.text`.

A misaligned run is explained byte by byte, so both the run reader and the heading
inference need the same answers to "what are this character's two GBK bytes" and
"would a misread pair of these bytes have been dropped".
"""

from __future__ import annotations

import functools
import logging
import unicodedata

import jieba
import opencc


@functools.cache
def gbk_pair(ch: str) -> bytes | None:
    """The two GBK bytes of ``ch``; folded ASCII punctuation counts as its full-width form,
    which it was before the text's full-width folding.  None for anything else."""
    if ch.isascii():
        if ch.isalnum() or ch.isspace():
            return None
        ch = chr(ord(ch) + 0xFEE0)
    try:
        encoded = ch.encode("gbk")
    except UnicodeEncodeError:
        return None
    return encoded if len(encoded) == 2 else None


def decode_pair(lead: int, trail: int) -> str | None:
    """The ordinary character a misread pair decodes to; None for an unmapped or
    private-use pair (which the damaged pipeline dropped)."""
    try:
        decoded = bytes((lead, trail)).decode("gbk")
    except UnicodeDecodeError:
        return None
    if len(decoded) != 1 or unicodedata.category(decoded) == "Co":
        return None
    return decoded


def is_lost_pair(first: int, second: int) -> bool:
    """Whether a misread pair would have been dropped (unmapped or private use)."""
    return decode_pair(first, second) is None


@functools.cache
def lost_leads(trail: int) -> frozenset[int]:
    """The lead bytes that, read after ``trail`` as one pair, make a dropped pair."""
    return frozenset(lead for lead in range(0x81, 0xFF) if is_lost_pair(trail, lead))


def fold_fullwidth(text: str) -> str:
    """Fold full-width ASCII forms, as the damaged text's own pipeline did."""
    return "".join(
        unicodedata.normalize("NFKC", ch) if "\uff01" <= ch <= "\uff5e" else ch for ch in text
    )


@functools.cache
def simplifier() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@functools.cache
def dictionary() -> dict[str, int]:
    """jieba's word frequencies (simplified script); prefixes of words have frequency 0."""
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.dt.FREQ


@functools.cache
def dictionary_words(traditional: bool) -> tuple[str, ...]:
    """jieba's words of two or more characters, written in the text's script."""
    words = [word for word, count in dictionary().items() if count > 0 and len(word) > 1]
    if not traditional:
        return tuple(words)
    return tuple(opencc.OpenCC("s2t").convert("\n".join(words)).split("\n"))


def is_traditional(text: str) -> bool:
    converted = simplifier().convert(text)
    return sum(a != b for a, b in zip(text, converted, strict=False)) > len(text) // 200


@functools.cache
def common_characters(traditional: bool) -> frozenset[str]:
    """The 3,755 level-1 GB 2312 characters, written in the text's script: what ordinary
    prose is made of.  A reading must not mix scripts."""
    simplified = [
        bytes((lead, trail)).decode("gb2312")
        for lead in range(0xB0, 0xD8)
        for trail in range(0xA1, 0xFF)
        if not (lead == 0xD7 and trail > 0xF9)
    ]
    if not traditional:
        return frozenset(simplified)
    return frozenset(opencc.OpenCC("s2t").convert("\n".join(simplified)).split("\n"))
