"""Read the W3C SPARQL 1.1 protocol manifests (ht: request records) from ../shared.

The suites stay where they are (``../shared/w3c-rdf-tests``, unchanged); this
module only reads them.  ``W3C_SPARQL11`` is ``None`` when the folder is absent,
and the tests then skip saying so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.collection import Collection

from tests.shared_material import SHARED

_SUITES = SHARED / "w3c-rdf-tests/sparql/sparql11"
W3C_SPARQL11: Path | None = _SUITES if _SUITES.is_dir() else None

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")


@dataclass
class HttpRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: str | None
    #: Accepted statuses: exact codes (201) or classes ("2xx").
    expected_status: set[str]
    expected_format: str | None = None  # boolean | tabular | RDF
    expected_boolean: bool | None = None
    #: For GET in the Graph Store tests: the graph the response must be isomorphic to.
    expected_body: str | None = None
    expected_content_type: str | None = None

    def status_ok(self, status: int) -> bool:
        return str(status) in self.expected_status or f"{status // 100}xx" in self.expected_status


@dataclass
class ProtocolTest:
    name: str
    iri: str
    graph_data: list[tuple[Path, str]] = field(default_factory=list)  # (file, graph name)
    requests: list[HttpRequest] = field(default_factory=list)

    @property
    def local_name(self) -> str:
        return self.iri.rsplit("#", 1)[-1]


def protocol_tests(manifest: Path) -> list[ProtocolTest]:
    """The tests of one manifest, in manifest order."""
    graph = Graph()
    graph.parse(manifest, format="turtle")
    manifest_node = next(graph.subjects(RDF.type, MF.Manifest))
    entries = Collection(graph, graph.value(manifest_node, MF.entries))
    return [_test(graph, entry, manifest.parent) for entry in entries]


def _test(graph: Graph, node, folder: Path) -> ProtocolTest:
    test = ProtocolTest(str(graph.value(node, MF.name)), str(node))
    for data in graph.objects(node, UT.graphData):
        file_iri = str(graph.value(data, UT.graph))
        test.graph_data.append((folder / file_iri.rsplit("/", 1)[-1], str(graph.value(data, RDFS_LABEL))))
    action = graph.value(node, MF.action)
    for request in Collection(graph, graph.value(action, HT.requests)):
        test.requests.append(_request(graph, request))
    return test


def _request(graph: Graph, node) -> HttpRequest:
    headers = {}
    header_list = graph.value(node, HT.headers)
    if header_list is not None:
        for header in Collection(graph, header_list):
            headers[str(graph.value(header, HT.fieldName))] = str(graph.value(header, HT.fieldValue))
    body_node = graph.value(node, HT.body)
    response = graph.value(node, HT.resp)
    statuses = {_status(str(s)) for s in graph.objects(response, MF.expectedStatus)}
    response_body = graph.value(response, HT.body)
    response_headers = graph.value(response, HT.headers)
    content_type = None
    if response_headers is not None:
        for header in Collection(graph, response_headers):
            if str(graph.value(header, HT.fieldName)).lower() == "content-type":
                content_type = str(graph.value(header, HT.fieldValue))
    boolean = graph.value(response, MF.expectedBoolean)
    fmt = graph.value(response, MF.expectedFormat)
    return HttpRequest(
        method=str(graph.value(node, HT.methodName)),
        path=str(graph.value(node, HT.absolutePath)),
        headers=headers,
        body=None if body_node is None else str(graph.value(body_node, CNT.chars)),
        expected_status=statuses,
        expected_format=None if fmt is None else str(fmt),
        expected_boolean=None if boolean is None else boolean.toPython(),
        expected_body=None if response_body is None else str(graph.value(response_body, CNT.chars)),
        expected_content_type=content_type,
    )


_NAMED_STATUSES = {"OK": "200", "Created": "201", "NoContent": "204", "NotFound": "404"}


def _status(iri: str) -> str:
    name = iri.rsplit("#", 1)[-1]
    if name.startswith("StatusCode"):
        return name.removeprefix("StatusCode")
    return _NAMED_STATUSES[name]


@dataclass
class UpdateTest:
    """One test of a SPARQL 1.1 Update manifest: an evaluation or a syntax test.

    ``before``/``after`` are the dataset of ``mf:action`` and ``mf:result``: the
    default graph's file (or ``None``) and the named graphs' files by graph name.
    """

    manifest: str  # the manifest's folder, e.g. "delete-where"
    iri: str
    kind: str  # "evaluation", "positive-syntax" or "negative-syntax"
    request: Path
    before_default: Path | None = None
    before_named: dict[str, Path] = field(default_factory=dict)
    after_default: Path | None = None
    after_named: dict[str, Path] = field(default_factory=dict)

    @property
    def local_name(self) -> str:
        return self.iri.rsplit("#", 1)[-1]


_UPDATE_KINDS = {
    MF.UpdateEvaluationTest: "evaluation",
    MF.PositiveUpdateSyntaxTest11: "positive-syntax",
    MF.NegativeUpdateSyntaxTest11: "negative-syntax",
    # delete-insert/manifest.ttl types its invalid updates with the query test type.
    MF.NegativeSyntaxTest11: "negative-syntax",
}


def update_tests(manifest: Path) -> list[UpdateTest]:
    """The update tests of one manifest, in manifest order (other test types are not listed)."""
    graph = Graph()
    graph.parse(manifest, format="turtle")
    manifest_node = next(graph.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in Collection(graph, graph.value(manifest_node, MF.entries)):
        kind = _UPDATE_KINDS.get(graph.value(entry, RDF.type))
        if kind is None:
            continue
        folder = manifest.parent
        action = graph.value(entry, MF.action)
        if kind != "evaluation":
            tests.append(UpdateTest(folder.name, str(entry), kind, _local_file(folder, action)))
            continue
        test = UpdateTest(folder.name, str(entry), kind,
                          _local_file(folder, graph.value(action, UT.request)))
        test.before_default, test.before_named = _dataset_files(graph, action, folder)
        test.after_default, test.after_named = _dataset_files(
            graph, graph.value(entry, MF.result), folder)
        tests.append(test)
    return tests


def _dataset_files(graph: Graph, node, folder: Path) -> tuple[Path | None, dict[str, Path]]:
    default = graph.value(node, UT.data)
    named = {
        str(graph.value(data, RDFS_LABEL)): _local_file(folder, graph.value(data, UT.graph))
        for data in graph.objects(node, UT.graphData)
    }
    return (None if default is None else _local_file(folder, default)), named


def _local_file(folder: Path, file_iri) -> Path:
    """The manifest names its files by IRI relative to itself: they sit beside it."""
    return folder / str(file_iri).rsplit("/", 1)[-1]
