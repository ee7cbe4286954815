"""Award and brand candidates.

Awards are written in a few recurring shapes, and the rules follow them:

* a conferral verb and a title: 荣获济南能源集团“先进党组织”称号, 被路桥集团党委
  命名为“过硬党支部”, 获评青州市抗灾抢险先进基层党组织 — the words between the
  verb and the quoted title, or after 被, name the issuer;
* a competition and a rank: 山东省住建系统2021年度“五小”竞赛一等奖 — issuer, year,
  competition, rank;
* a list: 荣誉：全国文明单位、全国五一劳动奖状…, 先后荣获A、B等荣誉称号.

Brands are quoted names followed by 品牌 (“青新熙源”党建品牌) or listed after 品牌：.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from casegraph.drafting.candidates import CJK, Candidate, Passage
from casegraph.drafting.organisations import NAME_BREAK, ORGANISATION_SUFFIXES, is_name

RANKS = {
    "特等奖": "special-prize",
    "一等奖": "first-prize",
    "二等奖": "second-prize",
    "三等奖": "third-prize",
    "优秀奖": "excellence-prize",
    "金奖": "gold",
    "银奖": "silver",
    "铜奖": "bronze",
}
_RANK = "|".join(RANKS)
_NUMERALS = "一二三四五六七八九十"
_YEAR = r"((?:19|20)\d\d)(?:\s*[-—–至~]\s*((?:19|20)?\d\d))?\s*年度?"
_QUOTED = r"[“\"]([^”\"]{2,30})[”\"]"
_VERBS = r"(?:荣获|获评|获得|获|被评为|评为|命名为|授予|被授予|入选|夺得|斩获)"
#: Verb [issuer] “title” [tail]: the tail completes titles like “千年古城新崛起”突出贡献单位
#: and “双报到”荣誉单位 (荣誉 ends a title unless a 单位/集体 honoured follows).
_CONFERRAL = re.compile(
    rf"{_VERBS}了?(?P<scope>[{CJK}0-9年度]{{0,20}}?){_QUOTED}(?P<tail>[{CJK}]{{0,10}}?)"
    r"(?:荣誉称号|光荣称号|称号|荣誉(?!单位|集体)|[，。、；;,（(]|$)"
)
#: “title”称号 wherever it stands (no verb: 以创建“青年文明号”为契机 is not one).
_TITLE_BEFORE_NOUN = re.compile(rf"{_QUOTED}(?P<tail>[{CJK}]{{0,8}}?)(?:荣誉)?称号")
#: An unquoted honour after a verb: 获评青州市抗灾抢险先进基层党组织.
_HONOUR_WORDS = (
    "先进|优秀|示范|模范|标兵|先锋|文明|劳动|十佳|十大|最美|突出贡献|过硬|红旗|五一|名牌"
)
_UNQUOTED = re.compile(rf"{_VERBS}(?P<title>[{CJK}]{{4,24}}?)(?:荣誉称号|称号|[，。、；;,（(]|$)")
#: Lists of honours.
_LIST_AFTER_COLON = re.compile(r"(?:荣誉|奖项|荣誉称号|所获荣誉)[:：]([^。\n]+)")
_LIST_WITH_DENG = re.compile(
    rf"{_VERBS}([^。；;\n]{{4,200}}?)等(?:多项|一系列|多个)?(?:荣誉|称号|奖项)"
)
#: The issuer named with 被/由 before the verb: 被路桥集团党委命名为.
_ISSUER_BEFORE = re.compile(rf"(?:被|由)([{CJK}]{{2,20}}?)(?:授予|命名为|评为|评选为|表彰为|颁发)")
_ISSUER_NOISE = re.compile(r"^(?:在|于|经|由|被|获|荣获|斩获|参加|参与|该|本)+")
_PRIZE_CONTEXT = re.compile(
    rf"(?P<issuer>[{CJK}]{{2,16}}?)?\s*(?:{_YEAR})?\s*(?P<competition>"
    rf"(?:第[一二三四五六七八九十\d]+届)?(?:[“\"][^”\"]{{1,20}}[”\"])?[{CJK}\s]{{0,16}}?"
    rf"(?:竞赛|比赛|大赛|评选|评比|活动|成果|赛))"
)


_ORG_SUFFIX = "|".join(sorted(map(re.escape, ORGANISATION_SUFFIXES), key=len, reverse=True))
#: The body that organised a competition or selection: 在山东省总工会组织的…竞赛中.
_ORGANISED_BY = re.compile(rf"([{CJK}]{{2,20}}?(?:{_ORG_SUFFIX}))(?:组织|主办|举办|发起)的")
#: The recipient: the organisation written just before the conferral verb
#: (东新和信党支部再次获得…, 西部热源分公司党支部被…授予).
_RECIPIENT = re.compile(
    rf"([{CJK}()]{{2,30}}?(?:{_ORG_SUFFIX}))(?:再次|先后|连续|多次|曾|也|还|均|已)?"
    r"(?:被|荣获|获得|获评|获|入选|斩获)"
)
#: 授予<recipient><title>: the title written after the recipient's name.
_GIVEN_TO = re.compile(rf"^([{CJK}()]{{2,30}}?(?:{_ORG_SUFFIX}))([{CJK}“”]{{4,}})$")


def awards(passage: Passage) -> Iterator[Candidate]:
    """Award candidates with whatever of year, rank, issuer and recipient the passage states."""
    for candidate in _awards(passage):
        text = passage.folded
        details = candidate.details
        if "issuer" not in details and (organised := _ORGANISED_BY.search(text)):
            issuer = _issuer(organised.group(1))
            if issuer:
                details["issuer"] = issuer
        given = _GIVEN_TO.match(candidate.label)
        if given and "授予" in text:
            details["recipient"] = _name_after_break(given.group(1))
            candidate.label = given.group(2)
        elif (recipient := _RECIPIENT.search(text)) and "recipient" not in details:
            name = _name_after_break(recipient.group(1))
            if len(name) >= 3 and name != details.get("issuer"):
                details["recipient"] = name
        yield candidate


def _name_after_break(text: str) -> str:
    breaks = [m.end() for m in NAME_BREAK.finditer(text)]
    return text[breaks[-1] if breaks else 0 :]


def _awards(passage: Passage) -> Iterator[Candidate]:
    text = passage.folded
    year = _year_details(text)
    issuer_before = _ISSUER_BEFORE.search(text)
    for match in _CONFERRAL.finditer(text):
        if re.search(f"(?:{_RANK})$", match.group("tail")):
            continue  # a competition prize: _prizes reads its competition and rank
        title = match.group(2) + match.group("tail")
        issuer = _issuer(match.group("scope")) or (
            issuer_before and _issuer(issuer_before.group(1))
        )
        yield _award(title, passage, year, issuer)
    for match in _TITLE_BEFORE_NOUN.finditer(text):
        yield _award(match.group(1) + match.group("tail"), passage, year, None)
    for match in _UNQUOTED.finditer(text):
        title = match.group("title")
        if "“" not in title and re.search(_HONOUR_WORDS, title):
            issuer = issuer_before and _issuer(issuer_before.group(1))
            yield _award(title, passage, year, issuer)
    for pattern in (_LIST_AFTER_COLON, _LIST_WITH_DENG):
        for match in pattern.finditer(text):
            for item in re.split(r"[、,，;；]", match.group(1)):
                title = re.sub(r"[“”\"]|\(.*?\)|（.*?）|等$", "", item).strip()
                if 3 <= len(title) <= 30 and re.fullmatch(rf"[{CJK}0-9]+", title):
                    yield _award(title, passage, year, None)
    yield from _prizes(passage)


def _prizes(passage: Passage) -> Iterator[Candidate]:
    """Competition prizes: the competition named before the rank, its year and issuer."""
    text = passage.folded
    for rank in re.finditer(_RANK, text):
        before = text[: rank.start()]
        contexts = [m for m in _PRIZE_CONTEXT.finditer(before) if m.group("competition")]
        if not contexts:
            continue
        # Prefer the fullest statement (one with a year) over a later back-reference.
        context = max(contexts, key=lambda m: (m.group(2) is not None, m.start()))
        issuer_words, competition = context.group("issuer") or "", context.group("competition")
        if ordinal := re.search(rf"第[{_NUMERALS}\d]*$", issuer_words):
            # 第五届…成果: the ordinal opens the competition, it is no issuer.
            competition = issuer_words[ordinal.start() :] + competition
            issuer_words = issuer_words[: ordinal.start()]
        if conferred := list(re.finditer(_VERBS, competition)):
            # 党建品牌案例获第五届…: what precedes the verb is the recipient, not the issuer.
            competition, issuer_words = competition[conferred[-1].end() :], ""
        competition = _trim_competition(competition)
        if len(competition) < 2:
            continue
        details = {"rank": RANKS[rank.group()]}
        if context.group(2):
            details["year"] = context.group(2)
        issuer = _issuer(issuer_words)
        if issuer:
            details["issuer"] = issuer
        details["competition"] = competition
        # The title is the competition's prize (cg:Award); the rank is a separate
        # concept on the conferral (docs/modelling.md), so it is not in the label.
        yield Candidate("award", competition + "奖", passage, "AwardConferral", details)


def _trim_competition(competition: str) -> str:
    competition = competition.strip()
    quoted = competition.find("“")
    if quoted > 0:
        return competition[quoted:]
    return _ISSUER_NOISE.sub("", competition)


def _award(title: str, passage: Passage, year: dict[str, str], issuer: str | None) -> Candidate:
    details = dict(year)
    if issuer:
        details["issuer"] = issuer
    rank = re.search(f"({_RANK})$", title)
    if rank:
        details["rank"] = RANKS[rank.group(1)]
        title = title[: rank.start()] + "奖"
    return Candidate("award", title, passage, "AwardConferral", details)


def _year_details(text: str) -> dict[str, str]:
    match = re.search(_YEAR, text)
    if not match:
        return {}
    details = {"year": match.group(1)}
    if match.group(2):
        end = match.group(2)
        details["yearEnd"] = end if len(end) == 4 else match.group(1)[:2] + end
    return details


def _issuer(scope: str) -> str | None:
    """The issuer in the words between a verb and a title, if they look like a body's name."""
    scope = re.sub(_YEAR, "", scope)
    breaks = [m.end() for m in NAME_BREAK.finditer(scope)]
    scope = scope[breaks[-1] if breaks else 0 :]
    scope = _ISSUER_NOISE.sub("", scope).strip()
    if len(scope) >= 2 and not re.match(r"[该本其此这各]", scope):
        return scope
    return None


