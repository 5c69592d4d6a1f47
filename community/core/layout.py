"""The navigation bar every page draws around its content, kept per reader and page.

The bar (templates/_navbar.html) shows a handful of facts: the language, who reads (name, email,
role, unread notifications), which page they are on and where the language switch returns to.
It is rendered once per set of those facts and kept among the worker's most recently used pieces
(`templating.recent`), so a page pays a dictionary look-up for it instead of some fifty template
expressions. The template may use only the facts passed to it (tests/core/test_layout.py reads
its variables), which is what makes the facts a complete key: change any of them — a new name,
a notification, another page — and the bar is rendered afresh. The CSRF token changes with every
request, so the kept bar holds a slot for it that each page fills in.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, current_app, g, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from community.core import permissions, viewer
from community.core.i18n import current_locale
from community.core.roles import Role
from community.core.templating import kept, link, recent, render_piece

# Not something escaped text can contain ("<" becomes "&lt;"), so no name or address can forge it.
CSRF_SLOT = Markup("<csrf-token>")

# What _navbar.html may use besides the facts: the app's globals that depend on nothing personal.
TEMPLATE_GLOBALS = frozenset({"_", "ngettext", "url_for", "main_nav", "LANGUAGE_NAMES", "csrf"})


def facts(referral: Any = None) -> dict[str, Any]:
    """Everything the bar shows on this request; `referral` is the page's referral, if any
    (its referrer finds "My referrals" marked, HR the HR menu, a manager "My hiring")."""
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    endpoint = request.endpoint or ""
    shown: dict[str, Any] = {
        "locale": current_locale(),
        "next_path": request.full_path if request.method == "GET" else link("home.index"),
        "endpoint": endpoint,
        "signed_in": bool(user.is_authenticated),
    }
    if shown["signed_in"]:
        shown.update(
            name=user.shown_name,
            email=user.email,
            user_id=user.id,
            hr=permissions.is_hr(user),
            manager=user.role == Role.MANAGER,
            unread=viewer.counts().get("unread_notifications", 0),
            own_referral=endpoint == "referrals.detail"
            and getattr(referral, "referrer_id", None) == user.id,
            other_profile=endpoint == "people.profile"
            and (request.view_args or {}).get("user_id") != user.id,
        )
    return shown


def navbar(referral: Any = None) -> Markup:
    """The navigation bar for this request (see the module's notes)."""
    shown = facts(referral)
    key = ("navbar", request.script_root, *shown.items())
    html = recent(key, lambda: render_piece("_navbar.html", csrf=CSRF_SLOT, **shown))
    return Markup(html.replace(CSRF_SLOT, csrf_token()))


def footer() -> Markup:
    """The page footer (templates/_footer.html), kept per language and whether the reader is
    signed in: it holds links and labels only."""
    signed_in = bool(current_user.is_authenticated)
    key = ("footer", current_locale(), signed_in, request.script_root)
    return kept(key, lambda: Markup(render_piece("_footer.html", signed_in=signed_in)))


def csrf_token() -> str:
    """The request's CSRF token, as Flask-WTF's `generate_csrf` makes it (the session's secret
    token, signed with a timestamp), but signed at most once a minute per session: signing costs
    more than the rest of the navigation bar, and with tokens that do not expire
    (WTF_CSRF_TIME_LIMIT None, or an hour or more) a token signed a minute ago is as good."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    token = g.get(field)
    if token:
        return str(token)
    secret = session.get(field)
    limit = current_app.config.get("WTF_CSRF_TIME_LIMIT", 3600)
    if not isinstance(secret, str) or (limit is not None and limit < 3600):
        return str(generate_csrf())
    token = recent(("csrf-token", secret, int(time.time()) // 60), generate_csrf)
    setattr(g, field, token)  # forms rendered later in the request use the same one
    return str(token)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["navbar"] = navbar
    app.jinja_env.globals["footer"] = footer
    # Templates' csrf_token() is this one: Flask-WTF offers its generate_csrf through a context
    # processor, and a later processor's variables win.
    app.context_processor(lambda: {"csrf_token": csrf_token})
