"""Linking drafted names to the graph's entities, and the draft in the case's own shape."""

from __future__ import annotations

import docx
import pytest
from rdflib import RDFS, Literal

from casegraph.drafting.documents import DocumentError, read_document
from casegraph.drafting.draft_graph import CG, ID, draft_case
from casegraph.drafting.linking import LinkIndex, fold_name, name_score, readable_slug

WATER_GRAPH = "https://w3id.org/casegraph/id/graph/case/jinan-water-group"


@pytest.fixture(scope="module")
def index() -> LinkIndex:
    return LinkIndex.from_data()


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("济南热电集团", "濟南熱電集團有限公司", True),  # script and legal form
        ("中共济南公交七队支部委员会", "济南公交七队党支部", True),  # 中共, organ spelled out
        ("集团所属济南热电集团", "济南热电集团", True),  # possessive prefix
        ("济南热电集团", "济南热电集团有限公司党委", False),  # the group is not its committee
        ("济南热电集团党委", "济南热电集团党支部", False),
    ],
)
def test_folding_keeps_the_party_organ_apart(first, second, same):
    assert (name_score(fold_name(first), fold_name(second)) == 1.0) is same


def test_link_proposes_the_existing_iri_with_score_and_runner_up(index):
    match = index.link("濟南熱電集團有限公司黨委", ["organisation"])
    assert match.entity.iri == str(ID["org/jinan-thermal-power-group-party-committee"])
    assert match.score == 1.0
    assert match.runner_up is not None and match.runner_up_score < match.score
    assert index.link("大众网", ["organisation"]).entity.iri == str(ID["org/dzwww"])


def test_an_index_without_a_case_graph_forgets_what_only_it_names():
    without = LinkIndex.from_data(exclude_graph=WATER_GRAPH)
    water = str(ID["org/jinan-water-group"])
    assert water in LinkIndex.from_data().entities
    assert water not in without.entities  # only the water case names the group
    assert str(ID["org/dzwww"]) in without.entities  # other cases name the outlet too


def test_new_iris_get_pinyin_or_english_slugs():
    assert readable_slug("济南水务集团") == "ji-nan-shui-wu-ji-tuan"
    assert readable_slug("濟南水務", "Jinan Water") == "jinan-water"


def test_draft_reuses_linked_iris_and_never_invents_english(index):
    text = "案例简介:\n济南热电集团有限公司党委由大众网报道。济南北郊新兴热力有限公司新建管网工程。\n"
    draft = draft_case(text, "linking-case", index)
    graph = draft.dataset.graph(ID["graph/case/linking-case"])
    outlet = ID["org/dzwww"]
    assert (outlet, CG.statedIn, None) in graph
    assert float(graph.value(outlet, CG.linkScore)) == 1.0
    assert Literal("Dazhong Net (dzwww.com)", lang="en") in set(graph.objects(outlet, RDFS.label))
    new = [node for node in graph.subjects(CG.missingLabel, Literal("en")) if "/org/" in str(node)]
    assert new, "an organisation the graph does not hold gets a new IRI"
    for node in new:
        labels = {label.language for label in graph.objects(node, RDFS.label)}
        assert labels == {"zh-Hans", "zh-Hant"}
    assert any(graph.subjects(None, CG.Project))


def test_a_short_name_inside_another_groups_name_is_not_linked(index):
    """山东公司 is Huadian's in the graph; 国家能源集团山东公司 is another group's unit."""
    text = "案例简介:\n国家能源集团山东公司确立攻坚项目。济南热电集团有限公司西部热源分公司供热。\n"
    draft = draft_case(text, "short-name-case", index)
    linked = {c.label: draft.links.get(id(c)) for c in draft.candidates if c.kind == "organisation"}
    assert index.link("山东公司", ["organisation"]).entity.iri == str(ID["org/huadian-shandong"])
    assert linked["山东公司"] is None
    # A unit written after its own known group keeps its link.
    assert linked["西部热源分公司"] == str(ID["org/jinan-thermal-western-heat-source"])


def test_documents_docx_and_html(tmp_path):
    word = docx.Document()
    word.add_paragraph("济南水务集团有限公司党委")
    word.add_paragraph("现设党支部37个。")
    word.save(tmp_path / "case.docx")
    assert read_document(tmp_path / "case.docx").text == "济南水务集团有限公司党委\n现设党支部37个。\n"
    page = (
        "<html><head><link rel='canonical' href='http://example.org/case/1'><title>t</title></head>"
        "<body><nav>首页 | 新闻</nav><article><p>"
        + "济南水务集团以党建引领发展，现设党委2个、党总支5个、党支部37个，共有中共党员841名。" * 3
        + "</p></article><footer>版权所有</footer></body></html>"
    )
    (tmp_path / "case.html").write_text(page, encoding="utf-8")
    document = read_document(tmp_path / "case.html")
    assert "党支部37个" in document.text and "版权所有" not in document.text
    assert document.source == "http://example.org/case/1"
    (tmp_path / "bad.pdf").write_bytes(b"not a pdf")
    with pytest.raises(DocumentError, match="bad.pdf"):
        read_document(tmp_path / "bad.pdf")
    with pytest.raises(DocumentError, match="unsupported"):
        read_document(tmp_path / "case.odt", b"")
