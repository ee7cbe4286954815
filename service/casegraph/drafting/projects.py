"""Projects and places: names that end in what they are, like organisations.

Projects (pipelines, plants, lines, retrofits) are their own kind (``cg:Project``)
rather than organisations or events: 西部热源厂管网工程, 聊城电厂三期扩建项目.
Places end in an administrative suffix (市, 区, 县, 镇, 街道); a suffix alone
reads many words as places (城区, 社区, 责任区), so a place must start after a
break and be two to six characters long.  Notes mostly write places without
their suffix (山东聊城, 驰援北京、河北涿州, 济南): those are found by name — the
provinces (a closed list), the places the graph already holds, and a city
written right after its province (湖北仙桃 is 仙桃市 when jieba's dictionary
knows 仙桃市 as a place).  A place name that is part of an organisation's name
(山东公司, 济南热电集团) is the organisation's, not a place of the case.  Both
reuse the organisations' left boundary (a verb or function word ends the text
before a name).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from casegraph.drafting.candidates import CJK, Candidate, Passage
from casegraph.drafting.organisations import NAME_BREAK
from casegraph.drafting.people import without_leading_verbs, word_tag

#: The provincial-level divisions of China by their full names.
PROVINCES = (
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省",
    "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省",
    "广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "青海省", "台湾省",
    "内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区",
    "香港特别行政区", "澳门特别行政区",
)  # fmt: skip
_ADMINISTRATIVE_SUFFIX = re.compile(
    r"(?:省|市|(?:壮族|回族|维吾尔)?自治区|特别行政区)$"
)

_PROJECT = re.compile(
    rf"((?:[{CJK}0-9“”]{{0,20}}?(?:管网|管线|管道|工程|项目|机组|生产线|线路|泵站|换热站|热源厂|水厂))+)"
    r"(?![师队部])"
)
_PROJECT_GENERIC = {"工程", "项目", "重点项目", "重点工程", "民生工程", "这一工程", "该项目"}
_PLACE = re.compile(rf"([{CJK}]{{1,5}}?(?:市|区|县|镇|乡|街道))(?![委长属级场民域内外直政])")
#: Nouns ending in a place suffix that name a kind of area, not a place: alone or
#: after a deictic (全市, 该区, 主城区) they are generic, also after a word the left
#: boundary does not cut (覆盖全市); a name before them makes a place (唐冶片区, 济南主城区).
_AREA_NOUNS = "城区|园区|景区|片区|辖区|小区|市区|新区|供热区|城市|城镇|镇区"
_PLACE_GENERIC = re.compile(
    rf"^[全本该各此主辖首个一]*(?:{_AREA_NOUNS}|市|省|区|县)$"
    r"|[全本该各此](?:市|省|区|县)$"
    r"|(?:社区|责任区|示范区|服务区|城市|城镇)$"
)


class Gazetteer:
    """Places known by name: their written forms (full and short) → the full name."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        self.forms: dict[str, str] = {}
        self.provinces: set[str] = set()
        for name in PROVINCES:
            short = _ADMINISTRATIVE_SUFFIX.sub("", name)
            self.forms[name] = self.forms[short] = name
            self.provinces.update((name, short))
        for name in names:
            short = _ADMINISTRATIVE_SUFFIX.sub("", name)
            self.forms.setdefault(name, name)
            if len(short) >= 2 and short != name:
                self.forms.setdefault(short, name)
        alternatives = sorted(self.forms, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, alternatives)))


def projects(passage: Passage) -> Iterator[Candidate]:
    for match in _PROJECT.finditer(passage.folded):
        # A project of a named organisation starts after the organisation's name.
        name = re.split(r"公司|集团|党委|党支部", _after_break(match.group(1)))[-1].strip("“”")
        if len(name) >= 4 and name not in _PROJECT_GENERIC:
            yield Candidate("project", name, passage, "Project")


def places(
    passage: Passage, gazetteer: Gazetteer, inside_names: Iterable[tuple[int, int]] = ()
) -> Iterator[Candidate]:
    """Places by suffix and by name, except where they are part of a name in
    ``inside_names`` (spans of the passage: its organisations)."""
    text = passage.folded
    taken = list(inside_names)
    for match in gazetteer.pattern.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        taken.append(match.span())
        yield Candidate("place", gazetteer.forms[match.group()], passage, "Place")
        city = text[match.end() : match.end() + 2]
        if (
            match.group() in gazetteer.provinces
            and re.fullmatch(f"[{CJK}]{{2}}", city)
            and not any(start <= match.end() < end for start, end in taken)
            and (word_tag(city) == "ns" or word_tag(city + "市") == "ns")
            and city + "市" not in gazetteer.provinces
        ):
            taken.append((match.end(), match.end() + 2))
            yield Candidate("place", city + "市", passage, "Place")
    for match in _PLACE.finditer(text):
        if any(start <= match.start(1) < end for start, end in taken):
            continue
        name = without_leading_verbs(_after_break(match.group(1)).lstrip("含和及与、"))
        if 3 <= len(name) <= 6 and not _PLACE_GENERIC.search(name):
            yield Candidate("place", name, passage, "Place")


def _after_break(text: str) -> str:
    ends = [m.end() for m in NAME_BREAK.finditer(text)]
    return text[ends[-1] if ends else 0 :]
