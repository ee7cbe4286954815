"""Practices and their kinds: where a note states them and which kind a clause names."""

from __future__ import annotations

import pytest

from casegraph.drafting.draft_graph import draft_case
from casegraph.drafting.linking import LinkIndex, practice_kind
from casegraph.drafting.sections import body_spans, split_sections

KIND = "https://w3id.org/casegraph/id/practice-kind/"


@pytest.fixture(scope="module")
def index() -> LinkIndex:
    return LinkIndex.from_data()


def kinds(text: str, index: LinkIndex) -> list[tuple[str, str]]:
    """(kind slug, quoted passage) of every drafted practice with a kind."""
    draft = draft_case(text, "practice-test", index)
    return [
        (draft.kinds[id(c)].removeprefix(KIND), c.passage.text)
        for c in draft.candidates
        if c.kind == "practice" and id(c) in draft.kinds
    ]


def test_editor_blocks_are_sections_and_hold_no_practice(index):
    text = (
        "title: 某热力公司党支部设立党员先锋岗\n"
        "【说明】本文为要点复述,可与其他案例的“党员突击队”条目对照。\n"
        "一、主要做法\n支部在换热站设立党员先锋岗。\n"
        "【可抽取实体】做法:党员先锋岗、党员责任区、主题党日。\n"
    )
    sections = split_sections(text)
    assert [s.heading for s in sections] == ["【说明】", "一、主要做法", "【可抽取实体】"]
    (body,) = body_spans(text, sections)
    assert text[body[0] : body[1]].startswith("一、主要做法")
    assert text[body[0] : body[1]].endswith("党员先锋岗。\n")
    assert kinds(text, index) == [("party-member-vanguard-post", "支部在换热站设立党员先锋岗")]


def test_a_text_without_headings_is_all_body():
    text = "支部组建党员突击队,开展主题党日。"
    assert body_spans(text, split_sections(text)) == [(0, len(text))]


def test_a_heading_practice_cites_the_first_sentence_under_it(index):
    text = (
        "二、主要做法\n(一)攻坚克难——“管网抢修党员突击队”\n"
        "冬季供暖期间,支部组建管网抢修党员突击队,24小时轮班值守。其他内容。\n"
    )
    found = kinds(text, index)
    assert found == [
        ("party-member-commando-team", "冬季供暖期间,支部组建管网抢修党员突击队,24小时轮班值守。")
    ]


def test_one_practice_per_clause_named_by_its_most_specific_wording(index):
    # 党建品牌矩阵 (brand matrix) is a longer, more specific wording than 子品牌.
    assert practice_kind(index, "各单位创建子品牌,形成党建品牌矩阵")[0].iri == KIND + "brand-matrix"
    found = kinds("车间把党员先锋岗、党员责任区、党员突击队建设与生产结合。", index)
    assert len(found) == 1


def test_a_brand_is_built_by_a_verb_not_by_being_mentioned(index):
    built = kinds("公司党委提炼“红心暖流”党建品牌,凝聚职工。", index)
    assert [kind for kind, _ in built] == ["brand-building"]
    assert kinds("在多家媒体报道“红心暖流”党建品牌相关内容。", index) == []


def test_honours_and_reported_speech_are_not_practices(index):
    assert kinds("该支部获得街道社区“双报到”先进单位称号。", index) == []
    assert kinds("党员突击队队员张明表示要冲在一线。", index) == []


def test_a_wording_inside_a_quoted_proper_name_ranks_below_the_running_text(index):
    # “星光志愿服务队” is a team's name; the clause is about building sub-brands.
    text = "支部培育出一批子品牌和载体:“星光志愿服务队”、“暖心驿站”"
    assert practice_kind(index, text)[0].iri == KIND + "sub-brand-carriers"
    # A kind quoted whole (“三会一课”) is named by the quotes.
    assert practice_kind(index, "严格落实“三会一课”")[0].iri == KIND + "three-meetings-one-lesson"


def test_an_occasion_is_not_the_practice_that_follows_it(index):
    found = kinds("车间党支部以主题党日为契机,组建设备检修党员突击队。", index)
    assert [kind for kind, _ in found] == ["party-member-commando-team"]


def test_branches_joining_forces_is_cross_branch_collaboration(index):
    text = "运行党支部联合检修、燃料等党支部,共同攻克锅炉结焦难题。"
    assert practice_kind(index, text)[0].iri == KIND + "cross-branch-collaboration"
