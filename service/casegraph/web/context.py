"""The request context: what a handler takes from its app and its request.

The app's objects (store, settings, writer, search index, safety policy) and the
request-derived choices every blueprint shares (the answer format) are reached through
these functions and nothing else, so blueprints do not import each other.
"""

from __future__ import annotations

import threading
import time

from flask import current_app, g, request

from casegraph.config import Settings
from casegraph.errors import QueryTimeout
from casegraph.rdf.formats import (
    Format,
    format_for_media_type,
    format_for_name,
    offered_media_types,
)
from casegraph.search.index import SearchIndex
from casegraph.sparql.safety import LazyGraphNames, SafetyPolicy
from casegraph.store.base import Store
from casegraph.store.guarded import GuardedWriter
from casegraph.web.errors import ApiError
from casegraph.web.negotiation import NotAcceptable, best_media_type

STORE_KEY = "casegraph.store"
WRITER_KEY = "casegraph.writer"
SEARCH_KEY = "casegraph.search"
#: Callbacks run after every committed write, with the changed graphs' IRIs: caches
#: built from the store (the reconciliation and linking indexes) drop what is stale.
AFTER_WRITE_KEY = "casegraph.after_write"
#: How long a search waits for the start-up build before answering 503.
BUILD_WAIT_SECONDS = 30.0

_build_lock = threading.Lock()


def current_store() -> Store:
    """The store of the app handling the current request."""
    return current_app.extensions[STORE_KEY]


def current_settings() -> Settings:
    return current_app.config["CASEGRAPH"]


def start_request_clock() -> None:
    """Start the current request's time limit (a ``before_request`` hook)."""
    g.casegraph_deadline = time.monotonic() + current_settings().query_timeout


def time_left() -> float:
    """Seconds left of the current request's time limit, which started when it arrived.

    Every store call that runs client input (analysis, parsing, validation, the query)
    gets this as its timeout, so the limit covers the whole request, not each step.
    """
    left = g.casegraph_deadline - time.monotonic()
    if left <= 0:
        limit = current_settings().query_timeout
        raise QueryTimeout(f"the request used up its time limit of {limit:g} s")
    return left


def guarded_writer() -> GuardedWriter:
    """The app's writer: one per app, because it serialises the writes to its store.

    The shapes check runs where the store runs client input (a confined worker, for the
    embedded store): the data a write would store is client data.
    """
    writer = current_app.extensions.get(WRITER_KEY)
    if writer is None:
        store = current_store()
        writer = GuardedWriter(store, current_settings(), validator=store.validate_graph)
        current_app.extensions[WRITER_KEY] = writer
    return writer


def safety_policy() -> SafetyPolicy:
    """What queries and updates may name: the store's graphs and the SERVICE allowlist."""
    settings = current_settings()
    return SafetyPolicy(
        known_graphs=LazyGraphNames(current_store().named_graphs),
        service_allowlist=SafetyPolicy.parse_allowlist(settings.service_allowlist),
    )


def refresh_after_write(graph_iris) -> None:
    """Queue the re-index of the named graphs a committed write changed (call after every
    write); searches wait for it (``search_index``).

    An index not built yet needs nothing: its first build reads the store as it is.
    """
    graph_iris = [str(g) for g in graph_iris]
    index: SearchIndex | None = current_app.extensions.get(SEARCH_KEY)
    if index is not None and (index.built or index.building):
        index.update_graphs_later(current_store(), graph_iris)
    for callback in current_app.extensions.get(AFTER_WRITE_KEY, []):
        callback(graph_iris)


def on_write(app, callback) -> None:
    """Run ``callback(graph_iris)`` after every write committed through this app."""
    app.extensions.setdefault(AFTER_WRITE_KEY, []).append(callback)


def search_index() -> SearchIndex:
    """The app's index, built on first use when the store arrived after ``install``."""
    index: SearchIndex = current_app.extensions[SEARCH_KEY]
    if not index.wait_for_build(BUILD_WAIT_SECONDS):
        raise ApiError(503, "the search index is being built (the service has just started); "
                            "try again in a minute")
    if not index.wait_until_current(time_left()):
        raise ApiError(503, "the search index is still taking in the latest writes; "
                            "try again in a few seconds", headers={"Retry-After": "2"})
    if not index.built:
        with _build_lock:
            if not index.built:
                index.rebuild(current_store())
    return index


def choose_format(formats: tuple[Format, ...]) -> Format:
    """``format=`` if given, else the best match for ``Accept``; 406 when none fits."""
    requested = request.args.get("format") or request.form.get("format")
    if requested:
        fmt = format_for_name(requested, formats)
        if fmt is None:
            names = ", ".join(f.name for f in formats)
            raise ApiError(406, f"format={requested!r} is not available for this request; "
                                f"use one of: {names}")
        return fmt
    media_type = best_media_type(request.headers.get("Accept"), offered_media_types(formats))
    fmt = format_for_media_type(media_type, formats)
    if fmt is None:  # pragma: no cover - best_media_type only returns offered types
        raise NotAcceptable(offered_media_types(formats))
    return fmt
