"""schemathesis against the question API's OpenAPI document (``/api/openapi.json``).

The document is fetched from the live service (werkzeug on loopback, the embedded
oxigraph store with the bundled cases and the hostile graph) and every operation is
called with generated parameters, valid and invalid.  Checks: no 5xx, only documented
statuses, the documented content type, and bodies that conform to the schema.
Examples per operation are few so that the ~46 operations finish in well under a minute.
"""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import FailureGroup, not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture(scope="session")
def question_api(armed_service):
    return schemathesis.openapi.from_url(armed_service.url + "/api/openapi.json")


schema = schemathesis.pytest.from_fixture("question_api")


@schema.parametrize()
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_question_operation_answers_as_documented(case):
    case.call_and_validate(checks=CHECKS)


def test_the_checks_catch_an_answer_that_contradicts_the_document(armed_service):
    """Negative control: declare rows as strings and the schema check must fail."""
    from tests.web.conftest import request

    document = json.loads(request(armed_service.url + "/api/openapi.json").body)
    document["components"]["schemas"]["Answer"]["properties"]["rows"]["items"] = {
        "type": "string"}
    operation = schemathesis.openapi.from_dict(document)[
        "/api/questions/case-documents.json"]["GET"]
    with pytest.raises(FailureGroup) as failures:
        operation.Case().call_and_validate(base_url=armed_service.url,
                                           checks=[response_schema_conformance])
    assert "violates schema" in str(failures.value.exceptions[0])
