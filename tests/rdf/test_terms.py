"""One converter per direction: a term survives every round trip unchanged, and the
engines' spellings (lower-cased language tags, xsd:string) come out canonical."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from casegraph.rdf.terms import (
    PREFIXES,
    canonical_language_tag,
    json_term,
    ntriples_term,
    parts_of,
    sparql_json_term,
    term_from_json,
    term_from_parts,
    term_parts,
)

TERMS = [
    URIRef("https://w3id.org/casegraph/id/org/jinan-energy-group"),
    BNode("b0"),
    Literal("济南能源集团", lang="zh-Hans"),
    Literal("plain"),
    Literal("841", datatype=XSD.decimal),
    Literal("1.0E6", datatype=XSD.double, normalize=False),
    Literal('tab\there, "quote", new\nline \\ back'),
]


@pytest.mark.parametrize("term", TERMS, ids=repr)
def test_parts_and_json_round_trips_keep_the_term(term):
    assert term_from_parts(*parts_of(term)) == term
    assert term_from_json(json_term(term)) == term
    assert sparql_json_term(*parts_of(term)) == json_term(term)


@pytest.mark.parametrize("term", TERMS, ids=repr)
def test_ntriples_text_parses_back_to_the_same_term(term):
    """Read back by Oxigraph's strict N-Triples parser, which keeps lexical forms."""
    line = f"<urn:s> <urn:p> {ntriples_term(term)} .\n"
    assert "\n" not in line[:-1] and "\t" not in line
    (quad,) = ox.parse(line.encode("utf-8"), ox.RdfFormat.N_TRIPLES)
    assert term_from_parts(*term_parts(quad.object)) == term


def test_the_lexical_form_is_kept_not_normalised():
    assert str(term_from_parts("l", "841.0", None, str(XSD.decimal))) == "841.0"
    assert str(term_from_parts("l", "1.0E6", None, str(XSD.double))) == "1.0E6"


def test_oxigraph_language_tags_come_out_in_bcp47_case():
    stored = ox.Literal("济南", language="zh-hans")
    assert term_from_parts(*term_parts(stored)).language == "zh-Hans"
    assert term_from_json({"type": "literal", "value": "x", "xml:lang": "zh-hant"}).language \
        == "zh-Hant"
    assert canonical_language_tag("en-gb") == "en-GB"
    assert canonical_language_tag("ZH-HANS-CN") == "zh-Hans-CN"


def test_simple_literals_carry_no_xsd_string():
    assert json_term(Literal("x", datatype=XSD.string)) == {"type": "literal", "value": "x"}
    assert term_from_parts("l", "x", None, str(XSD.string)) == Literal("x")


def test_one_prefix_table_names_the_project_namespaces():
    assert PREFIXES["cg"] == "https://w3id.org/casegraph/ns#"
    assert PREFIXES["id"] == "https://w3id.org/casegraph/id/"
    assert len(set(PREFIXES.values())) == len(PREFIXES)
