"""WSGI-level fixes applied before Flask sees a request."""

from __future__ import annotations

import io
from urllib.parse import quote


class PercentEncodeRawQueryString:
    """Percent-encode raw non-ASCII bytes in the query string.

    Browsers percent-encode ``?q=济南``, but curl and scripts often send the UTF-8
    bytes as they are.  WSGI hands those bytes over as latin-1 characters, which
    werkzeug then reads as mojibake; re-encoding them as ``%E6%B5…`` makes both
    forms mean the same query.
    """

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        query = environ.get("QUERY_STRING", "")
        if not query.isascii():
            raw = query.encode("latin-1", errors="replace")
            try:  # werkzeug's development server applies the latin-1 step twice
                twice_undone = raw.decode("utf-8").encode("latin-1")
                twice_undone.decode("utf-8")
                raw = twice_undone
            except UnicodeError:
                pass
            environ["QUERY_STRING"] = quote(raw, safe="=&;%+/:?@!$'()*,~-._")
        return self.app(environ, start_response)


#: Set in the environ when the body passed the limit; the app answers 413.
BODY_TOO_LARGE = "casegraph.body_too_large"
_READ_CHUNK = 64 * 1024


class BoundedRequestBody:
    """Read the whole body, as the server decoded it, before the app sees the request.

    A chunked body has no Content-Length, and the limit that reads only so much
    of it silently truncated it (a PUT of 10.6 MB stored its first 10 MiB and
    answered 201).  Here the decoded bytes are counted to the end: past ``limit``
    the request is marked :data:`BODY_TOO_LARGE` (answered 413, nothing read
    further), otherwise the app gets the complete body with its exact length.
    """

    def __init__(self, app, limit: int):
        self.app = app
        self.limit = limit

    def __call__(self, environ, start_response):
        declared = environ.get("CONTENT_LENGTH") or ""
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if declared.isdigit() and int(declared) > self.limit:
            environ[BODY_TOO_LARGE] = True
        elif chunked or environ.get("wsgi.input_terminated"):
            body = bytearray()
            stream = environ["wsgi.input"]
            while chunk := stream.read(_READ_CHUNK):
                body += chunk
                if len(body) > self.limit:
                    environ[BODY_TOO_LARGE] = True
                    break
            if not environ.get(BODY_TOO_LARGE):
                environ["wsgi.input"] = io.BytesIO(bytes(body))
                environ["CONTENT_LENGTH"] = str(len(body))
                environ.pop("HTTP_TRANSFER_ENCODING", None)
                environ["wsgi.input_terminated"] = False
        if environ.get(BODY_TOO_LARGE):
            environ["wsgi.input"] = io.BytesIO(b"")
            environ["CONTENT_LENGTH"] = "0"
        return self.app(environ, start_response)
