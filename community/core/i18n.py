"""Language and time-zone selection for Flask-Babel."""

from __future__ import annotations

from typing import Any

from babel import Locale
from babel.lists import format_list
from babel.support import NullTranslations
from flask import Flask, current_app, g, has_app_context, has_request_context, request, session
from flask_babel import get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

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


def select_locale() -> Locale:
    """Flask-Babel's locale selector: the reader's language (`selected_locale`) as a Babel Locale,
    one shared per language (parsing one anew costs more than choosing it)."""
    name = selected_locale()
    found = _LOCALES.get(name)
    if found is None:
        found = _LOCALES[name] = Locale.parse(name)
    return found


_LOCALES: dict[str, Locale] = {}


def selected_locale() -> str:
    """The person's saved language, else the one chosen this session, else the browser's, else
    the company's; outside a request (CLI commands, background work) the company's."""
    if not has_request_context():
        return str(current_app.config["DEFAULT_LOCALE"])
    if current_user and current_user.is_authenticated and current_user.locale:
        return str(current_user.locale)
    chosen = normalise_locale(session.get("locale"))
    if chosen:
        return chosen
    best = request.accept_languages.best_match(["zh_CN", "zh", "en"]) if request else None
    return normalise_locale(best) or str(current_app.config["DEFAULT_LOCALE"])


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


_CATALOG = "community_catalog"


def translations() -> NullTranslations:
    """The request's catalog, found once per request and language. Flask-Babel resolves the
    domain, the locale and its cache key on every string, and a page translates some forty; a
    language changed mid-request (`flask_babel.refresh`) changes the key, so the catalog follows.
    Public Flask-Babel API only: `get_locale` and `get_translations`."""
    if not has_app_context():
        return get_translations()
    locale = str(get_locale() or "")
    found = g.get(_CATALOG)
    if found is None or found[0] != locale:
        found = (locale, get_translations())
        setattr(g, _CATALOG, found)
    return found[1]  # type: ignore[no-any-return]


def _finish(eval_ctx: EvalContext, text: str, variables: dict[str, Any]) -> str:
    """Jinja's newstyle rule: always a format string ("%%" is "%"), escaped under autoescape."""
    if eval_ctx.autoescape:
        text = Markup(text)
    return text % variables if variables or "%" in text else text


@pass_eval_context
def _template_gettext(eval_ctx: EvalContext, string: str, /, **variables: Any) -> str:
    return _finish(eval_ctx, translations().ugettext(string), variables)


@pass_eval_context
def _template_ngettext(
    eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables: Any
) -> str:
    variables.setdefault("num", num)
    return _finish(eval_ctx, translations().ungettext(singular, plural, num), variables)


@pass_eval_context
def _template_pgettext(
    eval_ctx: EvalContext, context: str, string: str, /, **variables: Any
) -> str:
    variables.setdefault("context", context)
    return _finish(eval_ctx, translations().upgettext(context, string), variables)


@pass_eval_context
def _template_npgettext(
    eval_ctx: EvalContext, context: str, singular: str, plural: str, num: int, /, **variables: Any
) -> str:
    variables.setdefault("context", context)
    variables.setdefault("num", num)
    text = translations().unpgettext(context, singular, plural, num)
    return _finish(eval_ctx, text, variables)


def select_timezone() -> str:
    return current_app.config["COMPANY_TIMEZONE"]


def init_app(app: Flask) -> None:
    app.jinja_env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES
    app.jinja_env.filters["names"] = join_names
    app.jinja_env.add_extension("jinja2.ext.i18n")
    # Templates translate through these rather than Jinja's newstyle wrappers that Flask-Babel
    # installs: the same behaviour (escaped under autoescape, always %-formatted, `num` and
    # `context` as variables) in one call instead of three nested context calls.
    assert app.jinja_env.newstyle_gettext  # type: ignore[attr-defined]
    app.jinja_env.globals.update(
        _=_template_gettext,
        gettext=_template_gettext,
        ngettext=_template_ngettext,
        pgettext=_template_pgettext,
        npgettext=_template_npgettext,
    )
