"""Validate case data against the SHACL shapes and the ontology.

Decision: each case named graph is validated on its own, with the ontology
and SKOS schemes mixed in (so ``sh:targetClass``/``sh:class`` see
``rdfs:subClassOf`` and concepts resolve).  Case graphs are self-contained by
the provenance rule (every node they mention is typed and stated in one of
their passages), so nothing is lost by separating them, the cost grows
linearly with the number of cases, and a guarded write validates only the
graphs it changes (``validate_dataset(ds, graphs=changed)``).

How: the shapes are compiled once into casegraph's own evaluator
(``casegraph.shacl.engine``, SPARQL constraints on pyoxigraph, the ontology
indexed once: ``casegraph.shacl.validator``), which gives pyshacl's results
~100x faster; pyshacl stays the reference (``validate_graph_with_pyshacl``),
used whenever the shapes need a feature the compiled evaluator does not cover,
and compared with it on every bundled case and mutation in the tests.  Both are
cached for the life of the process; a lock serialises runs because neither is
safe to share between threads.

A whole store is validated from its N-Quads dump (``validate_dump``, what
``casegraph validate dump.nq`` runs): pyoxigraph streams the file, each named
graph goes to a pool of processes as N-Triples, so the run uses every core and
holds one batch of graphs per process instead of the whole corpus.

Beyond SHACL, ``validate_files`` checks that every passage quotes its case's
``source.txt`` exactly at its offsets (the file beside ``case.trig``): SHACL
cannot read files, and a wrong offset makes a fact untraceable.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from pyshacl import Validator
from pyshacl.graph_abstraction import DataGraph
from pyshacl.shapes_graph import ShapesGraph
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDFS, SH
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Identifier

from casegraph import paths
from casegraph.config import CANONICAL_BASE_IRI, ONTOLOGY_NS
from casegraph.rdf.terms import term_from_parts, term_parts
from casegraph.shacl.engine import Unsupported
from casegraph.shacl.report import (
    CGSH,
    VIOLATION,
    WARNING,
    ValidationReport,
    ValidationResult,
    results_from_engine,
    results_from_shacl_report,
)
from casegraph.shacl.validator import CompiledValidator

__all__ = [
    "ValidationReport",
    "ValidationResult",
    "validate_dataset",
    "validate_dump",
    "validate_files",
    "validate_graph",
    "validate_graph_with_pyshacl",
]

ONTOLOGY_GRAPH = URIRef(CANONICAL_BASE_IRI + "graph/ontology")
_CG = ONTOLOGY_NS
_PARSE_FORMATS = {".trig": "trig", ".ttl": "turtle", ".nq": "nquads", ".nt": "nt"}
_lock = threading.Lock()
_log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The ontology module and all SKOS schemes, as one graph."""
    graph = Graph()
    for path in paths.ontology_files():
        graph.parse(path, format="turtle")
    return graph


@lru_cache(maxsize=1)
def _shapes() -> tuple[Graph, ShapesGraph, dict[Identifier, URIRef]]:
    """The shapes graph, pyshacl's compiled form of it, and the owner of each anonymous shape."""
    shapes = Graph()
    for path in paths.shapes_files():
        shapes.parse(path, format="turtle")
    owners: dict[Identifier, URIRef] = {}
    for owner, shape in shapes.subject_objects(SH.property):
        if isinstance(owner, URIRef):
            owners[shape] = owner
    compiled = ShapesGraph(shapes)
    return shapes, compiled, owners


@lru_cache(maxsize=1)
def _compiled() -> CompiledValidator | None:
    """The compiled evaluator, or None when the shapes need pyshacl (the reason is logged)."""
    try:
        return CompiledValidator(_shapes()[0], ontology_graph())
    except Unsupported as why:
        _log.warning("SHACL shapes validated with pyshacl (slow): %s", why)
        return None


def clear_caches() -> None:
    """Forget parsed shapes and ontology (after editing them in a long-lived process)."""
    ontology_graph.cache_clear()
    _shapes.cache_clear()
    _compiled.cache_clear()


def _canonical_triples(data: Iterable[tuple], base_iri: str) -> Iterable:
    """The data's triples under the canonical base, which the shapes and schemes use."""
    if base_iri == CANONICAL_BASE_IRI:
        return data
    return (_to_canonical(t, base_iri) for t in data)


def _labels(graph: URIRef | None, file: str | None) -> list[str]:
    """What the report says was validated: the graph's name, else the file's."""
    return [str(graph) if graph is not None else (file or "graph")]


