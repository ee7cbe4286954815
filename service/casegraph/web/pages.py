"""Entity pages: every IRI under the base resolves, as HTML or as RDF.

IRI ↔ URL mapping: the IRI ``settings.base_iri + rest`` is served at
``/id/<rest>`` (with the canonical base, ``https://w3id.org/casegraph/id/org/x``
is ``/id/org/x``).  IRIs outside the base are served at ``/resource?iri=…``.
Browsers get HTML; ``Accept`` or ``?format=ttl|jsonld|nt|rdf`` select Turtle,
JSON-LD, N-Triples or RDF/XML (responses say ``Vary: Accept``).  A case
document (``/id/case/<slug>``) is shown with a card of who, what and which awards
(web/subject_cards.py), then its repaired text, the cited passages highlighted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from flask import Blueprint, abort, redirect, render_template, request
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import BNode, Identifier

from casegraph import paths
from casegraph.rdf.terms import LABEL_LANGUAGES, is_sparql_iri
from casegraph.web.cards import CARD_LIST_LIMIT, build_card, neighbourhood
from casegraph.web.context import current_settings, current_store
from casegraph.web.i18n import ui_language
from casegraph.web.page_cache import page_cache
from casegraph.web.subject_cards import case_card
from casegraph.web.term_view import (
    Labeller,
    TermView,
    literal_language,
    page_href,
    rdf_response,
    requested_format,
    run_fixed,
)

bp = Blueprint("pages", __name__)

# An absolute IRI without the characters SPARQL's IRIREF forbids: anything else cannot
# be described (the fixed queries bind the IRI as a term) and is the client's error.
#: Incoming links shown per page (``?in_page=``); no page is unbounded.
INCOMING_PAGE_SIZE = 50
#: Values of one property shown per page (``?out_page=``): the outgoing side is paged as
#: the incoming side is (a hub is stated in a passage of every case about its units).
OUTGOING_PAGE_SIZE = 50
#: Values stated in more graphs than the page lists are asked for one by one with a LIMIT;
#: past this many on one page only their counts are shown.
HEAVY_VALUES_ASKED = 12
CG = "https://w3id.org/casegraph/ns#"
CASE_DOCUMENT = URIRef(CG + "CaseDocument")
SOURCE_TEXT_FILE = URIRef(CG + "sourceTextFile")
SOURCE_TEXT = URIRef(CG + "sourceText")
LABEL_PREDICATES = {
    URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
    URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
}
TITLE = URIRef("http://purl.org/dc/terms/title")


@dataclass
class Value:
    """One object of a property, the cases stating it, and a blank node's own facts."""

    term: TermView
    #: The case documents (or, for other graphs, the graphs) that state it: the first
    #: CARD_LIST_LIMIT of ``stated_in`` of them.
    graphs: list[TermView] = field(default_factory=list)
    stated_in: int = 0
    nested: list[tuple[TermView, TermView]] = field(default_factory=list)


@bp.get("/id/<path:rest>")
def entity_by_path(rest: str):
    return _entity(URIRef(current_settings().base_iri + rest))


@bp.get("/resource")
def entity_by_iri():
    iri = request.args.get("iri", "").strip()
    if not iri:
        abort(400, description="give the IRI to describe as ?iri=")
    href = page_href(URIRef(iri))
    if href and href.startswith("/id/"):
        return redirect(href, code=303)
    return _entity(URIRef(iri))


def _entity(iri: URIRef):
    if not is_sparql_iri(iri):
        abort(400, description=f"{str(iri)!r} is not an absolute IRI (no spaces, <, >, "
                               "quotes, braces, |, ^, ` or \\ allowed)")
    fmt = requested_format()
    if fmt is None:
        abort(406, description="format must be one of html, ttl, jsonld, nt, rdf")
    named_graph = current_store().has_graph(iri)
    if fmt != "html":
        graph = Graph()
        if named_graph:  # a named graph's IRI dereferences to its content
            graph = current_store().graph(iri)
        for triple in run_fixed("entity_description", [{"s": iri}]).triples:
            graph.add(triple)
        if not len(graph):
            abort(404, description=f"the graph states nothing about <{iri}>")
        return rdf_response(graph, fmt)
    key = (request.path, request.query_string, ui_language())
    body, status = page_cache().page(key, current_store().write_stamp(),
                                     lambda: _entity_html(iri, named_graph))
    return _vary(body, status)


