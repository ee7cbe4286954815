"""Every write checks each quote against the case's source text (422 naming the passage)."""

from __future__ import annotations

import urllib.parse

from rdflib import Graph, Literal, URIRef

from tests.web.conftest import UPDATE_TOKEN

CG = "https://w3id.org/casegraph/ns#"
WATER = "https://w3id.org/casegraph/id/graph/case/jinan-water-group"
CASE = URIRef("https://w3id.org/casegraph/id/case/jinan-water-group")
P04 = URIRef("https://w3id.org/casegraph/id/case/jinan-water-group/passage/p04")
AUTH = {"Authorization": f"Bearer {UPDATE_TOKEN}"}


def _put(service, graph_iri: str, graph: Graph):
    url = "/store?" + urllib.parse.urlencode({"graph": graph_iri})
    # Turtle: the water case in N-Triples is past the test service's 64 KB body limit.
    return service.post(url, graph.serialize(format="turtle"), "text/turtle", AUTH,
                        method="PUT")


def _copy_of_water(service) -> Graph:
    copy = Graph()
    for triple in service.store.graph(URIRef(WATER)):
        copy.add(triple)
    return copy


def _falsify(graph: Graph) -> None:
    quote = graph.value(P04, URIRef(CG + "quote"))
    assert "841" in str(quote)
    graph.set((P04, URIRef(CG + "quote"), Literal(str(quote).replace("841", "842"),
                                                  lang=quote.language)))


def test_a_quote_with_one_digit_changed_is_refused_naming_the_passage(memory_service):
    graph = _copy_of_water(memory_service)
    _falsify(graph)
    answer = _put(memory_service, WATER, graph)
    assert answer.status == 422, answer.text
    assert str(P04) in answer.text
    stored = memory_service.store.graph(URIRef(WATER)).value(P04, URIRef(CG + "quote"))
    assert "841" in str(stored)  # nothing was changed


def test_the_source_text_travels_with_the_graph(memory_service):
    """A graph uploaded with cg:sourceText is checked against that text, not a file."""
    text = (memory_service.store.graph(URIRef(WATER)).value(CASE, URIRef(CG + "sourceTextFile")))
    from casegraph import paths

    source = (paths.PROJECT_ROOT / str(text)).read_text(encoding="utf-8")
    graph = _copy_of_water(memory_service)
    graph.add((CASE, URIRef(CG + "sourceText"), Literal(source)))
    target = "https://w3id.org/casegraph/id/graph/case/provenance-copy"
    assert _put(memory_service, target, graph).status in (201, 204)
    _falsify(graph)
    refused = _put(memory_service, target, graph)
    assert refused.status == 422
    assert str(P04) in refused.text
    graph.set((CASE, URIRef(CG + "sourceText"), Literal(source.replace("841", "842"))))
    assert _put(memory_service, target, graph).status in (201, 204)


def test_a_source_file_outside_the_data_folder_is_not_read(tmp_path):
    from casegraph.shacl.provenance import check_quotes, source_text_of

    graph = Graph()
    graph.add((CASE, URIRef(CG + "sourceTextFile"), Literal("data/../pyproject.toml")))
    assert source_text_of(graph) is None
    graph.add((P04, URIRef(CG + "quote"), Literal("x", lang="zh-Hans")))
    (result,) = check_quotes(graph, URIRef(WATER))
    assert result.severity == "Warning" and "no source text" in result.message_en
