"""``casegraph publish``: validate locally, then one all-or-nothing write with the text."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from rdflib import URIRef

from casegraph import paths
from casegraph.cli import main
from casegraph.config import Settings
from casegraph.store.bootstrap import load_bundled
from casegraph.store.memory import MemoryStore
from tests.web.conftest import UPDATE_TOKEN, live_service, settings_for

SLUG = "jinan-water-group"
GRAPH = URIRef(f"https://w3id.org/casegraph/id/graph/case/{SLUG}")
CASE = URIRef(f"https://w3id.org/casegraph/id/case/{SLUG}")
SOURCE_TEXT = URIRef("https://w3id.org/casegraph/ns#sourceText")


@pytest.fixture(scope="module")
def memory_service():
    """The bundled data on the memory backend with the default body limit: a whole case
    with its text is past the 64 KB the shared test service allows (to test 413s)."""
    store = MemoryStore()
    load_bundled(store, Settings())
    with live_service(store, settings_for("memory")) as live:
        yield live


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


def test_a_published_case_without_a_bundled_file_shows_its_uploaded_text(memory_service, tmp_path):
    """A case that exists only on the service: its page shows the text that came with it."""
    slug = "water-published-copy"
    folder = tmp_path / slug
    shutil.copytree(paths.CASES_DIR / SLUG, folder)
    trig = folder / "case.trig"
    trig.write_text(trig.read_text(encoding="utf-8").replace(SLUG, slug), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["publish", slug, "--endpoint", memory_service.url, "--cases-dir", str(tmp_path)],
        env={"CASEGRAPH_UPDATE_TOKEN": UPDATE_TOKEN},
    )
    assert result.exit_code == 0, result.output
    assert not (paths.CASES_DIR / slug).exists()
    page = memory_service.get(f"/id/case/{slug}", {"Accept": "text/html"})
    assert page.status == 200
    assert "找不到本案例的原文" not in page.text and "The text file of this case is missing" not in page.text
    assert "段落引文与原文偏移不一致" not in page.text  # every quote checked against the text
    uncited = "【说明】本文为公开页面要点的中文复述"
    source = (folder / "source.txt").read_text(encoding="utf-8")
    assert uncited in source and uncited in page.text


def _export(service, cases_dir, *extra):
    return CliRunner().invoke(main, ["export-case", SLUG, "--endpoint", service.url,
                                     "--cases-dir", str(cases_dir), *extra])


def test_export_case_writes_back_what_was_published(memory_service, tmp_path):
    """The way a workspace case joins data/: the graph read from the service is the
    bundled case (same triples, text in source.txt, not in the graph) and validates."""
    from rdflib import Dataset
    from rdflib.compare import isomorphic

    from casegraph.shacl.validation import validate_files

    assert _publish(memory_service, paths.CASES_DIR).exit_code == 0
    result = _export(memory_service, tmp_path)
    assert result.exit_code == 0, result.output
    folder = tmp_path / SLUG
    source = (paths.CASES_DIR / SLUG / "source.txt").read_text(encoding="utf-8")
    assert (folder / "source.txt").read_text(encoding="utf-8") == source
    written = (folder / "case.trig").read_text(encoding="utf-8")
    assert "@base <https://w3id.org/casegraph/id/> ." in written and "<case/jinan-water-group>" in written
    exported, bundled = Dataset(), Dataset()
    exported.parse(folder / "case.trig", format="trig")
    bundled.parse(paths.CASES_DIR / SLUG / "case.trig", format="trig")
    assert isomorphic(exported.graph(GRAPH), bundled.graph(GRAPH))
    assert not validate_files([folder / "case.trig"]).violations
    again = _export(memory_service, tmp_path)
    assert again.exit_code != 0 and "--force" in again.output
    assert _export(memory_service, tmp_path, "--force").exit_code == 0


def test_export_of_a_case_the_service_lacks_writes_nothing(memory_service, tmp_path):
    result = CliRunner().invoke(main, ["export-case", "no-such-case", "--endpoint",
                                       memory_service.url, "--cases-dir", str(tmp_path)])
    assert result.exit_code != 0 and "has no graph" in result.output
    assert list(tmp_path.iterdir()) == []
