"""The shapes' ``sh:sparql`` constraints, run on pyoxigraph instead of rdflib's SPARQL engine.

Why: pyshacl re-parses each constraint and runs it once per focus node in
rdflib's pure-Python engine (~28% of a validation).  Here each query is parsed
with its prefixes once, and run ONCE per validated graph with ``$this``
pre-bound to each focus node (pyoxigraph's ``substitutions``, SEP-0007, the
pre-binding SHACL defines), against the case graph plus the ontology.

The data is the case graph plus the ontology, as pyshacl sees it: the ontology
sits in a named graph of a private in-memory store and each case graph is
loaded next to it under a name of its own, queried with both as the default graph;
the store is rebuilt every ``RENEW_AFTER`` graphs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Identifier


class Unsupported(Exception):
    """The shapes use a SHACL feature the compiled engine does not evaluate; use pyshacl.

    Defined here, the lowest module that raises it; the engine raises it too.
    """

_ONTOLOGY = ox.NamedNode("urn:x-casegraph:validation:ontology")
_CASE = ox.NamedNode("urn:x-casegraph:validation:case")
#: Pre-bound variables pyshacl supports besides $this; left to pyshacl.
_OTHER_PREBOUND = re.compile(r"\$(currentShape|shapesGraph|PATH|value)\b")


@dataclass(frozen=True)
class SparqlConstraint:
    """One ``sh:sparql`` SELECT of a shape, with its prefixes and pyshacl's message form."""

    shape: Identifier
    node: Identifier
    query: str
    #: pyshacl formats SPARQL messages and drops their language tags; so do we.
    messages: tuple[Literal, ...]

    @classmethod
    def from_shapes(cls, g: Graph, shape: Identifier, node: Identifier) -> SparqlConstraint:
        select = g.value(node, SH.select)
        if select is None or g.value(node, SH.ask) is not None:
            raise Unsupported(f"sh:sparql {node} of {shape} is not one SELECT")
        deactivated = g.value(node, SH.deactivated)
        if deactivated is not None and deactivated.toPython() is not False:
            raise Unsupported(f"deactivated sh:sparql {node}")
        text = str(select)
        if _OTHER_PREBOUND.search(text):
            raise Unsupported(f"the sh:sparql of {shape} uses a pre-bound variable besides $this")
        messages = tuple(Literal(str(m)) for m in g.objects(node, SH.message))
        if any("{" in m for m in messages):
            raise Unsupported(f"message template in the sh:sparql of {shape}")
        prefixes = "".join(
            f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(_declared_prefixes(g, node).items())
        )
        return cls(shape, node, prefixes + text, messages)


def _declared_prefixes(g: Graph, node: Identifier) -> dict[str, str]:
    found: dict[str, str] = {}
    for source in g.objects(node, SH.prefixes):
        for declaration in g.objects(source, SH.declare):
            found[str(g.value(declaration, SH.prefix))] = str(g.value(declaration, SH.namespace))
    return found


class SparqlRunner:
    """Runs SPARQL constraints over one case graph at a time, next to the ontology.

    Not thread-safe: the caller serialises runs (``casegraph.shacl.validation`` holds a lock).
    """

    #: Case graphs one store holds before it is rebuilt: each run leaves its graph in
    #: place (clearing a graph took longer than the run's queries), so this bounds the
    #: memory (~200 x 185 quads) and the versions pyoxigraph keeps.
    RENEW_AFTER = 200

    def __init__(self, ontology: Iterable[tuple]):
        #: Both ways between rdflib and pyoxigraph for the ontology's terms, converted once.
        self._known: dict = {}
        self._ontology = [
            ox.Quad(*(_to_ox(t, self._known) for t in triple), _ONTOLOGY) for triple in ontology
        ]
        self._renew()

    def _renew(self) -> None:
        self.store = ox.Store()
        self.store.bulk_extend(self._ontology)
        self._served = 0

    def run(
        self, constraints: Iterable[SparqlConstraint], triples: Iterable[tuple], focus: dict,
        ox_triples: list[ox.Triple] | None = None,
    ) -> list[tuple[SparqlConstraint, Identifier, Identifier | None, Identifier | None]]:
        """Rows ``(constraint, focus node, path, value)`` of each constraint for each focus node.

        ``focus`` maps a shape to its focus nodes (the case's and the ontology's).
        ``ox_triples``, when the caller parsed the data with pyoxigraph, are the same
        triples as ``triples`` and spare converting them back.
        """
        wanted = [c for c in constraints if focus.get(c.shape)]
        if not wanted:
            return []
        self._served += 1
        if self._served > self.RENEW_AFTER:
            self._renew()
            self._served = 1
        # Each run loads its graph under a name of its own and leaves it: clearing
        # costs more than the run's queries, and the store is renewed anyway.
        case = ox.NamedNode(f"{_CASE.value}:{self._served}")
        back: dict = {}
        known = self._known
        if ox_triples is None:
            quads = [
                ox.Quad(
                    known.get(s) or _to_ox(s, back),
                    known.get(p) or _to_ox(p, back),
                    known.get(o) or _to_ox(o, back),
                    case,
                )
                for s, p, o in triples
            ]
        else:
            quads = [ox.Quad(t.subject, t.predicate, t.object, case) for t in ox_triples]
        self.store.extend(quads)
        rows = []
        this_variable = ox.Variable("this")
        for constraint in wanted:
            for node in focus[constraint.shape]:
                bound = known.get(node) or (
                    ox.BlankNode(str(node)) if ox_triples is not None and isinstance(node, BNode)
                    else _to_ox(node, back))
                seen = set()
                for solution in self.store.query(
                    constraint.query,
                    default_graph=[case, _ONTOLOGY],
                    substitutions={this_variable: bound},
                ):
                    row = tuple(solution)  # pyshacl drops only rows equal in every variable
                    if row in seen:
                        continue
                    seen.add(row)
                    path, value = (
                        _from_ox(_bound(solution, name), back, known)
                        for name in ("path", "value")
                    )
                    rows.append((constraint, node, path, value))
        return rows


def _bound(solution: ox.QuerySolution, name: str):
    try:
        return solution[name]
    except KeyError:
        return None


def _to_ox(term: Identifier, back: dict):
    """The pyoxigraph term for an rdflib term; ``back`` remembers the original for the way back."""
    if isinstance(term, URIRef):
        converted = ox.NamedNode(str(term))
    elif isinstance(term, Literal):
        if term.language:
            converted = ox.Literal(str(term), language=term.language)
        elif term.datatype is not None and term.datatype not in (XSD.string, RDF.langString):
            converted = ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        else:
            converted = ox.Literal(str(term))
    elif isinstance(term, BNode):
        converted = back.get(term)
        if converted is None:
            converted = back[term] = ox.BlankNode()
    else:
        raise TypeError(f"cannot validate the RDF term {term!r}")
    back.setdefault(converted, term)
    return converted


def _from_ox(term, back: dict, known: dict) -> Identifier | None:
    if term is None:
        return None
    if term in back:
        return back[term]
    if term in known:
        return known[term]
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == str(XSD.string):
            return Literal(term.value)  # as rdflib reads a plain literal
        return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)
    return BNode(str(term.value))
