"""Summary cards above an entity's statements: what a reader came to the page for.

An organisation's card rolls up the awards received by it, by its units at any depth
and by the innovations they developed (saying through which unit), lists what it
awarded as an issuer (a table and a timeline), its place in the hierarchy, its
brands, practices by kind, innovations and figures.  A conferral gets one sentence,
an award its conferrals, an innovation its effects as before → after.

Every card is built from ``queries/*.rq`` run with the entity bound; the chart data
is handed to the template as plain values and serialised there with ``tojson``
(escaped JSON in a ``<script type="application/json">``), never as HTML.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import URIRef
from rdflib.term import Identifier

from casegraph.web.i18n import translate
from casegraph.web.naming import number_text
from casegraph.web.subject_cards import (
    SubjectCard,
    by_year_desc,
    conferral_row,
    conferral_rows,
    effects,
    effects_of,
    person_card,
    place_card,
    practice_card,
)
from casegraph.web.term_view import Labeller, TermView, label_languages, run_fixed

CG = "https://w3id.org/casegraph/ns#"
ORG = "http://www.w3.org/ns/org#"
ORGANISATION_ROLES = {ORG + "Organization", ORG + "FormalOrganization",
                      ORG + "OrganizationalUnit"}
PARTY_OF = URIRef(CG + "partyOrganisationOf")
SCHEMA = "https://schema.org/"
#: Card role -> the builder of its card (web/subject_cards.py).
SUBJECT_CARDS = {SCHEMA + "Person": person_card, SCHEMA + "Place": place_card,
                 CG + "Practice": practice_card}
#: Entries shown per list of an organisation's card (awards received, brands, innovations,
#: figures, practices of one kind): a group's card rolls up every unit's, and unbounded
#: lists made its page grow with the corpus (2.8 MB of HTML at 10k synthetic cases).
CARD_LIST_LIMIT = 30
#: Units per org_awards query: Oxigraph answers 225 VALUES rows in 9 ms, but 1,089 (the
#: hub of 10k synthetic cases) ran past the 60 s limit; batches keep every query small.
UNITS_PER_QUERY = 100


@dataclass
class Card:
    """Everything the ``_cards.html`` macros need; empty parts are not shown."""

    roles: set[str] = field(default_factory=set)
    sentence: dict[str, str] | None = None
    received: list[dict] = field(default_factory=list)
    awarded: list[dict] = field(default_factory=list)
    timeline: dict | None = None
    ancestors: list[TermView] = field(default_factory=list)
    tree: list[dict] = field(default_factory=list)
    tree_chart: dict | None = None
    practices: list[tuple[TermView | None, list[dict]]] = field(default_factory=list)
    brands: list[dict] = field(default_factory=list)
    innovations: list[dict] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    effects: list[dict] = field(default_factory=list)
    conferrals: list[dict] = field(default_factory=list)
    graph_chart: dict | None = None
    lineage: list[dict] = field(default_factory=list)
    lineage_chart: dict | None = None
    #: A person's, place's or practice's card.
    subject: SubjectCard | None = None
    #: List name → how many entries it has in all, for the lists cut at CARD_LIST_LIMIT.
    totals: dict[str, int] = field(default_factory=dict)
    limit: int = CARD_LIST_LIMIT

    @property
    def has_chart(self) -> bool:
        return bool(self.timeline or self.tree_chart or self.graph_chart or self.lineage_chart)

    @property
    def is_organisation(self) -> bool:
        return bool(self.roles & ORGANISATION_ROLES)

    @property
    def empty(self) -> bool:
        return not any((self.sentence, self.received, self.awarded, self.ancestors, self.tree,
                        self.practices, self.brands, self.innovations, self.figures,
                        self.effects, self.conferrals, self.lineage)) and (
            self.subject is None or self.subject.empty)


def card_roles(types: list[Identifier]) -> set[str]:
    rows = run_fixed("type_roles", [{"type": t} for t in types]).dicts() if types else []
    return {str(row["role"]) for row in rows}


def build_card(iri: URIRef, types: list[Identifier], labeller: Labeller,
               cases: list[TermView] | None = None) -> Card:
    """The card of every card class ``types`` fall under; ``cases`` are the case
    documents mentioning the entity (listed on person, place and practice cards)."""
    card = Card(roles=card_roles(types))
    for role, build in SUBJECT_CARDS.items():
        if role in card.roles:
            card.subject = build(iri, labeller, cases or [])
            break
    if card.is_organisation:
        _organisation(card, iri, labeller)
    if CG + "AwardConferral" in card.roles:
        rows = conferral_rows("conferral", [iri])
        labeller.fetch(t for row in rows for t in row.values())
        if rows:
            card.sentence = conferral_sentence(rows[0], labeller)
    if CG + "Award" in card.roles:
        rows = conferral_rows("award", [iri])
        labeller.fetch(t for row in rows for t in row.values())
        card.conferrals = [conferral_row(row, labeller) for row in rows]
        card.timeline = timeline(card.conferrals)
    if CG + "Innovation" in card.roles:
        card.effects = effects(iri, labeller)
    if CG + "PartyBuildingBrand" in card.roles:
        _brand_lineage(card, iri, labeller)
    return card


def _brand_lineage(card: Card, iri: URIRef, labeller: Labeller) -> None:
    """A brand's lineage as a tree: from its root brands down through every derived one."""
    rows = run_fixed("brand_lineage", [{"brand": iri}]).dicts()
    if not rows:
        return
    labeller.fetch([t for row in rows for t in row.values()])
    children: dict[Identifier, list[tuple[Identifier, Identifier]]] = defaultdict(list)
    parents: dict[Identifier, set[Identifier]] = defaultdict(set)
    for row in rows:
        children[row["parent"]].append((row["child"], URIRef(CG + "derivesFrom")))
        parents[row["child"]].add(row["parent"])
    roots = sorted({p for p in children if not parents.get(p)}, key=str)
    seen: set = set()
    card.lineage = [{"unit": labeller.view(root), "party": False,
                     "units": _subtree(root, children, labeller, seen)} for root in roots]

    def node(entry: dict) -> dict:
        view = entry["unit"]
        out = {"name": view.name, "href": view.href,
               "children": [node(e) for e in entry["units"]]}
        if view.text == str(iri):
            out |= {"symbolSize": 16, "itemStyle": {"color": "#a31d24"},
                    "label": {"fontWeight": "bold"}}
        return out

    card.lineage_chart = node(card.lineage[0]) if len(card.lineage) == 1 else {
        "name": "", "children": [node(e) for e in card.lineage]}


