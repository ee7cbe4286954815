"""The curation workspace at ``/curate``: from a document to a published case, in the browser.

Behind the write token: a curator signs in once with the service's update token
(``--update-token`` / ``CASEGRAPH_UPDATE_TOKEN``) and gets a session cookie —
``HttpOnly`` (no script reads it), ``SameSite=Strict`` (no other site's page sends it),
``Secure`` over https — and a CSRF token that every form and every POST must carry
(compared in constant time; a POST without it, or from another origin, is 403 in the
one error shape).  Without a configured token the workspace does not exist (404) and
the read-only site is unchanged; without a session a workspace page redirects to the
sign-in and its API answers 401.  Sessions live in this process: a restart signs
curators out, never loses a draft.

The drafts are files (``drafting.workspace.DraftStore`` under ``Settings.drafts_path``),
not store data, so no public page shows a draft.  The server holds the draft's graph:
the browser sends edit operations (forms, or the same fields as JSON), each applied in
Python, saved atomically and re-validated with the shapes and the quote check a write
passes (``GuardedWriter.report``).  Publishing is that guarded write itself
(``writes.write_graphs``: all or nothing, then the search index and the linking
indexes are refreshed), so the case is on its page, in search and in the questions
as soon as the answer comes back.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from rdflib import URIRef
from rdflib.namespace import DCTERMS
from werkzeug.datastructures import MultiDict

from casegraph.drafting.candidates import to_traditional
from casegraph.drafting.documents import DocumentError, read_document
from casegraph.drafting.draft_graph import draft_case
from casegraph.drafting.linking import ENTITY_QUERY, LinkIndex
from casegraph.drafting.scaffold import SLUG
from casegraph.drafting.workspace import (
    ENTITY_KINDS,
    FACTS,
    KINDS,
    LINK_KINDS,
    MULTIVALUED,
    PARTS,
    RELATIONS,
    SETTABLE,
    TYPES,
    UNITS,
    DraftEditError,
    DraftStore,
    WorkDraft,
    concept_choices,
    entity_choices,
    expand,
    now,
)
from casegraph.shacl.provenance import attach_source_text
from casegraph.shacl.report import VIOLATION, WARNING, ValidationReport
from casegraph.web.context import current_settings, current_store, guarded_writer, on_write
from casegraph.web.errors import ApiError
from casegraph.web.i18n import translate, ui_language
from casegraph.web.term_view import curie, page_href
from casegraph.web.writes import write_graphs

bp = Blueprint("curate", __name__, url_prefix="/curate")

EXTENSION = "casegraph.curate"
SESSION_COOKIE = "casegraph_curator"
#: The sign-in form's own CSRF token, before there is a session (double submit).
SIGN_IN_COOKIE = "casegraph_sign_in"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SESSION_SECONDS = 12 * 3600
#: Largest document a draft is made from (a case text is a few pages).
MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
#: Rebuild the linking index at least this often (writes by another process).
INDEX_TTL_SECONDS = 30.0
DOCUMENT_TYPES = (".txt", ".docx", ".html", ".htm", ".pdf")


@dataclass
class Session:
    csrf: str
    expires: float


@dataclass
class _Workspace:
    drafts: DraftStore
    sessions: dict[str, Session] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    index: LinkIndex | None = None
    index_built: float = 0.0


def install(app: Flask) -> None:
    """Register the workspace; its drafts directory comes from the settings."""
    settings: object = app.config["CASEGRAPH"]
    workspace = _Workspace(DraftStore(Path(settings.drafts_path)))  # type: ignore[attr-defined]
    app.extensions[EXTENSION] = workspace
    app.register_blueprint(bp)

    def _stale(_graphs: list[str]) -> None:
        workspace.index = None  # a published case's entities are linkable at once

    on_write(app, _stale)


def _workspace() -> _Workspace:
    return current_app.extensions[EXTENSION]


# --- sign-in, session, CSRF ---------------------------------------------------------


@bp.before_request
def _guard():
    """Off without a token; signed-in only; every POST with the session's CSRF token."""
    if not current_settings().update_token:
        raise ApiError(404, "the curation workspace is off: this service has no update token "
                            "(set CASEGRAPH_UPDATE_TOKEN or pass --update-token)")
    if request.endpoint in ("curate.sign_in", "curate.sign_in_form"):
        return None
    session = _session()
    if session is None:
        if request.path.startswith("/curate/api/") or request.method != "GET":
            raise ApiError(401, "sign in to the curation workspace first (/curate/sign-in)")
        return redirect(url_for("curate.sign_in_form", next=request.full_path.rstrip("?")))
    g.curator = session
    if request.method == "POST":
        _check_same_origin()
        sent = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD) or ""
        if isinstance(request.get_json(silent=True), dict) and not sent:
            sent = str(request.get_json(silent=True).get(CSRF_FIELD, ""))
        if not hmac.compare_digest(sent.encode(), session.csrf.encode()):
            raise ApiError(403, "the form's CSRF token is missing or wrong; reload the page "
                                "and try again (nothing was changed)")
    return None


