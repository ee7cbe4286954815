"""Run the web service: a threaded development server, or gunicorn for production.

The embedded Oxigraph store allows ONE writing process, so production serving
is gunicorn with exactly one worker process and several threads (``--workers N``
sets the thread count); SPARQL queries still run in parallel in the store's own
query worker processes (``settings.query_workers``).  The app, and with it the
store, is created inside the gunicorn worker, never before the fork.
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

from casegraph.config import Settings
from casegraph.errors import StoreError, StoreUnavailable
from casegraph.web.context import STORE_KEY

#: Threads of the single gunicorn worker when ``--production`` is given without ``--workers``.
DEFAULT_PRODUCTION_THREADS = 8
#: The exit code that makes the gunicorn master stop instead of restarting the worker.
WORKER_BOOT_ERROR = 3


def serve(settings: Settings, host: str, port: int, *, threads: int = 1,
          production: bool = False) -> None:
    """Open the store (loading the bundled data into an empty one) and serve until stopped.

    Raises ``StoreError`` when the store cannot be opened (the command prints it).
    """
    if settings.store == "oxigraph":
        check_data_dir(settings.data_dir)
    if production or threads > 1:
        _serve_with_gunicorn(settings, host, port,
                             threads if threads > 1 else DEFAULT_PRODUCTION_THREADS)
    else:
        _serve_threaded(settings, host, port)


def check_data_dir(data_dir: Path) -> None:
    """Fail before serving, in one sentence, when the store's directory cannot be written.

    The gunicorn worker opens the store only after the fork, where a failure would
    be a traceback in the worker's log; this catches the usual causes first.
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
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        app.extensions[STORE_KEY].close()


def _serve_with_gunicorn(settings: Settings, host: str, port: int, threads: int) -> None:
    from gunicorn.app.base import BaseApplication

    class CasegraphApplication(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", 1)  # one writer: see the module docstring
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("timeout", int(settings.query_timeout) + 30)
            self.cfg.set("preload_app", False)

        def load(self):
            from casegraph.web import create_app

            try:
                return warmed_up(create_app(settings))
            except StoreError as error:
                print(f"casegraph: {error}", file=sys.stderr, flush=True)
                sys.exit(WORKER_BOOT_ERROR)

    print(f"casegraph: gunicorn on http://{host}:{port}/ with 1 worker, {threads} threads",
          file=sys.stderr, flush=True)
    CasegraphApplication().run()
