"""Rule-based candidate extraction from a raw case text.

A curator starts a case from a draft: the sections, the numbered practices and
every organisation, brand, award and figure the patterns can see, each with the
sentence that states it.  The rules favour recall — the curator drops wrong
candidates faster than they find missing ones — and run offline (no model, no
network).  ``casegraph draft-eval`` measures both recall and precision against
the curated cases, so a change to a rule shows its effect in numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

import opencc

CJK = r"\u3400-\u9fff"

#: Suffixes that end an organisation's name, longest first so that
#: 集团有限公司 wins over 公司.  Each maps to the ontology class a curator would
#: most likely choose.
ORGANISATION_SUFFIXES: dict[str, str] = {
    "党支部委员会": "PartyBranch",
    "集团有限公司": "EnterpriseGroup",
    "集团股份有限公司": "EnterpriseGroup",
    "股份有限公司": "Company",
    "有限责任公司": "Company",
    "有限公司": "Company",
    "分公司": "BranchCompany",
    "供电公司": "Company",
    "发电公司": "Company",
    "党总支": "PartyGeneralBranch",
    "党支部": "PartyBranch",
    "党小组": "PartyGroup",
    "党委": "PartyCommittee",
    "集团": "EnterpriseGroup",
    "公司": "Company",
    "电厂": "BranchCompany",
    "发电厂": "BranchCompany",
    "车间": "Workshop",
    "班组": "Team",
    "服务队": "Team",
    "突击队": "Team",
    "工会": "PublicBody",
    "总工会": "PublicBody",
    "社区": "Community",
    "学会": "PublicBody",
    "网": "MediaOutlet",
    "日报": "MediaOutlet",
    "电视台": "MediaOutlet",
    "新华社": "MediaOutlet",
}

#: Characters and words that cannot start an organisation name: the left edge
#: of a candidate is moved past them.
LEADING_NOISE = (
    "在",
    "由",
    "与",
    "和",
    "及",
    "对",
    "把",
    "将",
    "为",
    "以",
    "据",
    "是",
    "了",
    "被",
    "向",
    "从",
    "同",
    "使",
    "让",
    "于",
    "所属",
    "下属",
    "作为",
    "其中",
    "并",
    "其",
    "该",
    "各",
    "等",
    "获",
    "获得",
    "荣获",
    "授予",
    "联合",
    "带领",
    "组织",
    "所在",
    "共",
    "全",
    "由",
    "指导",
)
#: Generic words that alone are not names (公司 on its own, 本支部…).
GENERIC_NAMES = {
    "公司",
    "集团",
    "党支部",
    "党委",
    "支部",
    "车间",
    "班组",
    "分公司",
    "网",
    "社区",
    "全公司",
    "各公司",
    "本公司",
    "该公司",
    "厂党委",
    "公司党委",
    "集团党委",
    "工会",
}


@dataclass
class Passage:
    """A span of the repaired text: what a candidate cites.

    ``text`` is the span as written (what a quote must be); ``folded`` is the
    same span in simplified script, which the patterns read.
    """

    start: int
    end: int
    text: str
    folded: str


@dataclass
class Candidate:
    """One proposed fact: its kind, label, ontology class, details and the passage stating it."""

    kind: str  # organisation | brand | award | figure | practice
    label: str
    passage: Passage
    cg_class: str = ""
    details: dict[str, str] = field(default_factory=dict)


@dataclass
class Section:
    heading: str
    kind: str
    start: int
    end: int


SECTION_KINDS = {
    "案例简介": "introduction",
    "概况": "introduction",
    "概述": "introduction",
    "引言": "introduction",
    "背景": "background",
    "意义": "background",
    "主要做法": "practices",
    "做法": "practices",
    "案例效果": "effects",
    "成效": "effects",
    "效果": "effects",
}
_TOP_HEADING = re.compile(
    r"^\s*([一二三四五六七八九十]+、[^\n]{1,40}|案例[简簡]介[:：]?)\s*$", re.M
)


def split_sections(text: str) -> list[Section]:
    """Top-level sections by their headings (一、… or 案例简介:); text before the first is 'other'."""
    marks = list(_TOP_HEADING.finditer(text))
    sections = []
    for index, mark in enumerate(marks):
        end = marks[index + 1].start() if index + 1 < len(marks) else len(text)
        heading = mark.group(1).strip()
        kind = next((k for word, k in SECTION_KINDS.items() if word in fold(heading)), "other")
        sections.append(Section(heading, kind, mark.start(1), end))
    return sections


_SENTENCE = re.compile(r"[^。！？!?\n;；]+[。！？!?;；]?")


def sentences(text: str) -> Iterator[Passage]:
    folded = _fold_aligned(text)
    for match in _SENTENCE.finditer(folded):
        stripped = match.group().strip()
        if len(stripped) >= 2:
            start = match.start() + match.group().index(stripped)
            end = start + len(stripped)
            yield Passage(start, end, text[start:end], stripped)


def extract(text: str) -> list[Candidate]:
    """All candidates of a (repaired) case text, in text order, without duplicates per kind."""
    found: list[Candidate] = []
    for passage in sentences(text):
        found.extend(_organisations(passage))
        found.extend(_brands(passage))
        found.extend(_awards(passage))
        found.extend(_figures(passage))
        found.extend(_practices(passage))
    unique: dict[tuple[str, str], Candidate] = {}
    for candidate in found:
        unique.setdefault((candidate.kind, _fold(candidate.label)), candidate)
    return list(unique.values())


_SUFFIX_PATTERN = "|".join(sorted(map(re.escape, ORGANISATION_SUFFIXES), key=len, reverse=True))
_ORGANISATION = re.compile(rf"([{CJK}（）()]{{1,30}}?)({_SUFFIX_PATTERN})")
#: Words after which a name starts: "支部按照公司…" names no organisation "支部按照公司".
_NAME_BREAKS = re.compile(
    "的|按照|呼应|围绕|依托|通过|推动|带动|结合|联合|参加|召开|开展|来自|属于|所属|下设|成立|组建|"
    "举办|发布|打造|建设|引领|推进|指导|帮助|领导|对接|服务|成为|加入|走进|深入|全体|带头"
)


def _organisations(passage: Passage) -> Iterator[Candidate]:
    for match in _ORGANISATION.finditer(passage.folded):
        stem = _NAME_BREAKS.split(match.group(1))[-1]
        name = _trim_leading_noise(stem) + match.group(2)
        name = name.strip("（）()")
        if name in GENERIC_NAMES or len(name) < 3 or "品牌" in name:
            continue
        yield Candidate("organisation", name, passage, ORGANISATION_SUFFIXES[match.group(2)])


def _trim_leading_noise(stem: str) -> str:
    changed = True
    while changed:
        changed = False
        for word in sorted(LEADING_NOISE, key=len, reverse=True):
            if stem.startswith(word) and len(stem) > len(word):
                stem, changed = stem[len(word) :], True
    return stem


_BRAND = re.compile(r"[“\"]([^”\"]{2,20})[”\"](?:党建|志愿|服务|子|母|特色)*品牌")
_BRAND_LEAD = re.compile(r"品牌(?:名称)?[:：]\s*[“\"]([^”\"]{2,20})[”\"]")


def _brands(passage: Passage) -> Iterator[Candidate]:
    for pattern in (_BRAND, _BRAND_LEAD):
        for match in pattern.finditer(passage.folded):
            yield Candidate("brand", match.group(1), passage, "PartyBuildingBrand")


_AWARD_TITLE = re.compile(r"[“\"]([^”\"]{2,30})[”\"](?:荣誉)?(?:称号|荣誉单位|表彰单位)")
_PRIZE = re.compile(
    rf"([{CJK}“”\"0-9]{{2,40}}?)(?:中)?(?:获得|荣获|斩获|获评|获|夺得)?[了]?"
    r"(?:竞赛|活动|评选|成果)?(一等奖|二等奖|三等奖|特等奖|优秀奖)"
)
_HONOUR = re.compile(
    rf"(?:获|荣获|获评|授予|命名为|被评为)[“\"]?([{CJK}]{{3,20}}?)[”\"]?(?:称号|荣誉)"
)
_YEAR = re.compile(r"((?:19|20)\d\d)(?:[-—–至](?:19|20)?\d\d)?\s*年度?")
_RANKS = {
    "一等奖": "first-prize",
    "二等奖": "second-prize",
    "三等奖": "third-prize",
    "特等奖": "special-prize",
    "优秀奖": "excellence-prize",
}


def _awards(passage: Passage) -> Iterator[Candidate]:
    year = _YEAR.search(passage.folded)
    details = {"year": year.group(1)} if year else {}
    for match in _AWARD_TITLE.finditer(passage.folded):
        yield Candidate("award", match.group(1), passage, "AwardConferral", dict(details))
    for match in _HONOUR.finditer(passage.folded):
        yield Candidate("award", match.group(1), passage, "AwardConferral", dict(details))
    for match in _PRIZE.finditer(passage.folded):
        title = _competition_name(passage.folded[: match.end(1)])
        yield Candidate(
            "award",
            title,
            passage,
            "AwardConferral",
            {**details, "rank": _RANKS[match.group(2)]},
        )


def _competition_name(before_rank: str) -> str:
    """The quoted competition or activity closest before a rank: “五小”竞赛 → 五小."""
    quoted = re.findall(r"[“\"]([^”\"]{2,30})[”\"]", before_rank)
    if quoted:
        return quoted[-1]
    return before_rank[-12:]


_UNITS = {
    "万平方米": ("MTK", 10_000),
    "平方米": ("MTK", 1),
    "万吨": ("TNE", 10_000),
    "吨": ("TNE", 1),
    "万元": ("CNY", 10_000),
    "元": ("CNY", 1),
    "小时": ("HUR", 1),
    "分钟": ("MIN", 1),
    "%": ("P1", 1),
    "％": ("P1", 1),
    "岁": ("ANN", 1),
    "年": ("ANN", 1),
    "人次": ("C62", 1),
    "人": ("C62", 1),
    "个": ("C62", 1),
    "支": ("C62", 1),
    "条": ("C62", 1),
    "次": ("C62", 1),
    "项": ("C62", 1),
    "名": ("C62", 1),
    "MW": ("MAW", 1),
    "天": ("DAY", 1),
}
_UNIT_PATTERN = "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True))
_CHINESE_DIGITS = {
    "一": 1,
    "两": 2,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_NUMBER = r"(\d+(?:\.\d+)?|[一两二三四五六七八九十])"
_FIGURE = re.compile(rf"{_NUMBER}\s*(余|多)?\s*({_UNIT_PATTERN})(余|多|以上)?")
_BEFORE_AFTER = re.compile(
    rf"从{_NUMBER}\s*({_UNIT_PATTERN})[^，。,]{{0,6}}?(?:降|减|缩短|提升|提高|增加|上升)"
    rf"(?:到|至)了?{_NUMBER}\s*({_UNIT_PATTERN})"
)


def _figures(passage: Passage) -> Iterator[Candidate]:
    text = passage.folded
    paired: list[tuple[int, int]] = []
    for match in _BEFORE_AFTER.finditer(text):
        paired.append(match.span())
        yield Candidate(
            "figure",
            match.group(),
            passage,
            "MeasuredEffect",
            {
                "before": str(_number(match.group(1)) * _UNITS[match.group(2)][1]),
                "before_unit": _UNITS[match.group(2)][0],
                "after": str(_number(match.group(3)) * _UNITS[match.group(4)][1]),
                "after_unit": _UNITS[match.group(4)][0],
            },
        )
    for match in _FIGURE.finditer(text):
        if any(start <= match.start() < end for start, end in paired):
            continue
        unit = match.group(3)
        if unit == "年" and _number(match.group(1)) >= 1900:
            continue  # a calendar year, not a duration
        if not match.group(1)[0].isdigit() and text[match.end() : match.end() + 1] in "部队班级":
            continue  # 一支部, 两个班组: part of a word, not a count
        code, factor = _UNITS[unit]
        details = {"value": _decimal(_number(match.group(1)) * factor), "unit": code}
        if match.group(2) or match.group(4):
            details["approximate"] = "true"
        yield Candidate("figure", match.group(), passage, "Figure", details)


def _number(token: str) -> float:
    return float(_CHINESE_DIGITS.get(token, token))


def _decimal(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


_PRACTICE = re.compile(r"(?:^|[。；;\s])?([一二三四五六七八九十])是([^。；;]{4,60})")


def _practices(passage: Passage) -> Iterator[Candidate]:
    for match in _PRACTICE.finditer(passage.folded):
        yield Candidate("practice", match.group(2).strip("，,：: "), passage, "Practice")


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _fold(text: str) -> str:
    """Traditional → simplified, so one set of patterns reads both scripts."""
    return _converter().convert(text)


def _fold_aligned(text: str) -> str:
    """Fold without moving offsets: phrase conversions that change length fall back
    to character-by-character conversion, so positions in the folded text are
    positions in the original."""
    folded = _fold(text)
    if len(folded) == len(text):
        return folded
    return "".join(c if len(f := _fold(c)) != 1 else f for c in text)


def fold(text: str) -> str:
    """Public folding used by the evaluator: simplified script, no quotes or spaces."""
    return re.sub(r"[\s“”\"'‘’「」『』《》]", "", _fold(text))