def _check_same_origin() -> None:
    """A POST from another site is refused even before its token is looked at."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        raise ApiError(403, "a cross-site request may not change drafts (nothing was changed)")
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        if urlsplit(origin).netloc != request.host:
            raise ApiError(403, f"a request from {origin} may not change drafts "
                                "(nothing was changed)")
    elif origin == "null":
        raise ApiError(403, "a request from an opaque origin may not change drafts")


def _session() -> Session | None:
    sid = request.cookies.get(SESSION_COOKIE, "")
    workspace = _workspace()
    with workspace.lock:
        session = workspace.sessions.get(sid)
        if session is None:
            return None
        if session.expires < time.time():
            del workspace.sessions[sid]
            return None
        return session


def _set_cookie(response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/curate", httponly=True,
                        samesite="Strict", secure=request.is_secure)


@bp.get("/sign-in")
def sign_in_form():
    token = secrets.token_urlsafe(32)
    response = Response(render_template(
        "curate_sign_in.html", csrf_token=token, next=_next(), failed=False))
    _set_cookie(response, SIGN_IN_COOKIE, token, 3600)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/sign-in")
def sign_in():
    _check_same_origin()
    expected = request.cookies.get(SIGN_IN_COOKIE, "")
    sent = request.form.get(CSRF_FIELD, "")
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise ApiError(403, "the sign-in form's CSRF token is missing or wrong; "
                            "open /curate/sign-in again")
    token = current_settings().update_token or ""
    if not hmac.compare_digest(request.form.get("token", "").encode(), token.encode()):
        fresh = secrets.token_urlsafe(32)
        response = Response(render_template(
            "curate_sign_in.html", csrf_token=fresh, next=_next(), failed=True), status=401)
        _set_cookie(response, SIGN_IN_COOKIE, fresh, 3600)
        return response
    sid = secrets.token_urlsafe(32)
    workspace = _workspace()
    with workspace.lock:
        now = time.time()
        for stale in [k for k, s in workspace.sessions.items() if s.expires < now]:
            del workspace.sessions[stale]
        workspace.sessions[sid] = Session(secrets.token_urlsafe(32), now + SESSION_SECONDS)
    response = redirect(_next(), code=303)
    _set_cookie(response, SESSION_COOKIE, sid, SESSION_SECONDS)
    response.delete_cookie(SIGN_IN_COOKIE, path="/curate")
    return response


def _next() -> str:
    """Where to go after signing in: a workspace page, never another site."""
    target = request.values.get("next", "")
    if target.startswith("/curate") and not target.startswith("//"):
        return target
    return url_for("curate.drafts")


@bp.post("/sign-out")
def sign_out():
    workspace = _workspace()
    with workspace.lock:
        workspace.sessions.pop(request.cookies.get(SESSION_COOKIE, ""), None)
    response = redirect("/", code=303)
    response.delete_cookie(SESSION_COOKIE, path="/curate")
    return response


@bp.after_request
def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.app_context_processor
def _csrf() -> dict:
    session = getattr(g, "curator", None)
    return {"curate_csrf": session.csrf if session else ""}


# --- the linking index ----------------------------------------------------------------


def link_index() -> LinkIndex:
    """The entities of the store, as the drafts link against them (rebuilt after writes)."""
    workspace = _workspace()
    with workspace.lock:
        stale = time.monotonic() - workspace.index_built > INDEX_TTL_SECONDS
        if workspace.index is None or stale:
            rows = current_store().query(ENTITY_QUERY.read_text(encoding="utf-8")).dicts()
            workspace.index = LinkIndex.from_rows(rows, base_iri=current_settings().base_iri)
            workspace.index_built = time.monotonic()
        return workspace.index


# --- drafts ---------------------------------------------------------------------------


@bp.get("")
@bp.get("/")
def home():
    return redirect(url_for("curate.drafts"))


@bp.get("/drafts")
def drafts():
    return _drafts_page()


def _drafts_page(form_error: str | None = None, status: int = 200):
    """The drafts list and the new-draft form; after a refused form, the form again with
    what was typed and the reason above it."""
    body = render_template("curate_drafts.html", drafts=list(_workspace().drafts.all()),
                           document_types=", ".join(DOCUMENT_TYPES),
                           max_mb=MAX_DOCUMENT_BYTES // (1024 * 1024), form_error=form_error,
                           typed=request.form if form_error else {})
    return body, status


def _wants_page() -> bool:
    """A browser's form post (it prefers HTML): a refusal re-renders the page with the
    message; API clients keep the JSON error."""
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return not request.is_json and best == "text/html"


@bp.post("/drafts")
def create_draft():
    """A new draft from an uploaded or pasted document."""
    try:
        return _create_draft()
    except ApiError as error:
        if not _wants_page():
            raise
        return _drafts_page(error.message, error.status)


def _create_draft():
    slug = request.form.get("slug", "").strip()
    if not SLUG.match(slug):
        raise ApiError(400, f"slug {slug!r}: use lower-case ASCII words joined by hyphens "
                            "(it becomes part of every IRI of the case)")
    if request.content_length and request.content_length > MAX_DOCUMENT_BYTES + 64 * 1024:
        raise ApiError(413, f"the document is larger than the limit of {MAX_DOCUMENT_BYTES:,} bytes")
    upload = request.files.get("document")
    pasted = request.form.get("text", "")
    if upload is not None and upload.filename:
        data = upload.read(MAX_DOCUMENT_BYTES + 1)
        name = Path(upload.filename).name
    elif pasted.strip():
        data, name = pasted.encode("utf-8"), "pasted.txt"
    else:
        raise ApiError(400, "document: upload a file or paste the text")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ApiError(413, f"the document is larger than the limit of {MAX_DOCUMENT_BYTES:,} bytes")
    if Path(name).suffix.lower() not in DOCUMENT_TYPES:
        raise ApiError(415, f"document {name!r}: use {', '.join(DOCUMENT_TYPES)}")
    workspace = _workspace()
    graph_iri = URIRef(current_settings().base_iri + f"graph/case/{slug}")
    if current_store().has_graph(graph_iri):
        raise ApiError(409, f"slug {slug!r}: a published case already uses it; choose another")
    try:
        document = read_document(Path(name), data)
    except DocumentError as error:
        raise ApiError(400, str(error)) from error
    source = request.form.get("source", "").strip() or document.source
    if source and not source.startswith(("http://", "https://")):
        raise ApiError(400, f"source {source!r}: the page's address must be an http(s) URL")
    draft = draft_case(document.text, slug, link_index(), source)
    work = WorkDraft.from_draft(draft, slug, source)
    with workspace.drafts.lock:
        if workspace.drafts.exists(slug):
            raise ApiError(409, f"slug {slug!r}: a draft with this slug exists; open it from "
                                "the drafts page or choose another")
        _revalidate(work)
        workspace.drafts.save(work)
    return redirect(url_for("curate.draft", slug=slug), code=303)


def _load(slug: str) -> WorkDraft:
    try:
        return _workspace().drafts.load(slug)
    except FileNotFoundError as error:
        raise ApiError(404, f"no draft {slug!r} (see /curate/drafts)") from error


@bp.get("/drafts/<slug>")
def draft(slug: str):
    return _draft_page(_load(slug))


def _draft_page(work: WorkDraft, form_error: str | None = None, status: int = 200):
    """A draft's page; after a refused edit or publish, with the reason at its top."""
    body = render_template("curate_draft.html", **_view(work, link_index(), _report(work)),
                           form_error=form_error)
    return body, status


