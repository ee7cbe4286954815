"""Entities chosen by name: a parameter value that is not an IRI is looked up.

Used by the curated questions and the comparison page, so that a reader types
济南热电集团 (or 濟南熱電集團, or Jinan Thermal Power Group) instead of an IRI.
Names are found in the search index, which folds scripts and case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from casegraph.errors import ParameterError
from casegraph.search.text import fold
from casegraph.web.context import search_index

#: A value that starts like an IRI (``scheme:``) or the ``id:`` shorthand is taken as one;
#: anything else is a name to look up.
_LOOKS_LIKE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
#: Legal-form endings a name is often given without (济南热电集团 for 济南热电集团有限公司).
_LEGAL_FORMS = tuple(fold(s) for s in (
    "有限公司", "有限责任公司", "股份有限公司", "集团有限公司", "公司", " co., ltd.", " co. ltd.",
    " company", " group",
))
MAX_CHOICES = 8


@dataclass
class Choice:
    """One entity a name may mean."""

    iri: str
    label: str
    group: str


class AmbiguousName(ParameterError):
    """A name that does not pick out one entity: several match, or none exactly and the
    ones it is part of are offered; the reader (or client) chooses."""

    def __init__(self, parameter: str, name: str, choices: list[Choice]):
        if len(choices) == 1:
            message = (f"nothing is named exactly {name!r}; did you mean <{choices[0].iri}> "
                       f"({choices[0].label})? give its IRI")
        else:
            message = f"{name!r} names {len(choices)} entities; give one of their IRIs"
        super().__init__(parameter, message)
        self.name = name
        self.choices = choices


def looks_like_iri(raw: str) -> bool:
    """Whether a parameter value is meant as an IRI (or ``id:…``), not as a name."""
    return bool(_LOOKS_LIKE_IRI.match(raw.strip()))


def resolve_name(parameter: str, raw: str, lang: str = "zh-Hans", group: str | None = None
                 ) -> str:
    """The IRI a name stands for, found in the search index (any script).

    An exact label wins; else a unique label that is the name plus a legal form
    (有限公司, Co., Ltd.); else the name is ambiguous (several matches, offered as
    choices) or unknown (a ParameterError naming it).  ``group`` keeps only one
    search group (``organisation``).
    """
    wanted = fold(raw.strip())
    hits = search_index().search(raw, limit=50, group=group).hits
    def labels(hit) -> set[str]:
        return {fold(text) for text in hit.labels.values()}

    exact = [h for h in hits if wanted in labels(h)]
    if len(exact) == 1:
        return exact[0].iri
    if not exact:
        exact = [h for h in hits if any(label[len(wanted):] in _LEGAL_FORMS
                                        for label in labels(h) if label.startswith(wanted))]
        if len(exact) == 1:
            return exact[0].iri
    candidates = exact or [h for h in hits if any(wanted in label for label in labels(h))]
    if not candidates:
        raise ParameterError(parameter, f"nothing is named {raw!r}; type a name as it is "
                                        "written in the cases, or an IRI")
    raise AmbiguousName(parameter, raw, [Choice(h.iri, h.label(lang), h.group)
                                         for h in candidates[:MAX_CHOICES]])
