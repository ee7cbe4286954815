"""Pictures that are not one entity's card: the ontology's class diagram and the
issuers → recipients flow of ``/overview``.

Both return plain values that the templates serialise with ``tojson`` into a
``<script type="application/json">`` (escaped JSON, never HTML) plus the rows of the
table printed beside the picture for readers without JavaScript.  Positions are
computed here, not by a force layout: a force layout of 40 classes or 50 recipients
piles labels on each other (issue 14), a layered one keeps every label readable.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib.term import Identifier

from casegraph.web.i18n import translate
from casegraph.web.term_view import Labeller, TermView, run_fixed

CG_NS = "https://w3id.org/casegraph/ns#"
#: Row height and column width of the class diagram, in pixels.
ROW, COLUMN = 30, 250
#: Colours of award levels in the flow picture, in legend order (then grey).
LEVEL_COLOURS = ("#a31d24", "#d9822b", "#3d7ab8", "#4c9a5f", "#8a5fb0", "#b8a13d",
                 "#3daaa8", "#c05f8a")
UNSTATED_COLOUR = "#9a9a9a"


@dataclass
class DiagramClass:
    """One class of the diagram and its table row: superclasses and outgoing properties."""

    view: TermView
    href: str
    supers: list[TermView] = field(default_factory=list)
    properties: list[tuple[TermView, TermView]] = field(default_factory=list)


def class_diagram(labeller: Labeller) -> tuple[dict, list[DiagramClass]]:
    """The ontology's classes laid out in columns by subclass depth, with subclass
    arrows and object-property links; and the same facts as table rows."""
    rows = run_fixed("ontology_diagram").dicts()
    labeller.fetch(t for row in rows for t in row.values())
    classes = sorted({row["from"] for row in rows if str(row["what"]) == "class"}, key=str)
    known = set(classes)
    supers: dict[Identifier, list[Identifier]] = defaultdict(list)
    properties: list[tuple[Identifier, Identifier, Identifier]] = []
    for row in rows:
        what = str(row["what"])
        if what == "sub" and row["to"] in known:
            supers[row["from"]].append(row["to"])
        elif what == "property" and row["from"] in known and row["to"] in known:
            properties.append((row["from"], row["property"], row["to"]))

    depth: dict[Identifier, int] = {}

    def depth_of(node: Identifier, trail: frozenset = frozenset()) -> int:
        if node not in depth:
            ups = [s for s in supers.get(node, []) if s not in trail]
            depth[node] = 1 + max((depth_of(s, trail | {node}) for s in ups), default=-1)
        return depth[node]

    columns: dict[int, list[Identifier]] = defaultdict(list)
    for node in classes:
        columns[depth_of(node)].append(node)
    # Each column follows the rows of its superclasses; then the roots move to the mean
    # row of their subclasses and the columns follow again (two barycentre sweeps), so
    # that arrows run mostly level instead of crossing the whole picture.
    row_of: dict[Identifier, float] = {}
    name = lambda n: labeller.view(n).name  # noqa: E731
    subs: dict[Identifier, list[Identifier]] = defaultdict(list)
    for node, ups in supers.items():
        for up in ups:
            subs[up].append(node)

    def place(column: int) -> None:
        for i, node in enumerate(columns[column]):
            row_of[node] = i

    columns[0].sort(key=lambda n: (str(n).startswith(CG_NS), name(n)))
    for _ in range(2):
        place(0)
        for column in sorted(columns)[1:]:
            columns[column].sort(key=lambda n: (
                sum(row_of[s] for s in supers[n]) / len(supers[n]), name(n)))
            place(column)
        columns[0].sort(key=lambda n: (
            sum(row_of[s] for s in subs[n]) / len(subs[n]) if subs.get(n) else 1e9, name(n)))
    place(0)
    height = max(len(nodes) for nodes in columns.values())
    nodes = []
    for column, members in sorted(columns.items()):
        offset = (height - len(members)) / 2
        for i, node in enumerate(members):
            view = labeller.view(node)
            own = str(node).startswith(CG_NS)
            nodes.append({"id": str(node), "name": view.name, "href": _class_href(view),
                          "x": column * COLUMN, "y": (i + offset) * ROW,
                          "category": 0 if own else 1})
    links = [{"source": str(a), "target": str(b), "kind": "sub"}
             for a, ups in supers.items() for b in ups]
    links += [{"source": str(a), "target": str(b), "kind": "property",
               "prop": labeller.view(p).name} for a, p, b in properties]
    chart = {"categories": [{"name": translate("diagram_own_class")},
                            {"name": translate("diagram_reused_class")}],
             "nodes": nodes, "links": links, "height": int(height * ROW + 80)}
    table = []
    for node in sorted(classes, key=lambda n: (depth[n], name(n))):
        view = labeller.view(node)
        table.append(DiagramClass(
            view, _class_href(view), [labeller.view(s) for s in supers.get(node, [])],
            [(labeller.view(p), labeller.view(b)) for a, p, b in properties if a == node]))
    return chart, table


def _class_href(view: TermView) -> str:
    """A casegraph class links to its entry on the ontology page, another to its page."""
    if view.text.startswith(CG_NS):
        return "#" + view.text[len(CG_NS):]
    return view.href or ""


def issuer_flows(rows: list[dict[str, Identifier]], labeller: Labeller) -> dict:
    """Conferrals as flows from issuers (left) to recipients (right), a band per
    (issuer, recipient, level) as wide as its count and coloured by the award's level.

    An unstated issuer or level is its own node or colour, so that the picture counts
    every conferral, as the table does; one conferred jointly by two issuers is a band
    from each.
    """
    labeller.fetch(t for row in rows for t in row.values())
    unstated = translate("not_stated")
    levels: list[str] = []
    nodes: dict[str, dict] = {}
    links: dict[tuple[str, str, str], int] = defaultdict(int)

    def node(prefix: str, term: Identifier | None, column: int) -> str:
        key = prefix + (str(term) if term is not None else "")
        if key not in nodes:
            view = labeller.view(term) if term is not None else None
            nodes[key] = {"id": key, "name": view.name if view else f"({unstated})",
                          "href": view.href if view else None, "depth": column, "value": 0}
        return key

    for row in rows:
        n = int(row["n"])
        source = node("issuer:", row.get("issuer"), 0)
        target = node("recipient:", row.get("recipient"), 1)
        level = labeller.view(row["level"]).name if row.get("level") is not None else unstated
        if level not in levels:
            levels.append(level)
        links[(source, target, level)] += n
        nodes[source]["value"] += n
        nodes[target]["value"] += n
    levels.sort(key=lambda name: name == unstated)
    colours = {level: LEVEL_COLOURS[i % len(LEVEL_COLOURS)] if level != unstated
               else UNSTATED_COLOUR for i, level in enumerate(levels)}
    recipients = sum(1 for n in nodes.values() if n["depth"] == 1)
    return {
        "nodes": sorted(nodes.values(), key=lambda n: (n["depth"], -n["value"], n["name"])),
        "links": [{"source": s, "target": t, "value": n, "level": level,
                   "lineStyle": {"color": colours[level]}}
                  for (s, t, level), n in links.items()],
        "levels": [{"name": level, "colour": colours[level]} for level in levels],
        "height": max(320, 26 * recipients + 40),
        "columns": [translate("issuer"), translate("recipient")],
    }
