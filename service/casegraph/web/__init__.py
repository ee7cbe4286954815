"""The Flask application factory: configuration, the store, and every blueprint."""

from __future__ import annotations

from flask import Flask

from casegraph.config import Settings


def create_app(settings: Settings | None = None, test_config: dict | None = None) -> Flask:
    """Build the application.

    ``settings`` defaults to ``Settings.from_env()``; ``test_config`` is merged
    into ``app.config`` last, so tests can change Flask options.
    """
    settings = settings or Settings.from_env()
    app = Flask(__name__, template_folder="../templates", static_folder="../static")
    app.config["CASEGRAPH"] = settings
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    if test_config:
        app.config.update(test_config)
    return app
