"""Search latency at a million triples: build the index from a real store, time queries.

The synthetic label set is 250,000 entities, each with a type and an rdfs:label in
zh-Hans, zh-Hant (OpenCC s2t of the simplified one) and en: 1,000,000 triples in 100
named graphs.  Queries are drawn from the labels themselves: Chinese substrings of two to
six characters (half asked in traditional characters), single characters, English words
and English prefixes.  Prints p50/p95/max latency of ``SearchIndex.search`` and the build
time.  Usage: ``python benchmarks/bench_search.py [--entities 250000] [--queries 2000]``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

import opencc

from casegraph.search.index import SearchIndex
from casegraph.store.oxigraph import OxigraphStore

BASE = "https://w3id.org/casegraph/id/"
CLASSES = [
    "https://w3id.org/casegraph/ns#Company",
    "https://w3id.org/casegraph/ns#Practice",
    "https://w3id.org/casegraph/ns#Award",
    "https://w3id.org/casegraph/ns#Passage",
]
SUFFIXES = [
    "集团",
    "有限公司",
    "分公司",
    "党支部",
    "车间",
    "班组",
    "热电厂",
    "供热站",
    "品牌",
    "先锋岗",
    "示范岗",
    "创新工作室",
    "劳动竞赛",
    "青年文明号",
    "服务队",
]
ENGLISH = [
    "power",
    "heat",
    "water",
    "grid",
    "group",
    "company",
    "branch",
    "party",
    "team",
    "workshop",
    "youth",
    "pioneer",
    "innovation",
    "service",
    "station",
    "brand",
    "civilisation",
    "post",
    "model",
    "safety",
    "energy",
    "thermal",
    "plant",
    "district",
    "east",
    "west",
    "north",
    "south",
    "river",
    "mountain",
    "city",
    "county",
    "bridge",
    "road",
]


def synthetic_nquads(entities: int, rng: random.Random) -> tuple[bytes, list[tuple[str, str]]]:
    s2t = opencc.OpenCC("s2t")
    # Two-character "words" over the common CJK range, like place and company names.
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    words = ["".join(rng.choices(chars, k=2)) for _ in range(20000)]
    lines, labels = [], []
    for n in range(entities):
        zh = "".join(rng.choices(words, k=rng.randint(1, 3))) + rng.choice(SUFFIXES)
        en = " ".join(rng.choices(ENGLISH, k=rng.randint(2, 5))) + f" {n}"
        subject, graph = f"<{BASE}org/e{n}>", f"<{BASE}graph/case/c{n % 100}>"
        label = "<http://www.w3.org/2000/01/rdf-schema#label>"
        lines.append(
            f"{subject} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
            f"<{rng.choice(CLASSES)}> {graph} ."
        )
        lines.append(f'{subject} {label} "{zh}"@zh-Hans {graph} .')
        lines.append(f'{subject} {label} "{s2t.convert(zh)}"@zh-Hant {graph} .')
        lines.append(f'{subject} {label} "{en}"@en {graph} .')
        labels.append((zh, en))
    return ("\n".join(lines) + "\n").encode(), labels


def sample_queries(labels, count: int, rng: random.Random) -> list[str]:
    s2t = opencc.OpenCC("s2t")
    queries = []
    for _ in range(count):
        zh, en = rng.choice(labels)
        kind = rng.random()
        if kind < 0.5:
            start = rng.randrange(max(1, len(zh) - 1))
            text = zh[start : start + rng.randint(2, 6)]
            queries.append(s2t.convert(text) if rng.random() < 0.5 else text)
        elif kind < 0.6:
            queries.append(rng.choice(zh))
        elif kind < 0.85:
            queries.append(" ".join(en.split()[:2]))
        else:
            queries.append(rng.choice(en.split())[:3])
    return queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=250_000)
    parser.add_argument("--queries", type=int, default=2000)
    args = parser.parse_args()
    rng = random.Random(20240601)
    nquads, labels = synthetic_nquads(args.entities, rng)
    with tempfile.TemporaryDirectory() as tmp:
        store = OxigraphStore(Path(tmp), query_workers=1, query_timeout=600)
        try:
            store.bulk_load(nquads, "application/n-quads")
            triples = store.triple_count()
            started = time.perf_counter()
            index = SearchIndex()
            index.rebuild(store)
            build = time.perf_counter() - started
        finally:
            store.close()
    timings = []
    for query in sample_queries(labels, args.queries, rng):
        started = time.perf_counter()
        index.search(query, limit=50)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    print(f"triples={triples} documents={len(index)} build_s={build:.1f}")
    print(
        f"queries={len(timings)} p50_ms={statistics.median(timings):.2f} "
        f"p95_ms={timings[int(len(timings) * 0.95)]:.2f} max_ms={timings[-1]:.2f}"
    )


if __name__ == "__main__":
    main()
