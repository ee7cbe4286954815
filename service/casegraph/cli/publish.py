"""``casegraph publish SLUG --endpoint URL``: a curated case to a running service.

The case is validated here first (shapes, and every quote against its
``source.txt``), so a curator sees the report before anything is sent.  Then
the case graph, with its source text added as ``cg:sourceText`` on the case
document, goes in ONE SPARQL update (drop the graph, insert it anew): the
service's guarded write validates it again and commits it all or nothing.  The
update token is read from ``CASEGRAPH_UPDATE_TOKEN``, never from the command
line (where other users could see it in the process list).
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from pathlib import Path

from rdflib import Dataset, URIRef

from casegraph.shacl.provenance import attach_source_text
from casegraph.shacl.report import ValidationReport
from casegraph.shacl.validation import validate_files

TOKEN_VARIABLE = "CASEGRAPH_UPDATE_TOKEN"


class PublishError(Exception):
    """Publishing stopped: what went wrong and where (nothing was changed on the service)."""


def publish_case(
    case_dir: Path, endpoint: str, token: str | None = None
) -> tuple[ValidationReport, list[str]]:
    """Validate ``case_dir`` locally, then upload its graphs and text in one update.

    Returns the local report (warnings only) and the graphs written; raises
    ``PublishError`` on a violation, a missing token or a refused upload.
    """
    trig, text_file = case_dir / "case.trig", case_dir / "source.txt"
    for path in (trig, text_file):
        if not path.is_file():
            raise PublishError(f"{path}: missing (a case folder holds case.trig and source.txt)")
    report = validate_files([trig])
    if report.violations:
        raise PublishError(f"{trig} does not validate; nothing was sent:\n{report.to_text()}")
    token = token or os.environ.get(TOKEN_VARIABLE)
    if not token:
        raise PublishError(f"set {TOKEN_VARIABLE} to the service's update token")
    dataset = Dataset()
    dataset.parse(trig, format="trig")
    text = text_file.read_text(encoding="utf-8")
    graphs = [g for g in dataset.graphs() if len(g) and isinstance(g.identifier, URIRef)]
    statements = []
    for graph in graphs:
        attach_source_text(graph, text)
        body = graph.serialize(format="nt")
        statements.append(f"DROP SILENT GRAPH <{graph.identifier}> ;\n"
                          f"INSERT DATA {{ GRAPH <{graph.identifier}> {{\n{body}}} }}")
    update = " ;\n".join(statements)
    request = urllib.request.Request(
        endpoint.rstrip("/") + "/sparql",
        data=update.encode("utf-8"),
        method="POST",
        headers={
            "Content-Type": "application/sparql-update; charset=utf-8",
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
    except urllib.error.HTTPError as error:
        detail = error.read().decode("utf-8", "replace")[:4000]
        raise PublishError(f"{endpoint} refused the case ({error.code}): {detail}") from error
    except urllib.error.URLError as error:
        raise PublishError(f"{endpoint}: cannot connect ({error.reason})") from error
    return report, [str(g.identifier) for g in graphs]
