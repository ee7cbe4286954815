"""The person, place, practice and case-document cards, the ontology's class diagram and
the overview's issuer → recipient flows, over the bundled data in the embedded store.

Expected names and counts are read from the store with SPARQL written here, not
pinned: other cases may be added to data/ and the tests must still hold.
"""

from __future__ import annotations

import html as html_lib
import json
import re

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef

from casegraph.config import CANONICAL_BASE_IRI as ID
from casegraph.config import Settings
from casegraph.store.bootstrap import load_bundled
from casegraph.store.memory import MemoryStore
from casegraph.web import create_app
from tests.web.bundled_app import bundled_app_closed_after

CG = Namespace("https://w3id.org/casegraph/ns#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
IDENTIFIER = re.compile(r"^(id:|https?://|urn:|_:|[a-z][a-z0-9]*:[A-Za-z_]|$)")
PREFIXES = """PREFIX cg: <https://w3id.org/casegraph/ns#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    yield from bundled_app_closed_after(tmp_path_factory.mktemp("subject-cards"))


def rows(app, sparql: str) -> list[tuple]:
    return [tuple(row) for row in app.extensions["casegraph.store"].query(PREFIXES + sparql).rows]


def text_of(fragment: str) -> str:
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)))


def card(page: str, element_id: str) -> str:
    """The card ``element_id``: from its opening tag to the next card or section end."""
    match = re.search(rf'id="{element_id}">(.*?)(?=<div class="card|<details class="card|</section>)',
                      page, re.S)
    assert match, f"no #{element_id}"
    return match.group(1)


def chart_data(page: str) -> list[dict]:
    return [json.loads(block) for block in re.findall(
        r'<script type="application/json" class="chart-data">(.*?)</script>', page, re.S)]


def link_texts(page: str) -> list[tuple[str, str]]:
    return [(href, html_lib.unescape(re.sub(r"<[^>]+>", "", text)).strip())
            for href, text in re.findall(r'<a\b[^>]*href="([^"]*)"[^>]*>(.*?)</a>', page, re.S)]


def english(app, iri) -> str:
    found = rows(app, f'SELECT ?l WHERE {{ <{iri}> rdfs:label|dcterms:title ?l '
                      'FILTER(LANG(?l) = "en") }')
    assert found, iri
    return str(found[0][0])


def test_every_persons_card_names_their_roles_organisations_and_awards(app, client):
    memberships = rows(app, """SELECT ?person ?org ?role WHERE {
        ?person a schema:Person . ?m org:member ?person ; org:organization ?org ; org:role ?role }""")
    awards = rows(app, """SELECT ?person ?award WHERE {
        ?person a schema:Person . ?c cg:recipient ?person ; cg:award ?award }""")
    assert memberships and awards
    for person, org, role in memberships:
        page = client.get("/id/" + str(person)[len(ID):] + "?lang=en").get_data(as_text=True)
        roles = text_of(card(page, "person-card"))
        assert english(app, org) in roles and english(app, role) in roles, (person, roles)
    for person, award in awards:
        page = client.get("/id/" + str(person)[len(ID):] + "?lang=en").get_data(as_text=True)
        assert english(app, award) in text_of(card(page, "person-card")), person


def test_a_persons_card_reads_role_award_issuer_rank_and_event(client):
    page = client.get("/id/person/zhang-shuai?lang=en").get_data(as_text=True)
    text = text_of(card(page, "person-card"))
    assert "Contestant representing an enterprise" in text
    assert "Jinan Energy Investment Group" in text
    assert re.search(r"Chuxin Energy.*Jinan Energy Group Co., Ltd\..*2023.*First prize", text)
    assert '"Chuxin Energy" themed speech contest' in text  # the event
    assert "Jinan Energy Group holds" in text  # the case, by its title


def test_a_places_card_rolls_up_what_is_located_served_and_held_in_its_places(app, client):
    page = client.get("/id/place/jinan?lang=en").get_data(as_text=True)
    place = card(page, "place-card")
    located = rows(app, """SELECT DISTINCT ?x WHERE {
        ?x cg:locatedIn/schema:containedInPlace* <https://w3id.org/casegraph/id/place/jinan> }""")
    within = rows(app, """SELECT DISTINCT ?p WHERE {
        ?p schema:containedInPlace+ <https://w3id.org/casegraph/id/place/jinan> }""")
    assert located and within
    text = text_of(place)
    for (x,) in located + within:
        assert english(app, x) in text, x
    # The water group serves six areas of Jinan: one line naming them, not six lines.
    served = re.search(r"Serving this place.*?<ul>(.*?)</ul>", place, re.S).group(1)
    assert served.count("<li>") == 1
    assert "Changqing District, Jinan" in text_of(served)
    assert "Eastern area of Jinan" in text_of(served)
    sub = client.get("/id/place/jinan-lingkong-area?lang=en").get_data(as_text=True)
    chain = text_of(re.search(r'<p class="parent-chain">(.*?)</p>', sub, re.S).group(1))
    assert chain.index("Jinan") < chain.index("Eastern area of Jinan")  # the top first


def test_a_practices_card_gives_kind_practitioner_involved_and_effects(client):
    page = client.get("/id/case/guoneng-liaocheng-power/practice/phase-one-turnaround"
                      "?lang=en").get_data(as_text=True)
    practice = card(page, "practice-card")
    text = text_of(practice)
    description = re.search(r'<p class="card-sentence" lang="([^"]+)"', practice)
    assert description and description.group(1) == "en"  # the page's language first
    assert re.search(r"Practice kind .*Joint tackling by several branches", text)
    assert re.search(r"Practised by .*Enterprise Management and Legal Affairs", text)
    assert re.search(r"Involves .*Finance Party Branch", text)
    assert re.search(r"Year-on-year loss reduction, January–September\s*:\s*60,000,000", text)
    assert "CHN Energy Liaocheng Power Generation builds 33" in text


def test_every_case_document_opens_with_who_what_and_its_awards(app, client):
    cases = rows(app, "SELECT ?doc ?g WHERE { ?doc a cg:CaseDocument ; cg:caseGraph ?g }")
    assert len(cases) >= 13
    for doc, graph in cases:
        page = client.get("/id/" + str(doc)[len(ID):] + "?lang=en").get_data(as_text=True)
        summary = card(page, "case-card")
        assert page.index('id="case-card"') < page.index('id="text-h"'), doc
        about = rows(app, f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ <{doc}> cg:aboutOrganisation ?o }} }}")
        for (org,) in about:
            assert english(app, org) in text_of(summary), (doc, org)
        conferrals = rows(app, f"SELECT ?c WHERE {{ GRAPH <{graph}> {{ ?c a cg:AwardConferral }} }}")
        table = re.search(r'<table class="conferrals">.*?<tbody>(.*?)</tbody>', summary, re.S)
        assert len(re.findall(r"<tr>", table.group(1)) if table else []) == len(conferrals), doc
        brands = rows(app, f"SELECT ?b WHERE {{ GRAPH <{graph}> {{ ?b a cg:PartyBuildingBrand }} }}")
        for (brand,) in brands:
            assert english(app, brand) in text_of(summary), (doc, brand)


