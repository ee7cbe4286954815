"""The shell pages: home (statistics and entry points), query (YASGUI), ontology, shapes.

Also installs the security headers every response carries: a Content-Security-Policy
that allows only this origin's own scripts, styles, images and fonts (YASGUI is served
from ``static/vendor``, never a CDN) and ``X-Content-Type-Options: nosniff``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from flask import Blueprint, Flask, Response, abort, current_app, render_template
from rdflib import Graph, URIRef

from casegraph.errors import ParameterError
from casegraph.rdf.terms import language_of
from casegraph.sparql.catalogue import load_catalogue
from casegraph.web.context import current_settings, current_store
from casegraph.web.i18n import translate, ui_language
from casegraph.web.pictures import class_diagram
from casegraph.web.schema_docs import ontology_terms, shapes, shapes_graph
from casegraph.web.term_view import (
    Labeller,
    html_or_json,
    page_href,
    rdf_response,
    requested_format,
    run_fixed,
)

bp = Blueprint("home", __name__)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # YASGUI and CodeMirror set style attributes from script; nothing remote is allowed.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

#: What the query editor starts with: short, runnable, showing names next to IRIs.
START_QUERY = """PREFIX cg: <https://w3id.org/casegraph/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

# Award conferrals with the award's name and the year
SELECT ?conferral ?award ?name ?year WHERE {
  ?conferral a cg:AwardConferral ; cg:award ?award .
  ?award rdfs:label ?name FILTER(langMatches(lang(?name), "zh-Hans"))
  OPTIONAL { ?conferral cg:year ?year }
}
ORDER BY DESC(?year)
LIMIT 20
"""
#: Cross-case questions shown on the home page.
FEATURED_QUESTIONS = 6
STATISTIC_KINDS = (
    "organisation",
    "brand",
    "award",
    "conferral",
    "practice",
    "innovation",
    "passage",
)

def install(app: Flask) -> None:
    """Register the shell pages and the security headers every response carries."""
    app.register_blueprint(bp)

    @app.after_request
    def _security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


@bp.get("/")
def home():
    base = current_settings().base_iri
    per_graph: dict[str, dict[str, int]] = defaultdict(dict)
    for row in run_fixed("home_statistics").dicts():
        per_graph[str(row["graph"])][str(row["kind"])] = int(row["count"])
    totals = {str(r["kind"]): int(r["count"]) for r in run_fixed("home_totals").dicts()}
    cases: dict[str, dict] = {}
    for row in run_fixed("home_cases").dicts():
        case = cases.setdefault(
            str(row["case"]),
            {
                "iri": str(row["case"]),
                "href": page_href(row["case"]),
                "graph": str(row["graph"]),
                "titles": {},
            },
        )
        if "title" in row:
            case["titles"].setdefault(language_of(row["title"]), str(row["title"]))
    rows = sorted(cases.values(), key=lambda c: c["iri"])
    subjects = run_fixed("home_case_subjects").dicts()
    types = run_fixed("home_types").dicts()
    labeller = Labeller()
    labeller.fetch([r["organisation"] for r in subjects] + [r["type"] for r in types])
    about: dict[str, list[str]] = defaultdict(list)
    for row in subjects:
        about[str(row["case"])].append(str(row["organisation"]))
    lang = ui_language()
    for case in rows:
        case["counts"] = per_graph.get(case["graph"], {})
        case["slug"] = case["iri"][len(base) :] if case["iri"].startswith(base) else case["iri"]
        if lang not in case["titles"] and about.get(case["iri"]):
            # A title missing in the page's language: the case is named by its subject.
            case["about"] = labeller.view(URIRef(about[case["iri"]][0])).name
    featured = [q for q in load_catalogue().values() if q.cross_case][:FEATURED_QUESTIONS]
    browse = [(labeller.view(r["type"]), int(r["n"])) for r in types]
    return html_or_json(
        lambda: render_template("home.html", cases=rows, totals=totals, kinds=STATISTIC_KINDS,
                                featured=featured, browse=browse),
        lambda: {"cases": rows, "totals": totals, "kinds": list(STATISTIC_KINDS)},
    )


def example_queries() -> list[dict[str, str]]:
    """The curated questions as YASGUI tabs: title and SPARQL with default parameters bound."""
    base = current_settings().base_iri
    lang = ui_language()
    examples = []
    for question in load_catalogue().values():
        try:
            sparql = question.query_text(question.bindings({}, base), base)
        except ParameterError:  # a required parameter has no default: show it unbound
            sparql = question.query_text({}, base)
        title = question.title.get(lang) or next(iter(question.title.values()), question.id)
        examples.append({"id": question.id, "name": title, "query": sparql})
    return examples


@bp.get("/query")
def query_page():
    examples = example_queries()
    config = {
        "endpoint": "/sparql",
        "start": START_QUERY,
        "examples": examples,
        "labels": {"endpoint": translate("sparql_endpoint"), "query": translate("query_text")},
    }
    default_query = START_QUERY
    return html_or_json(
        lambda: render_template(
            "query.html",
            config=config,
            examples=examples,
            default_query=default_query,
            yasgui_available=_yasgui_available(),
        ),
        lambda: config,
    )


def _yasgui_available() -> bool:
    """Whether ``scripts/build-assets.sh`` has copied YASGUI; the form works without it."""
    vendor = Path(current_app.static_folder or "", "vendor", "yasgui")
    return all((vendor / name).is_file() for name in ("yasgui.min.js", "yasgui.min.css"))


def _rdf_twin(graph: Callable[[], Graph]) -> Response | None:
    """The page's RDF twin when the request asks for one (``None``: serve the HTML)."""
    fmt = requested_format()
    if fmt is None:
        abort(406, description="format must be one of html, ttl, jsonld, nt, rdf")
    return None if fmt == "html" else rdf_response(graph(), fmt)


@bp.get("/ontology")
def ontology_page():
    """The ontology documented; its RDF twin is the ontology graph itself."""
    twin = _rdf_twin(lambda: current_store().graph(
        URIRef(current_settings().base_iri + "graph/ontology")))
    if twin is not None:
        return twin
    terms = ontology_terms()
    by_kind: dict[str, list] = defaultdict(list)
    for term in terms:
        by_kind[term.kind].append(term)
    diagram, diagram_classes = class_diagram(Labeller())
    return _vary_on_accept(render_template(
        "ontology.html",
        diagram=diagram,
        diagram_classes=diagram_classes,
        by_kind=by_kind,
        kinds=("class", "object_property", "datatype_property", "annotation_property"),
    ))


@bp.get("/shapes")
def shapes_page():
    """The shapes documented; their RDF twin is the merged shapes files."""
    twin = _rdf_twin(shapes_graph)
    if twin is not None:
        return twin
    return _vary_on_accept(render_template("shapes.html", shapes=shapes()))


def _vary_on_accept(body: str) -> tuple[str, int, dict[str, str]]:
    return body, 200, {"Vary": "Accept"}
