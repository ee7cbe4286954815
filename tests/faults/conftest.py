"""Shared pieces of the fault suite: a `casegraph serve` process we can kill, small case graphs.

Every test here is marked ``faults`` (deselect with ``-m "not faults"``); the ones that
start server processes are also ``remote``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph

from benchmarks.servers import stop_session
from tests.web.conftest import _free_port, request

ID = "https://w3id.org/casegraph/id/"
TOKEN = "fault-suite-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CASEGRAPH = ["casegraph"] if shutil.which("casegraph") else [sys.executable, "-m", "casegraph.cli"]


def case_graph_iri(slug: str) -> str:
    return f"{ID}graph/case/{slug}"


def case_graph_turtle(slug: str, version: int) -> str:
    """The smallest case graph the shapes accept; ``version`` shows in every node.

    A case document, one Party branch and the passage that states it: a write of
    it is a full case graph, and a half-written one would miss some of its 15 triples.
    """
    quote = f"故障测试党支部第{version}版"
    return f"""@prefix cg: <https://w3id.org/casegraph/ns#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@base <{ID}> .
<case/{slug}> a cg:CaseDocument ;
  dcterms:title "故障测试案例 {slug} 第{version}版"@zh-Hans ;
  cg:caseGraph <graph/case/{slug}> ;
  cg:sourceTextFile "data/cases/{slug}/source.txt" ;
  cg:aboutOrganisation <org/{slug}-branch> .
<org/{slug}-branch> a cg:PartyBranch ;
  rdfs:label "故障测试党支部{version}"@zh-Hans, "故障測試黨支部{version}"@zh-Hant,
      "Fault test Party branch {version}"@en ;
  cg:statedIn <case/{slug}/passage/p01> .
<case/{slug}/passage/p01> a cg:Passage ;
  cg:quote "{quote}"@zh-Hans ;
  cg:charStart 0 ; cg:charEnd {len(quote)} ;
  dcterms:isPartOf <case/{slug}> .
"""


def case_graph(slug: str, version: int) -> Graph:
    return Graph().parse(data=case_graph_turtle(slug, version), format="turtle")


def store_path(graph_iri: str) -> str:
    return "/store?" + urllib.parse.urlencode({"graph": graph_iri})


@dataclass
class ServeProcess:
    """``casegraph serve`` in its own session, so that its query workers go with it."""

    process: subprocess.Popen
    url: str
    log: Path

    def get(self, path: str, headers: dict[str, str] | None = None):
        return request(self.url + path, headers=headers)

    def put_graph(self, graph_iri: str, turtle: str, timeout: float = 30):
        req = urllib.request.Request(
            self.url + store_path(graph_iri), data=turtle.encode("utf-8"), method="PUT",
            headers={"Content-Type": "text/turtle", **AUTH},
        )
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status

    def graph(self, graph_iri: str) -> Graph | None:
        """The graph's content as the service serves it; None when it does not hold it."""
        answer = self.get(store_path(graph_iri), {"Accept": "application/n-triples"})
        if answer.status == 404:
            return None
        assert answer.status == 200, answer.body[:500]
        return Graph().parse(data=answer.body, format="nt")

    def kill_9(self) -> None:
        """SIGKILL the serving process alone (its workers notice and exit), then reap all."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(30)
        _kill_group(self.process.pid)

    def stop(self) -> None:
        stop_session(self.process)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def start_serve(data_dir: Path, *extra: str, log_dir: Path, ready_timeout: float = 120,
                env: dict[str, str] | None = None) -> ServeProcess:
    """Start ``casegraph serve`` on a free loopback port and wait for /healthz."""
    port = _free_port()
    log = log_dir / f"serve-{port}-{time.monotonic_ns()}.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [*CASEGRAPH, "serve", "--port", str(port), "--data-dir", str(data_dir),
             "--update-token", TOKEN, *extra],
            stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, **(env or {})},
        )
    served = ServeProcess(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + ready_timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            _kill_group(process.pid)
            pytest.fail(f"casegraph serve exited with {process.returncode}: {served.output()}")
        try:
            urllib.request.urlopen(served.url + "/healthz", timeout=2).read()
            return served
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    served.stop()
    pytest.fail(f"casegraph serve did not answer within {ready_timeout} s: {served.output()}")


@pytest.fixture
def serve_processes(tmp_path) -> Iterator[list[ServeProcess]]:
    """Collects the servers a test starts and stops any it left running."""
    started: list[ServeProcess] = []
    yield started
    for served in started:
        served.stop()
