"""How good is a draft?  Recall and precision of the extractor against curated cases.

For every case in ``data/cases`` the extractor drafts the repaired source text
and its candidates are matched with the curated graph, kind by kind.  Labels
are compared after folding (simplified script, no quotes or spaces):

* brands and awards (the labels of the conferred titles): equal, or one
  contains the other and the shorter has at least four characters
  (五小竞赛 within 五小竞赛一等奖);
* organisations: equal after normalising the legal form (集团有限公司 → 集团,
  有限公司 → 公司, 支部委员会 → 党支部, leading 中共 dropped), or the shorter is
  the *tail* of the longer (西部热源分公司 for 济南热电集团有限公司西部热源分公司)
  with at least four characters and a name of two or more characters before its
  suffix.  Containment anywhere would be unfair: 济南热电集团 is not the party
  committee 济南热电集团有限公司党委, and 信党支部 is not 东新和信党支部;
* figures: the same value in the same unit code (before or after values count
  for effects).

Recall is the share of curated items matched by some candidate; precision the
share of candidates that match some curated item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import Dataset, URIRef

from casegraph import paths
from casegraph.drafting.candidates import Candidate, fold
from casegraph.drafting.extract import extract
from casegraph.drafting.organisations import ORGANISATION_SUFFIXES

KINDS = ("organisation", "brand", "award", "figure")
_ORGANISATION_SUFFIX = re.compile(
    "(?:" + "|".join(sorted(map(re.escape, ORGANISATION_SUFFIXES), key=len, reverse=True)) + ")$"
)


@dataclass
class Score:
    kind: str
    curated: int
    matched_curated: int
    candidates: int
    matched_candidates: int

    @property
    def recall(self) -> float | None:
        return self.matched_curated / self.curated if self.curated else None

    @property
    def precision(self) -> float | None:
        return self.matched_candidates / self.candidates if self.candidates else None


def curated_items(case_file: Path) -> dict[str, dict[URIRef, set[str]]]:
    """Curated items by kind: node → its normalised labels (or value@unit, for figures)."""
    dataset = Dataset(default_union=True)
    dataset.parse(case_file, format="trig")
    for ontology_file in paths.ontology_files():
        dataset.graph(URIRef("urn:casegraph:ontology")).parse(ontology_file, format="turtle")
    items: dict[str, dict[URIRef, set[str]]] = {kind: {} for kind in KINDS}
    query = (paths.QUERIES_DIR / "draft_eval_curated_items.rq").read_text(encoding="utf-8")
    for row in dataset.query(query):
        kind, node, text = str(row.kind), row.item, str(row.text)
        unit = str(row.unit or "")
        key = _value_key(text, unit) if kind == "figure" else _label_key(kind, text)
        if key:
            items[kind].setdefault(node, set()).add(key)
    return items


def score_case(case_dir: Path) -> list[Score]:
    """Scores of the draft of one case folder (``source.txt`` against ``case.trig``)."""
    text = (case_dir / "source.txt").read_text(encoding="utf-8")
    candidates = extract(text)
    curated = curated_items(case_dir / "case.trig")
    return [
        _score(kind, curated[kind], [c for c in candidates if c.kind == kind]) for kind in KINDS
    ]


def _score(kind: str, curated: dict[URIRef, set[str]], candidates: list[Candidate]) -> Score:
    keys = [_candidate_keys(kind, c) for c in candidates]
    matched_curated = sum(
        1 for labels in curated.values() if any(_matches(kind, k, labels) for k in keys)
    )
    matched_candidates = sum(
        1 for k in keys if any(_matches(kind, k, labels) for labels in curated.values())
    )
    return Score(kind, len(curated), matched_curated, len(candidates), matched_candidates)


def _candidate_keys(kind: str, candidate: Candidate) -> set[str]:
    details = candidate.details
    if kind != "figure":
        return {_label_key(kind, candidate.label)}
    pairs = [("value", "unit"), ("before", "before_unit"), ("after", "after_unit")]
    return {
        key
        for value, unit in pairs
        if value in details and (key := _value_key(details[value], details[unit]))
    }


def _label_key(kind: str, label: str) -> str:
    key = fold(label)
    if kind == "organisation":
        key = re.sub(r"^中共", "", key)
        key = re.sub(r"集团(?:股份)?有限(?:责任)?公司", "集团", key)
        key = re.sub(r"(?:股份)?有限(?:责任)?公司", "公司", key)
        key = re.sub(r"(?:党)?支部委员会$", "党支部", key)
    return key


def _matches(kind: str, keys: set[str], labels: set[str]) -> bool:
    if kind == "figure":
        return bool(keys & labels)
    return any(_labels_match(kind, key, label) for key in keys for label in labels)


def _labels_match(kind: str, first: str, second: str) -> bool:
    if first == second:
        return True
    shorter, longer = sorted((first, second), key=len)
    if len(shorter) < 4:
        return False
    if kind != "organisation":
        return shorter in longer
    name = _ORGANISATION_SUFFIX.sub("", shorter)
    return longer.endswith(shorter) and len(name) >= 2


def _value_key(value: str, unit: str) -> str:
    try:
        return f"{Decimal(value).normalize():f}@{unit}"
    except InvalidOperation:
        return ""


def format_table(results: dict[str, list[Score]]) -> str:
    """A Markdown table: one row per case and kind, then the totals per kind."""
    lines = [
        "| case | kind | curated | recall | candidates | precision |",
        "|---|---|---|---|---|---|",
    ]
    totals = {kind: Score(kind, 0, 0, 0, 0) for kind in KINDS}
    for case, scores in results.items():
        for s in scores:
            lines.append(
                f"| {case} | {s.kind} | {s.curated} | {_percent(s.recall)} | {s.candidates} "
                f"| {_percent(s.precision)} |"
            )
            total = totals[s.kind]
            total.curated += s.curated
            total.matched_curated += s.matched_curated
            total.candidates += s.candidates
            total.matched_candidates += s.matched_candidates
    for s in totals.values():
        lines.append(
            f"| **all** | {s.kind} | {s.curated} | {_percent(s.recall)} | {s.candidates} "
            f"| {_percent(s.precision)} |"
        )
    return "\n".join(lines)


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{share:.0%}"
