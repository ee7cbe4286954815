"""``casegraph serve`` and ``casegraph query`` as processes, the way an operator runs them."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.web.conftest import _free_port, request

pytestmark = pytest.mark.remote

CASEGRAPH = [sys.executable, "-m", "casegraph.cli"] if shutil.which("casegraph") is None \
    else ["casegraph"]
QUERY = "SELECT ?g WHERE { GRAPH ?g { ?s a <https://w3id.org/casegraph/ns#CaseDocument> } }"


@contextlib.contextmanager
def casegraph_serve(tmp_path, *extra: str, env: dict[str, str] | None = None):
    port = _free_port()
    process = subprocess.Popen(
        [*CASEGRAPH, "serve", "--port", str(port), "--data-dir", str(tmp_path / "store"), *extra],
        env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"casegraph serve exited: {process.stdout.read().decode()}")
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_serve_loads_the_bundled_data_and_answers_the_query_command(tmp_path):
    with casegraph_serve(tmp_path, "--update-token", "t0ken",
                         env={"CASEGRAPH_CORS_ORIGINS": "https://yasgui.example"}) as base:
        health = json.loads(request(base + "/healthz").body)
        assert health["status"] == "ok" and health["graphs"] > 1
        result = subprocess.run(
            [*CASEGRAPH, "query", QUERY, "--endpoint", base + "/sparql", "--format", "json"],
            capture_output=True, text=True, timeout=60, check=True,
        )
        graphs = {b["g"]["value"] for b in json.loads(result.stdout)["results"]["bindings"]}
        assert len(graphs) == health["graphs"] - 1  # every graph but the ontology's
        table = subprocess.run([*CASEGRAPH, "query", QUERY, "--endpoint", base + "/sparql"],
                               capture_output=True, text=True, timeout=60, check=True).stdout
        assert f"{len(graphs)} row(s)" in table and "id:graph/case/" in table
        cors = request(base + "/sparql?query=ASK%7B%7D",
                       headers={"Origin": "https://yasgui.example"})
        assert cors.header("Access-Control-Allow-Origin") == "https://yasgui.example"
        other = request(base + "/sparql?query=ASK%7B%7D", headers={"Origin": "https://evil.example"})
        assert other.header("Access-Control-Allow-Origin") is None
        metrics = request(base + "/metrics").text
        assert 'casegraph_http_requests_total{endpoint="sparql.sparql_endpoint",status="200"}' \
            in metrics
        assert "casegraph_http_request_duration_seconds_bucket" in metrics
        quads = int(next(line.split()[1] for line in metrics.splitlines()
                         if line.startswith("casegraph_store_quads ")))
        assert quads > 1000


def test_query_command_on_the_local_store_and_its_errors(tmp_path):
    local = subprocess.run(
        [*CASEGRAPH, "query", QUERY, "--store", "memory", "--format", "csv"],
        capture_output=True, text=True, timeout=120, check=True,
    )
    assert local.stdout.splitlines()[0] == "g" and len(local.stdout.splitlines()) > 5
    refused = subprocess.run(
        [*CASEGRAPH, "query", "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
         "--store", "memory"], capture_output=True, text=True, timeout=120,
    )
    assert refused.returncode == 1 and "SERVICE" in refused.stderr
    query_file = tmp_path / "cases.rq"
    query_file.write_text(QUERY, encoding="utf-8")
    from_file = subprocess.run(
        [*CASEGRAPH, "query", f"@{query_file}", "--store", "memory", "--format", "json"],
        capture_output=True, text=True, timeout=120, check=True,
    )
    assert json.loads(from_file.stdout)["results"]["bindings"]


def test_production_mode_is_waitress_in_one_process(tmp_path):
    with casegraph_serve(tmp_path, "--threads", "4") as base:
        answers = [request(base + "/sparql?query=ASK%7B%7D") for _ in range(3)]
        assert all(a.status == 200 for a in answers)
        assert "waitress" in (answers[0].header("Server") or "")


def test_raw_utf8_in_the_query_string_means_the_same_as_percent_encoded(memory_service):
    """curl sends ?q=济南热电 as raw UTF-8 bytes; browsers percent-encode it."""
    import http.client
    from urllib.parse import quote, urlsplit

    host = urlsplit(memory_service.url).netloc
    answers = []
    for target in ("/search.json?q=" + quote("济南热电"),
                   ("/search.json?q=" + "济南热电").encode("utf-8").decode("latin-1")):
        connection = http.client.HTTPConnection(host, timeout=30)
        connection._encode_request = lambda request: request.encode("latin-1")  # raw bytes
        connection.request("GET", target)
        answers.append(connection.getresponse().read())
        connection.close()
    assert answers[0] == answers[1]
    assert b'"total":0' not in answers[0]


def test_serve_on_a_fresh_shared_remote_store(tmp_path):
    """``casegraph serve --store remote`` on a fresh server (``CASEGRAPH_TEST_REMOTE``) loads
    the bundled data once and then sees only its own graphs, whatever else the server holds
    (Virtuoso starts with system graphs); credentials come from the environment."""
    import pyoxigraph as ox

    from casegraph.config import CANONICAL_BASE_IRI, Settings
    from casegraph.paths import case_files
    from casegraph.store.bootstrap import load_bundled
    from casegraph.store.memory import MemoryStore
    from tests.remote_servers import remote_server

    reference = MemoryStore()
    load_bundled(reference, Settings(store="memory"))
    with remote_server(tmp_path / "remote") as remote:
        flags = ["--store", "remote", "--endpoint", remote.query_url,
                 "--update-endpoint", remote.update_url]
        if remote.store_url:
            flags += ["--store-endpoint", remote.store_url]
        env = {"CASEGRAPH_REMOTE_USER": remote.user, "CASEGRAPH_REMOTE_PASSWORD": remote.password
               } if remote.user else {}
        with casegraph_serve(tmp_path, *flags, env=env) as base:
            health = json.loads(request(base + "/healthz").body)
            assert health["graphs"] == len(case_files()) + 1
            export = request(base + "/export/dataset.nq")
            assert export.status == 200
            quads = list(ox.parse(export.body, format=ox.RdfFormat.N_QUADS))
            assert len(quads) == reference.triple_count()
            assert all(q.graph_name.value.startswith(CANONICAL_BASE_IRI) for q in quads)
            construct = request(
                base + "/sparql?query=" + urllib.parse.quote(
                    "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 5"),
                headers={"Accept": "text/turtle"})
            assert construct.status == 200
            assert len(list(ox.parse(construct.body, format=ox.RdfFormat.TURTLE))) == 5
            found = json.loads(request(base + "/search.json?q=" + urllib.parse.quote("济南")).body)
            assert found["total"] > 10 and found["groups"]["organisation"] > 5
            assert request(base + "/void").status == 200
        if remote.user:  # a wrong password: serve stops at once, saying what the server said
            env["CASEGRAPH_REMOTE_PASSWORD"] = "wrong"
            refused = subprocess.run(
                [*CASEGRAPH, "serve", "--port", str(_free_port()), *flags],
                env={**os.environ, **env}, capture_output=True, text=True, timeout=60)
            assert refused.returncode != 0
            assert "HTTP 401" in refused.stderr + refused.stdout
