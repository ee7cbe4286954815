"""The W3C SPARQL 1.1 Update manifests, run over HTTP against ``/sparql``.

Every manifest listed by ``manifest-sparql11-update.ttl`` runs, on the memory and
the embedded oxigraph backends, through a live service on loopback:

* **evaluation tests**: the test's named graphs are PUT through the Graph Store,
  the update is POSTed with the write token, and then every named graph the
  service holds is fetched and compared (isomorphic) with the expected result;
* **syntax tests**: an invalid update must be answered 400 with a syntax error
  (line and column); a valid one must not be (it runs on an empty store).

casegraph's default graph is the read-only union of its named graphs (every fact
belongs to a case graph, traced to a passage), so it cannot hold the data a test
puts "in the default graph" or accept an update that writes there.  Each test is
classified by what its update does with the default graph (parsed, not matched):

* it **writes** or **reads** the default graph, or uses ``LOAD``: the service
  must refuse it with 400 and the documented message and leave the store
  unchanged; that is checked, and the test is then reported as skipped with the
  reason;
* it expects data the test put in the default graph to be cleared (``CLEAR
  ALL``): skipped, with the reason (the data cannot be put there);
* otherwise default-graph data, if any, is neither read nor changed by the
  update, so the test runs without it and must pass in full.

``pytest -rs -s tests/w3c`` prints the counts per manifest (see conftest.py).
"""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic, to_canonical_graph
from rdflib.plugins.sparql.algebra import translateUpdate
from rdflib.plugins.sparql.parser import parseUpdate

from casegraph.sparql.update_scope import matches_outside_graph
from tests.w3c.manifest import W3C_SPARQL11, UpdateTest, update_tests
from tests.web.conftest import UPDATE_TOKEN, LiveService, request

if W3C_SPARQL11 is None:
    pytest.skip(
        "the W3C test suites are not at ../shared/w3c-rdf-tests (set CASEGRAPH_SHARED)",
        allow_module_level=True,
    )

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")

WRITES_DEFAULT_GRAPH = (
    "writes the default graph, which in casegraph is the read-only union of the named "
    "graphs: refused with 400 and the store unchanged, as documented (checked)"
)
USES_LOAD = ("uses LOAD, which casegraph refuses even when SILENT (it never fetches data "
             "from the network): refused with 400 and the store unchanged (checked)")
READS_DEFAULT_GRAPH = (
    "reads the default graph, which casegraph refuses in an update (queries see the union "
    "of the named graphs, the update engines an always empty graph): refused with 400 and "
    "the store unchanged, as documented (checked)"
)
USING_ABSENT_GRAPH = ("names in USING a graph the store does not hold, which casegraph refuses "
                      "(it never fetches a graph): refused with 400 (checked)")
CHANGES_DEFAULT_DATA = ("expects data the test puts in the default graph to be cleared; "
                        "casegraph cannot hold that data (the default graph is the "
                        "read-only union)")


def _manifests() -> list[Path]:
    """The manifests ``manifest-sparql11-update.ttl`` includes, in its order."""
    top = W3C_SPARQL11 / "manifest-sparql11-update.ttl"
    graph = Graph().parse(top, format="turtle")
    includes = next(graph.objects(None, MF.include))
    return [W3C_SPARQL11 / str(iri).rsplit("/", 2)[-2] / "manifest.ttl"
            for iri in Collection(graph, includes)]


def _params():
    for manifest in _manifests():
        for test in update_tests(manifest):
            yield pytest.param(test, id=f"{test.manifest}:{test.local_name}")


@pytest.fixture
def service(empty_service: LiveService) -> LiveService:
    """The empty service, emptied again before each test."""
    store = empty_service.store
    store.replace_graphs({graph: None for graph in store.named_graphs()})
    return empty_service


@pytest.mark.parametrize("test", list(_params()))
def test_w3c_update(service: LiveService, test: UpdateTest) -> None:
    update = test.request.read_text(encoding="utf-8")
    if test.kind == "negative-syntax":
        answer = _post_update(service, update)
        assert answer.status == 400, f"{test.request.name}: {answer.status} {answer.text[:300]}"
        message = json.loads(answer.text)["error"]["message"]
        assert _is_syntax_error(message), f"{test.request.name}: {message}"
        return
    if test.kind == "positive-syntax":
        answer = _post_update(service, update)
        if answer.status == 400:
            message = json.loads(answer.text)["error"]["message"]
            assert not _is_syntax_error(message), f"{test.request.name}: {message}"
            assert not _dataset(service), "a refused update changed the (empty) store"
            if "does not exist" in message:
                return  # DROP/CLEAR of a graph the empty store lacks fails, as the standard says
            reason = _refusal_reason(update) or (
                USING_ABSENT_GRAPH if "the store holds no such graph" in message else None)
            assert reason is not None, f"{test.request.name} refused: {message}"
            _assert_refusal_message(message, reason)
            pytest.skip(f"valid syntax (no syntax error), but {reason}")
        assert answer.status in {200, 204}, f"{test.request.name}: {answer.status} {answer.text}"
        return
    _evaluate(service, test, update)


