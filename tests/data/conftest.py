"""The curated cases as one union, parsed once for every case module that reads it."""

from __future__ import annotations

import pytest
from rdflib import Dataset

from tests.case_vocabulary import curated_union


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    """The ontology and every case; read-only, so one parse (about 0.4 s) serves the session."""
    return curated_union()
