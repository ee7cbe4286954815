"""Shared fixtures.

Storage: ``store`` is an EMPTY store of each backend in turn (oxigraph embedded,
memory, remote — the remote one starts a real ``oxigraph serve`` and is marked
``remote``); ``loaded_store`` holds the small fixture dataset
``tests/store/data/two-cases.trig``.  The embedded store and the server are
shared across tests (starting them is the slow part) and emptied before each test.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from rdflib import URIRef

from casegraph.rdf.graphs import parse_named_graphs
from casegraph.store.base import Store

STORE_FIXTURE_TRIG = Path(__file__).parent / "store" / "data" / "two-cases.trig"
BACKENDS = ["oxigraph", "memory", pytest.param("remote", marks=pytest.mark.remote)]


def fixture_graphs() -> dict[URIRef, object]:
    """The fixture dataset as rdflib graphs, one per named graph."""
    return parse_named_graphs(STORE_FIXTURE_TRIG, "application/trig")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """A real ``oxigraph serve`` on a free port: its base URL.

    Without ``--union-default-graph``: the remote store keeps the merge of the named
    graphs in the server's default graph (``store.remote``)."""
    binary = shutil.which("oxigraph")
    if binary is None:
        pytest.skip("the oxigraph server binary (PyPI package 'oxigraph') is not on PATH")
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph-server")
    process = subprocess.Popen(
        [
            binary,
            "serve",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout-s",
            "30",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(
                    f"oxigraph serve did not start: {process.stderr.read()!r}"
                ) from None
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(10)


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
    from casegraph.store.remote import RemoteStore

    base = request.getfixturevalue("oxigraph_server")
    return RemoteStore(f"{base}/query", f"{base}/update", f"{base}/store", timeout=30)


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
