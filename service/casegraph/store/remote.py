"""The remote backend: any SPARQL 1.1 store over the Protocol (and the Graph Store Protocol).

casegraph is one tenant of a store it does not own, so everything here is written
against what every engine accepts and assumes nothing about the other graphs:

* **Its graphs.**  casegraph's graphs are the named graphs under the base IRI,
  plus any other graph written through casegraph (listed in the registry graph
  ``<base>graph/_store/registry``); bookkeeping graphs under ``<base>graph/_store/``
  are not among them.  First-start detection, ``named_graphs``, counts, exports
  and VoID see only those graphs.
* **The default graph** is the RDF merge of casegraph's graphs (``store.merge``),
  kept in the bookkeeping graph ``<base>graph/_store/merge`` and changed by the
  same swap request as the graphs (triples no other graph states are retracted,
  the new graphs copied in).  Every query is sent with ``default-graph-uri`` naming
  that graph and ``named-graph-uri`` listing casegraph's graphs, so a query sees
  casegraph's dataset on any engine (Virtuoso's system graphs stay out), one row
  per triple (engines give one per graph for several default graphs).  A dataset of
  several default graphs is merged here, on a local copy.
* **Writes.**  Triples are sent as ``INSERT { GRAPH … { … } } WHERE {}``, which
  every engine accepts with blank nodes (Virtuoso refuses them in ``INSERT
  DATA``); each request carries at most ``WRITE_CHUNK_TRIPLES`` triples (Virtuoso
  compiles an update to SQL and refuses above about 1,500 triples), and the
  triples of one blank-node structure always travel together, because a blank
  node label means one node only within one template.
* **Atomicity.**  ``replace_graphs`` stages the new content into fresh graphs
  under ``<base>graph/_store/staging/<txn>/``, then writes a journal graph
  naming every (staging, target) pair and every graph to drop, then sends ONE
  update that moves the staging graphs onto their targets, drops, updates the
  registry and removes the journal.  A failure while staging leaves the
  targets untouched (the staging graphs are removed).  On engines that run one
  update request as a transaction (Oxigraph server, Fuseki) the swap is
  all-or-nothing and readers see the old or the new graphs.  On Virtuoso each
  operation of a request commits alone: a failure in the swap can leave some
  targets replaced and others not, and readers can see that state while the swap
  runs; the journal survives such a failure and the next write finishes the
  swap from the staged copies before doing anything else.
  One casegraph process must be the only writer of its graphs.
* **Terms.**  Language tags come back in BCP 47 case (Virtuoso lower-cases them),
  booleans as ``true``/``false`` (Virtuoso answers ``"1"^^xsd:boolean``); blank node labels are made N-Triples-safe (Virtuoso's ``nodeID://b1``).
  Virtuoso stores numbers as values: lexical forms come back canonical (``122.0``
  → ``122``), and an ``xsd:decimal`` without a fraction would come back as
  ``xsd:integer``, so such decimals are written as ``N.0`` to keep their datatype.
* **Virtuoso's ASK** ignores ``named-graph-uri`` for ``GRAPH <iri>`` (it answers
  true for a graph outside the list, and ``COUNT(*)`` 1); ASK is sent to it as
  ``SELECT * … LIMIT 1``.
* **Errors.**  A failure of the upstream store is a 502 carrying its message; a
  timeout is ``QueryTimeout`` (Virtuoso's "anytime" partial answers count as
  timeouts rather than being passed on as complete), an unreachable store is
  ``StoreUnavailable``.
* **Credentials.**  ``user``/``password`` are offered to every endpoint that asks
  (HTTP basic or digest, whichever the server's challenge names).

Time limits: the HTTP client gives up after ``timeout`` and raises
``QueryTimeout``; stopping the work on the server is the server's own limit
(``oxigraph serve --timeout-s``, Virtuoso ``MaxQueryExecutionTime``, Fuseki
``arq:queryTimeout``), which must be configured no longer than ``query_timeout``.

Update previews run locally: the graphs the update writes and reads are
fetched into an rdflib dataset and the update is applied there.  An update
whose WHERE clause may read every graph (``GRAPH ?g`` without ``USING NAMED``)
or that writes every graph (``CLEAR ALL``) fetches all of casegraph's graphs
(never the other graphs of the server).
"""

