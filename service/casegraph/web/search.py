"""Search pages: ``/search`` (HTML, or JSON by Accept), ``/search.json`` and ``/search/suggest``.

The index (``casegraph.search.SearchIndex``) lives in ``app.extensions["casegraph.search"]``.
It is built in the background when the blueprint is installed if the store is already there
(a search meanwhile waits for it, then answers 503), otherwise on the first search.  Whoever writes graphs calls ``refresh_after_write(graph_iris)`` (or
``app.extensions["casegraph.search"].update_graphs(store, graph_iris)``) after committing.
"""

from __future__ import annotations

import threading

from flask import Blueprint, Flask, abort, current_app, jsonify, render_template, request
from rdflib import URIRef

from casegraph.search import GROUP_KEYS, MAX_QUERY_CHARS, Hit, SearchIndex
from casegraph.web.errors import ApiError
from casegraph.web.negotiation import prefers
from casegraph.web.term_view import page_href

bp = Blueprint("search", __name__)

EXTENSION = "casegraph.search"
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
SUGGESTIONS = 8
#: How long a search waits for the start-up build before answering 503.
BUILD_WAIT_SECONDS = 30.0

_build_lock = threading.Lock()


def install(app: Flask) -> None:
    """Register the search routes and build the index if the store is ready."""
    app.register_blueprint(bp)
    index = SearchIndex()
    app.extensions[EXTENSION] = index
    store = app.extensions.get("casegraph.store")
    if store is not None:
        # In the background: at a million triples the build takes a while, and every
        # other page answers meanwhile.  If it fails (a remote store still starting),
        # the first search builds the index.
        index.start_rebuild(store)


def refresh_after_write(graph_iris) -> None:
    """Re-index the named graphs a committed write changed (call after every write).

    An index not built yet needs nothing: its first build reads the store as it is.
    """
    index: SearchIndex | None = current_app.extensions.get(EXTENSION)
    if index is not None and (index.built or index.building):
        index.update_graphs(current_app.extensions["casegraph.store"], [str(g) for g in graph_iris])


def search_index() -> SearchIndex:
    """The app's index, built on first use when the store arrived after ``install``."""
    index: SearchIndex = current_app.extensions[EXTENSION]
    if not index.wait_for_build(BUILD_WAIT_SECONDS):
        raise ApiError(503, "the search index is being built (the service has just started); "
                            "try again in a minute")
    if not index.built:
        with _build_lock:
            if not index.built:
                index.rebuild(current_app.extensions["casegraph.store"])
    return index


def _limit() -> int:
    raw = request.args.get("limit", str(DEFAULT_LIMIT))
    try:
        limit = int(raw)
    except ValueError:
        abort(400, description=f"limit must be an integer from 1 to {MAX_LIMIT}, got {raw!r}")
    if not 1 <= limit <= MAX_LIMIT:
        abort(400, description=f"limit must be an integer from 1 to {MAX_LIMIT}, got {limit}")
    return limit


def _group() -> str | None:
    group = request.args.get("group") or None
    if group is not None and group not in GROUP_KEYS:
        abort(400, description=f"group must be one of {', '.join(GROUP_KEYS)}, got {group!r}")
    return group


def _hit_json(hit: Hit) -> dict:
    return {
        "iri": hit.iri,
        "page": page_href(URIRef(hit.iri)),
        "group": hit.group,
        "labels": hit.labels,
        "score": hit.score,
        "snippet": "".join(hit.snippet) if hit.snippet else None,
    }


def _search_json(query: str):
    result = search_index().search(query, limit=_limit(), group=_group())
    return jsonify(
        {
            "query": query,
            "query_truncated": len(query) > MAX_QUERY_CHARS,
            "total": result.total,
            "all_terms_matched": result.all_terms_matched,
            "groups": result.group_counts,
            "results": [_hit_json(h) for h in result.hits],
        }
    )


@bp.get("/search.json")
def search_json():
    return _search_json(request.args.get("q", ""))


@bp.after_request
def _vary_on_accept(response):
    """/search answers HTML or JSON by Accept: caches must key on it."""
    response.vary.add("Accept")
    return response


@bp.get("/search")
def search_page():
    query = request.args.get("q", "")
    if prefers(request.headers.get("Accept"), ["text/html", "application/json"]) == (
        "application/json"
    ):
        return _search_json(query)
    result = search_index().search(query, limit=_limit(), group=_group())
    grouped: dict[str, list[Hit]] = {}
    for hit in result.hits:
        grouped.setdefault(hit.group, []).append(hit)
    return render_template(
        "search.html",
        query=query,
        query_truncated=len(query) > MAX_QUERY_CHARS,
        result=result,
        grouped=[(key, grouped[key]) for key in GROUP_KEYS if key in grouped],
        group=request.args.get("group"),
        group_keys=GROUP_KEYS,
        page_href=lambda iri: page_href(URIRef(iri)),
    )


@bp.get("/search/suggest")
def suggest():
    """Autocomplete: the best few labels for what has been typed so far."""
    result = search_index().search(request.args.get("q", ""), limit=SUGGESTIONS)
    lang = request.args.get("lang", "zh-Hans")
    return jsonify(
        [
            {
                "label": hit.label(lang),
                "iri": hit.iri,
                "page": page_href(URIRef(hit.iri)),
                "group": hit.group,
            }
            for hit in result.hits
        ]
    )
