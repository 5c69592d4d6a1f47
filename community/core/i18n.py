"""Language and time-zone selection for Flask-Babel."""

from __future__ import annotations

from babel.lists import format_list
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

from community.config import SUPPORTED_LOCALES

LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}


def normalise_locale(value: str | None) -> str | None:
    """Map what a browser or a form sends ("zh", "zh-CN", "en-US") to a supported locale."""
    if not value:
        return None
    value = value.replace("-", "_")
    if value in SUPPORTED_LOCALES:
        return value
    base = value.split("_")[0].lower()
    return {"zh": "zh_CN", "en": "en"}.get(base)


def select_locale() -> str:
    if not has_request_context():  # CLI commands and background work: the company's language
        return current_app.config["DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale:
        return current_user.locale
    chosen = normalise_locale(session.get("locale"))
    if chosen:
        return chosen
    best = request.accept_languages.best_match(["zh_CN", "zh", "en"]) if request else None
    return normalise_locale(best) or current_app.config["DEFAULT_LOCALE"]


def current_locale() -> str:
    """The request's language as one of SUPPORTED_LOCALES (Babel spells zh_CN "zh_Hans_CN")."""
    return normalise_locale(str(get_locale() or "")) or current_app.config["DEFAULT_LOCALE"]


def join_names(items: list[str]) -> str:
    """Join items the way the reader's language does ("A, B and C" / "A、B和C")."""
    if not items:
        return ""
    try:
        return format_list(list(items), locale=str(get_locale() or "en"))
    except (ValueError, LookupError):
        return ", ".join(items)


def select_timezone() -> str:
    return current_app.config["COMPANY_TIMEZONE"]


def init_app(app: Flask) -> None:
    app.jinja_env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES
    app.jinja_env.filters["names"] = join_names
    app.jinja_env.add_extension("jinja2.ext.i18n")
