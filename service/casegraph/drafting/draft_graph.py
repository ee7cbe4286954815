"""Turn extracted candidates into a draft that is already the case, minus review.

The draft is written in the shape of a curated case (data/cases/*/case.trig):
the graph ``id:graph/case/<slug>``, the case document with its sections, named
passages ``case/<slug>/passage/pNN`` with exact offsets and ``cg:inSection``,
and every entity under the IRI it will keep.  Names are reconciled with the
graph (``linking``): a name matching an existing organisation, brand, award
title, place, person, role or outlet gets that IRI — restated with the labels
the graph already gives it — with ``cg:linkScore`` and the runner-up; below the
threshold a new IRI with a readable slug is proposed.

Labels come in both Chinese scripts (OpenCC); an English label is taken only
from the graph, never invented — a new entity carries ``cg:missingLabel "en"``
for the curator.  Every candidate is ``cg:isDraft true`` with a
``cg:draftConfidence``; accepting a draft is removing those two statements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG

from casegraph.config import CANONICAL_BASE_IRI, ONTOLOGY_NS
from casegraph.drafting.candidates import Candidate, Passage, to_simplified, to_traditional
from casegraph.drafting.extract import extract
from casegraph.drafting.linking import (
    LINK_THRESHOLD,
    Entity,
    LinkIndex,
    fold_name,
    practice_kind,
    readable_slug,
)
from casegraph.drafting.organisations import ORGANISATION_SUFFIXES, is_name
from casegraph.drafting.practice_kinds import practices_by_kind
from casegraph.drafting.scaffold import SLUG
from casegraph.drafting.sections import Section, section_at, split_sections
from casegraph.repair.text import repair_text

CG = Namespace(ONTOLOGY_NS)
ID = Namespace(CANONICAL_BASE_IRI)
SCHEMA = Namespace("https://schema.org/")

#: Candidate kind → (IRI folder of a new entity, kinds of existing entity it may link to).
ENTITY_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "organisation": ("org", ("organisation",)),
    "brand": ("brand", ("brand",)),
    "place": ("place", ("place",)),
    "person": ("person", ("person",)),
    "project": ("project", ("project",)),
}
_ORGANISATION_END = re.compile(
    "(?:" + "|".join(sorted(map(re.escape, ORGANISATION_SUFFIXES), key=len, reverse=True)) + ")$"
)
#: Confidence of an unlinked candidate: the precision its kind scored on the
#: tuned cases (casegraph draft-eval, README), rounded down.
PRIOR_CONFIDENCE = {
    "organisation": Decimal("0.6"),
    "brand": Decimal("0.7"),
    "award": Decimal("0.6"),
    "figure": Decimal("0.6"),
    "practice": Decimal("0.5"),
    "place": Decimal("0.5"),
    "person": Decimal("0.6"),
    "project": Decimal("0.4"),
}


#: The section holding what precedes the first heading (editor lines, metadata).
HEADER_LABEL = "页首"


@dataclass
class Draft:
    """A drafted case: the dataset, the candidates, the repaired text and the links made."""

    dataset: Dataset
    candidates: list[Candidate]
    text: str
    links: dict[int, str] = field(default_factory=dict)  # id(candidate) → linked existing IRI
    kinds: dict[int, str] = field(default_factory=dict)  # id(practice) → practice-kind IRI
    #: id(candidate) → the node that states it (the entity, conferral, figure or practice):
    #: what a review of the draft accepts, rejects or re-links.
    nodes: dict[int, str] = field(default_factory=dict)


def warm_up() -> None:
    """Load what drafting loads once per process (jieba's and pypinyin's dictionaries,
    OpenCC's tables), so that timing a draft measures the draft."""
    from casegraph.drafting.people import warm_up as load_tagger

    load_tagger()
    readable_slug("济南")
    to_traditional("济南")


def draft_case(
    raw_text: str, slug: str, index: LinkIndex | None = None, source: str | None = None
) -> Draft:
    """Repair ``raw_text``, extract and link candidates, and build the case graph.

    ``index`` is what names are linked against (default: the bundled ``data/``);
    ``source`` is the document's address, kept as ``dcterms:source``.  The
    passages' offsets refer to ``Draft.text`` (save it as the case's source.txt).
    """
    if not SLUG.match(slug):
        raise ValueError(f"slug {slug!r}: use lower-case ASCII words joined by hyphens")
    index = index if index is not None else LinkIndex.from_data()
    text = repair_text(raw_text).text
    candidates = extract(text, index.names_of_kind("place"), index.names_of_kind("organisation"))
    by_kind = _practices_by_kind(text, index, candidates)
    candidates.extend(candidate for candidate, _ in by_kind)
    builder = _Builder(slug, text, index)
    builder.all_candidates = candidates
    builder.known_kinds = {id(candidate): kind for candidate, kind in by_kind}
    builder.case(source)
    for candidate in sorted(candidates, key=lambda c: (c.passage.start, c.passage.end)):
        builder.passage(candidate.passage)  # passages numbered in text order
    for candidate in candidates:
        builder.candidate(candidate)
    builder.relations()
    return Draft(builder.dataset, candidates, text, builder.links, builder.kinds, builder.nodes)


def case_sections(text: str) -> list[Section]:
    """The sections of a case text as the draft numbers them (``section/sNN``, from 1).

    Editor lines and metadata before the first heading form the header section curated
    cases have, so that every passage is in a section.
    """
    sections = split_sections(text)
    first = sections[0].start if sections else len(text)
    if text[:first].strip():
        sections.insert(0, Section(HEADER_LABEL, "other", 0, first))
    return sections


class _Builder:
    """Adds the nodes of one draft, keeping the passages and new IRIs unique."""

    def __init__(self, slug: str, text: str, index: LinkIndex) -> None:
        self.slug, self.text, self.index = slug, text, index
        self.dataset = Dataset()
        for prefix, namespace in (("cg", CG), ("schema", SCHEMA), ("org", ORG)):
            self.dataset.bind(prefix, namespace)
        self.graph: Graph = self.dataset.graph(ID[f"graph/case/{slug}"])
        self.case_node = ID[f"case/{slug}"]
        self.sections = case_sections(text)
        self.section_nodes: dict[int, URIRef] = {}
        self.passages: dict[tuple[int, int], URIRef] = {}
        self.minted: dict[tuple[str, str], URIRef] = {}  # (kind, folded name) → IRI
        self.counters: dict[str, int] = {}
        self.links: dict[int, str] = {}
        self.kinds: dict[int, str] = {}
        self.nodes: dict[int, str] = {}
        self.known_kinds: dict[int, str] = {}  # id(practice) → kind named in its clause
        self.all_candidates: list[Candidate] = []
        #: What the relations pass needs: organisations by position, and the nodes
        #: that name the case's organisation (figureOf, practisedBy, brandOwner …).
        self.organisations: list[tuple[Candidate, URIRef]] = []
        self.practice_nodes: list[tuple[int, URIRef]] = []
        self.pending: list[tuple[URIRef, URIRef, Candidate]] = []  # (node, property, candidate)

    def case(self, source: str | None) -> None:
        graph, case = self.graph, self.case_node
        graph.add((case, RDF.type, CG.CaseDocument))
        graph.add((case, CG.isDraft, Literal(True)))
        graph.add((case, CG.caseGraph, self.graph.identifier))
        graph.add((case, CG.sourceTextFile, Literal(f"data/cases/{self.slug}/source.txt")))
        header = note_header(self.text)
        title = header.get("title") or next(
            (line.strip() for line in self.text.splitlines() if line.strip()), "")
        if title:
            for literal in _labels(title[:80]):
                graph.add((case, DCTERMS.title, literal))
        source = source or header.get("source")
        if source:
            graph.add((case, DCTERMS.source, URIRef(source)))
        if header.get("source"):
            # A text that names its page in its header restates that page: a condensed note.
            graph.add((case, CG.isCondensedNote, Literal(True)))
        for order, section in enumerate(self.sections, start=1):
            node = ID[f"case/{self.slug}/section/s{order:02d}"]
            self.section_nodes[id(section)] = node
            graph.add((case, CG.hasSection, node))
            graph.add((node, RDF.type, CG.Section))
            graph.add((node, CG.isDraft, Literal(True)))
            for literal in _labels(section.heading):
                graph.add((node, RDFS.label, literal))
            if section.heading == HEADER_LABEL:
                graph.add((node, RDFS.label, Literal("Header", lang="en")))
            else:
                graph.add((node, CG.missingLabel, Literal("en")))
            graph.add((node, CG.order, Literal(order)))
            graph.add((node, CG.sectionKind, ID[f"section-kind/{section.kind}"]))

    def passage(self, passage: Passage) -> URIRef:
        span = (passage.start, passage.end)
        if span not in self.passages:
            node = ID[f"case/{self.slug}/passage/p{len(self.passages) + 1:02d}"]
            self.passages[span] = node
            graph = self.graph
            graph.add((node, RDF.type, CG.Passage))
            graph.add((node, CG.quote, _zh(passage.text)))
            graph.add((node, CG.charStart, Literal(passage.start)))
            graph.add((node, CG.charEnd, Literal(passage.end)))
            graph.add((node, DCTERMS.isPartOf, self.case_node))
            section: Section | None = section_at(self.sections, passage.start)
            if section is not None:
                graph.add((node, CG.inSection, self.section_nodes[id(section)]))
        return self.passages[span]

    def candidate(self, candidate: Candidate) -> None:
        passage = self.passage(candidate.passage)
        if candidate.kind in ENTITY_KINDS:
            node = self.entity(
                candidate.kind, candidate.label, candidate, passage, candidate.cg_class
            )
            self.nodes[id(candidate)] = str(node)
            if candidate.kind == "organisation":
                self.organisations.append((candidate, node))
            elif candidate.kind == "brand":
                self.pending.append((node, CG.brandOwner, candidate))
            elif candidate.kind == "person" and candidate.details.get("role"):
                self.membership(node, candidate, passage)
        elif candidate.kind == "award":
            self.award(candidate, passage)
        elif candidate.kind == "figure":
            self.figure(candidate, passage)
        elif candidate.kind == "practice":
            self.practice(candidate, passage)

    def entity(
        self, kind: str, name: str, candidate: Candidate | None, passage: URIRef, cls: str
    ) -> URIRef:
        """The linked or newly minted IRI of a name, stated in ``passage``."""
        folder, link_kinds = ENTITY_KINDS.get(kind, (kind, (kind,)))
        match = self.index.link(name, link_kinds)
        graph = self.graph
        if match and candidate is not None and self._unit_of_another(candidate, match.entity):
            match = None
        if match and match.score >= LINK_THRESHOLD:
            node = URIRef(match.entity.iri)
            if candidate is not None:
                self.links[id(candidate)] = match.entity.iri
            self._restate(node, match.entity, candidate)
            graph.add((node, CG.linkScore, Literal(Decimal(str(match.score)))))
            if match.runner_up is not None:
                graph.add((node, CG.linkRunnerUp, URIRef(match.runner_up.iri)))
                graph.add((node, CG.linkRunnerUpScore, Literal(Decimal(str(match.runner_up_score)))))
            graph.set((node, CG.draftConfidence, Literal(Decimal(str(match.score)))))
        else:
            node = self._mint(folder, name)
            graph.add((node, RDF.type, _class(cls)))
            for literal in _labels(name):
                graph.add((node, RDFS.label, literal))
            graph.add((node, CG.missingLabel, Literal("en")))
            graph.set((node, CG.draftConfidence, Literal(PRIOR_CONFIDENCE.get(kind, Decimal("0.5")))))
        graph.add((node, CG.isDraft, Literal(True)))
        graph.add((node, CG.statedIn, passage))
        return node

    def _unit_of_another(self, candidate: Candidate, entity: Entity) -> bool:
        """Whether ``candidate`` is the short form of a unit of an organisation other
        than ``entity``'s: 山东公司 in 国家能源集团山东公司 is not Huadian's 山东公司.

        The head (国家能源集团) is linked on its own: when the graph does not know
        it, or knows it but no case graph names both it and ``entity``, the two
        belong to different groups.  A head that is no complete name (西部 in
        西部热源分公司) says nothing.
        """
        if candidate.kind != "organisation":
            return False
        for other in self.all_candidates:
            if (
                other.kind != "organisation"
                or other.passage.start != candidate.passage.start
                or len(other.label) <= len(candidate.label)
                or not other.label.endswith(candidate.label)
            ):
                continue
            head_name = other.label[: -len(candidate.label)]
            if not (is_name(head_name) and _ORGANISATION_END.search(head_name)):
                continue
            head = self.index.link(head_name, ("organisation",))
            if head is None or head.score < LINK_THRESHOLD:
                return True
            if head.entity.iri != entity.iri and not head.entity.graphs & entity.graphs:
                return True
        return False

    def _restate(self, node: URIRef, entity: Entity, candidate: Candidate | None) -> None:
        """A linked entity keeps its types and the labels the graph already gives it."""
        for type_iri in entity.types:
            self.graph.add((node, RDF.type, URIRef(type_iri)))
        for tag, label in entity.labels.items():
            canonical = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}.get(tag, tag)
            self.graph.add((node, RDFS.label, Literal(label, lang=canonical)))
        if "en" not in entity.labels:
            self.graph.add((node, CG.missingLabel, Literal("en")))

    def _mint(self, folder: str, name: str) -> URIRef:
        key = (folder, str(fold_name(name)))
        if key not in self.minted:
            base = f"{folder}/{readable_slug(name)}"
            iri, suffix = ID[base], 2
            taken = set(self.index.entities) | {str(v) for v in self.minted.values()}
            while str(iri) in taken:
                iri, suffix = ID[f"{base}-{suffix}"], suffix + 1
            self.minted[key] = iri
        return self.minted[key]

    def _local(self, kind: str) -> URIRef:
        self.counters[kind] = self.counters.get(kind, 0) + 1
        return ID[f"case/{self.slug}/{kind}/{kind[0]}{self.counters[kind]:02d}"]

    def _draft(self, node: URIRef, kind: str, passage: URIRef, confidence: Decimal) -> None:
        self.graph.add((node, CG.isDraft, Literal(True)))
        self.graph.add((node, CG.draftConfidence, Literal(confidence)))
        self.graph.add((node, CG.statedIn, passage))

    def membership(self, person: URIRef, candidate: Candidate, passage: URIRef) -> None:
        role_name = candidate.details["role"]
        role_match = self.index.link(role_name, ("role",))
        if role_match and role_match.score >= LINK_THRESHOLD:
            role = URIRef(role_match.entity.iri)
            self._restate(role, role_match.entity, None)
        else:
            role = self._mint("role", role_name)
            self.graph.add((role, RDF.type, ORG.Role))
            for literal in _labels(role_name):
                self.graph.add((role, RDFS.label, literal))
            self.graph.add((role, CG.missingLabel, Literal("en")))
        node = self._local("membership")
        self.graph.add((node, RDF.type, ORG.Membership))
        self.graph.add((node, ORG.member, person))
        self.graph.add((node, ORG.role, role))
        self.pending.append((node, ORG.organization, candidate))
        self._draft(node, "person", passage, PRIOR_CONFIDENCE["person"])

    def award(self, candidate: Candidate, passage: URIRef) -> None:
        """A conferral of a linked or new award title, with issuer, year and rank when stated."""
        details = candidate.details
        conferral = self._local("award-conferral")
        self.nodes[id(candidate)] = str(conferral)
        self.graph.add((conferral, RDF.type, CG.AwardConferral))
        self._draft(conferral, "award", passage, PRIOR_CONFIDENCE["award"])
        title = self.entity("award", candidate.label, candidate, passage, "Award")
        self.graph.add((conferral, CG.award, title))
        if "year" in details:
            self.graph.add((conferral, CG.year, Literal(details["year"], datatype=XSD.gYear)))
        if "yearEnd" in details:
            self.graph.add(
                (conferral, CG.yearEnd, Literal(details["yearEnd"], datatype=XSD.gYear))
            )
        if "rank" in details:
            self.graph.add((conferral, CG.rank, ID[f"award-rank/{details['rank']}"]))
        if "issuer" in details:
            issuer = self.entity("organisation", details["issuer"], None, passage, "PublicBody")
            self.graph.add((conferral, CG.issuer, issuer))
        if "competition" in details:
            event = self._local("event")
            self.graph.add((event, RDF.type, CG.Event))
            for literal in _labels(details["competition"]):
                self.graph.add((event, RDFS.label, literal))
            self.graph.add((event, CG.missingLabel, Literal("en")))
            self._draft(event, "award", passage, PRIOR_CONFIDENCE["award"])
            self.graph.add((conferral, CG.competition, event))
        level = award_level(details.get("issuer", "") + candidate.label)
        if level:
            self.graph.add((conferral, CG.level, ID[f"award-level/{level}"]))
        if "recipient" in details:
            recipient = self.entity(
                "organisation", details["recipient"], None, passage, "Company"
            )
            self.graph.add((conferral, CG.recipient, recipient))
        else:
            self.pending.append((conferral, CG.recipient, candidate))

    def figure(self, candidate: Candidate, passage: URIRef) -> None:
        node = self._local("figure")
        self.nodes[id(candidate)] = str(node)
        self.graph.add((node, RDF.type, CG[candidate.cg_class]))
        for literal in _labels(candidate.label):
            self.graph.add((node, RDFS.label, literal))
        self.graph.add((node, CG.missingLabel, Literal("en")))
        self._draft(node, "figure", passage, PRIOR_CONFIDENCE["figure"])
        details = candidate.details
        metric = self._metric(candidate)
        if metric is not None:
            self.graph.add((node, CG.metric, URIRef(metric)))
        if "before" in details:
            self.pending.append((node, CG.effectOf, candidate))
            for side in ("before", "after"):
                value = URIRef(f"{node}/{side}")
                self.graph.add((node, CG[side], value))
                self.graph.add((value, RDF.type, SCHEMA.QuantitativeValue))
                self.graph.add((value, SCHEMA.value, Literal(Decimal(details[side]))))
                self.graph.add((value, SCHEMA.unitCode, Literal(details[f"{side}_unit"])))
            return
        self.pending.append((node, CG.figureOf, candidate))
        self.graph.add((node, SCHEMA.value, Literal(Decimal(details["value"]))))
        if details["unit"]:
            self.graph.add((node, SCHEMA.unitCode, Literal(details["unit"])))
        else:  # a compound unit (千克/万千瓦时) has no code: the shapes ask for unitText
            self.graph.add((node, SCHEMA.unitText, Literal(details["unit_text"])))
        if details.get("approximate"):
            self.graph.add((node, CG.approximate, Literal(True)))

    def practice(self, candidate: Candidate, passage: URIRef) -> None:
        node = self._local("practice")
        self.nodes[id(candidate)] = str(node)
        self.practice_nodes.append((candidate.passage.start, node))
        self.pending.append((node, CG.practisedBy, candidate))
        self.graph.add((node, RDF.type, CG.Practice))
        for literal in _labels(candidate.label):
            self.graph.add((node, RDFS.label, literal))
        self.graph.add((node, CG.missingLabel, Literal("en")))
        kind = practice_kind(self.index, candidate.label + candidate.passage.folded)
        if id(candidate) in self.known_kinds:
            kind = (self.index.entities[self.known_kinds[id(candidate)]], 1.0)
        confidence = PRIOR_CONFIDENCE["practice"]
        if kind is not None:
            self.kinds[id(candidate)] = kind[0].iri
            self.graph.add((node, CG.practiceKind, URIRef(kind[0].iri)))
            confidence = min(confidence, Decimal(str(kind[1])))
        self._draft(node, "practice", passage, confidence)

    def _metric(self, candidate: Candidate) -> str | None:
        """The metric named nearest before the number (党员841名 → 党员人数).

        A metric's labels are read without their counting tail (人数, 数量, 数),
        which the texts do not write: 党支部37个 is the metric 党支部数.
        """
        passage = candidate.passage.folded
        at = passage.find(to_simplified(candidate.label))
        window = passage[max(0, at - 12) : at] if at >= 0 else ""
        best: tuple[int, int, str] | None = None
        for entity in self.index.entities.values():
            if entity.kind != "metric":
                continue
            for tag, names in entity.names.items():
                for name in names if tag.startswith("zh") else ():
                    name = re.sub(r"(?:人数|数量|数)$", "", to_simplified(name))
                    end = window.rfind(name) + len(name)
                    if len(name) >= 2 and name in window:
                        rank = (end, len(name), entity.iri)
                        best = rank if best is None or rank > best else best
        return best[2] if best else None

    def relations(self) -> None:
        """Fill the links a case needs to be valid, each a draft for the curator to check.

        The case is about its main organisation: the longest organisation named
        in the title line, else the one named most often.  Figures, practices and
        brands are proposed as that organisation's; a membership's organisation is
        the nearest organisation before the person in the same passage; an effect
        is of the practice stated last before it.
        """
        if not self.organisations:
            return
        title = next((line for line in self.text.splitlines() if line.strip()), "")
        in_title = [pair for pair in self.organisations if pair[0].label in to_simplified(title)]
        main = (
            max(in_title, key=lambda pair: len(pair[0].label))
            if in_title
            else max(self.organisations, key=lambda pair: self.text.count(pair[0].label))
        )[1]
        self.graph.add((self.case_node, CG.aboutOrganisation, main))
        for node, prop, candidate in self.pending:
            if prop == CG.effectOf:
                before = [n for start, n in self.practice_nodes if start <= candidate.passage.start]
                if before or self.practice_nodes:
                    self.graph.add((node, prop, (before or [self.practice_nodes[0][1]])[-1]))
            elif prop == ORG.organization:
                same = [
                    n
                    for c, n in self.organisations
                    if c.passage.start == candidate.passage.start
                    and c.passage.folded.find(c.label) < c.passage.folded.find(candidate.label)
                ]
                self.graph.add((node, prop, same[-1] if same else main))
            else:
                self.graph.add((node, prop, main))


