"""Figure candidates: numbers with units, and before/after pairs.

Values are converted to the base units the data uses (518万平方米 → 5180000 MTK,
5厘米 → 0.05 MTR); 余/多/以上 mark a value as approximate; 从3小时降到了10分钟
is one measured effect with a before and an after (units may differ).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from casegraph.drafting.candidates import Candidate, Passage

#: Unit word → (UN/CEFACT code allowed by the shapes, factor to the base unit).
UNITS: dict[str, tuple[str, Decimal]] = {
    "万平方米": ("MTK", Decimal(10_000)),
    "平方米": ("MTK", Decimal(1)),
    "万吨": ("TNE", Decimal(10_000)),
    "吨": ("TNE", Decimal(1)),
    "公斤": ("KGM", Decimal(1)),
    "千克": ("KGM", Decimal(1)),
    "亿元": ("CNY", Decimal(100_000_000)),
    "万元": ("CNY", Decimal(10_000)),
    "元": ("CNY", Decimal(1)),
    "万千瓦时": ("KWH", Decimal(10_000)),
    "千瓦时": ("KWH", Decimal(1)),
    "兆瓦": ("MAW", Decimal(1)),
    "MW": ("MAW", Decimal(1)),
    "万千瓦": ("KWT", Decimal(10_000)),
    "千瓦": ("KWT", Decimal(1)),
    "公里": ("KMT", Decimal(1)),
    "千米": ("KMT", Decimal(1)),
    "厘米": ("MTR", Decimal("0.01")),
    "米": ("MTR", Decimal(1)),
    "小时": ("HUR", Decimal(1)),
    "分钟": ("MIN", Decimal(1)),
    "秒": ("SEC", Decimal(1)),
    "天": ("DAY", Decimal(1)),
    "个月": ("MON", Decimal(1)),
    "周": ("WEE", Decimal(1)),
    "年": ("ANN", Decimal(1)),
    "岁": ("ANN", Decimal(1)),
    "%": ("P1", Decimal(1)),
    "％": ("P1", Decimal(1)),
    "万人次": ("C62", Decimal(10_000)),
    "万人": ("C62", Decimal(10_000)),
    "人次": ("C62", Decimal(1)),
    "人": ("C62", Decimal(1)),
    "万户": ("C62", Decimal(10_000)),
    "户": ("C62", Decimal(1)),
    "个": ("C62", Decimal(1)),
    "支": ("C62", Decimal(1)),
    "条": ("C62", Decimal(1)),
    "次": ("C62", Decimal(1)),
    "项": ("C62", Decimal(1)),
    "名": ("C62", Decimal(1)),
    "家": ("C62", Decimal(1)),
    "台": ("C62", Decimal(1)),
    "件": ("C62", Decimal(1)),
    "场": ("C62", Decimal(1)),
    "期": ("C62", Decimal(1)),
}
#: Measure words (量词) that count things: any of them after a number is a count
#: (C62), not only the units above.
MEASURE_WORDS = "座处所辆栋套块篇本份位批届轮面间株棵口门颗张部组"
for _word in MEASURE_WORDS:
    UNITS.setdefault(_word, ("C62", Decimal(1)))
_UNIT = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
CHINESE_DIGITS = {
    "零": 0,
    "〇": 0,
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
}
_CHINESE_POWERS = {"十": 10, "百": 100, "千": 1000}
_MULTIPLIERS = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
_CN = "零〇一两二三四五六七八九十百千"
#: A number in digits (1,200 / 3.5) or in words (三十五, 一百二十), with an
#: optional 万/亿 multiplier (1.2万, 两万人次, 3亿元: the same value as the 万… units).
_NUMBER = rf"(\d+(?:[,，]\d{{3}})*(?:\.\d+)?|[{_CN}]+)(万|亿)?"
_APPROX_BEFORE = r"(近|约|超过|超|逾|将近|大约)?"
_FIGURE = re.compile(rf"{_APPROX_BEFORE}{_NUMBER}\s*(余|多)?\s*({_UNIT})(余|多|以上|左右)?")
_BEFORE_AFTER = re.compile(
    rf"从{_NUMBER}\s*(余|多)?({_UNIT})[^，。,；;]{{0,8}}?"
    r"(?:降|减|缩短|压缩|提升|提高|增加|增长|上升|下降|减少)(?:低|少|短|高|长)?"
    rf"(?:到|至|为)了?{_NUMBER}\s*(余|多)?({_UNIT})"
)
#: A rate: a number with a compound unit (1.21千克/万千瓦时, 285克/千瓦时, 30元/吨).  No
#: UN/CEFACT code is allowed for it, so it keeps the unit as written (schema:unitText).
_RATE = re.compile(rf"{_NUMBER}\s*((?:{_UNIT}|克)/(?:{_UNIT}))")
#: After a Chinese numeral these characters make a word, not a count: 一支部, 两个班组.
_WORD_AFTER_NUMERAL = "部队班级线"


def figures(passage: Passage) -> Iterator[Candidate]:
    text = passage.folded
    paired: list[tuple[int, int]] = []
    for match in _BEFORE_AFTER.finditer(text):
        paired.append(match.span())
        before_code, before_factor = UNITS[match.group(4)]
        after_code, after_factor = UNITS[match.group(8)]
        details = {
            "before": _decimal(_number(match.group(1), match.group(2)) * before_factor),
            "before_unit": before_code,
            "after": _decimal(_number(match.group(5), match.group(6)) * after_factor),
            "after_unit": after_code,
        }
        yield Candidate("figure", match.group(), passage, "MeasuredEffect", details)
    for match in _RATE.finditer(text):
        value = _number(match.group(1), match.group(2))
        if value is None or not match.group(1)[0].isdigit():
            continue
        paired.append(match.span())
        details = {"value": _decimal(value), "unit": "", "unit_text": match.group(3)}
        yield Candidate("figure", match.group(), passage, "Figure", details)
    for match in _FIGURE.finditer(text):
        if any(start <= match.start() < end for start, end in paired):
            continue
        number, multiplier, unit = match.group(2), match.group(3), match.group(5)
        value = _number(number, multiplier)
        if value is None:
            continue
        if unit == "年" and (value >= 1900 or text[match.end() : match.end() + 1] == "度"):
            continue  # a calendar year, not a duration
        if unit == "年" and re.match(r"\s*\d{1,2}月", text[match.end() :]):
            continue
        words = not number[0].isdigit()
        following = text[match.end() : match.end() + 1]
        if words and following and following in _WORD_AFTER_NUMERAL:
            continue
        code, factor = UNITS[unit]
        if words and code == "C62" and number == "一":
            continue  # 一座, 一个, 一次: an article, rarely a count worth a figure
        if words and unit == "期":
            continue  # 一期, 三期扩建: a phase, not a count
        if (
            words
            and match.start() > 0
            and text[match.start() - 1] == "“"
            and "”" in text[match.end() : match.end() + 6]
        ):
            continue  # “四个意识”, “三个不相信”: a numbered formula's name
        start = match.start(2)
        if start > 0 and text[start - 1] in "第.":
            continue  # an ordinal (第3次) or a decimal's tail
        if words and start > 0 and text[start - 1] in "统唯万之":
            continue  # 统一, 唯一, 万一, 之一: words, not numbers
        details = {"value": _decimal(value * factor), "unit": code}
        if match.group(1) or match.group(4) or match.group(6):
            details["approximate"] = "true"
        yield Candidate("figure", match.group(), passage, "Figure", details)


def _number(token: str, multiplier: str | None = None) -> Decimal | None:
    """The value of digits or Chinese numerals (三十五, 一百二十, 两), times 万/亿."""
    if token[0].isdigit():
        value = Decimal(re.sub(r"[,，]", "", token))
    else:
        value = _chinese_number(token)
        if value is None:
            return None
    return value * _MULTIPLIERS[multiplier] if multiplier else value


def _chinese_number(token: str) -> Decimal | None:
    total, digit, previous = 0, None, ""
    for char in token:
        if char in CHINESE_DIGITS:
            if digit is not None and len(token) > 1 and not any(p in token for p in "十百千"):
                digit = digit * 10 + CHINESE_DIGITS[char]  # 二〇二三-style digit strings
            else:
                digit = CHINESE_DIGITS[char]
        elif char in _CHINESE_POWERS:
            if previous in _CHINESE_POWERS:
                return None  # 千百吨, 成百上千: "hundreds or thousands", no number
            total += (1 if digit is None else digit) * _CHINESE_POWERS[char]
            digit = None
        else:
            return None
        previous = char
    return Decimal(total + (digit or 0))


def _decimal(value: Decimal) -> str:
    """A plain decimal string without exponent or trailing zeros: 5180000, 0.05, 3."""
    text = format(value.normalize(), "f")
    return text
