"""Where the project's shared material lives: ``../shared`` beside the checkout.

CI lays a copy of ``shared/`` next to the clone it tests, so paths are found
relative to this repository, never as absolute paths; ``CASEGRAPH_SHARED``
overrides.  Tests that need a file here skip, saying so, when it is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("CASEGRAPH_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
SEED_SOURCE = SHARED / "sources" / "000_58817de6a3233908.txt"
CASE_NOTES = SHARED / "cases"


def require(path: Path) -> Path:
    """``path``, or skip the calling test when the shared material is not laid out."""
    if not path.exists():
        pytest.skip(f"{path} is absent (shared material not beside the checkout)")
    return path