def validate_graph(
    data: Iterable[tuple],
    *,
    graph: URIRef | None = None,
    file: str | None = None,
    base_iri: str = CANONICAL_BASE_IRI,
    ox_triples: list[ox.Triple] | None = None,
) -> ValidationReport:
    """Validate one graph of case data.

    ``graph``/``file`` only label the results.  ``base_iri`` is the base the
    data was minted under; data served under another base is mapped back to
    the canonical one, which the shapes and SKOS schemes use.  ``ox_triples`` are
    the same data as pyoxigraph parsed it, when it did (the SPARQL constraints run on
    them as they are); they are used only under the canonical base.
    """
    triples, label = _canonical_triples(data, base_iri), _labels(graph, file)
    if base_iri != CANONICAL_BASE_IRI:
        ox_triples = None
    _shapes_graph, _pyshacl_shapes, owners = _shapes()
    with _lock:
        compiled = _compiled()
        if compiled is None:
            return _validate_with_pyshacl(triples, graph=graph, file=file, label=label)
        raw = compiled.validate(triples, ox_triples)
    results = list(results_from_engine(raw, owners, graph=graph, file=file))
    return ValidationReport(results=results, validated=label)


def validate_graph_with_pyshacl(
    data: Graph,
    *,
    graph: URIRef | None = None,
    file: str | None = None,
    base_iri: str = CANONICAL_BASE_IRI,
) -> ValidationReport:
    """``validate_graph`` by pyshacl itself: the reference the compiled evaluator must match."""
    triples, label = _canonical_triples(data, base_iri), _labels(graph, file)
    with _lock:
        return _validate_with_pyshacl(triples, graph=graph, file=file, label=label)


def _validate_with_pyshacl(
    triples: Iterable, *, graph: URIRef | None, file: str | None, label: list[str]
) -> ValidationReport:
    """One pyshacl run over the triples mixed with the ontology (caller holds the lock)."""
    mixed = Graph()
    for triple in triples:
        mixed.add(triple)
    for triple in ontology_graph():
        mixed.add(triple)
    shapes, compiled, owners = _shapes()
    validator = Validator(
        DataGraph.from_rdflib(mixed), shacl_graph=shapes, options={"inplace": True}
    )
    validator.shacl_graph = compiled  # reuse the compiled shapes instead of recompiling
    _conforms, report_graph, _text = validator.run()
    results = list(results_from_shacl_report(report_graph, shapes, owners, graph=graph, file=file))
    return ValidationReport(results=results, validated=label)


def validate_dataset(
    ds: Dataset,
    graphs: Iterable[URIRef] | None = None,
    *,
    file: str | None = None,
    base_iri: str = CANONICAL_BASE_IRI,
) -> ValidationReport:
    """Validate the case graphs of a dataset, each on its own.

    ``graphs`` limits the run to those named graphs (a guarded write passes
    the graphs it changes); by default every named graph except the ontology
    graph is validated.  Triples in the default graph of a case file are a
    violation: case facts live in their case graph.
    """
    report = ValidationReport()
    wanted = None if graphs is None else {URIRef(g) for g in graphs}
    ontology_iri = URIRef(base_iri + "graph/ontology")
    for context in ds.graphs():
        iri = context.identifier
        if wanted is not None and iri not in wanted:
            continue
        if iri == ontology_iri:
            continue
        if not isinstance(iri, URIRef) or iri == URIRef("urn:x-rdflib:default"):
            if wanted is None and len(context):
                report.results.append(
                    ValidationResult(
                        severity=VIOLATION,
                        message_en=f"{len(context)} triple(s) outside any named graph; "
                        "case facts belong in the case graph",
                        message_zh=f"有 {len(context)} 条三元组不在任何命名图中；案例事实应写在案例图里",
                        file=file,
                    )
                )
            continue
        report.extend(validate_graph(context, graph=iri, file=file, base_iri=base_iri))
    return report


#: Named graphs per task of ``validate_dump``: pickling and scheduling stay small beside
#: the validation (~5 ms a case graph), and the processes still finish together.
DUMP_BATCH = 64


def validate_dump(path: Path, *, jobs: int | None = None, file: str | None = None,
                  base_iri: str = CANONICAL_BASE_IRI) -> ValidationReport:
    """Validate every named graph of an N-Quads dump (but the ontology) in ``jobs`` processes.

    The dump is streamed: a graph is validated once its quads end, so the quads of one
    graph must be contiguous (``oxigraph dump`` and ``/export/dataset.nq`` write them so;
    a graph that starts again later is reported).  At most two batches per process are
    in flight.  Results come back in the file's order of graphs.
    """
    jobs = jobs or os.cpu_count() or 1
    report = ValidationReport()
    batches = _dump_batches(path, report, file or _display_path(path), base_iri)
    if jobs == 1:
        for batch in batches:
            report.extend(_validate_ntriples_batch(*batch))
        return report
    import multiprocessing

    done: dict[int, ValidationReport] = {}
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("forkserver")) as pool:
        running: dict[Future, int] = {}
        for number, batch in enumerate(batches):
            running[pool.submit(_validate_ntriples_batch, *batch)] = number
            while len(running) >= 2 * jobs:
                _collect(running, done, wait(running, return_when=FIRST_COMPLETED).done)
        _collect(running, done, wait(running).done)
    for number in sorted(done):
        report.extend(done[number])
    return report


