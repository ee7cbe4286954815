"""The draft graph: valid TriG, every node a draft, every quote the text at its offsets."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import RDF, Dataset, Literal

from casegraph.cli import main
from casegraph.drafting.draft_graph import CG, draft_case
from casegraph.drafting.scaffold import scaffold_case

SNIPPET = (
    "案例简介:\n濟南熱電集團有限公司西部熱源分公司黨支部現有黨員23人,"
    "斬獲山東省住建系統2021年度“五小”競賽一等獎。\n二、主要做法\n"
    "(一)延长基层党建工作手臂\n一是支委委员进班组。故障处置时间从3小时降到了10分钟。\n"
)


@pytest.fixture(scope="module")
def drafted() -> tuple[Dataset, str]:
    draft = draft_case(SNIPPET, "snippet-case")
    dataset, text = draft.dataset, draft.text
    reparsed = Dataset(default_union=True)
    reparsed.parse(data=dataset.serialize(format="trig"), format="trig")
    return reparsed, text


def test_draft_round_trips_as_trig_with_one_draft_graph(drafted):
    dataset, _ = drafted
    graphs = [g.identifier for g in dataset.graphs() if len(g)]
    assert [str(g) for g in graphs] == ["https://w3id.org/casegraph/id/graph/case/snippet-case"]


def test_every_candidate_is_a_draft_with_a_passage_quoting_the_text(drafted):
    dataset, text = drafted
    stated = list(dataset.subject_objects(CG.statedIn))
    assert len(stated) > 5
    for node, passage in stated:
        assert dataset.value(node, CG.isDraft) == Literal(True)
        assert 0 < float(dataset.value(node, CG.draftConfidence)) <= 1
        assert str(passage).startswith("https://w3id.org/casegraph/id/case/snippet-case/passage/p")
        start = int(dataset.value(passage, CG.charStart))
        end = int(dataset.value(passage, CG.charEnd))
        assert str(dataset.value(passage, CG.quote)) == text[start:end]
        assert dataset.value(passage, CG.inSection) is not None


def test_draft_proposes_each_kind(drafted):
    dataset, _ = drafted
    for cg_class in ("PartyBranch", "AwardConferral", "Figure", "MeasuredEffect", "Practice"):
        assert any(dataset.subjects(RDF.type, CG[cg_class])), cg_class
    conferral = next(dataset.subjects(RDF.type, CG.AwardConferral))
    assert str(dataset.value(conferral, CG.year)) == "2021"
    issuer = dataset.value(conferral, CG.issuer)
    assert dataset.value(issuer, CG.isDraft) == Literal(True)
    competition = dataset.value(conferral, CG.competition)
    assert (competition, RDF.type, CG.Event) in dataset


def test_draft_case_command_writes_parseable_trig(tmp_path):
    raw = tmp_path / "raw.txt"
    raw.write_text(SNIPPET, encoding="utf-8")
    out = tmp_path / "draft.trig"
    result = CliRunner().invoke(main, ["draft-case", str(raw), "--slug", "x", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "organisation" in result.output  # the summary line on stderr
    assert "linked to existing entities" in result.output
    Dataset().parse(out, format="trig")


def test_scaffold_creates_a_parseable_case_and_never_overwrites(tmp_path):
    folder = scaffold_case("new-example-case", tmp_path)
    dataset = Dataset()
    dataset.parse(folder / "case.trig", format="trig")
    graph_names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert graph_names == {"https://w3id.org/casegraph/id/graph/case/new-example-case"}
    assert (folder / "source.txt").read_text(encoding="utf-8") == ""
    (folder / "case.trig").write_text("# edited", encoding="utf-8")
    with pytest.raises(FileExistsError):
        scaffold_case("new-example-case", tmp_path)
    assert (folder / "case.trig").read_text(encoding="utf-8") == "# edited"


@pytest.mark.parametrize(
    "slug", ["Upper", "under_score", "-lead", "trail-", "a--b", "中文", "", "a/b"]
)
def test_scaffold_refuses_bad_slugs(tmp_path, slug):
    with pytest.raises(ValueError, match="slug"):
        scaffold_case(slug, tmp_path)
    assert not any(tmp_path.iterdir())


def test_new_case_command_reports_a_bad_slug_without_traceback(tmp_path):
    result = CliRunner().invoke(main, ["new-case", "Bad_Slug"])
    assert result.exit_code != 0
    assert "slug" in result.output


ACCEPTED_ONLY = (
    CG.isDraft,
    CG.draftConfidence,
    CG.linkScore,
    CG.linkRunnerUp,
    CG.linkRunnerUpScore,
    CG.missingLabel,
)


def test_an_accepted_draft_is_a_valid_case_without_rewriting(tmp_path):
    """Accepting = dropping the draft markers; what is left validates, quotes checked."""
    from casegraph.shacl.validation import validate_files

    text = (
        "济南热电集团有限公司西部热源分公司党支部\n案例简介:\n"
        "济南热电集团有限公司西部热源分公司党支部现有党员23人,"
        "斩获山东省住建系统2021年度“五小”竞赛一等奖。\n二、主要做法\n"
        "(一)党小组挂靠一线车间\n一是支委委员进班组。故障处置时间从3小时降到了10分钟。\n"
    )
    draft = draft_case(text, "accepted-case")
    for marker in ACCEPTED_ONLY:
        draft.dataset.remove((None, marker, None, None))
    (tmp_path / "case.trig").write_text(draft.dataset.serialize(format="trig"), encoding="utf-8")
    (tmp_path / "source.txt").write_text(draft.text, encoding="utf-8")
    report = validate_files([tmp_path / "case.trig"])
    assert not report.violations, report.to_text()
    # The same check refuses a quote that is not the text at its offsets.
    (tmp_path / "source.txt").write_text(draft.text.replace("23", "24"), encoding="utf-8")
    assert validate_files([tmp_path / "case.trig"]).violations
