"""The XSS corpus of tests/security/test_user_content.py through every text field of the referrer
club's forum that moderation shows: category names, topic titles, post bodies (Markdown), flag
notes, moderators' reasons, the author's name; and the pages that show them (the flag page, both
tabs of the review queue, the moderation log, the author's notifications). Nothing may execute:
no script but the app's own, no event handler attribute, no javascript:/data: link, no frame,
SVG or style element, and the Markdown bodies keep only the sanitizer's tags.

To add a field (sessions, mentoring…): write the payload into it in `_club_with` and add the
page that shows it to `_pages`."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from community.accounts.models import Role, User
from community.extensions import db
from community.forum.moderation import services
from tests.club.factories import make_member
from tests.factories import make_user
from tests.forum.moderation.factories import make_category, make_reply, make_topic, opening_post
from tests.security.conftest import Company, login
from tests.security.test_user_content import (
    IMG_NAME,
    MARKDOWN_ATTACKS,
    SCRIPT_NAME,
    assert_safe_html,
)

CORPUS = [
    *MARKDOWN_ATTACKS,
    SCRIPT_NAME,
    IMG_NAME,
    '"><script>alert(1)</script>',
    "' onmouseover='alert(1)' x='",
    "</textarea><script>alert(1)</script>",
]
SCHEMES = re.compile(r"^\s*(javascript|vbscript|data):", re.I)
NEVER = {"iframe", "svg", "style", "object", "embed", "frame", "base", "meta", "link"}


class PageInspector(HTMLParser):
    """Every element of a whole page that could run code, or load what it should not."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "head":
            self.in_head = True
        if tag == "script" and not (values.get("src") or "").startswith("/static/"):
            self.problems.append(f"<script {values}>")
        if tag in NEVER and not (self.in_head and tag in ("meta", "link")):
            self.problems.append(f"<{tag} {values}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            link = name in ("href", "src", "action", "formaction", "xlink:href") and value
            if link and SCHEMES.match(re.sub(r"[\t\n\r]", "", value or "")):
                self.problems.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False


def assert_nothing_executes(page: str, where: str) -> None:
    inspector = PageInspector()
    inspector.feed(page)
    assert not inspector.problems, f"{where}: {inspector.problems}"
    for body in re.findall(r'data-testid="post-body">(.*?)</div>', page, re.S):
        assert_safe_html(body)


def _club_with(company: Company, payload: str) -> dict[str, object]:
    """A thread whose every text field holds `payload`, flagged, hidden and deleted from."""
    moderator = make_member(make_user(department=company.department), moderator=True, hr=company.hr)
    author = make_user(Role.EMPLOYEE, company.department, name="Author", display_name=payload[:120])
    category = make_category(payload[:80], name_en=payload[:80], description=payload[:500])
    topic = make_topic(company.referrer, payload[:200], payload, category=category)
    flagged = make_reply(topic, author, payload)
    removed = make_reply(topic, author, payload)
    return {
        "moderator": moderator,
        "author": author,
        "topic": topic,
        "flagged": flagged,
        "removed": removed,
    }


def _moderate(company: Company, club: dict, payload: str) -> None:
    flaggers = [company.employee, company.manager, company.hiring_manager]
    for n, person in enumerate(flaggers):  # three flags hide the reply
        services.flag_post(person, club["flagged"].id, "other", (payload + f" {n}")[:500])
    services.flag_post(company.employee, club["removed"].id, "other", payload[:500])
    services.hide_post(club["moderator"], opening_post(club["topic"]).id, payload[:300])
    services.delete_post(club["moderator"], club["removed"].id, payload[:300])


@pytest.mark.parametrize("payload", CORPUS)
def test_nothing_in_the_clubs_text_fields_executes(client, company, payload: str) -> None:
    club = _club_with(company, payload)
    login(client, company.employee)
    flag_page = client.get(f"/club/moderation/posts/{club['flagged'].id}/flag")
    assert flag_page.status_code == 200
    assert_nothing_executes(flag_page.text, "the flag page")
    _moderate(company, club, payload)
    db.session.expire_all()
    pages = {
        club["moderator"]: [
            "/club/moderation/",
            "/club/moderation/?show=hidden",
            "/club/moderation/log",
            "/club/moderation/log?action=hide_post",
        ],
        company.referrer: ["/notifications/"],  # "a moderator hid your post in <title>", reason
        club["author"]: ["/notifications/"],  # hidden by flags; deleted with a reason
    }
    for person, paths in pages.items():
        assert isinstance(person, User)
        login(client, person)
        for path in paths:
            for headers in ({}, {"HX-Request": "true"}):
                page = client.get(path, headers=headers)
                assert page.status_code == 200, path
                assert_nothing_executes(page.text, f"{path} {headers}")
    queue = client.get("/club/moderation/")  # (as the author: refused, nothing shown)
    assert queue.status_code == 403


def test_the_corpus_reaches_the_pages_as_text(client, company) -> None:
    """The check above is not vacuous: the payloads are on the pages, escaped."""
    club = _club_with(company, SCRIPT_NAME)
    _moderate(company, club, SCRIPT_NAME)
    login(client, club["moderator"])
    for path in ("/club/moderation/", "/club/moderation/?show=hidden", "/club/moderation/log"):
        page = client.get(path).text
        assert "&lt;script&gt;alert(" in page, path
        assert SCRIPT_NAME not in page, path
