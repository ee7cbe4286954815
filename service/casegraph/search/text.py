"""Text handling for search: folding, cutting into terms, and result snippets.

Folding makes spellings a reader treats as equal compare equal: NFKC (full-width
letters and digits), OpenCC ``t2s`` (traditional to simplified) and lower case.  Chinese
runs are cut into character bigrams and unigrams, other text into word tokens.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

#: Engines may lower-case language tags (oxigraph does); results use the BCP 47 spelling.

MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 32

_T2S = opencc.OpenCC("t2s")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_TOKEN = re.compile(rf"([{_CJK}]+)|([0-9a-z]+)")
_TOKEN_TEXT = re.compile(rf"[{_CJK}]+|[0-9a-z]+")


def fold(text: str) -> str:
    """Normalise text so that spellings a reader treats as equal compare equal."""
    return _T2S.convert(unicodedata.normalize("NFKC", text)).lower()


def index_terms(text: str) -> list[str]:
    """Terms a text is indexed under: Chinese bigrams and unigrams, English words."""
    return cut(fold(text))


def cut(folded: str) -> list[str]:
    terms: list[str] = []
    for cjk, word in _TOKEN.findall(folded):
        if word:
            terms.append(word)
            continue
        terms.extend(cjk)
        terms.extend(cjk[i : i + 2] for i in range(len(cjk) - 1))
    return terms


def query_tokens(text: str) -> list[tuple[str, bool]]:
    """What a query asks for: ``(term, is_word)`` pairs, words being prefix-expandable.

    A Chinese run of two or more characters asks for its bigrams (so the match is
    positionally tight); a single character asks for itself.
    """
    tokens: list[tuple[str, bool]] = []
    for cjk, word in _TOKEN.findall(fold(text[:MAX_QUERY_CHARS])):
        if word:
            tokens.append((word, True))
        elif len(cjk) == 1:
            tokens.append((cjk, False))
        else:
            tokens.extend((cjk[i : i + 2], False) for i in range(len(cjk) - 1))
    return list(dict.fromkeys(tokens))[:MAX_QUERY_TERMS]


def query_needles(query: str, tokens: list[tuple[str, bool]]) -> list[str]:
    """Strings to highlight for a query: whole runs first ("济南热电"), then its terms."""
    runs = set(_TOKEN_TEXT.findall(fold(query[:MAX_QUERY_CHARS])))
    return sorted({t for t, _ in tokens} | runs, key=len, reverse=True)


@lru_cache(maxsize=4096)
def _folded(text: str) -> str:
    return fold(text)


def snippet(texts, terms: list[str], width: int = 40) -> tuple[str, str, str] | None:
    """The first description or quote containing a query term, cut around the match.

    ``terms`` come longest first, so a whole query run ("济南热电") wins over its bigrams.
    """
    for kind, _, text in texts:
        if kind == "label":
            continue
        folded = _folded(text)
        aligned = len(folded) == len(text)
        for term in terms:
            at = folded.find(term)
            if at < 0:
                continue
            if not aligned:
                return (text[: 2 * width], "", "…" if len(text) > 2 * width else "")
            end = at + len(term)
            before = text[max(0, at - width) : at]
            after = text[end : end + width]
            return (
                ("…" if at > width else "") + before,
                text[at:end],
                after + ("…" if end + width < len(text) else ""),
            )
    return None