def _evaluate(service: LiveService, test: UpdateTest, update: str) -> None:
    for graph_name, data_file in test.before_named.items():
        _put_graph(service, graph_name, data_file)
    refusal = _refusal_reason(update)
    if refusal is not None:
        before = _dataset(service)
        answer = _post_update(service, update)
        assert answer.status == 400, f"{test.request.name}: {answer.status} {answer.text[:300]}"
        _assert_refusal_message(json.loads(answer.text)["error"]["message"], refusal)
        assert _same_dataset(_dataset(service), before), "a refused update changed the store"
        pytest.skip(refusal)
    if not isomorphic(_graph(test.before_default), _graph(test.after_default)):
        pytest.skip(CHANGES_DEFAULT_DATA)
    # Default-graph data, if the test has any, is neither read nor changed: the
    # named graphs alone decide the outcome.
    answer = _post_update(service, update)
    assert answer.status in {200, 204}, f"{test.request.name}: {answer.status} {answer.text[:300]}"
    expected = {URIRef(name): _graph(path) for name, path in test.after_named.items()}
    _assert_same_dataset(_dataset(service), expected, test)


def _refusal_reason(update: str) -> str | None:
    """Why casegraph must refuse ``update`` (parsed with rdflib), or ``None``."""
    uses = _default_graph_use(update)
    if "load" in uses:
        return USES_LOAD
    if "write" in uses:
        return WRITES_DEFAULT_GRAPH
    if "read" in uses:
        return READS_DEFAULT_GRAPH
    return None


_REFUSAL_MESSAGES = {
    USES_LOAD: "never fetches data",
    WRITES_DEFAULT_GRAPH: "cannot be written",
    READS_DEFAULT_GRAPH: "reads no default graph",
    USING_ABSENT_GRAPH: "the store holds no such graph",
}


def _assert_refusal_message(message: str, reason: str) -> None:
    assert _REFUSAL_MESSAGES[reason] in message, message


def _is_syntax_error(message: str) -> bool:
    return "syntax error" in message or message.startswith("SPARQL update is not valid")


def _default_graph_use(update: str) -> set[str]:
    """What ``update`` does with the default graph: {"read", "write", "load"}, by its algebra.

    ``CLEAR ALL``/``DROP ALL`` also clear the default graph in the standard, but
    casegraph accepts them (they clear every named graph); tests that expect
    default-graph data cleared by them are skipped by the caller.
    """
    uses: set[str] = set()
    for operation in translateUpdate(parseUpdate(update)).algebra:
        name = operation.name
        if name == "Load":
            uses.add("load")
        elif name in {"InsertData", "DeleteData"}:
            if operation.triples:
                uses.add("write")
        elif name == "DeleteWhere":
            if operation.triples:
                uses.update({"read", "write"})
        elif name == "Modify":
            if operation.withClause is None:
                templates = [operation.delete, operation.insert]
                if any(t is not None and t.triples for t in templates):
                    uses.add("write")
                if not operation.using and matches_outside_graph(operation.where):
                    uses.add("read")
        elif name in {"Clear", "Drop", "Create"}:
            if operation.graphiri == "DEFAULT":
                uses.add("write")
        else:  # Add, Copy, Move
            source, target = operation.graph
            if source == "DEFAULT":
                uses.add("read")
            if target == "DEFAULT":
                uses.add("write")
    return uses


def _post_update(service: LiveService, update: str):
    return service.post("/sparql", update, "application/sparql-update",
                        headers={"Authorization": f"Bearer {UPDATE_TOKEN}",
                                 "Accept": "application/json"})


def _put_graph(service: LiveService, graph_name: str, data_file: Path) -> None:
    answer = request(f"{service.url}/store?graph={urllib.parse.quote(graph_name, safe='')}",
                     data=data_file.read_bytes(), method="PUT",
                     headers={"Content-Type": "text/turtle",
                              "Authorization": f"Bearer {UPDATE_TOKEN}"})
    assert answer.status in {200, 201, 204}, f"PUT {graph_name}: {answer.status} {answer.text}"


def _dataset(service: LiveService) -> dict[URIRef, Graph]:
    """Every non-empty named graph the service holds, read back over HTTP."""
    query = urllib.parse.urlencode({"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"})
    answer = service.get(f"/sparql?{query}", headers={"Accept": "application/sparql-results+json"})
    assert answer.status == 200, answer.text
    names = [URIRef(row["g"]["value"]) for row in json.loads(answer.text)["results"]["bindings"]]
    dataset = {}
    for name in names:
        graph_answer = service.get(f"/store?graph={urllib.parse.quote(name, safe='')}",
                                   headers={"Accept": "application/n-triples"})
        assert graph_answer.status == 200, graph_answer.text
        dataset[name] = Graph().parse(data=graph_answer.text, format="nt")
    return dataset


def _graph(path: Path | None) -> Graph:
    return Graph() if path is None else Graph().parse(path, format="turtle")


def _same_dataset(left: dict[URIRef, Graph], right: dict[URIRef, Graph]) -> bool:
    return left.keys() == right.keys() and all(isomorphic(left[g], right[g]) for g in left)


def _assert_same_dataset(got: dict[URIRef, Graph], expected: dict[URIRef, Graph],
                         test: UpdateTest) -> None:
    """Graphs compare one by one; an expected empty graph may be absent (not kept)."""
    expected = {name: graph for name, graph in expected.items() if len(graph)}
    assert got.keys() == expected.keys(), (
        f"{test.local_name}: graphs {sorted(got)} held, {sorted(expected)} expected")
    for name, graph in expected.items():
        assert isomorphic(got[name], graph), (
            f"{test.local_name}: graph <{name}> differs:\n"
            f"held:\n{_sorted_nt(got[name])}\nexpected:\n{_sorted_nt(graph)}")


def _sorted_nt(graph: Graph) -> str:
    lines = to_canonical_graph(graph).serialize(format="nt").splitlines()
    return "\n".join(sorted(line for line in lines if line))
