"""Curated questions whose answers hang on language tags, run on every backend.

The embedded store returns ``zh-hans`` where rdflib keeps ``zh-Hans``: a question that
compared ``LANG(?x) = "zh-Hans"`` had empty title columns on the default store only.
"""

from __future__ import annotations

import pytest

from casegraph.config import CANONICAL_BASE_IRI as ID
from casegraph.paths import case_files
from casegraph.sparql.catalogue import load_catalogue
from tests.web.conftest import open_backend

QUESTIONS = load_catalogue()


@pytest.fixture(scope="module", params=["memory", "oxigraph", "remote"])
def backend(request, tmp_path_factory):
    with open_backend(request.param, tmp_path_factory.mktemp(request.param)) as store:
        yield store


def rows(store, question_id: str, **args) -> list[dict]:
    question = QUESTIONS[question_id]
    return store.query(question.query_text(question.bindings(args))).dicts()


def test_every_case_document_has_its_zh_hans_title(backend):
    answer = rows(backend, "case-documents")
    assert len({r["case"] for r in answer}) == len(case_files())
    titles = [str(r["title"]) for r in answer if "title" in r]
    assert len(titles) == len(answer)  # one row per organisation a case is about
    assert "济南热电集团西部热源分公司党支部:“青新熙源”党建品牌" in titles


def test_figures_of_an_organisation_keep_their_zh_hans_labels(backend):
    answer = rows(backend, "figures-of-organisation",
                  organisation="id:org/jinan-thermal-western-heat-source")
    labels = {(str(r["subject"]).removeprefix(ID), str(r["label"])) for r in answer
              if "label" in r}
    assert ("org/jinan-thermal-western-heat-source", "热源保障一线这群人的平均年龄") in labels
    assert ("org/jinan-thermal-western-heat-source-environmental-workshop-youth-crew",
            "“青年班”职工人数(均为“90后”)") in labels
