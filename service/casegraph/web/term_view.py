"""How RDF terms appear on pages: links, labels in every language, content negotiation.

Shared by the entity pages, the question pages and the exports so that a term
looks and links the same everywhere:

* an IRI under the base links to its page ``/id/<rest>`` (``base_iri + rest``);
  another http(s) IRI links to ``/resource?iri=…``; any other scheme
  (``javascript:``, ``data:``, ``urn:``) is shown as text and never becomes an href;
* labels are fetched in one query for all the IRIs of a page and shown in
  zh-Hans, zh-Hant and en together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from flask import Response, abort, jsonify, make_response, request
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier

from casegraph.rdf.formats import GRAPH_FORMATS, format_for_name, serialize_graph
from casegraph.rdf.results import QueryResult
from casegraph.rdf.terms import LABEL_LANGUAGES, canonical_language_tag, prefixed_name
from casegraph.sparql.templates import bind_values, fixed_query, rebase
from casegraph.store.base import SERVICE_LANE
from casegraph.web.context import current_settings, current_store
from casegraph.web.i18n import ui_language
from casegraph.web.naming import fallback_name, generated_names
from casegraph.web.negotiation import prefers

#: format name -> (media type, rdflib serializer); "html" is the page itself.
RDF_FORMATS = {
    "ttl": ("text/turtle", "turtle"),
    "jsonld": ("application/ld+json", "json-ld"),
    "nt": ("application/n-triples", "nt"),
    "rdf": ("application/rdf+xml", "xml"),
}
_FORMAT_ALIASES = {"turtle": "ttl", "json-ld": "jsonld", "json": "jsonld", "xml": "rdf",
                   "ntriples": "nt", "html": "html"}


def run_fixed(name: str, rows: list[dict[str, Identifier]] | None = None,
              suffix: str = "") -> QueryResult:
    """Run ``queries/<name>.rq`` with terms bound by VALUES; ``suffix`` adds LIMIT/OFFSET."""
    cfg = current_settings()
    sparql = bind_values(rebase(fixed_query(name), cfg.base_iri), rows or [])
    return current_store().query(sparql + suffix, timeout=cfg.query_timeout,
                                 max_rows=cfg.max_result_rows, lane=SERVICE_LANE)


def literal_language(term: object) -> str:
    """A literal's language in BCP 47 spelling (``zh-Hans``), whatever case the store used."""
    if isinstance(term, Literal) and term.language:
        return canonical_language_tag(term.language)
    return ""


def is_http_iri(term: object) -> bool:
    return isinstance(term, URIRef) and str(term).lower().startswith(("http://", "https://"))


def page_href(iri: URIRef) -> str | None:
    """Where the service shows this IRI, or None when it must not become a link."""
    base = current_settings().base_iri
    text = str(iri)
    if not is_http_iri(iri):
        return None
    if text.startswith(base) and len(text) > len(base):
        return "/id/" + text[len(base):]
    return "/resource?" + urlencode({"iri": text})


def curie(iri: str) -> str:
    """``cg:statedIn`` for a known namespace, ``id:org/x`` under the base, else the IRI."""
    base = current_settings().base_iri
    if iri.startswith(base):
        return "id:" + iri[len(base):]
    return prefixed_name(iri) or iri


@dataclass
class TermView:
    """What a template needs to show one RDF term."""

    kind: str  # "iri", "literal" or "bnode"
    text: str
    href: str | None = None
    curie: str = ""
    labels: dict[str, list[str]] = field(default_factory=dict)
    lang: str | None = None
    datatype: str | None = None
    #: True when the name was made from the term's facts or IRI, not stated as a label.
    generated: bool = False

    @property
    def name(self) -> str:
        """The name in the page's language (labels are ordered that way), else the text."""
        for texts in self.labels.values():
            if texts:
                return texts[0]
        return self.text

    def __str__(self) -> str:
        """Plain text for CSV: the IRI or lexical form."""
        return self.text


