"""The real app over a fresh embedded store holding the bundled ontology and cases.

Shared by the search and shell-page tests (imported, not a conftest, so that it does not
collide with other page tests' fixtures).  ``create_app`` loads the bundled data into an
empty store and builds the search index at start-up, as ``casegraph serve`` does.
"""

from __future__ import annotations

from pathlib import Path

from casegraph.config import Settings
from casegraph.web import create_app


def bundled_app(data_dir: Path):
    return create_app(Settings(store="oxigraph", data_dir=data_dir), {"TESTING": True})
