"""The synthetic corpus: deterministic, marked as synthetic, and conforming to the shapes."""

from __future__ import annotations

from itertools import islice

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from benchmarks.generate import SYN, generate, main
from casegraph.shacl.validation import validate_graph

LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def corpus(cases: int, seed: int = 7) -> list[ox.Quad]:
    return list(ox.parse("".join(generate(cases, seed)).encode(), format=ox.RdfFormat.N_QUADS))


def test_same_seed_gives_the_same_lines_and_another_seed_does_not():
    assert list(generate(20, 7)) == list(generate(20, 7))
    assert list(generate(20, 7)) != list(generate(20, 8))


def test_a_larger_corpus_starts_with_the_smaller_one():
    small = list(generate(5, 7))
    assert list(islice(generate(50, 7), len(small))) == small


def test_every_iri_and_label_is_marked_synthetic():
    quads = corpus(10)
    for quad in quads:
        assert quad.subject.value.startswith(SYN), quad
        assert quad.graph_name.value.startswith(SYN + "graph/case/"), quad
        if quad.predicate.value == LABEL:
            assert quad.object.value.startswith(("［合成］", "[synthetic]")), quad


def test_each_case_is_one_named_graph_and_shared_nodes_keep_one_iri():
    quads = corpus(40)
    graphs = {q.graph_name.value for q in quads}
    assert len(graphs) == 40
    groups_per_graph: dict[str, set[str]] = {}
    for q in quads:
        if q.predicate.value == "http://www.w3.org/ns/org#subOrganizationOf" and \
                "/org/group-" in q.object.value:
            groups_per_graph.setdefault(q.graph_name.value, set()).add(q.object.value)
    shared = [g for g in {v for s in groups_per_graph.values() for v in s}
              if sum(g in s for s in groups_per_graph.values()) > 1]
    assert shared, "40 cases over 40 groups should share at least one group (cross-case work)"


@pytest.mark.parametrize("case_number", [0, 7, 29])
def test_sampled_case_graphs_conform_to_the_shapes(case_number):
    quads = [q for q in corpus(30) if q.graph_name.value.endswith(f"case-{case_number:06d}")]
    graph = Graph()
    graph.parse(data=ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES),
                format="nt")
    report = validate_graph(graph, graph=URIRef(quads[0].graph_name.value))
    assert report.conforms, [r.message_en for r in report.results]
    assert not report.results, [r.message_en for r in report.results]


def test_cli_writes_the_file_and_counts_quads(tmp_path, capsys):
    out = tmp_path / "c.nq"
    main(["--cases", "3", "--seed", "1", "-o", str(out)])
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines == list(generate(3, 1))
    assert f"{len(lines)} quads, 3 synthetic cases, seed 1" in capsys.readouterr().err


def test_cli_without_output_writes_n_quads_to_stdout(capsys):
    main(["--cases", "1"])
    assert capsys.readouterr().out == "".join(generate(1, 7))
