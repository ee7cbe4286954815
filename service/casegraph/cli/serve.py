"""Run the web service: a threaded development server, or waitress for production.

The embedded Oxigraph store allows ONE writing process, so production serving is
one process with several threads (``--threads N``); SPARQL queries still run in
parallel in the store's own query worker processes (``settings.query_workers``),
which also parse every client text and upload.

Production serves with waitress rather than gunicorn: waitress reads each request
in its event loop — headers and the whole body — and hands only complete requests
to its threads.  gunicorn's threads read the request themselves, so 8 clients
sending one header line every 2 s held all 8 threads and stopped every response
for a minute; with waitress they hold 8 idle sockets and nothing else.  A
connection that sends nothing for ``CLIENT_IDLE_SECONDS`` is closed.
"""

from __future__ import annotations

import signal
import sys
import tempfile
import threading
from pathlib import Path

from casegraph.config import Settings
from casegraph.errors import StoreUnavailable
from casegraph.search.index import EXIT_WAIT_SECONDS
from casegraph.web.context import SEARCH_KEY, STORE_KEY

#: Request threads when ``--production`` is given without ``--threads``.
DEFAULT_PRODUCTION_THREADS = 8
#: A connection that sends nothing for this long is closed (waitress ``channel_timeout``).
CLIENT_IDLE_SECONDS = 30
#: Open connections at most; past it new ones wait in the listen backlog.
CONNECTION_LIMIT = 256
#: Largest request header block, in bytes.
MAX_HEADER_BYTES = 64 * 1024


def serve(settings: Settings, host: str, port: int, *, threads: int = 1,
          production: bool = False) -> None:
    """Open the store (loading the bundled data into an empty one) and serve until stopped.

    Raises ``StoreError`` when the store cannot be opened (the command prints it).
    """
    if settings.store == "oxigraph":
        check_data_dir(settings.data_dir)
    if production or threads > 1:
        _serve_with_waitress(settings, host, port,
                             threads if threads > 1 else DEFAULT_PRODUCTION_THREADS)
    else:
        _serve_threaded(settings, host, port)


def check_data_dir(data_dir: Path) -> None:
    """Fail before serving, in one sentence, when the store's directory cannot be written.

    Opening the store would fail too, but later and less clearly; this catches the
    usual causes first.
    """
    directory = Path(data_dir)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=directory, prefix=".casegraph-write-check-"):
            pass
    except OSError as error:
        raise StoreUnavailable(
            f"the data directory {directory} cannot be written: {error.strerror or error}"
        ) from error


def warmed_up(app):
    """Start the store's query workers in the background as the server starts, so the
    first queries do not wait for the replicas to load (embedded store only)."""
    store = app.extensions[STORE_KEY]
    threading.Thread(target=store.start, name="warm-query-workers", daemon=True).start()
    return app


def _serve_threaded(settings: Settings, host: str, port: int) -> None:
    from werkzeug.serving import make_server

    from casegraph.web import create_app

    app = warmed_up(create_app(settings))
    server = make_server(host, port, app, threaded=True)
    print(f"casegraph: serving http://{host}:{server.server_port}/ "
          f"(SPARQL endpoint /sparql, store: {settings.store})", file=sys.stderr, flush=True)
    _run_until_stopped(app, server.serve_forever, server.server_close)


def _serve_with_waitress(settings: Settings, host: str, port: int, threads: int) -> None:
    from waitress import create_server

    from casegraph.web import create_app

    app = warmed_up(create_app(settings))
    server = create_server(
        app, host=host, port=port, threads=threads, ident="casegraph (waitress)",
        channel_timeout=CLIENT_IDLE_SECONDS, connection_limit=CONNECTION_LIMIT,
        max_request_header_size=MAX_HEADER_BYTES,
        # Waitress counts a chunked body with its framing; the app counts the decoded
        # bytes exactly (``web.wsgi.BoundedRequestBody``), so this is only a backstop.
        max_request_body_size=2 * settings.max_request_bytes + MAX_HEADER_BYTES,
    )
    print(f"casegraph: waitress on http://{host}:{port}/ with {threads} threads",
          file=sys.stderr, flush=True)
    _run_until_stopped(app, server.run, server.close)


def _run_until_stopped(app, run, close) -> None:
    """Serve until Ctrl-C or SIGTERM, then close the listener, let the search index take
    in the writes already acknowledged, and close the app's store (its workers).

    Why SIGTERM too: its default ends the process at once, and an index left behind the
    store's stamp is rebuilt at the next start (35 s at 10k cases instead of 1 s).
    """
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)
    try:
        run()
    except KeyboardInterrupt:
        pass
    finally:
        close()
        index = app.extensions.get(SEARCH_KEY)
        if index is not None:
            index.wait_until_current(EXIT_WAIT_SECONDS)
        app.extensions[STORE_KEY].close()


def _interrupt(_signum, _frame) -> None:
    raise KeyboardInterrupt