def _collect(running: dict, done: dict, finished) -> None:
    for future in finished:
        done[running.pop(future)] = future.result()


def _dump_batches(path: Path, report: ValidationReport, file: str, base_iri: str
                  ) -> Iterator[tuple[list[tuple[str, bytes]], str, str]]:
    """``(graphs, file, base_iri)`` tasks: up to ``DUMP_BATCH`` graphs as N-Triples each.

    Problems of the file itself (syntax, default-graph triples, a graph split in two)
    are added to ``report`` as they are met.
    """
    ontology = base_iri + "graph/ontology"
    batch: list[tuple[str, bytes]] = []
    finished: set[str] = set()
    current, triples, outside = None, [], 0
    try:
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
            name = quad.graph_name
            if not isinstance(name, ox.NamedNode):
                outside += 1
                continue
            if name.value != current:
                if current is not None and current != ontology:
                    batch.append((current, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)))
                    finished.add(current)
                current, triples = name.value, []
                if current in finished:
                    report.results.append(ValidationResult(
                        severity=VIOLATION, graph=URIRef(current), file=file,
                        message_en="the graph's quads are not contiguous in the dump; "
                        "each part was validated on its own (sort the file by graph)",
                        message_zh="该图的四元组在文件中不连续；各部分分别校验（请按图排序）"))
                if len(batch) >= DUMP_BATCH:
                    yield batch, file, base_iri
                    batch = []
            triples.append(quad.triple)
    except SyntaxError as err:
        report.results.append(ValidationResult(
            severity=VIOLATION, message_en=f"syntax error: {err}", message_zh=f"语法错误：{err}",
            file=file))
    if current is not None and current != ontology:
        batch.append((current, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)))
    if batch:
        yield batch, file, base_iri
    if outside:
        report.results.append(ValidationResult(
            severity=VIOLATION, file=file,
            message_en=f"{outside} triple(s) outside any named graph; "
            "case facts belong in the case graph",
            message_zh=f"有 {outside} 条三元组不在任何命名图中；案例事实应写在案例图里"))


def _validate_ntriples_batch(graphs: list[tuple[str, bytes]], file: str, base_iri: str
                             ) -> ValidationReport:
    """Validate named graphs given as N-Triples (a task of ``validate_dump``, in a worker)."""
    report = ValidationReport()
    iris: dict[str, URIRef] = {}
    for graph, data in graphs:
        parsed = list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
        triples = [
            tuple(_rdflib_term(term, iris) for term in (t.subject, t.predicate, t.object))
            for t in parsed
        ]
        report.extend(validate_graph(triples, graph=URIRef(graph), file=file,
                                     base_iri=base_iri, ox_triples=parsed))
    return report


def _rdflib_term(term, iris: dict[str, URIRef]):
    """The rdflib term of a pyoxigraph term; IRIs, which repeat, are made once per batch."""
    if isinstance(term, ox.NamedNode):
        iri = iris.get(term.value)
        if iri is None:
            iri = iris[term.value] = URIRef(term.value)
        return iri
    return term_from_parts(*term_parts(term))


def validate_files(paths_: Iterable[str | Path]) -> ValidationReport:
    """Validate data files (TriG, Turtle, N-Quads, N-Triples).

    Syntax errors become violations with file, line and column; a ``.trig``
    is validated graph by graph, a single-graph file as one graph.  Passages
    are checked against the ``source.txt`` beside the file when it exists.
    """
    report = ValidationReport()
    parsed: list[tuple[Dataset, str]] = []
    for raw in paths_:
        path = Path(raw)
        name = _display_path(path)
        fmt = _PARSE_FORMATS.get(path.suffix.lower())
        if fmt is None:
            report.results.append(
                ValidationResult(
                    VIOLATION,
                    f"unknown RDF file type {path.suffix!r}",
                    f"无法识别的 RDF 文件类型 {path.suffix!r}",
                    file=name,
                )
            )
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            report.results.append(
                ValidationResult(
                    VIOLATION, f"cannot read file: {err}", f"无法读取文件：{err}", file=name
                )
            )
            continue
        ds = Dataset()
        try:
            if fmt in ("trig", "nquads"):
                ds.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
            else:
                ds.default_graph.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
        except Exception as err:  # noqa: BLE001 - every parser error becomes a located result
            report.results.append(_syntax_result(err, text, name))
            continue
        if fmt in ("trig", "nquads"):
            report.extend(validate_dataset(ds, file=name))
        else:
            report.extend(validate_graph(ds.default_graph, file=name))
        source_text = path.parent / "source.txt"
        if source_text.exists():
            report.results.extend(
                check_passages_against_text(ds, source_text.read_text(encoding="utf-8"), name)
            )
        parsed.append((ds, name))
    report.results.extend(shared_label_differences(parsed))
    return report


