"""HTTP basic credentials: offered to every endpoint once the server asks for them.

Virtuoso (``CASEGRAPH_TEST_REMOTE=virtuoso``) covers digest; basic is what a reverse proxy
in front of ``oxigraph serve`` or Fuseki asks for, so the test puts one (a real HTTP proxy
on loopback, forwarding every request) in front of a real ``oxigraph serve``.
"""

from __future__ import annotations

import base64
import contextlib
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rdflib import Graph, Literal, URIRef

from casegraph.errors import StoreError
from casegraph.store.remote import RemoteStore
from tests.live_server import in_thread
from tests.remote_servers import oxigraph_server

pytestmark = pytest.mark.remote

GRAPH = URIRef("https://w3id.org/casegraph/id/graph/case/credentials")
LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")


@contextlib.contextmanager
def basic_auth_proxy(upstream: str, user: str, password: str) -> Iterator[str]:
    """A loopback proxy to ``upstream`` that answers 401 (Basic) without the credentials."""
    expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    seen: list[str | None] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def forward(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen.append(self.headers.get("Authorization"))
            if self.headers.get("Authorization") != expected:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="casegraph-test"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            headers = {k: v for k, v in self.headers.items()
                       if k.lower() in {"accept", "content-type"}}
            request = urllib.request.Request(upstream + self.path, data=body or None,
                                             headers=headers, method=self.command)
            try:
                with urllib.request.urlopen(request, timeout=30) as reply:
                    status, content_type, data = reply.status, reply.headers.get(
                        "Content-Type", ""), reply.read()
            except urllib.error.HTTPError as error:
                status, content_type, data = error.code, error.headers.get(
                    "Content-Type", ""), error.read()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = forward

    with in_thread(ThreadingHTTPServer(("127.0.0.1", 0), Handler)) as url:
        yield url
    assert expected in seen  # the credentials did travel


def test_basic_credentials_reach_every_endpoint(tmp_path):
    with oxigraph_server(tmp_path / "oxigraph") as server:
        upstream = server.query_url.removesuffix("/query")
        with basic_auth_proxy(upstream, "writer", "pa55") as proxy:
            urls = (f"{proxy}/query", f"{proxy}/update", f"{proxy}/store")
            store = RemoteStore(*urls, user="writer", password="pa55")
            graph = Graph()
            graph.add((URIRef("https://w3id.org/casegraph/id/org/x"), LABEL, Literal("甲")))
            store.replace_graphs({GRAPH: graph})
            assert set(store.graph(GRAPH)) == set(graph)  # through the Graph Store endpoint
            assert store.named_graphs() == [GRAPH]
            with pytest.raises(StoreError) as refused:
                RemoteStore(*urls).named_graphs()
            assert refused.value.status == 502 and "HTTP 401" in str(refused.value)
            with pytest.raises(StoreError) as wrong:
                RemoteStore(*urls, user="writer", password="nope").named_graphs()
            assert wrong.value.status == 502