from __future__ import annotations

import json
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.namespace import RDFS, XSD
from rdflib.term import BNode, Identifier, Literal, URIRef

from casegraph.config import CANONICAL_BASE_IRI, Settings
from casegraph.errors import (
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    StoreError,
    StoreUnavailable,
    UpstreamError,
)
from casegraph.rdf.graphs import RDF_MEDIA_TYPES, rdflib_format
from casegraph.rdf.results import QueryResult, first_rows
from casegraph.rdf.terms import canonical_language_tag, term_from_json
from casegraph.sparql.update_scope import parse_update_scope
from casegraph.store.base import QueryRequest, Store
from casegraph.store.memory import preview_update

#: Triples per write request: Virtuoso refuses an update whose generated SQL passes
#: 10,000 lines (measured: 1,000 short triples pass, 2,000 fail).
WRITE_CHUNK_TRIPLES = 500
#: Bytes of triples per write request, for the engines' request size limits.
WRITE_CHUNK_BYTES = 512 * 1024
#: Bookkeeping vocabulary (journal entries); never part of casegraph's data.
_STORE_NS = "urn:x-casegraph:store#"
_REPLACES = URIRef(_STORE_NS + "replaces")
_DROPS = URIRef(_STORE_NS + "drops")
_RESULTS_JSON = "application/sparql-results+json"
_N_TRIPLES = "application/n-triples"
_GAP = r"(?:\s|#[^\n\r]*(?:\n|\r|$))*"
_QUERY_FORM = re.compile(
    rf"{_GAP}(?:(?:PREFIX{_GAP}[^\s:<>#]*:{_GAP}<[^<>]*>|BASE{_GAP}<[^<>]*>){_GAP})*"
    r"(SELECT|CONSTRUCT|DESCRIBE|ASK)(?![A-Za-z0-9_])",
    re.IGNORECASE,
)


