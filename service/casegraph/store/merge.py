"""The default graph is the RDF merge of the named graphs: each distinct triple once.

Every case graph restates the shared entities it uses (a group, its labels, the
places, the award titles), so one triple stands in several named graphs.
SPARQL 1.1 defines the default graph as an RDF graph, a set of triples: a
pattern over it matches each triple once, while ``GRAPH ?g`` sees every
restatement (that is where provenance lives).

Oxigraph's union view (``use_default_graph_as_union``, ``oxigraph serve
--union-default-graph``) and a list of default graphs (``FROM <a> FROM <b>``,
``default-graph-uri``) both yield one solution per named graph holding the
triple; no engine option removes the duplicates.  So the Oxigraph backends
keep the merge as the store's own default graph, written in the same update
request (one transaction) as every case-graph change (``formats.
replace_graphs_update``), and query that default graph.  Updates never read or
write it: ``update_scope`` refuses both, so it stays exactly the merge.

Chosen by measurement (``benchmarks/bench_merge.py``; 2 cores shared with other
work, medians, so wall times are noisy):

* per write (an edit of one label in one case graph; the update, then the flush a
  guarded write does, ~100-150 ms, dominates): without a merge 32.7 ms at 13 cases,
  9.1 ms at 2k; keeping the merge by the difference (``replace_update``, embedded)
  30.6 ms / 12.5 ms; the pure SPARQL form the remote backend sends (retract the old
  graphs' triples no other graph states, copy the new ones) 58.5 ms / 29.0 ms, and
  at 10k 12.0 -> 58.6 ms for a whole-graph replacement;
* queries: over the merge every curated question was as fast or faster than over
  the union view, besides answering once per triple.  13 cases:
  practices-of-award-winners 907 -> 8.6 ms, case-documents 600 -> 23 rows; 10k:
  ``COUNT(*)`` 3,713 -> 1,572 ms, labels of every award 117.6 s and 11,186,559 rows
  -> 38.9 ms and 180 rows, figures-across-companies 27.5 -> 10.0 s.  A query
  rewrite (every triple pattern a ``SELECT DISTINCT`` over ``GRAPH ?g``) took
  14,056 ms for that count at 10k and defeats join ordering; no engine option
  deduplicates (pyoxigraph 0.5's union view and default-graph lists both repeat);
* storage: the distinct triples once more (10k: 1,868,043 quads, 1,660,111 merge
  triples); building the merge for an existing store: 13 s at 2k (bulk, once).

The in-memory backend needs none of this: rdflib's union default graph is
already a set of triples.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import URIRef

from casegraph.rdf.graphs import graph_to_ntriples

_DEFAULT = ox.DefaultGraph()


def replace_update(db: ox.Store, graphs: Mapping[URIRef, Graph | None]) -> str:
    """The update replacing ``graphs`` and changing the merge by exactly their difference.

    Run under the writer's lock (the difference is read from ``db`` first).  A triple
    the new graphs state and the old ones did goes into the merge (in the same
    ``INSERT DATA`` as the graphs, so a blank node is one node in both); one the old
    graphs stated and the new ones do not leaves it unless a graph outside
    ``graphs`` states it.  An edit of a few triples changes a few merge triples.
    """
    names = [ox.NamedNode(str(iri)) for iri in graphs]
    old = {q.triple for name in names for q in db.quads_for_pattern(None, None, None, name)}
    texts = {iri: graph_to_ntriples(g) for iri, g in graphs.items() if g is not None and len(g)}
    new = {q.triple for text in texts.values()  # the parser yields quads of the default graph
           for q in ox.parse(input=text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)}
    gone = old - new
    listed = ", ".join(map(str, names))
    elsewhere = (f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} "
                 f"FILTER(?other NOT IN ({listed})) }}")
    operations = []
    plain = [t for t in gone if not _has_blank(t)]
    if plain:
        rows = "\n".join(f"({t.subject} {t.predicate} {t.object})" for t in plain)
        operations.append(f"DELETE {{ ?s ?p ?o }} WHERE {{ VALUES (?s ?p ?o) {{\n{rows}\n}} "
                          f"{elsewhere} }}")
    if len(plain) < len(gone):  # blank nodes cannot be written in a VALUES or DELETE DATA
        operations.append(
            f"DELETE {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {' '.join(map(str, names))} }} "
            f"GRAPH ?g {{ ?s ?p ?o }} FILTER(isBlank(?s) || isBlank(?o)) {elsewhere} }}")
    operations += [f"DROP SILENT GRAPH <{iri}>" for iri in graphs]
    added = "".join(f"{t} .\n" for t in new - old)
    blocks = [f"GRAPH <{iri}> {{\n{text}}}" for iri, text in texts.items()]
    if blocks:
        operations.append("INSERT DATA {\n" + "\n".join(blocks) + "\n" + added + "}")
    return " ;\n".join(operations)


def _has_blank(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


def build_merge(db: ox.Store) -> None:
    """Fill the store's default graph with the merge of its named graphs (bulk, not atomic).

    For a store filled by the bulk loader, or one written before the default graph
    held the merge; the default graph is only ever added to, so re-running is harmless.
    """
    db.bulk_extend(_as_default(db.quads_for_pattern(None, None, None, None)))


def needs_merge(db: ox.Store) -> bool:
    """Whether the store has named graphs but an empty default graph (no merge yet)."""
    has_default = next(iter(db.quads_for_pattern(None, None, None, _DEFAULT)), None) is not None
    return not has_default and next(iter(db.named_graphs()), None) is not None


def merged_triples(db: ox.Store):
    """The merge's triples, as quads of the default graph (what ``COUNT(*)`` counts)."""
    return db.quads_for_pattern(None, None, None, _DEFAULT)


def merged_store(db: ox.Store, default_graphs: list[str], named_graphs: list[str] | None
                 ) -> ox.Store:
    """An in-memory store whose default graph is the merge of ``default_graphs`` of ``db``.

    For a query whose dataset names several default graphs (``FROM <a> FROM <b>``,
    ``default-graph-uri``), which the engine would read as one solution per graph;
    the named graphs (``None``: every one) are copied beside it for ``GRAPH``.  The
    cost is a copy of the graphs named, paid by that query only.
    """
    scratch = ox.Store()
    scratch.extend(_as_default(
        quad for iri in dict.fromkeys(default_graphs)
        for quad in db.quads_for_pattern(None, None, None, ox.NamedNode(iri))
    ))
    if named_graphs is None:
        named: list = [g for g in db.named_graphs() if isinstance(g, ox.NamedNode)]
    else:
        named = [ox.NamedNode(iri) for iri in dict.fromkeys(named_graphs)]
    for graph in named:
        scratch.extend(db.quads_for_pattern(None, None, None, graph))
    return scratch


def _as_default(quads) -> Iterator[ox.Quad]:
    for quad in quads:
        yield ox.Quad(quad.subject, quad.predicate, quad.object, _DEFAULT)
