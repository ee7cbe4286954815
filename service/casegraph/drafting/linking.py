"""Reconcile drafted names with the entities the graph already holds.

A new case mostly mentions what other cases mention: the same group, issuer,
award title, outlet, place or practice kind.  Each must be *one* IRI across
cases, so a draft proposes the existing IRI whenever a name matches one of its
labels or altLabels — with the score, and the runner-up so a curator sees how
close the call was — and only below the threshold a new IRI with a readable slug.

Names are compared in a folded form that ignores what case texts vary freely:
script (simplified/traditional), quotes and spaces, the legal form
(有限公司, 股份有限公司, 集团有限公司 → 集团), a leading 中共, and the
possessive prefixes 所属/旗下.  The party organ (党委, 党支部, 党总支 …) is
*not* folded away: 济南热电集团 and 济南热电集团党委 are two entities, so the
organ is kept as a separate part of the key and must agree for a match.
Abbreviations (济南热电 for 济南热电集团有限公司) match as an in-order
subsequence of the longer name, scored by how much of it they cover.

The same index answers the reconciliation service (``/reconcile``); it is built
from any rdflib graph — the bundled ``data/`` offline, or the store's dataset.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

from rdflib import Dataset, Graph, Literal, URIRef

from casegraph import paths
from casegraph.config import CANONICAL_BASE_IRI
from casegraph.drafting.candidates import to_simplified

ENTITY_QUERY = paths.QUERIES_DIR / "link_index_entities.rq"
#: Scores at or above this link to the existing IRI; below it a new IRI is proposed.
LINK_THRESHOLD = 0.8

_CG = "https://w3id.org/casegraph/ns#"
_ORG = "http://www.w3.org/ns/org#"
_SCHEMA = "https://schema.org/"
_ORGANISATION_TYPES = {
    _CG + name
    for name in ["EnterpriseGroup", "Company", "BranchCompany", "PartyOrganisation", "PartyCommittee", "PartyGeneralBranch", "PartyBranch", "PartyGroup", "Workshop", "Team", "PublicBody", "Community", "MediaOutlet"]
} | {_ORG + "Organization", _ORG + "FormalOrganization", _ORG + "OrganizationalUnit"}
_KIND_OF_TYPE = {
    _CG + "PartyBuildingBrand": "brand",
    _CG + "Award": "award",
    _SCHEMA + "Place": "place",
    _SCHEMA + "Person": "person",
    _ORG + "Role": "role",
    _CG + "Project": "project",
} | dict.fromkeys(_ORGANISATION_TYPES, "organisation")
#: SKOS concepts are told apart by their IRI's first path segment.
_CONCEPT_KINDS = {"practice-kind", "metric", "award-level", "award-rank", "section-kind"}

#: Party organs, longest first, and the one form each folds to: kept apart from
#: the name they qualify.
_PARTY_ORGANS = {
    "党支部委员会": "党支部",
    "支部委员会": "党支部",
    "党总支部": "党总支",
    "党总支": "党总支",
    "党支部": "党支部",
    "党小组": "党小组",
    "党委": "党委",
    "支部": "党支部",
}
_LEGAL_FORMS = re.compile(r"(?:集团)?(?:股份)?有限(?:责任)?公司|集团")
_POSSESSIVE = re.compile(r"^.*?(?:所属|旗下|下属)")
_PUNCTUATION = re.compile(r"[\s“”\"'‘’「」『』《》()（）·・.,，、:：;；\-—–]")


@dataclass(frozen=True)
class NameKey:
    """A folded name: its base (no legal form, no organ) and its party organ, if any."""

    base: str
    organ: str


def fold_name(label: str) -> NameKey:
    """The comparison key of a name, as the module docstring describes."""
    text = _PUNCTUATION.sub("", to_simplified(label))
    text = re.sub(r"^中共|^中国共产党", "", text)
    text = _POSSESSIVE.sub("", text) or text
    organ = ""
    for suffix, folded in _PARTY_ORGANS.items():
        if text.endswith(suffix) and len(text) > len(suffix):
            organ, text = folded, text[: -len(suffix)]
            break
    base = _LEGAL_FORMS.sub("", text) or text
    if not organ and len(base) >= 3 and base[-1] in "省市":
        base = base[:-1]  # 济南市 and 济南, 山东省 and 山东 name one place
    return NameKey(base.lower(), organ)


def name_score(query: NameKey, known: NameKey) -> float:
    """How well a drafted name matches a known one, 0–1; different party organs never match.

    Only a *shorter* drafted name may be an abbreviation of the known one
    (济南热电 for 济南热电集团): a longer one names something more specific
    (济南北郊新兴热力 is not 济南热力), and scores by bigram overlap alone.
    """
    if query.organ != known.organ:
        return 0.0
    a, b = query.base, known.base
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if len(a) < len(b) and len(a) >= 2 and _is_subsequence(a, b):
        coverage = len(a) / len(b)
        same_ends = 0.05 * (a[0] == b[0]) + 0.05 * (a[-1] == b[-1])
        return min(0.95, 0.5 + 0.4 * coverage + same_ends)
    return 0.9 * _dice(a, b)


def _is_subsequence(short: str, long: str) -> bool:
    characters = iter(long)
    return all(char in characters for char in short)


def _dice(a: str, b: str) -> float:
    """Dice coefficient of character bigrams (unigrams for one-character names)."""
    grams_a = {a[i : i + 2] for i in range(max(1, len(a) - 1))}
    grams_b = {b[i : i + 2] for i in range(max(1, len(b) - 1))}
    return 2 * len(grams_a & grams_b) / (len(grams_a) + len(grams_b))


@dataclass
class Entity:
    """One linkable IRI: its kind, its types, its names by language and the graphs naming it."""

    iri: str
    kind: str
    types: set[str] = field(default_factory=set)
    names: dict[str, set[str]] = field(default_factory=dict)  # language tag → names
    labels: dict[str, str] = field(default_factory=dict)  # language tag → rdfs:label/prefLabel
    graphs: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        """The simplified-Chinese name, else any name: what a candidate list shows."""
        for tag in ("zh-hans", "zh", "zh-hant", "en"):
            if tag in self.labels:
                return self.labels[tag]
        for tag in ("zh-hans", "zh", "zh-hant", "en"):
            if self.names.get(tag):
                return min(self.names[tag], key=lambda name: (-len(name), name))
        return self.iri

    def english(self) -> str | None:
        english = self.names.get("en")
        return self.labels.get("en") or (min(english) if english else None)

    def keys(self) -> set[NameKey]:
        return {
            fold_name(name)
            for tag, names in self.names.items()
            if tag.startswith("zh")
            for name in names
        }


@dataclass(frozen=True)
class Match:
    """A proposed link: the entity, its score, and the runner-up with its score."""

    entity: Entity
    score: float
    runner_up: Entity | None
    runner_up_score: float


class LinkIndex:
    """The entities of a graph, searchable by folded name and kind."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.entities = {entity.iri: entity for entity in entities}
        self._keys = {iri: entity.keys() for iri, entity in self.entities.items()}

    @classmethod
    def from_dataset(cls, dataset: Dataset | Graph, exclude_graph: str | None = None) -> LinkIndex:
        """Index every linkable entity; ``exclude_graph`` leaves one case's graph out.

        An entity named only in the excluded graph is not indexed; one named there
        and elsewhere is, with the names the other graphs give it — so that an
        evaluation of a case sees the graph as it was before the case was added.
        """
        rows = (
            {name: getattr(row, name) for name in ("item", "type", "property", "text", "graph")}
            for row in dataset.query(ENTITY_QUERY.read_text(encoding="utf-8"))
        )
        return cls.from_rows(rows, exclude_graph)

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[dict],
        exclude_graph: str | None = None,
        base_iri: str = CANONICAL_BASE_IRI,
    ) -> LinkIndex:
        """The index of the rows of ``link_index_entities.rq`` (from rdflib or a store)."""
        entities: dict[str, Entity] = {}
        named_in: dict[str, set[str]] = {}
        for row in rows:
            graph = str(row["graph"]) if row.get("graph") is not None else "default"
            if exclude_graph and graph == exclude_graph:
                continue
            item, type_iri, text = str(row["item"]), str(row["type"]), row["text"]
            kind = _kind(item, type_iri, base_iri)
            if kind is None:
                continue
            entity = entities.setdefault(item, Entity(item, kind))
            entity.types.add(type_iri)
            tag = (text.language or "").lower()
            entity.names.setdefault(tag, set()).add(str(text))
            if not str(row["property"]).endswith("altLabel"):
                entity.labels.setdefault(tag, str(text))
            named_in.setdefault(item, set()).add(graph)
        for iri, graphs in named_in.items():
            entities[iri].graphs = graphs - {"default"}
        return cls(entities.values())

    @classmethod
    def from_endpoint(cls, endpoint: str, timeout: float = 60.0) -> LinkIndex:
        """The index of a running casegraph service (or any SPARQL endpoint holding
        the graph): ``link_index_entities.rq`` sent to ``<endpoint>/sparql``."""
        import json
        import urllib.error
        import urllib.parse
        import urllib.request

        query = ENTITY_QUERY.read_text(encoding="utf-8")
        request = urllib.request.Request(
            endpoint.rstrip("/") + "/sparql",
            data=urllib.parse.urlencode({"query": query}).encode("utf-8"),
            headers={
                "Accept": "application/sparql-results+json",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                truncated = response.headers.get("X-Casegraph-Truncated") == "true"
                document = json.load(response)
        except (urllib.error.URLError, ValueError) as error:
            raise ValueError(f"{endpoint}: cannot read the graph's entities ({error})") from error
        if truncated:
            raise ValueError(
                f"{endpoint}: the service cut the list of entities at its row limit "
                "(max_result_rows); link offline against data/ or raise the limit"
            )
        rows = [
            {name: _term(value) for name, value in binding.items()}
            for binding in document["results"]["bindings"]
        ]
        return cls.from_rows(rows)

    @classmethod
    def from_data(cls, exclude_graph: str | None = None) -> LinkIndex:
        """The offline index: the ontology's schemes and every curated case in ``data/``."""
        return cls.from_dataset(_bundled_dataset(), exclude_graph)

    def candidates(
        self, name: str, kinds: Iterable[str] | None = None, types: Iterable[str] | None = None
    ) -> list[tuple[Entity, float]]:
        """Entities whose names score above zero against ``name``, best first."""
        key = fold_name(name)
        kind_set = set(kinds) if kinds else None
        type_set = set(types) if types else None
        scored = []
        for iri, entity in self.entities.items():
            if kind_set and entity.kind not in kind_set:
                continue
            if type_set and not (entity.types & type_set):
                continue
            score = max((name_score(key, other) for other in self._keys[iri]), default=0.0)
            if score > 0:
                scored.append((entity, round(score, 3)))
        scored.sort(key=lambda pair: (-pair[1], pair[0].iri))
        return scored

    def keys_of(self, iri: str) -> set[NameKey]:
        """The folded names of one indexed entity."""
        return self._keys.get(iri, set())

    def link(self, name: str, kinds: Iterable[str]) -> Match | None:
        """The best entity of one of ``kinds`` for ``name``, or None when nothing scores."""
        found = self.candidates(name, kinds)
        if not found:
            return None
        best, score = found[0]
        runner_up, runner_score = found[1] if len(found) > 1 else (None, 0.0)
        return Match(best, score, runner_up, runner_score)


def _term(value: dict) -> URIRef | Literal:
    """One SPARQL JSON results term as rdflib's."""
    if value["type"] == "uri":
        return URIRef(value["value"])
    return Literal(value["value"], lang=value.get("xml:lang"))


def _kind(iri: str, type_iri: str, base_iri: str = CANONICAL_BASE_IRI) -> str | None:
    if type_iri in _KIND_OF_TYPE:
        return _KIND_OF_TYPE[type_iri]
    if iri.startswith(base_iri):
        segment = iri[len(base_iri) :].split("/", 1)[0]
        if segment in _CONCEPT_KINDS:
            return segment
    return None


@cache
def _bundled_dataset() -> Dataset:
    dataset = Dataset()
    ontology = dataset.graph(URIRef("urn:casegraph:ontology"))
    for path in paths.ontology_files():
        ontology.parse(path, format="turtle")
    for path in paths.case_files():
        dataset.parse(path, format="trig")
    return dataset


def readable_slug(name: str, english: str | None = None) -> str:
    """An ASCII slug for a new IRI: from the English name if known, else the pinyin.

    Pinyin comes from pypinyin (tone-less, one syllable per character, joined by
    hyphens); characters it cannot read (Latin letters, digits) are kept.
    """
    if english:
        words = re.findall(r"[a-z0-9]+", english.lower())
        if words:
            return "-".join(words[:8])
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(to_simplified(name), style=Style.NORMAL, errors="default")
    words = re.findall(r"[a-z0-9]+", " ".join(syllables).lower())
    return "-".join(words[:12]) or "unnamed"


def practice_kind_labels(index: LinkIndex) -> Iterator[tuple[Entity, str]]:
    """(kind, label) for each Chinese label of each practice kind, in simplified script.

    A kind's labels are its prefLabel parts (split at ``/``) and its altLabels —
    the scheme is where a new wording is added, not the code that matches them.
    """
    for entity in index.entities.values():
        if entity.kind != "practice-kind":
            continue
        for tag, names in entity.names.items():
            if tag.startswith("zh"):
                for name in names:
                    for part in to_simplified(name).split("/"):
                        yield entity, part


def practice_kind(index: LinkIndex, text: str) -> tuple[Entity, float] | None:
    """The practice kind whose labels the practice's text states best, with the score.

    A label (:func:`practice_kind_labels`) contained in the text scores 1;
    otherwise the share of its character bigrams the text has.  Below 0.6 no kind
    is proposed.
    """
    folded = _PUNCTUATION.sub("", to_simplified(text))
    grams = {folded[i : i + 2] for i in range(len(folded) - 1)}
    best: tuple[Entity, float] | None = None
    for entity, label in practice_kind_labels(index):
        part = _PUNCTUATION.sub("", label)
        if len(part) < 2:
            continue
        if part in folded:
            score = 1.0
        else:
            part_grams = {part[i : i + 2] for i in range(len(part) - 1)}
            score = len(part_grams & grams) / len(part_grams)
        if best is None or score > best[1]:
            best = (entity, round(score, 3))
    return best if best and best[1] >= 0.6 else None
