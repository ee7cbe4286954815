"""Cards for people, places, practices and case documents, and the row builders that
every card shares (a conferral's cells, an effect's before → after).

A person's card says which roles they hold in which organisations, what they were
awarded, which events they took part in and which cases they edited.  A place's card
says what is located there, what is served there and what happened there (also in the
places it contains, saying which), its containing places up to the top and the places
it contains as a tree.  A practice's card gives its kind, who practises it, whom it
involves, its effects and figures.  A case document's card sits at the top of the case
text: who (the organisations it is about), what (brands, practices by kind, figures) and
the awards stated in that case, each with issuer, level and year.

Each card is read by one ``queries/*.rq`` with the entity bound (``what`` tells the row
kinds apart) plus, for awards, ``conferrals.rq``; names come from the page's Labeller.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import RDF, URIRef
from rdflib.term import Identifier

from casegraph.rdf.terms import LABEL_LANGUAGES, PREFIXES
from casegraph.web.naming import quantity_text
from casegraph.web.term_view import (
    Labeller,
    TermView,
    label_languages,
    literal_language,
    run_fixed,
)

AWARD_CONFERRAL = URIRef(PREFIXES["cg"] + "AwardConferral")


def conferral_row(row: dict[str, Identifier], labeller: Labeller) -> dict:
    """A conferral's cells for ``_cards.html``'s conferral table, each a TermView or None."""
    def view(key: str) -> TermView | None:
        return labeller.view(row[key]) if row.get(key) is not None else None

    return {"conferral": view("conferral"), "award": view("award"), "issuer": view("issuer"),
            "recipient": view("recipient"), "level": view("level"), "rank": view("rank"),
            "year": str(row["year"]) if row.get("year") is not None else None}


def by_year_desc(entry: dict) -> tuple:
    """Sort key: the latest conferral first, then by award name."""
    return (-(int(entry["year"]) if (entry["year"] or "").lstrip("-").isdigit() else 0),
            entry["award"].name if entry["award"] else "")


def conferrals_of(rows: list[dict[str, Identifier]], labeller: Labeller) -> list[dict]:
    """``conferrals.rq`` rows as table rows, one per conferral, latest first."""
    labeller.fetch(t for row in rows for t in row.values())
    seen: dict[Identifier, dict] = {}
    for row in rows:
        seen.setdefault(row["conferral"], conferral_row(row, labeller))
    return sorted(seen.values(), key=by_year_desc)


def conferral_rows(by: str, values: list[Identifier]) -> list[dict[str, Identifier]]:
    """The conferrals (queries/conferrals.rq) whose ``by`` — "issuer", "award",
    "recipient" — is one of ``values``, or (``by="conferral"``) the conferrals ``values``."""
    if by == "conferral":
        rows = [{"conferral": v, "by": RDF.type, "value": AWARD_CONFERRAL} for v in values]
    else:
        rows = [{"by": URIRef(PREFIXES["cg"] + by), "value": v} for v in values]
    return run_fixed("conferrals", rows).dicts() if rows else []


def effects(of: Identifier, labeller: Labeller) -> list[dict]:
    """The effects of an innovation or practice: ``3 小时 → 10 分钟`` or one value, in the
    page's language."""
    return effects_of([of], labeller).get(of, [])


def effects_of(items: list[Identifier], labeller: Labeller) -> dict[Identifier, list[dict]]:
    """The effects of several innovations or practices in one query (a card lists many:
    one query each made a hub's page slower with every innovation of its units)."""
    if not items:
        return {}
    rows = run_fixed("effects", [{"of": item} for item in items]).dicts()
    labeller.fetch(row["effect"] for row in rows)
    lang = next((lang for lang in label_languages() if lang in LABEL_LANGUAGES), "en")

    def q(row: dict[str, Identifier], value: str, unit: str) -> str | None:
        if row.get(value) is None:
            return None
        return quantity_text(str(row[value]), str(row[unit]) if row.get(unit) else None, lang)

    found: dict[Identifier, list[dict]] = {}
    for row in rows:
        found.setdefault(row["of"], []).append(
            {"effect": labeller.view(row["effect"]), "value": q(row, "value", "unit"),
             "before": q(row, "before", "beforeUnit"), "after": q(row, "after", "afterUnit")})
    return found


@dataclass
class SubjectCard:
    """The parts of a person's, place's, practice's or case document's card; empty parts
    are not shown.  Lists hold TermViews or small dicts of them."""

    kind: str
    #: person: {"org", "role"}; the organisations they hold a role in.
    roles: list[dict] = field(default_factory=list)
    awards: list[dict] = field(default_factory=list)
    events: list[TermView] = field(default_factory=list)
    edited: list[TermView] = field(default_factory=list)
    #: place: {"item", "wheres"} (``wheres``: the contained places it is in; empty: here).
    located: list[dict] = field(default_factory=list)
    served: list[dict] = field(default_factory=list)
    happened: list[dict] = field(default_factory=list)
    within: list[TermView] = field(default_factory=list)
    contains: list[dict] = field(default_factory=list)
    #: practice
    kinds: list[TermView] = field(default_factory=list)
    practised_by: list[TermView] = field(default_factory=list)
    involves: list[TermView] = field(default_factory=list)
    effects: list[dict] = field(default_factory=list)
    figures: list[TermView] = field(default_factory=list)
    #: {"lang", "text"}: what the practice is, in the page's language if the case has it.
    description: dict[str, str] | None = None
    #: case document
    about: list[TermView] = field(default_factory=list)
    brands: list[dict] = field(default_factory=list)
    practices: list[tuple[TermView | None, list[dict]]] = field(default_factory=list)
    cases: list[TermView] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any((self.roles, self.awards, self.events, self.edited, self.located,
                        self.served, self.happened, self.within, self.contains, self.kinds,
                        self.practised_by, self.involves, self.effects, self.figures,
                        self.about, self.brands, self.practices))


