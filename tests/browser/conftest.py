"""A live casegraph on a loopback port and headless Debian Chromium driven by Playwright.

The server is the real app (``create_app``) over a fresh embedded store loaded with the
bundled data, served by werkzeug in a background thread.  Tests are skipped, with the
reason, only when /usr/bin/chromium is absent; Playwright never downloads a browser.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from casegraph.config import Settings
from casegraph.web import create_app
from tests.live_server import serving

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    app = create_app(Settings(store="oxigraph", data_dir=tmp_path_factory.mktemp("store")))
    with serving(app) as url:
        yield app, url
    app.extensions["casegraph.store"].close()


@pytest.fixture(scope="session")
def base_url(live_app) -> str:
    return live_app[1]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser, request):
    """A fresh page; the test fails on a script error, a CSP violation or a failed load."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="zh-CN"
    )
    page = context.new_page()
    errors: list[str] = []

    def on_console(message) -> None:
        # Failed loads are checked by URL below, where the favicon can be told apart.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    def on_response(response) -> None:
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            errors.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_default_timeout(15_000)
    yield page
    context.close()
    assert not errors, f"browser console errors in {request.node.name}: {errors}"


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
