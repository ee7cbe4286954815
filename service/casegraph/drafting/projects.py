"""Projects and places: names that end in what they are, like organisations.

Projects (pipelines, plants, lines, retrofits) are their own kind (``cg:Project``)
rather than organisations or events: 西部热源厂管网工程, 聊城电厂三期扩建项目.
Places end in an administrative suffix (省, 市, 区, 县, 镇, 街道); a suffix alone
reads many words as places (城区, 社区), so a place must start after a break
and be two to six characters long.  Both reuse the organisations' left
boundary (a verb or function word ends the text before a name).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from casegraph.drafting.candidates import CJK, Candidate, Passage
from casegraph.drafting.organisations import NAME_BREAK

_PROJECT = re.compile(
    rf"((?:[{CJK}0-9“”]{{0,20}}?(?:管网|管线|管道|工程|项目|机组|生产线|线路|泵站|换热站|热源厂|水厂))+)"
    r"(?![师队部])"
)
_PROJECT_GENERIC = {"工程", "项目", "重点项目", "重点工程", "民生工程", "这一工程", "该项目"}
_PLACE = re.compile(rf"([{CJK}]{{1,5}}?(?:省|自治区|市|区|县|镇|乡|街道))(?![委长属级场民域内外直政])")
_PLACE_GENERIC = re.compile(r"^城市$|(?:城区|社区|园区|景区|片区|辖区|小区|市区|全市|全省|全区|本市|该市|各区|新区|主城区|供热区|服务区)$")


def projects(passage: Passage) -> Iterator[Candidate]:
    for match in _PROJECT.finditer(passage.folded):
        # A project of a named organisation starts after the organisation's name.
        name = re.split(r"公司|集团|党委|党支部", _after_break(match.group(1)))[-1].strip("“”")
        if len(name) >= 4 and name not in _PROJECT_GENERIC:
            yield Candidate("project", name, passage, "Project")


def places(passage: Passage) -> Iterator[Candidate]:
    for match in _PLACE.finditer(passage.folded):
        name = _after_break(match.group(1)).lstrip("含和及与、")
        if 2 <= len(name) <= 6 and not _PLACE_GENERIC.search(name):
            yield Candidate("place", name, passage, "Place")


def _after_break(text: str) -> str:
    ends = [m.end() for m in NAME_BREAK.finditer(text)]
    return text[ends[-1] if ends else 0 :]