class RemoteStore(Store):
    """A SPARQL 1.1 server holding casegraph's named graphs beside anyone else's."""

    def __init__(
        self,
        query_url: str,
        update_url: str,
        store_url: str | None = None,
        *,
        timeout: float = 10.0,
        base_iri: str = CANONICAL_BASE_IRI,
        user: str | None = None,
        password: str | None = None,
    ):
        self.query_url = query_url
        self.update_url = update_url
        self.store_url = store_url
        self.base_iri = base_iri
        self._default_timeout = timeout
        self._internal = f"{base_iri}graph/_store/"
        self._registry = URIRef(self._internal + "registry")
        self._merge = URIRef(self._internal + "merge")
        self._merge_checked = False
        self._virtuoso: bool | None = None  # learnt from the first answer's Server header
        handlers: list[urllib.request.BaseHandler] = []
        if user is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            urls = [u for u in (query_url, update_url, store_url) if u]
            passwords.add_password(None, urls, user, password or "")
            handlers += [
                urllib.request.HTTPBasicAuthHandler(passwords),
                urllib.request.HTTPDigestAuthHandler(passwords),
            ]
        self._opener = urllib.request.build_opener(*handlers)

    @classmethod
    def from_settings(cls, settings: Settings) -> RemoteStore:
        if not settings.remote_query_url or not settings.remote_update_url:
            raise StoreUnavailable(
                "the remote store needs CASEGRAPH_REMOTE_QUERY_URL and CASEGRAPH_REMOTE_UPDATE_URL"
            )
        return cls(
            settings.remote_query_url,
            settings.remote_update_url,
            settings.remote_store_url,
            timeout=settings.query_timeout,
            base_iri=settings.base_iri,
            user=settings.remote_user,
            password=settings.remote_password,
        )

    # ------------------------------------------------------------------ reads

    def evaluate(self, request: QueryRequest) -> QueryResult:
        sparql, default_graph_uris, named_graph_uris, timeout, max_rows, _lane = request
        if default_graph_uris is not None and len(set(default_graph_uris)) > 1:
            return self._query_merged(sparql, default_graph_uris, named_graph_uris, max_rows)
        if default_graph_uris is None:
            self._ensure_merge()
            default_graph_uris = [str(self._merge)]
        if named_graph_uris is None:
            # "Every named graph" means casegraph's graphs, never the server's own
            # notion of them (which includes other tenants' graphs).
            named_graph_uris = [str(g) for g in self.named_graphs()]
        # Both parts always spelt out: an engine left to fill in the missing part
        # chooses its own (Virtuoso: every graph it holds).
        dataset = [("default-graph-uri", iri) for iri in default_graph_uris or [EMPTY_GRAPH]]
        dataset += [("named-graph-uri", iri) for iri in named_graph_uris or [EMPTY_GRAPH]]
        return self._query(sparql, dataset, timeout=timeout, max_rows=max_rows)

    def _query_merged(self, sparql: str, default_graph_uris: Sequence[str],
                      named_graph_uris: Sequence[str] | None, max_rows: int | None) -> QueryResult:
        """A query over several default graphs, on a local copy where they are merged."""
        from casegraph.store.memory import MemoryStore

        needed = [*default_graph_uris,
                  *(self.named_graphs() if named_graph_uris is None else named_graph_uris)]
        local = MemoryStore()
        local.replace_graphs({URIRef(iri): self.graph(URIRef(iri)) for iri in dict.fromkeys(needed)})
        return local.query(sparql, default_graph_uris=default_graph_uris,
                           named_graph_uris=named_graph_uris, max_rows=max_rows)

    def _ensure_merge(self) -> None:
        """Build the merge graph once if casegraph's graphs exist without it (a store
        written before it existed, or by other means)."""
        if self._merge_checked:
            return
        present = self._query(f"SELECT ?s WHERE {{ GRAPH <{self._merge}> {{ ?s ?p ?o }} }} LIMIT 1",
                              []).rows
        names = self.named_graphs()
        if names and not present:
            copies = [f"INSERT {{ GRAPH <{self._merge}> {{ ?s ?p ?o }} }} "
                      f"WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}" for g in names]
            self._update(" ;\n".join([f"DROP SILENT GRAPH <{self._merge}>", *copies]))
        self._merge_checked = True

    def _query(
        self,
        sparql: str,
        dataset: list[tuple[str, str]],
        *,
        timeout: float | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        """POST a query with exactly the given dataset parameters (none: the server's own).

        Only ``query`` and the dataset go in the body: extra parameters (SPARQLWrapper's
        ``format``/``output``/``results``) override ``Accept`` on Virtuoso.
        """
        sparql = _one_base(sparql)
        form = _QUERY_FORM.match(sparql)
        kind = form.group(1).upper() if form is not None else "SELECT"
        graph_query = kind in {"CONSTRUCT", "DESCRIBE"}
        if kind == "ASK" and dataset and self._virtuoso:
            # Virtuoso answers ASK { GRAPH <g> {…} } true when <g> is not among the
            # named-graph-uri values (and COUNT(*) 1); SELECT is right: ask for rows.
            select = sparql[: form.start(1)] + "SELECT *" + sparql[form.end(1):]
            if re.search(r"[}]\s*$", select) and "VALUES" not in select.upper():
                select += "\nLIMIT 1"  # no solution modifier or VALUES follows the pattern
            rows = self._query(select, dataset, timeout=timeout, max_rows=1).rows
            return QueryResult(kind="boolean", boolean=bool(rows))
        body = urllib.parse.urlencode([("query", sparql), *dataset]).encode("utf-8")
        request = urllib.request.Request(
            self.query_url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": _N_TRIPLES if graph_query else _RESULTS_JSON,
            },
        )
        try:
            response = self._http(request, timeout=timeout)
        except UpstreamError as error:
            if error.http_status == 400:
                _raise_if_malformed(sparql)
            raise
        assert response is not None
        if graph_query:
            triples, truncated = first_rows(iter(_parse_triples(response)), max_rows)
            return QueryResult(kind="graph", triples=triples, truncated=truncated)
        try:
            document = json.loads(response)
        except ValueError as error:
            raise UpstreamError(
                f"the remote store's answer is not SPARQL JSON results: {response[:200]!r}"
            ) from error
        if "boolean" in document:
            return QueryResult(kind="boolean", boolean=bool(document["boolean"]))
        variables = document["head"].get("vars", [])
        bindings = document["results"]["bindings"]
        truncated = max_rows is not None and len(bindings) > max_rows
        if truncated:
            bindings = bindings[:max_rows]
        rows = [tuple(_json_term(b.get(v)) for v in variables) for b in bindings]
        return QueryResult(kind="bindings", variables=variables, rows=rows, truncated=truncated)

    def named_graphs(self) -> list[URIRef]:
        base = _string(self.base_iri)
        internal = _string(self._internal)
        result = self._query(
            "SELECT DISTINCT ?g WHERE {\n"
            f"  {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), {base})"
            f" && !STRSTARTS(STR(?g), {internal})) }}\n"
            f"  UNION {{ GRAPH <{self._registry}> {{ <{self._registry}> <{RDFS.member}> ?g }}"
            "    FILTER EXISTS { GRAPH ?g { ?s ?p ?o } } }\n}",
            [],
        )
        return sorted({row[0] for row in result.rows if isinstance(row[0], URIRef)})

    def graph(self, iri: URIRef) -> Graph:
        graph = Graph(identifier=URIRef(iri))
        if self.store_url:
            url = f"{self.store_url}?{urllib.parse.urlencode({'graph': str(iri)})}"
            request = urllib.request.Request(url, headers={"Accept": _N_TRIPLES})
            data = self._http(request, absent_ok=True)
            triples = () if data is None else _parse_triples(data)
        else:
            triples = self._query(
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}", []
            ).triples
        for triple in triples:
            graph.add(triple)
        return graph

    def dump(self, media_type: str, graph: URIRef | None = None) -> Iterator[bytes]:
        if graph is not None:
            yield self.graph(graph).serialize(format=rdflib_format(media_type), encoding="utf-8")
            return
        if media_type in RDF_MEDIA_TYPES and not RDF_MEDIA_TYPES[media_type][1]:
            yield self.graph(self._merge).serialize(  # a format of one graph: the merge
                format=rdflib_format(media_type), encoding="utf-8")
            return
        if media_type == "application/n-quads":  # streamed one graph at a time
            for iri in self.named_graphs():
                one = Dataset()
                target = one.graph(iri)
                for triple in self.graph(iri):
                    target.add(triple)
                yield one.serialize(format="nquads", encoding="utf-8")
            return
        dataset = Dataset()
        for iri in self.named_graphs():
            target = dataset.graph(iri)
            for triple in self.graph(iri):
                target.add(triple)
        yield dataset.serialize(format=rdflib_format(media_type), encoding="utf-8")

    def triple_count(self, graph: URIRef | None = None) -> int:
        if graph is not None:
            query, dataset = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", []
        else:
            query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
            names = [str(g) for g in self.named_graphs()]
            if not names:
                return 0
            dataset = [("default-graph-uri", EMPTY_GRAPH)] + [("named-graph-uri", g) for g in names]
        return int(self._query(query, dataset).rows[0][0])

    # ------------------------------------------------------------------ writes

    def update_preview(
        self, sparql_update: str, *, timeout: float | None = None
    ) -> dict[URIRef, Graph | None]:
        scope = parse_update_scope(sparql_update)
        names = set(scope.writes | scope.reads)
        if scope.writes_all or scope.reads_all:
            names |= set(self.named_graphs())  # casegraph's graphs only, never the server's
        graphs = {iri: self.graph(iri) for iri in names}
        return preview_update(graphs, sparql_update, None if scope.writes_all else scope.writes)

    def replace_graphs(self, graphs: Mapping[URIRef, Graph | None]) -> None:
        """Stage, journal, swap (see the module docstring for what each engine guarantees)."""
        if not graphs:
            return
        for iri in graphs:
            if str(iri).startswith(self._internal):
                raise QueryRefused(f"<{iri}> is under {self._internal}, which the store keeps "
                                   "for its own bookkeeping")
        self.recover()
        txn = uuid.uuid4().hex
        staging_prefix = f"{self._internal}staging/{txn}/"
        staged: dict[URIRef, URIRef] = {}
        quads: list[tuple[URIRef, tuple[Identifier, Identifier, Identifier]]] = []
        for number, (target, content) in enumerate(graphs.items()):
            if content is not None and len(content):
                staged[target] = URIRef(f"{staging_prefix}{number}")
                quads += [(staged[target], triple) for triple in content]
        journal = URIRef(f"{self._internal}journal/{txn}")
        try:
            for chunk in _chunks(quads):
                self._update(f"INSERT {{\n{self._quad_blocks(chunk)}}} WHERE {{}}")
            entries = [(s, _REPLACES, t) for t, s in staged.items()]
            entries += [(journal, _DROPS, t) for t in graphs if t not in staged]
            self._update(f"INSERT DATA {{\n{self._quad_blocks([(journal, e) for e in entries])}}}")
        except StoreError:
            self._forget(txn)
            raise
        self._finish(journal)

    def recover(self) -> None:
        """Finish the swaps a failure interrupted and remove orphaned staging graphs."""
        internal = _string(self._internal)
        rows = self._query(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
            f"FILTER(STRSTARTS(STR(?g), {internal})) }}", []
        ).rows
        journals, staged_txns = [], set()
        for (iri,) in rows:
            rest = str(iri)[len(self._internal):]
            if rest.startswith("journal/"):
                journals.append(URIRef(iri))
            elif rest.startswith("staging/"):
                staged_txns.add(rest.split("/")[1])
        for journal in journals:
            self._finish(journal)
            staged_txns.discard(str(journal).rsplit("/", 1)[1])
        for txn in staged_txns:
            self._forget(txn)

    def _finish(self, journal: URIRef) -> None:
        """Apply a journal in one update; staging graphs already moved are not moved again."""
        entries = self.graph(journal)
        staging_prefix = f"{self._internal}staging/{str(journal).rsplit('/', 1)[1]}/"
        present = {
            row[0]
            for row in self._query(
                "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                f"FILTER(STRSTARTS(STR(?g), {_string(staging_prefix)})) }}", []
            ).rows
        }
        targets = [t for _, _, t in entries.triples((None, _REPLACES, None))]
        targets += [t for _, _, t in entries.triples((None, _DROPS, None))]
        operations = [self._merge_retraction(t, targets) for t in targets]
        member, not_member = [], []
        for staging, _, target in entries.triples((None, _REPLACES, None)):
            if staging in present:
                operations.append(f"MOVE SILENT <{staging}> TO <{target}>")
            if not str(target).startswith(self.base_iri):
                member.append(target)
        for _, _, target in entries.triples((None, _DROPS, None)):
            operations.append(f"DROP SILENT GRAPH <{target}>")
            if not str(target).startswith(self.base_iri):
                not_member.append(target)
        operations += [f"INSERT {{ GRAPH <{self._merge}> {{ ?s ?p ?o }} }} "
                       f"WHERE {{ GRAPH <{t}> {{ ?s ?p ?o }} }}"
                       for _, _, t in entries.triples((None, _REPLACES, None))]
        registry = f"<{self._registry}> <{RDFS.member}>"
        if member:
            lines = "".join(f"{registry} <{t}> .\n" for t in member)
            operations.append(f"INSERT DATA {{ GRAPH <{self._registry}> {{\n{lines}}} }}")
        if not_member:
            lines = "".join(f"{registry} <{t}> .\n" for t in not_member)
            operations.append(f"DELETE DATA {{ GRAPH <{self._registry}> {{\n{lines}}} }}")
        operations.append(f"DROP SILENT GRAPH <{journal}>")
        self._update(" ;\n".join(operations))

    def _merge_retraction(self, target: URIRef, targets: Sequence[URIRef]) -> str:
        """Remove from the merge graph the triples of ``target`` that no other of
        casegraph's graphs (outside this swap) states."""
        excluded = ", ".join(f"<{t}>" for t in [*targets, self._merge])
        own = (f"(STRSTARTS(STR(?h), {_string(self.base_iri)}) && "
               f"!STRSTARTS(STR(?h), {_string(self._internal)})) || "
               f"EXISTS {{ GRAPH <{self._registry}> {{ <{self._registry}> <{RDFS.member}> ?h }} }}")
        return (f"DELETE {{ GRAPH <{self._merge}> {{ ?s ?p ?o }} }} WHERE {{ "
                f"GRAPH <{target}> {{ ?s ?p ?o }} FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?p ?o }} "
                f"FILTER(?h NOT IN ({excluded}) && ({own})) }} }}")

    def _forget(self, txn: str) -> None:
        """Best effort: drop the staging graphs (and journal) of a transaction that failed."""
        staging_prefix = f"{self._internal}staging/{txn}/"
        try:
            rows = self._query(
                "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                f"FILTER(STRSTARTS(STR(?g), {_string(staging_prefix)})) }}", []
            ).rows
            drops = [f"DROP SILENT GRAPH <{g}>" for (g,) in rows]
            drops.append(f"DROP SILENT GRAPH <{self._internal}journal/{txn}>")
            self._update(" ;\n".join(drops))
        except StoreError:
            pass  # the next write's recover() removes them

    def _quad_blocks(
        self, quads: Iterable[tuple[URIRef, tuple[Identifier, Identifier, Identifier]]]
    ) -> str:
        by_graph: dict[URIRef, list[str]] = {}
        for graph, (s, p, o) in quads:
            line = f"{self._term(s)} {self._term(p)} {self._term(o)} .\n"
            by_graph.setdefault(graph, []).append(line)
        return "".join(f"GRAPH <{g}> {{\n{''.join(lines)}}}\n" for g, lines in by_graph.items())

    def _term(self, term: Identifier) -> str:
        """A term in N-Triples syntax (strings escaped, never long-quoted)."""
        if isinstance(term, URIRef):
            return f"<{term}>"
        if isinstance(term, BNode):
            return f"_:{_bnode_label(str(term))}"
        assert isinstance(term, Literal)
        lexical = str(term)
        if term.datatype == XSD.decimal and self._virtuoso and re.fullmatch(r"[+-]?\d+", lexical):
            lexical += ".0"  # else Virtuoso stores (and returns) an xsd:integer
        text = f'"{_escape(lexical)}"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None and str(term.datatype) != str(XSD.string):
            return f"{text}^^<{term.datatype}>"
        return text

    def _update(self, sparql_update: str) -> None:
        if self._virtuoso is None:
            self._query("ASK {}", [])  # learn the engine before writing its first literal
        request = urllib.request.Request(
            self.update_url,
            data=sparql_update.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update"},
            method="POST",
        )
        self._http(request)

    def _http(
        self, request: urllib.request.Request, absent_ok: bool = False,
        timeout: float | None = None,
    ) -> bytes | None:
        """Send a request; ``None`` for a 404 when ``absent_ok`` (GSP: no such graph)."""
        limit = timeout or self._default_timeout
        try:
            with _http_errors(limit, request.full_url):
                reply = self._opener.open(request, timeout=limit)
                with reply:
                    if self._virtuoso is None:
                        self._virtuoso = "virtuoso" in (reply.headers.get("Server") or "").lower()
                    if reply.headers.get("X-SQL-State") == "S1TAT":
                        raise QueryTimeout(f"the remote store did not finish within {limit:g} s "
                                           "(it answered with partial results)")
                    return reply.read()
        except StoreError as error:
            if absent_ok and getattr(error, "http_status", None) == 404:
                return None
            raise


