"""The query workers are confined by the operating system, not by the analysis.

The store's ``query`` and the pool's ``preview`` take texts as they are (the safety
analysis runs before them), so these tests hand them a SERVICE and a LOAD that the
analysis would have refused, aimed at a loopback listener: the worker's empty network
namespace must stop both, with a clear refusal, and the listener must see nothing.
"""

from __future__ import annotations

import platform
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from casegraph.errors import EngineCrashed, QueryRefused, QueryTimeout
from casegraph.store.oxigraph import OxigraphStore
from casegraph.store.workers import Confinement, network_reachable
from tests.web.conftest import LoopbackListener, loopback_listening

GRAPH = URIRef("https://w3id.org/casegraph/id/graph/case/confinement-test")


@pytest.fixture
def listener() -> Iterator[LoopbackListener]:
    with loopback_listening() as listening:
        yield listening


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = OxigraphStore(tmp_path_factory.mktemp("confinement"), query_workers=1)
    graph = Graph()
    for index in range(300):
        graph.add((URIRef(f"https://w3id.org/casegraph/id/org/c{index}"), RDFS.label,
                   Literal(f"第{index}号", lang="zh-Hans")))
    store.replace_graphs({GRAPH: graph})
    yield store
    store.close()


def test_this_test_process_can_reach_loopback_so_the_check_can_fail():
    assert network_reachable() is not None


def test_a_service_call_never_leaves_the_worker(store, listener):
    text = f"SELECT * WHERE {{ SERVICE <{listener.url}sparql> {{ ?s ?p ?o }} }}"
    with pytest.raises(QueryRefused, match="network"):
        store.query(text, timeout=10)
    time.sleep(0.3)
    assert listener.connections == []


def test_a_load_never_leaves_the_worker(store, listener):
    store.start()
    load = f"LOAD <{listener.url}data.ttl> INTO GRAPH <urn:x-casegraph:loaded>"
    with pytest.raises(QueryRefused, match="network"):
        store._pool.run("preview", (None, load, ["urn:x-casegraph:loaded"], False, []), 10)
    time.sleep(0.3)
    assert listener.connections == []
    assert store.query("ASK { GRAPH <urn:x-casegraph:loaded> { ?s ?p ?o } }").boolean is False


def test_a_query_past_the_memory_cap_fails_alone(tmp_path):
    capped = OxigraphStore(tmp_path / "capped", query_workers=1,
                           confinement=Confinement(memory_bytes=768 * 1024 * 1024))
    try:
        graph = Graph()
        for index in range(3000):
            graph.add((URIRef(f"https://w3id.org/casegraph/id/org/m{index}"), RDFS.label,
                       Literal(f"标签{index}" * 4, lang="zh-Hans")))
        capped.replace_graphs({GRAPH: graph})
        # Sorting a 9-million-row product materialises it: far past 768 MiB.
        product = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f"
        started = time.monotonic()
        with pytest.raises((EngineCrashed, QueryTimeout)):
            capped.query(product, timeout=60, max_rows=1)
        assert time.monotonic() - started < 60
        assert capped.query(f"ASK {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}").boolean is True
    finally:
        capped.close()


#: Runs a store in a process whose ``unshare`` system call always fails (a seccomp
#: filter, inherited by the forkserver and its workers), as on a machine that allows
#: no network namespace; prints what a query got.
WITHOUT_NAMESPACES = """
import ctypes, sys
from pathlib import Path

class Filter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte),
                ("k", ctypes.c_uint)]

class Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(Filter))]

UNSHARE = 272  # x86_64
rules = (Filter * 4)(
    Filter(0x20, 0, 0, 0),                     # load the system call number
    Filter(0x15, 0, 1, UNSHARE),               # unshare?
    Filter(0x06, 0, 0, 0x00050000 | 1),        #   fail with EPERM
    Filter(0x06, 0, 0, 0x7FFF0000),            # anything else: allowed
)
program = Program(4, rules)
libc = ctypes.CDLL(None, use_errno=True)
assert libc.prctl(38, 1, 0, 0, 0) == 0  # PR_SET_NO_NEW_PRIVS
assert libc.prctl(22, 2, ctypes.byref(program), 0, 0) == 0  # PR_SET_SECCOMP, filter

from casegraph.errors import StoreUnavailable
from casegraph.store.oxigraph import OxigraphStore
from casegraph.store.workers import Confinement

store = OxigraphStore(Path(sys.argv[1]), query_workers=1, spare_workers=0,
                      confinement=Confinement(allow_network=sys.argv[2] == "allow"))
try:
    print("answered", store.query("ASK {}", timeout=60).boolean)
except StoreUnavailable as error:
    print("refused:", error)
finally:
    store.close()
"""


@pytest.mark.skipif(platform.machine() != "x86_64", reason="the filter names x86_64's unshare")
@pytest.mark.parametrize("setting", ["default", "allow"])
def test_workers_that_cannot_leave_the_network_refuse_unless_allowed(tmp_path, setting):
    ran = subprocess.run([sys.executable, "-c", WITHOUT_NAMESPACES, str(tmp_path / "s"), setting],
                         cwd=Path(__file__).resolve().parents[2], capture_output=True,
                         text=True, timeout=180)
    assert ran.returncode == 0, ran.stderr[-2000:]
    if setting == "allow":
        assert ran.stdout.strip() == "answered True", ran.stdout + ran.stderr[-2000:]
        assert "WITH network access" in ran.stderr
    else:
        assert ran.stdout.startswith("refused:"), ran.stdout + ran.stderr[-2000:]
        assert "cannot be taken off the network" in ran.stdout
        assert "CASEGRAPH_ALLOW_NETWORKED_WORKERS" in ran.stdout