@bp.get("/drafts/<slug>.json")
def draft_json(slug: str):
    """The draft's state and report, for a client that edits it through ``/op``."""
    work = _load(slug)
    return jsonify(_state(work, _report(work)))


@bp.post("/drafts/<slug>/op")
def edit(slug: str):
    """Apply one edit operation (form fields, or the same as a JSON object)."""
    payload = request.get_json(silent=True)
    as_json = isinstance(payload, dict)
    op = payload if as_json else _form_op(request.form)
    op.pop(CSRF_FIELD, None)
    workspace = _workspace()
    with workspace.drafts.lock:
        work = _load(slug)
        try:
            item_id = work.apply(op, link_index())
        except DraftEditError as error:
            if as_json or not _wants_page():
                raise
            return _draft_page(_load(slug), str(error), 400)  # unchanged: reload from disk
        report = _revalidate(work)
        workspace.drafts.save(work)
    if as_json:
        return jsonify(_state(work, report))
    anchor = f"#item-{item_id}" if item_id and item_id != "case" else "#report"
    return redirect(url_for("curate.draft", slug=slug) + anchor, code=303)


def _form_op(form: MultiDict[str, str]) -> dict[str, object]:
    """A form's fields as an operation: the add-a-fact form names each kind's fields
    ``<fact>.<field>`` (one form, one fieldset per kind); only the chosen kind's count.
    A multi-valued field (one menu per value) arrives as the list of its values."""
    fact = form.get("fact", "")
    op: dict[str, object] = {k: v for k, v in form.items() if "." not in k}
    op.update({k.split(".", 1)[1]: v for k, v in form.items() if k.startswith(fact + ".")})
    for key in form:
        if key.startswith("set:") and key[4:] in MULTIVALUED:
            op[key] = form.getlist(key)
    return op


