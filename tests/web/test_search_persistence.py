"""The search index kept beside the embedded store: opened as it is after a restart when
it is in step with the store, rebuilt when it is stale, missing or unreadable."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from rdflib import URIRef

from casegraph.search.index import INDEX_DIRECTORY, SearchIndex
from casegraph.store.oxigraph import OxigraphStore
from casegraph.web import create_app
from casegraph.web.context import SEARCH_KEY, refresh_after_write
from tests.web.conftest import settings_for
from tests.web.test_search import CASE_A, CASE_B, turtle

BASE = "https://w3id.org/casegraph/id/"


class Service:
    """The app over the embedded store in ``data_dir``, started and stopped like a process."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.store = OxigraphStore(data_dir, query_workers=1)
        self.app = create_app(settings_for("oxigraph", data_dir=data_dir), {"TESTING": True},
                              store=self.store)
        self.index: SearchIndex = self.app.extensions[SEARCH_KEY]
        assert self.index.wait_for_build(60)
        assert self.index.built, self.index.build_error

    def search(self, query: str) -> list[str]:
        answer = self.app.test_client().get("/search.json", query_string={"q": query})
        assert answer.status_code == 200, answer.text
        return [r["iri"].removeprefix(BASE) for r in answer.json["results"]]

    def health(self) -> dict:
        """/healthz once the query workers are up (503 "starting" before)."""
        deadline = time.monotonic() + 60
        while (answer := self.app.test_client().get("/healthz")).status_code == 503:
            assert time.monotonic() < deadline, answer.json
            time.sleep(0.05)
        return answer.json

    def write(self, changes) -> None:
        """A committed write and its refresh, as the write endpoints do it."""
        self.store.replace_graphs(changes)
        with self.app.app_context():
            refresh_after_write(list(changes))

    def stop(self) -> None:
        self.store.close()


@pytest.fixture()
def data_dir(tmp_path):
    store = OxigraphStore(tmp_path / "store", query_workers=1)
    store.replace_graphs({
        CASE_A: turtle('<org/plant> a cg:Company ; rdfs:label "济南热电集团"@zh-Hans .'),
        CASE_B: turtle('<case/b/passage/p1> a cg:Passage ; cg:quote "西部热源党支部"@zh-Hans .'),
    })
    store.close()
    return tmp_path / "store"


def index_commit(data_dir: Path) -> bytes:
    """tantivy's record of the last commit: unchanged exactly when nothing was committed."""
    return (data_dir / INDEX_DIRECTORY / "meta.json").read_bytes()


def test_a_restart_opens_the_kept_index_without_rebuilding_it(data_dir, caplog):
    first = Service(data_dir)
    assert first.search("濟南熱電") == ["org/plant"]  # traditional query, simplified label
    first.stop()
    commit = index_commit(data_dir)
    with caplog.at_level(logging.INFO, logger="casegraph.search.index"):
        second = Service(data_dir)
    try:
        assert index_commit(data_dir) == commit  # nothing was rebuilt: the index was opened
        assert "opened in step with the store: 2 documents" in caplog.text
        assert second.search("濟南熱電") == ["org/plant"]
        assert second.search("熱源") == ["case/b/passage/p1"]
    finally:
        second.stop()


def test_a_write_is_searchable_at_once_and_after_a_restart(data_dir):
    first = Service(data_dir)
    first.write({CASE_B: turtle('<org/new> a cg:Company ; rdfs:label "新能源公司"@zh-Hans .')})
    assert first.search("新能源") == ["org/new"]
    assert first.search("热源") == []  # case b's passage went with the write
    first.stop()
    commit = index_commit(data_dir)
    second = Service(data_dir)
    try:
        assert index_commit(data_dir) == commit
        assert second.search("新能源") == ["org/new"]
        assert second.search("热源") == []
    finally:
        second.stop()


def test_a_write_the_index_missed_makes_it_stale_and_it_is_rebuilt(data_dir, caplog):
    """A crash between the store's commit and the index's: the store's stamp moved first."""
    first = Service(data_dir)
    first.store.replace_graphs({CASE_B: turtle('<org/late> a cg:Company ; rdfs:label "迟到的公司"@zh-Hans .')})
    first.stop()  # no refresh: the process died before it
    with caplog.at_level(logging.INFO, logger="casegraph.search.index"):
        second = Service(data_dir)
    try:
        assert "not in step with the store" in caplog.text
        assert second.search("迟到") == ["org/late"]
        assert second.search("热源") == []
    finally:
        second.stop()