def _entity_html(iri: URIRef, named_graph: bool) -> tuple[str, int]:
    """The HTML page of ``iri`` and its status (404: the graph states nothing about it)."""
    in_page, out_page = _positive_int("in_page"), _positive_int("out_page")
    value_counts = run_fixed("entity_value_counts", [{"s": iri}]).dicts()
    statements = _values(iri, value_counts, out_page)
    counts = run_fixed("entity_incoming_counts", [{"s": iri}]).dicts()
    if not value_counts and not counts:
        return render_template("entity.html", missing=True, iri=str(iri)), 404

    types = {row["o"] for row in statements if row["p"] == RDF.type}
    if CASE_DOCUMENT in types and not request.args.get("facts"):
        return _case_document(iri, statements), 200

    offset = (in_page - 1) * INCOMING_PAGE_SIZE
    incoming = run_fixed(
        "entity_incoming", [{"s": iri}],
        suffix=f"\nLIMIT {INCOMING_PAGE_SIZE} OFFSET {offset}",
    ).dicts()
    nested = run_fixed("entity_blank_objects", [{"s": iri}]).dicts()
    # The outgoing side is bounded as the incoming side is paged: a hub is stated in,
    # cited by and mentioned in every case about its units; the page lists the first
    # CARD_LIST_LIMIT of each and says how many there are.
    first = f"\nLIMIT {CARD_LIST_LIMIT}"
    passages = run_fixed("entity_passages", [{"s": iri}], suffix=first).dicts()
    cases = sorted(run_fixed("entity_cases", [{"s": iri}], suffix=first).dicts(),
                   key=lambda row: str(row["g"]))
    passages_total = _count("entity_passage_count", iri, "passages", passages)
    cases_total = _count("entity_case_count", iri, "graphs", cases)
    value_graphs = _value_graphs(iri, statements)

    labeller = Labeller()
    shown = (
        [iri]
        + [t for row in statements for t in row.values()]
        + [t for row in nested for t in row.values()]
        + [t for row in incoming + counts for t in row.values()]
        + [t for row in passages + cases for t in row.values()]
    )
    stating = sorted({g for graphs in value_graphs.values() for g in graphs}, key=str)
    graph_docs = {row["g"]: row["doc"]
                  for row in run_fixed("graph_cases", [{"g": g} for g in stating]).dicts()
                  } if stating else {}
    labeller.fetch(shown + list(graph_docs.values()))
    # Case documents are named by title: look up only the IRIs on this page, not every case.
    shown_iris = sorted({t for t in shown if isinstance(t, URIRef)})
    if shown_iris:
        for row in run_fixed("case_documents", [{"doc": t} for t in shown_iris]).dicts():
            labeller.fall_back(row["doc"], row.get("title"))
    case_views = [labeller.view(r["doc"]) for r in cases if r.get("doc") is not None]
    card = build_card(iri, sorted(types), labeller, case_views)
    if card.is_organisation:
        card.graph_chart = neighbourhood(card, labeller.view(iri), case_views)
    total_incoming = sum(int(row["n"]) for row in counts)
    return render_template(
        "entity.html",
        missing=False,
        iri=str(iri),
        subject=labeller.view(iri),
        labels=_labels_by_language(statements),
        types=[labeller.view(t) for t in sorted(types)],
        properties=_properties(statements, value_graphs, nested, labeller, graph_docs),
        out_page=out_page,
        out_pages=max([1] + [-(-int(r["n"]) // OUTGOING_PAGE_SIZE) for r in value_counts]),
        card=card,
        incoming_counts=[(labeller.view(r["p"]), int(r["n"])) for r in counts],
        incoming=_group_incoming(incoming, labeller),
        in_page=in_page,
        in_pages=max(1, -(-total_incoming // INCOMING_PAGE_SIZE)),
        passages=[_passage_view(row, labeller) for row in passages],
        passages_total=passages_total,
        cases=[(labeller.view(r["g"]), labeller.view(r["doc"]) if "doc" in r else None)
               for r in cases],
        cases_total=cases_total,
        formats=_format_links(),
        graph_triples=current_store().triple_count(iri) if named_graph else None,
    ), 200


def _values(iri: URIRef, value_counts: list[dict], page: int) -> list[dict]:
    """Rows ``p, o, n`` (n: graphs stating it) of the page: every value of a property with
    at most a page of them, the page's slice of each larger one."""
    small = [{"s": iri, "p": r["p"]} for r in value_counts if int(r["n"]) <= OUTGOING_PAGE_SIZE]
    rows = run_fixed("entity_values", small).dicts() if small else []
    offset = (page - 1) * OUTGOING_PAGE_SIZE
    for row in value_counts:
        if int(row["n"]) > OUTGOING_PAGE_SIZE and offset < int(row["n"]):
            rows += run_fixed("entity_values", [{"s": iri, "p": row["p"]}],
                              suffix=f"\nLIMIT {OUTGOING_PAGE_SIZE} OFFSET {offset}").dicts()
    return rows


def _value_graphs(iri: URIRef, rows: list[dict]) -> dict[tuple, list[Identifier]]:
    """The first CARD_LIST_LIMIT graphs stating each value shown (a blank node cannot be
    bound in a query: its value shows the count only)."""
    light = [{"s": iri, "p": r["p"], "o": r["o"]} for r in rows
             if int(r["n"]) <= CARD_LIST_LIMIT and not isinstance(r["o"], BNode)]
    heavy = [r for r in rows if int(r["n"]) > CARD_LIST_LIMIT and not isinstance(r["o"], BNode)]
    found: dict[tuple, list[Identifier]] = defaultdict(list)
    answers = run_fixed("entity_value_graphs", light).dicts() if light else []
    for row in heavy[:HEAVY_VALUES_ASKED]:
        answers += run_fixed("entity_value_graphs", [{"s": iri, "p": row["p"], "o": row["o"]}],
                             suffix=f"\nLIMIT {CARD_LIST_LIMIT}").dicts()
    for row in sorted(answers, key=lambda row: str(row["g"])):
        found[(row["p"], row["o"])].append(row["g"])
    return found


def _count(query: str, iri: URIRef, column: str, shown: list) -> int:
    """A total beside a list cut at CARD_LIST_LIMIT (asked only when the list is full)."""
    if len(shown) < CARD_LIST_LIMIT:
        return len(shown)
    rows = run_fixed(query, [{"s": iri}]).dicts()
    return int(rows[0][column]) if rows else len(shown)


def _positive_int(name: str) -> int:
    raw = request.args.get(name, "1")
    if not raw.isdigit() or int(raw) < 1 or int(raw) > 1_000_000:
        abort(400, description=f"?{name}= must be a page number ≥ 1, not {raw!r}")
    return int(raw)


def _vary(body: str, status: int = 200):
    return body, status, {"Vary": "Accept"}


def _labels_by_language(statements: list[dict[str, Identifier]],
                        predicates=frozenset(LABEL_PREDICATES)) -> dict[str, list[str]]:
    """The entity's own labels (or other naming literals) by language tag, every one kept."""
    labels: dict[str, list[str]] = defaultdict(list)
    for row in statements:
        o = row["o"]
        if row["p"] in predicates and isinstance(o, Literal) and str(o) not in labels[
            literal_language(o)
        ]:
            labels[literal_language(o)].append(str(o))
    return {lang: labels.get(lang, []) for lang in LABEL_LANGUAGES} | {
        k: v for k, v in labels.items() if k not in LABEL_LANGUAGES
    }


def _properties(statements, value_graphs, nested, labeller: Labeller,
                graph_docs: dict[Identifier, Identifier]) -> list[tuple[TermView, list[Value]]]:
    """Values grouped by predicate, each with the number of graphs stating it and the
    first of them, each graph shown as the case document it holds."""
    blank_facts: dict[Identifier, list[tuple[TermView, TermView]]] = defaultdict(list)
    for row in nested:
        blank_facts[row["o"]].append((labeller.view(row["p2"]), labeller.view(row["o2"])))
    grouped: dict[Identifier, dict[Identifier, Value]] = {}
    for row in statements:
        values = grouped.setdefault(row["p"], {})
        value = values.get(row["o"])
        if value is None:
            value = values[row["o"]] = Value(labeller.view(row["o"]),
                                             nested=blank_facts.get(row["o"], []))
        value.stated_in = int(row["n"])
        value.graphs = [labeller.view(graph_docs.get(g, g))
                        for g in value_graphs.get((row["p"], row["o"]), [])[:CARD_LIST_LIMIT]]
    return [(labeller.view(p), list(values.values())) for p, values in grouped.items()]


def _group_incoming(rows, labeller: Labeller) -> list[tuple[TermView, list[TermView]]]:
    grouped: dict[Identifier, list[TermView]] = {}
    for row in rows:
        grouped.setdefault(row["p"], []).append(labeller.view(row["x"]))
    return [(labeller.view(p), subjects) for p, subjects in grouped.items()]


def _passage_view(row: dict[str, Identifier], labeller: Labeller) -> dict:
    doc = row.get("doc")
    return {
        "graph": labeller.view(row["g"]),
        "passage": labeller.view(row["passage"]),
        "quote": str(row.get("quote", "")),
        # The quote's own script (the first case's text is traditional as received).
        "lang": literal_language(row["quote"]) if "quote" in row else "zh",
        "doc": labeller.view(doc) if doc is not None else None,
    }


def _format_links() -> list[tuple[str, str]]:
    args = {k: v for k, v in request.args.items() if k not in ("format", "in_page", "out_page", "lang")}
    links = []
    for fmt in ("ttl", "jsonld", "nt", "rdf"):
        links.append((fmt, f"{request.path}?{urlencode({**args, 'format': fmt})}"))
    return links


# --- case documents -------------------------------------------------------


def source_text_path(declared: str) -> Path | None:
    """The case text named by ``cg:sourceTextFile``, only if it lies under data/.

    The value comes from the store (which writers may change), so it is
    resolved and checked: no absolute paths, no ``..`` escaping the data dir.
    """
    data_dir = paths.DATA_DIR.resolve()
    candidate = (paths.PROJECT_ROOT / declared).resolve()
    if not candidate.is_relative_to(data_dir) or not candidate.is_file():
        return None
    return candidate


def _case_document(iri: URIRef, statements: list[dict[str, Identifier]]):
    # The text uploaded with the graph (casegraph publish) first, else the bundled file.
    text = next((str(r["o"]) for r in statements if r["p"] == SOURCE_TEXT), None)
    if text is None:
        declared = next((str(r["o"]) for r in statements if r["p"] == SOURCE_TEXT_FILE), None)
        path = source_text_path(declared) if declared else None
        text = path.read_text(encoding="utf-8") if path else None
    rows = run_fixed("case_passages", [{"doc": iri}]).dicts()
    labeller = Labeller()
    labeller.fetch([iri] + [r.get("fact") for r in rows] + [r["passage"] for r in rows])
    card = case_card(iri, labeller)

    passages: dict[Identifier, dict] = {}
    for row in rows:
        entry = passages.setdefault(row["passage"], {
            "anchor": f"passage-{len(passages) + 1}",
            "view": labeller.view(row["passage"]),
            "quote": str(row.get("quote", "")),
            "start": int(row["start"]),
            "end": int(row["end"]),
            "facts": [],
        })
        if "fact" in row:
            entry["facts"].append(labeller.view(row["fact"]))
    for entry in passages.values():
        entry["matches"] = text is not None and text[entry["start"]:entry["end"]] == entry[
            "quote"]
    return render_template(
        "case_document.html",
        iri=str(iri),
        subject=labeller.view(iri),
        labels=_labels_by_language(statements, {TITLE} | LABEL_PREDICATES),
        card=card,
        segments=highlight_segments(text, list(passages.values())) if text else [],
        text_missing=text is None,
        passages=list(passages.values()),
        formats=_format_links(),
        source_page=next((str(r["o"]) for r in statements if r["p"] == DCTERMS.source
                          and isinstance(r["o"], URIRef)), None),
        issued=next((str(r["o"]) for r in statements if r["p"] == DCTERMS.issued), None),
    )


def highlight_segments(text: str, passages: list[dict]) -> list[tuple[str, list[dict]]]:
    """Cut ``text`` at every passage boundary: (chunk, passages covering it) in order.

    Overlapping passages yield chunks covered by several; offsets are code
    points, clamped to the text.
    """
    n = len(text)
    spans = [(max(0, min(p["start"], n)), max(0, min(p["end"], n)), p) for p in passages]
    cuts = sorted({0, n} | {s for s, _, _ in spans} | {e for _, e, _ in spans})
    segments = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [p for s, e, p in spans if s <= a and b <= e and s < e]
        segments.append((text[a:b], covering))
    return segments
