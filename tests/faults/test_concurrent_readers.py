"""Many readers and one writer: a reader never sees half of a two-graph write.

The writer replaces two case graphs in one SPARQL update, version after version;
readers ask for both graphs' versions and sizes in one query, and must always see
the same complete version in both, never going back to an older one.
"""

from __future__ import annotations

import json
import threading
import urllib.parse

import pytest

from casegraph.store.oxigraph import OxigraphStore
from tests.faults.conftest import case_graph, case_graph_iri
from tests.web.conftest import UPDATE_TOKEN, live_service, settings_for

pytestmark = pytest.mark.faults

PAIR = ("fault-pair-a", "fault-pair-b")
AUTH = {"Authorization": f"Bearer {UPDATE_TOKEN}"}
READERS = 6
VERSIONS = 15
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
BOTH = f"""SELECT ?a ?b ?na ?nb WHERE {{
  {{ SELECT (COUNT(*) AS ?na) WHERE {{ GRAPH <{case_graph_iri(PAIR[0])}> {{ ?s ?p ?o }} }} }}
  {{ SELECT (COUNT(*) AS ?nb) WHERE {{ GRAPH <{case_graph_iri(PAIR[1])}> {{ ?s ?p ?o }} }} }}
  OPTIONAL {{ GRAPH <{case_graph_iri(PAIR[0])}> {{ ?x {RDFS_LABEL} ?a FILTER(LANG(?a) = "en") }} }}
  OPTIONAL {{ GRAPH <{case_graph_iri(PAIR[1])}> {{ ?y {RDFS_LABEL} ?b FILTER(LANG(?b) = "en") }} }}
}}"""


def replace_both(version: int) -> str:
    inserts = " ".join(
        f"GRAPH <{case_graph_iri(slug)}> {{ {case_graph(slug, version).serialize(format='nt')} }}"
        for slug in PAIR)
    drops = " ".join(f"DROP SILENT GRAPH <{case_graph_iri(slug)}> ;" for slug in PAIR)
    return f"{drops} INSERT DATA {{ {inserts} }}"


def test_readers_never_see_half_an_update(tmp_path):
    store = OxigraphStore(tmp_path / "store", query_workers=2, query_timeout=30)
    size = len(case_graph(PAIR[0], 1))
    seen: list[list[int]] = [[] for _ in range(READERS)]
    problems: list[str] = []
    done = threading.Event()
    try:
        with live_service(store, settings_for("oxigraph")) as service:
            def write() -> None:
                try:
                    for version in range(1, VERSIONS + 1):
                        answer = service.post("/sparql", replace_both(version),
                                              "application/sparql-update", AUTH)
                        if answer.status != 200:
                            problems.append(f"write {version}: {answer.status} {answer.body!r}")
                finally:
                    done.set()

            def read(reader: int) -> None:
                while not done.is_set():
                    answer = service.get("/sparql?" + urllib.parse.urlencode({"query": BOTH}),
                                         {"Accept": "application/sparql-results+json"})
                    (row,) = json.loads(answer.body)["results"]["bindings"]
                    counts = (int(row["na"]["value"]), int(row["nb"]["value"]))
                    if counts == (0, 0) and "a" not in row and "b" not in row:
                        continue  # before the first write
                    versions = {row[k]["value"].rsplit(" ", 1)[1] for k in "ab" if k in row}
                    if counts != (size, size) or len(versions) != 1 or len(row) != 4:
                        problems.append(f"reader {reader} saw {counts} triples, labels {row}")
                        return
                    seen[reader].append(int(versions.pop()))

            threads = [threading.Thread(target=read, args=(i,)) for i in range(READERS)]
            threads.append(threading.Thread(target=write))
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(240)
    finally:
        store.close()
    assert not problems, problems[:5]
    observed = sorted({v for versions in seen for v in versions})
    assert len(observed) > 3, observed  # readers really ran during the writes
    for versions in seen:
        assert versions == sorted(versions), "a reader went back to an older state"