def _organisation(card: Card, iri: URIRef, labeller: Labeller) -> None:
    """Fill an organisation's card; each list keeps its first CARD_LIST_LIMIT entries
    (newest awards first) and only those are labelled, so a hub's page stays bounded."""
    edges = run_fixed("org_hierarchy", [{"org": iri}]).dicts()
    received = _awards_of_units(sorted(_reachable(iri, edges, "parent", "child"), key=str))
    awarded = conferral_rows("issuer", [iri])
    activities = run_fixed("org_activities", [{"org": iri}]).dicts()

    newest = sorted({row["conferral"]: row for row in received}.values(),
                    key=lambda row: str(row.get("year") or ""), reverse=True)
    kept_conferrals = {row["conferral"] for row in newest[:CARD_LIST_LIMIT]}
    if len(newest) > CARD_LIST_LIMIT:
        card.totals["received"] = len(newest)
    received = [row for row in received if row["conferral"] in kept_conferrals]
    activities = _bounded_activities(card, activities)
    edges = _bounded_hierarchy(card, iri, edges)
    labeller.fetch([iri] + [t for rows in (received, awarded, edges, activities)
                            for row in rows for t in row.values()])
    by_conferral: dict[Identifier, dict] = {}
    for row in received:
        entry = by_conferral.setdefault(row["conferral"], conferral_row(row, labeller))
        via = row.get("developer") or row["recipient"]
        entry["direct"] = entry.get("direct", False) or row["recipient"] == iri
        if row["recipient"] != iri:
            entry["through"] = labeller.view(row["recipient"])
            if row.get("developer") is not None and via != iri:
                entry["developer"] = labeller.view(via)
    card.received = sorted(by_conferral.values(), key=by_year_desc)
    card.awarded = [conferral_row(row, labeller) for row in awarded]
    card.timeline = timeline(card.awarded) if card.awarded else None

    parents: dict[Identifier, list[tuple[Identifier, Identifier]]] = defaultdict(list)
    children: dict[Identifier, list[tuple[Identifier, Identifier]]] = defaultdict(list)
    for row in edges:
        parents[row["child"]].append((row["parent"], row["how"]))
        children[row["parent"]].append((row["child"], row["how"]))
    card.ancestors = _ancestors(iri, parents, labeller)
    card.tree = _subtree(iri, children, labeller, set())
    if card.tree or card.ancestors:
        card.tree_chart = _tree_chart(iri, card.ancestors, card.tree, labeller)

    kinds: dict[Identifier | None, list[dict]] = {}
    for row in activities:
        item, unit = labeller.view(row["item"]), labeller.view(row["unit"])
        entry = {"item": item, "unit": unit if row["unit"] != iri else None}
        what = str(row["what"])
        if what == "practice":
            kinds.setdefault(row.get("kind"), []).append(entry)
        elif what == "brand":
            card.brands.append(entry)
        elif what == "innovation":
            card.innovations.append(entry)
        elif what == "figure":
            card.figures.append(entry)
    found = effects_of([URIRef(entry["item"].text) for entry in card.innovations], labeller)
    for entry in card.innovations:
        entry["effects"] = found.get(URIRef(entry["item"].text), [])
    card.practices = sorted(
        ((labeller.view(k) if k is not None else None, v) for k, v in kinds.items()),
        key=lambda kv: (-card.totals.get(_kind_key(kv[0]), len(kv[1])),
                        kv[0].name if kv[0] else ""),
    )


