"""``POST /validate``: check data against the SHACL shapes without storing it.

The body is Turtle, TriG, N-Triples, N-Quads, JSON-LD or RDF/XML (by
Content-Type).  Graph syntaxes are validated as one case graph; dataset syntaxes
(TriG, N-Quads) graph by graph, as ``casegraph validate`` does for files — so
triples outside a named graph are a violation there.  The answer is always 200
with the report (``conforms`` true or false) as JSON, Turtle or text by Accept;
only unreadable input is an error (400 with line and column, 415, 413).
"""

from __future__ import annotations

from flask import Blueprint, request
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from casegraph.rdf.uploads import parse_upload, upload_format
from casegraph.shacl.validation import validate_dataset, validate_graph
from casegraph.web.context import current_settings
from casegraph.web.errors import report_response

bp = Blueprint("validate", __name__)


@bp.post("/validate")
def validate_upload():
    fmt = upload_format(request.content_type)
    dataset = parse_upload(request.get_data(cache=False), fmt)
    base_iri = current_settings().base_iri
    if fmt.holds_quads:
        report = validate_dataset(dataset, base_iri=base_iri)
    else:
        report = validate_graph(dataset.graph(DATASET_DEFAULT_GRAPH_ID), base_iri=base_iri)
    return report_response(report)