#: Named in ``default-graph-uri`` / ``named-graph-uri`` for an empty default graph or
#: no named graphs (the Protocol has no other spelling); never written.
EMPTY_GRAPH = "urn:x-casegraph:empty-default-graph"


_LEADING_BASES = re.compile(rf"(?:{_GAP}BASE{_GAP}<([^<>]*)>)+", re.IGNORECASE)
_ONE_BASE = re.compile(rf"{_GAP}BASE{_GAP}<([^<>]*)>", re.IGNORECASE)


def _one_base(sparql: str) -> str:
    """Consecutive leading ``BASE`` declarations folded into one (each resolved against
    the one before, as SPARQL does): the service puts the dataset's base before the
    client's own prologue, and Virtuoso's grammar allows a single ``BASE``."""
    leading = _LEADING_BASES.match(sparql)
    if leading is None:
        return sparql
    bases = _ONE_BASE.findall(leading.group(0))
    if len(bases) < 2:
        return sparql
    base = bases[0]
    for later in bases[1:]:
        base = urllib.parse.urljoin(base, later)
    return f"BASE <{base}>\n" + sparql[leading.end():]


def _raise_if_malformed(sparql: str) -> None:
    """``QuerySyntaxError`` when the query itself does not parse (the client's mistake,
    400); a query that parses but that the engine refused stays an upstream failure."""
    try:
        ox.Store().query(sparql)  # parses; evaluation over an empty store is immediate
    except SyntaxError as error:
        raise QuerySyntaxError(f"the query does not parse: {error}") from None
    except (ValueError, OSError, RuntimeError):
        return