class Labeller:
    """Collects the IRIs of a page, then fetches all their labels in one query.

    Nodes without a label (conferrals, figures, passages, named graphs …) are named
    by a phrase made from their facts (``casegraph.web.naming``), fetched in one more
    query, so that no link on a page shows an identifier.
    """

    def __init__(self) -> None:
        self._labels: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        self._generated: set[str] = set()

    def fetch(self, terms: Iterable[Identifier | None]) -> None:
        iris = sorted({t for t in terms if isinstance(t, URIRef)} - set(self._labels))
        for start in range(0, len(iris), 200):
            chunk = iris[start:start + 200]
            for row in run_fixed("labels", [{"x": i} for i in chunk]).dicts():
                label = row["label"]
                bucket = self._labels[str(row["x"])][literal_language(label)]
                if str(label) not in bucket:
                    bucket.append(str(label))
            for i in chunk:
                self._labels.setdefault(str(i), defaultdict(list))
        unnamed = [i for i in iris if not any(self._labels[str(i)].values())]
        for start in range(0, len(unnamed), 200):
            chunk = unnamed[start:start + 200]
            rows = run_fixed("naming_facts", [{"x": i} for i in chunk]).dicts()
            for iri, names in generated_names(rows, current_settings().base_iri).items():
                if iri in self._labels and not any(self._labels[iri].values()):
                    self._labels[iri] = defaultdict(list, names)
                    self._generated.add(iri)

    def fall_back(self, iri: Identifier, label: Identifier | None) -> None:
        """Use ``label`` for ``iri`` when it has no label of its own (a case's title)."""
        if isinstance(label, Literal) and not any(self._labels.get(str(iri), {}).values()):
            self._labels[str(iri)][literal_language(label)].append(str(label))

    def labels(self, iri: str) -> dict[str, list[str]]:
        """Labels by language, the page's language first (then zh-Hans, zh-Hant, en)."""
        found = self._labels.get(iri, {})
        order = label_languages()
        ordered = {lang: found[lang] for lang in order if found.get(lang)}
        ordered.update({k: v for k, v in found.items() if k not in ordered and v})
        return ordered

    def view(self, term: Identifier) -> TermView:
        if isinstance(term, URIRef):
            labels = self.labels(str(term))
            generated = str(term) in self._generated or not labels
            return TermView("iri", str(term), page_href(term), curie(str(term)),
                            labels or fallback_name(term), generated=generated)
        if isinstance(term, BNode):
            return TermView("bnode", "_:" + str(term))
        if isinstance(term, Literal):
            datatype = curie(str(term.datatype)) if term.datatype else None
            return TermView("literal", str(term), lang=literal_language(term) or None,
                            datatype=datatype)
        return TermView("literal", str(term))


def label_languages() -> tuple[str, ...]:
    """The label languages in display order: the request's UI language first."""
    try:
        first = ui_language()
    except RuntimeError:  # outside a request (exports built offline)
        return LABEL_LANGUAGES
    return (first,) + tuple(lang for lang in LABEL_LANGUAGES if lang != first)


def requested_format(default: str = "html") -> str | None:
    """``?format=`` or the best Accept match; None when the asked format is unknown."""
    asked = request.args.get("format")
    if asked:
        asked = _FORMAT_ALIASES.get(asked, asked)
        return asked if asked in RDF_FORMATS or asked == "html" else None
    offered = ["text/html"] + [media for media, _ in RDF_FORMATS.values()] + ["application/json"]
    best = request.accept_mimetypes.best_match(offered, default="text/html")
    if best == "application/json":  # JSON-LD is the JSON twin of an RDF page
        return "jsonld"
    for name, (media, _) in RDF_FORMATS.items():
        if best == media:
            return name
    return default


def rdf_response(graph: Graph, fmt: str, filename: str | None = None) -> Response:
    """Serialise ``graph`` in a named RDF format (``RDF_FORMATS``), varying on Accept."""
    chosen = format_for_name(fmt, GRAPH_FORMATS)
    # Oxigraph's writers, as /sparql uses: literals keep their lexical form.
    response = Response(serialize_graph(graph, chosen, current_settings().base_iri),
                        mimetype=chosen.media_type)
    response.headers["Vary"] = "Accept"
    if filename:
        response.headers["Content-Disposition"] = f"attachment; filename={filename}"
    return response


def json_twin_requested() -> bool:
    """Whether the client asked for a page's JSON twin: ``?format=json`` or by Accept.

    Browsers (``text/html`` first) and clients sending ``*/*`` get the page; a client
    that prefers ``application/json`` to ``text/html`` gets the JSON.
    """
    asked = request.args.get("format")
    if asked is not None:
        if asked not in ("json", "html"):
            abort(406, description=f"format must be html or json, not {asked!r}")
        return asked == "json"
    offered = ["text/html", "application/json"]
    return prefers(request.headers.get("Accept"), offered) == "application/json"


def html_or_json(html: Callable[[], str], data: Callable[[], object]) -> Response:
    """A page and its JSON twin (Datasette's habit), chosen by ``?format=`` or Accept."""
    response = jsonify(data()) if json_twin_requested() else make_response(html())
    response.vary.add("Accept")
    return response
