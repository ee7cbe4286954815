"""Guarded writes: nothing reaches the store unless the graphs it produces conform.

Every write — a SPARQL update, a Graph Store PUT/DELETE, ``casegraph load`` —
goes preview → validate the changed case graphs with the SHACL shapes and
check every quote against the case's source text (``shacl.provenance``) →
commit all of them atomically.  When a changed graph does not conform,
``WriteRejected`` (HTTP 422) carries the report and the store is untouched.

One lock serialises writers: the preview of an update must still describe
the store when it is committed, so no other write may slip in between.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from pathlib import Path

from rdflib import Graph
from rdflib.term import URIRef

from casegraph.config import CANONICAL_BASE_IRI, Settings
from casegraph.errors import ProtectedGraph, WriteRejected
from casegraph.shacl.provenance import check_quotes
from casegraph.shacl.report import ValidationReport
from casegraph.store.base import Store

Validator = Callable[..., ValidationReport]


class GuardedWriter:
    """The single writer of a store: validates each change, then commits it atomically."""

    def __init__(
        self,
        store: Store,
        settings: Settings | None = None,
        validator: Validator | None = None,
    ):
        if validator is None:
            from casegraph.shacl.validation import validate_graph as validator
        self.store = store
        self.base_iri = settings.base_iri if settings else CANONICAL_BASE_IRI
        self._validate = validator
        self._ontology_graph = URIRef(self.base_iri + "graph/ontology")
        self._lock = threading.Lock()

    def replace_graphs(self, changes: Mapping[URIRef, Graph | None]) -> None:
        """Replace (``None``: drop) whole graphs once every new case graph conforms."""
        with self._lock:
            self._check(changes)
            self.store.replace_graphs(changes)

    def apply_update(self, sparql_update: str, *, timeout: float | None = None) -> list[URIRef]:
        """Run a SPARQL update under the shapes; return the graphs it changed."""
        with self._lock:
            changes = self.store.update_preview(sparql_update, timeout=timeout)
            self._check(changes)
            if changes:
                self.store.replace_graphs(changes)
            return sorted(changes)

    def report(self, changes: Mapping[URIRef, Graph | None]) -> ValidationReport:
        """What the check of a write of ``changes`` finds, without writing anything.

        The same shapes and quote check a write passes, so a curator sees before
        publishing exactly what the write would refuse.
        """
        report = ValidationReport()
        for iri, graph in sorted(changes.items()):
            if graph is None:
                continue
            report.extend(self._validate(graph, graph=iri, base_iri=self.base_iri))
            report.results.extend(check_quotes(graph, iri))
        return report

    def _check(self, changes: Mapping[URIRef, Graph | None]) -> None:
        """Refuse changes to the ontology graph; validate the changed case graphs.

        The shapes check case data against the ontology in ``ontology/*.ttl``, which
        the store's ontology graph is loaded from: letting a write change that graph
        (a ``DROP ALL`` included) would make what is served disagree with what is checked.
        """
        if self._ontology_graph in changes:
            raise ProtectedGraph(
                f"this write would change the ontology graph <{self._ontology_graph}>, which "
                "casegraph loads from the bundled ontology files (ontology/*.ttl) and which "
                "writes may not change; nothing was changed. Name the case graphs to drop or clear "
                "(DROP GRAPH <…>) instead of ALL or NAMED")
        report = self.report(changes)
        if not report.conforms:
            raise WriteRejected(report)


def load_files(
    writer: GuardedWriter, files: list[Path], graph: URIRef | None = None
) -> list[URIRef]:
    """Parse every file, validate every case graph, then replace them all in one commit.

    Graphs named in several files are merged.  Nothing is stored unless every
    file parses and every case graph conforms (``WriteRejected`` otherwise).
    """
    from casegraph.rdf.graphs import media_type_for, parse_named_graphs

    graphs: dict[URIRef, Graph] = {}
    for path in files:
        for iri, parsed in parse_named_graphs(path, media_type_for(path), graph=graph).items():
            if iri in graphs:
                graphs[iri] += parsed
            else:
                graphs[iri] = parsed
    writer.replace_graphs(graphs)
    return sorted(graphs)
