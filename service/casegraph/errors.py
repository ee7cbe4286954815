"""Every error casegraph raises on purpose, in one hierarchy.

Each class carries the HTTP status it is answered with, so the web layer needs one
handler (``casegraph.web.errors``) and one error body for all of them; the command line
prints the same message.  Messages say what was wrong and, when known, where
(``line``/``column`` for text that does not parse, a graph or parameter name otherwise).

The root is :class:`CasegraphError`; below it, the client's fault (``InvalidInput``,
400, and its kinds; ``UnsupportedMediaType``, 415), refusals of well-formed writes
(``WriteRejected``, 422; ``ProtectedGraph``, 403) and the store's own failures
(``StoreError`` and its kinds, 5xx).
"""

from __future__ import annotations

from typing import Protocol


class Report(Protocol):
    """What a refusal carries of a SHACL report (``casegraph.shacl.report.ValidationReport``,
    a higher layer): the renderings the web layer and the command line answer with."""

    def to_json(self) -> str: ...

    def to_text(self) -> str: ...

    def to_turtle(self) -> str: ...


class CasegraphError(Exception):
    """The root of casegraph's errors; ``status`` is the HTTP status it maps to."""

    status = 500


class InvalidInput(CasegraphError):
    """The client sent something casegraph will not run or store; ``line``/``column``
    locate the problem in the text when known."""

    status = 400

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line = line
        self.column = column


class QuerySyntaxError(InvalidInput):
    """A SPARQL query or update does not parse."""


class DataSyntaxError(InvalidInput):
    """RDF data (an upload, a case file) does not parse."""


class QueryRefused(InvalidInput):
    """A well-formed query or update that is not allowed (SERVICE, LOAD, too deep, …)."""


class DataRefused(InvalidInput):
    """Well-formed data that asks the parser to do something casegraph never does
    (fetch a remote JSON-LD context, expand an XML entity)."""


class ParameterError(InvalidInput):
    """A request gave a parameter value of the wrong kind; names the parameter."""

    def __init__(self, parameter: str, message: str):
        super().__init__(f"parameter {parameter!r}: {message}")
        self.parameter = parameter


class UnsupportedMediaType(CasegraphError):
    """No RDF syntax is known for the request's Content-Type."""

    status = 415


class WriteRejected(CasegraphError):
    """The write would leave a case graph that does not conform; nothing was changed.

    Answered 422 with the SHACL report itself as the body, not the generic error shape:
    the report is what a curator acts on.
    """

    status = 422

    def __init__(self, report: Report):
        super().__init__("the write does not conform to the shapes; nothing was changed")
        self.report = report


class ProtectedGraph(CasegraphError):
    """A write would change the ontology graph, which only the bundled files define."""

    status = 403


class StoreError(CasegraphError):
    """The store failed to do what was asked of it (not the client's fault)."""


class QueryTimeout(StoreError):
    """The query or update ran past its time limit and was stopped."""

    status = 503


class EngineCrashed(StoreError):
    """The engine died while answering (segfault, abort, out of memory)."""


class WorkerOutOfMemory(EngineCrashed):
    """The engine aborted at the worker's memory cap: the query needed too much memory.

    A 503 like a query past its time limit: the request was too big, the server is fine.
    """

    status = 503


class StoreUnavailable(StoreError):
    """The backend cannot be reached or opened."""

    status = 503


class Overloaded(StoreUnavailable):
    """Every client query worker is busy and stayed busy: retry later.

    Answered 503 with ``Retry-After``, soon, instead of letting the request wait
    behind work that may take the whole time limit.
    """

    def __init__(self, message: str, retry_after: int = 1):
        super().__init__(message)
        self.retry_after = retry_after


class UpstreamError(StoreError):
    """The remote store failed or refused a request casegraph had accepted (its message
    is passed on); ``http_status`` is the status it answered, when it answered."""

    status = 502
    http_status: int | None = None


class InsufficientStorage(StoreError):
    """The disk holding the store is full: the write was refused, nothing changed."""

    status = 507


class QuestionFileError(CasegraphError):
    """A question file's header is malformed; the message names the file and line.

    Raised when the catalogue loads (at start, in tests), never by a request.
    """