@bp.post("/drafts/<slug>/publish")
def publish(slug: str):
    """One guarded write of the case graph with its text; refused while anything is open."""
    workspace = _workspace()
    with workspace.drafts.lock:
        work = _load(slug)
        refusal = None
        if work.state == "published":
            refusal = ApiError(409, f"draft {slug!r} is already published")
        elif work.undecided():
            refusal = ApiError(409, f"{len(work.undecided())} candidate(s) are neither accepted "
                                    "nor rejected; decide them before publishing (nothing was "
                                    "written)")
        if refusal is None:
            report = _revalidate(work)
            if report.violations:
                workspace.drafts.save(work)
                refusal = ApiError(422, f"the case has {len(report.violations)} violation(s); "
                                        "fix them before publishing (nothing was written)")
        if refusal is not None:
            if not _wants_page():
                raise refusal
            return _draft_page(work, refusal.message, refusal.status)
        graph = attach_source_text(work.publish_graph(), work.text)
        write_graphs({work.graph_iri: graph})  # validates again, commits all or nothing
        work.published_at = work.updated = now()
        work.state = "published"
        workspace.drafts.save(work)
    if request.accept_mimetypes.best == "application/json":
        return jsonify(_state(work, report))
    return redirect(url_for("curate.draft", slug=slug), code=303)


# --- small APIs the page's script uses ---------------------------------------------


@bp.get("/api/traditional")
def traditional():
    """zh-Hant of a zh-Hans label (OpenCC), to prefill the editable field."""
    return jsonify({"zh-Hant": to_traditional(request.args.get("text", "")[:500])})


@bp.get("/api/entity")
def entity_summary():
    """The summary of an existing entity a re-link suggestion shows."""
    iri = request.args.get("iri", "")
    entity = link_index().entities.get(iri)
    if entity is None:
        raise ApiError(404, f"iri {iri!r}: no such entity in the graph")
    base = current_settings().base_iri
    return jsonify({
        "iri": iri,
        "curie": curie(iri),
        "page": page_href(URIRef(iri)),
        "labels": {tag: sorted(names) for tag, names in sorted(entity.names.items())},
        "types": sorted(curie(t) for t in entity.types),
        "cases": sorted(g.removeprefix(base + "graph/case/") for g in entity.graphs),
    })


# --- validation and the view -------------------------------------------------------


def _report(work: WorkDraft) -> ValidationReport:
    """What publishing the draft's graph now would be checked for."""
    graph = attach_source_text(work.publish_graph(), work.text)
    return guarded_writer().report({work.graph_iri: graph})


def _revalidate(work: WorkDraft) -> ValidationReport:
    report = _report(work)
    work.violations = len(report.violations)
    return report


def _message(result) -> str:
    lang = ui_language()
    if lang == "en" or not result.message_zh:
        return result.message_en
    return to_traditional(result.message_zh) if lang == "zh-Hant" else result.message_zh


def _results(work: WorkDraft, report: ValidationReport) -> list[dict]:
    order = {VIOLATION: 0, WARNING: 1}
    found = []
    for result in sorted(report.results, key=lambda r: order.get(r.severity, 2)):
        items = work.items_of(result.focus_node)
        found.append({
            "severity": result.severity,
            "message": _message(result),
            "field": curie(str(result.path)) if result.path is not None else "",
            "focus": curie(str(result.focus_node)) if result.focus_node is not None else "",
            "items": [{"id": i.id, "label": i.label} for i in items],
            "case": result.focus_node == work.case_node,
        })
    return found


def _state(work: WorkDraft, report: ValidationReport) -> dict:
    return {
        "slug": work.slug,
        "state": work.display_state(),
        "updated": work.updated,
        "undecided": len(work.undecided()),
        "publishable": not report.violations and not work.undecided() and work.state != "published",
        "text": work.text,  # what the offsets of every span and every ``add`` count in
        "items": [vars(item) for item in work.items],
        "report": _results(work, report),
    }


