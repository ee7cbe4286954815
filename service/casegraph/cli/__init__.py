"""The ``casegraph`` command.

Each sub-command is a thin shell over a module that does the work, so that the
same behaviour is reachable from Python and from tests without a subprocess.
"""

from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="casegraph")
def main() -> None:
    """casegraph: a knowledge graph of enterprise case studies."""


@main.command("new-case")
@click.argument("slug")
def new_case(slug: str) -> None:
    """Scaffold data/cases/SLUG: a commented case graph and an empty source text slot."""
    from casegraph.drafting.scaffold import scaffold_case

    try:
        folder = scaffold_case(slug)
    except (ValueError, FileExistsError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"created {folder}/case.trig and {folder}/source.txt")


@main.command("draft-case")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--slug", required=True, help="Case slug (ASCII, hyphenated).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="TriG file (default stdout).")
@click.option("--text-output", type=click.Path(dir_okay=False), help="Write the repaired text here.")
@click.option("--source-url", help="The document's address, kept as dcterms:source.")
@click.option(
    "--endpoint", help="Link against this casegraph service's graph (default: data/ offline)."
)
def draft_case_command(
    source: str,
    slug: str,
    output: str | None,
    text_output: str | None,
    source_url: str | None,
    endpoint: str | None,
) -> None:
    """Draft a case graph from a document (.txt, .docx, .html, .pdf), linked with data/.

    Every candidate is marked cg:isDraft with a cg:draftConfidence; names that
    match an existing entity get its IRI with cg:linkScore and the runner-up.
    """
    from pathlib import Path

    from casegraph.drafting.documents import DocumentError, read_document
    from casegraph.drafting.draft_graph import draft_case
    from casegraph.drafting.linking import LinkIndex

    try:
        document = read_document(Path(source))
        index = LinkIndex.from_endpoint(endpoint) if endpoint else None
        draft = draft_case(document.text, slug, index, source=source_url or document.source)
    except (ValueError, DocumentError) as error:
        raise click.ClickException(str(error)) from error
    trig = draft.dataset.serialize(format="trig")
    if output:
        Path(output).write_text(trig, encoding="utf-8")
    else:
        click.echo(trig)
    if text_output:
        Path(text_output).write_text(draft.text, encoding="utf-8")
    counts: dict[str, int] = {}
    for candidate in draft.candidates:
        counts[candidate.kind] = counts.get(candidate.kind, 0) + 1
    summary = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
    click.echo(f"draft: {summary}; {len(draft.links)} linked to existing entities", err=True)


@main.command("repair-text")
@click.argument("raw", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Repaired text file.")
@click.option("--report", type=click.Path(dir_okay=False), help="Write the JSON report here.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--strict", is_flag=True, help="Exit 2 when a span could not be repaired.")
def repair_text_command(
    raw: str, output: str | None, report: str | None, as_json: bool, strict: bool
) -> None:
    """Remove pinyin glosses and re-read misaligned GBK runs of a damaged case text."""
    import json
    from pathlib import Path

    from casegraph.repair.text import repair_text

    result = repair_text(Path(raw).read_text(encoding="utf-8"))
    document = json.dumps(result.as_json(), ensure_ascii=False, indent=2)
    if report:
        Path(report).write_text(document + "\n", encoding="utf-8")
    if output:
        Path(output).write_text(result.text, encoding="utf-8")
    else:
        click.echo(result.text, nl=False)
    # The report goes to stdout unless the text itself does.
    if as_json:
        click.echo(document, err=not output)
    elif not report:
        for repair in result.repairs:
            shown = repair.repaired if repair.kind != "flagged" else repair.note
            where = f"{raw}:{repair.line}:{repair.column}"
            evidence = f" ({repair.note})" if repair.note and repair.kind != "flagged" else ""
            click.echo(
                f"{where}: {repair.kind} {repair.raw!r} -> {shown!r}{evidence}", err=not output
            )
    summary = ", ".join(f"{n} {kind}" for kind, n in result.summary().items())
    click.echo(f"repaired: {summary}", err=True)
    if strict and result.flagged:
        raise SystemExit(2)


@main.command("draft-eval")
def draft_eval() -> None:
    """Recall and precision of draft-case per case and kind, tuned and held-out apart.

    Each case is drafted against the graph without its own case graph, so the
    linking rows show what a curator adding it would get.
    """
    from casegraph import paths
    from casegraph.drafting.draft_graph import warm_up
    from casegraph.drafting.evaluate import format_table, score_case

    warm_up()  # dictionaries load once per process: not a per-text cost
    timings: dict[str, float] = {}
    results = {
        folder.parent.name: score_case(folder.parent, timings) for folder in paths.case_files()
    }
    click.echo(format_table(results))
    if timings:
        slowest = max(timings, key=timings.__getitem__)
        click.echo(
            f"\ndrafting time per text: mean {sum(timings.values()) / len(timings):.2f} s, "
            f"max {timings[slowest]:.2f} s ({slowest}); linking index build and one-time dictionary loads excluded"
        )


@main.command("publish")
@click.argument("slug")
@click.option("--endpoint", required=True, help="Base URL of the casegraph service.")
@click.option(
    "--cases-dir",
    type=click.Path(file_okay=False, exists=True),
    help="Folder of case folders (default: data/cases).",
)
def publish_command(slug: str, endpoint: str, cases_dir: str | None) -> None:
    """Validate data/cases/SLUG locally, then upload its graph and text in one write.

    The update token comes from CASEGRAPH_UPDATE_TOKEN.
    """
    from pathlib import Path

    from casegraph import paths
    from casegraph.cli.publish import PublishError, publish_case

    try:
        report, graphs = publish_case(Path(cases_dir or paths.CASES_DIR) / slug, endpoint)
    except PublishError as error:
        raise click.ClickException(str(error)) from error
    for graph in graphs:
        click.echo(f"published <{graph}> to {endpoint}")
    if report.results:
        click.echo(f"{len(report.results)} warning(s) in the local report", err=True)


@main.command("export-case")
@click.argument("slug")
@click.option("--endpoint", required=True, help="Base URL of the casegraph service.")
@click.option(
    "--cases-dir",
    type=click.Path(file_okay=False),
    help="Folder of case folders to write into (default: data/cases).",
)
@click.option("--force", is_flag=True, help="Replace the case folder's files if they exist.")
def export_case_command(slug: str, endpoint: str, cases_dir: str | None, force: bool) -> None:
    """Write data/cases/SLUG (case.trig, source.txt) from the case published on a service.

    The way a case curated in the browser workspace joins the bundled corpus.
    """
    from pathlib import Path

    from casegraph import paths
    from casegraph.cli.export import ExportError, export_case

    try:
        folder = export_case(slug, endpoint, Path(cases_dir or paths.CASES_DIR), force)
    except ExportError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"wrote {folder / 'case.trig'} and {folder / 'source.txt'}")


