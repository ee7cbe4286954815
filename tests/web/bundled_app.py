"""The real app over a fresh store holding the bundled ontology and cases.

Shared by the search, shell-page, export and question tests (imported, not a conftest, so that it does not
collide with other page tests' fixtures).  ``create_app`` loads the bundled data into an
empty store and builds the search index at start-up, as ``casegraph serve`` does.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from casegraph.config import Settings
from casegraph.store.bootstrap import load_bundled
from casegraph.store.memory import MemoryStore
from casegraph.web import create_app


def bundled_app(data_dir: Path):
    return create_app(Settings(store="oxigraph", data_dir=data_dir), {"TESTING": True})


def bundled_app_closed_after(data_dir: Path) -> Iterator:
    """A module fixture's body: the bundled app, its store closed when the module is done."""
    app = bundled_app(data_dir)
    yield app
    app.extensions["casegraph.store"].close()


def bundled_memory_store() -> MemoryStore:
    """The bundled data in the in-memory store (fast to build, shared by a module)."""
    store = MemoryStore()
    load_bundled(store, Settings(store="memory"))
    return store


def memory_client(store: MemoryStore):
    """A Flask test client of the app over ``store``."""
    return create_app(Settings(store="memory"), {"TESTING": True}, store=store).test_client()
