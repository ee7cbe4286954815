"""The curated questions: catalogue, one page each, JSON/CSV API, OpenAPI description.

Everything here is generated from the ``questions/*.rq`` headers (see
``casegraph.sparql.catalogue``): adding a question file adds its page, its
API operations and its OpenAPI entry.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, jsonify, make_response, render_template, request
from rdflib import URIRef

from casegraph import __name__ as package_name
from casegraph.errors import ParameterError
from casegraph.rdf.results import QueryResult
from casegraph.rdf.terms import json_term
from casegraph.sparql.catalogue import Parameter, Question, load_catalogue
from casegraph.sparql.templates import rebase
from casegraph.store.base import SERVICE_LANE
from casegraph.web.context import current_settings, current_store
from casegraph.web.errors import ApiError
from casegraph.web.names import AmbiguousName, looks_like_iri, resolve_name
from casegraph.web.term_view import (
    Labeller,
    html_or_json,
    json_twin_requested,
    run_fixed,
)

bp = Blueprint("questions", __name__)


def _question(question_id: str) -> Question:
    question = load_catalogue().get(question_id)
    if question is None:
        abort(404, description=f"no curated question {question_id!r}")
    return question


def concept_choices(parameter: Parameter) -> list[URIRef]:
    """The concepts a ``concept`` parameter accepts: those of its scheme, from the store."""
    base = current_settings().base_iri
    scheme = URIRef(rebase(f"<{parameter.scheme}>", base)[1:-1])
    rows = run_fixed("concepts_in_scheme", [{"scheme": scheme}]).dicts()
    return [row["concept"] for row in rows]


def resolved_args(question: Question, args: Mapping[str, str], lang: str = "zh-Hans"
                  ) -> dict[str, str]:
    """The request's arguments with names of ``iri`` parameters replaced by IRIs."""
    out = {k: v for k, v in args.items()}
    for p in question.parameters:
        raw = (args.get(p.name) or "").strip()
        if p.type == "iri" and raw and not looks_like_iri(raw):
            out[p.name] = resolve_name(p.name, raw, lang)
    return out


def answer(question: Question, args: Mapping[str, str]) -> tuple[dict, QueryResult]:
    """Validate the request's parameters, then run the question; raises ParameterError.

    An ``iri`` parameter accepts a name too (see :func:`resolve_name`).
    """
    cfg = current_settings()
    bindings = question.bindings(resolved_args(question, args), cfg.base_iri)
    for p in question.parameters:
        if p.type == "concept" and p.name in bindings and bindings[p.name] not in (
            concept_choices(p)
        ):
            raise ParameterError(p.name, f"<{bindings[p.name]}> is not a concept of <{p.scheme}>")
    sparql = question.query_text(bindings, cfg.base_iri)
    result = current_store().query(sparql, timeout=cfg.query_timeout, max_rows=cfg.max_result_rows,
                                   lane=SERVICE_LANE)
    return bindings, result


#: Topics of the catalogue page, in order; a question is filed under its first topic tag.
TOPICS = ("awards", "organisations", "brands", "practices", "innovations", "figures", "people",
          "events", "media", "provenance", "catalogue")


def by_topic(questions: list[Question]) -> list[tuple[str, list[Question]]]:
    grouped: dict[str, list[Question]] = {topic: [] for topic in TOPICS}
    for q in questions:
        topic = next((t for t in q.tags if t in grouped), "catalogue")
        grouped[topic].append(q)
    return [(topic, qs) for topic, qs in grouped.items() if qs]


@bp.get("/questions")
def catalogue():
    questions = list(load_catalogue().values())
    return html_or_json(
        lambda: render_template("questions.html", topics=by_topic(questions)),
        lambda: {"questions": [question_summary(q) for q in questions]},
    )


def question_summary(question: Question) -> dict:
    """What the catalogue says about one question (the JSON twin of its entry)."""
    return {
        "id": question.id,
        "title": question.title,
        "rationale": question.rationale,
        "tags": list(question.tags),
        "cross_case": question.cross_case,
        "parameters": [
            {"name": p.name, "type": p.type, "required": p.required, "default": p.default,
             "allowed": list(p.allowed), "scheme": p.scheme, "description": p.description}
            for p in question.parameters
        ],
        "answer": list(question.answer),
        "page": f"/questions/{question.id}",
        "json": f"/api/questions/{question.id}.json",
        "csv": f"/api/questions/{question.id}.csv",
    }


