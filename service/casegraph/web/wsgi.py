"""WSGI-level fixes applied before Flask sees a request."""

from __future__ import annotations

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
