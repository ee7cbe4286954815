"""/reconcile: the Reconciliation Service API 0.2 as OpenRefine uses it, over real HTTP.

Answers are validated with the API's own JSON schemas (reconcile_schemas/, from
the specification), and one test plays OpenRefine's request sequence: manifest,
a type-guessing batch without type, the typed batch with a property, preview,
and the three suggest services.
"""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

SCHEMAS = Path(__file__).with_name("reconcile_schemas")
ID = "https://w3id.org/casegraph/id/"


def _validator(name: str) -> Draft7Validator:
    resources = []
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((schema["$id"], Resource.from_contents(schema, default_specification=DRAFT7)))
    registry = Registry().with_resources(resources)
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return Draft7Validator(schema, registry=registry)


def _valid(name: str, document: object) -> None:
    errors = sorted(_validator(name).iter_errors(document), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]


def _get(service, path: str, **params):
    answer = service.get(path + ("?" + urllib.parse.urlencode(params) if params else ""))
    return answer, (json.loads(answer.body) if (answer.header("content-type") or "").startswith("application/json") else None)


def _batch(service, queries: dict):
    _valid("reconciliation-query-batch.json", queries)
    body = urllib.parse.urlencode({"queries": json.dumps(queries, ensure_ascii=False)})
    answer = service.post("/reconcile", body, "application/x-www-form-urlencoded")
    assert answer.status == 200, answer.text
    result = json.loads(answer.body)
    _valid("reconciliation-result-batch.json", result)
    return result


def test_manifest_is_valid_and_names_the_services(memory_service):
    answer, manifest = _get(memory_service, "/reconcile")
    assert answer.status == 200
    _valid("manifest.json", manifest)
    assert manifest["identifierSpace"] == ID
    assert answer.header("access-control-allow-origin") == "*"
    assert {"entity", "type", "property"} <= set(manifest["suggest"])


def test_schemas_reject_what_the_spec_forbids():
    """The schemas are not vacuous: a manifest without versions, a result without score fail."""
    assert list(_validator("manifest.json").iter_errors({"name": "x"}))
    assert list(
        _validator("reconciliation-result-batch.json").iter_errors({"q0": {"result": [{"id": "x", "name": "y"}]}})
    )


def test_names_fold_script_legal_form_and_party_organ(memory_service):
    result = _batch(
        memory_service,
        {
            "q0": {"query": "濟南熱電集團", "type": "http://www.w3.org/ns/org#Organization"},
            "q1": {"query": "济南热电集团党委", "type": "http://www.w3.org/ns/org#Organization", "limit": 3},
            "q2": {"query": "大众网"},
            "q3": {"query": "完全无关的名字XYZ"},
        },
    )
    best = result["q0"]["result"][0]
    assert best["id"] == ID + "org/jinan-thermal-power-group" and best["match"] is True
    assert result["q1"]["result"][0]["id"] == ID + "org/jinan-thermal-power-group-party-committee"
    assert len(result["q1"]["result"]) <= 3
    assert result["q2"]["result"][0]["id"] == ID + "org/dzwww"
    assert result["q3"]["result"] == []
    scores = [c["score"] for c in result["q0"]["result"]]
    assert scores == sorted(scores, reverse=True)


def test_type_restricts_and_properties_refine(memory_service):
    result = _batch(
        memory_service,
        {
            "place": {"query": "济南", "type": "https://schema.org/Place"},
            "org": {
                "query": "济南热电集团",
                "type": "http://www.w3.org/ns/org#Organization",
                "properties": [{"pid": "cg:locatedIn", "v": {"id": ID + "place/jinan"}}],
            },
        },
    )
    assert all(
        any(t["id"] == "https://schema.org/Place" for t in c["type"]) for c in result["place"]["result"]
    )
    assert result["place"]["result"][0]["id"] == ID + "place/jinan"
    features = {f["id"]: f["value"] for f in result["org"]["result"][0]["features"]}
    assert set(features) == {"name", "properties"}


@pytest.mark.parametrize(
    ("body", "status", "where"),
    [
        ("queries=not-json", 400, "queries"),
        ("queries=" + urllib.parse.quote('{"q0": {"limit": 3}}'), 400, "queries.q0"),
        ("queries=" + urllib.parse.quote('{"q0": {"query": "x", "limit": -1}}'), 400, "queries.q0.limit"),
    ],
)
def test_bad_queries_are_refused_with_where(memory_service, body, status, where):
    answer = memory_service.post("/reconcile", body, "application/x-www-form-urlencoded")
    assert answer.status == status
    assert where in json.loads(answer.body)["error"]["message"]