#: The level an issuer's or title's first words state, in the award-level scheme.
_LEVELS = (
    (re.compile(r"^(?:全国|中华全国|国家|中国|中央)"), "national"),
    (re.compile(r"^[\u3400-\u9fff]{2,3}省"), "provincial"),
    (re.compile(r"^[\u3400-\u9fff]{2,3}市"), "municipal"),
    (re.compile(r"^[\u3400-\u9fff]{2,3}[县区]"), "county"),
    (re.compile(r"集团"), "group"),
    (re.compile(r"社区"), "community"),
)


def award_level(text: str) -> str | None:
    """全国… national, …省 provincial, …市 municipal, …县/区 county, a group's or a
    community's own award."""
    simplified = to_simplified(text)
    return next((level for pattern, level in _LEVELS if pattern.search(simplified)), None)


def _practices_by_kind(
    text: str, index: LinkIndex, candidates: list[Candidate]
) -> list[tuple[Candidate, str]]:
    """Practices named by their kind (practice_kinds), unless a numbered practice
    already states that kind in an overlapping passage."""
    numbered = [
        (c.passage.start, c.passage.end, kind[0].iri)
        for c in candidates
        if c.kind == "practice"
        and (kind := practice_kind(index, c.label + c.passage.folded)) is not None
    ]
    return [
        (candidate, kind)
        for candidate, kind in practices_by_kind(text, index)
        if not any(
            k == kind and s < candidate.passage.end and candidate.passage.start < e
            for s, e, k in numbered
        )
    ]


