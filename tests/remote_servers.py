"""Real SPARQL servers for the remote backend, started by the tests on loopback.

``CASEGRAPH_TEST_REMOTE`` chooses the engine behind every ``remote`` test:
``oxigraph`` (default: ``oxigraph serve`` from the PyPI package) or ``virtuoso``
(Debian's ``virtuoso-opensource-7-bin``, see ``scripts/install-system-deps.sh``).
Each server gets its own directory under the test's tmp, free ports on
127.0.0.1, and is stopped when the context ends.  Virtuoso gets a ``virtuoso.ini``
written here and an update user with ``SPARQL_UPDATE`` and a random password,
which the store sends with HTTP digest (``/sparql-auth``), as a deployment would.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmarks.servers import stop_session

ENGINES = ("oxigraph", "virtuoso")
#: Seconds a server may take to answer its first query.
START_LIMIT = 60.0


def remote_engine() -> str:
    engine = os.environ.get("CASEGRAPH_TEST_REMOTE", "oxigraph")
    if engine not in ENGINES:
        raise pytest.UsageError(f"CASEGRAPH_TEST_REMOTE={engine!r}: choose one of {ENGINES}")
    return engine


@dataclass(frozen=True)
class RemoteServer:
    """Where a running server answers, and the credentials it wants for writes."""

    engine: str
    query_url: str
    update_url: str
    store_url: str | None
    user: str | None = None
    password: str | None = None

    def store(self, *, timeout: float = 30.0, base_iri: str | None = None):
        from casegraph.store.remote import RemoteStore

        extra = {"base_iri": base_iri} if base_iri else {}
        return RemoteStore(self.query_url, self.update_url, self.store_url, timeout=timeout,
                           user=self.user, password=self.password, **extra)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def remote_server(location: Path, *, timeout_s: int = 30) -> Iterator[RemoteServer]:
    """The engine chosen by ``CASEGRAPH_TEST_REMOTE``, holding nothing of casegraph's yet."""
    engine = remote_engine()
    starter = oxigraph_server if engine == "oxigraph" else virtuoso_server
    with starter(location, timeout_s=timeout_s) as server:
        yield server


@contextlib.contextmanager
def oxigraph_server(location: Path, *, timeout_s: int = 30) -> Iterator[RemoteServer]:
    binary = shutil.which("oxigraph")
    if binary is None:
        pytest.skip("the oxigraph server binary (PyPI package 'oxigraph') is not on PATH")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
               "--timeout-s", str(timeout_s)]
    with _running(command, f"{base}/query?query=ASK%7B%7D", location) as _:
        yield RemoteServer("oxigraph", f"{base}/query", f"{base}/update", f"{base}/store")


@contextlib.contextmanager
def virtuoso_server(location: Path, *, timeout_s: int = 30) -> Iterator[RemoteServer]:
    binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if binary is None or isql is None:
        pytest.skip("Virtuoso (Debian package virtuoso-opensource-7-bin) is not installed")
    location.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = location / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=location, sql_port=sql_port, http_port=http_port,
                                       timeout_s=timeout_s), encoding="utf-8")
    base = f"http://127.0.0.1:{http_port}"
    command = [binary, "+foreground", "+configfile", str(ini)]
    with _running(command, f"{base}/sparql?query=ASK%7B%7D", location):
        user, password, dba = "casegraph", secrets.token_hex(12), secrets.token_hex(12)
        statements = (
            f"DB.DBA.USER_CREATE('{user}', '{password}'); "
            f'GRANT SPARQL_UPDATE TO "{user}"; '
            f"SET PASSWORD dba {dba};"
        )
        subprocess.run([isql, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={statements}"],
                       check=True, capture_output=True, timeout=30)
        yield RemoteServer("virtuoso", f"{base}/sparql-auth", f"{base}/sparql-auth", None,
                           user, password)


@contextlib.contextmanager
def _running(command: list[str], probe_url: str, location: Path) -> Iterator[subprocess.Popen]:
    """Start ``command``, wait (bounded) until ``probe_url`` answers, stop it afterwards."""
    log = (location.parent / f"{location.name}.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=location
                               if location.is_dir() else None, start_new_session=True)
    try:
        deadline = time.monotonic() + START_LIMIT
        while True:
            try:
                urllib.request.urlopen(probe_url, timeout=2).read()
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    output = Path(log.name).read_text("utf-8", "replace")[-2000:]
                    raise RuntimeError(f"{command[0]} did not start: {output}") from None
                time.sleep(0.2)
        yield process
    finally:
        stop_session(process)
        log.close()


#: Only what a test instance needs: loopback ports, files in its own directory, no
#: VAD packages, and the server-side query limit (which must not exceed the client's).
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {dir}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 1

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8
EnabledDavVSP = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = {timeout_s}
MaxQueryCostEstimationTime = 400
"""
