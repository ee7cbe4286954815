"""People and the roles they are named with.

Case texts name people with a role in front (记者朱海波, 集团党委副书记杨勇刚,
党员驾驶员荀培培) or in brackets after (尹强(锅炉专业主管)), and list award
winners after their unit (济南能投集团张帅).  Chinese names have no capitals
to find them by, so the part-of-speech tagger of jieba (already used by the
text repair) marks person names (``nr``); the rules keep a tagged name of two or
three characters and read the role next to it.  The tagger may split a name
whose given name is also a word (朱 | 海波): a one-character surname tag joined
with the word after it is read as one name.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from functools import cache

from casegraph.drafting.candidates import CJK, Candidate, Passage
from casegraph.drafting.organisations import NAME_BREAK

#: Common Chinese surnames (the first ~150 of today's frequency lists, single and
#: double): the tagger's ``nr`` also fires on words (荣誉, 红旗, 大修), and a name
#: must start with a surname.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮"
    "柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古"
    "吉缪简车项连芦麻褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫"
    "寇桑郎甄丛仲虞敖巩明佘池查麦苑迟邝荀"
)
DOUBLE_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "尉迟", "长孙")

#: Role words, longest first; a role is the run of these (and the words before
#: them up to a break) written next to a name.
ROLE_WORDS = (
    "副书记",
    "书记",
    "副主任",
    "主任",
    "队长",
    "班长",
    "值长",
    "主管",
    "经理",
    "董事长",
    "站长",
    "厂长",
    "所长",
    "组长",
    "骨干",
    "驾驶员",
    "记者",
    "通讯员",
    "作者",
    "编辑",
    "劳模",
    "劳动模范",
    "工匠",
    "委员",
    "党员",
    "技师",
    "工程师",
    "师傅",
)
_ROLE = re.compile(
    rf"([{CJK}]{{0,10}}?(?:{'|'.join(sorted(ROLE_WORDS, key=len, reverse=True))}))[、，,:：\s]*$"
)
_BRACKETED_ROLE = re.compile(rf"^[(（]([{CJK}、]{{2,20}})[)）]")
_PRIZE_BEFORE = re.compile(r"(?:[一二三]等奖|特等奖|优秀奖|金奖|银奖|铜奖)[^。；;]*$")
_ROLE_START_BREAK = re.compile(r".*(?:[的和与及、，,；;。:：\s]|报道|人物)")


@cache
def _tagger():  # noqa: ANN202 - jieba.posseg has no type hints
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return jieba.posseg


#: Passages worth tagging: a person is named with a role, in a list of people
#: (人物:) or among award winners.  Tagging only these keeps drafting fast and
#: keeps the tagger's stray guesses (a place read as a name) out of other passages.
_PEOPLE_CONTEXT = re.compile("|".join((*ROLE_WORDS, "人物", "奖", "获", "同志")))


def word_tag(word: str) -> str | None:
    """The part-of-speech tag jieba's dictionary gives ``word`` (ns: a place name)."""
    return _tagger().dt.word_tag_tab.get(word)


#: Tags of words that never open a name: verbs, adverbs, prepositions, conjunctions, times.
_NOT_A_NAME_START = re.compile(r"^(?:v|vn|vd|d|ad|p|c|t)$")


def without_leading_verbs(name: str) -> str:
    """``name`` without the verbs and function words jieba reads at its start.

    The break words cut the text before a name only where a listed word stands
    (立足唐冶片区 and 覆盖全市 keep their verb); the tagger knows many more.  A
    single character is no word here: the tagger splits rare names into
    characters and tags them at random (临空区 as 临/v 空区).
    """
    tokens = list(_tagger().cut(name))
    start = 0
    for token in tokens[:-1]:
        if len(token.word) < 2 or not _NOT_A_NAME_START.match(token.flag):
            break
        start += len(token.word)
    return name[start:]


#: How often a word must occur in jieba's dictionary to be read as a word, not a name.
_COMMON = 100
_COMMON_GIVEN = 1000
_WORD_TAGS = ("n", "v", "vn", "d", "a", "ad", "an")


def _common_word(name: str) -> bool:
    """Whether ``name`` is a common word (荣誉, 荣获), or a surname before one (周总结).

    jieba tags such words nr when a surname character opens them; its
    dictionary's counts tell a word from a name (高峰 is both: without a role
    it is taken as the word).
    """
    dictionary = _tagger().dt
    dictionary.check_initialized()
    if (dictionary.FREQ.get(name) or 0) >= _COMMON:
        return True
    given = name[1:]
    return (
        len(name) == 3
        and (dictionary.FREQ.get(given) or 0) >= _COMMON_GIVEN
        and dictionary.word_tag_tab.get(given) in _WORD_TAGS
    )


def warm_up() -> None:
    """Load the tagger's dictionary now (a second or more, once per process)."""
    list(_tagger().cut("记者张三"))


def people(passage: Passage) -> Iterator[Candidate]:
    """Person candidates with the role stated next to them (details ``role``)."""
    text = passage.folded
    if not _PEOPLE_CONTEXT.search(text):
        return
    tokens = [(token.word, token.flag) for token in _tagger().cut(text)]
    offset = 0
    index = 0
    while index < len(tokens):
        word, flag = tokens[index]
        start = offset
        name = None
        if flag.startswith("nr") and 2 <= len(word) <= 3:
            name = word
        elif (
            flag == "nr"
            and len(word) == 1
            and index + 1 < len(tokens)
            and 1 <= len(tokens[index + 1][0]) <= 2
            and re.fullmatch(f"[{CJK}]+", tokens[index + 1][0])
        ):
            name = word + tokens[index + 1][0]
            offset += len(tokens[index + 1][0])
            index += 1
        offset += len(word)
        index += 1
        if name is None or not (name[0] in SURNAMES or name.startswith(DOUBLE_SURNAMES)):
            continue
        details = {}
        role = _role_before(text[:start]) or _role_after(text[start + len(name) :])
        if not role and _PRIZE_BEFORE.search(text[:start]):
            role = "获奖者"  # listed after a prize: 一等奖——济南能投集团张帅
        if role:
            details["role"] = role
        elif _common_word(name):
            continue  # 荣誉, 周总结: a word the tagger read as a name, and no role says otherwise
        yield Candidate("person", name, passage, "Person", details)


def _role_before(before: str) -> str | None:
    match = _ROLE.search(before[-14:])
    if not match:
        return None
    role = _ROLE_START_BREAK.sub("", match.group(1))
    breaks = [m.end() for m in NAME_BREAK.finditer(role)]
    role = role[breaks[-1] if breaks else 0 :]
    return role if len(role) >= 2 else None


def _role_after(after: str) -> str | None:
    match = _BRACKETED_ROLE.match(after)
    return match.group(1).split("、")[0] if match else None