def _segments(work: WorkDraft) -> list[tuple[str, list[str]]]:
    """The text cut at every live candidate's span: (chunk, ids of candidates covering it)."""
    spans = [(i.start, i.end, i.id) for i in work.items if i.live and i.end > i.start]
    n = len(work.text)
    cuts = sorted({0, n} | {s for s, _, _ in spans} | {e for _, e, _ in spans})
    return [(work.text[a:b], [i for s, e, i in spans if s <= a and b <= e])
            for a, b in zip(cuts, cuts[1:], strict=False)]


def _view(work: WorkDraft, index: LinkIndex, report: ValidationReport) -> dict:
    results = _results(work, report)
    by_item: dict[str, list[dict]] = {}
    for result in results:
        for item in result["items"]:
            by_item.setdefault(item["id"], []).append(result)
    groups = []
    for kind in KINDS:
        members = [i for i in work.items if i.kind == kind and i.status != "merged"]
        if members:
            groups.append((kind, members))
    # What a relation may point at: entities, and the practices and innovations figures
    # and effects are of.
    entities = entity_choices(work, (*ENTITY_KINDS, "practice", "innovation"))
    nodes = {}
    for item in work.items:
        node = URIRef(item.node)
        nodes[item.id] = {
            "labels": work.labels(node),
            "types": sorted(curie(str(t)) for t in work.graph.objects(node, _RDF_TYPE)),
            "linked": item.linked,
            "values": {p: _current(work, node, p) for p in SETTABLE.get(item.kind, {})},
            "parts": _parts(work, index, item),
            "quote": work.text[item.start:item.end],
            "page": page_href(node) if item.linked or work.state == "published" else None,
        }
    case_values = {p: _current(work, work.case_node, p) for p in SETTABLE["case"]}
    sections = [{
        "id": f"section:{str(node).rsplit('/', 1)[1]}",
        "labels": work.labels(node),
        "values": {p: _current(work, node, p) for p in SETTABLE["section"]},
    } for node in work.sections()]
    undecided = work.undecided()
    return {
        "work": work,
        "segments": _segments(work),
        "groups": groups,
        "nodes": nodes,
        "results": results,
        "violations": [r for r in results if r["severity"] == VIOLATION],
        "warnings": [r for r in results if r["severity"] != VIOLATION],
        "by_item": by_item,
        "undecided": undecided,
        "publishable": not report.violations and not undecided and work.state != "published",
        "entities": entities,
        "entity_kinds": ENTITY_KINDS,
        "types": TYPES,
        "link_kinds": LINK_KINDS,
        "settable": SETTABLE,
        "case_values": case_values,
        "case_title": work.labels(work.case_node, DCTERMS.title),
        "sections": sections,
        "multivalued": MULTIVALUED,
        "facts": FACTS,
        "relations": RELATIONS,
        "units": UNITS,
        "concepts": {kind: concept_choices(index, kind)
                     for kind in ("practice-kind", "metric", "award-level", "award-rank",
                                  "section-kind", "award", "role")},
        "case_href": page_href(work.case_node),
        "kind_name": lambda kind: translate(f"curate_kind_{kind}"),
    }


_RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _current(work: WorkDraft, node: URIRef, prop: str) -> str | list[str]:
    """A field's value as its menu names it (``item:c012`` for a candidate's node); the
    list of them for a multi-valued property."""
    values = sorted(work.graph.objects(node, expand(prop)), key=str)
    if not values:
        stated_none = (node, expand("cg:notStatedInSource"), expand(prop))
        found = "not-stated" if stated_none in work.graph else ""
        return [found] if prop in MULTIVALUED else found
    named = [_menu_value(work, value) for value in values]
    return named if prop in MULTIVALUED else named[0]


def _menu_value(work: WorkDraft, value) -> str:
    for item in work.items:
        if item.live and item.node == str(value):
            return f"item:{item.id}"
    return str(value)


def _parts(work: WorkDraft, index: LinkIndex, item) -> list[dict]:
    """The nodes a candidate introduced that the curator may label and rename (a new
    award title, a new role); an existing entity is the graph's and is not offered."""
    found = []
    for (kind, part), prop in PARTS.items():
        if kind != item.kind:
            continue
        node = work.graph.value(URIRef(item.node), prop)
        if isinstance(node, URIRef) and str(node) not in index.entities:
            found.append({"part": part, "iri": str(node), "labels": work.labels(node)})
    return found
