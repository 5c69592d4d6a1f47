"""Templates translate through community.core.i18n's one-call gettext: the same behaviour as
Jinja's newstyle gettext (escaped under autoescape, always %-formatted, `num` for plurals)."""

from __future__ import annotations

from flask import Flask, render_template_string
from flask_babel import gettext, refresh


def _render(app: Flask, source: str, language: str = "en", **context: object) -> str:
    with app.test_request_context(headers={"Accept-Language": language}):
        refresh()  # the tests' app context outlives a request: forget the last one's language
        return render_template_string(source, **context)


def test_strings_are_translated_in_the_readers_language(app: Flask) -> None:
    assert _render(app, "{{ _('Log out') }}", "zh-CN") == "退出登录"
    assert _render(app, "{{ _('Log out') }}", "en") == "Log out"
    assert _render(app, "{{ gettext('Log out') }}", "zh-CN") == "退出登录"


def test_variables_are_escaped_but_the_translation_is_not(app: Flask) -> None:
    html = _render(app, "{{ _('New badge: %(badge)s!', badge=name) }}", name="<b>x</b>")
    assert html == "New badge: &lt;b&gt;x&lt;/b&gt;!"


def test_a_string_is_always_a_format_string(app: Flask) -> None:
    assert _render(app, "{{ _('100%% sure') }}") == "100% sure"
    assert _render(app, "{{ _('plain') }}") == "plain"


def test_plurals_get_num(app: Flask) -> None:
    source = "{{ ngettext('%(num)d unread', '%(num)d unread', n) }}"
    assert _render(app, source, n=3) == "3 unread"
    source = "{% trans count=n %}{{ count }} item{% pluralize %}{{ count }} items{% endtrans %}"
    assert _render(app, source, n=1) == "1 item"
    assert _render(app, source, n=2) == "2 items"


def test_a_language_change_mid_request_is_followed(app: Flask) -> None:
    with app.test_request_context(headers={"Accept-Language": "en"}):
        refresh()
        assert render_template_string("{{ _('Log out') }}") == "Log out"
        from flask import session

        assert gettext("Log out") == "Log out"
        session["locale"] = "zh_CN"
        refresh()
        assert render_template_string("{{ _('Log out') }}") == "退出登录"
        assert gettext("Log out") == "退出登录"  # Python's gettext follows too