def award_issuers(candidates: list[Candidate]) -> Iterator[Candidate]:
    """Issuers are organisations too: propose each that reads as a name, citing the award's passage."""
    for candidate in candidates:
        issuer = candidate.details.get("issuer")
        if candidate.kind == "award" and issuer and is_name(issuer):
            yield Candidate("organisation", issuer, candidate.passage, "PublicBody")


_BRAND = re.compile(rf"{_QUOTED}(?:[\s党建志愿服务子母特色文化]|工作)*品牌(?!矩阵)")
_BRAND_LIST = re.compile(r"品牌(?:[/、][^:：。]{1,4})?[:：]([^。\n]+)")


def brands(passage: Passage) -> Iterator[Candidate]:
    """Quoted names followed by 品牌, and the names listed after 品牌：."""
    for match in _BRAND.finditer(passage.folded):
        yield Candidate("brand", match.group(1), passage, "PartyBuildingBrand")
    for match in _BRAND_LIST.finditer(passage.folded):
        for item in re.split(r"[、,，;；]", match.group(1)):
            if "矩阵" in item:
                continue  # “1+35”党建品牌矩阵: the matrix the brands form, not a brand
            name = re.sub(r"\(.*?\)|（.*?）", "", item)
            quoted = re.search(_QUOTED, name)
            name = quoted.group(1) if quoted else name.strip()
            if 2 <= len(name) <= 20 and "品牌" not in name:
                yield Candidate("brand", name, passage, "PartyBuildingBrand")