@main.command("validate")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--dump", type=click.Path(dir_okay=False, exists=True),
              help="Validate every named graph of an N-Quads dump of a store instead "
              "(`oxigraph dump`, /export/dataset.nq), in parallel processes.")
@click.option("--jobs", type=click.IntRange(min=1),
              help="Processes for --dump (default: one per CPU).")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
    help="Report format; turtle is the SHACL validation report graph.",
)
def validate_command(files: tuple[str, ...], output_format: str, dump: str | None,
                     jobs: int | None) -> None:
    """Validate case files (default: every data/cases/*/case.trig) against shapes and ontology.

    Exits 1 when there is a violation (or a file cannot be parsed), 0 otherwise;
    warnings are printed but do not fail.
    """
    from pathlib import Path

    from casegraph import paths
    from casegraph.shacl.validation import validate_dump, validate_files

    if dump is not None:
        if files:
            raise click.UsageError("give either case files or --dump, not both")
        report = validate_dump(Path(dump), jobs=jobs)
    else:
        targets = list(files) or [str(p) for p in paths.case_files()]
        if not targets:
            raise click.ClickException(f"no case files found under {paths.CASES_DIR}")
        report = validate_files(targets)
    rendered = {"text": report.to_text, "json": report.to_json, "turtle": report.to_turtle}
    click.echo(rendered[output_format]())
    raise SystemExit(0 if report.conforms else 1)


def _store_settings(**overrides):
    """Settings from the environment, overridden by the flags that were given."""
    from casegraph.config import Settings

    return Settings.from_env(**overrides)


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--data-dir", type=click.Path(file_okay=False), help="Embedded store directory.")
@click.option("--store", type=click.Choice(["oxigraph", "memory", "remote"]),
              help="Storage backend (default: CASEGRAPH_STORE or oxigraph).")
@click.option("--endpoint", help="Remote store: SPARQL query endpoint URL.")
@click.option("--update-endpoint", help="Remote store: SPARQL update endpoint URL.")
@click.option("--store-endpoint", help="Remote store: Graph Store Protocol endpoint URL.")
@click.option("--remote-user", help="Remote store: user name (HTTP basic or digest).")
@click.option("--remote-password",
              help="Remote store: password (prefer CASEGRAPH_REMOTE_PASSWORD: flags show in ps).")
@click.option("--update-token", help="Bearer token that enables writes (default: read-only).")
@click.option("--workers", type=click.IntRange(min=1),
              help="Query worker processes of the embedded store "
                   "(default: CASEGRAPH_QUERY_WORKERS or 2).")
@click.option("--threads", default=1, show_default=True, type=click.IntRange(min=1),
              help="Request threads; above 1 serves with waitress (one process, N threads).")