def test_a_write_cut_short_before_its_commit_still_makes_the_index_stale(data_dir, caplog):
    first = Service(data_dir)
    stamp = first.store.write_stamp()
    first.store._begin_write()  # the stamp is on disk; the process dies before the commit
    first.stop()
    with caplog.at_level(logging.INFO, logger="casegraph.search.index"):
        second = Service(data_dir)
    try:
        assert second.store.write_stamp() != stamp
        assert "not in step with the store" in caplog.text
        assert second.search("济南热电") == ["org/plant"]
    finally:
        second.stop()
    commit = index_commit(data_dir)
    third = Service(data_dir)  # the rebuild was stamped with the store's new stamp
    try:
        assert index_commit(data_dir) == commit
    finally:
        third.stop()


@pytest.mark.parametrize("damage", ["garbage meta.json", "no meta.json", "segments deleted"])
def test_an_unreadable_index_directory_is_rebuilt(data_dir, damage):
    Service(data_dir).stop()
    directory = data_dir / INDEX_DIRECTORY
    if damage == "garbage meta.json":
        (directory / "meta.json").write_text("{not json")
    elif damage == "no meta.json":
        (directory / "meta.json").unlink()
    else:
        for file in directory.iterdir():
            if file.name != "meta.json":
                file.unlink()
    second = Service(data_dir)
    try:
        assert second.search("濟南熱電") == ["org/plant"]
        assert second.search("熱源") == ["case/b/passage/p1"]
    finally:
        second.stop()


def test_a_refresh_also_indexes_a_concurrent_write_whose_own_refresh_is_late(data_dir):
    """Two writes commit, and the second's refresh runs first: its commit may only carry a
    stamp covering both, so it indexes the first write's graph too."""
    service = Service(data_dir)
    try:
        service.store.replace_graphs({CASE_A: turtle('<org/a2> a cg:Company ; rdfs:label "先写的公司"@zh-Hans .')})
        service.write({CASE_B: turtle('<org/b2> a cg:Company ; rdfs:label "后写的公司"@zh-Hans .')})
        assert service.search("先写") == ["org/a2"]
        assert service.search("后写") == ["org/b2"]
    finally:
        service.stop()
    commit = index_commit(data_dir)
    restarted = Service(data_dir)
    try:
        assert index_commit(data_dir) == commit  # the stamp written covered both writes
        assert restarted.search("先写") == ["org/a2"]
    finally:
        restarted.stop()


def test_the_memory_store_gets_an_index_in_ram(tmp_path):
    from casegraph.store.memory import MemoryStore

    store = MemoryStore()
    store.replace_graphs({CASE_A: turtle('<org/x> rdfs:label "旧名称"@zh-Hans .')})
    app = create_app(settings_for("memory", data_dir=tmp_path), {"TESTING": True}, store=store)
    index = app.extensions[SEARCH_KEY]
    assert index.wait_for_build(30) and index.directory is None
    assert app.test_client().get("/search.json?q=旧名称").json["total"] == 1
    assert list(tmp_path.iterdir()) == []
    assert store.write_stamp() is None and URIRef(CASE_A) in store.named_graphs()


def test_a_write_the_index_cannot_take_is_never_served_stale(data_dir, monkeypatch):
    """The store's write stands; the index says it is not built and the next search
    rebuilds it rather than answer without the write."""
    service = Service(data_dir)
    try:
        real_commit = SearchIndex._commit

        def full_disk(index, writer, stamp):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(SearchIndex, "_commit", full_disk)
        service.write({CASE_B: turtle('<org/new> a cg:Company ; rdfs:label "新能源公司"@zh-Hans .')})
        health = service.health()
        assert health["status"] == "degraded", health
        assert "could not be indexed" in health["degraded"]["search index"]
        monkeypatch.setattr(SearchIndex, "_commit", real_commit)
        assert service.search("新能源") == ["org/new"]  # rebuilt by this search
        assert service.health()["status"] == "ok"
    finally:
        service.stop()
