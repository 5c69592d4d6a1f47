"""An @mention on the page is a link to the person's profile: only a real, active account, never
inside code or a link the author wrote, the same tokens that notify; the XSS corpus stays inert
around mentions (and a display name that is an attack is never what the link shows)."""

from __future__ import annotations

import re

import pytest

from community.accounts.models import Role
from community.accounts.services import deactivate_user
from community.forum import mentions, posts
from tests.factories import make_user
from tests.forum.factories import make_topic, reply
from tests.security.test_user_content import MARKDOWN_ATTACKS, assert_safe_html

BODY = re.compile(r'<div class="card-body forum-body text-break">(.*?)</div>', re.S)
LINK = re.compile(r'<a class="mention" href="([^"]+)" rel="nofollow ugc noopener">([^<]*)</a>')


def _links(page: str) -> list[tuple[str, str]]:
    return [link for fragment in BODY.findall(page) for link in LINK.findall(fragment)]


def test_a_mention_links_to_the_profile_by_name_address_and_inside_chinese(client, auth) -> None:
    wang = make_user(display_name="王芳", email="wang.fang@example.com")
    li = make_user(name="Li Lei", email="lilei@example.com")
    topic = make_topic()
    reply(topic, body="谢谢@王芳的帮助，也问问 @lilei 和 @Wang.Fang。")
    auth.login(make_user())
    links = _links(client.get(f"/forum/t/{topic.id}").get_data(as_text=True))
    assert links == [
        (f"/people/{wang.id}/profile", "@王芳"),  # "的帮助" stays text after the link
        (f"/people/{li.id}/profile", "@lilei"),
        (f"/people/{wang.id}/profile", "@Wang.Fang"),  # as written, the full stop outside
    ]


def test_code_links_quotes_and_addresses_are_not_linked(client, auth) -> None:
    make_user(name="ann", email="ann@example.com")
    topic = make_topic()
    reply(topic, body="`@ann` [ask @ann](https://example.com) mail ann@corp.com\n\n    @ann\n")
    auth.login(make_user())
    page = client.get(f"/forum/t/{topic.id}").get_data(as_text=True)
    assert _links(page) == []
    assert '<a href="https://example.com" rel="nofollow ugc noopener">ask @ann</a>' in page


def test_someone_who_has_left_is_plain_text_again(client, auth) -> None:
    hr = make_user(role=Role.HR)
    leaver = make_user(name="leaver", email="leaver@example.com")
    topic = make_topic()
    reply(topic, body="问问 @leaver")
    auth.login(make_user())
    assert len(_links(client.get(f"/forum/t/{topic.id}").get_data(as_text=True))) == 1
    deactivate_user(leaver, hr)
    page = client.get(f"/forum/t/{topic.id}").get_data(as_text=True)
    assert _links(page) == [] and "问问 @leaver" in page


def test_the_edit_history_links_mentions_too(client, auth) -> None:
    ann = make_user(name="ann", email="ann@example.com")
    author = make_user()
    topic = make_topic()
    answer = reply(topic, author, "hi @ann")
    posts.edit(author, answer.id, "hello @ann")
    auth.login(author)
    page = client.get(f"/forum/p/{answer.id}/history").get_data(as_text=True)
    assert _links(page) == [(f"/people/{ann.id}/profile", "@ann")] * 2


@pytest.mark.parametrize("attack", MARKDOWN_ATTACKS)
def test_the_xss_corpus_around_a_mention_stays_inert(client, auth, attack: str) -> None:
    # A display name that is an attack: the link shows what the author wrote, never the name.
    target = make_user(name="target", display_name=attack[:100], email="target@example.com")
    topic = make_topic(body=f"@target {attack} @target")
    reply(topic, body=f"{attack}@target{attack}")
    auth.login(make_user())
    page = client.get(f"/forum/t/{topic.id}").get_data(as_text=True)
    for fragment in BODY.findall(page):
        assert_safe_html(fragment)
        assert "<script" not in fragment.lower()
    links = _links(page)
    assert links and all(href == f"/people/{target.id}/profile" for href, _ in links)
    assert {text for _, text in links} == {"@target"}


def test_the_memo_is_read_again_after_a_write_in_the_request(app) -> None:
    hr = make_user(role=Role.HR)
    leaver = make_user(name="leaver", email="leaver@example.com")
    with app.test_request_context():
        assert mentions.link("leaver") == (f"/people/{leaver.id}/profile", 6)
        assert mentions.link("LEAVER") == (f"/people/{leaver.id}/profile", 6)  # one look-up
        deactivate_user(leaver, hr)
        assert mentions.link("leaver") is None  # the write dropped the memo
        assert mentions.link("nobody") is None
