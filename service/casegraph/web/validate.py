"""``POST /validate``: check data against the SHACL shapes without storing it.

The body is Turtle, TriG, N-Triples, N-Quads, JSON-LD or RDF/XML (by
Content-Type).  Graph syntaxes are validated as one case graph; dataset syntaxes
(TriG, N-Quads) graph by graph, as ``casegraph validate`` does for files — so
triples outside a named graph are a violation there.  The answer is always 200
with the report (``conforms`` true or false) as JSON, Turtle or text by Accept;
only unreadable input is an error (400 with line and column, 415, 413).  Parsing and
validation run where the store runs client input (a confined worker, for the embedded
store), within the request's time limit.
"""

from __future__ import annotations

from flask import Blueprint, request

from casegraph.rdf.uploads import upload_format
from casegraph.web.context import current_settings, current_store, time_left
from casegraph.web.errors import report_response

bp = Blueprint("validate", __name__)


@bp.post("/validate")
def validate_upload():
    fmt = upload_format(request.content_type)
    report = current_store().validate_upload(
        request.get_data(cache=False), fmt, base_iri=current_settings().base_iri,
        timeout=time_left(),
    )
    return report_response(report)
