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
  for effects);
* people and places: equal labels after folding;
* practices: a drafted practice whose passage overlaps the curated practice's
  passage and proposes the same practice kind ("practice kind" row);
* people with a role: a drafted person matching a curated person that holds a
  role, the draft naming a role too;
* linking: the curated entities of the case that the graph already held
  *before* the case (named in another case graph or in the ontology's
  schemes) — recall is the share the draft linked to that very IRI, precision
  the share of the draft's links that point at an IRI the case uses.

Each case is drafted against an index of the graph *without* its own graph,
so linking is measured as a curator adding that case would meet it.

Recall is the share of curated items matched by some candidate; precision the
share of candidates that match some curated item.

Only the cases in data/draft-eval-tuned.txt were looked at while rules were
tuned; every other case is held out of every rule and keyword tuned since the linker
was written (people, places, projects, linking thresholds, practice-kind
altLabels): their rows are reported apart as the honest figures.  The older
organisation, award and figure rules were written while all curated cases were
visible, so for those kinds the held-out figures are optimistic.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import Dataset, URIRef

from casegraph import paths
from casegraph.config import CANONICAL_BASE_IRI
from casegraph.drafting.candidates import Candidate, fold
from casegraph.drafting.draft_graph import Draft, draft_case
from casegraph.drafting.linking import LinkIndex
from casegraph.drafting.organisations import ORGANISATION_SUFFIXES

KINDS = ("organisation", "brand", "award", "figure")
#: Rows after the label kinds: see the module docstring.
EXTRA_KINDS = ("person", "place", "people with role", "practice kind", "linking")
ROWS = KINDS + EXTRA_KINDS
#: The cases rules were tuned on (data/draft-eval-tuned.txt); every other case is held out.
TUNED_LIST = paths.DATA_DIR / "draft-eval-tuned.txt"


def tuned_cases() -> frozenset[str]:
    """The slugs in TUNED_LIST: a case added later is held out until it is listed."""
    lines = TUNED_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


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


def score_case(case_dir: Path, timings: dict[str, float] | None = None) -> list[Score]:
    """Scores of the draft of one case folder (``source.txt`` against ``case.trig``).

    ``timings``, when given, receives the seconds drafting took (the index
    build, done once per service or command, not included).
    """
    slug = case_dir.name
    text = (case_dir / "source.txt").read_text(encoding="utf-8")
    index = LinkIndex.from_data(exclude_graph=f"{CANONICAL_BASE_IRI}graph/case/{slug}")
    started = time.perf_counter()
    draft = draft_case(text, slug, index)
    if timings is not None:
        timings[slug] = time.perf_counter() - started
    candidates = draft.candidates
    curated = curated_items(case_dir / "case.trig")
    scores = [
        _score(kind, curated[kind], [c for c in candidates if c.kind == kind]) for kind in KINDS
    ]
    extra = _extra_items(case_dir / "case.trig")
    for kind in ("person", "place"):
        labels = {node: {fold(text) for text, *_ in rows} for node, rows in extra[kind].items()}
        scores.append(_score("brand", labels, [c for c in candidates if c.kind == kind]))
        scores[-1].kind = kind
    scores.append(_people_with_role(extra["person"], candidates))
    scores.append(_practice_kinds(extra["practice"], draft))
    scores.append(_linking(case_dir / "case.trig", curated, extra, index, draft))
    return scores


def _extra_items(case_file: Path) -> dict[str, dict[URIRef, list[tuple[str, ...]]]]:
    dataset = Dataset(default_union=True)
    dataset.parse(case_file, format="trig")
    query = (paths.QUERIES_DIR / "draft_eval_curated_extra.rq").read_text(encoding="utf-8")
    items: dict[str, dict[URIRef, list[tuple[str, ...]]]] = {
        "person": {},
        "place": {},
        "practice": {},
    }
    for row in dataset.query(query):
        values = tuple(
            "" if value is None else str(value)
            for value in (row.text, row.role, row.concept, row.start, row.end)
        )
        items[str(row.kind)].setdefault(row.item, []).append(values)
    return items


def _people_with_role(
    people: dict[URIRef, list[tuple[str, ...]]], candidates: list[Candidate]
) -> Score:
    with_role = {
        node: {fold(text) for text, role, *_ in rows}
        for node, rows in people.items()
        if any(role for _, role, *_ in rows)
    }
    drafted = [c for c in candidates if c.kind == "person" and c.details.get("role")]
    score = _score("brand", with_role, drafted)
    score.kind = "people with role"
    return score


def _practice_kinds(practices: dict[URIRef, list[tuple[str, ...]]], draft: Draft) -> Score:
    curated = [
        (concept, int(start), int(end))
        for rows in practices.values()
        for _, _, concept, start, end in rows[:1]
        if concept
    ]
    drafted = [
        (draft.kinds[id(c)], c.passage.start, c.passage.end)
        for c in draft.candidates
        if c.kind == "practice" and id(c) in draft.kinds
    ]

    def same(a: tuple[str, int, int], b: tuple[str, int, int]) -> bool:
        return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]

    return Score(
        "practice kind",
        len(curated),
        sum(1 for item in curated if any(same(item, d) for d in drafted)),
        len(drafted),
        sum(1 for d in drafted if any(same(item, d) for item in curated)),
    )


def _linking(
    case_file: Path,
    curated: dict[str, dict[URIRef, set[str]]],
    extra: dict[str, dict[URIRef, list[tuple[str, ...]]]],
    index: LinkIndex,
    draft: Draft,
) -> Score:
    """Entities the graph already held: linked to their IRI (recall); links that are right."""
    nodes = {str(node) for kind in ("organisation", "brand", "award") for node in curated[kind]}
    nodes |= {str(node) for kind in ("person", "place") for node in extra[kind]}
    existing = nodes & set(index.entities)
    linked = set(draft.links.values())
    case_graph = Dataset(default_union=True)
    case_graph.parse(case_file, format="trig")
    used = {str(term) for triple in case_graph for term in triple[:3] if isinstance(term, URIRef)}
    return Score(
        "linking",
        len(existing),
        len(existing & linked),
        len(linked),
        len(linked & used),
    )


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
    """A Markdown table: one row per case and kind, then totals for tuned and held-out cases."""
    lines = [
        "| case | kind | curated | recall | candidates | precision |",
        "|---|---|---|---|---|---|",
    ]
    totals = {
        group: {kind: Score(kind, 0, 0, 0, 0) for kind in ROWS} for group in ("tuned", "held-out")
    }
    tuned = tuned_cases()
    for case, scores in results.items():
        group = "tuned" if case in tuned else "held-out"
        for s in scores:
            lines.append(_row(case + (" (held out)" if group == "held-out" else ""), s))
            total = totals[group][s.kind]
            total.curated += s.curated
            total.matched_curated += s.matched_curated
            total.candidates += s.candidates
            total.matched_candidates += s.matched_candidates
    for group, by_kind in totals.items():
        for s in by_kind.values():
            lines.append(_row(f"**all {group}**", s))
    return "\n".join(lines)


def _row(case: str, s: Score) -> str:
    return (
        f"| {case} | {s.kind} | {s.curated} | {_percent(s.recall)} | {s.candidates} "
        f"| {_percent(s.precision)} |"
    )


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{share:.0%}"
