"""The Reconciliation Service API (version 0.2, the one OpenRefine speaks) at ``/reconcile``.

A curator reconciling a spreadsheet of names (organisations, award titles,
places, practice kinds …) against the graph gets, for each name, the entities
whose labels or altLabels match — scored by the same folding the drafting
linker uses (``casegraph.drafting.linking``), so a name matches here exactly
when a draft would link it.

* ``GET /reconcile`` — the service manifest;
* ``GET|POST /reconcile`` with ``queries`` — a batch of queries (name, type,
  properties, limit), answered with scored candidates; ``match`` is true when
  the best score reaches the linking threshold and clearly beats the runner-up;
* ``GET /reconcile/preview?id=`` — an HTML card of the entity;
* ``GET /reconcile/suggest/{entity,type,property}?prefix=`` — auto-complete.

The index is built from the store and rebuilt when it is older than
``INDEX_TTL_SECONDS`` (writes through another process), or at once after a write
committed here.
Answers are public data: they carry ``Access-Control-Allow-Origin: *`` so
browser clients may call the service; JSONP is not offered (a callback
parameter executing in the caller's page is a script-injection risk).
"""

from __future__ import annotations

import json
import threading
import time
from html import escape

from flask import Blueprint, Flask, Response, current_app, jsonify, request, url_for

from casegraph.drafting.linking import (
    ENTITY_QUERY,
    LINK_THRESHOLD,
    Entity,
    LinkIndex,
    fold_name,
    name_score,
)
from casegraph.paths import QUERIES_DIR
from casegraph.web.context import current_settings, current_store, on_write
from casegraph.web.errors import ApiError

bp = Blueprint("reconcile", __name__)

EXTENSION = "casegraph.reconcile"
INDEX_TTL_SECONDS = 30.0
DEFAULT_LIMIT = 10
MAX_LIMIT = 100
MAX_QUERIES = 500
SUGGEST_LIMIT = 10
CG = "https://w3id.org/casegraph/ns#"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"

#: The types offered by default and in type suggest: id → (name, kinds it stands for).
TYPES: dict[str, tuple[str, set[str]]] = {
    ORG + "Organization": ("组织 Organization", {"organisation"}),
    CG + "MediaOutlet": ("媒体 Media outlet", set()),
    CG + "PartyBuildingBrand": ("党建品牌 Party-building brand", {"brand"}),
    CG + "Award": ("奖项 Award", {"award"}),
    SCHEMA + "Place": ("地点 Place", {"place"}),
    SCHEMA + "Person": ("人物 Person", {"person"}),
    ORG + "Role": ("职务 Role", {"role"}),
    CG + "Project": ("工程项目 Project", {"project"}),
    SKOS + "Concept": ("概念 Concept", {"practice-kind", "metric", "award-level", "award-rank"}),
}
#: Properties a query may refine by (see reconcile_property_values.rq).
PROPERTIES = {
    CG + "locatedIn": "所在地 located in",
    ORG + "subOrganizationOf": "隶属于 sub-organization of",
    CG + "partyOrganisationOf": "所属组织 party organisation of",
    CG + "brandOwner": "品牌所有者 brand owner",
    SKOS + "inScheme": "所属概念体系 in scheme",
    SCHEMA + "containedInPlace": "所属地点 contained in place",
}
_PREFIXES = {"cg:": CG, "org:": ORG, "schema:": SCHEMA, "skos:": SKOS}

_lock = threading.Lock()


class _Cache:
    def __init__(self) -> None:
        self.index: LinkIndex | None = None
        self.values: dict[str, dict[str, set[str]]] = {}
        self.built_at = 0.0


def install(app: Flask) -> None:
    """Register the routes; the index is built on the first query."""
    app.register_blueprint(bp)
    cache = app.extensions[EXTENSION] = _Cache()

    def _stale(_graphs: list[str]) -> None:
        cache.built_at = float("-inf")  # a published case is found at once, not after the TTL

    on_write(app, _stale)


