"""First start: load the bundled ontology and curated cases into an empty store.

The ontology modules and SKOS schemes go into ``<base>graph/ontology``; each
``data/cases/*/case.trig`` brings its own named graph.  The files mint IRIs
under the canonical base; a deployment serving another ``base_iri`` gets them
rewritten (IRIs only, never literal text).  Everything is parsed and rebased
by pyoxigraph and handed to the store's bulk loader in one N-Quads batch.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib.term import URIRef

from casegraph import paths
from casegraph.config import CANONICAL_BASE_IRI, Settings
from casegraph.errors import QuerySyntaxError
from casegraph.store.base import Store


def ontology_graph_iri(settings: Settings) -> URIRef:
    return URIRef(settings.base_iri + "graph/ontology")


def load_bundled(store: Store, settings: Settings) -> int:
    """Load the bundled ontology and cases; return the number of quads loaded."""
    ontology = ox.NamedNode(str(ontology_graph_iri(settings)))
    sources = [(path, ontology) for path in paths.ontology_files()]
    sources += [(path, None) for path in paths.case_files()]
    quads: list[ox.Quad] = []
    for path, graph in sources:
        quads.extend(rebased_quads(path, settings.base_iri, graph))
    if quads:
        store.bulk_load(ox.serialize(quads, format=ox.RdfFormat.N_QUADS), "application/n-quads")
    return len(quads)


def rebased_quads(path: Path, base_iri: str, graph: ox.NamedNode | None) -> list[ox.Quad]:
    """The quads of one file, triples put into ``graph``, canonical IRIs moved to ``base_iri``."""
    try:
        parsed = list(ox.parse(path=str(path)))
    except SyntaxError as error:
        raise QuerySyntaxError(f"{path}: {error}") from error
    rebase = base_iri != CANONICAL_BASE_IRI
    quads = []
    for quad in parsed:
        graph_name = quad.graph_name
        if isinstance(graph_name, ox.DefaultGraph):
            if graph is None:
                raise QuerySyntaxError(
                    f"{path}: triple outside any named graph: {quad.triple}; "
                    "case files keep every fact in their case graph"
                )
            graph_name = graph
        terms = (quad.subject, quad.predicate, quad.object, graph_name)
        if rebase:
            terms = tuple(_rebased(term, base_iri) for term in terms)
        quads.append(ox.Quad(*terms))
    return quads


def _rebased(term, base_iri: str):
    if isinstance(term, ox.NamedNode) and term.value.startswith(CANONICAL_BASE_IRI):
        return ox.NamedNode(base_iri + term.value[len(CANONICAL_BASE_IRI) :])
    return term
