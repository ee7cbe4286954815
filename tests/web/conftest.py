"""Fixtures of the SPARQL service tests: stores of each backend behind a REAL HTTP server.

Every test talks to the app over a loopback socket (werkzeug ``make_server`` in a
thread), with ``urllib`` or SPARQLWrapper, exactly as a client would.  The
``loopback_listener`` records every connection made to it: pointing SERVICE,
FROM, JSON-LD contexts and XML entities at it proves that nothing was fetched.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from casegraph.config import Settings
from casegraph.store.base import Store
from casegraph.store.bootstrap import load_bundled
from casegraph.store.memory import MemoryStore
from casegraph.web import create_app
from tests.live_server import serving
from tests.remote_servers import remote_server

UPDATE_TOKEN = "s3cret-token-for-tests"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def open_backend(kind: str, tmp_path, *, query_timeout: float = 10.0) -> Iterator[Store]:
    """A store of backend ``kind`` holding the bundled ontology and cases."""
    if kind == "memory":
        store: Store = MemoryStore()
        server = contextlib.nullcontext()
    elif kind == "oxigraph":
        from casegraph.store.oxigraph import OxigraphStore

        store = OxigraphStore(tmp_path / "store", query_workers=2, query_timeout=query_timeout)
        server = contextlib.nullcontext()
    else:
        server = remote_server(tmp_path / "remote", timeout_s=max(1, int(query_timeout)))
    with server as remote:
        if kind == "remote":
            store = remote.store(timeout=query_timeout)
        load_bundled(store, Settings())
        try:
            yield store
        finally:
            store.close()


@dataclass
class LiveService:
    """A running app: its base URL, store and settings."""

    url: str
    store: Store
    settings: Settings

    def get(self, path: str, headers: dict[str, str] | None = None):
        return request(self.url + path, headers=headers)

    def post(self, path: str, body: bytes | str, content_type: str,
             headers: dict[str, str] | None = None, method: str = "POST"):
        data = body.encode("utf-8") if isinstance(body, str) else body
        return request(self.url + path, data=data, method=method,
                       headers={"Content-Type": content_type, **(headers or {})})

    def wait_ready(self, timeout: float = 60) -> Answer:
        """The first /healthz answer that is not 503 (the search index builds after a start)."""
        deadline = time.monotonic() + timeout
        while (answer := self.get("/healthz")).status == 503:
            assert time.monotonic() < deadline, answer.text
            time.sleep(0.05)
        return answer


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


def request(url: str, *, data: bytes | None = None, method: str | None = None,
            headers: dict[str, str] | None = None) -> Answer:
    """One HTTP exchange with urllib; error statuses are answers, not exceptions."""
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return Answer(response.status, {k.lower(): v for k, v in response.headers.items()},
                          response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())


@contextlib.contextmanager
def live_service(store: Store, settings: Settings) -> Iterator[LiveService]:
    with serving(create_app(settings, {"TESTING": True}, store=store)) as url:
        yield LiveService(url, store, settings)


@pytest.fixture(scope="module")
def client(app):
    """A test client of the module's ``app`` fixture (modules that define one)."""
    return app.test_client()


def settings_for(kind: str, **overrides) -> Settings:
    return Settings(**{"store": kind, "update_token": UPDATE_TOKEN, **overrides})


BACKENDS = [
    "memory",
    "oxigraph",
    pytest.param("remote", marks=pytest.mark.remote),
]


@pytest.fixture(scope="module", params=BACKENDS)
def service(request, tmp_path_factory) -> Iterator[LiveService]:
    """The bundled data on each backend, served over HTTP; writes enabled by UPDATE_TOKEN."""
    kind = request.param
    with open_backend(kind, tmp_path_factory.mktemp(kind)) as store, \
            live_service(store, settings_for(kind, max_result_rows=50)) as live:
        yield live


@pytest.fixture(scope="module")
def memory_service() -> Iterator[LiveService]:
    """The bundled data on the memory backend, for tests that do not depend on the engine."""
    store = MemoryStore()
    load_bundled(store, Settings())
    with live_service(store, settings_for("memory", max_result_rows=50,
                                          max_request_bytes=64 * 1024)) as live:
        yield live


@dataclass
class LoopbackListener:
    """A TCP listener on 127.0.0.1 that records each connection and what it received."""

    url: str
    connections: list[bytes] = field(default_factory=list)


@pytest.fixture
def loopback_listener() -> Iterator[LoopbackListener]:
    with loopback_listening() as listener:
        yield listener


@contextlib.contextmanager
def loopback_listening() -> Iterator[LoopbackListener]:
    """A :class:`LoopbackListener` accepting until the block ends."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    listener = LoopbackListener(f"http://127.0.0.1:{server.getsockname()[1]}/")
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    listener.connections.append(conn.recv(4096))
                except OSError:
                    listener.connections.append(b"")
                with contextlib.suppress(OSError):
                    conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener
    stop.set()
    thread.join(timeout=5)
    server.close()
