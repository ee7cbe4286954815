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

from benchmarks.answers import Answer
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
    """Latencies of repeated requests, or why there are none (timeout, error).

    ``rows``, ``digest`` and ``truncated`` describe the first answer of the series
    (see ``benchmarks.answers``), so that a ratio can be checked to compare equal answers.
    """

    samples: list[float]
    failure: str | None = None
    rows: int | None = None
    digest: str | None = None
    truncated: bool = False

    def p(self, fraction: float) -> float | None:
        if not self.samples:
            return None
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]

    def summary(self) -> dict:
        return {
            # The first request alone: pages are kept until a write, so for them the
            # first is the render and the p50 the kept page.
            "first_ms": _ms(self.samples[0]) if self.samples else None,
            "p50_ms": _ms(self.p(0.5)),
            "p95_ms": _ms(self.p(0.95)),
            "mean_ms": _ms(statistics.fmean(self.samples)) if self.samples else None,
            "n": len(self.samples),
            "failure": self.failure,
            "rows": self.rows,
            "digest": self.digest,
            "truncated": self.truncated,
        }


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 2)


def repeat(call: Callable[[], Answer | int | None], times: int, budget: float,
           clock) -> Latency:
    """Call ``times`` times (at least once, fewer once ``budget`` seconds are spent).

    ``call`` returns an ``Answer`` (or a size, or None) and raises
    ``TimeoutError`` or another exception to stop the series; the failure is
    recorded, not raised.  The first answer's digest is computed after its
    clock stopped and outside the budget: hashing 150,000 rows is not the
    engine's time.
    """
    samples: list[float] = []
    latency = Latency(samples)
    started = clock()
    for _ in range(times):
        t0 = clock()
        try:
            answer = call()
        except TimeoutError as error:
            latency.failure = f"timeout ({error})"
            return latency
        except Exception as error:  # noqa: BLE001 - a failed backend is a result, not a crash
            latency.failure = f"{type(error).__name__}: {error}"[:200]
            return latency
        samples.append(clock() - t0)
        if isinstance(answer, Answer):
            if latency.digest is None:
                hashing = clock()
                latency.rows, latency.digest = answer.count, answer.digest()
                started += clock() - hashing
            latency.truncated = latency.truncated or answer.truncated
        else:
            latency.rows = answer
        if clock() - started > budget:
            break
    return latency


def question_series(runs: list[QuestionRun], call: Callable[[str], Answer | int | None],
                    times: int, budget: float, total_budget: float, clock) -> dict[str, dict]:
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
