"""Validate case graphs with the compiled shapes, against the ontology indexed once.

pyshacl validates a case graph with the 2,049-triple ontology mixed in, so every
run also re-validates the ontology's own nodes (the 97 SKOS concepts, ...).
Here the ontology is indexed once and its nodes' core results are computed
once.  They are reused for a case graph that states nothing about an ontology
node (no case subject appears anywhere in the ontology): SHACL Core reads a
focus node only along triples whose subject it reaches from that node, so such
a case graph cannot change them.  A case graph that does state something about
an ontology node is validated together with the whole ontology, as pyshacl does.
SPARQL constraints may look anywhere, so they always run on case + ontology.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal
from rdflib.namespace import RDFS

from casegraph.shacl.engine import (
    CompiledShapes,
    DataView,
    RawResult,
    compile_shapes,
    evaluate,
    focus_nodes,
    index_triples,
    sparql_result,
)
from casegraph.shacl.sparql_constraints import SparqlRunner


class CompiledValidator:
    """The shapes and the ontology, prepared once per process (``Unsupported`` if not possible)."""

    def __init__(self, shapes: Graph, ontology: Graph):
        self.compiled: CompiledShapes = compile_shapes(shapes)
        ontology_triples = list(ontology)
        self.ontology = index_triples(ontology_triples)
        self.ontology_nodes = frozenset(
            term
            for triple in ontology_triples
            for term in (triple[0], triple[2])
            if not isinstance(term, Literal)
        )
        self._superclasses: dict = {}
        self.sparql = SparqlRunner(ontology_triples)
        view = DataView({}, self.ontology, self._superclasses)
        self.ontology_focus = focus_nodes(self.compiled, view, self.ontology)
        self.ontology_results = self._core_results(self.ontology_focus, view)

    def validate(self, triples: Iterable[tuple], ox_triples: list | None = None
                 ) -> list[RawResult]:
        """Every result pyshacl gives for these triples mixed with the ontology.

        ``ox_triples``: the same triples as pyoxigraph parsed them, if it did (see
        ``SparqlRunner.run``).
        """
        triples = list(triples)
        index = index_triples(triples)
        separate = self.ontology_nodes.isdisjoint(index)
        defines_classes = any(RDFS.subClassOf in predicates for predicates in index.values())
        view = DataView(
            index, self.ontology, None if defines_classes else self._superclasses
        )
        if separate and not defines_classes:
            focus = focus_nodes(self.compiled, view, index)
            results = [*self.ontology_results, *self._core_results(focus, view)]
            for shape_node, (shape, nodes) in self.ontology_focus.items():
                if shape.sparql:
                    own = focus.setdefault(shape_node, (shape, []))[1]
                    focus[shape_node] = (shape, [*own, *nodes])
        else:
            everything = {**dict.fromkeys(self.ontology), **dict.fromkeys(index)}
            focus = focus_nodes(self.compiled, view, everything)
            results = self._core_results(focus, view)
        wanted = {node: set(nodes) for node, (shape, nodes) in focus.items() if shape.sparql}
        shapes = {node: shape for node, (shape, _nodes) in focus.items()}
        for constraint, this, path, value in self.sparql.run(
            self.compiled.sparql, triples, wanted, ox_triples
        ):
            results.append(
                sparql_result(shapes[constraint.shape], this, path, value, constraint.messages)
            )
        return results

    @staticmethod
    def _core_results(focus: dict, view: DataView) -> list[RawResult]:
        out: list[RawResult] = []
        for shape, nodes in focus.values():
            for node in nodes:
                evaluate(shape, node, view, out)
        return out
