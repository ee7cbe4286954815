"""How good is a draft?  Recall and precision of the extractor against curated cases.

For every case in ``data/cases`` the extractor drafts the repaired source text
and its candidates are matched with the curated graph, kind by kind:

* organisations, brands: a candidate matches a curated node when, after
  folding to simplified script and dropping quotes, its label equals one of the
  node's labels (``rdfs:label``, ``skos:altLabel``) or one contains the other
  and the shorter has at least four characters (short forms such as
  西部热源分公司 for the full registered name);
* awards: the same, against the labels of the conferrals' award titles;
* figures: a candidate matches a curated ``cg:Figure`` (or effect) with the
  same value (before or after values count for effects).

Recall is the share of curated items matched by some candidate; precision the
share of candidates that match some curated item.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import Dataset, URIRef

from casegraph import paths
from casegraph.drafting.extract import Candidate, extract, fold

KINDS = ("organisation", "brand", "award", "figure")


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
    """Curated items by kind: node → its folded labels (or values, for figures)."""
    dataset = Dataset(default_union=True)
    dataset.parse(case_file, format="trig")
    for ontology_file in paths.ontology_files():
        dataset.graph(URIRef("urn:casegraph:ontology")).parse(ontology_file, format="turtle")
    items: dict[str, dict[URIRef, set[str]]] = {kind: {} for kind in KINDS}
    query = (paths.QUERIES_DIR / "draft_eval_curated_items.rq").read_text(encoding="utf-8")
    for row in dataset.query(query):
        kind, node, text = str(row.kind), row.item, str(row.text)
        normalised = _value_key(text) if kind == "figure" else fold(text)
        if normalised:
            items[kind].setdefault(node, set()).add(normalised)
    return items


def score_case(case_dir: Path) -> list[Score]:
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
    if kind != "figure":
        return {fold(candidate.label)}
    values = [candidate.details.get(k) for k in ("value", "before", "after")]
    return {key for v in values if v and (key := _value_key(v))}


def _matches(kind: str, keys: set[str], labels: set[str]) -> bool:
    if kind == "figure":
        return bool(keys & labels)
    for key in keys:
        for label in labels:
            if key == label:
                return True
            shorter = min(len(key), len(label))
            if shorter >= 4 and (key in label or label in key):
                return True
    return False


def _value_key(text: str) -> str:
    try:
        return str(Decimal(text).normalize())
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
