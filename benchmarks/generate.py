"""Deterministic synthetic case corpora, shaped like the curated data, for benchmarks.

Every IRI is under ``<base>synthetic/`` and every label starts with
``［合成］``/``[synthetic]``, so synthetic facts can never pass for curated ones;
the output goes to ``benchmarks/out/`` (git-ignored), never to ``data/``.

Each case is one named graph of about 180 triples with the same structure as a
curated case, and it conforms to the shapes: a case document with sections
and passages, a company under one of a few groups, its party branch, two
workshops, a brand derived from its group's brand, practices typed by the
real practice-kind concepts, award conferrals from shared issuers (with
levels, ranks and years), an innovation with a before/after effect, figures,
and a passage for every node.  Shared things (groups, group brands, issuers,
award titles) keep one IRI across cases and are restated in each case graph
that uses them, as curated cases do, so cross-case questions have real work
to do and every case graph validates on its own.

Usage: ``python benchmarks/generate.py --cases 1000 --seed 7 -o benchmarks/out/corpus-1k.nq``
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from pathlib import Path

BASE = "https://w3id.org/casegraph/id/"
SYN = BASE + "synthetic/"
CG = "https://w3id.org/casegraph/ns#"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
PART_OF = "<http://purl.org/dc/terms/isPartOf>"
TITLE = "<http://purl.org/dc/terms/title>"
XSD = "http://www.w3.org/2001/XMLSchema#"

PRACTICE_KINDS = [
    "party-group-attached-to-workshop", "committee-members-in-teams", "mentoring",
    "party-member-vanguard-post", "party-member-responsibility-zone", "party-member-commando-team",
    "youth-commando-team", "three-meetings-one-lesson", "theory-study", "technical-innovation",
    "volunteer-service", "community-dual-registration", "joint-party-building", "branch-on-project",
    "brand-building", "party-culture-corridor",
]
SECTION_KINDS = ["introduction", "background", "practices", "effects"]
LEVELS = ["national", "provincial", "municipal", "group", "enterprise"]
RANKS = ["first-prize", "second-prize", "third-prize", "title"]
UNITS = [("HUR", "MIN", 60), ("MIN", "MIN", 1), ("DAY", "HUR", 24)]
GROUPS, ISSUERS, AWARDS = 40, 30, 60


def iri(path: str) -> str:
    return f"<{SYN}{path}>"


def text(value: str, lang: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{lang}'


def typed(value: object, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


def labels(name_zh: str, name_en: str) -> list[tuple[str, str]]:
    return [
        (LABEL, text(f"［合成］{name_zh}", "zh-Hans")),
        (LABEL, text(f"［合成］{name_zh}", "zh-Hant")),
        (LABEL, text(f"[synthetic] {name_en}", "en")),
    ]


def group_quads(g: int, graph: str, stated: tuple[str, str]) -> Iterator[str]:
    """A group and its brand, restated (same IRIs) in every case graph that mentions them.

    Curated cases do the same: a case graph is self-contained (every node it
    uses is typed, labelled and stated in one of its passages), and shared IRIs
    are what links cases across graphs.
    """
    group = iri(f"org/group-{g}")
    yield from quads(group, graph, [(RDF_TYPE, f"<{CG}EnterpriseGroup>"),
                                    *labels(f"集团{g}号", f"Group {g}"), stated])
    yield from quads(iri(f"brand/group-{g}"), graph, [
        (RDF_TYPE, f"<{CG}PartyBuildingBrand>"), (f"<{CG}brandOwner>", group),
        *labels(f"集团品牌{g}", f"Group brand {g}"), stated])


def issuer_quads(i: int, graph: str, stated: tuple[str, str]) -> Iterator[str]:
    yield from quads(iri(f"org/issuer-{i}"), graph, [(RDF_TYPE, f"<{CG}PublicBody>"),
                                                     *labels(f"颁奖机构{i}", f"Issuer {i}"),
                                                     stated])


def award_quads(a: int, graph: str, stated: tuple[str, str]) -> Iterator[str]:
    yield from quads(iri(f"award/title-{a}"), graph, [(RDF_TYPE, f"<{CG}Award>"),
                                                      *labels(f"荣誉称号{a}", f"Award {a}"),
                                                      stated])


def quads(subject: str, graph: str, pairs: list[tuple[str, str]]) -> Iterator[str]:
    for predicate, obj in pairs:
        yield f"{subject} {predicate} {obj} {graph} .\n"


def case_quads(n: int, rng: random.Random) -> Iterator[str]:
    """One synthetic case graph (about 180 quads)."""
    slug = f"case-{n:06d}"
    graph = iri(f"graph/case/{slug}")
    case = iri(f"case/{slug}")
    group_number = rng.randrange(GROUPS)
    company, branch = iri(f"org/company-{n}"), iri(f"org/company-{n}-party-branch")
    passages = [iri(f"case/{slug}/passage/p{k}") for k in range(6)]

    def stated(k: int) -> tuple[str, str]:
        return (f"<{CG}statedIn>", passages[k % len(passages)])

    yield from quads(case, graph, [
        (RDF_TYPE, f"<{CG}CaseDocument>"), (f"<{CG}caseGraph>", graph),
        *((TITLE, text(title, lang)) for title, lang in (
            (f"［合成］案例{n}", "zh-Hans"), (f"［合成］案例{n}", "zh-Hant"),
            (f"[synthetic] Case {n}", "en"))),
        *labels(f"案例{n}", f"Case {n}"), (f"<{CG}aboutOrganisation>", company),
        (f"<{CG}sourceTextFile>", f'"data/cases/{slug}/source.txt"')])
    sections = [iri(f"case/{slug}/section/{kind}") for kind in SECTION_KINDS]
    for order, (section, kind) in enumerate(zip(sections, SECTION_KINDS, strict=True)):
        yield from quads(section, graph, [
            (RDF_TYPE, f"<{CG}Section>"), (f"<{CG}sectionKind>", f"<{BASE}section-kind/{kind}>"),
            (f"<{CG}order>", typed(order, "integer")),
            *labels(f"第{order}节", f"Section {order}")])
    for k, passage in enumerate(passages):
        quote = f"［合成］第{n}号案例第{k}段：公司{n}党支部开展党建工作。"
        yield from quads(passage, graph, [(RDF_TYPE, f"<{CG}Passage>"),
                                          (f"<{CG}quote>", text(quote, "zh-Hans")),
                                          (f"<{CG}charStart>", typed(k * 40, "integer")),
                                          (f"<{CG}charEnd>", typed(k * 40 + len(quote), "integer")),
                                          (PART_OF, case),
                                          (f"<{CG}inSection>", sections[min(k // 2, 3)])])
    yield from group_quads(group_number, graph, stated(0))
    yield from quads(company, graph, [(RDF_TYPE, f"<{CG}Company>"),
                                      (f"<{ORG}subOrganizationOf>", iri(f"org/group-{group_number}")),
                                      *labels(f"公司{n}", f"Company {n}"), stated(0)])
    yield from quads(branch, graph, [(RDF_TYPE, f"<{CG}PartyBranch>"),
                                     (f"<{CG}partyOrganisationOf>", company),
                                     *labels(f"公司{n}党支部", f"Company {n} party branch"), stated(0)])
    for w in range(2):
        yield from quads(iri(f"org/company-{n}-workshop-{w}"), graph, [
            (RDF_TYPE, f"<{CG}Workshop>"), (f"<{ORG}subOrganizationOf>", company),
            *labels(f"公司{n}车间{w}", f"Company {n} workshop {w}"), stated(1)])
    yield from quads(iri(f"brand/company-{n}"), graph, [
        (RDF_TYPE, f"<{CG}PartyBuildingBrand>"), (f"<{CG}brandOwner>", branch),
        (f"<{CG}derivesFrom>", iri(f"brand/group-{group_number}")),
        *labels(f"品牌{n}", f"Brand {n}"), stated(2)])
    for k, kind in enumerate(rng.sample(PRACTICE_KINDS, 3)):
        yield from quads(iri(f"case/{slug}/practice/{k}"), graph, [
            (RDF_TYPE, f"<{CG}Practice>"), (f"<{CG}practisedBy>", branch),
            (f"<{CG}practiceKind>", f"<{BASE}practice-kind/{kind}>"),
            *labels(f"做法{n}-{k}", f"Practice {n}-{k}"), stated(3)])
    for k in range(rng.choice([1, 2])):
        award, issuer = rng.randrange(AWARDS), rng.randrange(ISSUERS)
        yield from award_quads(award, graph, stated(4))
        yield from issuer_quads(issuer, graph, stated(4))
        yield from quads(iri(f"case/{slug}/conferral/{k}"), graph, [
            (RDF_TYPE, f"<{CG}AwardConferral>"),
            (f"<{CG}award>", iri(f"award/title-{award}")),
            (f"<{CG}recipient>", branch),
            (f"<{CG}issuer>", iri(f"org/issuer-{issuer}")),
            (f"<{CG}level>", f"<{BASE}award-level/{rng.choice(LEVELS)}>"),
            (f"<{CG}rank>", f"<{BASE}award-rank/{rng.choice(RANKS)}>"),
            (f"<{CG}year>", typed(rng.randrange(2015, 2026), "gYear")), stated(4)])
    innovation, effect = iri(f"innovation/company-{n}"), iri(f"case/{slug}/effect/0")
    yield from quads(innovation, graph, [
        (RDF_TYPE, f"<{CG}Innovation>"), (f"<{CG}developedBy>", iri(f"org/company-{n}-workshop-0")),
        (f"<{CG}hasEffect>", effect), *labels(f"创新{n}", f"Innovation {n}"), stated(5)])
    before_unit, after_unit, factor = rng.choice(UNITS)
    before = rng.randrange(2, 12)
    after = max(1, int(before * factor * rng.uniform(0.05, 0.6)))
    before_node, after_node = iri(f"case/{slug}/effect/0/before"), iri(f"case/{slug}/effect/0/after")
    yield from quads(effect, graph, [
        (RDF_TYPE, f"<{CG}MeasuredEffect>"), (f"<{CG}effectOf>", innovation),
        (f"<{CG}before>", before_node), (f"<{CG}after>", after_node),
        *labels(f"处置时间{n}", f"Handling time {n}"), stated(5)])
    for node, value, unit in ((before_node, before, before_unit), (after_node, after, after_unit)):
        yield from quads(node, graph, [(RDF_TYPE, f"<{SCHEMA}QuantitativeValue>"),
                                       (f"<{SCHEMA}value>", typed(f"{value}.0", "decimal")),
                                       (f"<{SCHEMA}unitCode>", f'"{unit}"')])
    yield from quads(iri(f"case/{slug}/figure/members"), graph, [
        (RDF_TYPE, f"<{CG}Figure>"), (f"<{CG}figureOf>", branch),
        (f"<{CG}metric>", f"<{BASE}metric/party-members>"),
        (f"<{SCHEMA}value>", typed(f"{rng.randrange(5, 120)}.0", "decimal")),
        (f"<{SCHEMA}unitCode>", '"C62"'), stated(0)])


def generate(cases: int, seed: int) -> Iterator[str]:
    """All quads of a corpus; the same (cases, seed) always gives the same lines."""
    rng = random.Random(seed)
    for n in range(cases):
        yield from case_quads(n, rng)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("-o", "--output", type=Path, help="N-Quads file (default stdout)")
    args = parser.parse_args(argv)
    out = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
    count = 0
    for line in generate(args.cases, args.seed):
        out.write(line)
        count += 1
    if args.output:
        out.close()
    print(f"{count} quads, {args.cases} synthetic cases, seed {args.seed}", file=sys.stderr)


if __name__ == "__main__":
    main()
