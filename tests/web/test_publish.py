"""``casegraph publish``: validate locally, then one all-or-nothing write with the text."""

from __future__ import annotations

import shutil

from click.testing import CliRunner
from rdflib import URIRef

from casegraph import paths
from casegraph.cli import main
from tests.web.conftest import UPDATE_TOKEN

SLUG = "jinan-water-group"
GRAPH = URIRef(f"https://w3id.org/casegraph/id/graph/case/{SLUG}")
CASE = URIRef(f"https://w3id.org/casegraph/id/case/{SLUG}")
SOURCE_TEXT = URIRef("https://w3id.org/casegraph/ns#sourceText")


def _publish(service, cases_dir, token=UPDATE_TOKEN):
    env = {"CASEGRAPH_UPDATE_TOKEN": token}  # None unsets it for the run
    return CliRunner().invoke(
        main,
        ["publish", SLUG, "--endpoint", service.url, "--cases-dir", str(cases_dir)],
        env=env,
    )


def test_publish_uploads_graph_and_text(memory_service):
    result = _publish(memory_service, paths.CASES_DIR)
    assert result.exit_code == 0, result.output
    assert f"published <{GRAPH}>" in result.output
    stored = memory_service.store.graph(GRAPH).value(CASE, SOURCE_TEXT)
    source = (paths.CASES_DIR / SLUG / "source.txt").read_text(encoding="utf-8")
    assert str(stored) == source


def test_a_falsified_quote_stops_publish_before_anything_is_sent(memory_service, tmp_path):
    shutil.copytree(paths.CASES_DIR / SLUG, tmp_path / SLUG)
    trig = tmp_path / SLUG / "case.trig"
    trig.write_text(trig.read_text(encoding="utf-8").replace("共有中共党员841名", "共有中共党员842名"),
                    encoding="utf-8")
    before = len(memory_service.store.graph(GRAPH))
    result = _publish(memory_service, tmp_path)
    assert result.exit_code != 0
    assert "does not validate" in result.output and "passage/p04" in result.output
    assert len(memory_service.store.graph(GRAPH)) == before


def test_publish_without_or_with_a_wrong_token_says_so(memory_service):
    missing = _publish(memory_service, paths.CASES_DIR, token=None)
    assert missing.exit_code != 0 and "CASEGRAPH_UPDATE_TOKEN" in missing.output
    wrong = _publish(memory_service, paths.CASES_DIR, token="not-the-token")
    assert wrong.exit_code != 0 and "401" in wrong.output
