"""Writes over HTTP: who may write, and how a refused write is answered.

Updates get the dataset's base IRI (:mod:`casegraph.web.base_iri`) and the
Protocol's ``using-graph-uri``/``using-named-graph-uri`` (:mod:`casegraph.sparql.protocol_dataset`).

Every write (SPARQL Update on ``/sparql``, PUT/POST/DELETE on ``/store``) needs
``Authorization: Bearer <settings.update_token>``.  Without a configured token the
service is read-only and says so (403); a missing or wrong token is 401 with
``WWW-Authenticate: Bearer``.  The comparison is constant-time (``hmac.compare_digest``).

Accepted writes go through :class:`casegraph.store.guarded.GuardedWriter`, which
validates the graphs a write would produce against the SHACL shapes and commits
them atomically.  When they do not conform the answer is 422 with the SHACL
report (Turtle or JSON by Accept) and nothing has changed.
"""

from __future__ import annotations

import hmac

from flask import Response, jsonify, request
from rdflib import Graph, URIRef

from casegraph.web.base_iri import client_positions, with_base
from casegraph.web.context import (
    current_settings,
    current_store,
    guarded_writer,
    refresh_after_write,
    safety_policy,
    time_left,
)
from casegraph.web.errors import ApiError


def require_write_access() -> None:
    """Raise 403 on a read-only service, 401 unless the request carries the update token."""
    token = current_settings().update_token
    if not token:
        raise ApiError(
            403,
            "this service is read-only: no update token is configured "
            "(set CASEGRAPH_UPDATE_TOKEN or pass --update-token to enable writes)",
        )
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise ApiError(401, "writes need the header 'Authorization: Bearer <update token>'",
                       headers={"WWW-Authenticate": 'Bearer realm="casegraph"'})
    if not hmac.compare_digest(credentials.strip().encode(), token.encode()):
        raise ApiError(401, "the bearer token is not the update token",
                       headers={"WWW-Authenticate":
                                'Bearer realm="casegraph", error="invalid_token"'})


def run_update(text: str) -> Response:
    """Run a SPARQL update after the auth, safety and SHACL checks."""
    require_write_access()
    settings = current_settings()
    with client_positions():
        update = current_store().prepare_update(
            with_base(text, settings.base_iri), safety_policy(),
            _parameter("using-graph-uri"), _parameter("using-named-graph-uri"),
            timeout=time_left(),
        )
        outcome = guarded_writer().apply_update(update, timeout=time_left())
    refresh_after_write(outcome)
    return jsonify(changed_graphs=sorted(str(g) for g in outcome))


def _parameter(name: str) -> list[str]:
    """A Protocol parameter's values from the URL and, for a form, its body."""
    return request.args.getlist(name) + request.form.getlist(name)


def write_graphs(graphs: dict[URIRef, Graph | None]) -> None:
    """Replace (``None``: drop) whole named graphs after the SHACL check."""
    guarded_writer().replace_graphs(graphs)
    refresh_after_write(graphs.keys())