@bp.get("/questions/<question_id>")
def question_page(question_id: str):
    question = _question(question_id)
    if json_twin_requested():
        response = make_response(question_json(question_id))
        response.vary.add("Accept")
        return response
    error, result, bindings, ambiguous = None, None, {}, None
    asked = any(request.args.get(p.name) for p in question.parameters)
    try:
        bindings, result = answer(question, request.args)
    except AmbiguousName as exc:
        ambiguous = exc
    except ParameterError as exc:
        # A question opened without arguments is a form to fill in, not an error.
        error = str(exc) if asked or "is required" not in str(exc) else None
    labeller = Labeller()
    choices = {p.name: concept_choices(p) for p in question.parameters if p.type == "concept"}
    rows = result.rows if result else []
    labeller.fetch([t for row in rows for t in row] + [c for cs in choices.values() for c in cs]
                   + [t for t in bindings.values() if isinstance(t, URIRef)])
    table = [[labeller.view(t) if t is not None else None for t in row] for row in rows]
    columns = result.variables if result else list(question.answer)
    return render_template(
        "question.html",
        chart=answer_chart(list(columns), table),
        question=question,
        values={p.name: request.args.get(p.name, p.default or "") for p in question.parameters},
        bound={name: labeller.view(t) for name, t in bindings.items()},
        choices={name: [labeller.view(c) for c in cs] for name, cs in choices.items()},
        ambiguous=ambiguous,
        choice_href=_choice_href,
        error=error,
        columns=columns,
        table=table,
        truncated=result.truncated if result else False,
        sparql=question.query_text(bindings, current_settings().base_iri),
    ), 400 if error else 200, {"Vary": "Accept"}


#: Count columns an answer may carry, most telling first.
_COUNT_COLUMNS = ("conferrals", "practices", "organisations", "cases", "count", "n")


def answer_chart(columns: list[str], table: list[list]) -> tuple[str, dict] | None:
    """A picture for answers whose shape fits one: counts by year and level (a
    timeline), or items ranked by a count (bars); None for any other shape."""
    def number(cell) -> int | None:
        text = cell.text if cell is not None else ""
        return int(text) if text.isdigit() else None

    count = next((columns.index(c) for c in _COUNT_COLUMNS if c in columns), None)
    if "year" in columns and "level" in columns:
        y, lv = columns.index("year"), columns.index("level")
        counts: dict[str, dict[str, int]] = {}
        levels: list[str] = []
        for row in table:
            year = row[y].text if row[y] is not None else "?"
            level = row[lv].name if row[lv] is not None else "—"
            if level not in levels:
                levels.append(level)
            n = number(row[count]) if count is not None else 1
            counts.setdefault(year, {}).setdefault(level, 0)
            counts[year][level] += n or 0
        years = sorted(counts)
        return "timeline", {"years": years, "levels": levels, "series": [
            {"name": level, "data": [counts[year].get(level, 0) for year in years]}
            for level in levels]}
    if count is not None and columns and count != 0 and table:
        ranked = [(row[0].name, number(row[count]) or 0) for row in table[:15]
                  if row[0] is not None]
        if ranked:
            return "ranked", {"label": columns[count], "names": [n for n, _ in ranked],
                              "values": [v for _, v in ranked]}
    return None


def _choice_href(parameter: str, iri: str) -> str:
    """The current question's URL with ``parameter`` set to the chosen IRI."""
    args = request.args.to_dict()
    args[parameter] = iri
    return f"{request.path}?{urlencode(args)}"


