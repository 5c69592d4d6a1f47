"""Moderation's pages, role by role: anyone signed in flags (with a clear message when they may
not), moderators and HR read the queue and the log and decide; everyone else gets 403 and
changes nothing. Plain forms and htmx both work."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community.extensions import db
from community.forum.models import ForumFlag, ForumModerationLog, ForumPost
from community.forum.moderation import services
from tests.forum.moderation.conftest import Club
from tests.security.conftest import db_fingerprint, login

DECISIONS = ["dismiss", "hide", "delete", "restore"]  # the routes


def flag_path(club: Club) -> str:
    return f"/club/moderation/posts/{club.reply.id}/flag"


def test_the_flag_page_shows_the_post_and_the_reasons(client, club: Club) -> None:
    login(client, club.employee)
    page = client.get(flag_path(club))
    assert page.status_code == 200
    assert "Buy cheap watches" in page.text
    for label in ("Spam or advertising", "private data", "Off-topic"):
        assert label in page.text
    assert 'data-testid="flag-form"' in page.text


def test_flagging_through_the_form(client, club: Club) -> None:
    login(client, club.employee)
    response = client.post(flag_path(club), data={"reason_code": "spam", "note": ""})
    assert response.status_code == 303
    page = client.get(response.location)
    assert "The moderators will look at this post." in page.text
    assert 'data-testid="already-flagged"' in page.text
    assert db.session.scalar(select(ForumFlag.reason_code)) == "spam"


def test_flagging_with_htmx_swaps_the_box_and_toasts(client, club: Club) -> None:
    login(client, club.employee)
    response = client.post(
        flag_path(club), data={"reason_code": "abuse"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert 'id="flag-box"' in response.text and "<html" not in response.text
    assert "already-flagged" in response.text
    assert "moderators will look" in response.headers["HX-Trigger"]


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({}, 422, "Choose why you flag this post."),
        ({"reason_code": "bogus"}, 422, "Choose why you flag this post."),
        ({"reason_code": "other", "note": " "}, 422, "Say what is wrong with this post."),
        ({"reason_code": "spam", "note": "x" * 501}, 422, "at most 500 characters"),
    ],
)
def test_bad_flags_get_a_clear_message(client, club: Club, data, status, message) -> None:
    login(client, club.employee)
    before = db_fingerprint()
    response = client.post(flag_path(club), data=data)
    assert response.status_code == status
    assert message in response.text
    assert db_fingerprint() == before


def test_a_second_flag_and_ones_own_post(client, club: Club) -> None:
    login(client, club.employee)
    client.post(flag_path(club), data={"reason_code": "spam"})
    again = client.post(flag_path(club), data={"reason_code": "spam"})
    assert again.status_code == 409
    assert "You have already flagged this post" in again.text
    login(client, club.author)
    assert client.get(flag_path(club)).status_code == 403
    own = client.post(flag_path(club), data={"reason_code": "spam"})
    assert own.status_code == 403 and "You cannot flag your own post." in own.text
    htmx = client.post(
        flag_path(club), data={"reason_code": "spam"}, headers={"HX-Request": "true"}
    )
    assert htmx.status_code == 403 and "flag your own post" in htmx.headers["HX-Trigger"]


def test_a_post_nobody_may_read_is_404_to_flaggers(client, club: Club) -> None:
    login(client, club.employee)
    assert client.get(f"/club/moderation/posts/{club.reply.id + 99}/flag").status_code == 404
    post = db.session.get(ForumPost, club.reply.id)
    post.deleted_at = post.created_at
    db.session.commit()
    assert client.get(flag_path(club)).status_code == 404
    assert client.post(flag_path(club), data={"reason_code": "spam"}).status_code == 404
    login(client, club.moderator)
    assert client.get(flag_path(club)).status_code == 200  # moderators still read it


def test_the_queue_groups_flags_by_post(client, club: Club) -> None:
    services.flag_post(club.others[0], club.reply.id, "spam")
    services.flag_post(club.others[1], club.reply.id, "other", "Links to a watch shop")
    login(client, club.moderator)
    page = client.get("/club/moderation/")
    assert page.status_code == 200
    assert page.text.count('data-testid="flagged-post"') == 1
    assert page.text.count('data-testid="flag"') == 2
    assert "Links to a watch shop" in page.text and "Colleague 0" in page.text
    htmx = client.get("/club/moderation/", headers={"HX-Request": "true"})
    assert htmx.text.lstrip().startswith('<div id="moderation-queue"')


@pytest.mark.parametrize("who", ["moderator", "hr"])
def test_moderators_and_hr_decide_from_the_queue(client, club: Club, who: str) -> None:
    services.flag_post(club.others[0], club.reply.id, "spam")
    login(client, club.user(who))
    response = client.post(f"/club/moderation/posts/{club.reply.id}/hide", data={"reason": "Ads"})
    assert response.status_code == 303 and response.location == "/club/moderation/"
    assert "The post is hidden" in client.get(response.location).text
    hidden = client.get("/club/moderation/?show=hidden")
    assert 'data-testid="hidden-post"' in hidden.text and "Ads" in hidden.text
    restored = client.post(
        f"/club/moderation/posts/{club.reply.id}/restore",
        data={"show": "hidden"},
        headers={"HX-Request": "true"},
    )
    assert restored.status_code == 200 and 'id="moderation-queue"' in restored.text
    assert "visible again" in restored.headers["HX-Trigger"]
    log = client.get("/club/moderation/log")
    assert log.text.count('data-testid="log-row"') == 2
    only_hides = client.get("/club/moderation/log?action=hide_post")
    assert only_hides.text.count('data-testid="log-row"') == 1
    assert client.get("/club/moderation/log?action=nonsense&page=abc").status_code == 200


def test_a_hide_without_a_reason_is_refused_on_the_queue(client, club: Club) -> None:
    services.flag_post(club.others[0], club.reply.id, "spam")
    login(client, club.moderator)
    before = db_fingerprint()
    response = client.post(f"/club/moderation/posts/{club.reply.id}/hide", data={"reason": ""})
    assert response.status_code == 422
    assert "Say why (the author is told)." in response.text
    assert 'data-testid="flagged-post"' in response.text  # the queue, still there
    htmx = client.post(
        f"/club/moderation/posts/{club.reply.id}/hide",
        data={"reason": ""},
        headers={"HX-Request": "true"},
    )
    assert htmx.status_code == 422 and htmx.headers["HX-Reswap"] == "none"
    assert db_fingerprint() == before


def test_a_decision_taken_already_is_a_conflict(client, club: Club) -> None:
    services.flag_post(club.others[0], club.reply.id, "spam")
    login(client, club.moderator)
    client.post(f"/club/moderation/posts/{club.reply.id}/dismiss")
    again = client.post(f"/club/moderation/posts/{club.reply.id}/dismiss")
    assert again.status_code == 409
    assert "someone has decided already" in again.text
    assert client.post("/club/moderation/posts/999999/delete").status_code == 404


@pytest.mark.parametrize("who", ["employee", "member", "author"])
def test_everyone_else_is_refused_the_queue_the_log_and_the_decisions(
    client, club: Club, who: str
) -> None:
    services.flag_post(club.others[0], club.reply.id, "spam")
    login(client, club.user(who))
    assert client.get("/club/moderation/").status_code == 403
    assert client.get("/club/moderation/log").status_code == 403
    before = db_fingerprint()
    for decision in DECISIONS:
        path = f"/club/moderation/posts/{club.reply.id}/{decision}"
        assert client.post(path, data={"reason": "Ads"}).status_code == 403
        htmx = client.post(path, data={"reason": "Ads"}, headers={"HX-Request": "true"})
        assert htmx.status_code == 403 and htmx.headers["HX-Reswap"] == "none"
    assert db_fingerprint() == before
    assert "Moderation queue" not in client.get("/club/members").text


def test_anonymous_visitors_are_sent_to_log_in(client, club: Club) -> None:
    for path in ("/club/moderation/", "/club/moderation/log", flag_path(club)):
        response = client.get(path)
        assert response.status_code == 302 and response.location.startswith("/login")
    assert client.post(flag_path(club), data={"reason_code": "spam"}).status_code == 302
    assert db.session.scalar(select(ForumFlag.id)) is None


def test_moderators_find_the_queue_from_the_members_page(client, club: Club) -> None:
    login(client, club.moderator)
    assert 'data-testid="moderation-links"' in client.get("/club/members").text


def test_the_log_lists_the_forums_own_actions_too(client, club: Club) -> None:
    """The forum writes pin/lock/… rows itself: the page lists whatever the table holds."""
    db.session.add(
        ForumModerationLog(actor_id=club.moderator.id, action="pin", topic_id=club.topic.id)
    )
    db.session.add(
        ForumModerationLog(actor_id=club.moderator.id, action="split", topic_id=club.topic.id)
    )
    db.session.commit()
    login(client, club.hr)
    page = client.get("/club/moderation/log")
    assert "Pinned a topic" in page.text and "split" in page.text
    assert client.get("/club/moderation/log?action=split").text.count('data-testid="log-row"') == 1


def test_the_log_is_paginated(client, club: Club) -> None:
    for n in range(25):
        db.session.add(ForumModerationLog(actor_id=club.hr.id, action="lock", reason=f"r{n}"))
    db.session.commit()
    login(client, club.moderator)
    first = client.get("/club/moderation/log")
    assert first.text.count('data-testid="log-row"') == 20
    assert client.get("/club/moderation/log?page=2").text.count('data-testid="log-row"') == 5


def test_the_thread_offers_a_flag_link_to_others_and_hides_what_the_flags_hid(
    client, club: Club
) -> None:
    thread = f"/forum/t/{club.topic.id}"
    login(client, club.employee)
    page = client.get(thread).text
    assert f'href="/club/moderation/posts/{club.reply.id}/flag?next=' in page
    login(client, club.author)
    assert f"/club/moderation/posts/{club.reply.id}/flag" not in client.get(thread).text
    for person in club.others[:3]:
        services.flag_post(person, club.reply.id, "spam")
    login(client, club.employee)
    page = client.get(thread).text
    assert "Buy cheap watches" not in page
    assert 'data-testid="removed-placeholder"' in page
    login(client, club.moderator)
    client.post(f"/club/moderation/posts/{club.reply.id}/restore")
    login(client, club.employee)
    assert "Buy cheap watches" in client.get(thread).text


def test_a_flag_sent_from_the_thread_goes_back_to_the_post(client, club: Club) -> None:
    login(client, club.employee)
    back = f"/forum/t/{club.topic.id}?post=2#post-2"
    response = client.post(
        f"/club/moderation/posts/{club.reply.id}/flag", data={"reason_code": "spam", "next": back}
    )
    assert response.status_code == 303 and response.location == back
    evil = client.post(
        f"/club/moderation/posts/{club.reply.id}/flag",
        data={"reason_code": "spam", "next": "https://evil.example/"},
    )
    assert evil.status_code == 409  # (flagged already) and never sent off-site
    assert "evil.example" not in (evil.location or "")


def test_a_hidden_posts_text_stays_with_its_author_and_moderators(client, club: Club) -> None:
    for person in club.others[:3]:
        services.flag_post(person, club.reply.id, "spam")
    login(client, club.employee)
    page = client.get(flag_path(club))
    assert page.status_code == 200 and "Buy cheap watches" not in page.text
    assert 'data-testid="already-hidden"' in page.text
    refused = client.post(flag_path(club), data={"reason_code": "spam"})
    assert refused.status_code == 409 and "already hidden" in refused.text
    assert "Buy cheap watches" not in refused.text
    for who in ("author", "moderator"):
        login(client, club.user(who))
        assert "Buy cheap watches" in client.get(flag_path(club)).text
