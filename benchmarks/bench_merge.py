"""What keeping the default graph an RDF merge costs, measured on plain pyoxigraph stores.

Compares, on one RocksDB store loaded with a corpus (the bundled cases, or a
``generate.py`` N-Quads file):

* **writes**: an edit of one case graph (one label changed) with the update the
  store ran before (no merge), the pure SPARQL merge-maintaining update (remote
  backend) and the embedded writer's update by difference (``store.merge``), each
  followed by the flush a guarded write does;
* **queries**: every curated question (default parameters) and a few default-graph
  probes, over the engine's union view (``use_default_graph_as_union``: one solution
  per restatement, the old behaviour) and over the maintained merge (the store's
  default graph), plus the same probes written as a query rewrite would have to
  (every triple pattern a ``SELECT DISTINCT`` over ``GRAPH ?g``).

Usage: ``python benchmarks/bench_merge.py [--corpus benchmarks/out/corpus-2k.nq] --work DIR``
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from casegraph.config import CANONICAL_BASE_IRI, Settings
from casegraph.errors import ParameterError
from casegraph.rdf.graphs import parse_named_graphs, replace_graphs_update
from casegraph.sparql.catalogue import load_catalogue
from casegraph.store.merge import build_merge, replace_update

PROBES = {
    "count": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "labels-of-typed": (
        "SELECT ?x ?l WHERE { ?x a <https://w3id.org/casegraph/ns#Award> ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?l }"
    ),
}
REWRITTEN = {
    "count": "SELECT (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?s ?p ?o WHERE "
             "{ GRAPH ?g { ?s ?p ?o } } } }",
    "labels-of-typed": (
        "SELECT ?x ?l WHERE { "
        "{ SELECT DISTINCT ?x WHERE { GRAPH ?g1 { ?x a <https://w3id.org/casegraph/ns#Award> } } } "
        "{ SELECT DISTINCT ?x ?l WHERE { GRAPH ?g2 "
        "{ ?x <http://www.w3.org/2000/01/rdf-schema#label> ?l } } } }"
    ),
}


def timed(action, repeat: int) -> float:
    """Median milliseconds of ``action`` over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def load(db: ox.Store, corpus: Path | None) -> None:
    if corpus is not None:
        db.bulk_load(path=str(corpus), format=ox.RdfFormat.N_QUADS)
        return
    from casegraph.store.bootstrap import load_bundled

    class _Target:  # load_bundled's store interface, on the bare pyoxigraph store
        def bulk_load(self, data, media_type):
            db.bulk_load(input=data, format=ox.RdfFormat.N_QUADS)

    load_bundled(_Target(), Settings())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="N-Quads (default: the bundled cases)")
    parser.add_argument("--work", type=Path, required=True, help="scratch directory (emptied)")
    parser.add_argument("--writes", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--probes-only", action="store_true",
                        help="skip the curated questions (over the union view some take minutes)")
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    db = ox.Store(str(args.work))
    load(db, args.corpus)
    quads = len(db)
    started = time.perf_counter()
    build_merge(db)
    build_ms = (time.perf_counter() - started) * 1000
    merged = sum(1 for _ in db.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    print(f"quads in named graphs: {quads}; distinct triples in the merge: {merged}; "
          f"merge built in {build_ms:.0f} ms")

    cases = sorted(g.value for g in db.named_graphs() if "/graph/case/" in g.value)
    rng = random.Random(7)
    updates = {
        "no merge (before)": lambda graphs: replace_graphs_update(graphs, merge=False),
        "merge, pure SPARQL (remote)": lambda graphs: replace_graphs_update(graphs),
        "merge, by difference (embedded)": lambda graphs: replace_update(db, graphs),
    }
    for name, make in updates.items():
        times, updated_ms, cpu_ms = [], [], []
        for iri in rng.sample(cases, min(args.writes, len(cases))):
            data = ox.serialize(
                (q.triple for q in db.quads_for_pattern(None, None, None, ox.NamedNode(iri))),
                format=ox.RdfFormat.N_TRIPLES,
            )
            graphs = parse_named_graphs(data, "application/n-triples", graph=URIRef(iri))
            edited = graphs[URIRef(iri)]  # a typical guarded write: one label changed
            subject, predicate, label = next(iter(edited.triples((None, RDFS.label, None))))
            edited.remove((subject, predicate, label))
            edited.add((subject, predicate, Literal(f"{label} (edited)", lang=label.language)))
            started, cpu_started = time.perf_counter(), time.process_time()
            db.update(make(graphs))
            updated = time.perf_counter()
            cpu_ms.append((time.process_time() - cpu_started) * 1000)
            db.flush()
            times.append((time.perf_counter() - started) * 1000)
            updated_ms.append((updated - started) * 1000)
        if make is updates["no merge (before)"]:  # it left the merge behind: rebuild it
            db.clear_graph(ox.DefaultGraph())
            build_merge(db)
        print(f"edit one case graph, {name}: update p50 {statistics.median(updated_ms):.1f} ms "
              f"(CPU {statistics.median(cpu_ms):.1f} ms); with the flush p50 "
              f"{statistics.median(times):.1f} ms")
    named = {q.triple for q in db.quads_for_pattern(None, None, None, None)
             if not isinstance(q.graph_name, ox.DefaultGraph)}
    print("merge still exact:", named == {
        q.triple for q in db.quads_for_pattern(None, None, None, ox.DefaultGraph())})

    queries = dict(PROBES)
    for question in () if args.probes_only else load_catalogue().values():
        try:
            queries[question.id] = question.query_text(
                question.bindings({}, CANONICAL_BASE_IRI), CANONICAL_BASE_IRI)
        except ParameterError:
            continue
    print(f"{'query':34} {'union ms':>9} {'rows':>7} {'merge ms':>9} {'rows':>7} "
          f"{'rewrite ms':>10}")
    for name, text in queries.items():
        union_rows = len(list(db.query(text, use_default_graph_as_union=True)))
        merge_rows = len(list(db.query(text)))
        union_ms = timed(lambda t=text: list(db.query(t, use_default_graph_as_union=True)),
                         args.repeat)
        merge_ms = timed(lambda t=text: list(db.query(t)), args.repeat)
        rewrite = REWRITTEN.get(name)
        rewrite_ms = (f"{timed(lambda t=rewrite: list(db.query(t)), args.repeat):10.1f}"
                      if rewrite else f"{'':10}")
        print(f"{name:34} {union_ms:9.1f} {union_rows:7} {merge_ms:9.1f} {merge_rows:7} "
              f"{rewrite_ms}")


if __name__ == "__main__":
    main()
