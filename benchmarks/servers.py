"""Server processes under test: start on a loopback port, watch their memory, stop them.

Each server is started as its own process group, so that stopping it also
stops what it started (the server, the store's query workers), and its
memory is the sum over its whole process tree, sampled while it works.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import requests

#: Where the interpreter running the harness keeps its commands: ``casegraph`` and
#: ``oxigraph`` of the venv ``pip install -e '.[bench]'`` went into, activated or not.
#: Not resolved: a venv's python is a symlink to the system one, outside the venv.
VENV_BIN = Path(sys.executable).parent


def command_path(name: str) -> str:
    """The venv's ``name`` beside ``sys.executable``, else the one on PATH; an error says which."""
    beside = VENV_BIN / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError(
            f"no {name!r} command in {VENV_BIN} nor on PATH; install the benchmark "
            "dependencies with: pip install -e '.[bench]'")
    return found


def child_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This environment with the venv's bin first on PATH (servers start their own helpers)."""
    path = os.environ.get("PATH", "")
    return {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{path}" if path else str(VENV_BIN),
            **(extra or {})}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def tree_pids(root: int) -> list[int]:
    """``root`` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending.extend(children.get(pid, []))
    return found


def rss_bytes(pid: int, field: str = "VmRSS") -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def pss_bytes(pid: int) -> int:
    """A process's proportional set size (``/proc/PID/smaps_rollup``), 0 if gone."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class MemoryWatch:
    """Samples the summed RSS of a process tree every 50 ms; ``peak`` is the largest sum."""

    def __init__(self, root: int):
        self.root = root
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            total = sum(rss_bytes(pid) for pid in tree_pids(self.root))
            self.peak = max(self.peak, total)
            self._stop.wait(0.05)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def stop_session(process: subprocess.Popen, grace: float = 30) -> None:
    """Stop a server started with ``start_new_session=True``, and all it started.

    SIGTERM to the leader first, so it can stop its workers and flush its store;
    SIGKILL after ``grace`` seconds; then SIGKILL to the whole session, because a
    worker orphaned by a leader that crashed would keep the port and the store's lock.
    """
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(grace)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def plain_ready(response: requests.Response) -> str | None:
    """Ready when the probe answers 200; the state is ``ok``."""
    return "ok" if response.status_code == 200 else None


def casegraph_ready(response: requests.Response) -> str | None:
    """casegraph's /healthz: 503 "starting" while warming; 200 "ok", or "degraded: what"."""
    if response.status_code != 200:
        return None
    body = response.json()
    if body.get("status") == "ok":
        return "ok"
    return f"{body.get('status')}: {body.get('degraded') or body}"


class Server:
    """A server process on ``http://127.0.0.1:<port>``, ready once ``probe`` says so."""

    def __init__(self, name: str, command: list[str], port: int, probe: str, log: Path,
                 env: dict[str, str] | None = None,
                 ready: Callable[[requests.Response], str | None] = plain_ready):
        self.name, self.port, self.probe, self._ready = name, port, probe, ready
        self.url = f"http://127.0.0.1:{port}"
        #: What the probe said once it answered (``ok``, or ``degraded: …``).
        self.state: str | None = None
        self._log = log.open("w")
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            command, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
            env=child_environment(env),
        )
        self.memory = MemoryWatch(self.process.pid)

    def wait_ready(self, timeout: float) -> float:
        """Seconds from the process start until the probe says ready (or degraded).

        Raises if the server dies or ``timeout`` seconds pass first.
        """
        while time.perf_counter() - self.started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}; "
                                   f"see {self._log.name}")
            try:
                state = self._ready(requests.get(self.url + self.probe, timeout=2))
            except (requests.RequestException, ValueError):
                state = None
            if state is not None:
                self.state = state
                return time.perf_counter() - self.started
            time.sleep(0.1)
        raise TimeoutError(f"{self.name} not ready after {timeout:.0f} s; see {self._log.name}")

    def tree_rss(self) -> int:
        """The summed RSS of the server's process tree now."""
        return sum(rss_bytes(pid) for pid in tree_pids(self.process.pid))

    def tree_pss(self) -> int:
        """The summed PSS of the tree now: pages shared by several of its processes (a
        forkserver's children share its modules) count once in all, not once per process."""
        return sum(pss_bytes(pid) for pid in tree_pids(self.process.pid))

    def stop(self) -> int:
        """Stop the process group; return the peak RSS of the tree seen while it ran."""
        peak = self.memory.stop()
        stop_session(self.process, grace=15)
        self._log.close()
        return peak


def casegraph_server(data_dir: Path, token: str, log: Path, *, max_rows: int) -> Server:
    """The production setup of the README: ``casegraph serve --production`` (waitress).

    ``max_rows`` sets ``CASEGRAPH_MAX_RESULT_ROWS``: the benchmark lifts the cap so
    that casegraph returns the whole answer, as the other systems do.
    """
    port = free_port()
    command = [command_path("casegraph"), "serve", "--production",
               "--data-dir", str(data_dir), "--port", str(port), "--update-token", token]
    return Server("casegraph", command, port, "/healthz", log,
                  env={"CASEGRAPH_MAX_RESULT_ROWS": str(max_rows)}, ready=casegraph_ready)


#: Gives ``oxigraph serve`` casegraph's dataset: the default graph is the RDF merge of the
#: named graphs (each distinct triple once), not the union view, which repeats a triple
#: once per graph stating it and so answers some questions with other rows.
MERGE_INTO_DEFAULT_GRAPH = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def load_oxigraph(corpus: Path, location: Path, timeout: float) -> None:
    """``oxigraph load`` the corpus, then write the merge into its default graph."""
    oxigraph = command_path("oxigraph")
    subprocess.run([oxigraph, "load", "--location", str(location), "--file", str(corpus)],
                   check=True, capture_output=True, timeout=timeout)
    subprocess.run([oxigraph, "update", "--location", str(location),
                    "--update", MERGE_INTO_DEFAULT_GRAPH],
                   check=True, capture_output=True, timeout=timeout)


def oxigraph_server(location: Path, log: Path) -> Server:
    """``oxigraph serve`` over a store made by ``load_oxigraph``."""
    port = free_port()
    command = [command_path("oxigraph"), "serve", "--location", str(location),
               "--bind", f"127.0.0.1:{port}"]
    return Server("oxigraph serve", command, port, "/query?query=ASK%7B%7D", log)


def rdflib_endpoint_server(corpus: Path, log: Path) -> Server:
    """rdflib-endpoint's own CLI: a default-union rdflib Dataset behind uvicorn."""
    port = free_port()
    command = [sys.executable, "-m", "rdflib_endpoint", "serve", str(corpus),
               "--host", "127.0.0.1", "--port", str(port)]
    return Server("rdflib-endpoint", command, port, "/?query=ASK%7B%7D", log)