def person_card(iri: URIRef, labeller: Labeller, cases: list[TermView]) -> SubjectCard:
    card = SubjectCard("person", cases=cases)
    rows = run_fixed("person_facts", [{"person": iri}]).dicts()
    labeller.fetch(t for row in rows for t in row.values())
    for row in rows:
        what = str(row["what"])
        if what == "role":
            entry = {"org": _view(row, "org", labeller), "role": _view(row, "role", labeller)}
            if entry not in card.roles:
                card.roles.append(entry)
        elif what == "event":
            _add(card.events, labeller.view(row["item"]))
        elif what == "edited":
            _add(card.edited, labeller.view(row["item"]))
    card.awards = conferrals_of(conferral_rows("recipient", [iri]), labeller)
    return card


def place_card(iri: URIRef, labeller: Labeller, cases: list[TermView]) -> SubjectCard:
    card = SubjectCard("place", cases=cases)
    rows = run_fixed("place_facts", [{"place": iri}]).dicts()
    labeller.fetch(t for row in rows for t in row.values())
    parents: dict[Identifier, list[Identifier]] = defaultdict(list)
    children: dict[Identifier, list[Identifier]] = defaultdict(list)
    for row in rows:
        what, item = str(row["what"]), row["item"]
        where = row.get("where")
        if what in ("located", "served", "happened"):
            # One line per organisation or event, naming the contained places it is in.
            target = getattr(card, what)
            entry = next((e for e in target if e["item"].text == str(item)), None)
            if entry is None:
                entry = {"item": labeller.view(item), "wheres": []}
                target.append(entry)
            if where not in (None, iri):
                _add(entry["wheres"], labeller.view(where))
        elif what == "up":
            parents[where].append(item)
        elif what == "down":
            children[where].append(item)
    node, seen = iri, {iri}
    while parents.get(node):
        node = sorted(parents[node], key=str)[0]
        if node in seen:
            break
        seen.add(node)
        card.within.insert(0, labeller.view(node))
    card.contains = _place_tree(iri, children, labeller, {iri})
    return card


def _place_tree(node: Identifier, children, labeller: Labeller, seen: set) -> list[dict]:
    out = []
    for child in sorted(children.get(node, []), key=lambda c: labeller.view(c).name):
        if child not in seen:
            seen.add(child)
            out.append({"unit": labeller.view(child), "party": False,
                        "units": _place_tree(child, children, labeller, seen)})
    return out


def practice_card(iri: URIRef, labeller: Labeller, cases: list[TermView]) -> SubjectCard:
    card = SubjectCard("practice", cases=cases)
    rows = run_fixed("practice_facts", [{"practice": iri}]).dicts()
    labeller.fetch(t for row in rows for t in row.values())
    lists = {"kind": card.kinds, "by": card.practised_by, "involves": card.involves,
             "figure": card.figures}
    descriptions: dict[str, str] = {}
    for row in rows:
        if str(row["what"]) == "description":
            descriptions.setdefault(literal_language(row["item"]), str(row["item"]))
        else:
            _add(lists[str(row["what"])], labeller.view(row["item"]))
    # What the practice is, in the page's language when the case says it in that one.
    lang = next((lang for lang in label_languages() if lang in descriptions),
                next(iter(descriptions), None))
    if lang is not None:
        card.description = {"lang": lang or "und", "text": descriptions[lang]}
    card.effects = effects(iri, labeller)
    return card


def case_card(doc: URIRef, labeller: Labeller) -> SubjectCard:
    """Who, what and the awards of one case: only what that case's own graph states."""
    card = SubjectCard("case")
    rows = run_fixed("case_summary", [{"doc": doc}]).dicts()
    labeller.fetch(t for row in rows for t in row.values())
    kinds: dict[Identifier | None, list[dict]] = {}
    conferrals: list[dict[str, Identifier]] = []
    for row in rows:
        what, item = str(row["what"]), row["item"]
        unit = _view(row, "org", labeller)
        if what == "about":
            _add(card.about, labeller.view(item))
        elif what == "brand":
            entry = {"item": labeller.view(item), "unit": unit}
            if all(b["item"].text != entry["item"].text for b in card.brands):
                card.brands.append(entry)
        elif what == "practice":
            entries = kinds.setdefault(row.get("kind"), [])
            if all(p["item"].text != str(item) for p in entries):
                entries.append({"item": labeller.view(item), "unit": unit})
        elif what == "figure":
            _add(card.figures, labeller.view(item))
        elif what == "conferral":
            conferrals.append(item)
    card.practices = sorted(
        ((labeller.view(k) if k is not None else None, v) for k, v in kinds.items()),
        key=lambda kv: (-len(kv[1]), kv[0].name if kv[0] else ""))
    if conferrals:
        card.awards = conferrals_of(conferral_rows("conferral", conferrals), labeller)
    return card


def _view(row: dict[str, Identifier], key: str, labeller: Labeller) -> TermView | None:
    return labeller.view(row[key]) if row.get(key) is not None else None


def _add(target: list[TermView], view: TermView) -> None:
    if all(v.text != view.text for v in target):
        target.append(view)
