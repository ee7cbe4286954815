"""Curated questions as data: ``questions/*.rq`` files whose header documents them.

Each file starts with comment lines ``#+ …`` holding YAML (grlc style): ``id``,
``title`` and ``rationale`` (per language), ``tags``, ``parameters`` and
``answer`` (the columns, in order).  Parameters are declared explicitly — never
guessed from variable names — with a type (``iri``, ``string``, ``integer``,
``year``, ``concept``), an optional ``default`` and optional ``allowed`` values.

Parameters reach the query as RDF terms in a ``VALUES`` block injected at the
start of the outermost group pattern (see :func:`casegraph.sparql.templates.bind_values`); text of a
request is never pasted into SPARQL.  An unset optional parameter leaves its
variable free, so the question answers for every value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Identifier

from casegraph.config import CANONICAL_BASE_IRI
from casegraph.errors import ParameterError, QuestionFileError
from casegraph.paths import QUESTIONS_DIR
from casegraph.rdf.terms import is_sparql_iri
from casegraph.sparql.templates import VARIABLE_NAME, bind_values, expand_curie, rebase

PARAMETER_TYPES = ("iri", "string", "integer", "year", "concept")
_YEAR = re.compile(r"-?[0-9]{4}\Z")


@dataclass(frozen=True)
class Parameter:
    """One declared parameter: what it binds, how it is typed and validated."""

    name: str
    type: str
    description: dict[str, str] = field(default_factory=dict)
    default: str | None = None
    allowed: tuple[str, ...] = ()
    #: For ``concept`` parameters: the SKOS scheme whose concepts are allowed.
    scheme: str | None = None
    required: bool = False

    def to_term(self, raw: str, base_iri: str = CANONICAL_BASE_IRI) -> Identifier:
        """Validate a request value and turn it into the RDF term the query binds."""
        raw = raw.strip()
        if self.allowed and raw not in self.allowed:
            raise ParameterError(self.name, f"{raw!r} is not one of {', '.join(self.allowed)}")
        if self.type in ("iri", "concept"):
            iri = expand_curie(raw, base_iri)
            if not is_sparql_iri(iri):
                raise ParameterError(self.name, f"{raw!r} is not an absolute IRI")
            return URIRef(iri)
        if self.type == "integer":
            if not re.fullmatch(r"[+-]?[0-9]{1,18}", raw):
                raise ParameterError(self.name, f"{raw!r} is not an integer")
            return Literal(int(raw), datatype=XSD.integer)
        if self.type == "year":
            if not _YEAR.match(raw):
                raise ParameterError(self.name, f"{raw!r} is not a year (YYYY)")
            return Literal(raw, datatype=XSD.gYear)
        if not raw:
            raise ParameterError(self.name, "is empty")
        return Literal(raw)


@dataclass(frozen=True)
class Question:
    """A curated competency question: its documentation and its SPARQL text."""

    id: str
    title: dict[str, str]
    rationale: dict[str, str]
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    answer: tuple[str, ...]
    sparql: str
    path: Path

    @property
    def cross_case(self) -> bool:
        return "cross-case" in self.tags

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise KeyError(name)

    def bindings(
        self, request_args: Mapping[str, str], base_iri: str = CANONICAL_BASE_IRI
    ) -> dict[str, Identifier]:
        """Typed terms for the declared parameters; undeclared arguments are ignored."""
        terms: dict[str, Identifier] = {}
        for p in self.parameters:
            raw = request_args.get(p.name)
            if raw is None or raw.strip() == "":
                raw = p.default
            if raw is None:
                if p.required:
                    raise ParameterError(p.name, "is required")
                continue
            terms[p.name] = p.to_term(str(raw), base_iri)
        return terms

    def query_text(
        self, bindings: Mapping[str, Identifier], base_iri: str = CANONICAL_BASE_IRI
    ) -> str:
        """The SPARQL to run: the deployment's base IRI, parameters bound by VALUES."""
        return bind_values(rebase(self.sparql, base_iri), [bindings] if bindings else [])


def parse_question(path: Path) -> Question:
    """Read one ``.rq`` file; errors name the file and the header line."""
    text = path.read_text(encoding="utf-8")
    header_lines: list[str] = []
    for line in text.splitlines():
        if line.startswith("#+"):
            header_lines.append(line[3:] if line.startswith("#+ ") else line[2:])
        elif line.strip() and not line.startswith("#"):
            break
    if not header_lines:
        raise QuestionFileError(f"{path}: no '#+' metadata header")
    try:
        meta = yaml.safe_load("\n".join(header_lines))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise QuestionFileError(f"{path}:{where} of the header: {exc}") from exc
    if not isinstance(meta, dict):
        raise QuestionFileError(f"{path}: the header is not a mapping")

    def need(key: str):
        if key not in meta:
            raise QuestionFileError(f"{path}: header lacks '{key}'")
        return meta[key]

    qid = str(need("id"))
    if qid != path.stem:
        raise QuestionFileError(f"{path}: id {qid!r} differs from the file name")
    title = _languages(path, "title", need("title"))
    rationale = _languages(path, "rationale", need("rationale"))
    parameters = tuple(_parameter(path, p) for p in meta.get("parameters") or [])
    answer = tuple(str(c) for c in need("answer"))
    return Question(
        id=qid,
        title=title,
        rationale=rationale,
        tags=tuple(str(t) for t in meta.get("tags") or []),
        parameters=parameters,
        answer=answer,
        sparql=text,
        path=path,
    )


def _languages(path: Path, key: str, value) -> dict[str, str]:
    if not isinstance(value, dict) or not {"zh-Hans", "en"} <= set(value):
        raise QuestionFileError(f"{path}: '{key}' needs at least zh-Hans and en texts")
    return {str(k): str(v) for k, v in value.items()}


def _parameter(path: Path, spec) -> Parameter:
    if not isinstance(spec, dict) or "name" not in spec or "type" not in spec:
        raise QuestionFileError(f"{path}: each parameter needs 'name' and 'type': {spec!r}")
    name, kind = str(spec["name"]), str(spec["type"])
    if not VARIABLE_NAME.match(name):
        raise QuestionFileError(f"{path}: parameter name {name!r} is not a SPARQL variable")
    if kind not in PARAMETER_TYPES:
        raise QuestionFileError(
            f"{path}: parameter {name!r} has type {kind!r}; use one of {PARAMETER_TYPES}"
        )
    if kind == "concept" and "scheme" not in spec:
        raise QuestionFileError(f"{path}: concept parameter {name!r} needs a 'scheme'")
    description = spec.get("description") or {}
    if isinstance(description, str):
        description = {"en": description}
    default = spec.get("default")
    return Parameter(
        name=name,
        type=kind,
        description={str(k): str(v) for k, v in description.items()},
        default=None if default is None else str(default),
        allowed=tuple(str(a) for a in spec.get("allowed") or ()),
        scheme=expand_curie(str(spec["scheme"])) if "scheme" in spec else None,
        required=bool(spec.get("required", False)),
    )


@cache
def load_catalogue(directory: Path = QUESTIONS_DIR) -> dict[str, Question]:
    """Every question under ``directory``, by id, in file-name order."""
    return {q.id: q for q in map(parse_question, sorted(directory.glob("*.rq")))}
