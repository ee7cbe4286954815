"""The guarded writer and the load/export commands: validate first, then all or nothing."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF

from casegraph.cli import main
from casegraph.errors import WriteRejected
from casegraph.rdf.graphs import write_atomically
from casegraph.shacl.report import VIOLATION, ValidationReport, ValidationResult
from casegraph.store.guarded import GuardedWriter
from tests.conftest import STORE_FIXTURE_TRIG, fixture_graphs

ID = "https://w3id.org/casegraph/id/"
CG = "https://w3id.org/casegraph/ns#"
ALPHA = URIRef(ID + "graph/case/alpha-heat")
BETA = URIRef(ID + "graph/case/beta-water")


def refuse_beta(data: Graph, *, graph=None, base_iri=None) -> ValidationReport:
    """A stand-in validator for the control flow: only graph BETA fails."""
    if graph == BETA:
        return ValidationReport(
            [ValidationResult(VIOLATION, "bad", "坏", graph=graph)], [str(graph)]
        )
    return ValidationReport([], [str(graph)])


def test_rejected_update_changes_nothing_and_carries_the_report(loaded_store):
    writer = GuardedWriter(loaded_store, validator=refuse_beta)
    before = {g: set(loaded_store.graph(g)) for g in loaded_store.named_graphs()}
    update = (
        f"INSERT DATA {{ GRAPH <{ALPHA}> {{ <urn:x:a> <urn:x:b> 1 }} "
        f"GRAPH <{BETA}> {{ <urn:x:a> <urn:x:b> 2 }} }}"
    )
    with pytest.raises(WriteRejected) as rejected:
        writer.apply_update(update)
    assert rejected.value.status == 422 and not rejected.value.report.conforms
    assert {g: set(loaded_store.graph(g)) for g in loaded_store.named_graphs()} == before


def test_accepted_update_commits_exactly_the_previewed_graphs(loaded_store):
    writer = GuardedWriter(loaded_store, validator=refuse_beta)
    changed = writer.apply_update(f"INSERT DATA {{ GRAPH <{ALPHA}> {{ <urn:x:a> <urn:x:b> 1 }} }}")
    assert changed == [ALPHA]
    assert len(loaded_store.graph(ALPHA)) == len(fixture_graphs()[ALPHA]) + 1


def test_real_shapes_reject_a_conferral_without_issuer(loaded_store):
    writer = GuardedWriter(loaded_store)
    before = set(loaded_store.graph(ALPHA))
    broken = Graph()
    broken += loaded_store.graph(ALPHA)
    conferral = URIRef(ID + "case/alpha-heat/conferral/unknown")
    broken.add((conferral, RDF.type, URIRef(CG + "AwardConferral")))
    broken.add((conferral, URIRef(CG + "statedIn"), URIRef(ID + "case/alpha-heat/passage/p01")))
    with pytest.raises(WriteRejected) as rejected:
        writer.replace_graphs({ALPHA: broken})
    assert any(str(conferral) == str(r.focus_node) for r in rejected.value.report.violations)
    assert set(loaded_store.graph(ALPHA)) == before


def test_cli_load_is_all_or_nothing_and_export_round_trips(tmp_path):
    runner = CliRunner()
    good = tmp_path / "good.nt"
    good.write_text('<urn:x:s> <http://www.w3.org/2000/01/rdf-schema#label> "x"@en .\n')
    broken = tmp_path / "broken.ttl"
    broken.write_text("<urn:x:s> <urn:x:p> .\n")
    data_dir = tmp_path / "store"
    failed = runner.invoke(
        main, ["load", str(good), str(broken), "--graph", "urn:x:g", "--data-dir", str(data_dir)]
    )
    assert failed.exit_code != 0 and "nothing was loaded" in failed.output
    export = tmp_path / "out.nq"
    result = runner.invoke(
        main, ["export", "--format", "nquads", "-o", str(export), "--data-dir", str(data_dir)]
    )
    assert result.exit_code == 0, result.output
    assert export.read_bytes() == b""


def test_cli_export_writes_the_dataset(tmp_path):
    from casegraph.store.oxigraph import OxigraphStore

    data_dir = tmp_path / "store"
    store = OxigraphStore(data_dir, query_workers=1)
    store.replace_graphs(fixture_graphs())
    store.close()
    target = tmp_path / "all.trig"
    result = CliRunner().invoke(main, ["export", "-o", str(target), "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    dataset = Dataset()
    dataset.parse(target, format="trig")
    expected = Dataset()
    expected.parse(STORE_FIXTURE_TRIG, format="trig")
    def quads(ds):
        return {(s, p, o, c.identifier) for c in ds.graphs() for s, p, o in c}

    assert quads(dataset) == quads(expected)


def test_a_failed_export_leaves_the_previous_file(tmp_path):
    target = tmp_path / "export.nq"
    target.write_bytes(b"previous export\n")

    def chunks():
        yield b"<urn:x:s> <urn:x:p> <urn:x:o> <urn:x:g> .\n"
        raise OSError("the store went away")

    with pytest.raises(OSError):
        write_atomically(chunks(), target)
    assert target.read_bytes() == b"previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["export.nq"]
    write_atomically(iter([b"new\n"]), target)
    assert target.read_bytes() == b"new\n"


def test_literal_language_survives_a_round_trip(loaded_store):
    label = Literal("供水党支部", lang="zh-Hans")
    assert (
        URIRef(ID + "org/beta-water-branch"),
        URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
        label,
    ) in loaded_store.graph(BETA)
