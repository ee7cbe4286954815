"""`casegraph validate`: what a curator sees and the exit code CI relies on."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from casegraph.cli import main

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
