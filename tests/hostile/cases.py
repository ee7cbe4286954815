"""The hostile requests, as data: one row per request, grouped by class of attack.

Placeholders in paths, bodies and headers: ``@L@`` is the loopback listener's URL (it
records any connection, so a fetch by the server is seen), ``@W@`` a case graph the
store holds.  ``writes`` marks requests that carry the update token and would write if
let through; the read-only service answers every one of them 403, so only the other
rows run there.  Every row expects a status set: refusals are 4xx, and 200 only where
answering is safe (escaped search results, a query whose outside graph is never fetched).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

WATER = "https://w3id.org/casegraph/id/graph/case/jinan-water-group"
#: A graph the store does not hold: writes that would only create it leave the store as is.
SCRATCH = "https://w3id.org/casegraph/id/graph/case/hostile-scratch"
TOKEN = "s3cret-token-for-tests"  # tests.web.conftest.UPDATE_TOKEN
AUTH = {"Authorization": f"Bearer {TOKEN}"}
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
FORM = "application/x-www-form-urlencoded"
RDF_XML = "application/rdf+xml"
JSON_LD = "application/ld+json"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


@dataclass(frozen=True)
class Hostile:
    """One hostile request and the answers that are right for it."""

    attack: str
    name: str
    method: str
    path: str
    expect: frozenset[int]
    body: bytes | str | None = None
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    writes: bool = False
    #: Keys the JSON error body must carry (e.g. line and column of a syntax error).
    located: bool = False
    #: Client-side limit, seconds: a request not answered by then is a hang.
    limit: float = 20.0

    @property
    def id(self) -> str:
        return f"{self.attack}:{self.name}"


def _h(attack, name, method, path, expect, body=None, content_type=None, headers=None,
       **options) -> Hostile:
    if isinstance(expect, int):
        expect = {expect}
    return Hostile(attack, name, method, path, frozenset(expect), body, content_type,
                   headers or {}, **options)


def _get_query(query: str) -> str:
    from urllib.parse import quote

    return "/sparql?query=" + quote(query, safe="")


def _form(**values: str) -> str:
    from urllib.parse import urlencode

    return urlencode(values)


def _escaped(word: str) -> str:
    return "".join(f"\\u{ord(c):04X}" for c in word)


def _billion_laughs() -> str:
    entities = ['<!ENTITY lol0 "lol">']
    for level in range(1, 10):
        entities.append(f'<!ENTITY lol{level} "' + f"&lol{level - 1};" * 10 + '">')
    return (f'<?xml version="1.0"?><!DOCTYPE r [{"".join(entities)}]>'
            f'<rdf:RDF xmlns:rdf="{RDF_NS}"><rdf:Description rdf:about="http://a/">'
            f'<rdf:value>&lol9;</rdf:value></rdf:Description></rdf:RDF>')


def _xxe(system: str) -> str:
    return (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "{system}">]>'
            f'<rdf:RDF xmlns:rdf="{RDF_NS}"><rdf:Description rdf:about="http://a/">'
            f'<rdf:value>&e;</rdf:value></rdf:Description></rdf:RDF>')


def _deep_json(depth: int) -> str:
    return '{"@id": "http://a/", "http://b/": ' + "[" * depth + "]" * depth + "}"


_ORG_TURTLE = ("@prefix org: <http://www.w3.org/ns/org#> .\n"
               "<https://w3id.org/casegraph/id/org/x> a org:Organization .\n")
_VALID_ASK = "ASK { ?s ?p ?o }"
_MARKUP = "<script>alert(1)</script>"
_IMG = '"><img src=x onerror=alert(1)>'

def _plain_requests() -> list[Hostile]:
    """The rows of ``plain-requests.tsv``: requests that are only a method and a path.

    A table of a hundred paths reads better as a table than as a hundred calls;
    ``expect`` there is the accepted statuses separated by spaces.
    """
    table = Path(__file__).with_name("plain-requests.tsv").read_text(encoding="utf-8")
    rows = [line for line in table.splitlines() if line and not line.startswith("#")]
    header, *body = (row.split("\t") for row in rows)
    assert header == ["attack", "name", "method", "path", "expect"], header
    return [_h(attack, name, method, path, {int(code) for code in expect.split()})
            for attack, name, method, path, expect in body]


CASES: list[Hostile] = [
    # --- malformed queries and updates: 400 with line and column ----------------------
    _h("malformed-sparql", "get-truncated-triple", "GET",
       _get_query("SELECT * WHERE { ?s ?p }"), 400, located=True),
    _h("malformed-sparql", "post-unclosed-filter", "POST", "/sparql", 400,
       "SELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER( \n}", QUERY, located=True),
    _h("malformed-sparql", "query-and-update-form", "POST", "/sparql", 400,
       _form(query=_VALID_ASK, update="CLEAR ALL"), FORM, AUTH, writes=True),
    _h("malformed-sparql", "invalid-utf8-body", "POST", "/sparql", 400,
       b"ASK { ?s ?p \xff\xfe }", QUERY),
    _h("malformed-sparql", "nul-byte", "POST", "/sparql", 400,
       "ASK { ?s ?p ?o }\x00 DROP ALL", QUERY),
    _h("malformed-sparql", "bad-codepoint-escape", "GET",
       _get_query("SELECT * WHERE { ?s ?p \\u00 }"), 400),
    _h("malformed-sparql", "update-syntax", "POST", "/sparql", 400,
       f"INSERT DATA {{ GRAPH <{WATER}> {{\n  <http://a/> <http://b/> }} }}", UPDATE, AUTH,
       writes=True, located=True),
    _h("malformed-sparql", "update-by-get", "GET",
       "/sparql?update=" + "DROP%20ALL", {400, 405}),
    _h("malformed-sparql", "regex-backreference", "GET",
       _get_query('SELECT (REGEX("aa", "(a)\\\\1") AS ?m) {}'), {200, 400}),
    # --- the default graph and whole-store operations are not writable ----------------
    _h("store-wide-update", "clear-default", "POST", "/sparql", {400, 403, 422},
       "CLEAR DEFAULT", UPDATE, AUTH, writes=True),
    _h("store-wide-update", "insert-default-graph", "POST", "/sparql", {400, 403, 422},
       "INSERT DATA { <http://a/> <http://b/> <http://c/> }", UPDATE, AUTH, writes=True),
    _h("store-wide-update", "copy-silent-outside-graph", "POST", "/sparql",
       {200, 400, 404, 422}, f"COPY SILENT <@L@> TO <{SCRATCH}>", UPDATE, AUTH, writes=True),
    _h("store-wide-update", "add-missing-outside-graph", "POST", "/sparql",
       {200, 400, 404, 422}, f"ADD <@L@> TO <{SCRATCH}>", UPDATE, AUTH, writes=True),
    _h("store-wide-update", "move-silent-outside-graph", "POST", "/sparql",
       {200, 400, 404, 422}, f"MOVE SILENT <@L@> TO <{SCRATCH}>", UPDATE, AUTH, writes=True),
    # --- outbound requests: refused by parsing, never fetched -------------------------
    _h("outbound", "service", "GET",
       _get_query("SELECT * WHERE { SERVICE <@L@> { ?s ?p ?o } }"), 400),
    _h("outbound", "service-u0053-escape", "GET",
       _get_query("SELECT * WHERE { \\u0053ERVICE <@L@> { ?s ?p ?o } }"), 400),
    _h("outbound", "service-all-escaped", "POST", "/sparql", 400,
       f"SELECT * WHERE {{ {_escaped('SERVICE')} <@L@> {{ ?s ?p ?o }} }}", QUERY),
    _h("outbound", "service-mixed-case", "POST", "/sparql", 400,
       "select * where { sErViCe SiLeNt <@L@> { ?s ?p ?o } }", QUERY),
    _h("outbound", "service-in-form", "POST", "/sparql", 400,
       _form(query="CONSTRUCT WHERE { SERVICE <@L@> { ?s ?p ?o } }"), FORM),
    _h("outbound", "from", "GET", _get_query("SELECT * FROM <@L@> WHERE { ?s ?p ?o }"), 400),
    _h("outbound", "from-named", "GET",
       _get_query("SELECT * FROM NAMED <@L@> WHERE { GRAPH ?g { ?s ?p ?o } }"), 400),
    _h("outbound", "from-escaped", "GET",
       _get_query(f"ASK {_escaped('FROM')} <@L@> {{ }}"), 400),
    _h("outbound", "default-graph-uri-is-empty", "GET",
       _get_query(_VALID_ASK) + "&default-graph-uri=@L@", 200),
    _h("outbound", "named-graph-uri-file", "GET",
       _get_query("ASK { GRAPH ?g { ?s ?p ?o } }") + "&named-graph-uri=file:///etc/passwd",
       200),
    _h("outbound", "load", "POST", "/sparql", 400, "LOAD <@L@>", UPDATE, AUTH, writes=True),
    _h("outbound", "load-escaped-into-case", "POST", "/sparql", 400,
       f"{_escaped('LOAD')} SILENT <@L@> INTO GRAPH <{WATER}>", UPDATE, AUTH, writes=True),
    _h("outbound", "using", "POST", "/sparql", 400,
       f"DELETE {{ GRAPH <{WATER}> {{ ?s ?p ?o }} }} USING <@L@> WHERE {{ ?s ?p ?o }}",
       UPDATE, AUTH, writes=True),
    _h("outbound", "using-named", "POST", "/sparql", 400,
       f"INSERT {{ GRAPH <{WATER}> {{ ?s ?p ?o }} }} USING NAMED <@L@> "
       "WHERE { GRAPH ?g { ?s ?p ?o } }", UPDATE, AUTH, writes=True),
    _h("outbound", "service-in-update-where", "POST", "/sparql", 400,
       _form(update=f"INSERT {{ GRAPH <{WATER}> {{ ?s ?p ?o }} }} "
                    "WHERE { SERVICE <@L@> { ?s ?p ?o } }"), FORM, AUTH, writes=True),
    # --- resource exhaustion ------------------------------------------------------------
    _h("exhaustion", "deep-nesting", "POST", "/sparql", 400,
       "SELECT * WHERE " + "{" * 5000 + "}" * 5000, QUERY),
    _h("exhaustion", "deep-parentheses", "GET",
       _get_query("SELECT * WHERE { FILTER(" + "(" * 3000 + "1" + ")" * 3000 + ") }"), 400),
    _h("exhaustion", "many-triple-patterns", "POST", "/sparql", 400,
       "SELECT * WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(400)) + " }",
       QUERY),
    _h("exhaustion", "query-text-too-long", "POST", "/sparql", 400,
       "ASK { ?s ?p ?o } #" + "x" * 300_000, QUERY),
    _h("exhaustion", "body-over-limit", "POST", "/sparql", 413,
       "ASK { ?s ?p ?o } #" + "x" * (2 * 1024 * 1024), QUERY),
    _h("exhaustion", "upload-over-limit", "PUT", f"/store?graph={WATER}", 413,
       _ORG_TURTLE + "#" + "x" * (2 * 1024 * 1024), "text/turtle", AUTH, writes=True),
    _h("exhaustion", "cartesian-product-sorted", "GET",
       _get_query("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY RAND()"),
       {200, 503}),
    _h("exhaustion", "regex-catastrophic-backtracking", "GET",
       _get_query('SELECT (REGEX(CONCAT("' + "a" * 5000 + '", "!"), "^(a+)+$") AS ?m) '
                  "WHERE { ?s ?p ?o } LIMIT 50"), 200),
    _h("exhaustion", "regex-over-every-literal", "GET",
       _get_query('SELECT ?o WHERE { ?s ?p ?o FILTER REGEX(STR(?o), "^(([a-z])+.)+[A-Z]([a-z])+$")'
                  " }"), {200, 503}),
    _h("exhaustion", "deep-turtle-upload", "POST", "/validate", 400,
       "<http://a/> <http://b/> " + "[ <http://c/> " * 3000 + "]" * 3000 + " .", "text/turtle"),
    _h("exhaustion", "deep-jsonld-upload", "POST", "/validate", 400, _deep_json(100_000),
       JSON_LD),
    _h("exhaustion", "billion-laughs", "POST", "/validate", 400, _billion_laughs(), RDF_XML),
    # --- uploads in every accepted syntax -------------------------------------------
    _h("upload", "turtle-syntax", "POST", "/validate", 400,
       "@prefix ex: <http://example.org/> .\nex:a ex:b\n  ex:c ex:d .\n", "text/turtle",
       located=True),
    _h("upload", "trig-syntax", "PUT", f"/store?graph={WATER}", 400,
       f"<{WATER}> {{ <http://a/> <http://b/> ", "application/trig", AUTH, writes=True,
       located=True),
    _h("upload", "ntriples-bad-iri", "POST", "/validate", 400,
       "<not an iri> <http://b/> <http://c/> .\n", "application/n-triples", located=True),
    _h("upload", "nquads-syntax", "POST", "/validate", 400,
       "<http://a/> <http://b/> <http://c/> <http://g/> <http://extra/> .\n",
       "application/n-quads", located=True),
    _h("upload", "trig-names-another-graph", "PUT", f"/store?graph={WATER}", 400,
       f"<http://example.org/g> {{ {_ORG_TURTLE.splitlines()[1]} }}", "application/trig",
       AUTH, writes=True),
    _h("upload", "put-default-graph", "PUT", "/store?default", 400, _ORG_TURTLE,
       "text/turtle", AUTH, writes=True),
    _h("upload", "shape-violation", "PUT", f"/store?graph={WATER}", 422,
       _ORG_TURTLE, "text/turtle", AUTH, writes=True),
    _h("upload", "post-bad-turtle-to-case", "POST", f"/store?graph={WATER}", 400,
       "<http://a/> <http://b/> \"unterminated .", "text/turtle", AUTH, writes=True,
       located=True),
    _h("upload", "jsonld-remote-context", "POST", "/validate", 400,
       json.dumps({"@context": "@L@", "@id": "http://a/", "p": 1}), JSON_LD),
    _h("upload", "jsonld-context-list", "PUT", f"/store?graph={WATER}", 400,
       json.dumps({"@context": [{"x": "http://x/"}, "@L@c.jsonld"], "@id": "http://a/"}),
       JSON_LD, AUTH, writes=True),
    _h("upload", "jsonld-import", "POST", "/validate", 400,
       json.dumps({"@context": {"@import": "@L@"}, "@id": "http://a/"}), JSON_LD),
    _h("upload", "jsonld-nested-file-context", "POST", "/validate", 400,
       json.dumps({"@id": "http://a/", "http://x/p": {"@context": "file:///etc/passwd",
                                                     "@id": "http://b/"}}), JSON_LD),
    _h("upload", "jsonld-not-utf8", "POST", "/validate", 400,
       b'{"@id": "http://a/", "http://b/": "\xff"}', JSON_LD),
    _h("upload", "jsonld-syntax", "POST", "/validate", 400, '{"@id": "http://a/",,}',
       JSON_LD, located=True),
    _h("upload", "rdfxml-external-entity", "POST", "/validate", 400, _xxe("@L@"), RDF_XML),
    _h("upload", "rdfxml-xxe-file", "PUT", f"/store?graph={WATER}", 400,
       _xxe("file:///etc/passwd"), RDF_XML, AUTH, writes=True),
    _h("upload", "rdfxml-parameter-entity", "POST", "/validate", 400,
       f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "@L@"> %p;]>'
       f'<rdf:RDF xmlns:rdf="{RDF_NS}"/>', RDF_XML),
    _h("upload", "rdfxml-utf16-doctype", "POST", "/validate", 400,
       _xxe("@L@").replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
       .encode("utf-16"), RDF_XML),
    _h("upload", "rdfxml-utf16-plain", "POST", "/validate", {200, 400},
       (f'<?xml version="1.0" encoding="UTF-16"?><rdf:RDF xmlns:rdf="{RDF_NS}">'
        '<rdf:Description rdf:about="http://a/"><rdf:value>一</rdf:value>'
        "</rdf:Description></rdf:RDF>").encode("utf-16"), RDF_XML),
    _h("upload", "rdfxml-syntax", "POST", "/validate", 400,
       f'<rdf:RDF xmlns:rdf="{RDF_NS}">\n<rdf:Description>', RDF_XML, located=True),
    # --- Content-Type -------------------------------------------------------------------
    _h("content-type", "sparql-text-plain", "POST", "/sparql", 415, _VALID_ASK,
       "text/plain"),
    _h("content-type", "sparql-none", "POST", "/sparql", 415, _VALID_ASK),
    _h("content-type", "sparql-latin1-charset", "POST", "/sparql", 415, _VALID_ASK,
       QUERY + "; charset=latin-1"),
    _h("content-type", "sparql-bogus-charset", "POST", "/sparql", 415, _VALID_ASK,
       QUERY + "; charset=x-no-such"),
    _h("content-type", "store-octet-stream", "PUT", f"/store?graph={WATER}", 415,
       _ORG_TURTLE, "application/octet-stream", AUTH, writes=True),
    _h("content-type", "store-none", "POST", f"/store?graph={WATER}", 415, _ORG_TURTLE,
       None, AUTH, writes=True),
    _h("content-type", "validate-html", "POST", "/validate", 415, "<p>x</p>", "text/html"),
    _h("content-type", "validate-none", "POST", "/validate", 415, _ORG_TURTLE),
    # --- Accept -------------------------------------------------------------------------
    _h("accept", "sparql-image", "GET", _get_query(_VALID_ASK), 406,
       headers={"Accept": "image/png"}),
    _h("accept", "sparql-format-param", "GET", _get_query(_VALID_ASK) + "&format=exe", 406),
    _h("accept", "store-unknown", "GET", f"/store?graph={WATER}", 406,
       headers={"Accept": "application/x-unknown"}),
    _h("accept", "nan-and-garbage-q", "GET", _get_query(_VALID_ASK), {200, 406},
       headers={"Accept": "*/*;q=abc, application/sparql-results+json;q=NaN, ;;;, /, */"}),
    _h("accept", "many-entries", "GET", _get_query(_VALID_ASK), {200, 406},
       headers={"Accept": ", ".join(f"type{i}/sub{i};q=0.{i % 10}" for i in range(500))}),
    _h("accept", "header-over-64k", "GET", _get_query(_VALID_ASK), 431,
       headers={"Accept": ", ".join(f"type{i}/sub{i};q=0.{i % 10}" for i in range(4000))}),
    # --- tokens -------------------------------------------------------------------------
    _h("auth", "update-without-token", "POST", "/sparql", 401,
       f"INSERT DATA {{ GRAPH <{WATER}> {{ <http://a/> <http://b/> 1 }} }}", UPDATE),
    _h("auth", "update-wrong-token", "POST", "/sparql", 401,
       f"CLEAR GRAPH <{WATER}>", UPDATE, {"Authorization": "Bearer wrong"}),
    _h("auth", "update-basic-scheme", "POST", "/sparql", 401, f"CLEAR GRAPH <{WATER}>",
       UPDATE, {"Authorization": f"Basic {TOKEN}"}),
    _h("auth", "token-prefix", "DELETE", f"/store?graph={WATER}", 401,
       headers={"Authorization": f"Bearer {TOKEN[:-1]}"}),
    _h("auth", "delete-without-token", "DELETE", f"/store?graph={WATER}", 401),
    _h("auth", "put-non-ascii-token", "PUT", f"/store?graph={WATER}", 401, _ORG_TURTLE,
       "text/turtle", {"Authorization": "Bearer tökén"}),
    _h("auth", "huge-token", "POST", "/sparql", 401, f"CLEAR GRAPH <{WATER}>", UPDATE,
       {"Authorization": "Bearer " + "t" * 60_000}),
    # --- header abuse -------------------------------------------------------------------
    _h("headers", "very-long-header", "GET", "/search?q=water", {200, 431},
       headers={"X-Padding": "p" * 60_000}),
    _h("headers", "very-long-url", "GET", "/search?q=" + "%E6%B0%B4" * 6_000, {200, 414}),
    _h("headers", "url-over-64k", "GET", "/search?q=" + "%E6%B0%B4" * 8_000, {414}),
    _h("headers", "bogus-accept-language", "GET", "/", {200},
       headers={"Accept-Language": "<script>;q=2, zh-Hans;q=x, *;q=-1"}),
    _h("headers", "host-header-injection", "GET", "/void", 200,
       headers={"Host": "evil.example\"><script>alert(1)</script>"}),
    # --- bad IRIs -----------------------------------------------------------------------
    _h("bad-iri", "store-graph-no-scheme", "DELETE", "/store?graph=relative", 400,
       headers=AUTH, writes=True),
    _h("bad-iri", "store-graph-and-default", "GET", f"/store?graph={WATER}&default", 400),
    # --- hostile literals rendered: escaped, never a live link ----------------------------
    _h("markup", "entity-page", "GET", "/id/org/hostile-input", 200,
       headers={"Accept": "text/html"}),
    # --- exports and descriptions -------------------------------------------------------
    _h("export", "void-post", "POST", "/void", 405, "x", "text/plain"),
    _h("export", "metrics-put", "PUT", "/metrics", 405, "x", "text/plain"),
    *_plain_requests(),
]

#: Writes a read-only service (no update token configured) must answer 403.
READ_ONLY_WRITES: list[Hostile] = [
    _h("read-only", "update-with-token", "POST", "/sparql", 403,
       f"CLEAR GRAPH <{WATER}>", UPDATE, AUTH),
    _h("read-only", "update-form-without-token", "POST", "/sparql", 403,
       _form(update=f"DROP GRAPH <{WATER}>"), FORM),
    _h("read-only", "put-with-token", "PUT", f"/store?graph={WATER}", 403, _ORG_TURTLE,
       "text/turtle", AUTH),
    _h("read-only", "post-new-graph", "POST", "/store?graph=http://example.org/new", 403,
       _ORG_TURTLE, "text/turtle", AUTH),
    _h("read-only", "delete-with-token", "DELETE", f"/store?graph={WATER}", 403,
       headers=AUTH),
]