@click.option("--production", is_flag=True, help="Serve with waitress even with --threads 1.")
def serve_command(host, port, data_dir, store, endpoint, update_endpoint, store_endpoint,
                  remote_user, remote_password, update_token, workers, threads,
                  production) -> None:
    """Serve the SPARQL endpoint, Graph Store and pages; loads bundled data into an empty store.

    Always ONE process for requests (the embedded store has one writer) with --threads
    threads; the embedded store answers queries in --workers worker processes.
    """
    from pathlib import Path

    from casegraph.cli.serve import serve
    from casegraph.errors import CasegraphError

    settings = _store_settings(
        store=store, data_dir=Path(data_dir) if data_dir else None,
        remote_query_url=endpoint, remote_update_url=update_endpoint,
        remote_store_url=store_endpoint, remote_user=remote_user,
        remote_password=remote_password, update_token=update_token, query_workers=workers,
    )
    try:
        serve(settings, host, port, threads=threads, production=production)
    except CasegraphError as error:
        raise click.ClickException(str(error)) from None


@main.command("query")
@click.argument("query")
@click.option("--endpoint", help="SPARQL endpoint URL (default: the local store).")
@click.option("--format", "output_format", default="table", show_default=True,
              type=click.Choice(["table", "csv", "json", "turtle"]))
@click.option("--data-dir", type=click.Path(file_okay=False), help="Local store directory.")
@click.option("--store", type=click.Choice(["oxigraph", "memory", "remote"]),
              help="Local storage backend (default: CASEGRAPH_STORE or oxigraph).")
def query_command(query, endpoint, output_format, data_dir, store) -> None:
    """Run QUERY (SPARQL text, or @file.rq) against an endpoint or the local store."""
    from pathlib import Path

    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    from casegraph.cli.query import (
        query_endpoint,
        query_local_store,
        read_query_argument,
        render,
    )
    from casegraph.errors import CasegraphError

    try:
        text = read_query_argument(query)
    except OSError as error:
        raise click.ClickException(f"cannot read the query file: {error}") from None
    settings = _store_settings(store=store, data_dir=Path(data_dir) if data_dir else None)
    try:
        if endpoint:
            result = query_endpoint(endpoint, text, timeout=settings.query_timeout)
        else:
            result = query_local_store(settings, text)
        click.echo(render(result, output_format))
    except (CasegraphError, SPARQLWrapperException, OSError) as error:
        raise click.ClickException(str(error)) from None


@main.command("load")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--graph", help="Named graph for triples outside any graph (Turtle, N-Triples).")
@click.option("--data-dir", type=click.Path(file_okay=False), help="Embedded store directory.")
@click.option("--store", type=click.Choice(["oxigraph", "memory", "remote"]),
              help="Storage backend (default: CASEGRAPH_STORE or oxigraph).")
def load_command(files, graph, data_dir, store) -> None:
    """Validate FILES, then replace the graphs they hold in one all-or-nothing commit."""
    from pathlib import Path

    from rdflib import URIRef

    from casegraph.errors import CasegraphError, WriteRejected
    from casegraph.store import open_store
    from casegraph.store.guarded import GuardedWriter, load_files

    settings = _store_settings(store=store, data_dir=Path(data_dir) if data_dir else None)
    target = open_store(settings)
    try:
        writer = GuardedWriter(target, settings)
        loaded = load_files(writer, [Path(f) for f in files], URIRef(graph) if graph else None)
    except WriteRejected as rejected:
        click.echo(rejected.report.to_text(), err=True)
        raise click.ClickException("nothing was loaded: the data does not conform") from None
    except (CasegraphError, ValueError) as error:
        raise click.ClickException(f"nothing was loaded: {error}") from None
    finally:
        target.close()
    for iri in loaded:
        click.echo(f"loaded {iri}")


EXPORT_FORMATS = {
    "trig": "application/trig",
    "nquads": "application/n-quads",
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
}


@main.command("export")
@click.option("--format", "export_format", type=click.Choice(sorted(EXPORT_FORMATS)),
              default="trig", show_default=True)
@click.option("--graph", help="Export one named graph (required for turtle).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="File to write; replaced only once the export is complete.")
@click.option("--data-dir", type=click.Path(file_okay=False), help="Embedded store directory.")
@click.option("--store", type=click.Choice(["oxigraph", "memory", "remote"]),
              help="Storage backend (default: CASEGRAPH_STORE or oxigraph).")
def export_command(export_format, graph, output, data_dir, store) -> None:
    """Stream the dataset (or one graph) to a file, atomically."""
    from pathlib import Path

    from rdflib import URIRef

    from casegraph.errors import CasegraphError
    from casegraph.rdf.graphs import write_atomically
    from casegraph.store import open_store

    if export_format == "turtle" and not graph:
        raise click.UsageError("turtle holds one graph: give --graph, or use trig or nquads")
    settings = _store_settings(store=store, data_dir=Path(data_dir) if data_dir else None)
    source = open_store(settings)
    try:
        chunks = source.dump(EXPORT_FORMATS[export_format], URIRef(graph) if graph else None)
        size = write_atomically(chunks, Path(output))
    except (CasegraphError, ValueError, OSError) as error:
        raise click.ClickException(f"export failed, {output} is unchanged: {error}") from None
    finally:
        source.close()
    click.echo(f"wrote {size} bytes to {output}")
