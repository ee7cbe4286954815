"""Organisation candidates: names that end in an organisational suffix.

A Chinese organisation name is a run of characters ending in a suffix that says
what it is (集团有限公司, 分公司, 党支部, 车间, 工会, 网 …) and often a chain of
such names: 济南热电集团有限公司 | 西部热源分公司 | 党支部.  The rules find
the suffixes, walk left to where the name starts (the previous name in the
chain, a function word, a verb, a number), and propose the whole chain and
every shorter tail of it (西部热源分公司党支部, 西部热源分公司), because case
texts use both the registered name and its short forms.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from casegraph.drafting.candidates import CJK, Candidate, Passage

#: Suffix → the ontology class a curator would most likely choose.
ORGANISATION_SUFFIXES: dict[str, str] = {
    "党支部委员会": "PartyBranch",
    "集团股份有限公司": "EnterpriseGroup",
    "集团有限责任公司": "EnterpriseGroup",
    "集团有限公司": "EnterpriseGroup",
    "股份有限公司": "Company",
    "有限责任公司": "Company",
    "有限公司": "Company",
    "分公司": "BranchCompany",
    "公司": "Company",
    "集团": "EnterpriseGroup",
    "党总支": "PartyGeneralBranch",
    "党支部": "PartyBranch",
    "党小组": "PartyGroup",
    "党委": "PartyCommittee",
    "发电厂": "BranchCompany",
    "电厂": "BranchCompany",
    "分厂": "BranchCompany",
    "车间": "Workshop",
    "班组": "Team",
    "服务队": "Team",
    "突击队": "Team",
    "小组": "Team",
    "总工会": "PublicBody",
    "工会": "PublicBody",
    "团委": "PublicBody",
    "协会": "PublicBody",
    "学会": "PublicBody",
    "委员会": "PublicBody",
    "社区": "Community",
    "日报": "MediaOutlet",
    "晚报": "MediaOutlet",
    "电视台": "MediaOutlet",
    "网站": "MediaOutlet",
    "网": "MediaOutlet",
    "社": "MediaOutlet",
}
_SUFFIX = "|".join(sorted(map(re.escape, ORGANISATION_SUFFIXES), key=len, reverse=True))
# 社会/社区 are not 社; 网 must not be the start of 网格/网络/网点 (words, not outlets).
_SEGMENT = re.compile(rf"([{CJK}()·]{{0,30}}?)({_SUFFIX})(?![会区格络点络上])")

#: Words that end the text before a name: verbs and function words that link a
#: name to the rest of the sentence ("支部按照公司…": the name is 公司, generic).
#: 联合 links two bodies (A党支部联合B党支部) but names a joint unit when a party
#: word follows (联合党支部, 燃料购验接掺联合党员突击队); 同一 is "the same".
_BREAK_WORDS = (
    "按照|呼应|围绕|依托|通过|推动|带动|结合|参加|召开|开展|来自|属于|所属|下属|下设|成立|组建|"
    "举办|发布|打造|建设|引领|推进|指导|帮助|领导|对接|服务于|成为|加入|走进|深入|全体|带头|"
    "获得|荣获|获评|斩获|授予|命名|评为|推测|单位为|视为|列入|取自|提到|介绍|同属|邀请|深化|"
    "贯穿|作为|其中|以及|包括|联合(?!党)|协同|携手|会同|挂靠|搬到|转载|刊发|报道|现设|设立|促进|实现|"
    "负责|提高|提升|下沉|斩获|一次|同一|组成"
)
#: Single characters that never sit inside the names these texts use.
_BREAK_CHARS = "的被曾或让把从按在于附转即其该此本各等了是向将对由为获评到这那每以进他她们"
NAME_BREAK = re.compile(rf"(?:{_BREAK_WORDS}|[{_BREAK_CHARS}])")
#: Conjunctions that also occur inside names (东新和信, 管理与法律事务部): both readings are proposed.
_AMBIGUOUS_JOINS = "和与及"
#: A leading count: 2个党小组, 两支突击队, 300余名党员骨干和服务队, 单个党支部; or
#: the tail of a date (2023年集团: digits are not in a stem).
_LEADING_COUNT = re.compile(r"^(?:单个|[一二两三四五六七八九十百千万几数多余]*[个支名位家批届次项条]|[年月])")
#: Conjunctions that never open a name: a stem starting with one follows another name.
_COORDINATING = "与及"
#: A join whose left side already ends like a name (本支部与西部热源分公司) joins two names.
_NAME_END = re.compile(
    "(?:"
    + "|".join(sorted(map(re.escape, [*ORGANISATION_SUFFIXES, "支部", "部"]), key=len, reverse=True))
    + ")$"
)
#: Words that alone name no particular organisation (公司, 本支部, 一线车间, 电网 …).
GENERIC_NAMES = {
    "公司",
    "集团",
    "党支部",
    "党委",
    "支部",
    "车间",
    "班组",
    "分公司",
    "社区",
    "工会",
    "党小组",
    "党总支",
    "服务队",
    "突击队",
    "委员会",
    "电厂",
    "网",
    "社",
    "网站",
    "日报",
    "电网",
    "管网",
    "联网",
    "国网",
    "上网",
    "一线车间",
    "基层党支部",
    "党员突击队",
    "党员服务队",
    "青年突击队",
    "上级集团",
    "企业集团",
    "厂党委",
    "一线班组",
    "结对班组",
    "专业车间",
}


#: A quoted name followed by what it is: 在“学习强国”平台 — an outlet or platform.
_QUOTED_OUTLET = re.compile(r"[“\"]([^”\"+]{2,12})[”\"](?:平台|客户端|APP|App|公众号|网站|媒体)")


#: A list sharing one suffix: 发电运行、检修维护、财务等党支部 is three party branches,
#: 燃料购验接掺、机组启停修护等联合党员突击队 two commando teams.
_DISTRIBUTED = re.compile(
    rf"((?:[{CJK}]{{2,12}}[、和与及])+[{CJK}]{{2,12}})等([{CJK}]{{0,6}}?)({_SUFFIX})(?![会区格络点络上])"
)


def organisations(passage: Passage) -> Iterator[Candidate]:
    """Every name chain in the passage and its tails, each a candidate; quoted platforms;
    each name of a list that shares its suffix."""
    text = passage.folded
    for match in _DISTRIBUTED.finditer(text):
        items = re.split("[、和与及]", match.group(1))
        items[0] = _name_starts(re.split(_SUFFIX, items[0])[-1])[0]
        shared, suffix = match.group(2), match.group(3)
        if NAME_BREAK.search(shared):
            continue
        for item in items:
            name = item + shared + suffix
            if is_name(name) and not NAME_BREAK.search(item):
                yield Candidate("organisation", name, passage, ORGANISATION_SUFFIXES[suffix])
    for match in _QUOTED_OUTLET.finditer(text):
        if "党建" in match.group(1):
            continue  # “党建+科技创新”平台: a programme, not a medium
        yield Candidate("organisation", match.group(1), passage, "MediaOutlet")
    chain: list[tuple[str, str]] = []  # (name part, suffix) of adjacent segments
    chain_end = -1
    for match in _SEGMENT.finditer(text):
        stem, suffix = match.group(1), match.group(2)
        adjacent = match.start() == chain_end
        if suffix in _PLANTS and text.startswith(_PROJECT_WORDS, match.end()):
            continue  # 智慧电厂项目: the name of a project, not of a body
        if adjacent and chain and re.fullmatch(r"\([^()]*\)", stem):
            # An aside after a complete name: 十里泉发电厂(山东枣庄)党委 is 十里泉发电厂党委.
            chain.append(("", suffix))
            chain_end = match.end()
            continue
        if adjacent and stem and (stem[0] in _COORDINATING or stem in _AMBIGUOUS_JOINS):
            # 突击队和服务队, 党支部与…: a second name, not the first one going on.
            stem, adjacent = stem[1:], False
        longest, *shorter = _name_starts(stem)
        # Ambiguous starts (和/与) are proposed on their own; the chain goes on
        # with the longest reading.
        for start in shorter:
            yield from _chain_candidates([(start, suffix)], passage)
        if adjacent and longest == stem:
            chain.append((stem, suffix))
        else:
            yield from _chain_candidates(chain, passage)
            chain = [(longest, suffix)]
        chain_end = match.end()
    yield from _chain_candidates(chain, passage)


def _name_starts(stem: str) -> list[str]:
    """Where a name may start inside ``stem``: after the last break, count or bracket.

    Returns the longest reading first; a conjunction that may be part of the
    name adds the reading that starts after it.
    """
    stem = stem[_last_break(stem) :]
    if stem.count("(") != stem.count(")"):
        stem = re.split(r"[()]", stem)[-1]
    stem = stem.split("·")[-1]  # 新闻中心·集团动态: a column path, not a name
    stem = _LEADING_COUNT.sub("", stem).lstrip(_COORDINATING)
    readings = [stem]
    for index, char in enumerate(stem):
        if char in _AMBIGUOUS_JOINS and len(stem) - index - 1 >= 3:
            if _NAME_END.search(stem[:index]):
                readings = [stem[index + 1 :]]
            else:
                readings.append(stem[index + 1 :])
    return readings


def _last_break(stem: str) -> int:
    ends = [m.end() for m in NAME_BREAK.finditer(stem)]
    return ends[-1] if ends else 0


def _chain_candidates(chain: list[tuple[str, str]], passage: Passage) -> Iterator[Candidate]:
    """The chain and every tail of it that starts with a name of its own."""
    for first in range(len(chain)):
        if first > 0 and not chain[first][0]:
            continue  # a tail that starts with a bare suffix (党支部) names nothing
        for last in range(first, len(chain)):
            name = "".join(stem + suffix for stem, suffix in chain[first : last + 1])
            name = name.strip("()·")
            if is_name(name):
                cg_class = ORGANISATION_SUFFIXES[chain[last][1]]
                yield Candidate("organisation", name, passage, cg_class)


#: A plant followed by 项目/工程 is a project's name (智慧电厂项目), not a body's.
_PLANTS = ("电厂", "发电厂", "分厂")
_PROJECT_WORDS = ("项目", "工程")
#: Common nouns ending in 网 (电网 grid, 管网 pipe network …): never an outlet's name.
_NETWORK_NOUNS = ("电网", "管网", "联网", "上网", "光网", "路网", "水网")


def is_name(name: str) -> bool:
    """Whether ``name`` may name one particular organisation (not 公司党委, 电网, 党建品牌)."""
    return (
        len(name) >= 3
        and not _generic(name)
        and "品牌" not in name
        and not name.endswith(_NETWORK_NOUNS)
    )


def _generic(name: str) -> bool:
    """A generic word, or generic words run together (公司党委, 集团党委: "our company's")."""
    if name in GENERIC_NAMES:
        return True
    return any(
        name[:cut] in GENERIC_NAMES and _generic(name[cut:]) for cut in range(1, len(name))
    )
