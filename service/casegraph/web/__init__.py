"""The Flask application factory: configuration, the store, and every blueprint."""

from __future__ import annotations

from flask import Flask, request
from werkzeug.exceptions import RequestEntityTooLarge

from casegraph.config import Settings
from casegraph.store import open_store
from casegraph.store.base import Store
from casegraph.store.bootstrap import load_bundled
from casegraph.web import (
    compare,
    curate,
    errors,
    export,
    graph_store,
    home,
    i18n,
    ops,
    pages,
    questions,
    reconcile,
    search,
    sparql,
    validate,
)
from casegraph.web.context import STORE_KEY, start_request_clock
from casegraph.web.wsgi import BODY_TOO_LARGE, BoundedRequestBody, PercentEncodeRawQueryString


def create_app(
    settings: Settings | None = None, test_config: dict | None = None, store: Store | None = None
) -> Flask:
    """Build the application.

    ``settings`` defaults to ``Settings.from_env()``; ``test_config`` is merged
    into ``app.config`` last, so tests can change Flask options.  Without a
    ``store`` the app opens the one ``settings`` name and, when it is empty, loads
    the bundled ontology and cases (first start); a given store is used as is.
    """
    settings = settings or Settings.from_env()
    app = Flask(__name__, template_folder="../templates", static_folder="../static")
    app.config["CASEGRAPH"] = settings
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    if test_config:
        app.config.update(test_config)
    app.wsgi_app = BoundedRequestBody(PercentEncodeRawQueryString(app.wsgi_app),
                                      app.config["MAX_CONTENT_LENGTH"])
    if store is None:
        store = open_store(settings)
        if not store.named_graphs():
            load_bundled(store, settings)
    app.extensions[STORE_KEY] = store
    app.before_request(_before_request)
    errors.register_error_handlers(app)
    ops.install_request_metrics(app)
    ops.install_cors(app, settings.cors_origins)
    i18n.install(app)
    for blueprint in (sparql.bp, graph_store.bp, validate.bp, ops.bp, pages.bp, questions.bp,
                      export.bp, compare.bp):
        app.register_blueprint(blueprint)
    home.install(app)
    search.install(app)
    reconcile.install(app)
    curate.install(app)
    return app


def _before_request() -> None:
    start_request_clock()
    if request.environ.get(BODY_TOO_LARGE):
        raise RequestEntityTooLarge()
