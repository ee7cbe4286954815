"""The Flask application factory: configuration, the store, and every blueprint."""

from __future__ import annotations

from flask import Flask, current_app

from casegraph.config import Settings
from casegraph.store.base import Store
from casegraph.web.wsgi import PercentEncodeRawQueryString


def current_store() -> Store:
    """The store of the app handling the current request."""
    return current_app.extensions["casegraph.store"]


def current_settings() -> Settings:
    return current_app.config["CASEGRAPH"]


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
    app.wsgi_app = PercentEncodeRawQueryString(app.wsgi_app)
    app.config["CASEGRAPH"] = settings
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    if test_config:
        app.config.update(test_config)
    if store is None:
        from casegraph.bootstrap import load_bundled
        from casegraph.store import open_store

        store = open_store(settings)
        if not store.named_graphs():
            load_bundled(store, settings)
    app.extensions["casegraph.store"] = store
    from casegraph.web import errors, graph_store, ops, sparql, validate, writes

    errors.register_error_handlers(app)
    writes.register_violation_handler(app)
    ops.install_request_metrics(app)
    ops.install_cors(app, settings.cors_origins)
    for blueprint in (sparql.bp, graph_store.bp, validate.bp, ops.bp):
        app.register_blueprint(blueprint)
    from casegraph.web import export, i18n, pages, questions

    i18n.install(app)
    for blueprint in (pages.bp, questions.bp, export.bp):
        app.register_blueprint(blueprint)
    from casegraph.web import home, search

    home.install(app)
    search.install(app)
    return app
