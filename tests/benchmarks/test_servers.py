"""The harness against real servers: casegraph serve and oxigraph serve on loopback, same data.

casegraph runs with a small row cap here, so that the harness has to tell a cut
answer from a whole one; the benchmark itself lifts the cap.
"""

from __future__ import annotations

import pytest

from benchmarks.answers import describe_difference
from benchmarks.http_bench import SparqlClient
from benchmarks.run import TOKEN, write_corpus
from benchmarks.servers import casegraph_server, load_oxigraph, oxigraph_server
from benchmarks.workload import question_runs
from casegraph.config import Settings
from casegraph.store.oxigraph import OxigraphStore

pytestmark = pytest.mark.remote
CAP = 20


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    work = tmp_path_factory.mktemp("servers")
    corpus = work / "dataset.nq"
    write_corpus(8, corpus)
    store = OxigraphStore.from_settings(Settings(store="oxigraph", data_dir=work / "casegraph"))
    store.bulk_load(corpus, "application/n-quads")
    store.close()
    load_oxigraph(corpus, work / "oxigraph", 120)
    casegraph = casegraph_server(work / "casegraph", TOKEN, work / "casegraph.log", max_rows=CAP)
    oxigraph = oxigraph_server(work / "oxigraph", work / "oxigraph.log")
    try:
        casegraph.wait_ready(180)
        oxigraph.wait_ready(60)
        yield casegraph, oxigraph
    finally:
        casegraph.stop()
        oxigraph.stop()


def test_casegraph_is_ready_only_once_search_answers(servers):
    casegraph, _ = servers
    assert casegraph.state == "ok"
    client = SparqlClient(casegraph.url, 10)
    assert client.get(casegraph.url + "/search.json?q=synthetic") > 0


def test_whole_answers_agree_across_engines_and_cut_ones_are_told_apart(servers):
    casegraph, oxigraph = servers
    ours = SparqlClient(casegraph.url + "/sparql", 30)
    theirs = SparqlClient(oxigraph.url + "/query", 30)
    seen = {"equal": 0, "cut": 0}
    for run in question_runs():
        a, b = ours.select(run.sparql), theirs.select(run.sparql)
        summary_a = {"rows": a.count, "digest": a.digest(), "truncated": a.truncated}
        summary_b = {"rows": b.count, "digest": b.digest(), "truncated": b.truncated}
        difference = describe_difference(summary_a, summary_b)
        if b.count > CAP:
            assert a.truncated and a.count == CAP, run.id
            assert difference == f"{CAP} rows (truncated) vs {b.count}", run.id
            seen["cut"] += 1
        else:
            assert not a.truncated and difference == "", (run.id, difference)
            seen["equal"] += b.count > 0
    assert seen["cut"] and seen["equal"], seen