def _chunks(quads: list[tuple[URIRef, tuple]]) -> Iterator[list[tuple[URIRef, tuple]]]:
    """Quads in requests of bounded size; the quads of one blank-node structure stay together.

    A structure is a connected component of blank nodes (a union-find over the
    blank nodes sharing a triple); a structure larger than a chunk goes alone.
    """
    parent: dict[BNode, BNode] = {}

    def root(node: BNode) -> BNode:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for _, (s, _p, o) in quads:
        if isinstance(s, BNode) and isinstance(o, BNode):
            parent[root(s)] = root(o)
    groups: dict[object, list] = {}
    for quad in quads:
        s, _p, o = quad[1]
        key = root(s) if isinstance(s, BNode) else root(o) if isinstance(o, BNode) else None
        groups.setdefault(key if key is not None else id(quad), []).append(quad)
    chunk: list = []
    size = 0
    for group in groups.values():
        group_size = sum(len(str(t)) + 8 for _, triple in group for t in triple)
        if chunk and (len(chunk) + len(group) > WRITE_CHUNK_TRIPLES
                      or size + group_size > WRITE_CHUNK_BYTES):
            yield chunk
            chunk, size = [], 0
        chunk += group
        size += group_size
    if chunk:
        yield chunk


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t",
            "\b": "\\b", "\f": "\\f"}