def _index() -> tuple[LinkIndex, dict[str, dict[str, set[str]]]]:
    cache: _Cache = current_app.extensions[EXTENSION]
    with _lock:
        if cache.index is None or time.monotonic() - cache.built_at > INDEX_TTL_SECONDS:
            store = current_store()
            base = _base_iri()
            rows = store.query(ENTITY_QUERY.read_text(encoding="utf-8")).dicts()
            cache.index = LinkIndex.from_rows(rows, base_iri=base)
            values: dict[str, dict[str, set[str]]] = {}
            query = (QUERIES_DIR / "reconcile_property_values.rq").read_text(encoding="utf-8")
            for row in store.query(query).dicts():
                found = values.setdefault(str(row["item"]), {}).setdefault(
                    str(row["property"]), set()
                )
                found.add(str(row["value"]))
                if "valueLabel" in row:
                    found.add(str(row["valueLabel"]))
            cache.values = values
            cache.built_at = time.monotonic()
        return cache.index, cache.values


def _base_iri() -> str:
    return current_settings().base_iri


def _json(payload: object, status: int = 200) -> Response:
    response = jsonify(payload)
    response.status_code = status
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/reconcile", methods=["GET", "POST"])
def reconcile() -> Response:
    raw = request.values.get("queries")
    if raw is None:
        return _json(_manifest())
    try:
        queries = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ApiError(
            400, f"queries: not JSON ({error.msg} at line {error.lineno}, column {error.colno})"
        ) from error
    if not isinstance(queries, dict):
        raise ApiError(400, "queries: must be a JSON object of query id → query")
    if len(queries) > MAX_QUERIES:
        raise ApiError(413, f"queries: at most {MAX_QUERIES} queries per batch, got {len(queries)}")
    index, values = _index()
    return _json({key: {"result": _answer(key, query, index, values)} for key, query in queries.items()})


def _answer(key: str, query: object, index: LinkIndex, values: dict) -> list[dict]:
    if not isinstance(query, dict):
        raise ApiError(400, f"queries.{key}: must be an object with a 'query' string")
    name = query.get("query")
    properties = query.get("properties") or []
    if not isinstance(name, str) and not properties:
        raise ApiError(400, f"queries.{key}: needs a 'query' string or 'properties'")
    if not isinstance(properties, list):
        raise ApiError(400, f"queries.{key}.properties: must be a list of {{pid, v}}")
    limit = query.get("limit", DEFAULT_LIMIT)
    if not isinstance(limit, int | float) or limit < 1:
        raise ApiError(400, f"queries.{key}.limit: must be a positive number")
    types = query.get("type")
    type_ids = [types] if isinstance(types, str) else list(types or [])
    if not all(isinstance(t, str) for t in type_ids):
        raise ApiError(400, f"queries.{key}.type: a type id or a list of type ids")
    type_ids = [_expand(t) for t in type_ids]
    wanted = [(_expand(str(p.get("pid", ""))), _values(p.get("v"))) for p in properties
              if isinstance(p, dict)]
    entities = [e for e in index.entities.values() if _has_type(e, type_ids)]
    scored = []
    key_name = fold_name(name) if isinstance(name, str) and name.strip() else None
    for entity in entities:
        by_name = 0.0
        if key_name is not None:
            by_name = max((name_score(key_name, k) for k in index.keys_of(entity.iri)), default=0.0)
            if by_name <= 0:
                continue
        property_score = _property_score(entity, wanted, values)
        if key_name is None and property_score <= 0:
            continue
        if not wanted:
            score = by_name
        elif key_name is None:
            score = property_score
        else:
            score = 0.8 * by_name + 0.2 * property_score
        scored.append((entity, round(score, 3), by_name, property_score))
    scored.sort(key=lambda item: (-item[1], item[0].iri))
    scored = scored[: min(int(limit), MAX_LIMIT)]
    results = []
    for rank, (entity, score, by_name, property_score) in enumerate(scored):
        runner_up = scored[1][1] if len(scored) > 1 else 0.0
        results.append(
            {
                "id": entity.iri,
                "name": entity.label,
                "description": entity.english() or "",
                "score": score,
                "match": rank == 0 and score >= LINK_THRESHOLD and score - runner_up >= 0.1,
                "type": [{"id": t, "name": TYPES.get(t, (t.rsplit("#", 1)[-1].rsplit("/", 1)[-1],))[0]}
                         for t in sorted(entity.types)],
                "features": [
                    {"id": "name", "value": round(by_name, 3)},
                    {"id": "properties", "value": round(property_score, 3)},
                ],
            }
        )
    return results


def _expand(identifier: str) -> str:
    for prefix, namespace in _PREFIXES.items():
        if identifier.startswith(prefix):
            return namespace + identifier[len(prefix) :]
    return identifier


