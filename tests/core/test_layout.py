"""The navigation bar is kept per reader and page: each reader still sees their own name, figures
and language on the page they are on, the kept bar reads nothing but the facts it is kept by, and
its forms carry the request's CSRF token, signed at most once a minute."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from flask import Flask, g
from jinja2 import meta

from community.accounts.services import update_settings
from community.core import layout
from community.core.templating import _Recent, recent
from community.extensions import db
from community.notifications.services import notify
from tests.factories import make_user


def _variables(app: Flask, template: str) -> set[str]:
    source = app.jinja_env.loader.get_source(app.jinja_env, template)[0]  # type: ignore[union-attr]
    return meta.find_undeclared_variables(app.jinja_env.parse(source))


def _navbar(page: str) -> str:
    return page[page.index('<nav class="navbar') : page.index("</nav>", page.index("mainNav"))]


def _tokens(page: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', page)) | set(
        re.findall(r'"X-CSRFToken": "([^"]+)"', page)
    )


def test_the_navbar_reads_only_the_facts_it_is_kept_by(app: Flask) -> None:
    facts = {"locale", "next_path", "endpoint", "signed_in", "name", "email", "user_id", "hr"}
    facts |= {"unread", "own_referral", "other_profile", "manager"}
    assert _variables(app, "_navbar.html") <= facts | layout.TEMPLATE_GLOBALS
    with app.test_request_context("/jobs/?q=x"):
        assert set(layout.facts()) <= facts  # (signed out: fewer)


def test_the_main_navigation_reads_only_what_it_is_kept_by(app: Flask, client, auth) -> None:
    """It is kept per language, role, page and mount point, and rendered without the request's
    context: a template edit that reads the reader (current_user …) fails here, not in
    production where another reader would see it."""
    kept_by = {"endpoint", "own_referral", "other_profile", "hr", "manager"}
    assert _variables(app, "_main_nav.html") <= kept_by | layout.TEMPLATE_GLOBALS
    auth.login(make_user())
    assert 'aria-current="page"' in client.get("/leaderboard/").text


def test_the_footer_is_kept_per_language_and_sign_in(app: Flask, client, auth) -> None:
    assert _variables(app, "_footer.html") <= {"signed_in"} | layout.TEMPLATE_GLOBALS
    assert 'data-testid="footer-thanks"' not in client.get("/login").text
    me = make_user()
    auth.login(me)
    assert 'data-testid="footer-thanks"' in client.get("/jobs/").text
    update_settings(me, None, "zh_CN", leaderboard_opt_out=False)
    assert "内推规则" in client.get("/jobs/").text.split("<footer", 1)[1]


def test_each_reader_gets_their_own_bar_on_the_same_page(client, auth) -> None:
    first, second = make_user(name="Ada First"), make_user(name="Bo Second")
    auth.login(first)
    assert "Ada First" in _navbar(client.get("/leaderboard/").text)
    auth.logout()
    auth.login(second)
    bar = _navbar(client.get("/leaderboard/").text)
    assert "Bo Second" in bar and second.email in bar
    assert "Ada First" not in bar and first.email not in bar
    assert f'href="/people/{second.id}/profile"' in bar


def test_a_new_name_a_notification_and_a_language_show_on_the_next_page(client, auth) -> None:
    me = make_user(name="Old Name")
    auth.login(me)
    assert 'data-testid="unread-count"' not in client.get("/jobs/").text
    update_settings(me, "New Name", "en", leaderboard_opt_out=False)
    notify(me.id, "referral_left", {"candidate": "C", "job": "J"})
    db.session.commit()
    bar = _navbar(client.get("/jobs/").text)
    assert "New Name" in bar and "Old Name" not in bar
    assert 'data-testid="unread-count">1<' in bar
    update_settings(me, None, "zh_CN", leaderboard_opt_out=False)
    assert "我的积分" in _navbar(client.get("/jobs/").text)


def test_the_language_switch_returns_to_the_page_it_was_used_on(client, auth) -> None:
    auth.login(make_user())
    for path in ("/jobs/?q=python", "/leaderboard/?period=week"):
        bar = _navbar(client.get(path).text)
        assert f'name="next" value="{path.replace("&", "&amp;")}"' in bar


def test_the_bar_of_a_signed_out_visitor(client) -> None:
    page = client.get("/login").text
    assert 'data-testid="nav-user-menu"' not in page and 'data-testid="language-switcher"' in page
    assert len(_tokens(page)) == 1


def test_every_form_of_the_page_carries_the_same_working_token(client, auth) -> None:
    auth.login(make_user())
    page = client.get("/settings").text
    tokens = _tokens(page)
    assert len(tokens) == 1 and "<csrf-token>" not in page
    response = client.post("/logout", data={"csrf_token": tokens.pop()}, csrf=False)
    assert response.status_code == 302
    assert client.get("/settings").status_code == 302  # logged out: the token was accepted


def test_the_token_is_signed_once_a_minute_per_session(
    app: Flask, client, auth, time_machine
) -> None:
    # (A page with a form of its own signs with the form, as Flask-WTF does: /settings.)
    # (Signed in at the frozen time: a session cookie signed later than "now" is not read.)
    time_machine.move_to(datetime(2026, 11, 30, 9, 0, 5, tzinfo=UTC), tick=False)
    auth.login(make_user())
    first = _tokens(client.get("/leaderboard/").text)
    time_machine.move_to(datetime(2026, 11, 30, 9, 0, 50, tzinfo=UTC), tick=False)
    assert _tokens(client.get("/leaderboard/").text) == first  # signed at 9:00:05, still good
    other = app.test_client()
    with other.session_transaction() as session:
        session["csrf_token"] = "another-session"
    assert _tokens(other.get("/login").text).isdisjoint(first)
    time_machine.move_to(datetime(2026, 11, 30, 9, 1, 10, tzinfo=UTC), tick=False)
    later = _tokens(client.get("/leaderboard/").text)
    assert len(later) == 1 and later != first  # a new minute: signed afresh
    assert client.post("/logout", data={"csrf_token": later.pop()}, csrf=False).status_code == 302


def test_a_token_with_a_short_time_limit_is_signed_for_each_request(app: Flask) -> None:
    app.config["WTF_CSRF_TIME_LIMIT"] = 600
    try:
        with app.test_request_context("/"):
            from flask import session

            session["csrf_token"] = "short-lived"
            token = layout.csrf_token()
            assert g.csrf_token == token
            store = app.extensions.get("community_recent")
            assert not any(key[1] == "short-lived" for key in (store.pieces if store else ()))
    finally:
        app.config["WTF_CSRF_TIME_LIMIT"] = None


def test_recent_pieces_keep_the_most_recently_used(app: Flask) -> None:
    saved = app.extensions.pop("community_recent", None)
    app.extensions["community_recent"] = _Recent(2)
    built: list[str] = []

    def build(name: str):  # type: ignore[no-untyped-def]
        return lambda: built.append(name) or name.upper()

    try:
        with app.app_context():
            assert recent(("a",), build("a")) == "A"
            assert recent(("b",), build("b")) == "B"
            assert recent(("a",), build("a")) == "A"  # kept; now the most recent
            recent(("c",), build("c"))  # b leaves: the least recently used
            assert recent(("a",), build("a")) == "A"
            assert recent(("b",), build("b")) == "B"
        assert built == ["a", "b", "c", "b"]
    finally:
        app.extensions["community_recent"] = saved or _Recent(4000)