def _kind_key(kind: TermView | Identifier | None) -> str:
    """The ``Card.totals`` key of one practice kind's list."""
    if isinstance(kind, TermView):
        return "practice " + kind.text
    return "practice " + (str(kind) if kind is not None else "")


def _reachable(iri: URIRef, edges: list[dict], source: str, target: str) -> set[Identifier]:
    """``iri`` and every node reached from it along ``edges`` (rows with a ``source`` and a
    ``target`` key: "parent" → "child" walks down the hierarchy, "child" → "parent" up)."""
    following: dict[Identifier, set[Identifier]] = defaultdict(set)
    for row in edges:
        following[row[source]].add(row[target])
    reached, todo = {iri}, [iri]
    while todo:
        for node in following.get(todo.pop(), ()):
            if node not in reached:
                reached.add(node)
                todo.append(node)
    return reached


def _awards_of_units(units: list[Identifier]) -> list[dict]:
    """org_awards for ``units``, UNITS_PER_QUERY at a time (each row is about one unit)."""
    return [row for start in range(0, len(units), UNITS_PER_QUERY)
            for row in run_fixed("org_awards", [{"unit": unit} for unit in
                                                units[start:start + UNITS_PER_QUERY]]).dicts()]


def _bounded_hierarchy(card: Card, iri: URIRef, edges: list[dict]) -> list[dict]:
    """The hierarchy edges with at most CARD_LIST_LIMIT children under each unit (the
    first by IRI), keeping every edge of the chain above ``iri``; ``card.totals["units"]``
    counts the units when some were left out."""
    chain = _reachable(iri, edges, "child", "parent")
    kept: list[dict] = []
    children: dict[Identifier, int] = defaultdict(int)
    for row in sorted(edges, key=lambda row: (row["child"] not in chain, str(row["child"]))):
        if row["child"] in chain or children[row["parent"]] < CARD_LIST_LIMIT:
            children[row["parent"]] += 1
            kept.append(row)
    if len(kept) < len(edges):
        card.totals["units"] = len({row["child"] for row in edges if row["child"] not in chain})
    return kept


def _bounded_activities(card: Card, rows: list[dict]) -> list[dict]:
    """The first CARD_LIST_LIMIT brands, innovations and figures, and practices of each
    kind (one entry per practice and kind); ``card.totals`` records the lists cut."""
    kept: list[dict] = []
    seen: set[tuple] = set()
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        what = str(row["what"])
        key = _kind_key(row.get("kind")) if what == "practice" else what
        if what == "practice":
            if (row.get("kind"), row["item"]) in seen:
                continue
            seen.add((row.get("kind"), row["item"]))
        counts[key] += 1
        if counts[key] <= CARD_LIST_LIMIT:
            kept.append(row)
    card.totals.update({key: n for key, n in counts.items() if n > CARD_LIST_LIMIT})
    return kept


def _ancestors(iri, parents, labeller: Labeller) -> list[TermView]:
    """The chain from the top down to ``iri``'s parent (the first parent at each step)."""
    chain: list[TermView] = []
    seen = {iri}
    node = iri
    while parents.get(node):
        # An organisation's own parent before its party organisation's.
        parent = sorted(parents[node], key=lambda ph: ph[1] == PARTY_OF)[0][0]
        if parent in seen:
            break
        seen.add(parent)
        chain.append(labeller.view(parent))
        node = parent
    return list(reversed(chain))


def _subtree(node, children, labeller: Labeller, seen: set) -> list[dict]:
    seen.add(node)
    out = []
    for child, how in sorted(children.get(node, []), key=lambda ch: labeller.view(ch[0]).name):
        if child in seen:
            continue
        out.append({"unit": labeller.view(child), "party": how == PARTY_OF,
                    "units": _subtree(child, children, labeller, seen)})
    return out


