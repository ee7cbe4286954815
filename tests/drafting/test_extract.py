"""Extraction rules on small snippets written the way case texts are."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from casegraph.drafting.extract import extract, split_sections


def labels(text: str, kind: str) -> list[str]:
    return [c.label for c in extract(text) if c.kind == kind]


def only(text: str, kind: str, label: str):
    return next(c for c in extract(text) if c.kind == kind and c.label == label)


def test_organisation_chain_and_its_short_forms():
    text = "济南热电集团有限公司西部热源分公司党支部现有党员23人。"
    found = labels(text, "organisation")
    assert "济南热电集团有限公司西部热源分公司党支部" in found
    assert "济南热电集团有限公司" in found
    assert "西部热源分公司" in found
    assert "西部热源分公司党支部" in found
    assert only(text, "organisation", "西部热源分公司党支部").cg_class == "PartyBranch"
    assert only(text, "organisation", "济南热电集团有限公司").cg_class == "EnterpriseGroup"


def test_organisation_starts_after_verbs_prepositions_and_counts():
    text = "在济南热电集团有限公司党委的正确领导下,下设2个党小组,2021年6月被路桥集团党委命名。"
    found = labels(text, "organisation")
    assert "济南热电集团有限公司党委" in found
    assert "路桥集团党委" in found
    assert not any(name.startswith(("在", "个", "被", "月")) for name in found)
    assert "党小组" not in found  # a bare suffix names no organisation


def test_conjunction_inside_a_name_keeps_both_readings():
    found = labels("企业管理与法律事务部党支部开展活动。东新和信党支部获表彰。", "organisation")
    assert "企业管理与法律事务部党支部" in found
    assert "法律事务部党支部" in found
    assert "东新和信党支部" in found
    assert "信党支部" not in found  # one character after 和 is no name


def test_media_outlets_and_no_generic_networks():
    found = labels("在“学习强国”平台、中青网、中国山东网等媒体报道,供水管网改造。", "organisation")
    assert {"中青网", "中国山东网"} <= set(found)
    assert "供水管网" not in found and "管网" not in found


def test_quoted_brand_followed_by_pinpai_even_with_a_stray_space():
    text = "以濟南熱電集團“初心+熾心安源”黨 建品牌為引領,提煉“青新熙源”黨建品牌。"
    assert labels(text, "brand") == ["初心+炽心安源", "青新熙源"]


def test_brand_listed_after_a_colon():
    text = "品牌/载体:彩虹共产党员服务队(国家电网系统品牌)、“五色赋能”。"
    assert set(labels(text, "brand")) == {"彩虹共产党员服务队", "五色赋能"}
    text = "品牌:“e点e滴”(母品牌),“1+35”党建品牌矩阵、“1+8+N”矩阵。"
    assert labels(text, "brand") == ["e点e滴"]


def test_competition_prize_with_issuer_year_and_rank():
    award = only("斩获山东省住建系统2021年度“五小”竞赛一等奖。", "award", "“五小”竞赛奖")
    assert award.details["issuer"] == "山东省住建系统"
    assert award.details["year"] == "2021"
    assert award.details["rank"] == "first-prize"
    assert award.details["competition"] == "“五小”竞赛"


def test_prize_issuer_after_a_preposition():
    text = "此系统在济南市工会2023年度“聚合力 促发展”全市职工代表提案活动中获得一等奖。"
    (award,) = [c for c in extract(text) if c.kind == "award"]
    assert award.details["issuer"] == "济南市工会"
    assert award.details["year"] == "2023"
    assert award.label.endswith("职工代表提案活动奖")  # the rank is a detail
    assert "济南市工会" in labels(text, "organisation")


def test_quoted_title_with_issuer_and_year_range():
    award = only("2022-2023年度,连续两年荣获济南能源集团“先进党组织”称号。", "award", "先进党组织")
    assert award.details == {"year": "2022", "yearEnd": "2023", "issuer": "济南能源集团"}


def test_issuer_named_with_bei_and_title_tail():
    text = "公司被青州市授予“千年古城新崛起”突出贡献单位。"
    award = only(text, "award", "千年古城新崛起突出贡献单位")
    assert award.details["issuer"] == "青州市"


def test_unquoted_honour_and_honour_list():
    assert "青州市抗灾抢险先进基层党组织" in labels(
        "公司党委获评青州市抗灾抢险先进基层党组织,多名队员获抗灾救灾先进个人。", "award"
    )
    listed = labels("所列荣誉:全国文明单位、全国五一劳动奖状、国家级青年文明号。", "award")
    assert listed == ["全国文明单位", "全国五一劳动奖状", "国家级青年文明号"]


def test_before_after_pair_with_different_units():
    (effect,) = [c for c in extract("故障处置时间也从3小时降到了10分钟。") if c.kind == "figure"]
    assert effect.cg_class == "MeasuredEffect"
    assert effect.details == {
        "before": "3",
        "before_unit": "HUR",
        "after": "10",
        "after_unit": "MIN",
    }


def test_figures_in_base_units_and_approximate():
    figures = {
        c.label: c.details
        for c in extract(
            "2022年度新增供热面积518余万平方米,出动保电人员800余人次,回收率99%以上,插销5厘米。"
        )
        if c.kind == "figure"
    }
    assert figures["518余万平方米"] == {"value": "5180000", "unit": "MTK", "approximate": "true"}
    assert figures["800余人次"] == {"value": "800", "unit": "C62", "approximate": "true"}
    assert figures["99%以上"]["approximate"] == "true"
    assert figures["5厘米"] == {"value": "0.05", "unit": "MTR"}
    assert not any(label.startswith("2022") for label in figures)  # a year is not a duration


def test_traditional_script_reads_like_simplified_and_keeps_offsets():
    text = "濟南熱電集團有限公司黨委授予西部熱源黨支部榮譽。黨員23人。"
    candidates = extract(text)
    assert "济南热电集团有限公司党委" in [c.label for c in candidates]
    (figure,) = [c for c in candidates if c.kind == "figure"]
    assert figure.details["value"] == "23"
    for candidate in candidates:
        span = candidate.passage
        assert text[span.start : span.end] == span.text


def test_sections_and_numbered_practices():
    text = (
        "案例简介:\n某支部现有党员9人。\n一、案例背景\n背景。\n二、主要做法\n"
        "(一)支委主动向前,延长工作手臂\n一是支委委员进班组。二是党员包片联系群众。\n"
        "1. 保供护安:13支服务队带头特巡。\n三、案例效果\n(一)学习氛围日益浓厚\n效果。\n"
    )
    sections = split_sections(text)
    assert [(s.heading, s.kind, s.level) for s in sections] == [
        ("案例简介", "introduction", 1),
        ("一、案例背景", "background", 1),
        ("二、主要做法", "practices", 1),
        ("(一)支委主动向前,延长工作手臂", "practices", 2),
        ("三、案例效果", "effects", 1),
        ("(一)学习氛围日益浓厚", "effects", 2),
    ]
    practices = labels(text, "practice")
    assert practices == [
        "支委主动向前,延长工作手臂",
        "支委委员进班组",
        "党员包片联系群众",
        "保供护安",
    ]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_extract_never_raises_and_quotes_are_slices(text: str):
    for candidate in extract(text):
        assert text[candidate.passage.start : candidate.passage.end] == candidate.passage.text


@settings(max_examples=100, deadline=None)
@given(
    st.text(
        alphabet='集团有限公司党支部委员会从降到了至年度“”"品牌称号一等奖余多%0123456789 。,\n(一)、是',
        max_size=200,
    )
)
def test_extract_never_raises_on_pattern_fragments(text: str):
    extract(text)


def test_award_issuers_written_organised_by_or_granting_and_recipients():
    def award(text):
        (found,) = [c for c in extract(text) if c.kind == "award"]
        return found.label, found.details

    label, details = award("在山东省总工会组织的2022年职工技能竞赛中荣获一等奖。")
    assert details["issuer"] == "山东省总工会" and details["rank"] == "first-prize"
    label, details = award("由中华全国总工会授予济南水务集团全国五一劳动奖状。")
    assert (label, details["issuer"], details["recipient"]) == (
        "全国五一劳动奖状", "中华全国总工会", "济南水务集团")
    label, details = award("东新和信党支部再次获得化纤厂社区“双报到”表彰单位称号。")
    assert details["recipient"] == "东新和信党支部"


def test_places_written_without_their_suffix_are_found_by_name():
    found = labels("集团组织抢险队驰援北京、河北涿州防汛救灾。", "place")
    assert found == ["北京市", "河北省", "涿州市"]
    # A province followed by a word that is no place adds no city.
    assert labels("山东地区供热季提前开始。", "place") == ["山东省"]


def test_places_known_to_the_graph_are_found_by_their_short_name():
    candidates = extract("济南成为国内首个发布该标准的城市。", known_places=["济南市"])
    assert [c.label for c in candidates if c.kind == "place"] == ["济南市"]


def test_a_place_inside_an_organisation_name_is_the_organisations():
    text = "枣庄某发电公司(国家能源集团山东公司所属,山东聊城)确立12个攻坚项目。"
    assert labels(text, "place") == ["山东省", "聊城市"]
    assert "山东省" not in labels("斩获山东省住建系统2021年度“五小”竞赛一等奖。", "place")


def test_area_nouns_and_the_verb_sheng_are_not_places():
    assert labels("锅炉除焦剂用量下降,间接节省费用9万元。", "place") == []
    assert labels("车间划定党员责任区12个,覆盖全市主城区。", "place") == []
    assert labels("立足唐冶片区百姓出行需求,优化线路。", "place") == ["唐冶片区"]


def test_generic_words_run_together_name_no_organisation():
    found = labels("公司党委以主题党日为契机。集团党委副书记出席。单个党支部负责。", "organisation")
    assert found == []
    assert labels("2023年集团着力打造党建品牌矩阵。文末附同一集团其他页面。", "organisation") == []


def test_an_aside_in_brackets_is_not_part_of_the_name():
    found = labels("十里泉发电厂(山东枣庄)党委把党员先锋岗建设与联建共建结合。", "organisation")
    assert "十里泉发电厂党委" in found
    assert not any("山东枣庄" in name for name in found)
    # A bracket inside the registered name stays.
    assert "华润电力(仙桃)公司" in labels("华润电力(仙桃)公司成立于2005年。", "organisation")


def test_a_conjunction_after_a_name_starts_a_second_name():
    found = labels("本支部与西部热源分公司党支部同属济南热电集团。", "organisation")
    assert "西部热源分公司党支部" in found
    assert not any("与" in name for name in found)
    found = labels("成立燃料购验接掺联合党员突击队和服务队。", "organisation")
    assert found == ["燃料购验接掺联合党员突击队"]
    found = labels("济南热电集团、山东港华燃气集团(及济南能源工程集团)。", "organisation")
    assert "济南能源工程集团" in found and not any(n.startswith("及") for n in found)


def test_a_plant_named_before_project_is_a_project_and_a_programme_no_outlet():
    found = labels("火电一期智慧电厂项目入选示范工程;打造“党建+科技创新”平台。", "organisation")
    assert found == []


def test_an_ordinal_opens_a_competition_and_a_recipient_is_no_issuer():
    (award,) = [c for c in extract("党建品牌案例获第五届现代工业企业党建创新成果一等奖;") if c.kind == "award"]
    assert award.label == "第五届现代工业企业党建创新成果奖"
    assert "issuer" not in award.details
    assert labels("东新和信党支部获评化纤厂社区“双报到”荣誉单位", "award") == ["双报到荣誉单位"]


def test_a_rate_keeps_its_compound_unit_as_written():
    (rate,) = [c for c in extract("稳燃油耗同比下降1.21千克/万千瓦时。") if c.kind == "figure"]
    assert rate.details == {"value": "1.21", "unit": "", "unit_text": "千克/万千瓦时"}


def test_formula_names_phases_articles_and_vague_amounts_are_no_figures():
    text = "增强“四个意识”、坚定“四个自信”;火电一期、三期扩建;一个支部就是一座堡垒;在千百吨的锅炉运行中。"
    assert labels(text, "figure") == []
    assert labels("共有三个党支部、二期工程3期培训班。", "figure") == ["三个", "3期"]


def test_a_common_word_is_no_person_unless_a_role_names_one():
    assert labels("公司获“中央企业先进集体”荣誉;目前已荣获称号。", "person") == []
    assert labels("做法:党员攻坚专班、周总结月评估。", "person") == []
    assert labels("记者高峰报道,党员周云砚获奖。", "person") == ["高峰", "周云砚"]


def test_a_list_sharing_one_suffix_names_each_organisation():
    found = labels("事务部党支部联合发电运行、检修维护、财务等党支部,从抢发电量入手。", "organisation")
    assert {"发电运行党支部", "检修维护党支部", "财务党支部"} <= set(found)
    found = labels("组织党支部组成燃料购验接掺、机组启停修护等联合党员突击队、服务队。", "organisation")
    assert {"燃料购验接掺联合党员突击队", "机组启停修护联合党员突击队"} <= set(found)
    assert labels("在能源保供、疫情防控、绿色发展等急难任务中。", "organisation") == []


def test_organisations_known_to_the_graph_are_found_by_name():
    known = ["学习强国", "爱济南", "济南公共交通", "市委"]
    candidates = extract("报道经学习强国、爱济南转载,济南公共交通集团党委点赞。", known_organisations=known)
    found = [c.label for c in candidates if c.kind == "organisation"]
    assert {"学习强国", "爱济南"} <= set(found)
    # Inside a name found already, or too generic to find alone: not proposed.
    assert "济南公共交通" not in found and "市委" not in found
