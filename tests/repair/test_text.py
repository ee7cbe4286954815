"""repair-text on the first case's damaged source, and its properties on arbitrary text."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from casegraph.cli import main
from casegraph.repair.text import repair_text
from tests.shared_material import SEED_SOURCE

SEED = SEED_SOURCE
if not SEED.exists():
    pytest.skip(f"{SEED} is absent (shared material not beside the checkout)",
                allow_module_level=True)

# Counted independently of the module: "(" + letters with pinyin tone marks or plain
# lowercase letters + ")"; plus the glosses whose "(" was swallowed by a misread pair,
# recognisable as toned letters + ")" right after "?".
TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
WHOLE_GLOSS = re.compile(rf"\([a-z{TONED}]+\)")
BROKEN_GLOSS = re.compile(rf"(?<=\?)[a-z{TONED}]*[{TONED}][a-z{TONED}]*\)")


@pytest.fixture(scope="module")
def raw() -> str:
    if not SEED.exists():
        pytest.skip("the damaged seed text (shared/sources) is not present")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def repaired(raw: str):
    return repair_text(raw)


def test_every_gloss_is_removed_and_counted(raw: str, repaired) -> None:
    expected = len(WHOLE_GLOSS.findall(raw)) + len(BROKEN_GLOSS.findall(raw))
    assert expected > 200
    assert repaired.summary()["gloss"] == expected
    assert WHOLE_GLOSS.findall(repaired.text) == []
    assert BROKEN_GLOSS.findall(repaired.text) == []


def test_genuine_parentheses_survive(repaired) -> None:
    for genuine in ("(青:青春朝氣;新:技術創新;", "(99%以上)", "(四)攻堅克難"):
        assert genuine in repaired.text


SEED_HEADINGS = [
    "(一)支委會委員主動向前,延長基層黨建工作手臂",
    "(二)守正創新“青新熙源”黨建品牌“破土凌云”",
    "(三)賦能增效黨建帶動生產經營“碩果盈枝”",
    "(四)攻堅克難青年職工在一線“向陽而生”",
    "(一)學習氛圍日益濃厚",
    "(二)黨建品牌形象顯著提升",
    "(三)青年干事創業的熱情日益提高",
]


def test_every_numbered_heading_is_restored(repaired) -> None:
    lines = repaired.text.splitlines()
    for heading in ("一、案例背景", "二、主要做法", "三、案例效果"):
        assert heading in lines
    assert [line for line in lines if line.startswith(("(", "?"))] == SEED_HEADINGS
    assert repaired.flagged == []


def test_lost_heading_words_are_inferred_with_their_evidence(repaired) -> None:
    inferred = [r for r in repaired.repairs if r.kind == "heading-inferred"]
    assert [(r.line, r.raw, r.repaired) for r in inferred] == [
        (9, "?。ㄒ唬┲瘯瘑T", "(一)支委會委員"),
        (20, "?。ǘh", "(二)黨"),
    ]
    assert "before (二) on line 11" in inferred[0].note
    assert "after (一) on line 18, before (三) on line 22" in inferred[1].note
    assert "黨建 (" in inferred[1].note and "× in the text" in inferred[1].note


def misread(line: str) -> str:
    """Damage ``line`` as the seed was damaged: GBK bytes read one byte out of step (the
    first byte becomes "?"), unmappable pairs dropped, until an ASCII byte resyncs."""
    data = line.encode("gbk")
    damaged, index = ["?"], 1
    while index < len(data) and data[index] >= 0x80:
        try:
            ch = data[index : index + 2].decode("gbk")
        except UnicodeDecodeError:
            ch = ""
        if ch and unicodedata.category(ch) != "Co":
            damaged.append(unicodedata.normalize("NFKC", ch) if "\uff01" <= ch <= "\uff5e" else ch)
        index += 2
    return "".join(damaged) + data[index:].decode("gbk")


def test_misread_reproduces_the_seed_damage() -> None:
    assert misread("\u3000（二）黨建品牌形象顯著提升") == "?。ǘh建品牌形象顯著提升"
    assert misread("\u3000（一）支委會委員主動向前") == "?。ㄒ唬┲瘯瘑T主動向前"


def synthetic_case(paragraph: str) -> str:
    return "\n".join(
        [
            "一、案例效果",
            "(一)學習氛圍日益濃厚",
            paragraph,
            misread("\u3000（二）黨建品牌形象顯著提升"),
            paragraph,
            "(三)青年干事創業的熱情日益提高",
            paragraph,
        ]
    )


def test_synthetic_damaged_heading_is_restored() -> None:
    result = repair_text(synthetic_case("西部熱源分公司把黨建工作與企業發展深度融合。"))
    assert "(二)黨建品牌形象顯著提升" in result.text.splitlines()
    assert result.summary()["heading-inferred"] == 1 and result.flagged == []


def test_ambiguous_damaged_heading_stays_flagged() -> None:
    # 漢 (FA 68) and 黨 (FC 68) misread identically after "）"; the text uses both 漢建 and
    # 黨建, so nothing tells them apart.
    text = synthetic_case("黨建工作與漢建築研究同步推進。")
    result = repair_text(text)
    assert [(r.line, r.raw) for r in result.flagged] == [(4, "?。ǘh")]
    assert "ambiguous" in result.flagged[0].note
    assert "?。ǘh建品牌形象顯著提升" in result.text.splitlines()


def test_heading_number_contradicted_by_neighbours_stays_flagged() -> None:
    text = synthetic_case("西部熱源分公司把黨建工作與企業發展深度融合。").replace("(三)", "(四)")
    result = repair_text(text)
    assert [r.note for r in result.flagged] == [
        "no heading number follows from the neighbouring headings"
    ]


def test_misaligned_runs_inside_paragraphs_are_read_in_step(repaired) -> None:
    assert "熙源和西部熱源是同音詞。“青新熙源”寓意發展創新、青春昂揚)" in repaired.text
    assert "他們為西部分公司環保運維" in repaired.text


def test_report_positions_point_into_the_raw_text(raw: str, repaired) -> None:
    lines = raw.splitlines()
    for repair in repaired.repairs:
        line = lines[repair.line - 1]
        assert line[repair.column - 1 :].startswith(repair.raw), repair


def test_seed_repair_is_idempotent(repaired) -> None:
    again = repair_text(repaired.text)
    assert again.text == repaired.text
    assert again.summary()["gloss"] == 0


def test_cli_writes_text_and_json_report(tmp_path: Path, repaired) -> None:
    out, report = tmp_path / "out.txt", tmp_path / "report.json"
    result = CliRunner().invoke(
        main, ["repair-text", str(SEED), "-o", str(out), "--report", str(report)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == repaired.text
    document = json.loads(report.read_text(encoding="utf-8"))
    assert document["summary"] == repaired.summary()
    assert {"kind", "line", "column", "raw", "repaired"} <= set(document["repairs"][0])


def test_cli_strict_exits_2_only_when_something_is_flagged(tmp_path: Path) -> None:
    ambiguous = tmp_path / "ambiguous.txt"
    ambiguous.write_text(synthetic_case("黨建工作與漢建築研究同步推進。"), encoding="utf-8")
    for source, strict_exit in ((SEED, 0), (ambiguous, 2)):
        args = ["repair-text", str(source), "-o", str(tmp_path / "out.txt"), "--json"]
        assert CliRunner().invoke(main, args).exit_code == 0
        assert CliRunner().invoke(main, [*args, "--strict"]).exit_code == strict_exit


CJK_SAMPLE = "西部熱源分公司黨支部現有黨員青新熙源創新發展學習"
text_without_glosses = st.text(
    alphabet=st.sampled_from(list(CJK_SAMPLE + "abcxyz(),:;%0123456789 \n")), max_size=80
)


@settings(max_examples=60, deadline=None)
@given(text_without_glosses)
def test_text_without_glosses_or_damage_is_unchanged(text: str) -> None:
    # Parentheses holding pinyin right after a CJK character would be glosses: exclude them.
    if re.search(r"[\u4e00-\u9fff]\((?:[a-z]+)\)", text):
        return
    result = repair_text(text)
    assert result.text == text
    assert result.repairs == []


glossed = st.lists(
    st.one_of(
        st.sampled_from(list(CJK_SAMPLE)),
        st.sampled_from(["(xiàn)", "(fā)", "(zhōng)", "(ni)", "(99%)", "(四)", "?", "。", ","]),
    ),
    max_size=30,
).map("".join)


@settings(max_examples=60, deadline=None)
@given(glossed)
def test_gloss_removal_is_idempotent(text: str) -> None:
    once = repair_text(text).text
    assert repair_text(once).text == once


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=40))
def test_never_raises_on_arbitrary_text(text: str) -> None:
    result = repair_text(text)
    assert isinstance(result.text, str)
    assert sum(result.summary().values()) == len(result.repairs)