def _escape(text: str) -> str:
    return re.sub(r'[\\"\n\r\t\b\f]', lambda m: _ESCAPES[m.group(0)], text)


def _string(text: str) -> str:
    return f'"{_escape(text)}"'


def _bnode_label(value: str) -> str:
    """An N-Triples-safe label for a server's blank node id (Virtuoso: ``nodeID://b10001``)."""
    value = value.removeprefix("_:")
    return value if re.fullmatch(r"[A-Za-z0-9_]+", value) else "b" + re.sub(
        r"[^A-Za-z0-9]", lambda m: f"_{ord(m.group(0)):x}", value)


def _parse_triples(data: bytes) -> Iterator[tuple[Identifier, Identifier, Identifier]]:
    """The triples of an N-Triples answer, with language tags in BCP 47 case."""
    try:
        graph = Graph().parse(data=data, format="nt")
    except Exception as error:  # rdflib parsers raise many types; all mean a bad answer
        raise UpstreamError(f"the remote store's answer is not N-Triples: {error}") from error
    for s, p, o in graph:
        yield s, p, _canonical_literal(o) if isinstance(o, Literal) else o


def _json_term(value: dict | None):
    """A SPARQL JSON results term as an rdflib term, with Virtuoso's spellings undone."""
    term = term_from_json(value)
    if isinstance(term, BNode):
        return BNode(_bnode_label(str(term)))
    return _canonical_literal(term) if isinstance(term, Literal) else term