def _tree_chart(iri, ancestors: list[TermView], tree: list[dict], labeller: Labeller) -> dict:
    """The hierarchy as nested ``{name, href, children}`` for the tree picture."""
    def node(view: TermView, units: list[dict], current: bool = False) -> dict:
        out = {"name": view.name, "href": view.href,
               "children": [node(u["unit"], u["units"]) for u in units]}
        if current:  # the page's own organisation stands out
            out |= {"symbolSize": 16, "itemStyle": {"color": "#a31d24"},
                    "label": {"fontWeight": "bold"}}
        return out

    root = node(labeller.view(iri), tree, current=True)
    for ancestor in reversed(ancestors):
        root = {"name": ancestor.name, "href": ancestor.href, "children": [root]}
    return root


def timeline(rows: list[dict]) -> dict | None:
    """Counts by year and level for the timeline picture (and its table)."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    levels: list[str] = []
    for row in rows:
        year = row["year"] or "?"
        level = row["level"].name if row["level"] else "—"
        if level not in levels:
            levels.append(level)
        counts[year][level] += 1
    if not counts:
        return None
    years = sorted(counts, key=lambda y: (y == "?", y))
    return {"years": years, "levels": levels,
            "series": [{"name": level, "data": [counts[y].get(level, 0) for y in years]}
                       for level in levels]}


_SENTENCES = {
    "zh-Hans": "{year}{issuer}授予{recipient}{award}{rank}{level}。",
    "zh-Hant": "{year}{issuer}授予{recipient}{award}{rank}{level}。",
    "en": "{year}{issuer} conferred {award}{rank} on {recipient}{level}.",
}


def conferral_sentence(row: dict[str, Identifier], labeller: Labeller) -> dict[str, str]:
    """One sentence per language: who gave what to whom, when, at which level and rank."""
    out = {}
    for lang in label_languages():
        def name(key: str, lang: str = lang) -> str:
            if row.get(key) is None:
                return ""
            labels = labeller.view(row[key]).labels
            texts = labels.get(lang) or next(iter(labels.values()), [str(row[key])])
            return texts[0]

        year = number_text(str(row["year"])) if row.get("year") is not None else ""
        zh = lang != "en"
        issuer = name("issuer") or ("" if zh else "An unnamed issuer")
        parts = {
            "year": (f"{year}年," if zh else f"In {year}, ") if year else "",
            "issuer": issuer if zh or year else issuer[:1].upper() + issuer[1:],
            "recipient": f"“{name('recipient')}”" if zh else name("recipient"),
            "award": name("award") or ("奖项" if zh else "an award"),
            "rank": (f"({name('rank')})" if zh else f" ({name('rank')})") if row.get("rank") else "",
            "level": (f",级别:{name('level')}" if zh else f", at {name('level')} level")
            if row.get("level") else "",
        }
        if zh and not row.get("issuer"):
            parts["issuer"] = "(原文未载颁发单位)" if lang == "zh-Hans" else "(原文未載頒發單位)"
        out[lang] = _SENTENCES[lang].format(**parts)
    return out


#: Node categories of the neighbourhood picture, in legend order (UI string keys).
NEIGHBOUR_KINDS = ("organisation", "brand", "award", "issuer", "practice_kind", "case")


def neighbourhood(card: Card, subject: TermView, cases: list[TermView]) -> dict | None:
    """An organisation's neighbourhood as nodes and links: its brands, the kinds of its
    practices, the awards it and its units received and their issuers, and the cases
    that mention it; every node links to its page."""
    nodes: dict[str, dict] = {}
    links: list[dict] = []

    def add(view: TermView | None, kind: str, link_to: str | None = None) -> str | None:
        if view is None or view.kind != "iri":
            return None
        if view.text not in nodes:
            nodes[view.text] = {"id": view.text, "name": view.name, "href": view.href,
                                "category": NEIGHBOUR_KINDS.index(kind),
                                "symbolSize": 28 if kind == "organisation" else 14}
        if link_to is not None and link_to != view.text:
            links.append({"source": link_to, "target": view.text})
        return view.text

    centre = add(subject, "organisation")
    for brand in card.brands:
        add(brand["item"], "brand", centre)
    for kind, _ in card.practices[:12]:
        add(kind, "practice_kind", centre)
    for row in card.received:
        award = add(row["award"], "award", centre)
        add(row["issuer"], "issuer", award)
    for case in cases[:CARD_LIST_LIMIT]:
        add(case, "case", centre)
    if len(nodes) < 3:
        return None
    return {"categories": [{"name": translate("kind_" + k)} for k in NEIGHBOUR_KINDS],
            "nodes": list(nodes.values()), "links": links}
