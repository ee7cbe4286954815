"""`casegraph validate`: what a curator sees and the exit code CI relies on."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from click.testing import CliRunner

from casegraph.cli import main
from casegraph.paths import case_files
from casegraph.shacl.validation import validate_dump, validate_files

FIXTURE = Path(__file__).parents[1] / "fixtures" / "western-heat-source" / "case.trig"
CONFERRAL = "https://w3id.org/casegraph/id/case/western-heat-source/conferral/wuxiao-2021"


def run(*args: str):
    return CliRunner().invoke(main, ["validate", *args])


def test_conforming_file_exits_zero():
    result = run(str(FIXTURE))
    assert result.exit_code == 0, result.output
    assert "Conforms: 0 violation(s)" in result.output


def test_violation_exits_one_and_names_file_and_focus_node(tmp_path):
    broken = tmp_path / "case.trig"
    text = FIXTURE.read_text(encoding="utf-8")
    broken.write_text(
        text.replace("cg:issuer <org/shandong-housing-construction-system> ;", ""),
        encoding="utf-8",
    )
    result = run(str(broken))
    assert result.exit_code == 1
    assert str(broken) in result.output
    assert "id:case/western-heat-source/conferral/wuxiao-2021" in result.output
    assert "cg:issuer" in result.output
    assert "授奖必须有 cg:issuer" in result.output


def test_syntax_error_reports_line_and_column(tmp_path):
    broken = tmp_path / "case.trig"
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if "cg:competingEntries 291" in line)
    lines[index] = lines[index].replace("291 ;", "291 ;;; ]")
    broken.write_text("\n".join(lines), encoding="utf-8")
    result = run(str(broken))
    assert result.exit_code == 1
    assert f"{broken}:{index + 1}:" in result.output
    assert "syntax error" in result.output


def test_warnings_do_not_fail(tmp_path):
    broken = tmp_path / "case.trig"
    text = FIXTURE.read_text(encoding="utf-8")
    broken.write_text(text.replace(', "Xie Wei"@en', ""), encoding="utf-8")
    result = run(str(broken))
    assert result.exit_code == 0
    assert "WARNING" in result.output and "No English label" in result.output


def test_json_report(tmp_path):
    broken = tmp_path / "case.trig"
    text = FIXTURE.read_text(encoding="utf-8")
    broken.write_text(text.replace('cg:year "2021"^^xsd:gYear', 'cg:year "2021"'), "utf-8")
    result = run("--format", "json", str(broken))
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["conforms"] is False
    (year,) = [r for r in report["results"] if r["path"].endswith("#year")]
    assert year["focusNode"] == CONFERRAL
    assert year["sourceShape"].endswith("#YearShape")
    assert year["messages"]["zh-Hans"] and year["messages"]["en"]


def test_a_shared_entity_labelled_differently_in_two_case_graphs_is_a_warning(tmp_path):
    """One IRI, two labels in one language across case graphs: warned, not failed."""
    from casegraph import paths

    water = paths.CASES_DIR / "jinan-water-group" / "case.trig"
    bus = paths.CASES_DIR / "jinan-bus-3rd-branch-team7" / "case.trig"
    assert "<place/jinan>" in bus.read_text(encoding="utf-8")
    renamed = tmp_path / "case.trig"
    renamed.write_text(
        water.read_text(encoding="utf-8").replace('"济南市"@zh-Hans', '"济南"@zh-Hans'),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["validate", str(renamed), str(bus)])
    assert result.exit_code == 0, result.output
    assert "label differs between case graphs" in result.output
    assert "id:place/jinan" in result.output or "place/jinan" in result.output
    clean = CliRunner().invoke(main, ["validate", str(water), str(bus)])
    assert "label differs between case graphs" not in clean.output


def dump_of(tmp_path: Path, files: list[Path], name: str = "dump.nq") -> Path:
    """An N-Quads dump of these case files, as `oxigraph dump` writes one (grouped by graph)."""
    import pyoxigraph as ox

    store = ox.Store()
    for file in files:
        store.load(path=str(file), format=ox.RdfFormat.TRIG, base_iri=file.resolve().as_uri())
    out = tmp_path / name
    store.dump(output=str(out), format=ox.RdfFormat.N_QUADS)
    return out


def shacl_findings(report) -> Counter:
    return Counter((r.severity, r.graph, r.focus_node, r.path, r.source_shape, r.value)
                   for r in report.results if r.source_shape is not None)


def test_dump_of_every_bundled_case_gives_the_files_findings_in_two_processes(tmp_path):
    files = case_files()
    dump = dump_of(tmp_path, files)
    result = run("--dump", str(dump), "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert f"in {len(files)} graph(s)" in result.output
    parallel = validate_dump(dump, jobs=2)
    assert shacl_findings(parallel) == shacl_findings(validate_dump(dump, jobs=1))
    from_files = validate_files(files)
    assert sum(shacl_findings(from_files).values()) > 0  # the bundled cases' own warnings
    assert shacl_findings(parallel) == shacl_findings(from_files)


def test_dump_with_a_violating_graph_names_graph_and_focus_node(tmp_path):
    broken = tmp_path / "case.trig"
    broken.write_text(FIXTURE.read_text(encoding="utf-8").replace(
        "cg:issuer <org/shandong-housing-construction-system> ;", ""), encoding="utf-8")
    dump = dump_of(tmp_path, [*case_files()[:5], broken])
    result = run("--dump", str(dump), "--jobs", "2")
    assert result.exit_code == 1
    assert "id:case/western-heat-source/conferral/wuxiao-2021" in result.output
    assert "授奖必须有 cg:issuer" in result.output
    violations = [r for r in validate_dump(dump).results if r.severity == "Violation"]
    assert {str(r.graph) for r in violations} == {
        "https://w3id.org/casegraph/id/graph/case/western-heat-source"}


def test_dump_file_problems_are_reported_where_they_are(tmp_path):
    lines = dump_of(tmp_path, [FIXTURE]).read_text(encoding="utf-8").splitlines()
    graph = "<https://w3id.org/casegraph/id/graph/case/western-heat-source>"
    split = len(lines) // 2
    other = [line.replace(graph, "<https://example.org/graph/other>") for line in lines[:3]]
    stray = "<https://example.org/s> <https://example.org/p> <https://example.org/o> ."
    dump = tmp_path / "problems.nq"
    dump.write_text("\n".join([*lines[:split], *other, *lines[split:], stray,
                               "<https://example.org/s> <broken"]) + "\n", encoding="utf-8")
    report = validate_dump(dump, jobs=1)
    messages = [r.message_en for r in report.results if r.severity == "Violation"]
    assert any("not contiguous" in m for m in messages)
    assert any(m.startswith("1 triple(s) outside any named graph") for m in messages)
    assert any(m.startswith("syntax error") and "line" in m.lower() for m in messages), messages
    assert run("--dump", str(dump)).exit_code == 1


def test_dump_and_files_are_not_mixed(tmp_path):
    result = run(str(FIXTURE), "--dump", str(dump_of(tmp_path, [FIXTURE])))
    assert result.exit_code == 2 and "not both" in result.output
