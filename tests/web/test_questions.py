"""The curated question catalogue, its pages, the JSON/CSV API and the OpenAPI document."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef

from casegraph.errors import ParameterError, QuestionFileError
from casegraph.sparql.catalogue import Parameter, load_catalogue, parse_question
from casegraph.sparql.templates import bind_values
from tests.web.bundled_app import bundled_memory_store, memory_client

QUESTIONS = load_catalogue()
#: Values for required parameters that have no default.
REQUIRED = {"figures-of-organisation": {"organisation": "id:org/jinan-bus-3rd-branch-team7"}}
ID = "https://w3id.org/casegraph/id/"


@pytest.fixture(scope="module")
def memory_store():
    return bundled_memory_store()


@pytest.fixture(scope="module")
def client(memory_store):
    return memory_client(memory_store)


def test_catalogue_has_enough_questions_linking_cases():
    assert len(QUESTIONS) >= 20
    assert sum(q.cross_case for q in QUESTIONS.values()) >= 10
    for q in QUESTIONS.values():
        assert {"zh-Hans", "zh-Hant", "en"} <= set(q.title), q.id


@pytest.mark.parametrize("question_id", sorted(QUESTIONS))
def test_every_question_answers_with_its_declared_columns(client, question_id):
    response = client.get(f"/api/questions/{question_id}.json",
                          query_string=REQUIRED.get(question_id, {}))
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["columns"] == list(QUESTIONS[question_id].answer)
    page = client.get(f"/questions/{question_id}", query_string=REQUIRED.get(question_id, {}))
    assert page.status_code == 200
    assert QUESTIONS[question_id].title["zh-Hans"] in page.get_data(as_text=True)


def test_catalogue_page_lists_every_question(client):
    html = client.get("/questions").get_data(as_text=True)
    for question_id in QUESTIONS:
        assert f'href="/questions/{question_id}"' in html


def test_json_rows_are_sparql_json_terms(client):
    body = client.get("/api/questions/issuers-of-rank.json").get_json()
    assert body["parameters"]["rank"] == {
        "type": "uri", "value": "https://w3id.org/casegraph/id/award-rank/first-prize"}
    assert all(row["award"]["type"] == "uri" for row in body["rows"])


def test_csv_has_header_and_rows(client):
    response = client.get("/api/questions/issuers-and-levels.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == list(QUESTIONS["issuers-and-levels"].answer)
    assert len(rows) > 1


@pytest.mark.parametrize(
    ("question_id", "args", "parameter"),
    [
        ("organisations-under-group", {"group": "not an iri"}, "group"),
        ("organisations-under-group", {"group": "http://x/> } ; DROP ALL ; <"}, "group"),
        ("awards-by-issuer-and-year", {"year": "2021 ) }"}, "year"),
        ("issuers-of-rank", {"rank": "id:award-level/national"}, "rank"),
        ("figures-of-organisation", {"organisation": "no such organisation anywhere"},
         "organisation"),
    ],
)
def test_bad_parameters_are_refused_naming_the_parameter(client, question_id, args, parameter):
    response = client.get(f"/api/questions/{question_id}.json", query_string=args)
    assert response.status_code == 400
    assert response.get_json()["error"]["parameter"] == parameter
    page = client.get(f"/questions/{question_id}", query_string=args)
    assert page.status_code == 400
    assert parameter in page.get_data(as_text=True)


def test_unknown_question_is_404(client):
    assert client.get("/questions/no-such-question").status_code == 404
    assert client.get("/api/questions/no-such-question.json").status_code == 404


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1).filter(lambda s: s.strip() == s and "\x00" not in s))
def test_string_values_are_bound_as_literals_never_as_syntax(memory_store, text):
    query = bind_values("SELECT ?v WHERE { }", [{"v": Parameter("v", "string").to_term(text)}])
    result = memory_store.query(query)
    assert result.rows == [(Literal(text),)]


def test_iri_parameters_are_validated():
    p = Parameter("x", "iri")
    assert p.to_term("id:org/a") == URIRef("https://w3id.org/casegraph/id/org/a")
    assert p.to_term("id:org/a", "http://example.org/") == URIRef("http://example.org/org/a")
    for bad in ("org a", "http://x/<y>", "noscheme", 'http://x/"'):
        with pytest.raises(ParameterError):
            p.to_term(bad)
    with pytest.raises(ValueError):
        bind_values("SELECT * { }", [{"x": URIRef("http://x/> } <y")}])


def test_values_go_into_the_where_clause_not_a_construct_template():
    query = bind_values("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", [{"s": URIRef("http://x/")}])
    assert query.startswith("CONSTRUCT { ?s ?p ?o } WHERE {\n  VALUES (?s)")


def test_malformed_headers_are_reported_with_file_and_place(tmp_path):
    path = tmp_path / "broken.rq"
    path.write_text("#+ id: broken\n#+ title: {en: [unclosed\nSELECT * {}\n", encoding="utf-8")
    with pytest.raises(QuestionFileError, match=r"broken\.rq: line 2"):
        parse_question(path)
    path.write_text("#+ id: broken\n#+ title: {en: a, zh-Hans: b}\n#+ rationale: {en: a, "
                    "zh-Hans: b}\n#+ parameters: [{name: p, type: date}]\n#+ answer: [a]\n"
                    "SELECT * {}\n", encoding="utf-8")
    with pytest.raises(QuestionFileError, match="type 'date'"):
        parse_question(path)


def test_openapi_describes_every_question_and_parameter(client):
    document = client.get("/api/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assert len(document["paths"]) == 2 * len(QUESTIONS)
    operation = document["paths"]["/api/questions/organisations-under-group.json"]["get"]
    assert [p["name"] for p in operation["parameters"]] == ["group"]
    assert operation["parameters"][0]["schema"]["default"] == "id:org/jinan-energy-group"
    docs = client.get("/api/docs").get_data(as_text=True)
    assert docs.count("<section class=\"operation\"") == len(document["paths"])


CROSS_CASE = sorted(q.id for q in QUESTIONS.values() if q.cross_case)
CASE_IRI = r"https://w3id.org/casegraph/id/(?:graph/)?case/([a-z0-9-]+)"


@pytest.fixture(scope="module")
def case_organisations(memory_store) -> dict[str, frozenset[str]]:
    """case slug -> the organisations its case document is about."""
    rows = memory_store.query(
        "PREFIX cg: <https://w3id.org/casegraph/ns#> "
        "SELECT ?doc ?org WHERE { ?doc cg:aboutOrganisation ?org }"
    ).dicts()
    about: dict[str, set[str]] = {}
    for row in rows:
        about.setdefault(str(row["doc"]).rsplit("/", 1)[-1], set()).add(str(row["org"]))
    return {slug: frozenset(orgs) for slug, orgs in about.items()}


@pytest.mark.parametrize("question_id", CROSS_CASE)
def test_cross_case_answers_span_cases_of_different_companies(
    client, case_organisations, question_id
):
    """A cross-case question's default answer draws on two or more cases about
    different organisations: counted from the case, case graph and case-local fact IRIs
    in its rows, or (for counting questions) from a ``cases`` column."""
    import re

    body = client.get(f"/api/questions/{question_id}.json").get_json()
    slugs: set[str] = set()
    case_counts = [0]
    for row in body["rows"]:
        for column, term in row.items():
            found = re.match(CASE_IRI, term["value"]) if term["type"] == "uri" else None
            if found:
                slugs.add(found.group(1))
            if column in ("cases", "caseCount"):
                case_counts.append(int(term["value"]))
    if slugs:
        assert len(slugs) >= 2, (question_id, slugs)
        assert len({case_organisations[s] for s in slugs}) >= 2, (question_id, slugs)
    else:
        assert max(case_counts) >= 2, (question_id, body["rows"][:3])


def test_every_question_documents_itself_in_chinese_and_english():
    for q in QUESTIONS.values():
        assert {"zh-Hans", "en"} <= set(q.rationale), q.id
        assert q.answer, q.id
        for p in q.parameters:
            assert p.name and p.type, (q.id, p)
            assert p.type != "concept" or p.scheme, (q.id, p.name)


@pytest.mark.parametrize("name", ["济南热电集团", "濟南熱電集團", "济南热电集团有限公司",
                                  "Jinan Thermal Power Group Co., Ltd."])
def test_an_iri_parameter_accepts_a_name_in_any_script(client, name):
    by_iri = client.get("/api/questions/organisations-under-group.json",
                        query_string={"group": "id:org/jinan-thermal-power-group"}).get_json()
    by_name = client.get("/api/questions/organisations-under-group.json",
                         query_string={"group": name})
    assert by_name.status_code == 200, by_name.get_data(as_text=True)
    body = by_name.get_json()
    assert body["parameters"]["group"]["value"] == ID + "org/jinan-thermal-power-group"
    assert body["rows"] == by_iri["rows"] and body["rows"]


def test_an_ambiguous_name_offers_the_entities_it_may_mean(client):
    response = client.get("/api/questions/organisations-under-group.json",
                          query_string={"group": "济南"})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["parameter"] == "group" and error["name"] == "济南"
    choices = {c["iri"] for c in error["choices"]}
    assert ID + "place/jinan" in choices and len(choices) >= 2
    page = client.get("/questions/organisations-under-group", query_string={"group": "济南"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "group=https%3A%2F%2Fw3id.org%2Fcasegraph%2Fid%2Fplace%2Fjinan" in html


@pytest.mark.parametrize("question_id", sorted(QUESTIONS))
def test_every_question_opens_as_a_form_with_its_defaults(client, question_id):
    page = client.get(f"/questions/{question_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'class="warning"' not in html
    for p in QUESTIONS[question_id].parameters:
        assert f'name="{p.name}"' in html


def test_openapi_says_iri_parameters_take_names(client):
    document = client.get("/api/openapi.json").get_json()
    operation = document["paths"]["/api/questions/organisations-under-group.json"]["get"]
    assert "name" in operation["parameters"][0]["description"]
    error = document["components"]["schemas"]["ParameterError"]["properties"]["error"]
    assert "choices" in error["properties"]


def test_catalogue_is_grouped_by_topic_with_english_titles_first(client):
    html = client.get("/questions?lang=en").get_data(as_text=True)
    assert 'id="topic-awards"' in html and 'id="topic-organisations"' in html
    question = QUESTIONS["organisations-under-group"]
    assert f'<span lang="en">{question.title["en"]}</span>' in html


def test_answers_that_fit_get_a_chart_with_the_same_numbers(client):
    import json
    import re

    page = client.get("/questions/awards-by-level-and-year?lang=en").get_data(as_text=True)
    data = json.loads(re.search(r'class="chart-data">(.*?)</script>', page, re.S).group(1))
    rows = client.get("/api/questions/awards-by-level-and-year.json").get_json()["rows"]
    assert sum(sum(s["data"]) for s in data["series"]) == sum(
        int(r["conferrals"]["value"]) for r in rows)
    assert 'aria-label="The answer as a chart' in page
    ranked = client.get("/questions/practice-kinds-ranked?lang=en").get_data(as_text=True)
    assert '"names"' in ranked and 'data-chart="ranked"' in ranked
    plain = client.get("/questions/case-documents").get_data(as_text=True)
    assert "chart-data" not in plain