@bp.get("/api/questions/<question_id>.json")
def question_json(question_id: str):
    question = _question(question_id)
    try:
        bindings, result = answer(question, request.args)  # ParameterError: the app's 400
    except AmbiguousName as exc:
        raise ApiError(400, str(exc), details={
            "parameter": exc.parameter, "name": exc.name,
            "choices": [{"iri": c.iri, "label": c.label, "group": c.group}
                        for c in exc.choices]}) from exc
    return jsonify(
        question=question.id,
        title=question.title,
        parameters={name: json_term(term) for name, term in bindings.items()},
        columns=result.variables,
        rows=[
            {v: json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
            for row in result.rows
        ],
        truncated=result.truncated,
    )


@bp.get("/api/questions/<question_id>.csv")
def question_csv(question_id: str):
    question = _question(question_id)
    _, result = answer(question, request.args)  # ParameterError: the app's 400
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if t is None else str(t) for t in row])
    response = Response(buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f"attachment; filename={question.id}.csv"
    if result.truncated:
        response.headers["X-Casegraph-Truncated"] = "true"
    return response


# --- OpenAPI --------------------------------------------------------------

_SCHEMA_OF_TYPE = {
    # Not format: iri — a name is accepted as well (resolved through the search index).
    "iri": {"type": "string"},
    "concept": {"type": "string", "format": "iri"},
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "year": {"type": "string", "pattern": "^-?[0-9]{4}$"},
}


def openapi_document() -> dict:
    """OpenAPI 3.0 description of the question API, generated from the .rq headers."""
    paths: dict[str, dict] = {}
    for q in load_catalogue().values():
        parameters = []
        for p in q.parameters:
            schema = dict(_SCHEMA_OF_TYPE[p.type])
            if p.default is not None:
                schema["default"] = p.default
            if p.allowed:
                schema["enum"] = list(p.allowed)
            description = p.description.get("en", "")
            if p.type == "concept":
                description += f" (a concept of <{p.scheme}>)"
            if p.type == "iri":
                description += (" — an IRI, id:… shorthand, or a name in any script (济南热电集团, "
                                "濟南熱電集團, Jinan Thermal Power Group); an ambiguous name is "
                                "answered 400 with `choices`")
            parameters.append({
                "name": p.name, "in": "query", "required": p.required and p.default is None,
                "description": description.strip(), "schema": schema,
            })
        summary = q.title.get("en", q.id)
        description = f"{q.title.get('zh-Hans', '')}\n\n{q.rationale.get('en', '')}"
        for suffix, media, schema in (
            ("json", "application/json", {"$ref": "#/components/schemas/Answer"}),
            ("csv", "text/csv", {"type": "string"}),
        ):
            paths[f"/api/questions/{q.id}.{suffix}"] = {"get": {
                "operationId": f"{q.id.replace('-', '_')}_{suffix}",
                "summary": summary,
                "description": description,
                "tags": list(q.tags),
                "parameters": parameters,
                "responses": {
                    "200": {"description": f"Columns: {', '.join(q.answer)}",
                            "content": {media: {"schema": schema}}},
                    "400": {"description": "A parameter is invalid (the message names it) or "
                                           "a name is ambiguous (`choices` lists the "
                                           "entities it may mean).",
                            "content": {"application/json": {"schema": {
                                "$ref": "#/components/schemas/ParameterError"}}}},
                },
            }}
    return {
        "openapi": "3.0.3",
        "info": {"title": f"{package_name} curated questions", "version": "1",
                 "description": "Competency questions over the case graph; one JSON and one "
                                "CSV operation per question."},
        "paths": paths,
        "components": {"schemas": {"ParameterError": {
            "type": "object",
            "properties": {"error": {
                "type": "object",
                "properties": {
                    "status": {"type": "integer"},
                    "message": {"type": "string"},
                    "parameter": {"type": "string"},
                    "name": {"type": "string"},
                    "choices": {"type": "array", "items": {"type": "object", "properties": {
                        "iri": {"type": "string"}, "label": {"type": "string"},
                        "group": {"type": "string"}}}},
                },
            }},
        }, "Answer": {
            "type": "object",
            "properties": {
                "question": {"type": "string"},
                "columns": {"type": "array", "items": {"type": "string"}},
                "rows": {"type": "array", "items": {"type": "object"}},
                "truncated": {"type": "boolean"},
            },
        }}},
    }


@bp.get("/api/openapi.json")
def openapi():
    return jsonify(openapi_document())


@bp.get("/api/docs")
def api_docs():
    document = openapi_document()
    operations = [(path, spec["get"]) for path, spec in document["paths"].items()]
    return html_or_json(
        lambda: render_template("question_api_docs.html", operations=operations),
        lambda: document,
    )
