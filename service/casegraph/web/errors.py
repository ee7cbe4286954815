"""Error responses: one shape for every failure, as JSON, plain text or HTML by Accept.

Bad input is never a 500: storage errors carry their status (``StoreError.status``),
upload errors theirs (``DataSyntaxError``, ``DataRefused``, ``UnsupportedMediaType``),
and every message says what was wrong and, when known, at which line and column.
"""

from __future__ import annotations

import logging
from html import escape
from http import HTTPStatus

from flask import Flask, Response, json, request
from werkzeug.exceptions import HTTPException

from casegraph.errors import (
    CasegraphError,
    ParameterError,
    QueryTimeout,
    WriteRejected,
)
from casegraph.shacl.report import ValidationReport
from casegraph.web.negotiation import NotAcceptable, best_media_type, prefers

log = logging.getLogger(__name__)

_ERROR_MEDIA_TYPES = ("application/json", "text/plain", "text/html")
#: Media types a SHACL report is written in (the first is the default).
REPORT_MEDIA_TYPES = ("application/json", "text/turtle", "text/plain")


class ApiError(CasegraphError):
    """An error a view raises to answer with a status of its choice, a message, and
    optionally response headers and extra fields for the error body."""

    def __init__(self, status: int, message: str, *, headers: dict[str, str] | None = None,
                 details: dict | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}
        self.details = details or {}


def error_response(status: int, message: str, *, line: int | None = None,
                   column: int | None = None, headers: dict[str, str] | None = None,
                   details: dict | None = None) -> Response:
    """The error body the client asked for (JSON unless it prefers text or HTML)."""
    title = HTTPStatus(status).phrase
    media_type = prefers(request.headers.get("Accept"), _ERROR_MEDIA_TYPES) or "application/json"
    if media_type == "application/json":
        error = {"status": status, "title": title, "message": message}
        if line is not None:
            error["line"] = line
        if column is not None:
            error["column"] = column
        error.update(details or {})
        body = json.dumps({"error": error}, ensure_ascii=False)
    else:
        where = "" if line is None else f" (line {line}, column {column})"
        text = f"{status} {title}: {message}{where}"
        body = (
            text + "\n"
            if media_type == "text/plain"
            else f"<!doctype html><title>{status} {escape(title)}</title>"
            f"<h1>{status} {escape(title)}</h1><p>{escape(message + where)}</p>\n"
        )
    response = Response(body, status=status, mimetype=media_type)
    response.headers["Vary"] = "Accept"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def register_error_handlers(app: Flask) -> None:
    """Install the handlers for every error the HTTP layer can meet."""

    @app.errorhandler(ApiError)
    def api_error(error: ApiError):
        return error_response(error.status, error.message, headers=error.headers,
                              details=error.details)

    @app.errorhandler(CasegraphError)
    def casegraph_error(error: CasegraphError):
        message = str(error)
        if isinstance(error, QueryTimeout):
            limit = app.config["CASEGRAPH"].query_timeout
            message = f"{message} — the time limit is {limit:g} s; narrow the query or add LIMIT"
        if error.status >= 500:
            log.warning("store error: %s", message)
        details = {"parameter": error.parameter} if isinstance(error, ParameterError) else None
        retry_after = getattr(error, "retry_after", None)
        return error_response(error.status, message, line=getattr(error, "line", None),
                              column=getattr(error, "column", None), details=details,
                              headers={"Retry-After": str(retry_after)} if retry_after else None)

    @app.errorhandler(WriteRejected)
    def write_rejected(error: WriteRejected):
        return report_response(error.report, status=422)

    @app.errorhandler(NotAcceptable)
    def not_acceptable(error: NotAcceptable):
        return error_response(406, str(error), details={"available": error.offered})

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        message = error.description or error.name
        if error.code == 413:
            limit = app.config["MAX_CONTENT_LENGTH"]
            message = f"the request body is larger than the limit of {limit:,} bytes"
        response = error_response(error.code or 500, message)
        if error.code == 405 and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        log.exception("unexpected error answering %s %s", request.method, request.path)
        return error_response(500, f"internal error ({type(error).__name__}); see the server log")


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