def _canonical_literal(literal: Literal) -> Literal:
    """Language tags in BCP 47 case, booleans as ``true``/``false`` (Virtuoso answers
    lower-cased tags and ``"1"^^xsd:boolean``)."""
    if literal.language:
        return Literal(str(literal), lang=canonical_language_tag(literal.language))
    if literal.datatype == XSD.boolean and str(literal) in {"0", "1"}:
        return Literal("true" if str(literal) == "1" else "false", datatype=XSD.boolean)
    return literal


class _http_errors:
    """Map transport and protocol failures to storage errors (502 with the upstream message)."""

    def __init__(self, timeout: float, url: str):
        self.timeout = timeout
        self.url = url

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if error is None or isinstance(error, StoreError):
            return False
        if isinstance(error, TimeoutError | socket.timeout) or (
            isinstance(error, urllib.error.URLError) and isinstance(error.reason, TimeoutError)
        ):
            raise QueryTimeout(f"the remote store did not answer within {self.timeout:g} s")
        if isinstance(error, urllib.error.HTTPError):
            body = error.read().decode("utf-8", "replace").strip()[:500]
            failure = UpstreamError(
                f"the remote store ({self.url}) answered HTTP {error.code}: {body}"
            )
            failure.http_status = error.code
            raise failure from error
        if isinstance(error, urllib.error.URLError | ConnectionError):
            raise StoreUnavailable(f"the remote store is unreachable: {error}") from error
        return False
