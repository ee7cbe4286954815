"""Where the project's knowledge artefacts live.

The ontology, shapes and curated cases are part of the repository, not of the
Python package, because curators edit them as data.  The package is installed
in editable mode (see README), so the repository root is two levels above it;
``CASEGRAPH_PROJECT_ROOT`` overrides that for unusual installs.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(
    os.environ.get("CASEGRAPH_PROJECT_ROOT", Path(__file__).resolve().parents[2])
)
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
SHAPES_DIR = PROJECT_ROOT / "shapes"
DATA_DIR = PROJECT_ROOT / "data"
CASES_DIR = DATA_DIR / "cases"
QUESTIONS_DIR = Path(__file__).resolve().parent / "questions"
#: Fixed queries used by the pages, exports and tools (not user-facing questions).
QUERIES_DIR = Path(__file__).resolve().parent / "queries"


def case_files() -> list[Path]:
    """The curated case graphs, one ``case.trig`` per case folder, in a stable order."""
    return sorted(CASES_DIR.glob("*/case.trig"))


def ontology_files() -> list[Path]:
    """The ontology module and its SKOS concept schemes."""
    return sorted(ONTOLOGY_DIR.glob("*.ttl"))


def shapes_files() -> list[Path]:
    return sorted(SHAPES_DIR.glob("*.ttl"))
