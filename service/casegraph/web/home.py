"""The shell pages: home (statistics and entry points), query (YASGUI), ontology, shapes.

Also installs the security headers every response carries: a Content-Security-Policy
that allows only this origin's own scripts, styles, images and fonts (YASGUI is served
from ``static/vendor``, never a CDN) and ``X-Content-Type-Options: nosniff``.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, render_template

from casegraph.question_catalogue import ParameterError, load_catalogue
from casegraph.search import language_tag
from casegraph.web.i18n import UI_LANGUAGES, ui_language
from casegraph.web.schema_docs import ontology_terms, shapes
from casegraph.web.term_view import page_href, run_fixed, settings

bp = Blueprint("home", __name__)

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # YASGUI and CodeMirror set style attributes from script; nothing remote is allowed.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

STATISTIC_KINDS = (
    "organisation",
    "brand",
    "award",
    "conferral",
    "practice",
    "innovation",
    "passage",
)

# Strings of these pages: key -> (zh-Hans, zh-Hant, en).
PAGE_STRINGS: dict[str, tuple[str, str, str]] = {
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


def page_string(key: str, lang: str | None = None) -> str:
    return PAGE_STRINGS[key][UI_LANGUAGES.index(lang or ui_language())]


def install(app: Flask) -> None:
    """Register the shell pages, their strings (``t()`` in templates) and security headers."""
    app.register_blueprint(bp)

    @app.context_processor
    def _page_strings() -> dict:
        lang = ui_language()
        return {"t": lambda key: page_string(key, lang)}

    @app.after_request
    def _security_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


@bp.get("/")
def home():
    base = settings().base_iri
    per_graph: dict[str, dict[str, int]] = defaultdict(dict)
    for row in run_fixed("home_statistics").dicts():
        per_graph[str(row["graph"])][str(row["kind"])] = int(row["count"])
    totals = {str(r["kind"]): int(r["count"]) for r in run_fixed("home_totals").dicts()}
    cases: dict[str, dict] = {}
    for row in run_fixed("home_cases").dicts():
        case = cases.setdefault(
            str(row["case"]),
            {
                "iri": str(row["case"]),
                "href": page_href(row["case"]),
                "graph": str(row["graph"]),
                "titles": {},
            },
        )
        if "title" in row:
            case["titles"].setdefault(language_tag(row["title"]), str(row["title"]))
    rows = sorted(cases.values(), key=lambda c: c["iri"])
    for case in rows:
        case["counts"] = per_graph.get(case["graph"], {})
        case["slug"] = case["iri"][len(base) :] if case["iri"].startswith(base) else case["iri"]
    return render_template("home.html", cases=rows, totals=totals, kinds=STATISTIC_KINDS)


def example_queries() -> list[dict[str, str]]:
    """The curated questions as YASGUI tabs: title and SPARQL with default parameters bound."""
    base = settings().base_iri
    lang = ui_language()
    examples = []
    for question in load_catalogue().values():
        try:
            sparql = question.query_text(question.bindings({}, base), base)
        except ParameterError:  # a required parameter has no default: show it unbound
            sparql = question.query_text({}, base)
        title = question.title.get(lang) or next(iter(question.title.values()), question.id)
        examples.append({"id": question.id, "name": title, "query": sparql})
    return examples


@bp.get("/query")
def query_page():
    examples = example_queries()
    config = {"endpoint": "/sparql", "examples": examples}
    default_query = examples[0]["query"] if examples else "SELECT * WHERE { ?s ?p ?o } LIMIT 10"
    return render_template(
        "query.html",
        config=config,
        examples=examples,
        default_query=default_query,
        yasgui_available=_yasgui_available(),
    )


def _yasgui_available() -> bool:
    """Whether ``scripts/build-assets.sh`` has copied YASGUI; the form works without it."""
    vendor = Path(current_app.static_folder or "", "vendor", "yasgui")
    return all((vendor / name).is_file() for name in ("yasgui.min.js", "yasgui.min.css"))


@bp.get("/ontology")
def ontology_page():
    terms = ontology_terms()
    by_kind: dict[str, list] = defaultdict(list)
    for term in terms:
        by_kind[term.kind].append(term)
    return render_template(
        "ontology.html",
        by_kind=by_kind,
        kinds=("class", "object_property", "datatype_property", "annotation_property"),
    )


@bp.get("/shapes")
def shapes_page():
    return render_template("shapes.html", shapes=shapes())
