"""Storage: the interface (``base``) and the backend chosen by ``Settings.store``."""

from __future__ import annotations

from casegraph.config import Settings
from casegraph.errors import StoreUnavailable
from casegraph.store.base import Store

BACKENDS = ("oxigraph", "memory", "remote")


def open_store(settings: Settings) -> Store:
    """Open the backend named by ``settings.store`` (oxigraph, memory or remote)."""
    if settings.store == "oxigraph":
        from casegraph.store.oxigraph import OxigraphStore

        return OxigraphStore.from_settings(settings)
    if settings.store == "memory":
        from casegraph.store.memory import MemoryStore

        return MemoryStore()
    if settings.store == "remote":
        from casegraph.store.remote import RemoteStore

        return RemoteStore.from_settings(settings)
    raise StoreUnavailable(
        f"unknown store backend {settings.store!r}; choose one of {', '.join(BACKENDS)}"
    )
