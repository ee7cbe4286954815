"""Settings: one documented default each, overridden by environment, then by CLI flags.

Every setting here is listed in README.md (section "Configuration"); a test
checks that the two agree.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

ONTOLOGY_NS = "https://w3id.org/casegraph/ns#"
#: The base under which curated data mints its IRIs (see docs/modelling.md).
CANONICAL_BASE_IRI = "https://w3id.org/casegraph/id/"


@dataclass(frozen=True)
class Settings:
    """Runtime configuration of the service and the CLI."""

    #: Backend: "oxigraph" (embedded, persistent), "memory" (rdflib) or "remote".
    store: str = "oxigraph"
    #: Directory of the embedded persistent store.
    data_dir: Path = field(default_factory=lambda: Path("var/store"))
    #: Remote backend: SPARQL query, update and Graph Store Protocol endpoints.
    remote_query_url: str | None = None
    remote_update_url: str | None = None
    remote_store_url: str | None = None
    #: Remote backend: credentials offered to its endpoints (HTTP basic or digest).
    remote_user: str | None = None
    remote_password: str | None = None
    #: Bearer token that enables writes; None means the service is read-only.
    update_token: str | None = None
    #: Where the curation workspace keeps its drafts; None: ``<data_dir>/casegraph-drafts``.
    drafts_dir: Path | None = None
    #: The base namespace of entity IRIs; pages resolve IRIs under it.
    base_iri: str = CANONICAL_BASE_IRI
    #: Hard limit on one query or update, in seconds.
    query_timeout: float = 10.0
    #: Rows returned at most by a SELECT; the response says when it was truncated.
    max_result_rows: int = 10_000
    #: Largest request body accepted, in bytes.
    max_request_bytes: int = 10 * 1024 * 1024
    #: Comma-separated origins allowed by CORS; empty disables CORS headers.
    cors_origins: str = ""
    #: SERVICE endpoints a query may call; empty (default) refuses every SERVICE.
    service_allowlist: str = ""
    #: Query worker processes (each answers one query at a time).
    query_workers: int = 2
    #: Seconds a client request waits for a free query worker before 503 + Retry-After.
    admission_wait: float = 1.0
    #: Address space each query worker may use, in MiB (RLIMIT_AS); 0 for no cap.
    worker_memory_mb: int = 4096
    #: Run query workers WITH network access when the OS cannot give them a network
    #: namespace of their own (unprivileged development machines only).
    allow_networked_workers: bool = False

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> Settings:
        """Defaults, then ``CASEGRAPH_<NAME>`` variables, then explicit overrides."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            raw = environ.get(f"CASEGRAPH_{f.name.upper()}")
            if raw is None:
                continue
            values[f.name] = _coerce(f.name, raw)
        settings = cls(**values)
        return replace(settings, **{k: v for k, v in overrides.items() if v is not None})

    @property
    def drafts_path(self) -> Path:
        """The drafts directory: the configured one, else next to the embedded store's
        files (the store's own directory is where a deployment keeps its state)."""
        return self.drafts_dir or Path(self.data_dir) / "casegraph-drafts"


#: Settings that are a path or None (no default path of their own).
_OPTIONAL_PATHS = {"drafts_dir"}


def _coerce(name: str, raw: str):
    default = getattr(Settings(), name)
    if isinstance(default, bool):
        return raw.lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    if isinstance(default, Path):
        return Path(raw)
    if name in _OPTIONAL_PATHS:
        return Path(raw) if raw else None
    return raw or None if default is None else raw
