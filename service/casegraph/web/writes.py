"""Writes over HTTP: who may write, and how a refused write is answered.

Updates get the dataset's base IRI (:mod:`casegraph.web.base_iri`) and the
Protocol's ``using-graph-uri``/``using-named-graph-uri`` (:mod:`casegraph.web.update_dataset`).

Every write (SPARQL Update on ``/sparql``, PUT/POST/DELETE on ``/store``) needs
``Authorization: Bearer <settings.update_token>``.  Without a configured token the
service is read-only and says so (403); a missing or wrong token is 401 with
``WWW-Authenticate: Bearer``.  The comparison is constant-time (``hmac.compare_digest``).

Accepted writes go through :class:`casegraph.writes.GuardedWriter`, which
validates the graphs a write would produce against the SHACL shapes and commits
them atomically.  When they do not conform the answer is 422 with the SHACL
report (Turtle or JSON by Accept) and nothing has changed.
"""

from __future__ import annotations

import hmac

from flask import Response, current_app, jsonify, request
from rdflib import Graph, URIRef

from casegraph.sparql_safety import check_update
from casegraph.validation_report import ValidationReport
from casegraph.web import current_settings, current_store
from casegraph.web.base_iri import client_positions, with_base
from casegraph.web.errors import ApiError
from casegraph.web.negotiation import best_media_type
from casegraph.web.search import refresh_after_write
from casegraph.web.update_dataset import with_protocol_dataset

#: Media types a SHACL report is written in (the first is the default).
REPORT_MEDIA_TYPES = ("application/json", "text/turtle", "text/plain")


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


def guarded_writer():
    """The app's writer (one per app: it serialises writes to the store)."""
    writer = current_app.extensions.get("casegraph.writer")
    if writer is None:
        from casegraph.writes import GuardedWriter

        writer = GuardedWriter(current_store(), current_settings())
        current_app.extensions["casegraph.writer"] = writer
    return writer


def apply_update(text: str) -> Response:
    """Run a SPARQL update after the auth, safety and SHACL checks."""
    require_write_access()
    from casegraph.web.sparql import safety_policy

    settings = current_settings()
    with client_positions():
        checked = check_update(with_base(text, settings.base_iri), safety_policy())
        update = with_protocol_dataset(
            checked.text, _parameter("using-graph-uri"), _parameter("using-named-graph-uri")
        )
        outcome = _guarded(lambda writer: writer.update(update, timeout=settings.query_timeout))
    refresh_after_write(outcome)
    return jsonify(changed_graphs=sorted(str(g) for g in outcome))


def _parameter(name: str) -> list[str]:
    """A Protocol parameter's values from the URL and, for a form, its body."""
    return request.args.getlist(name) + request.form.getlist(name)


def replace_graphs(graphs: dict[URIRef, Graph | None]) -> None:
    """Replace (``None``: drop) whole named graphs after the SHACL check."""
    _guarded(lambda writer: writer.replace_graphs(graphs))
    refresh_after_write(graphs.keys())


def _guarded(write):
    from casegraph.writes import ShapesViolation

    try:
        return write(guarded_writer())
    except ShapesViolation as violation:
        raise ReportedViolation(violation.report) from None


class ReportedViolation(Exception):
    """A write whose result does not conform; answered 422 with the report."""

    def __init__(self, report: ValidationReport):
        super().__init__("the write does not conform to the shapes")
        self.report = report


def report_response(report: ValidationReport, status: int = 200) -> Response:
    """A SHACL validation report as JSON, Turtle or text, by Accept."""
    media_type = best_media_type(request.headers.get("Accept"), REPORT_MEDIA_TYPES)
    if media_type == "text/turtle":
        body = report.to_turtle()
    elif media_type == "text/plain":
        body = report.to_text()
    else:
        body = report.to_json()
    response = Response(body, status=status, content_type=f"{media_type}; charset=utf-8")
    response.headers["Vary"] = "Accept"
    return response


def register_violation_handler(app) -> None:
    @app.errorhandler(ReportedViolation)
    def violation(error: ReportedViolation):
        return report_response(error.report, status=422)
