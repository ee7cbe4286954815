"""Every curated case under data/cases keeps the provenance and IRI rules of docs/modelling.md."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import opencc
import pytest
from rdflib import RDF, RDFS, Dataset, Literal, Namespace, URIRef

from casegraph import paths
from tests.case_vocabulary import DOMAIN_CLASSES

CG = Namespace("https://w3id.org/casegraph/ns#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
BASE = "https://w3id.org/casegraph/id/"
SLUG_PATH = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)*")

CASE_FOLDERS = [case.parent for case in paths.case_files()]


def load(folder: Path) -> Dataset:
    dataset = Dataset()
    dataset.parse(folder / "case.trig", format="trig")
    return dataset


@pytest.fixture(scope="module")
def datasets() -> dict[str, Dataset]:
    return {folder.name: load(folder) for folder in CASE_FOLDERS}


def named_graphs(dataset: Dataset) -> list:
    return [g for g in dataset.graphs() if g.identifier != dataset.default_graph.identifier]


def test_there_are_cases() -> None:
    assert any(folder.name == "jinan-thermal-western-heat-source" for folder in CASE_FOLDERS)


@pytest.mark.parametrize("folder", CASE_FOLDERS, ids=lambda f: f.name)
def test_one_named_graph_and_one_case_document(folder: Path, datasets) -> None:
    dataset = datasets[folder.name]
    graphs = [g for g in named_graphs(dataset) if len(g)]
    assert [str(g.identifier) for g in graphs] == [f"{BASE}graph/case/{folder.name}"]
    assert len(dataset.default_graph) == 0, "triples outside the case's named graph"
    documents = set(graphs[0].subjects(RDF.type, CG.CaseDocument))
    assert documents == {URIRef(f"{BASE}case/{folder.name}")}


@pytest.mark.parametrize("folder", CASE_FOLDERS, ids=lambda f: f.name)
def test_every_quote_is_the_exact_source_substring(folder: Path, datasets) -> None:
    source = (folder / "source.txt").read_text(encoding="utf-8")
    graph = named_graphs(datasets[folder.name])[0]
    passages = set(graph.subjects(RDF.type, CG.Passage))
    assert passages, f"{folder.name}: no passages"
    for passage in passages:
        quote = str(graph.value(passage, CG.quote))
        start = int(graph.value(passage, CG.charStart))
        end = int(graph.value(passage, CG.charEnd))
        assert source[start:end] == quote, f"{passage}: [{start}:{end}] is {source[start:end]!r}"


@pytest.mark.parametrize("folder", CASE_FOLDERS, ids=lambda f: f.name)
def test_every_iri_under_the_base_is_an_ascii_slug(folder: Path, datasets) -> None:
    graph = named_graphs(datasets[folder.name])[0]
    terms = {t for triple in graph for t in triple if isinstance(t, URIRef)}
    for term in terms:
        if str(term).startswith(BASE):
            assert SLUG_PATH.fullmatch(str(term)[len(BASE) :]), f"not a slug: {term}"


@pytest.mark.parametrize("folder", CASE_FOLDERS, ids=lambda f: f.name)
def test_every_domain_node_is_stated_in_a_passage_of_its_case(folder: Path, datasets) -> None:
    graph = named_graphs(datasets[folder.name])[0]
    passages = set(graph.subjects(RDF.type, CG.Passage))
    domain_nodes = {s for cls in DOMAIN_CLASSES for s in graph.subjects(RDF.type, cls)}
    assert domain_nodes
    for node in domain_nodes:
        stated_in = set(graph.objects(node, CG.statedIn))
        assert stated_in, f"{node} has no cg:statedIn"
        assert stated_in <= passages, f"{node}: cg:statedIn outside the case's passages"


@pytest.mark.parametrize("folder", CASE_FOLDERS, ids=lambda f: f.name)
def test_named_entities_are_labelled_in_three_languages(folder: Path, datasets) -> None:
    """Conferrals, figures, memberships and coverage are named by phrases made from their facts."""
    graph = named_graphs(datasets[folder.name])[0]
    unnamed = {CG.Figure, CG.AwardConferral, ORG.Membership, CG.MediaCoverage}
    for node, cls in graph.subject_objects(RDF.type):
        if cls in DOMAIN_CLASSES and cls not in unnamed:
            langs = {label.language for label in graph.objects(node, RDFS.label)}
            assert {"zh-Hans", "zh-Hant", "en"} <= langs, f"{node} labels {langs}"


@pytest.mark.parametrize("folder", CASE_FOLDERS, ids=lambda f: f.name)
def test_no_draft_markers_are_left(folder: Path, datasets) -> None:
    graph = named_graphs(datasets[folder.name])[0]
    markers = (CG.isDraft, CG.draftConfidence, CG.linkScore, CG.missingLabel)
    assert not [t for marker in markers for t in graph.triples((None, marker, None))]


def test_shared_iris_have_identical_labels_in_every_graph(datasets) -> None:
    labels: dict[URIRef, dict[str, set[frozenset[Literal]]]] = defaultdict(dict)
    for name, dataset in datasets.items():
        graph = named_graphs(dataset)[0]
        for subject in set(graph.subjects(RDFS.label, None)):
            if str(subject).startswith(f"{BASE}case/"):
                continue  # case-local facts are not shared
            labels[subject][name] = frozenset(graph.objects(subject, RDFS.label))
    shared = {iri: by_case for iri, by_case in labels.items() if len(by_case) > 1}
    assert shared, "no IRI is shared between cases"
    for iri, by_case in shared.items():
        assert len(set(by_case.values())) == 1, f"{iri} is labelled differently: {by_case}"


@pytest.mark.parametrize("folder", CASE_FOLDERS, ids=lambda f: f.name)
def test_every_case_title_is_in_three_scripts_and_the_hant_one_matches(folder, datasets) -> None:
    """The English UI lists cases by title: a case titled only in zh-Hans shows Chinese
    there.  The zh-Hant title must be the zh-Hans one in the other script (OpenCC
    folds it back), not a different sentence."""
    graph = named_graphs(datasets[folder.name])[0]
    document = URIRef(f"{BASE}case/{folder.name}")
    titles = {t.language: str(t) for t in graph.objects(document, DCTERMS.title)
              if isinstance(t, Literal)}
    assert {"zh-Hans", "zh-Hant", "en"} <= set(titles), f"{folder.name}: titles {titles}"
    assert opencc.OpenCC("t2s").convert(titles["zh-Hant"]) == titles["zh-Hans"]
    assert titles["en"] != titles["zh-Hans"]
