"""Server processes under test: start on a loopback port, watch their memory, stop them.

Each server is started as its own process group, so that stopping it also
stops what it started (gunicorn's worker, the store's query workers), and its
memory is the sum over its whole process tree, sampled while it works.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests


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


class Server:
    """A server process on ``http://127.0.0.1:<port>``, ready once ``probe`` answers."""

    def __init__(self, name: str, command: list[str], port: int, probe: str, log: Path,
                 env: dict[str, str] | None = None):
        self.name, self.port, self.probe = name, port, probe
        self.url = f"http://127.0.0.1:{port}"
        self._log = log.open("w")
        self.process = subprocess.Popen(
            command, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, **(env or {})},
        )
        self.memory = MemoryWatch(self.process.pid)

    def wait_ready(self, timeout: float) -> float:
        """Seconds until the probe URL answers 200; raises if the server dies or times out."""
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}; "
                                   f"see {self._log.name}")
            try:
                if requests.get(self.url + self.probe, timeout=2).status_code == 200:
                    return time.perf_counter() - started
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"{self.name} not ready after {timeout:.0f} s; see {self._log.name}")

    def stop(self) -> int:
        """Stop the process group; return the peak RSS of the tree seen while it ran."""
        peak = self.memory.stop()
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log.close()
        return peak


def casegraph_server(data_dir: Path, token: str, log: Path) -> Server:
    """The production setup of the README: ``casegraph serve --production`` (gunicorn)."""
    port = free_port()
    command = [shutil.which("casegraph") or "casegraph", "serve", "--production",
               "--data-dir", str(data_dir), "--port", str(port), "--update-token", token]
    return Server("casegraph", command, port, "/healthz", log)


def oxigraph_server(location: Path, log: Path) -> Server:
    port = free_port()
    command = ["oxigraph", "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
               "--union-default-graph"]
    return Server("oxigraph serve", command, port, "/query?query=ASK%7B%7D", log)


def rdflib_endpoint_server(corpus: Path, log: Path) -> Server:
    """rdflib-endpoint's own CLI: a default-union rdflib Dataset behind uvicorn."""
    port = free_port()
    command = [sys.executable, "-m", "rdflib_endpoint", "serve", str(corpus),
               "--host", "127.0.0.1", "--port", str(port)]
    return Server("rdflib-endpoint", command, port, "/?query=ASK%7B%7D", log)
