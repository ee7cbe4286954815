"""A draft under review in the curation workspace: its state, its edits, its storage.

The workspace (``web/curate.py``) turns a document into a published case in the
browser.  The server is the source of truth: the browser sends *edit operations*
(accept, reject, relabel, retype, re-link, merge, set a field, add a fact from a
selected span), and this module applies them to the draft's case graph in Python.
A ``WorkDraft`` is the graph ``draft_case`` built plus the list of its candidates
(``Item``: kind, label, the node that states it, its passage's offsets and the
curator's decision), so a decision is always about a node of the graph and the SHACL
report of the graph can name the candidate each result concerns.

Drafts live in files (``DraftStore``), one JSON document per draft, written
atomically (a temporary file, fsync, rename, fsync of the directory): a draft
survives a restart, and a crash mid-write leaves the previous version, never half
of one.  They are never in the store, so no public page shows them until published.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, SKOS
from rdflib.term import Node

from casegraph.config import CANONICAL_BASE_IRI, ONTOLOGY_NS
from casegraph.drafting.candidates import to_simplified, to_traditional
from casegraph.drafting.draft_graph import Draft, case_sections
from casegraph.drafting.linking import Entity, LinkIndex, readable_slug
from casegraph.drafting.sections import section_at
from casegraph.errors import InvalidInput

CG = Namespace(ONTOLOGY_NS)
ID = Namespace(CANONICAL_BASE_IRI)
SCHEMA = Namespace("https://schema.org/")
#: The statements that mark a draft; a published case has none of them.
DRAFT_MARKERS = (CG.isDraft, CG.draftConfidence, CG.linkScore, CG.linkRunnerUp,
                 CG.linkRunnerUpScore)
#: Kinds of candidate, in the order the workspace lists them.
KINDS = ("organisation", "brand", "award", "figure", "practice", "innovation", "effect",
         "person", "membership", "place", "project", "relation")
#: Kinds whose node is an entity that may be re-linked, merged and retyped.
ENTITY_KINDS = ("organisation", "brand", "person", "place", "project")
#: What an entity of each kind may be typed as (prefixed names, shown in the type menu).
TYPES: dict[str, tuple[str, ...]] = {
    "organisation": ("cg:EnterpriseGroup", "cg:Company", "cg:BranchCompany", "cg:PartyCommittee",
                     "cg:PartyGeneralBranch", "cg:PartyBranch", "cg:PartyGroup", "cg:Workshop",
                     "cg:Team", "cg:PublicBody", "cg:Community", "cg:MediaOutlet"),
    "brand": ("cg:PartyBuildingBrand",),
    "person": ("schema:Person",),
    "place": ("schema:Place",),
    "project": ("cg:Project",),
}
#: Link kinds (``LinkIndex``) an entity of each kind is re-linked among.
LINK_KINDS = {"organisation": ("organisation",), "brand": ("brand",), "person": ("person",),
              "place": ("place",), "project": ("project",)}
#: IRI folder of a new entity of each kind.
FOLDERS = {"organisation": "org", "brand": "brand", "person": "person", "place": "place",
           "project": "project", "award": "award", "innovation": "innovation", "role": "role"}
#: Nodes a candidate's edit may address besides its own (``part``): a conferral's award
#: title, a membership's role.
PARTS = {("award", "award"): CG.award, ("membership", "role"): ORG.role}
#: Properties a ``set`` operation may give, per kind: property → what its value is
#: ("item": another candidate's node or an existing entity; a concept scheme; "year";
#: "date"; "decimal"; "unit"; "iri"; "boolean").  ``case`` is the case document and
#: ``section`` each of its sections.
SETTABLE: dict[str, dict[str, str]] = {
    "case": {"cg:aboutOrganisation": "item", "dcterms:source": "iri", "dcterms:issued": "date",
             "cg:isCondensedNote": "boolean"},
    "section": {"cg:sectionKind": "section-kind"},
    "award": {"cg:award": "award", "cg:recipient": "item", "cg:issuer": "item",
              "cg:level": "award-level", "cg:rank": "award-rank", "cg:year": "year"},
    "figure": {"cg:figureOf": "item", "cg:metric": "metric", "schema:value": "decimal",
               "schema:unitCode": "unit", "cg:approximate": "boolean"},
    "practice": {"cg:practisedBy": "item", "cg:practiceKind": "practice-kind"},
    "innovation": {"cg:developedBy": "item"},
    "effect": {"cg:effectOf": "item", "cg:metric": "metric"},
    "brand": {"cg:brandOwner": "item"},
    "organisation": {"org:subOrganizationOf": "item", "cg:partyOrganisationOf": "item",
                     "cg:locatedIn": "item", "schema:brand": "item"},
    "membership": {"org:member": "item", "org:organization": "item", "org:role": "role"},
    "project": {},
}
#: The properties that take several values (a conferral by two issuers, a practice of two
#: units, a case about two organisations): their fields send a list; ``set`` replaces all.
MULTIVALUED = {"cg:aboutOrganisation", "cg:recipient", "cg:issuer", "cg:practisedBy",
               "schema:brand", "cg:locatedIn"}
#: Relations between two entities a curator may add from a selected passage.
RELATIONS = ("org:subOrganizationOf", "cg:partyOrganisationOf", "cg:brandOwner", "cg:locatedIn",
             "cg:derivesFrom", "cg:involves", "cg:developedBy")
#: The UN/CEFACT unit codes the shapes allow (cgsh:AllowedUnitCodes), for the unit menus.
UNITS = ("C62", "P1", "CNY", "ANN", "MON", "WEE", "DAY", "HUR", "MIN", "SEC", "MTK", "MTR",
         "KMT", "TNE", "KGM", "KWH", "KWT", "MAW")
_PREFIXES = {"cg:": str(CG), "schema:": str(SCHEMA), "org:": str(ORG), "dcterms:": str(DCTERMS),
             "rdfs:": str(RDFS), "skos:": str(SKOS)}
_YEAR = re.compile(r"^(19|20)\d\d$")
_DATE = re.compile(r"^(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
_YEAR_MONTH = re.compile(r"^(19|20)\d\d-(0[1-9]|1[0-2])$")
#: A readable IRI slug: lowercase ASCII words joined by hyphens.
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SECTION = re.compile(r"^section:s(\d{2,3})$")
#: The value a form sends for "the text does not state it" (cg:notStatedInSource).
NOT_STATED = "not-stated"


class DraftEditError(InvalidInput):
    """An edit operation that cannot be applied: which one, and why (400)."""


def expand(name: str) -> URIRef:
    """``cg:Practice`` → the full IRI (only the prefixes the workspace uses)."""
    for prefix, namespace in _PREFIXES.items():
        if name.startswith(prefix):
            return URIRef(namespace + name[len(prefix):])
    raise DraftEditError(f"{name!r}: not a known prefixed name (cg:, schema:, org:, dcterms:)")


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class Item:
    """One candidate of the draft, or one fact the curator added.

    ``node`` states the candidate (the entity, conferral, figure, practice …);
    ``start``/``end`` are the code-point offsets of its passage in the draft's text.
    """

    id: str
    kind: str
    label: str
    node: str
    start: int
    end: int
    status: str = "proposed"  # proposed | accepted | rejected | merged
    origin: str = "draft"  # draft | curator
    into: str | None = None  # the item a merged candidate was merged into
    link_score: float | None = None
    runner_up: str | None = None
    #: The node is an entity the graph held before this draft (linked by the draft or
    #: re-linked by the curator), not one the draft minted.
    linked: bool = False

    @property
    def live(self) -> bool:
        return self.status in ("proposed", "accepted")


@dataclass
class WorkDraft:
    """A draft in the workspace: the case graph, its text and its candidates."""

    slug: str
    text: str
    graph: Graph
    items: list[Item]
    source: str | None = None
    created: str = field(default_factory=now)
    updated: str = field(default_factory=now)
    state: str = "draft"  # draft | published
    published_at: str | None = None
    violations: int | None = None  # of the last validation; None: not validated yet
    history: list[dict] = field(default_factory=list)

    # --- building and storing ---------------------------------------------------

    @classmethod
    def from_draft(cls, draft: Draft, slug: str, source: str | None = None) -> WorkDraft:
        """The workspace's view of a fresh ``draft_case`` result."""
        iri = ID[f"graph/case/{slug}"]
        graph = Graph(identifier=iri)
        for triple in draft.dataset.graph(iri):
            graph.add(triple)
        items = []
        for number, candidate in enumerate(
            sorted(draft.candidates, key=lambda c: (KINDS.index(c.kind), c.passage.start)), 1
        ):
            node = draft.nodes.get(id(candidate))
            if node is None:
                continue
            score = graph.value(URIRef(node), CG.linkScore)
            runner = graph.value(URIRef(node), CG.linkRunnerUp)
            items.append(Item(
                f"c{number:03d}", candidate.kind, candidate.label, node,
                candidate.passage.start, candidate.passage.end,
                link_score=float(score) if score is not None else None,
                runner_up=str(runner) if runner is not None else None,
                linked=id(candidate) in draft.links and candidate.kind != "award",
            ))
        work = cls(slug, draft.text, graph, items, source=source)
        work._add_membership_items()
        return work

    def _add_membership_items(self) -> None:
        """The memberships the draft made (a person's post), as candidates of their own:
        their role can then be labelled and renamed, and each accepted or rejected."""
        for node in sorted(self.graph.subjects(RDF.type, ORG.Membership), key=str):
            passage = self.graph.value(node, CG.statedIn)
            start, end = (self.graph.value(passage, CG.charStart),
                          self.graph.value(passage, CG.charEnd)) if passage else (None, None)
            names = [self.labels(n).get("zh-Hans", str(n).rsplit("/", 1)[-1]) for n in
                     (self.graph.value(node, p) for p in (ORG.member, ORG.role, ORG.organization))
                     if n is not None]
            item = self._new_item("membership", " · ".join(names), node)
            item.start, item.end = int(start or 0), int(end or 0)
            self.items.append(item)

    def to_json(self) -> str:
        data = {
            "version": 1,
            "slug": self.slug,
            "source": self.source,
            "created": self.created,
            "updated": self.updated,
            "state": self.state,
            "published_at": self.published_at,
            "violations": self.violations,
            "text": self.text,
            "graph": self.graph.serialize(format="nt"),
            "items": [asdict(item) for item in self.items],
            "history": self.history,
        }
        return json.dumps(data, ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> WorkDraft:
        data = json.loads(text)
        graph = Graph(identifier=ID[f"graph/case/{data['slug']}"])
        graph.parse(data=data["graph"], format="nt")
        return cls(
            data["slug"], data["text"], graph, [Item(**item) for item in data["items"]],
            source=data.get("source"), created=data["created"], updated=data["updated"],
            state=data["state"], published_at=data.get("published_at"),
            violations=data.get("violations"), history=data.get("history", []),
        )

    # --- reading ----------------------------------------------------------------

    @property
    def graph_iri(self) -> URIRef:
        return ID[f"graph/case/{self.slug}"]

    @property
    def case_node(self) -> URIRef:
        return ID[f"case/{self.slug}"]

    @property
    def title(self) -> str:
        for title in self.graph.objects(self.case_node, DCTERMS.title):
            if isinstance(title, Literal) and title.language == "zh-Hans":
                return str(title)
        return self.slug

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise DraftEditError(f"item {item_id!r}: no such candidate in draft {self.slug!r}")

    def undecided(self) -> list[Item]:
        return [item for item in self.items if item.status == "proposed"]

    def display_state(self) -> str:
        """draft, violations (the last check found some) or published."""
        if self.state == "published":
            return "published"
        return "violations" if self.violations else "draft"

    def owned(self, item: Item) -> list[URIRef]:
        """The nodes a candidate stands for: its node and what exists only through it
        (a conferral's award title and competition, a figure's before/after values, a
        person's memberships)."""
        node = URIRef(item.node)
        nodes = [node]
        if item.kind == "award":
            nodes += [o for p in (CG.award, CG.competition) for o in self.graph.objects(node, p)
                      if isinstance(o, URIRef)]
        elif item.kind in ("figure", "effect"):
            nodes += [o for p in (CG.before, CG.after) for o in self.graph.objects(node, p)
                      if isinstance(o, URIRef)]
        elif item.kind == "person":
            nodes += [m for m in self.graph.subjects(ORG.member, node) if isinstance(m, URIRef)
                      and not any(other.node == str(m) for other in self.items if other.live)]
        return nodes

    def items_of(self, node: Node | None) -> list[Item]:
        """The live candidates a node belongs to (for linking a report's result)."""
        if node is None:
            return []
        found = [item for item in self.items if item.live and node in self.owned(item)]
        if not found and (node, RDF.type, CG.Passage) in self.graph:
            start, end = self.graph.value(node, CG.charStart), self.graph.value(node, CG.charEnd)
            found = [item for item in self.items if item.live and start is not None
                     and (item.start, item.end) == (int(start), int(end))]
        return found

    def labels(self, node: URIRef, prop: URIRef = RDFS.label) -> dict[str, str]:
        found: dict[str, str] = {}
        for label in self.graph.objects(node, prop):
            if isinstance(label, Literal) and label.language:
                found.setdefault(label.language, str(label))
        return found

    def publish_graph(self) -> Graph:
        """The case graph as it is published: no draft markers, the text attached by the
        caller (``shacl.provenance.attach_source_text``)."""
        graph = Graph(identifier=self.graph_iri)
        cited = set(self.graph.objects(None, CG.statedIn))
        uncited = {p for p in self.graph.subjects(RDF.type, CG.Passage) if p not in cited}
        for s, p, o in self.graph:
            if p in DRAFT_MARKERS or s in uncited:  # a rejected candidate's passage states nothing
                continue
            if p == CG.missingLabel and self._decided(s):
                continue
            graph.add((s, p, o))
        return graph

    def _decided(self, node: Node) -> bool:
        """A missing English label stays flagged only while the node's candidate is open."""
        return not any(item.status == "proposed" for item in self.items_of(node))

    # --- editing ----------------------------------------------------------------

    def apply(self, op: dict, index: LinkIndex) -> str | None:
        """Apply one edit operation; return the id of the item it concerns.

        Raises ``DraftEditError`` (nothing changed) when the operation is not valid.
        """
        if self.state == "published":
            raise DraftEditError(f"draft {self.slug!r} is published; it can no longer be edited")
        name = op.get("op")
        handler = getattr(self, f"_op_{str(name).replace('-', '_')}", None)
        if name not in OPERATIONS or handler is None:
            raise DraftEditError(f"op {name!r}: use one of {', '.join(OPERATIONS)}")
        changed = handler(op, index)
        self.updated = now()
        self.history.append({"at": self.updated, **{k: v for k, v in op.items() if k != "csrf_token"}})
        return changed

    def _op_accept(self, op: dict, index: LinkIndex) -> str:
        item = self._live(op)
        item.status = "accepted"
        for node in self.owned(item):
            for marker in DRAFT_MARKERS:
                self.graph.remove((node, marker, None))
        return item.id

    def _op_accept_all(self, op: dict, index: LinkIndex) -> None:
        for item in self.undecided():
            self._op_accept({"item": item.id}, index)

    def _op_reject(self, op: dict, index: LinkIndex) -> str:
        item = self._live(op)
        item.status = "rejected"
        self._drop(item)
        return item.id

    def _drop(self, item: Item) -> None:
        """Remove what only this candidate states; a node another candidate shares keeps
        its statements and loses this candidate's passage."""
        passage = self._passage_node(item.start, item.end)
        dropped: set[URIRef] = set()
        for node in self.owned(item):
            if any(other.live and node in self.owned(other) for other in self.items
                   if other is not item):
                if passage is not None and not self._passage_shared(passage, node, item):
                    self.graph.remove((node, CG.statedIn, passage))
                continue
            self.graph.remove((node, None, None))
            self.graph.remove((None, None, node))
            dropped.add(node)
        if item.kind == "relation":
            subject, prop, obj = json.loads(item.node.removeprefix("relation:"))
            self.graph.remove((URIRef(subject), URIRef(prop), URIRef(obj)))
        self._prune(dropped)

    def _prune(self, dropped: set[URIRef]) -> None:
        """After a candidate is dropped: a membership of the person or organisation dropped
        goes too (its candidate rejected), and so does a role no membership holds any more."""
        for item in self.items:
            if item.kind != "membership" or not item.live:
                continue
            node = URIRef(item.node)
            ends = [self.graph.value(node, p) for p in (ORG.member, ORG.organization)]
            if any(end is None for end in ends) or dropped & {node}:
                item.status = "rejected"
                self.graph.remove((node, None, None))
        for cls, prop in ((ORG.Role, ORG.role), (CG.Award, CG.award)):
            for node in list(self.graph.subjects(RDF.type, cls)):
                if (None, prop, node) not in self.graph:
                    self.graph.remove((node, None, None))

    def _passage_shared(self, passage: URIRef, node: URIRef, item: Item) -> bool:
        return any(other.live and other is not item and node in self.owned(other)
                   and (other.start, other.end) == (item.start, item.end) for other in self.items)

    def _op_labels(self, op: dict, index: LinkIndex) -> str:
        """Labels in the three scripts of a candidate, of a part of one (``part``: a
        conferral's award title, a membership's role), of a section, or the case's title."""
        node, prop, item_id, item = self._labelled(op, index)
        simplified = str(op.get("zh-Hans", "")).strip()
        traditional = str(op.get("zh-Hant", "")).strip()
        english = str(op.get("en", "")).strip()
        if not simplified:
            raise DraftEditError(f"item {item_id}: the zh-Hans label may not be empty")
        if not traditional or traditional == to_traditional(self.labels(node, prop).get("zh-Hans", "")):
            # Unchanged or empty: the traditional form follows the simplified one.
            traditional = to_traditional(to_simplified(simplified))
        self.graph.remove((node, prop, None))
        self.graph.add((node, prop, Literal(simplified, lang="zh-Hans")))
        self.graph.add((node, prop, Literal(traditional, lang="zh-Hant")))
        if english:
            self.graph.add((node, prop, Literal(english, lang="en")))
            self.graph.remove((node, CG.missingLabel, Literal("en")))
        elif prop == RDFS.label and (node, CG.missingLabel, Literal("en")) not in self.graph:
            self.graph.add((node, CG.missingLabel, Literal("en")))
        if item is not None:
            item.label = simplified
        return item_id

    def _labelled(self, op: dict, index: LinkIndex) -> tuple[URIRef, URIRef, str, Item | None]:
        """The node a ``labels`` operation names, the property its labels are in, the id
        to answer with and the candidate whose display label follows (None for a part)."""
        target = str(op.get("item", ""))
        if target == "case":
            return self.case_node, DCTERMS.title, target, None
        if target.startswith("section:"):
            return self._section(target), RDFS.label, target, None
        item = self._live(op)
        if op.get("part"):
            return self._part(item, op, index), RDFS.label, item.id, None
        if item.kind == "relation":
            raise DraftEditError(f"item {item.id}: a relation has no labels of its own")
        return URIRef(item.node), RDFS.label, item.id, item

    def _section(self, target: str) -> URIRef:
        found = _SECTION.match(target)
        node = ID[f"case/{self.slug}/section/s{found.group(1)}"] if found else None
        if node is None or (node, RDF.type, CG.Section) not in self.graph:
            raise DraftEditError(f"item {target!r}: no such section (section:s01 … "
                                 f"section:s{len(self.sections()):02d})")
        return node

    def sections(self) -> list[URIRef]:
        """The case's sections in their order."""
        return sorted((s for s in self.graph.objects(self.case_node, CG.hasSection)
                       if isinstance(s, URIRef)),
                      key=lambda s: int(self.graph.value(s, CG.order) or 0))

    def _part(self, item: Item, op: dict, index: LinkIndex) -> URIRef:
        """A node the candidate introduces (its award title, its role), when this draft
        minted it: an existing entity's labels and IRI belong to the graph, not this case."""
        part = str(op.get("part", ""))
        prop = PARTS.get((item.kind, part))
        if prop is None:
            parts = [p for k, p in PARTS if k == item.kind]
            raise DraftEditError(f"item {item.id}: part {part!r}: a {item.kind} has "
                                 f"{', '.join(parts) or 'no parts'}")
        node = self.graph.value(URIRef(item.node), prop)
        if not isinstance(node, URIRef):
            raise DraftEditError(f"item {item.id}: it has no {part} yet")
        self._own(node, index, item.id)
        return node

    def _own(self, node: URIRef, index: LinkIndex, item_id: str) -> None:
        if str(node) in index.entities:
            raise DraftEditError(f"item {item_id}: {node} is an entity of the graph; its IRI and "
                                 "labels are the graph's (re-link to another entity instead)")

    def _op_type(self, op: dict, index: LinkIndex) -> str:
        item = self._live(op)
        allowed = TYPES.get(item.kind, ())
        chosen = str(op.get("class", ""))
        if chosen not in allowed:
            raise DraftEditError(f"item {item.id}: class {chosen!r} is not one of {', '.join(allowed)}"
                                 if allowed else f"item {item.id}: a {item.kind} keeps its class")
        node = URIRef(item.node)
        self.graph.remove((node, RDF.type, None))
        self.graph.add((node, RDF.type, expand(chosen)))
        return item.id

    def _op_relink(self, op: dict, index: LinkIndex) -> str:
        """Point the candidate at an existing entity: its IRI, types and labels."""
        item = self._live(op)
        if item.kind not in ENTITY_KINDS:
            raise DraftEditError(f"item {item.id}: a {item.kind} is not an entity to re-link")
        target = str(op.get("iri", "")).strip()
        entity = index.entities.get(target)
        if entity is None:
            raise DraftEditError(f"iri {target!r}: no such entity in the graph (choose a suggestion)")
        old, new = URIRef(item.node), URIRef(target)
        if old == new:
            return item.id
        shared = any(other.live and other is not item and old in self.owned(other)
                     for other in self.items)
        passage = self._passage_node(item.start, item.end)
        if shared:
            if passage is not None:
                self.graph.remove((old, CG.statedIn, passage))
        else:
            for p in (RDF.type, RDFS.label, SKOS.altLabel, CG.missingLabel, *DRAFT_MARKERS):
                self.graph.remove((old, p, None))
            self._rename(old, new)
        self._restate(new, entity)
        if passage is not None:
            self.graph.add((new, CG.statedIn, passage))
        item.node, item.link_score, item.runner_up = target, None, None
        item.label, item.linked = entity.label, True
        return item.id

    def _op_merge(self, op: dict, index: LinkIndex) -> str:
        """Merge a candidate into another of the same kind: one node, both passages; the
        merged one's names become altLabels of the node kept."""
        item = self._live(op)
        into = self.item(str(op.get("into", "")))
        if into is item or not into.live:
            raise DraftEditError(f"item {item.id}: merge into another open candidate")
        if item.kind not in ENTITY_KINDS or into.kind not in ENTITY_KINDS:
            raise DraftEditError(f"item {item.id}: only entities (organisations, brands, people, "
                                 "places, projects) are merged")
        old, new = URIRef(item.node), URIRef(into.node)
        kept = set(self.labels(new).values())
        for label in list(self.graph.objects(old, RDFS.label)):
            if str(label) not in kept:
                self.graph.add((new, SKOS.altLabel, label))
        for p in (RDF.type, RDFS.label, CG.missingLabel, *DRAFT_MARKERS):
            self.graph.remove((old, p, None))
        self._rename(old, new)
        item.status, item.into, item.node, item.linked = "merged", into.id, into.node, into.linked
        return into.id

    def _op_set(self, op: dict, index: LinkIndex) -> str:
        """Give one property of a candidate (or of the case) its value."""
        kind, node, item_id = self._target(op)
        self._give(kind, node, str(op.get("property", "")), op.get("value"), index)
        return item_id

    def _op_fields(self, op: dict, index: LinkIndex) -> str:
        """Give several properties at once (``set:<property>`` keys): one form per
        candidate, so that changing two fields and saving keeps both."""
        kind, node, item_id = self._target(op)
        fields = {k[4:]: v for k, v in op.items() if k.startswith("set:")}
        if not fields:
            raise DraftEditError(f"item {item_id}: no field to set (set:<property> keys)")
        for prop_name, raw in fields.items():
            self._give(kind, node, prop_name, raw, index)
        return item_id

    def _target(self, op: dict) -> tuple[str, URIRef, str]:
        item_id = str(op.get("item", ""))
        if item_id == "case":
            return "case", self.case_node, item_id
        if item_id.startswith("section:"):
            return "section", self._section(item_id), item_id
        item = self._live(op)
        return item.kind, URIRef(item.node), item_id

    def _give(self, kind: str, node: URIRef, prop_name: str, raw: object, index: LinkIndex) -> None:
        """Replace a property's values; a multi-valued one (``MULTIVALUED``) takes a list."""
        allowed = SETTABLE.get(kind, {})
        if prop_name not in allowed:
            raise DraftEditError(f"property {prop_name!r}: a {kind} may set "
                                 f"{', '.join(allowed) or 'nothing'}")
        raws = list(raw) if isinstance(raw, list | tuple) else [raw]
        values = [self._value(allowed[prop_name], one, index, prop_name) for one in raws]
        present = list(dict.fromkeys(v for v in values if v is not None))
        if len(present) > 1 and prop_name not in MULTIVALUED:
            raise DraftEditError(f"{prop_name}: a {kind} has one value, not {len(present)}")
        prop = expand(prop_name)
        self.graph.remove((node, prop, None))
        self.graph.remove((node, CG.notStatedInSource, prop))
        for value in present:
            self.graph.add((node, prop, value))
            self._cite(value, node)
        self._prune(set())  # a replaced award title or role nothing points at any more
        if not present and any(str(one or "").strip() == NOT_STATED for one in raws):
            if kind != "award" or prop_name not in ("cg:issuer", "cg:recipient", "cg:level"):
                raise DraftEditError(f"{prop_name}: only a conferral's issuer, recipient and "
                                     "level may be recorded as not stated in the text")
            self.graph.add((node, CG.notStatedInSource, prop))

    def _cite(self, value: Node, node: URIRef) -> None:
        """An entity the case now points at is traced to a passage of this case, as every
        node is: the passages of the fact pointing at it, or else one that names it."""
        if not isinstance(value, URIRef) or (value, CG.statedIn, None) in self.graph \
                or (value, RDF.type, None) not in self.graph \
                or str(value).startswith(f"{self.case_node}/"):
            return
        passages = list(self.graph.objects(node, CG.statedIn))
        if not passages:
            names = {str(label) for label in self.graph.objects(value, RDFS.label)}
            passages = [p for p in self.graph.subjects(RDF.type, CG.Passage)
                        if any(n in str(self.graph.value(p, CG.quote)) for n in names)][:1]
        for passage in passages:
            self.graph.add((value, CG.statedIn, passage))

    def _value(self, what: str, raw: object, index: LinkIndex, name: str) -> Node | None:
        text = str(raw if raw is not None else "").strip()
        if not text or text == NOT_STATED:
            return None
        if what == "item":
            return self._entity_ref(text, index, name)
        if what == "year":
            if not _YEAR.match(text):
                raise DraftEditError(f"{name}: {text!r} is not a year (four digits, 1900–2099)")
            return Literal(text, datatype=XSD.gYear)
        if what == "date":  # a page may show only the month or the year
            for pattern, datatype in ((_DATE, XSD.date), (_YEAR_MONTH, XSD.gYearMonth),
                                      (_YEAR, XSD.gYear)):
                if pattern.match(text):
                    return Literal(text, datatype=datatype)
            raise DraftEditError(f"{name}: {text!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
        if what == "boolean":
            if text not in ("true", "false"):
                raise DraftEditError(f"{name}: {text!r} is not true or false")
            return Literal(True) if text == "true" else None
        if what == "decimal":
            return Literal(_decimal(text, name))
        if what == "unit":
            if text not in UNITS:
                raise DraftEditError(f"{name}: unit {text!r} is not one of {', '.join(UNITS)}")
            return Literal(text)
        if what == "iri":
            if not re.match(r"^https?://\S+$", text):
                raise DraftEditError(f"{name}: {text!r} is not an http(s) address")
            return URIRef(text)
        if what in ("award", "role") and (URIRef(text), RDF.type, None) in self.graph:
            return URIRef(text)  # this case's own (new) award title or role
        entity = index.entities.get(text)
        if entity is None or entity.kind != what:
            raise DraftEditError(f"{name}: {text!r} is not a concept of the {what} scheme"
                                 if what not in ("award", "role") else
                                 f"{name}: {text!r} is no {what} of the graph or of this case")
        if what in ("award", "role"):  # an entity: the case restates it
            self._restate(URIRef(text), entity)
        return URIRef(text)

    def _entity_ref(self, text: str, index: LinkIndex, name: str) -> URIRef:
        """``item:c012`` (a candidate's node) or the IRI of an entity of the graph or draft."""
        if text.startswith("item:"):
            other = self.item(text[5:])
            if not other.live:
                raise DraftEditError(f"{name}: candidate {other.id} was {other.status}")
            return URIRef(other.node)
        if (URIRef(text), None, None) in self.graph:
            return URIRef(text)
        if text in index.entities:
            # The case restates what it points at (types, labels), as every case does, so
            # its graph validates on its own.
            self._restate(URIRef(text), index.entities[text])
            return URIRef(text)
        raise DraftEditError(f"{name}: {text!r} is neither a candidate nor an entity of the graph")

    def _op_rename(self, op: dict, index: LinkIndex) -> str:
        """Give an IRI this draft minted a readable slug (``org/<slug>``, ``award/<slug>`` …);
        an entity the graph already holds keeps its IRI."""
        item = self._live(op)
        if op.get("part"):
            kind, node = str(op["part"]), self._part(item, op, index)
        elif item.kind in (*ENTITY_KINDS, "innovation"):
            kind, node = item.kind, URIRef(item.node)
            self._own(node, index, item.id)
        else:
            raise DraftEditError(f"item {item.id}: a {item.kind} keeps its case-local IRI "
                                 f"({item.node})")
        slug = str(op.get("slug", "")).strip()
        if not _SLUG.match(slug):
            raise DraftEditError(f"slug {slug!r}: use lowercase ASCII words joined by hyphens "
                                 "(e.g. jinan-heating-group)")
        new = ID[f"{FOLDERS[kind]}/{slug}"]
        if new == node:
            return item.id
        if str(new) in index.entities or (new, None, None) in self.graph \
                or (None, None, new) in self.graph:
            raise DraftEditError(f"slug {slug!r}: {new} already names an entity (choose another, "
                                 "or re-link to it)")
        self._rename(node, new)
        for other in self.items:
            if other.node == str(node):
                other.node = str(new)
        return item.id

    # --- adding facts from a selection -----------------------------------------

    def _op_add(self, op: dict, index: LinkIndex) -> str:
        """A fact the draft missed, stated by the selected span ``start``–``end``."""
        try:
            start, end = int(op.get("start", -1)), int(op.get("end", -1))
        except (TypeError, ValueError) as error:
            raise DraftEditError("start/end: the selection's offsets must be integers") from error
        if not 0 <= start < end <= len(self.text):
            raise DraftEditError(f"start/end: {start}–{end} is not a span of the text "
                                 f"(0–{len(self.text)}); select the passage in the text")
        quote = self.text[start:end]
        if "quote" in op and op["quote"] != quote:
            raise DraftEditError(f"quote: the text at {start}–{end} is {quote!r}, not "
                                 f"{op['quote']!r} (the selection's offsets are off)")
        kind = str(op.get("fact", ""))
        builder = getattr(self, f"_add_{kind}", None)
        if kind not in FACTS or builder is None:
            raise DraftEditError(f"fact {kind!r}: use one of {', '.join(FACTS)}")
        passage = self._passage(start, end)
        before = len(self.items)
        item = builder(op, index, passage, quote)
        self.items.append(item)
        for added in self.items[before:]:  # the fact, and an innovation added with an effect
            added.start, added.end, added.origin, added.status = start, end, "curator", "accepted"
        return item.id

    def _add_organisation(self, op, index, passage, quote) -> Item:
        label = str(op.get("label") or quote).strip()
        chosen = str(op.get("class") or "cg:Company")
        if chosen not in TYPES["organisation"]:
            raise DraftEditError(f"class {chosen!r}: not one of {', '.join(TYPES['organisation'])}")
        node = self._new_entity("organisation", label, expand(chosen), passage, op, index)
        return self._new_item("organisation", label, node)

    def _add_project(self, op, index, passage, quote) -> Item:
        return self._add_named("project", CG.Project, op, index, passage, quote)

    def _add_place(self, op, index, passage, quote) -> Item:
        return self._add_named("place", SCHEMA.Place, op, index, passage, quote)

    def _add_brand(self, op, index, passage, quote) -> Item:
        item = self._add_named("brand", CG.PartyBuildingBrand, op, index, passage, quote)
        owner = self._value("item", op.get("owner"), index, "owner")
        if owner is not None:
            self.graph.add((URIRef(item.node), CG.brandOwner, owner))
            self._cite(owner, URIRef(item.node))
        return item

    def _add_named(self, kind, cls, op, index, passage, quote) -> Item:
        """A new entity named by the selection (or by ``label``), with its English name."""
        label = str(op.get("label") or quote).strip()
        node = self._new_entity(kind, label, cls, passage, op, index)
        return self._new_item(kind, label, node)

    def _add_figure(self, op, index, passage, quote) -> Item:
        node = self._local("figure")
        self.graph.add((node, RDF.type, CG.Figure))
        self._label(node, str(op.get("label") or quote), op)
        self.graph.add((node, CG.statedIn, passage))
        self.graph.add((node, SCHEMA.value, Literal(_decimal(op.get("value"), "value"))))
        self.graph.add((node, SCHEMA.unitCode, self._value("unit", op.get("unit"), index, "unit")))
        for prop, what, name in ((CG.metric, "metric", "metric"), (CG.figureOf, "item", "of")):
            value = self._value(what, op.get(name), index, name)
            if value is not None:
                self.graph.add((node, prop, value))
        return self._new_item("figure", str(op.get("label") or quote), node)

    def _add_award(self, op, index, passage, quote) -> Item:
        conferral = self._local("award-conferral")
        self.graph.add((conferral, RDF.type, CG.AwardConferral))
        self.graph.add((conferral, CG.statedIn, passage))
        title = str(op.get("award") or "").strip()
        if title in index.entities and index.entities[title].kind == "award":
            award = URIRef(title)
            self._restate(award, index.entities[title])
        elif title:
            match = index.link(title, ("award",))
            if match and match.score >= 0.8:
                award = URIRef(match.entity.iri)
                self._restate(award, match.entity)
            else:
                award = self._mint("award", title, index)
                self.graph.add((award, RDF.type, CG.Award))
                self._label(award, title, {})
        else:
            raise DraftEditError("award: name the award title (or choose an existing one)")
        self.graph.add((award, CG.statedIn, passage))
        self.graph.add((conferral, CG.award, award))
        for name, prop, what in (("issuer", CG.issuer, "item"), ("recipient", CG.recipient, "item"),
                                 ("level", CG.level, "award-level"), ("rank", CG.rank, "award-rank"),
                                 ("year", CG.year, "year")):
            value = self._value(what, op.get(name), index, name)
            if value is not None:
                self.graph.add((conferral, prop, value))
            elif name in ("issuer", "recipient", "level") and op.get(name) == NOT_STATED:
                self.graph.add((conferral, CG.notStatedInSource, prop))
        return self._new_item("award", self.labels(award).get("zh-Hans", title), str(conferral))

    def _add_practice(self, op, index, passage, quote) -> Item:
        node = self._local("practice")
        label = str(op.get("label") or quote).strip()
        self.graph.add((node, RDF.type, CG.Practice))
        self._label(node, label, op)
        self.graph.add((node, CG.statedIn, passage))
        for name, prop, what in (("kind", CG.practiceKind, "practice-kind"),
                                 ("by", CG.practisedBy, "item")):
            value = self._value(what, op.get(name), index, name)
            if value is not None:
                self.graph.add((node, prop, value))
        return self._new_item("practice", label, node)

    def _add_effect(self, op, index, passage, quote) -> Item:
        """An innovation's (or practice's) effect as before → after, the innovation new
        (named by ``innovation``, developed by ``by``) or an existing candidate (``of``)."""
        of = str(op.get("of") or "").strip()
        if of:
            target = self._entity_ref(of, index, "of")
        else:
            name = str(op.get("innovation") or "").strip()
            if not name:
                raise DraftEditError("of/innovation: name the innovation, or choose the "
                                     "practice or innovation the effect is of")
            target = self._new_entity("innovation", name, CG.Innovation, passage, {}, index)
            developer = self._value("item", op.get("by"), index, "by")
            if developer is not None:
                self.graph.add((target, CG.developedBy, developer))
            self.items.append(self._new_item("innovation", name, target))
        node = self._local("effect")
        self.graph.add((node, RDF.type, CG.MeasuredEffect))
        self.graph.add((node, RDF.type, CG.Figure))
        label = str(op.get("label") or quote).strip()
        self._label(node, label, op)
        self.graph.add((node, CG.statedIn, passage))
        self.graph.add((node, CG.effectOf, target))
        if (target, RDF.type, CG.Innovation) in self.graph:
            self.graph.add((target, CG.hasEffect, node))
        metric = self._value("metric", op.get("metric"), index, "metric")
        if metric is not None:
            self.graph.add((node, CG.metric, metric))
        for side in ("before", "after"):
            value = URIRef(f"{node}/{side}")
            self.graph.add((node, CG[side], value))
            self.graph.add((value, RDF.type, SCHEMA.QuantitativeValue))
            self.graph.add((value, SCHEMA.value, Literal(_decimal(op.get(side), side))))
            self.graph.add((value, SCHEMA.unitCode,
                            self._value("unit", op.get(f"{side}_unit"), index, f"{side}_unit")))
        return self._new_item("effect", label, node)

    def _add_membership(self, op, index, passage, quote) -> Item:
        """A person's position in an organisation with a role (the person chosen, or named
        as a new one; the role linked by its name when the graph has it)."""
        chosen = str(op.get("member") or "").strip()
        if chosen:
            person = self._entity_ref(chosen, index, "member")
        else:
            name = str(op.get("person") or "").strip()
            if not name:
                raise DraftEditError("member/person: choose the person, or name a new one")
            person = self._new_entity("person", name, SCHEMA.Person, passage,
                                      {"label_en": op.get("person_en")}, index)
            self.items.append(self._new_item("person", name, person))
        organisation = self._entity_ref(str(op.get("organisation") or ""), index, "organisation")
        role = self._role(str(op.get("role") or "").strip(), op, index)
        node = self._local("membership")
        for prop, value in ((RDF.type, ORG.Membership), (ORG.member, person),
                            (ORG.organization, organisation), (ORG.role, role),
                            (CG.statedIn, passage)):
            self.graph.add((node, prop, value))
        names = [self.labels(n).get("zh-Hans") or _entity_label(index, n)
                 for n in (person, role, organisation)]
        return self._new_item("membership", " · ".join(names), node)

    def _role(self, name: str, op: dict, index: LinkIndex) -> URIRef:
        if not name:
            raise DraftEditError("role: name the role (e.g. 党支部书记) or choose an existing one")
        entity = index.entities.get(name)
        if entity is None or entity.kind != "role":
            match = index.link(name, ("role",))
            entity = match.entity if match and match.score >= 0.8 else None
        if entity is not None:
            role = URIRef(entity.iri)
            self._restate(role, entity)
            return role
        role = self._mint("role", name, index)
        self.graph.add((role, RDF.type, ORG.Role))
        self._label(role, name, {"label_en": op.get("role_en")})
        return role

    def _add_relation(self, op, index, passage, quote) -> Item:
        prop_name = str(op.get("property", ""))
        if prop_name not in RELATIONS:
            raise DraftEditError(f"property {prop_name!r}: use one of {', '.join(RELATIONS)}")
        subject = self._entity_ref(str(op.get("subject", "")), index, "subject")
        obj = self._entity_ref(str(op.get("object", "")), index, "object")
        if subject == obj:
            raise DraftEditError("subject/object: a relation needs two different entities")
        prop = expand(prop_name)
        self.graph.add((subject, prop, obj))
        if (subject, CG.statedIn, passage) not in self.graph:
            self.graph.add((subject, CG.statedIn, passage))
        node = "relation:" + json.dumps([str(subject), str(prop), str(obj)])
        names = [self.labels(n).get("zh-Hans") or _entity_label(index, n) for n in (subject, obj)]
        return self._new_item("relation", f"{names[0]} {prop_name} {names[1]}", node)

    # --- graph helpers ------------------------------------------------------------

    def _live(self, op: dict) -> Item:
        item = self.item(str(op.get("item", "")))
        if not item.live:
            raise DraftEditError(f"item {item.id}: the candidate was {item.status}")
        return item

    def _new_item(self, kind: str, label: str, node: URIRef | str) -> Item:
        number = 1 + max((int(i.id[1:]) for i in self.items if i.id[1:].isdigit()), default=0)
        return Item(f"c{number:03d}", kind, label, str(node), 0, 0)

    def _new_entity(self, kind: str, label: str, cls: URIRef, passage: URIRef, op: dict,
                    index: LinkIndex) -> URIRef:
        node = self._mint(kind, label, index)
        self.graph.add((node, RDF.type, cls))
        self._label(node, label, op)
        self.graph.add((node, CG.statedIn, passage))
        return node

    def _label(self, node: URIRef, label: str, op: dict) -> None:
        simplified = to_simplified(label.strip())
        self.graph.add((node, RDFS.label, Literal(simplified, lang="zh-Hans")))
        traditional = str(op.get("label_zh_hant") or "").strip() or to_traditional(simplified)
        self.graph.add((node, RDFS.label, Literal(traditional, lang="zh-Hant")))
        english = str(op.get("label_en") or "").strip()
        if english:
            self.graph.add((node, RDFS.label, Literal(english, lang="en")))
        else:
            self.graph.add((node, CG.missingLabel, Literal("en")))

    def _restate(self, node: URIRef, entity: Entity) -> None:
        """An existing entity keeps its types and the labels the graph gives it."""
        for type_iri in entity.types:
            self.graph.add((node, RDF.type, URIRef(type_iri)))
        self.graph.remove((node, RDFS.label, None))
        for tag, label in entity.labels.items():
            canonical = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}.get(tag, tag)
            self.graph.add((node, RDFS.label, Literal(label, lang=canonical)))
        self.graph.remove((node, CG.missingLabel, None))
        if "en" not in entity.labels:
            self.graph.add((node, CG.missingLabel, Literal("en")))

    def _rename(self, old: URIRef, new: URIRef) -> None:
        for s, p, o in list(self.graph.triples((old, None, None))):
            self.graph.remove((s, p, o))
            self.graph.add((new, p, o))
        for s, p, o in list(self.graph.triples((None, None, old))):
            self.graph.remove((s, p, o))
            self.graph.add((s, p, new))

    def _mint(self, kind: str, name: str, index: LinkIndex) -> URIRef:
        base = f"{FOLDERS[kind]}/{readable_slug(name)}"
        iri, suffix = ID[base], 2
        while str(iri) in index.entities or (iri, None, None) in self.graph:
            iri, suffix = ID[f"{base}-{suffix}"], suffix + 1
        return iri

    def _local(self, kind: str) -> URIRef:
        """A new node of the case (``case/<slug>/<kind>/<k>NN``), numbered after the draft's."""
        prefix = f"{self.case_node}/{kind}/{kind[0]}"
        taken = {int(str(s)[len(prefix):]) for s in self.graph.subjects()
                 if str(s).startswith(prefix) and str(s)[len(prefix):].isdigit()}
        return URIRef(f"{prefix}{1 + max(taken, default=0):02d}")

    def _passage_node(self, start: int, end: int) -> URIRef | None:
        for node in self.graph.subjects(RDF.type, CG.Passage):
            if (self.graph.value(node, CG.charStart), self.graph.value(node, CG.charEnd)) == (
                Literal(start), Literal(end)
            ):
                return node  # type: ignore[return-value]
        return None

    def _passage(self, start: int, end: int) -> URIRef:
        """The passage of a span: the draft's when it cited the same span, else a new one in
        the section holding ``start``."""
        found = self._passage_node(start, end)
        if found is not None:
            return found
        node = self._local("passage")
        quote = self.text[start:end]
        self.graph.add((node, RDF.type, CG.Passage))
        script = "zh-Hans" if to_simplified(quote) == quote else "zh-Hant"
        self.graph.add((node, CG.quote, Literal(quote, lang=script)))
        self.graph.add((node, CG.charStart, Literal(start)))
        self.graph.add((node, CG.charEnd, Literal(end)))
        self.graph.add((node, DCTERMS.isPartOf, self.case_node))
        sections = case_sections(self.text)
        section = section_at(sections, start)
        if section is not None:
            order = sections.index(section) + 1
            self.graph.add((node, CG.inSection, ID[f"case/{self.slug}/section/s{order:02d}"]))
        return node


OPERATIONS = ("accept", "accept-all", "reject", "labels", "type", "relink", "merge", "rename",
              "set", "fields", "add")
FACTS = ("organisation", "brand", "place", "project", "figure", "award", "practice", "effect",
         "membership", "relation")


def _decimal(raw: object, name: str) -> Decimal:
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation as error:
        raise DraftEditError(f"{name}: {raw!r} is not a number") from error
    if not value.is_finite():
        raise DraftEditError(f"{name}: {raw!r} is not a number")
    return value


def _entity_label(index: LinkIndex, node: URIRef) -> str:
    entity = index.entities.get(str(node))
    return entity.label if entity else str(node)


class DraftStore:
    """The drafts of one workspace: one JSON file per draft, written atomically."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.lock = threading.RLock()  # one edit at a time: load, apply, save

    def path(self, slug: str) -> Path:
        return self.directory / f"{slug}.json"

    def exists(self, slug: str) -> bool:
        return self.path(slug).is_file()

    def load(self, slug: str) -> WorkDraft:
        path = self.path(slug)
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug) or not path.is_file():
            raise FileNotFoundError(slug)
        return WorkDraft.from_json(path.read_text(encoding="utf-8"))

    def save(self, draft: WorkDraft) -> None:
        """Write the draft so that the file is the old version or the new one, never a mix:
        a temporary file in the same directory, fsync, rename over, fsync the directory."""
        self.directory.mkdir(parents=True, exist_ok=True)
        data = draft.to_json().encode("utf-8")
        descriptor, temporary = tempfile.mkstemp(prefix=f".{draft.slug}.", suffix=".tmp",
                                                 dir=self.directory)
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.path(draft.slug))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        directory = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def all(self) -> Iterator[WorkDraft]:
        """Every draft, most recently changed first (unreadable files are skipped)."""
        drafts = []
        for path in self.directory.glob("*.json") if self.directory.is_dir() else ():
            try:
                drafts.append(WorkDraft.from_json(path.read_text(encoding="utf-8")))
            except (OSError, ValueError, KeyError, TypeError):
                continue
        yield from sorted(drafts, key=lambda d: d.updated, reverse=True)


def concept_choices(index: LinkIndex, kind: str) -> list[Entity]:
    """The concepts of one scheme (practice-kind, metric, award-level, award-rank), by label."""
    return sorted((e for e in index.entities.values() if e.kind == kind), key=lambda e: e.label)


def entity_choices(draft: WorkDraft, kinds: Iterable[str] = ENTITY_KINDS) -> list[Item]:
    """The draft's live entity candidates, one per node, for the "which entity" menus."""
    seen: set[str] = set()
    found = []
    for item in draft.items:
        if item.live and item.kind in kinds and item.node not in seen:
            seen.add(item.node)
            found.append(item)
    return found