def test_openrefine_request_sequence(memory_service):
    """What OpenRefine 3.x sends when a column is reconciled against this service."""
    service = memory_service
    # 1. Adding the service: GET the manifest.
    _, manifest = _get(service, "/reconcile")
    # 2. Type guessing: the first rows' values without a type, limit 3 (GET with queries=).
    guess = service.get("/reconcile?" + urllib.parse.urlencode(
        {"queries": json.dumps({"q0": {"query": "济南热电集团", "limit": 3},
                                "q1": {"query": "大众网", "limit": 3}}, ensure_ascii=False)}))
    guessed = json.loads(guess.body)
    _valid("reconciliation-result-batch.json", guessed)
    type_ids = {t["id"] for row in guessed.values() for c in row["result"] for t in c["type"]}
    assert "https://w3id.org/casegraph/ns#EnterpriseGroup" in type_ids
    # 3. Reconciling with the chosen type, type_strict "should", batched (POST form).
    chosen = _batch(service, {
        f"q{i}": {"query": name, "type": "http://www.w3.org/ns/org#Organization", "type_strict": "should"}
        for i, name in enumerate(["济南热电集团有限公司", "济南能源集团", "聊城日报"])
    })
    assert all(chosen[f"q{i}"]["result"] for i in range(3))
    top = chosen["q0"]["result"][0]
    # 4. Hovering a candidate: the preview (HTML, escaped, in an iframe of the given size).
    preview_url = manifest["preview"]["url"].replace("{{id}}", urllib.parse.quote(top["id"], safe=""))
    preview = service.get(preview_url.removeprefix(service.url))
    assert preview.status == 200 and preview.header("content-type").startswith("text/html")
    assert top["name"] in preview.text
    # 5. Searching by hand for another entity, type and property: the suggest services.
    for kind, schema, prefix in [
        ("entity", "suggest-entities-response.json", "济南热"),
        ("type", "suggest-types-response.json", "org"),
        ("property", "suggest-properties-response.json", "located"),
    ]:
        definition = manifest["suggest"][kind]
        path = definition["service_url"].removeprefix(service.url) + definition["service_path"]
        answer, document = _get(service, path, prefix=prefix)
        assert answer.status == 200
        _valid(schema, document)
        assert document["result"], kind
    _, entities = _get(service, manifest["suggest"]["entity"]["service_path"], prefix="济南热")
    assert entities["result"][0]["name"].startswith("济南热")


def test_preview_escapes_and_refuses_unknown_ids(memory_service):
    answer = memory_service.get(
        "/reconcile/preview?id=" + urllib.parse.quote("<script>"), headers={"Accept": "text/html"}
    )
    assert answer.status == 404
    assert "&lt;script&gt;" in answer.text and "<script>" not in answer.text


def test_draft_case_links_against_a_running_service(memory_service, tmp_path):
    """`draft-case --endpoint` reconciles with the service's graph, not data/ on disk."""
    from click.testing import CliRunner

    from casegraph.cli import main
    from tests.web.conftest import live_service, settings_for

    raw = tmp_path / "raw.txt"
    raw.write_text("案例简介:\n济南热电集团有限公司党委由大众网报道。\n", encoding="utf-8")
    out = tmp_path / "draft.trig"
    # memory_service caps answers at 50 rows: the draft refuses a cut list of entities.
    capped = CliRunner().invoke(
        main, ["draft-case", str(raw), "--slug", "x", "--endpoint", memory_service.url]
    )
    assert capped.exit_code != 0 and "row limit" in capped.output
    with live_service(memory_service.store, settings_for("memory")) as service:
        result = CliRunner().invoke(
            main,
            ["draft-case", str(raw), "--slug", "endpoint-case", "-o", str(out),
             "--endpoint", service.url],
        )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "<https://w3id.org/casegraph/id/org/dzwww>" in text
    assert "jinan-thermal-power-group-party-committee" in text
    down = CliRunner().invoke(
        main, ["draft-case", str(raw), "--slug", "x", "--endpoint", "http://127.0.0.1:9"]
    )
    assert down.exit_code != 0 and "cannot read the graph's entities" in down.output
