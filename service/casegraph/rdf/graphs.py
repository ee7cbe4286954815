"""RDF serialisations shared by the backends: media types, parsing, N-Triples text.

The backends exchange graphs as N-Triples/N-Quads text because both engines
(rdflib and pyoxigraph) read and write it quickly and losslessly, and because
N-Triples lines are also valid ``INSERT DATA`` content.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.term import URIRef

from casegraph.errors import QuerySyntaxError
from casegraph.rdf.terms import ntriples_term

#: media type -> (rdflib format name, holds named graphs)
RDF_MEDIA_TYPES: dict[str, tuple[str, bool]] = {
    "application/n-quads": ("nquads", True),
    "application/trig": ("trig", True),
    "text/turtle": ("turtle", False),
    "application/n-triples": ("nt", False),
    "application/ld+json": ("json-ld", True),
    "application/rdf+xml": ("xml", False),
}

#: file suffix -> media type, for the CLI.
SUFFIX_MEDIA_TYPES = {
    ".nq": "application/n-quads",
    ".trig": "application/trig",
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".jsonld": "application/ld+json",
    ".rdf": "application/rdf+xml",
}


def media_type_for(path: Path) -> str:
    """The media type of an RDF file, from its suffix; a clear error for unknown ones."""
    try:
        return SUFFIX_MEDIA_TYPES[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(SUFFIX_MEDIA_TYPES))
        raise ValueError(f"{path}: unknown RDF file suffix (known: {known})") from None


def rdflib_format(media_type: str) -> str:
    try:
        return RDF_MEDIA_TYPES[media_type][0]
    except KeyError:
        raise ValueError(f"unsupported RDF media type {media_type!r}") from None


def parse_named_graphs(
    source: Path | bytes, media_type: str, *, graph: URIRef | None = None
) -> dict[URIRef, Graph]:
    """Parse RDF into one rdflib Graph per named graph.

    Triples outside any named graph go into ``graph``; without it they are an
    error, because the default graph of the store is the union and holds nothing.
    """
    dataset = Dataset()
    data = source.read_bytes() if isinstance(source, Path) else source
    where = str(source) if isinstance(source, Path) else "input"
    try:
        dataset.parse(data=data, format=rdflib_format(media_type))
    except Exception as error:  # rdflib parsers raise many types; all mean bad input
        raise QuerySyntaxError(f"{where}: {error}") from error
    graphs: dict[URIRef, Graph] = {}
    for context in dataset.graphs():
        triples = list(context)
        if not triples:
            continue
        if context.identifier == dataset.default_graph.identifier:
            if graph is None:
                raise QuerySyntaxError(
                    f"{where}: {len(triples)} triples are outside any named graph; "
                    "give the graph they belong to (--graph IRI)"
                )
            target = graph
        else:
            target = URIRef(context.identifier)
        into = graphs.setdefault(target, Graph(identifier=target))
        for triple in triples:
            into.add(triple)
    return graphs


def graph_to_ntriples(graph: Graph) -> str:
    """The triples of a graph as N-Triples lines."""
    return "".join(
        f"{ntriples_term(s)} {ntriples_term(p)} {ntriples_term(o)} .\n" for s, p, o in graph
    )


def replace_graphs_update(graphs: Mapping[URIRef, Graph | None], *, merge: bool = True) -> str:
    """One SPARQL update request that replaces (or drops) the given graphs.

    Engines run a whole request in one transaction (pyoxigraph, Fuseki, Oxigraph
    server), so the replacement is all-or-nothing.  All inserts share one
    ``INSERT DATA`` so a blank node shared between two graphs stays one node.

    With ``merge`` the request also keeps the store's own default graph equal to the
    RDF merge of the named graphs (``store.merge``), in the same transaction: first
    it removes the replaced graphs' triples that no other named graph states, then
    it copies the new graphs' triples in (the copy reads them back from the named
    graphs, so a blank node is the same node in the graph and in the merge).
    """
    operations = []
    if merge:
        operations.append(merge_retract_update(graphs))
    operations += [f"DROP SILENT GRAPH <{iri}>" for iri in graphs]
    blocks = [
        f"GRAPH <{iri}> {{\n{graph_to_ntriples(g)}}}"
        for iri, g in graphs.items()
        if g is not None and len(g)
    ]
    if blocks:
        operations.append("INSERT DATA {\n" + "\n".join(blocks) + "\n}")
        if merge:
            written = " ".join(f"<{iri}>" for iri, g in graphs.items() if g is not None and len(g))
            operations.append(
                f"INSERT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {written} }} GRAPH ?g {{ ?s ?p ?o }} }}"
            )
    return " ;\n".join(operations)


def merge_retract_update(graphs: Mapping[URIRef, object]) -> str:
    """The update removing from the merge the triples only ``graphs`` state.

    Run before those graphs are dropped or replaced: a triple leaves the merge when
    no named graph outside ``graphs`` still states it (the lookup of one bound
    triple across graphs is one index range scan per triple).
    """
    names = " ".join(f"<{iri}>" for iri in graphs)
    listed = ", ".join(f"<{iri}>" for iri in graphs)
    return (
        f"DELETE {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {names} }} GRAPH ?g {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other NOT IN ({listed})) }} }}"
    )


def write_atomically(chunks: Iterator[bytes], target: Path) -> int:
    """Stream chunks into ``target`` through a temporary sibling file, then rename.

    A killed or failed export leaves the previous ``target`` untouched; memory
    stays flat whatever the size.  Returns the number of bytes written.
    """
    target = Path(target)
    descriptor, partial = tempfile.mkstemp(
        dir=target.parent or ".", prefix=f".{target.name}.", suffix=".part"
    )
    written = 0
    try:
        with os.fdopen(descriptor, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
                written += len(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates 0600; an export is an ordinary file (0666 less the umask).
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(partial, 0o666 & ~umask)
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return written
