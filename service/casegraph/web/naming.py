"""Names for nodes the data leaves unnamed, so a reader never sees an identifier.

Conferrals, figures, memberships, passages, media coverage and named graphs carry no
label of their own: they are described by a phrase made from their facts, in each
label language, e.g. ``2021 · 山东省住建系统 · “五小”竞赛奖 · 一等奖 → 链条炉炉排报警装置``.
Terms of outside vocabularies without a label get their local name spelled as words.
"""

from __future__ import annotations

import re
from collections import defaultdict

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from casegraph.rdf.terms import LABEL_LANGUAGES, canonical_language_tag

CG = "https://w3id.org/casegraph/ns#"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

#: UN/CEFACT common codes used by the data, as readers write them.
UNITS: dict[str, tuple[str, str, str]] = {
    "C62": ("", "", ""),
    "P1": ("%", "%", "%"),
    "HUR": (" 小时", " 小時", " h"),
    "MIN": (" 分钟", " 分鐘", " min"),
    "SEC": (" 秒", " 秒", " s"),
    "DAY": (" 天", " 天", " days"),
    "ANN": (" 岁", " 歲", " years"),
    "MTK": (" 平方米", " 平方米", " m²"),
    "KMT": (" 千米", " 千米", " km"),
    "MTR": (" 米", " 米", " m"),
    "TNE": (" 吨", " 噸", " t"),
    "KWH": (" 千瓦时", " 千瓦時", " kWh"),
    "CNY": (" 元", " 元", " CNY"),
    "YUA": (" 元", " 元", " CNY"),
}
_WORDS = {
    "ontology": ("本体与词表", "本體與詞表", "Ontology and vocabularies"),
    "coverage": ("媒体报道", "媒體報道", "Media coverage"),
    "times": ("次", "次", "×"),
}


def number_text(value: str) -> str:
    """``23.0`` → ``23``; other numbers keep their digits."""
    try:
        number = float(value)
    except ValueError:
        return value
    if number.is_integer() and abs(number) < 1e15:
        return f"{int(number):,}" if abs(number) >= 10_000 else str(int(number))
    return value


def quantity_text(value: str, unit: str | None, lang: str) -> str:
    """A number with its unit in ``lang`` (``3 小时``, ``99%``)."""
    suffix = UNITS.get(unit or "", ("", "", f" {unit}" if unit else ""))
    return number_text(value) + suffix[LABEL_LANGUAGES.index(lang)]


def spelled_local_name(iri: str) -> str:
    """``subOrganizationOf`` → ``sub organization of``; ``wuxiao-2021`` → ``wuxiao 2021``."""
    local = re.split(r"[#/:]", iri.rstrip("/#"))[-1] or iri
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local)
    return re.sub(r"[-_]+", " ", words).strip().lower() or local


class Facts:
    """The naming facts of one node: predicate → [(object, {lang: label})]."""

    def __init__(self) -> None:
        self.values: dict[str, list[tuple[Identifier, dict[str, str]]]] = defaultdict(list)

    def add(self, p: str, o: Identifier, label: Identifier | None) -> None:
        labels = next((known for existing, known in self.values[p] if existing == o), None)
        if labels is None:
            labels = {}
            self.values[p].append((o, labels))
        if isinstance(label, Literal):
            lang = _language(label)
            labels.setdefault(lang, str(label))

    def text(self, p: str, lang: str) -> str | None:
        """The first object of ``p`` as text in ``lang`` (its label, else its lexical form)."""
        for o, labels in self.values.get(CG + p if ":" not in p else p, []):
            if labels:
                return labels.get(lang) or labels.get("en") or next(iter(labels.values()))
            if isinstance(o, Literal):
                return number_text(str(o)) if p in ("year",) else str(o)
            return None
        return None

    def has(self, p: str) -> bool:
        return bool(self.values.get(p))

    def types(self) -> set[str]:
        return {str(o) for o, _ in self.values.get(RDF_TYPE, [])}


def _language(literal: Literal) -> str:
    return canonical_language_tag(literal.language) if literal.language else ""


def phrase(facts: Facts, lang: str) -> str | None:
    """The generated name of a node in ``lang``, or None when its facts name nothing."""
    def t(p: str) -> str | None:
        return facts.text(p, lang)

    types = facts.types()
    if CG + "AwardConferral" in types:
        head = " · ".join(x for x in (t("year"), t("issuer"), t("award"), t("rank")) if x)
        recipient = t("recipient")
        return f"{head} → {recipient}" if recipient and head else (head or recipient)
    if CG + "Figure" in types or CG + "MeasuredEffect" in types:
        value = facts.text(SCHEMA + "value", lang)
        amount = quantity_text(value, facts.text(SCHEMA + "unitCode", lang), lang) if value else None
        owner = t("figureOf") or t("effectOf")
        metric = t("metric")
        what = " · ".join(x for x in (owner, metric) if x)
        return f"{what}: {amount}" if what and amount else (what or amount)
    if ORG + "Membership" in types:
        parts = (facts.text(ORG + "member", lang), facts.text(ORG + "role", lang),
                 facts.text(ORG + "organization", lang))
        return " · ".join(x for x in parts if x) or None
    if CG + "Passage" in types:
        parts = (facts.text(DCT + "isPartOf", lang), t("inSection"))
        return " · ".join(x for x in parts if x) or None
    if CG + "MediaCoverage" in types:
        subject = t("coverageOf")
        word = _WORDS["coverage"][LABEL_LANGUAGES.index(lang)]
        return f"{word}: {subject}" if subject else word
    if facts.has(CG + "caseGraph"):
        return t("caseGraph")
    kinds = [labels.get(lang) or labels.get("en") for _, labels in facts.values.get(RDF_TYPE, [])
             if labels]
    return kinds[0] if kinds else None


def generated_names(rows: list[dict[str, Identifier]], base_iri: str) -> dict[str, dict[str, list[str]]]:
    """Phrases by language for each node of ``naming_facts`` rows (and the ontology graph)."""
    by_node: dict[str, Facts] = defaultdict(Facts)
    for row in rows:
        by_node[str(row["x"])].add(str(row["p"]), row["o"], row.get("label"))
    names: dict[str, dict[str, list[str]]] = {}
    for node, facts in by_node.items():
        found = {lang: [text] for lang in LABEL_LANGUAGES if (text := phrase(facts, lang))}
        if found:
            names[node] = found
    ontology = base_iri + "graph/ontology"
    names.setdefault(ontology, {lang: [_WORDS["ontology"][i]] for i, lang in enumerate(LABEL_LANGUAGES)})
    return names


def fallback_name(iri: URIRef) -> dict[str, list[str]]:
    """The last resort for an IRI nothing names: its local name spelled as words."""
    return {"": [spelled_local_name(str(iri))]}