def test_the_branch_case_card_lists_its_five_awards_with_issuer_level_and_year(client):
    page = client.get("/id/case/jinan-thermal-western-heat-source?lang=zh-Hans").get_data(
        as_text=True)
    summary = card(page, "case-card")
    text = text_of(summary)
    assert "案例主体: 西部热源分公司" in text and "青新熙源" in text
    assert re.search(r"“五小”竞赛奖 山东省住建系统 省级 2021 一等奖 链条炉炉排报警装置", text)
    assert re.search(r"济南能源集团先进党组织 济南能源集团有限公司 企业集团级 2022", text)
    assert "党员人数: 23" in text  # a figure
    kinds = text_of(re.search(r'<dl class="practice-kinds">(.*?)</dl>', page, re.S).group(1))
    assert "党员先锋岗/示范岗 (3)" in kinds


def test_the_ontology_page_draws_every_class_with_its_links(app, client):
    page = client.get("/ontology?lang=en").get_data(as_text=True)
    diagram = next(d for d in chart_data(page) if "categories" in d and "links" in d)
    classes = {str(c) for (c,) in rows(app, """SELECT ?c WHERE {
        GRAPH <https://w3id.org/casegraph/id/graph/ontology> { ?c a owl:Class } FILTER isIRI(?c) }""")}
    assert {n["id"] for n in diagram["nodes"]} == classes
    by_id = {n["id"]: n for n in diagram["nodes"]}
    assert by_id[str(CG.Company)]["name"] == "Company"
    assert by_id[str(CG.Company)]["href"] == "#Company"
    assert by_id["http://www.w3.org/ns/org#Organization"]["href"].startswith("/resource?iri=")
    assert all(not IDENTIFIER.match(n["name"]) for n in diagram["nodes"])
    links = {(link["source"], link["target"], link.get("prop")) for link in diagram["links"]}
    assert (str(CG.Company), "http://www.w3.org/ns/org#FormalOrganization", None) in links
    assert (str(CG.Practice), "http://www.w3.org/ns/org#Organization", "practised by") in links
    # A subclass sits in a column right of its superclass.
    assert by_id[str(CG.PartyBranch)]["x"] > by_id[str(CG.PartyOrganisation)]["x"]
    table = re.search(r'<table class="diagram-table">.*?<tbody>(.*?)</tbody>', page, re.S)
    assert table.group(1).count("<tr>") == len(classes)
    assert 'aria-label="Class diagram of the ontology' in page
    # The diagram's table names classes (the reference below it spells terms as CURIEs).
    section = re.search(r'<section aria-labelledby="diagram-h">(.*?)</section>', page, re.S)
    bad = [(h, t) for h, t in link_texts(section.group(1)) if IDENTIFIER.match(t)]
    assert not bad, bad[:5]


