"""UI strings in simplified Chinese, traditional Chinese and English.

The UI language comes from ``?lang=`` when given (and is then carried in links),
else from ``Accept-Language``.  It only changes the interface: data labels are
always shown in all three languages side by side, so a reader never sees one
language silently picked for them.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, Response, request

UI_LANGUAGES = ("zh-Hans", "zh-Hant", "en")
#: Remembers a choice made with ``?lang=`` so later pages keep it.
LANGUAGE_COOKIE = "casegraph_lang"
LANGUAGE_NAMES = {"zh-Hans": "简体中文", "zh-Hant": "繁體中文", "en": "English"}

# key: (zh-Hans, zh-Hant, en)
_STRINGS: dict[str, tuple[str, str, str]] = {
    "site_title": ("案例知识图谱", "案例知識圖譜", "casegraph"),
    "site_tagline": (
        "国有企业党建案例的知识图谱",
        "國有企業黨建案例的知識圖譜",
        "A knowledge graph of state-owned enterprise party-building cases",
    ),
    "main_navigation": ("主导航", "主導航", "Main"),
    "nav_questions": ("典型问题", "典型問題", "Questions"),
    "nav_export": ("数据下载", "數據下載", "Downloads"),
    "nav_api": ("API 文档", "API 文件", "API docs"),
    "language": ("语言", "語言", "Language"),
    "types": ("类型", "類型", "Types"),
    "labels": ("名称", "名稱", "Labels"),
    "properties": ("属性", "屬性", "Properties"),
    "property": ("属性", "屬性", "Property"),
    "value": ("值", "值", "Value"),
    "incoming": ("指向本实体的链接", "指向本實體的連結", "Links to this entity"),
    "incoming_none": ("没有其他实体指向本实体。", "沒有其他實體指向本實體。", "Nothing links here."),
    "count": ("数量", "數量", "Count"),
    "page": ("页", "頁", "Page"),
    "previous": ("上一页", "上一頁", "Previous"),
    "next": ("下一页", "下一頁", "Next"),
    "sources": ("来源段落", "來源段落", "Source passages"),
    "sources_none": ("本实体没有来源段落。", "本實體沒有來源段落。", "No source passage."),
    "cases": ("提及本实体的案例", "提及本實體的案例", "Cases that mention this entity"),
    "graph": ("命名图", "命名圖", "Named graph"),
    "case_document": ("案例文档", "案例文件", "Case document"),
    "formats": ("其他格式", "其他格式", "Other formats"),
    "not_found": ("找不到该实体", "找不到該實體", "No such entity"),
    "not_found_text": (
        "图谱中没有关于这个 IRI 的陈述。",
        "圖譜中沒有關於這個 IRI 的陳述。",
        "The graph states nothing about this IRI.",
    ),
    "topic_awards": ("奖项与荣誉", "獎項與榮譽", "Awards and honours"),
    "topic_organisations": ("组织与隶属", "組織與隸屬", "Organisations"),
    "topic_brands": ("党建品牌", "黨建品牌", "Party-building brands"),
    "topic_practices": ("做法", "做法", "Practices"),
    "topic_innovations": ("创新与效果", "創新與效果", "Innovations and effects"),
    "topic_figures": ("数据", "數據", "Figures"),
    "topic_people": ("人物", "人物", "People"),
    "topic_events": ("事件", "事件", "Events"),
    "topic_media": ("媒体", "媒體", "Media"),
    "topic_provenance": ("出处", "出處", "Provenance"),
    "topic_catalogue": ("案例目录", "案例目錄", "The cases"),
    "kind_organisation": ("单位", "單位", "Organisation"),
    "kind_brand": ("品牌", "品牌", "Brand"),
    "kind_award": ("奖项", "獎項", "Award"),
    "kind_issuer": ("颁发单位", "頒發單位", "Issuer"),
    "kind_practice_kind": ("做法类别", "做法類別", "Practice kind"),
    "kind_case": ("案例", "案例", "Case"),
    "neighbourhood": ("关联", "關聯", "Neighbourhood"),
    "graph_chart": ("本单位与品牌、做法类别、奖项、颁发单位和案例的关系图",
                    "本單位與品牌、做法類別、獎項、頒發單位和案例的關係圖",
                    "Graph of this organisation's brands, practice kinds, awards, issuers and cases"),
    "nav_overview": ("跨案例总览", "跨案例總覽", "Overview"),
    "nav_compare": ("比较", "比較", "Compare"),
    "overview_title": ("跨案例总览", "跨案例總覽", "Across the cases"),
    "overview_intro": ("各单位采用了哪些类别的做法,谁给谁颁发了奖项。",
                       "各單位採用了哪些類別的做法,誰給誰頒發了獎項。",
                       "Which kinds of practice each organisation uses, and who gave awards to whom."),
    "heatmap_title": ("单位 × 做法类别", "單位 × 做法類別", "Organisations × practice kinds"),
    "heatmap_chart": ("各单位各类做法数量的热力图", "各單位各類做法數量的熱力圖",
                      "Heat map of the number of practices of each kind per organisation"),
    "network_title": ("颁发单位 ↔ 获奖者", "頒發單位 ↔ 獲獎者", "Issuers ↔ recipients"),
    "network_chart": ("颁发单位到获奖者的授奖流向图", "頒發單位到獲獎者的授獎流向圖",
                      "Flows of awards from issuers to recipients"),
    "network_intro": ("左列为颁发单位,右列为获奖者;每条带的宽度是授奖次数,颜色是奖项级别。",
                      "左列為頒發單位,右列為獲獎者;每條帶的寬度是授獎次數,顏色是獎項級別。",
                      "Issuers on the left, recipients on the right; each band is as wide as the number of conferrals and coloured by the award's level."),
    "network_table": ("颁发单位、级别、获奖者和次数", "頒發單位、級別、獲獎者和次數",
                      "Issuers, levels, recipients and counts"),
    "diagram_title": ("类图", "類圖", "Class diagram"),
    "diagram_chart": ("本体的类图:子类关系与对象属性", "本體的類圖:子類關係與對象屬性",
                      "Class diagram of the ontology: subclasses and object properties"),
    "diagram_intro": ("实线箭头:子类指向父类;虚线:对象属性,从定义域指向值域。点击类名可跳转。",
                      "實線箭頭:子類指向父類;虛線:對象屬性,從定義域指向值域。點擊類名可跳轉。",
                      "Solid arrows: from a subclass to its superclass; dashed lines: object properties, from domain to range. Click a class to open it."),
    "diagram_own_class": ("casegraph 的类", "casegraph 的類", "casegraph class"),
    "diagram_reused_class": ("复用的类(ORG、schema.org、PROV、SKOS)", "複用的類(ORG、schema.org、PROV、SKOS)",
                             "Reused class (ORG, schema.org, PROV, SKOS)"),
    "diagram_table": ("类、父类与对象属性", "類、父類與對象屬性", "Classes, superclasses and object properties"),
    "superclasses": ("父类", "父類", "Superclasses"),
    "object_properties_out": ("对象属性 → 值域", "對象屬性 → 值域", "Object properties → range"),
    "compare_title": ("单位比较", "單位比較", "Compare organisations"),
    "compare_intro": ("并排比较二至四个单位的做法、奖项、品牌、创新成果和数据;共同的做法类别、奖项和颁发单位会被标出。",
                      "並排比較二至四個單位的做法、獎項、品牌、創新成果和數據;共同的做法類別、獎項和頒發單位會被標出。",
                      "Two to four organisations side by side: practices, awards, brands, innovations and figures; practice kinds, awards and issuers they share are marked."),
    "compare_button": ("比较", "比較", "Compare"),
    "shared_marked": ("标出的是共同项", "標出的是共同項", "Marked: shared by more than one"),
    "open_page": ("打开本单位页面", "打開本單位頁面", "Open its page"),
    "name_or_iri": ("输入名称或 IRI", "輸入名稱或 IRI", "a name or an IRI"),
    "suggestions": ("建议", "建議", "Suggestions"),
    "which_one": ("这个名称对应多个实体,请选择:", "這個名稱對應多個實體,請選擇:",
                  "This name fits several entities; choose one:"),
    "stated_in": ("出处", "出處", "Sources"),
    "summary": ("概要", "概要", "Summary"),
    "other_names": ("其他写法", "其他寫法", "Other scripts"),
    "awards_received": ("获得的奖项(含下属单位和创新成果)", "獲得的獎項(含下屬單位和創新成果)",
                        "Awards received (including units and innovations)"),
    "awards_given": ("颁发的奖项", "頒發的獎項", "Awards it conferred"),
    "award": ("奖项", "獎項", "Award"),
    "issuer": ("颁发单位", "頒發單位", "Issuer"),
    "recipient": ("获奖者", "獲獎者", "Recipient"),
    "level": ("级别", "級別", "Level"),
    "year": ("年份", "年份", "Year"),
    "rank": ("等次", "等次", "Rank"),
    "through": ("经由", "經由", "Through"),
    "directly": ("本单位", "本單位", "itself"),
    "developed_by": ("研发单位", "研發單位", "developed by"),
    "not_stated": ("原文未载", "原文未載", "not stated"),
    "hierarchy": ("隶属关系", "隸屬關係", "Hierarchy"),
    "units": ("下属单位", "下屬單位", "Units"),
    "party_organisation": ("党组织", "黨組織", "party organisation"),
    "parent_chain": ("上级", "上級", "Part of"),
    "practices_by_kind": ("做法(按类别)", "做法(按類別)", "Practices by kind"),
    "brands": ("党建品牌", "黨建品牌", "Party-building brands"),
    "innovations": ("创新成果", "創新成果", "Innovations"),
    "figures": ("数据", "數據", "Figures"),
    "effects": ("效果", "效果", "Effects"),
    "before_after": ("前 → 后", "前 → 後", "before → after"),
    "conferrals": ("授予记录", "授予記錄", "Conferrals"),
    "timeline": ("按年份和级别", "按年份和級別", "By year and level"),
    "timeline_chart": ("按年份和级别统计的授奖数量图", "按年份和級別統計的授獎數量圖",
                       "Chart of conferrals by year and level"),
    "tree_chart": ("隶属关系树状图", "隸屬關係樹狀圖", "Tree of the hierarchy"),
    "compare_with": ("与其他单位比较", "與其他單位比較", "Compare with other organisations"),
    # person, place, practice and case-document cards (web/subject_cards.py)
    "roles": ("职务与所在单位", "職務與所在單位", "Roles and organisations"),
    "role": ("职务", "職務", "Role"),
    "awards_of_person": ("获得的奖项", "獲得的獎項", "Awards received"),
    "events": ("参与的活动", "參與的活動", "Events taken part in"),
    "edited": ("编辑的案例", "編輯的案例", "Cases edited"),
    "located_here": ("位于此地的单位", "位於此地的單位", "Located here"),
    "served_here": ("服务此地的单位", "服務此地的單位", "Serving this place"),
    "happened_here": ("在此地的活动", "在此地的活動", "Events held here"),
    "in_place": ("位于", "位於", "in"),
    "within_places": ("所属地区", "所屬地區", "Within"),
    "contained_places": ("下辖地区", "下轄地區", "Places within it"),
    "practice_kind": ("做法类别", "做法類別", "Practice kind"),
    "practised_by": ("实施单位", "實施單位", "Practised by"),
    "involves": ("参与单位", "參與單位", "Involves"),
    "mentioned_in": ("所在案例", "所在案例", "Cases"),
    "case_card_about": ("案例主体", "案例主體", "About"),
    "case_awards": ("本案例记载的奖项", "本案例記載的獎項", "Awards stated in this case"),
    "unit_kind": ("类别", "類別", "Kind"),
    "statement_details": ("全部陈述", "全部陳述", "All statements"),
    "source_text": ("案例原文(修复后)", "案例原文(修復後)", "Case text (repaired)"),
    "source_missing": (
        "找不到本案例的原文文件。",
        "找不到本案例的原文檔案。",
        "The text file of this case is missing.",
    ),
    "cited_passages": ("被引用的段落", "被引用的段落", "Cited passages"),
    "cited_by": ("引用本段的事实", "引用本段的事實", "Facts citing this passage"),
    "quote_mismatch": (
        "段落引文与原文偏移不一致",
        "段落引文與原文偏移不一致",
        "The quote does not match the text at its offsets",
    ),
    "questions_title": ("典型问题", "典型問題", "Curated questions"),
    "questions_intro": (
        "这些问题把多家企业的案例联系起来;每个问题都有网页、JSON 和 CSV 接口。",
        "這些問題把多家企業的案例聯繫起來;每個問題都有網頁、JSON 和 CSV 介面。",
        "These questions link cases across companies; each has a page, a JSON and a CSV API.",
    ),
    "cross_case": ("跨案例", "跨案例", "cross-case"),
    "rationale": ("为什么问", "為什麼問", "Why ask"),
    "parameters": ("参数", "參數", "Parameters"),
    "any_value": ("(不限)", "(不限)", "(any)"),
    "ask": ("查询", "查詢", "Ask"),
    "results": ("答案", "答案", "Answer"),
    "rows": ("行", "行", "rows"),
    "truncated": ("结果已截断", "結果已截斷", "The result was truncated"),
    "no_rows": ("没有答案。", "沒有答案。", "No answer."),
    "sparql": ("SPARQL 查询", "SPARQL 查詢", "SPARQL query"),
    "bad_parameter": ("参数错误", "參數錯誤", "Bad parameter"),
    "api_title": ("API 文档", "API 文件", "API documentation"),
    "api_intro": (
        "机器可读描述:",
        "機器可讀描述:",
        "Machine-readable description:",
    ),
    "export_title": ("数据下载", "數據下載", "Downloads"),
    "export_intro": (
        "整个数据集、单个案例、本体和约束形状的下载;均为流式输出。",
        "整個數據集、單個案例、本體和約束形狀的下載;均為串流輸出。",
        "The whole dataset, one case, the ontology and the shapes; all streamed.",
    ),
    "export_dataset": ("整个数据集", "整個數據集", "Whole dataset"),
    "export_cases": ("单个案例 (Turtle)", "單個案例 (Turtle)", "One case (Turtle)"),
    "export_schema": ("本体与约束", "本體與約束", "Ontology and shapes"),
    "triples": ("三元组", "三元組", "triples"),
    # The default graph is the merge: a triple restated by several cases counts once there.
    "triples_in_merge": ("个不同的三元组(合并后)", "個不同的三元組(合併後)",
                         "distinct triples in the merge"),
    "statements_in_graphs": ("条各案例图中的陈述", "條各案例圖中的陳述",
                             "statements in the case graphs"),
    "void": ("数据集描述 (VoID)", "數據集描述 (VoID)", "Dataset description (VoID)"),
    # home, search, query, ontology and shapes pages
    "home_title": ("首页", "首頁", "Home"),
    "search": ("搜索", "搜尋", "Search"),
    "search_title": ("搜索", "搜尋", "Search"),
    "search_placeholder": (
        "名称、描述或原文,简繁均可",
        "名稱、描述或原文,簡繁均可",
        "Name, description or quote, in Chinese or English",
    ),
    "search_hint": (
        "简体和繁体互通;中文无需空格。",
        "簡體和繁體互通;中文無需空格。",
        "Simplified and traditional match each other; Chinese needs no spaces.",
    ),
    "search_none": ("没有找到结果。", "沒有找到結果。", "Nothing found."),
    "search_partial": (
        "没有同时包含所有词的结果;以下结果只包含部分词。",
        "沒有同時包含所有詞的結果;以下結果只包含部分詞。",
        "Nothing contains every term; these results contain some of them.",
    ),
    "search_truncated": (
        "查询过长,只使用了前 200 个字符。",
        "查詢過長,只使用了前 200 個字元。",
        "The query was long; only its first 200 characters were used.",
    ),
    "results_count": ("条结果", "條結果", "results"),
    "result_count_one": ("条结果", "條結果", "result"),
    "brand_lineage": ("品牌谱系", "品牌譜系", "Brand lineage"),
    "lineage_chart": ("品牌派生关系树状图", "品牌派生關係樹狀圖", "Tree of the brands derived from one another"),
    "answer_chart": ("答案图示(数据见下表)", "答案圖示(數據見下表)", "The answer as a chart (the table below has the numbers)"),
    "load_example": ("载入编辑器", "載入編輯器", "Load"),
    "featured_questions": ("跨案例的典型问题", "跨案例的典型問題", "Questions across the cases"),
    "browse_by_type": ("按类型浏览", "按類型瀏覽", "Browse by type"),
    "case_about": ("案例:", "案例:", "Case: "),
    "instances": ("实例", "實例", "Instances"),
    "all_groups": ("全部", "全部", "All"),
    "statistics": ("数据统计", "數據統計", "Statistics"),
    "whole_dataset": ("整个数据集", "整個數據集", "Whole dataset"),
    "case": ("案例", "案例", "Case"),
    "entry_points": ("从这里开始", "從這裡開始", "Start here"),
    "nav_query": ("SPARQL 查询", "SPARQL 查詢", "SPARQL query"),
    "nav_ontology": ("本体", "本體", "Ontology"),
    "nav_shapes": ("约束形状", "約束形狀", "Shapes"),
    "query_title": ("SPARQL 查询", "SPARQL 查詢", "SPARQL query"),
    "query_intro": (
        "在下面编辑并运行查询;示例标签页是典型问题。端点:",
        "在下面編輯並運行查詢;示例標籤頁是典型問題。端點:",
        "Edit and run queries below; the example tabs are the curated questions. Endpoint:",
    ),
    "query_nojs": (
        "不使用 JavaScript 时,可用此表单提交查询:",
        "不使用 JavaScript 時,可用此表單提交查詢:",
        "Without JavaScript, submit a query with this form:",
    ),
    "sparql_endpoint": ("SPARQL 端点", "SPARQL 端點", "SPARQL endpoint"),
    "query_text": ("查询文本", "查詢文本", "Query text"),
    "result_format": ("结果格式", "結果格式", "Result format"),
    "format_auto": ("自动(按浏览器)", "自動(按瀏覽器)", "Automatic (by the browser)"),
    "run_query": ("运行查询", "運行查詢", "Run query"),
    "examples": ("示例查询", "示例查詢", "Example queries"),
    "ontology_title": ("本体文档", "本體文件", "Ontology documentation"),
    "classes": ("类", "類", "Classes"),
    "object_property": ("对象属性", "對象屬性", "Object properties"),
    "datatype_property": ("数据属性", "數據屬性", "Datatype properties"),
    "annotation_property": ("注释属性", "註釋屬性", "Annotation properties"),
    "class": ("类", "類", "Classes"),
    "super": ("上级", "上級", "Super"),
    "domain": ("定义域", "定義域", "Domain"),
    "range": ("值域", "值域", "Range"),
    "inverse": ("逆属性", "逆屬性", "Inverse"),
    "definition": ("定义", "定義", "Definition"),
    "shapes_title": ("约束形状 (SHACL)", "約束形狀 (SHACL)", "Shapes (SHACL)"),
    "shapes_intro": (
        "数据写入前按这些形状校验。",
        "數據寫入前按這些形狀校驗。",
        "Data is validated against these shapes before it is stored.",
    ),
    "target": ("目标", "目標", "Target"),
    "path": ("路径", "路徑", "Path"),
    "constraints": ("约束", "約束", "Constraints"),
    "messages": ("消息", "消息", "Messages"),
    "severity": ("严重性", "嚴重性", "Severity"),
    "node_itself": ("节点本身", "節點本身", "the node itself"),
    "none_yet": ("暂无。", "暫無。", "None yet."),
    "group_organisation": ("组织", "組織", "Organisations"),
    "group_brand": ("品牌", "品牌", "Brands"),
    "group_award": ("奖项", "獎項", "Awards"),
    "group_conferral": ("获奖记录", "獲獎記錄", "Award conferrals"),
    "group_practice": ("做法", "做法", "Practices"),
    "group_innovation": ("创新成果", "創新成果", "Innovations"),
    "group_event": ("事件", "事件", "Events"),
    "group_person": ("人物", "人物", "People"),
    "group_place": ("地点", "地點", "Places"),
    "group_figure": ("数字", "數字", "Figures"),
    "group_media": ("媒体报道", "媒體報道", "Media coverage"),
    "group_case": ("案例文档", "案例文件", "Case documents"),
    "group_section": ("章节", "章節", "Sections"),
    "group_passage": ("原文段落", "原文段落", "Passages"),
    "group_concept": ("概念", "概念", "Concepts"),
    "group_class": ("类", "類", "Classes"),
    "group_property": ("属性", "屬性", "Properties"),
    "group_other": ("其他", "其他", "Other"),
}

_INDEX = {lang: i for i, lang in enumerate(UI_LANGUAGES)}


def ui_language() -> str:
    """The UI language of the current request."""
    for asked in (request.args.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
        if asked in UI_LANGUAGES:
            return asked
    best = request.accept_languages.best_match(
        ["zh-Hans", "zh-CN", "zh-SG", "zh-Hant", "zh-TW", "zh-HK", "zh", "en"]
    )
    if best in ("zh-Hant", "zh-TW", "zh-HK"):
        return "zh-Hant"
    if best and best.startswith("zh"):
        return "zh-Hans"
    return "en"


def translate(key: str, lang: str | None = None) -> str:
    """The UI string ``key`` in ``lang`` (the request's UI language by default)."""
    return _STRINGS[key][_INDEX[lang or ui_language()]]


def language_url(lang: str) -> str:
    """The current page in another UI language."""
    args = request.args.to_dict()
    args["lang"] = lang
    return f"{request.path}?{urlencode(args)}"


def install(app: Flask) -> None:
    """Make ``_()``, ``ui_lang`` and the language switch available to every template."""

    @app.after_request
    def _remember_language(response: Response) -> Response:
        asked = request.args.get("lang")
        if asked in UI_LANGUAGES and request.cookies.get(LANGUAGE_COOKIE) != asked:
            response.set_cookie(LANGUAGE_COOKIE, asked, max_age=365 * 86400, samesite="Lax")
        if "lang" not in request.args:
            response.vary.add("Accept-Language")
        return response

    @app.context_processor
    def _ui_strings() -> dict:
        lang = ui_language()
        return {
            "_": lambda key: translate(key, lang),
            "ui_lang": lang,
            "ui_languages": UI_LANGUAGES,
            "language_names": LANGUAGE_NAMES,
            "language_url": language_url,
        }
