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

    folder = scaffold_case(slug)
    click.echo(f"created {folder}/case.trig and {folder}/source.txt")


@main.command("draft-case")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--slug", required=True, help="Case slug (ASCII, hyphenated).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="TriG file (default stdout).")
def draft_case_command(source: str, slug: str, output: str | None) -> None:
    """Propose a draft graph from a raw case text, every candidate marked cg:isDraft."""
    from pathlib import Path

    from casegraph.drafting.draft_graph import draft_case

    dataset, candidates = draft_case(Path(source).read_text(encoding="utf-8"), slug)
    trig = dataset.serialize(format="trig")
    if output:
        Path(output).write_text(trig, encoding="utf-8")
    else:
        click.echo(trig)
    counts: dict[str, int] = {}
    for candidate in candidates:
        counts[candidate.kind] = counts.get(candidate.kind, 0) + 1
    summary = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
    click.echo(f"draft: {summary}", err=True)


@main.command("draft-eval")
def draft_eval() -> None:
    """Recall and precision of draft-case against every curated case in data/."""
    from casegraph import paths
    from casegraph.drafting.evaluate import format_table, score_case

    results = {folder.parent.name: score_case(folder.parent) for folder in paths.case_files()}
    click.echo(format_table(results))


@main.command("validate")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
    help="Report format; turtle is the SHACL validation report graph.",
)
def validate_command(files: tuple[str, ...], output_format: str) -> None:
    """Validate case files (default: every data/cases/*/case.trig) against shapes and ontology.

    Exits 1 when there is a violation (or a file cannot be parsed), 0 otherwise;
    warnings are printed but do not fail.
    """
    from casegraph import paths
    from casegraph.validation import validate_files

    targets = list(files) or [str(p) for p in paths.case_files()]
    if not targets:
        raise click.ClickException(f"no case files found under {paths.CASES_DIR}")
    report = validate_files(targets)
    rendered = {"text": report.to_text, "json": report.to_json, "turtle": report.to_turtle}
    click.echo(rendered[output_format]())
    raise SystemExit(0 if report.conforms else 1)
