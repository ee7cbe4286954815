"""``casegraph export-case SLUG --endpoint URL``: a published case back into ``data/cases``.

A case curated in the browser workspace lives in the service's store; the bundled
corpus is files.  This reads the case graph from the service (the Graph Store
protocol's GET, no token: reads are public) and writes the case folder the rest of
the tools read — ``case.trig`` and ``source.txt`` — so that the workspace, not a
hand edit, is where the case was made.  The text published with the graph
(``cg:sourceText``) becomes ``source.txt`` and the graph points at it with
``cg:sourceTextFile``, as the bundled cases do; the TriG is written with the
project's ``@base`` and prefixes so it reads like the cases written by hand.
Nothing is written unless the graph was found and its text is there; an existing
folder is replaced only with ``force``.
"""

from __future__ import annotations

import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from rdflib import RDF, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from casegraph.config import CANONICAL_BASE_IRI
from casegraph.rdf.terms import PREFIXES
from casegraph.shacl.provenance import CASE_DOCUMENT, SOURCE_TEXT, SOURCE_TEXT_FILE

#: The prefixes a case file declares (those the hand-written cases use).
CASE_PREFIXES = ("cg", "dcterms", "org", "rdfs", "schema", "skos", "xsd")


class ExportError(Exception):
    """The case could not be exported: what and where (nothing was written)."""


def fetch_case_graph(slug: str, endpoint: str) -> Graph:
    """The case's named graph as the service stores it."""
    iri = f"{CANONICAL_BASE_IRI}graph/case/{slug}"
    url = endpoint.rstrip("/") + "/store?" + urllib.parse.urlencode({"graph": iri})
    request = urllib.request.Request(url, headers={"Accept": "application/n-triples"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            body = response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        if error.code == 404:
            raise ExportError(f"{endpoint} has no graph <{iri}> (was the case published?)") from error
        detail = error.read().decode("utf-8", "replace")[:2000]
        raise ExportError(f"{endpoint} refused to read <{iri}> ({error.code}): {detail}") from error
    except urllib.error.URLError as error:
        raise ExportError(f"{endpoint}: cannot connect ({error.reason})") from error
    graph = Graph(identifier=URIRef(iri))
    graph.parse(data=body, format="nt")
    return graph


def case_files(graph: Graph, slug: str) -> tuple[str, str]:
    """(case.trig text, source.txt text) of a published case graph."""
    documents = set(graph.subjects(RDF.type, CASE_DOCUMENT))
    texts = [t for t in graph.objects(None, SOURCE_TEXT) if isinstance(t, Literal)]
    if len(documents) != 1 or len(texts) != 1:
        raise ExportError(f"graph <{graph.identifier}>: expected one case document with its "
                          f"text (cg:sourceText), found {len(documents)} and {len(texts)}")
    text = str(texts[0])
    (document,) = documents
    graph.remove((None, SOURCE_TEXT, None))
    graph.set((document, SOURCE_TEXT_FILE, Literal(f"data/cases/{slug}/source.txt")))
    dataset = Dataset()
    for prefix in CASE_PREFIXES:
        dataset.bind(prefix, PREFIXES[prefix], replace=True)
    named = dataset.graph(graph.identifier)
    for triple in graph:
        named.add(triple)
    body = dataset.serialize(format="trig", base=CANONICAL_BASE_IRI)
    if not any(CANONICAL_BASE_IRI in str(o) for o in graph.objects() if isinstance(o, Literal)):
        # rdflib writes @base but not relative IRIs; no literal holds the base, so every
        # occurrence of "<base" is an IRI and may be shortened.
        body = body.replace(f"<{CANONICAL_BASE_IRI}", "<").replace(
            "@base <>", f"@base <{CANONICAL_BASE_IRI}>")
    title = next((str(t) for t in graph.objects(document, DCTERMS.title)
                  if isinstance(t, Literal) and t.language == "zh-Hans"), slug)
    header = (f"# Case: {title}\n"
              f"# Curated in the workspace (/curate) and exported from the store by "
              f"`casegraph export-case` on {datetime.now(UTC).date().isoformat()}.\n"
              f"# Passages quote data/cases/{slug}/source.txt; offsets are code points, "
              "end exclusive.\n\n")
    return header + body, text


def export_case(slug: str, endpoint: str, cases_dir: Path, force: bool = False) -> Path:
    """Write ``cases_dir/slug/{case.trig,source.txt}`` from the service; the folder."""
    folder = cases_dir / slug
    if (folder / "case.trig").exists() and not force:
        raise ExportError(f"{folder / 'case.trig'} exists; pass --force to replace it")
    trig, text = case_files(fetch_case_graph(slug, endpoint), slug)
    check = Dataset()
    check.parse(data=trig, format="trig")  # what is written must read back
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in (("source.txt", text), ("case.trig", trig)):
        _write_atomically(folder / name, content)
    return folder


def _write_atomically(path: Path, content: str) -> None:
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as file:
            file.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
