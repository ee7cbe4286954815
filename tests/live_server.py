"""Servers on a loopback port in a thread, for tests that talk HTTP to them."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from werkzeug.serving import make_server


def serving(app) -> contextlib.AbstractContextManager[str]:
    """Serve the WSGI ``app`` on 127.0.0.1 (a free port) until the block ends."""
    return in_thread(make_server("127.0.0.1", 0, app, threaded=True))


@contextlib.contextmanager
def in_thread(server) -> Iterator[str]:
    """Run a bound ``socketserver``-style server (werkzeug's, ``http.server``'s) in a
    thread until the block ends; yields its base URL."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
