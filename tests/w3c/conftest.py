"""The service the W3C suites run against: empty, writes enabled, on two backends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from casegraph.config import Settings
from casegraph.store.memory import MemoryStore

from tests.web.conftest import UPDATE_TOKEN, LiveService, live_service


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def empty_service(request, tmp_path_factory) -> Iterator[LiveService]:
    """A service with no data and writes enabled; each test clears it first."""
    if request.param == "memory":
        store = MemoryStore()
    else:
        from casegraph.store.oxigraph import OxigraphStore

        store = OxigraphStore(tmp_path_factory.mktemp("w3c") / "store", query_workers=2)
    settings = Settings(store=request.param, update_token=UPDATE_TOKEN)
    with live_service(store, settings) as live:
        yield live
    store.close()