def test_the_overview_flows_count_every_conferral_by_level(app, client):
    page = client.get("/overview?lang=en").get_data(as_text=True)
    flows = next(d for d in chart_data(page) if "levels" in d)
    # A band per issuer and recipient of each conferral: one conferred jointly by two
    # issuers (the Weihai case's) is a band from each of them.
    (total,) = rows(app, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?c ?i ?r WHERE { "
                         "?c a cg:AwardConferral ; cg:recipient ?r . "
                         "OPTIONAL { ?c cg:issuer ?i } } }")[0]
    (conferrals,) = rows(app, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { "
                              "?c a cg:AwardConferral ; cg:recipient ?r }")[0]
    assert sum(link["value"] for link in flows["links"]) == int(total) >= int(conferrals) > 20
    names = {n["name"] for n in flows["nodes"]}
    assert "Jinan Energy Group Co., Ltd." in names and "(not stated)" in names
    assert all(not IDENTIFIER.match(n) for n in names)
    levels = [level["name"] for level in flows["levels"]]
    assert "Provincial" in levels or "provincial" in " ".join(levels).lower()
    assert levels[-1] == "not stated"
    table = re.search(r'<table class="network-table">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    counts = [int(n) for n in re.findall(r'<td class="num"[^>]*>(\d+)</td>', table)]
    assert sum(counts) == int(total)
    legend = text_of(re.search(r'<ul class="chart-legend"[^>]*>(.*?)</ul>', page, re.S).group(1))
    assert all(level in legend for level in levels)
    bad = [(h, t) for h, t in link_texts(page) if IDENTIFIER.match(t)]
    assert not bad, bad[:5]


HOSTILE = '</script><script>alert(1)</script><img src=x onerror=alert(2)>'


@pytest.fixture(scope="module")
def hostile_client():
    """The bundled data plus a class, an issuer, a person and a level named by hostile
    literals (the ontology graph gets the class, a case graph the rest)."""
    store = MemoryStore()
    load_bundled(store, Settings(store="memory"))
    ontology_iri = URIRef(ID + "graph/ontology")
    ontology = Graph()
    for triple in store.graph(ontology_iri):
        ontology.add(triple)
    ontology.add((CG.Hostile, RDF.type, OWL.Class))
    ontology.add((CG.Hostile, RDFS.label, Literal(HOSTILE, lang="en")))
    ontology.add((CG.Hostile, RDFS.subClassOf, CG.Company))
    case = Graph()
    issuer, person = URIRef(ID + "org/hostile-issuer"), URIRef(ID + "person/hostile")
    conferral, level = URIRef(ID + "case/hostile/conferral/1"), URIRef(ID + "award-level/x")
    case.add((conferral, RDF.type, CG.AwardConferral))
    case.add((person, RDF.type, URIRef("https://schema.org/Person")))
    case.add((conferral, CG.issuer, issuer))
    case.add((conferral, CG.recipient, person))
    case.add((conferral, CG.level, level))
    for node in (issuer, person, level):
        case.add((node, RDFS.label, Literal(HOSTILE, lang="en")))
    store.replace_graphs({ontology_iri: ontology, URIRef(ID + "graph/case/hostile"): case})
    return create_app(Settings(store="memory"), {"TESTING": True}, store=store).test_client()


@pytest.mark.parametrize("path", ["/ontology?lang=en", "/overview?lang=en"])
def test_hostile_literals_cannot_inject_markup_through_the_diagram_or_flows(hostile_client,
                                                                            path):
    page = hostile_client.get(path).get_data(as_text=True)
    blocks = re.findall(r'<script type="application/json" class="chart-data">(.*?)</script>',
                        page, re.S)
    assert blocks
    assert all("<" not in b and ">" not in b for b in blocks)
    assert any(HOSTILE in json.dumps(json.loads(b), ensure_ascii=False) for b in blocks)
    assert "<script>alert(1)" not in page and "<img src=x" not in page


def test_hostile_names_in_a_persons_card_are_escaped(hostile_client):
    page = hostile_client.get("/id/person/hostile?lang=en").get_data(as_text=True)
    person = card(page, "person-card")
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in person  # the issuer, in the award row
    assert "<script>alert(1)" not in page and "<img src=x" not in page
