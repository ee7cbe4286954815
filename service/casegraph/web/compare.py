"""Pages across organisations: ``/compare?org=…&org=…`` and the ``/overview``.

``/compare`` puts two to four organisations side by side.
Each column is an organisation's card (web/cards.py): practices by kind, awards
received by it and its units, brands, innovations and effects, figures.  Practice
kinds, awards and issuers that more than one of them share are marked, which is the
point of comparing.  ``org`` takes an IRI, the ``id:`` shorthand or a name (resolved
as for the curated questions; an ambiguous name is offered as a choice).

``/overview`` is the cross-case picture: organisations × practice kinds as a heat map
and the issuers → recipients flows (web/pictures.py), each with its table.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, abort, render_template, request
from rdflib import URIRef

from casegraph.errors import ParameterError
from casegraph.sparql.catalogue import Parameter
from casegraph.web.cards import Card, build_card
from casegraph.web.context import current_settings
from casegraph.web.i18n import ui_language
from casegraph.web.names import AmbiguousName, looks_like_iri, resolve_name
from casegraph.web.pictures import issuer_flows
from casegraph.web.term_view import Labeller, TermView, run_fixed

bp = Blueprint("compare", __name__)

MAX_ORGANISATIONS = 4
_ORG = Parameter("org", "iri")


def _resolve(raw: str) -> URIRef:
    raw = raw.strip()
    if not looks_like_iri(raw):
        raw = resolve_name("org", raw, ui_language(), group="organisation")
    term = _ORG.to_term(raw, current_settings().base_iri)
    assert isinstance(term, URIRef)
    return term


def shared(cards: list[Card]) -> dict[str, set[str]]:
    """IRIs of practice kinds, awards and issuers found in two or more of the cards."""
    def count(sets: list[set[str]]) -> set[str]:
        seen: dict[str, int] = {}
        for found in sets:
            for iri in found:
                seen[iri] = seen.get(iri, 0) + 1
        return {iri for iri, n in seen.items() if n > 1}

    return {
        "kinds": count([{k.text for k, _ in c.practices if k is not None} for c in cards]),
        "awards": count([{r["award"].text for r in c.received if r["award"]} for c in cards]),
        "issuers": count([{r["issuer"].text for r in c.received if r["issuer"]}
                          for c in cards]),
    }


@bp.get("/compare")
def compare_page():
    asked = [raw for raw in request.args.getlist("org") if raw.strip()]
    if len(asked) > MAX_ORGANISATIONS:
        abort(400, description=f"compare at most {MAX_ORGANISATIONS} organisations, "
                               f"not {len(asked)}")
    organisations, error, ambiguous = [], None, None
    try:
        organisations = [_resolve(raw) for raw in asked]
    except AmbiguousName as exc:
        ambiguous = exc
    except ParameterError as exc:
        error = str(exc)
    labeller = Labeller()
    labeller.fetch(organisations)
    columns = []
    for iri in organisations:
        types = [row["type"] for row in run_fixed("entity_types", [{"s": iri}]).dicts()]
        card = build_card(iri, types, labeller)
        if not card.is_organisation:
            error = f"parameter 'org': <{iri}> is not an organisation"
            continue
        columns.append((labeller.view(iri), card))
    return render_template(
        "compare.html",
        columns=columns,
        shared=shared([c for _, c in columns]),
        asked=asked,
        # Each box shows the name of the organisation it resolved to (its IRI sent again).
        chosen=[labeller.view(iri) for iri in organisations] if len(organisations) == len(asked) else [],
        error=error,
        ambiguous=ambiguous,
        choice_href=lambda iri: "/compare?" + urlencode(
            [("org", iri if raw == ambiguous.name else raw) for raw in asked]),
    ), 400 if error else 200


#: Heat-map geometry in CSS pixels: a cell, the margins above and below the grid (slanted
#: kind names), and the space for company names and the colour scale beside it.
HEATMAP_CELL = 22
HEATMAP_MARGINS = 8 + 150
HEATMAP_LABELS = 250 + 72


@bp.get("/overview")
def overview_page():
    cells = run_fixed("overview_practice_kinds").dicts()
    conferrals = run_fixed("overview_conferrals").dicts()
    labeller = Labeller()
    labeller.fetch([t for rows in (cells, conferrals) for row in rows for t in row.values()])
    companies = sorted({row["company"] for row in cells}, key=lambda c: labeller.view(c).name)
    totals: dict = {}
    for row in cells:
        totals[row["kind"]] = totals.get(row["kind"], 0) + int(row["n"])
    kinds = sorted(totals, key=lambda k: (-totals[k], labeller.view(k).name))
    counts = {(row["company"], row["kind"]): int(row["n"]) for row in cells}
    heatmap = {
        "rows": [labeller.view(c).name for c in companies],
        "columns": [labeller.view(k).name for k in kinds],
        "cells": [[x, y, counts[(c, k)]] for y, c in enumerate(companies)
                  for x, k in enumerate(kinds) if (c, k) in counts],
        # Every row and column labelled and a cell big enough for its count: the chart grows
        # with the corpus (scrolling sideways) instead of squeezing 40 companies into 300 px.
        "height": HEATMAP_MARGINS + HEATMAP_CELL * len(companies),
        "minWidth": HEATMAP_LABELS + HEATMAP_CELL * len(kinds),
    }
    flows = issuer_flows(conferrals, labeller)
    return render_template(
        "overview.html",
        companies=[labeller.view(c) for c in companies],
        kinds=[labeller.view(k) for k in kinds],
        counts={(str(c), str(k)): n for (c, k), n in counts.items()},
        heatmap=heatmap,
        flows=flows,
        conferrals=sorted(
            ((_optional(r.get("issuer"), labeller), _optional(r.get("level"), labeller),
              labeller.view(r["recipient"]), int(r["n"])) for r in conferrals),
            key=lambda r: (r[0] is None, r[0].name if r[0] else "", r[2].name)),
    )


def _optional(term, labeller: Labeller) -> TermView | None:
    return labeller.view(term) if term is not None else None
