"""The security suite's XSS corpus through every text field of the forum: a post's Markdown
(topic, reply, edit history), a title, a category's names and descriptions, a mention's name."""

from __future__ import annotations

import re

import pytest

from community.accounts.models import Role
from community.forum import posts
from tests.factories import make_user
from tests.forum.factories import make_category, make_topic, reply
from tests.security.test_user_content import MARKDOWN_ATTACKS, assert_safe_html

BODY = re.compile(r'<div class="card-body forum-body text-break">(.*?)</div>', re.S)


@pytest.mark.parametrize("attack", MARKDOWN_ATTACKS)
def test_every_forum_text_field_is_sanitized(client, auth, attack: str) -> None:
    hr = make_user(role=Role.HR)
    category = make_category(hr=hr, name=attack[:80], name_en=attack[:80],
                             description=attack, description_en=attack)  # fmt: skip
    author = make_user(display_name=attack[:100])
    title = ("T " + attack)[:200]
    topic = make_topic(author, category, title=title, body=attack)
    answer = reply(topic, author, "before " + attack)
    posts.edit(author, answer.id, "after " + attack)
    auth.login(author)
    for path in (
        "/forum/",
        f"/forum/c/{category.slug}",
        f"/forum/t/{topic.id}",
        f"/forum/t/{topic.id}?quote={answer.id}",
        f"/forum/p/{answer.id}/history",
    ):
        page = client.get(path).get_data(as_text=True)
        for fragment in BODY.findall(page):
            assert_safe_html(fragment)
            assert "<script" not in fragment.lower()
        if "<" in attack and not attack.startswith(("<https", "<javascript")):
            assert attack not in page, path  # titles, names and descriptions are escaped