def _class(name: str) -> URIRef:
    if name in {"Person", "Place"}:
        return SCHEMA[name]
    return CG[name]


#: A condensed note's header lines (``source: <address>``, ``title: <the page's title>``).
_HEADER_LINE = re.compile(r"^(source|title):\s*(\S.*?)\s*$")
_HEADER_LINES = 5


def note_header(text: str) -> dict[str, str]:
    """The ``source:`` and ``title:`` lines a condensed note opens with (its first lines);
    a source that is not an http(s) address is no page to record."""
    found: dict[str, str] = {}
    for line in text.splitlines()[:_HEADER_LINES]:
        match = _HEADER_LINE.match(line.strip())
        if match and match.group(1) not in found:
            found[match.group(1)] = match.group(2)
    if not re.fullmatch(r"https?://\S+", found.get("source", "")):
        found.pop("source", None)
    return found


def _labels(text: str) -> list[Literal]:
    """The zh-Hans and zh-Hant labels of a Chinese name (OpenCC both ways)."""
    simplified = to_simplified(text)
    traditional = to_traditional(simplified)
    return [Literal(simplified, lang="zh-Hans"), Literal(traditional, lang="zh-Hant")]


def _zh(text: str) -> Literal:
    """A quote tagged with its script: zh-Hant when folding changes it."""
    return Literal(text, lang="zh-Hans" if to_simplified(text) == text else "zh-Hant")
