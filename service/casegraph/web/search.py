"""Search pages: ``/search`` (HTML, or JSON by Accept), ``/search.json`` and ``/search/suggest``.

The index (:class:`casegraph.search.index.SearchIndex`) is opened when the blueprint is
installed: as it is when the embedded store kept one in step with its data, otherwise
built in the background (a search meanwhile waits for it, then answers 503), or on the
first search when the store was not there yet; :mod:`casegraph.web.context` holds it
and refreshes it after every committed write.
"""

from __future__ import annotations

from flask import Blueprint, Flask, abort, jsonify, render_template, request
from rdflib import URIRef

from casegraph.search.index import GROUP_KEYS, INDEX_DIRECTORY, Hit, SearchIndex
from casegraph.search.text import MAX_QUERY_CHARS
from casegraph.web.context import SEARCH_KEY, STORE_KEY, search_index
from casegraph.web.negotiation import prefers
from casegraph.web.term_view import Labeller, page_href, run_fixed

bp = Blueprint("search", __name__)

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
SUGGESTIONS = 8
#: Instances listed under a search hit that is a class.
CLASS_INSTANCES = 12
def install(app: Flask) -> None:
    """Register the search routes and build the index if the store is ready."""
    app.register_blueprint(bp)
    store = app.extensions.get(STORE_KEY)
    index = SearchIndex(None if store is None else store.derived_dir(INDEX_DIRECTORY))
    app.extensions[SEARCH_KEY] = index
    if store is not None and not index.resume(store):
        # In the background: at a million triples the build takes a while, and every
        # other page answers meanwhile.  If it fails (a remote store still starting),
        # the first search builds the index.
        index.start_rebuild(store)


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
    # Unlabelled hits (passages) are named by their case and section; a class that the
    # query names lists its instances.
    labeller = Labeller()
    instances = {
        hit.iri: [row["x"] for row in run_fixed("class_instances", [{"class": URIRef(hit.iri)}],
                                                suffix=f"\nLIMIT {CLASS_INSTANCES}").dicts()]
        for hit in grouped.get("class", [])[:3]
    }
    labeller.fetch([URIRef(h.iri) for h in result.hits if not h.labels]
                   + [x for xs in instances.values() for x in xs])
    names = {h.iri: labeller.view(URIRef(h.iri)).name for h in result.hits if not h.labels}
    return render_template(
        "search.html",
        query=query,
        query_truncated=len(query) > MAX_QUERY_CHARS,
        result=result,
        grouped=[(key, grouped[key]) for key in GROUP_KEYS if key in grouped],
        group=request.args.get("group"),
        group_keys=GROUP_KEYS,
        page_href=lambda iri: page_href(URIRef(iri)),
        names=names,
        instances={iri: [labeller.view(x) for x in xs] for iri, xs in instances.items()},
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