def shared_label_differences(datasets: list[tuple[Dataset, str]]) -> list[ValidationResult]:
    """Warnings for an entity that two case graphs name differently in one language.

    A shared entity (an organisation, award title, place …) is one IRI across
    cases; each case graph restates its labels, and they must agree, or pages
    and search show whichever graph was read last.
    """
    seen: dict[tuple[URIRef, str], dict[str, list[tuple[URIRef, str]]]] = {}
    for ds, name in datasets:
        for context in ds.graphs():
            if not isinstance(context.identifier, URIRef):
                continue
            for subject, label in context.subject_objects(RDFS.label):
                if isinstance(subject, URIRef) and isinstance(label, Literal):
                    by_text = seen.setdefault((subject, label.language or ""), {})
                    by_text.setdefault(str(label), []).append((context.identifier, name))
    results = []
    for (subject, language), by_text in sorted(seen.items()):
        if len(by_text) < 2:
            continue
        variants = "; ".join(
            f"{text!r} in <{graph}>" for text, where in sorted(by_text.items())
            for graph, _ in where[:1]
        )
        graph, file = next(iter(by_text.values()))[0]
        results.append(
            ValidationResult(
                severity=WARNING,
                message_en=f"the shared entity's @{language} label differs between case graphs: "
                f"{variants}",
                message_zh=f"共享实体的 @{language} 标签在各案例图中不一致：{variants}",
                focus_node=subject,
                path=RDFS.label,
                graph=graph,
                file=file,
            )
        )
    return results


def check_passages_against_text(ds: Dataset, text: str, file: str) -> list[ValidationResult]:
    """Passages whose ``cg:quote`` is not ``text[cg:charStart:cg:charEnd]`` (code points)."""
    quote, start, end = URIRef(_CG + "quote"), URIRef(_CG + "charStart"), URIRef(_CG + "charEnd")
    results = []
    for context in ds.graphs():
        for passage, quoted in context.subject_objects(quote):
            begin, stop = context.value(passage, start), context.value(passage, end)
            if not (isinstance(begin, Literal) and isinstance(stop, Literal)):
                continue  # missing offsets are reported by the shapes
            try:
                actual = text[int(begin) : int(stop)]
            except (TypeError, ValueError):
                continue
            if actual != str(quoted):
                results.append(
                    ValidationResult(
                        severity=VIOLATION,
                        message_en=f"cg:quote is not the text of source.txt at "
                        f"[{int(begin)}, {int(stop)}), which reads {actual!r}",
                        message_zh=f"cg:quote 与 source.txt 在 [{int(begin)}, {int(stop)}) "
                        f"处的文本不一致，该处为 {actual!r}",
                        focus_node=passage,
                        path=quote,
                        source_shape=CGSH.PassageQuotesSourceText,
                        value=quoted,
                        graph=context.identifier
                        if isinstance(context.identifier, URIRef)
                        else None,
                        file=file,
                    )
                )
    return results


def _syntax_result(err: Exception, text: str, file: str) -> ValidationResult:
    """A violation that says where the parser stopped: line and column (1-based)."""
    line = column = None
    if isinstance(err, BadSyntax):
        index = err._i  # noqa: SLF001 - rdflib exposes the offset only privately
        source = err._str.decode("utf-8")  # noqa: SLF001
        line = source.count("\n", 0, index) + 1
        column = index - source.rfind("\n", 0, index)
        why = err._why  # noqa: SLF001
    else:
        why = str(err)
        line = getattr(err, "lineno", None) or getattr(err, "line", None)
    return ValidationResult(
        severity=VIOLATION,
        message_en=f"syntax error: {why}",
        message_zh=f"语法错误：{why}",
        file=file,
        line=line,
        column=column,
    )


def _to_canonical(triple, base_iri: str):
    return tuple(
        URIRef(CANONICAL_BASE_IRI + t[len(base_iri) :])
        if isinstance(t, URIRef) and t.startswith(base_iri)
        else t
        for t in triple
    )


def _display_path(path: Path) -> str:
    """Paths inside the project are shown relative to it, as curators type them."""
    try:
        return str(path.resolve().relative_to(paths.PROJECT_ROOT.resolve()))
    except ValueError:
        return str(path)
