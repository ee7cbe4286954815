"""Shared fixtures.

Storage: ``store`` is an EMPTY store of each backend in turn (oxigraph embedded,
memory, remote — the remote one starts a real server, ``oxigraph serve`` or Virtuoso
by ``CASEGRAPH_TEST_REMOTE`` (``tests/remote_servers.py``), and is marked ``remote``); ``loaded_store`` holds the small fixture dataset
``tests/store/data/two-cases.trig``.  The embedded store and the server are
shared across tests (starting them is the slow part) and emptied before each test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import URIRef

from casegraph.rdf.graphs import parse_named_graphs
from casegraph.store.base import Store
from tests.remote_servers import RemoteServer
from tests.remote_servers import remote_server as start_remote_server

STORE_FIXTURE_TRIG = Path(__file__).parent / "store" / "data" / "two-cases.trig"
BACKENDS = ["oxigraph", "memory", pytest.param("remote", marks=pytest.mark.remote)]


def fixture_graphs() -> dict[URIRef, object]:
    """The fixture dataset as rdflib graphs, one per named graph."""
    return parse_named_graphs(STORE_FIXTURE_TRIG, "application/trig")


@pytest.fixture(scope="session")
def remote_server(tmp_path_factory) -> Iterator[RemoteServer]:
    """The remote backend's real server (``CASEGRAPH_TEST_REMOTE``: oxigraph or virtuoso)."""
    with start_remote_server(tmp_path_factory.mktemp("remote-server") / "db") as server:
        yield server


@pytest.fixture(scope="session")
def _embedded_store(tmp_path_factory):
    from casegraph.store.oxigraph import OxigraphStore

    store = OxigraphStore(tmp_path_factory.mktemp("embedded") / "store", query_workers=2)
    yield store
    store.close()


def _make_store(backend: str, request) -> Store:
    if backend == "oxigraph":
        return request.getfixturevalue("_embedded_store")
    if backend == "memory":
        from casegraph.store.memory import MemoryStore

        return MemoryStore()
    return request.getfixturevalue("remote_server").store(timeout=30)


@pytest.fixture(params=BACKENDS)
def store(request) -> Store:
    """An empty store of each backend."""
    store = _make_store(request.param, request)
    store.replace_graphs({iri: None for iri in store.named_graphs()})
    return store


@pytest.fixture
def loaded_store(store) -> Store:
    """A store of each backend holding the fixture dataset (two cases + ontology slice)."""
    store.replace_graphs(fixture_graphs())
    return store


@pytest.fixture
def remote_loaded(request) -> Store:
    """The remote backend alone, holding the fixture dataset."""
    store = request.getfixturevalue("remote_server").store(timeout=30)
    store.replace_graphs({iri: None for iri in store.named_graphs()})
    store.replace_graphs(fixture_graphs())
    return store