def _values(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value]
    found = []
    for item in items:
        if isinstance(item, dict) and "id" in item:
            found.append(str(item["id"]))
        elif item is not None:
            found.append(str(item))
    return found


def _has_type(entity: Entity, type_ids: list[str]) -> bool:
    if not type_ids:
        return True
    for type_id in type_ids:
        if type_id in entity.types:
            return True
        if type_id in TYPES and entity.kind in TYPES[type_id][1]:
            return True
    return False


def _property_score(entity: Entity, wanted: list[tuple[str, list[str]]], values: dict) -> float:
    """The share of the query's properties whose value the entity has (by IRI or folded name)."""
    if not wanted:
        return 0.0
    own = values.get(entity.iri, {})
    hits = 0
    for pid, expected in wanted:
        have = own.get(pid, set())
        folded = {fold_name(v) for v in have}
        if any(v in have or fold_name(v) in folded for v in expected):
            hits += 1
    return hits / len(wanted)


def _manifest() -> dict:
    root = request.url_root.rstrip("/")
    return {
        "versions": ["0.2"],
        "name": "casegraph — 党建案例知识图谱 (party-building case graph)",
        "identifierSpace": _base_iri(),
        "schemaSpace": CG,
        "documentation": root + "/api",
        "view": {"url": root + "/resource?iri={{id}}"},
        "preview": {"url": root + url_for("reconcile.preview") + "?id={{id}}", "width": 400, "height": 200},
        "defaultTypes": [{"id": type_id, "name": name} for type_id, (name, _) in TYPES.items()],
        "suggest": {
            "entity": {"service_url": root, "service_path": url_for("reconcile.suggest_entity")},
            "type": {"service_url": root, "service_path": url_for("reconcile.suggest_type")},
            "property": {"service_url": root, "service_path": url_for("reconcile.suggest_property")},
        },
    }


@bp.get("/reconcile/preview")
def preview() -> Response:
    iri = request.args.get("id", "")
    index, _ = _index()
    entity = index.entities.get(iri)
    if entity is None:
        raise ApiError(404, f"id: no entity {iri!r} in the graph")
    names = "".join(
        f'<li lang="{escape(tag)}">{escape(name)}</li>'
        for tag, found in sorted(entity.names.items())
        for name in sorted(found)
    )
    types = ", ".join(escape(t) for t in sorted(entity.types))
    body = (
        '<!doctype html><html><head><meta charset="utf-8"><title>'
        f"{escape(entity.label)}</title></head><body><h1>{escape(entity.label)}</h1>"
        f"<p>{types}</p><ul>{names}</ul>"
        f'<p><a href="/resource?iri={escape(iri)}" target="_blank">{escape(iri)}</a></p>'
        f"<p>{len(entity.graphs)} case graph(s)</p></body></html>"
    )
    response = Response(body, mimetype="text/html")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _prefix() -> str:
    prefix = request.args.get("prefix")
    if prefix is None:
        raise ApiError(400, "prefix: the text to complete is required (?prefix=…)")
    return prefix


@bp.get("/reconcile/suggest/entity")
def suggest_entity() -> Response:
    prefix = _prefix()
    index, _ = _index()
    found = index.candidates(prefix) if prefix.strip() else []
    starts = fold_name(prefix).base
    # Completion: names that start with the prefix first, then the other matches.
    found.sort(
        key=lambda pair: (
            not any(k.base.startswith(starts) for k in index.keys_of(pair[0].iri)),
            -pair[1],
        )
    )
    return _json(
        {
            "result": [
                {
                    "id": entity.iri,
                    "name": entity.label,
                    "description": entity.english() or "",
                    "notable": sorted(entity.types),
                }
                for entity, _ in found[:SUGGEST_LIMIT]
            ]
        }
    )


@bp.get("/reconcile/suggest/type")
def suggest_type() -> Response:
    return _suggest_named({type_id: name for type_id, (name, _) in TYPES.items()})


@bp.get("/reconcile/suggest/property")
def suggest_property() -> Response:
    return _suggest_named(PROPERTIES)


def _suggest_named(names: dict[str, str]) -> Response:
    """Suggestions among fixed ``id -> name`` pairs whose id or name contains the prefix."""
    prefix = _prefix().lower()
    matches = [{"id": key, "name": name} for key, name in names.items()
               if prefix in name.lower() or prefix in key.lower()]
    return _json({"result": matches[:SUGGEST_LIMIT]})
