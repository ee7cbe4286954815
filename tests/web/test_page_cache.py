"""Entity pages kept until the next write: served again unchanged, retired by any write,
kept apart by language, and never kept on a store without a write stamp."""

from __future__ import annotations

import pytest

from casegraph.config import Settings
from casegraph.web import create_app, page_cache
from casegraph.web.page_cache import PageCache

GROUP_PAGE = "/id/org/jinan-energy-group"
WATER_GRAPH = "https://w3id.org/casegraph/id/graph/case/beta-water"


@pytest.fixture
def keep_every_render(monkeypatch):
    """The fixture data renders fast; keep every page as if it had been slow."""
    monkeypatch.setattr(page_cache, "MIN_RENDER_SECONDS", 0.0)


def app_for(store):
    return create_app(Settings(store="oxigraph", update_token="secret-token"), store=store)


def cache_of(app) -> PageCache:
    with app.app_context():
        return page_cache.page_cache()


@pytest.mark.parametrize("store", ["oxigraph"], indirect=True)
def test_a_page_is_kept_until_a_write_retires_it(loaded_store, keep_every_render):
    app = app_for(loaded_store)
    client = app.test_client()
    first = client.get(GROUP_PAGE)
    assert first.status_code == 200 and "供水党支部" in first.get_data(as_text=True)
    again = client.get(GROUP_PAGE)
    assert again.get_data() == first.get_data()
    assert again.headers["Vary"] == first.headers["Vary"]
    assert cache_of(app).hits == 1

    chinese = client.get(GROUP_PAGE + "?lang=zh-Hans")
    assert chinese.get_data() != first.get_data()  # the interface language is part of the key
    assert cache_of(app).hits == 1

    dropped = client.delete("/store", query_string={"graph": WATER_GRAPH},
                            headers={"Authorization": "Bearer secret-token"})
    assert dropped.status_code in (200, 204), dropped.get_data(as_text=True)
    after = client.get(GROUP_PAGE)
    assert after.status_code == 200
    assert "供水党支部" not in after.get_data(as_text=True)  # not the kept page
    assert cache_of(app).hits == 1


@pytest.mark.parametrize("store", ["oxigraph"], indirect=True)
def test_missing_pages_and_rdf_are_not_kept(loaded_store, keep_every_render):
    app = app_for(loaded_store)
    client = app.test_client()
    for _ in range(2):
        assert client.get("/id/org/nobody").status_code == 404
        assert client.get(GROUP_PAGE + "?format=ttl").status_code == 200
    assert cache_of(app).hits == 0


@pytest.mark.parametrize("store", ["memory"], indirect=True)
def test_a_store_without_a_write_stamp_is_never_cached(loaded_store, keep_every_render):
    app = app_for(loaded_store)
    client = app.test_client()
    assert client.get(GROUP_PAGE).get_data() == client.get(GROUP_PAGE).get_data()
    assert cache_of(app).hits == 0 and cache_of(app).misses == 0


def test_the_cache_stays_within_its_bytes_and_drops_older_stamps(keep_every_render):
    cache = PageCache(max_bytes=10)
    assert cache.page(("a",), "s1", lambda: ("12345", 200)) == ("12345", 200)
    cache.page(("b",), "s1", lambda: ("67890", 200))
    cache.page(("c",), "s1", lambda: ("xyz", 200))  # "a" goes: least recently used
    assert cache.page(("a",), "s1", lambda: ("new", 200)) == ("new", 200)
    assert cache.page(("c",), "s1", lambda: ("never", 200)) == ("xyz", 200)
    cache.page(("d",), "s2", lambda: ("d", 200))  # a write happened: s1 pages go
    assert cache.page(("c",), "s2", lambda: ("fresh", 200)) == ("fresh", 200)
    assert cache.page(("big",), "s2", lambda: ("x" * 11, 200)) == ("x" * 11, 200)
    assert cache.page(("big",), "s2", lambda: ("again", 200)) == ("again", 200)
