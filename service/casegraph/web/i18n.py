"""UI strings in simplified Chinese, traditional Chinese and English.

The UI language comes from ``?lang=`` when given (and is then carried in links),
else from ``Accept-Language``.  It only changes the interface: data labels are
always shown in all three languages side by side, so a reader never sees one
language silently picked for them.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from urllib.parse import urlencode

from flask import Flask, Response, request

from casegraph.rdf.terms import LABEL_LANGUAGES

UI_LANGUAGES = LABEL_LANGUAGES
#: Remembers a choice made with ``?lang=`` so later pages keep it.
LANGUAGE_COOKIE = "casegraph_lang"
LANGUAGE_NAMES = {"zh-Hans": "简体中文", "zh-Hant": "繁體中文", "en": "English"}


def _load_strings() -> dict[str, tuple[str, str, str]]:
    """The UI strings from ``ui-strings.toml``: a data file, so a translator edits text, not code.

    A key without all three languages would show an empty string or fail at
    render time on one page only; it fails here, at import, instead.
    """
    table = tomllib.loads(Path(__file__).with_name("ui-strings.toml").read_text(encoding="utf-8"))
    incomplete = [key for key, texts in table.items() if len(texts) != len(UI_LANGUAGES)]
    if incomplete:
        raise ValueError(f"ui-strings.toml: keys without {len(UI_LANGUAGES)} texts: {incomplete}")
    return {key: tuple(texts) for key, texts in table.items()}


_STRINGS = _load_strings()

_INDEX = {lang: i for i, lang in enumerate(UI_LANGUAGES)}


def ui_language() -> str:
    """The UI language of the current request."""
    for asked in (request.args.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
        if asked in UI_LANGUAGES:
            return asked
    best = request.accept_languages.best_match(
        ["zh-Hans", "zh-CN", "zh-SG", "zh-Hant", "zh-TW", "zh-HK", "zh", "en"]
    )
    if best in ("zh-Hant", "zh-TW", "zh-HK"):
        return "zh-Hant"
    if best and best.startswith("zh"):
        return "zh-Hans"
    return "en"


def translate(key: str, lang: str | None = None) -> str:
    """The UI string ``key`` in ``lang`` (the request's UI language by default)."""
    return _STRINGS[key][_INDEX[lang or ui_language()]]


def language_url(lang: str) -> str:
    """The current page in another UI language."""
    args = request.args.to_dict()
    args["lang"] = lang
    return f"{request.path}?{urlencode(args)}"


def install(app: Flask) -> None:
    """Make ``_()``, ``ui_lang`` and the language switch available to every template."""

    @app.after_request
    def _remember_language(response: Response) -> Response:
        asked = request.args.get("lang")
        if asked in UI_LANGUAGES and request.cookies.get(LANGUAGE_COOKIE) != asked:
            response.set_cookie(LANGUAGE_COOKIE, asked, max_age=365 * 86400, samesite="Lax")
        if "lang" not in request.args:
            response.vary.add("Accept-Language")
        return response

    @app.context_processor
    def _ui_strings() -> dict:
        lang = ui_language()
        return {
            "_": lambda key: translate(key, lang),
            "ui_lang": lang,
            "ui_languages": UI_LANGUAGES,
            "language_names": LANGUAGE_NAMES,
            "language_url": language_url,
        }
