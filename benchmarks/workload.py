"""What the benchmark asks, identical for every backend: questions, pages, search, export.

The curated questions run with their declared defaults, except where a default
names a curated entity that the synthetic corpus does not contain: there the
parameter points at a shared synthetic node (group 0, its brand), so that the
cross-case questions walk hundreds of cases instead of answering nothing.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass

from casegraph.sparql.catalogue import load_catalogue

SYNTHETIC = "id:synthetic/"

#: Parameters that replace curated-entity defaults with shared synthetic nodes.
SYNTHETIC_PARAMETERS: dict[str, dict[str, str]] = {
    "brands-derived-from": {"root": SYNTHETIC + "brand/group-0"},
    "brands-of-group": {"group": SYNTHETIC + "org/group-0"},
    "organisations-under-group": {"group": SYNTHETIC + "org/group-0"},
    "passages-about": {"entity": SYNTHETIC + "org/group-0"},
    "figures-of-organisation": {"organisation": SYNTHETIC + "org/company-0-party-branch"},
    "awards-by-issuer-and-year": {"issuer": SYNTHETIC + "org/issuer-0"},
}

#: The targets' "cross-case questions": shared practice kinds, shared issuers, sibling companies.
TARGET_CROSS_CASE = ("shared-practice-kinds", "issuers-and-levels", "organisations-under-group")

#: Entity pages: a group with a backlink from every company under it, and one company.
ENTITY_PAGES = ("/id/synthetic/org/group-0", "/id/synthetic/org/company-0")
SEARCH_REQUESTS = ("/search.json?q=公司12党支部", "/search.json?q=synthetic+brand")
EXPORT_REQUEST = "/export/dataset.nq"


@dataclass(frozen=True)
class QuestionRun:
    """One curated question as the benchmark runs it: the same SPARQL everywhere."""

    id: str
    args: dict[str, str]
    sparql: str
    cross_case: bool

    @property
    def api_path(self) -> str:
        from urllib.parse import urlencode

        query = urlencode(self.args)
        return f"/api/questions/{self.id}.json" + (f"?{query}" if query else "")


def question_runs() -> list[QuestionRun]:
    """Every curated question, parameters bound, in catalogue order."""
    runs = []
    for question in load_catalogue().values():
        args = SYNTHETIC_PARAMETERS.get(question.id, {})
        bindings = question.bindings(args)
        runs.append(QuestionRun(question.id, args, question.query_text(bindings),
                                question.cross_case))
    return runs


@dataclass
class Latency:
    """Latencies of repeated requests, or why there are none (timeout, error)."""

    samples: list[float]
    failure: str | None = None
    rows: int | None = None

    def p(self, fraction: float) -> float | None:
        if not self.samples:
            return None
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]

    def summary(self) -> dict:
        return {
            "p50_ms": _ms(self.p(0.5)),
            "p95_ms": _ms(self.p(0.95)),
            "mean_ms": _ms(statistics.fmean(self.samples)) if self.samples else None,
            "n": len(self.samples),
            "failure": self.failure,
            "rows": self.rows,
        }


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 2)


def repeat(call: Callable[[], int | None], times: int, budget: float, clock) -> Latency:
    """Call ``times`` times (at least once, fewer once ``budget`` seconds are spent).

    ``call`` returns the row count (or None) and raises ``TimeoutError`` or
    another exception to stop the series; the failure is recorded, not raised.
    """
    samples: list[float] = []
    rows = None
    started = clock()
    for _ in range(times):
        t0 = clock()
        try:
            rows = call()
        except TimeoutError as error:
            return Latency(samples, f"timeout ({error})", rows)
        except Exception as error:  # noqa: BLE001 - a failed backend is a result, not a crash
            return Latency(samples, f"{type(error).__name__}: {error}"[:200], rows)
        samples.append(clock() - t0)
        if clock() - started > budget:
            break
    return Latency(samples, None, rows)


def question_series(runs: list[QuestionRun], call: Callable[[str], int | None], times: int,
                    budget: float, total_budget: float, clock) -> dict[str, dict]:
    """Latency of each question; once ``total_budget`` seconds are spent, the rest are skipped.

    This bounds a slow backend (rdflib at 10k cases) to a known cost instead
    of many consecutive timeouts.
    """
    results, started = {}, clock()
    for run in runs:
        if clock() - started > total_budget:
            results[run.id] = Latency([], f"skipped (question budget {total_budget:.0f} s spent)"
                                      ).summary()
            continue
        results[run.id] = repeat(lambda run=run: call(run.sparql), times, budget, clock).summary()
    return results
