"""A moderator's decisions on a flagged post: dismiss, hide with a reason, delete, restore. Each
closes the open flags, writes the log, tells the author and has search re-index the post; only
moderators and HR decide, never about their own post, and a decision already taken is a 409."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from community import events
from community.extensions import db
from community.forum.models import ForumFlag, ForumModerationLog, ForumPost, ForumTopic
from community.forum.moderation import services
from community.forum.moderation.services import ModerationError
from community.notifications.models import Notification
from community.notifications.queries import message_for
from tests.forum.moderation.conftest import Club
from tests.forum.moderation.factories import opening_post
from tests.security.conftest import db_fingerprint


@pytest.fixture
def heard() -> Iterator[list[events.ForumPostsChanged]]:
    found: list[Any] = []
    listen = found.append
    events.subscribe(events.ForumPostsChanged, listen)
    try:
        yield found
    finally:
        events.unsubscribe(events.ForumPostsChanged, listen)


def flagged(club: Club, people: int = 2) -> ForumPost:
    for person in club.others[:people]:
        services.flag_post(person, club.reply.id, "spam")
    return club.reply


def reply(club: Club) -> ForumPost:
    db.session.expire_all()
    return db.session.get(ForumPost, club.reply.id)


def outcomes(club: Club) -> set[tuple[str | None, int | None]]:
    rows = db.session.scalars(select(ForumFlag).where(ForumFlag.post_id == club.reply.id))
    return {(flag.outcome, flag.resolved_by_id) for flag in rows}


def log(club: Club) -> list[tuple[str, int | None, str | None]]:
    rows = db.session.scalars(select(ForumModerationLog).order_by(ForumModerationLog.id))
    return [(row.action, row.actor_id, row.reason) for row in rows]


def told(user_id: int) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)
        )
    )


def test_dismissing_keeps_the_post_and_closes_the_flags(club: Club, heard) -> None:
    flagged(club)
    services.dismiss_flags(club.moderator, club.reply.id)
    assert reply(club).hidden_at is None
    assert outcomes(club) == {("dismissed", club.moderator.id)}
    assert log(club) == [("dismiss_flags", club.moderator.id, None)]
    assert told(club.author.id) == []  # nothing happened to their post
    assert heard == []


def test_dismissing_shows_again_a_post_the_flags_hid(club: Club, heard) -> None:
    flagged(club, 3)
    services.dismiss_flags(club.hr, club.reply.id)
    assert reply(club).hidden_at is None
    assert db.session.get(ForumTopic, club.topic.id).reply_count == 1
    assert [n.kind for n in told(club.author.id)] == [
        "forum_post_auto_hidden",
        "forum_post_restored",
    ]
    assert [e.change for e in heard] == ["hidden", "shown"]


def test_hiding_tells_the_author_why(club: Club, heard) -> None:
    flagged(club)
    services.hide_post(club.moderator, club.reply.id, "  Advertising  ")
    post = reply(club)
    assert (post.hidden_by_id, post.hidden_reason) == (club.moderator.id, "Advertising")
    assert outcomes(club) == {("hidden", club.moderator.id)}
    assert log(club) == [("hide_post", club.moderator.id, "Advertising")]
    [notice] = told(club.author.id)
    assert notice.kind == "forum_post_hidden" and notice.params["reason"] == "Advertising"
    assert club.topic.title in message_for(notice)
    assert [(e.post_ids, e.change) for e in heard] == [((club.reply.id,), "hidden")]


def test_a_moderator_takes_over_a_post_the_flags_hid(club: Club) -> None:
    flagged(club, 3)
    services.hide_post(club.moderator, club.reply.id, "Spam")
    assert reply(club).hidden_by_id == club.moderator.id
    with pytest.raises(ModerationError) as refused:
        services.hide_post(club.hr, club.reply.id, "Again")
    assert refused.value.status == 409


def test_a_hide_needs_a_reason(club: Club) -> None:
    flagged(club)
    before = db_fingerprint()
    for reason in (None, "", "   ", "x" * (services.MAX_REASON_CHARS + 1)):
        with pytest.raises(ModerationError) as refused:
            services.hide_post(club.moderator, club.reply.id, reason)
        assert (refused.value.status, refused.value.field) == (422, "reason")
    assert db_fingerprint() == before


def test_deleting_removes_the_post_and_tells_the_author(club: Club, heard) -> None:
    flagged(club)
    services.delete_post(club.moderator, club.reply.id, "Spam")
    post = reply(club)
    assert post.deleted_at is not None and post.deleted_by_id == club.moderator.id
    assert db.session.get(ForumTopic, club.topic.id).reply_count == 0
    assert outcomes(club) == {("deleted", club.moderator.id)}
    assert log(club) == [("delete_post", club.moderator.id, "Spam")]
    assert [n.kind for n in told(club.author.id)] == ["forum_post_deleted"]
    assert [e.change for e in heard] == ["deleted"]
    for decide in (services.delete_post, services.restore_post, services.dismiss_flags):
        with pytest.raises(ModerationError) as refused:
            decide(club.moderator, club.reply.id)
        assert refused.value.status == 409


def test_deleting_an_opening_post_deletes_its_topic(club: Club) -> None:
    services.delete_post(club.moderator, opening_post(club.topic).id)
    assert db.session.get(ForumTopic, club.topic.id).deleted_at is not None


def test_restoring_shows_a_hidden_post_again(club: Club, heard) -> None:
    services.hide_post(club.moderator, club.reply.id, "Too harsh")
    services.restore_post(club.hr, club.reply.id)
    post = reply(club)
    assert (post.hidden_at, post.hidden_by_id, post.hidden_reason) == (None, None, None)
    assert log(club) == [
        ("hide_post", club.moderator.id, "Too harsh"),
        ("unhide_post", club.hr.id, None),
    ]
    assert [n.kind for n in told(club.author.id)] == ["forum_post_hidden", "forum_post_restored"]
    assert [e.change for e in heard] == ["hidden", "shown"]
    with pytest.raises(ModerationError) as refused:
        services.restore_post(club.hr, club.reply.id)
    assert refused.value.status == 409


def test_restoring_a_post_the_flags_hid_closes_its_flags(club: Club) -> None:
    flagged(club, 3)
    services.restore_post(club.moderator, club.reply.id)
    assert outcomes(club) == {("restored", club.moderator.id)}
    assert services.open_flag_count(club.reply.id) == 0


def test_hiding_an_opening_post_hides_its_topic_and_restoring_shows_it(club: Club) -> None:
    post = opening_post(club.topic)
    services.hide_post(club.moderator, post.id, "Names a candidate")
    assert db.session.get(ForumTopic, club.topic.id).hidden_reason == "Names a candidate"
    services.restore_post(club.moderator, post.id)
    assert db.session.get(ForumTopic, club.topic.id).hidden_at is None


@pytest.mark.parametrize("who", ["employee", "member", "author"])
def test_only_moderators_and_hr_decide(club: Club, who: str) -> None:
    flagged(club)
    before = db_fingerprint()
    for decide, args in (
        (services.dismiss_flags, ()),
        (services.hide_post, ("Spam",)),
        (services.delete_post, ("Spam",)),
        (services.restore_post, ()),
    ):
        with pytest.raises(ModerationError) as refused:
            decide(club.user(who), club.reply.id, *args)
        assert refused.value.status == 403
    assert db_fingerprint() == before


def test_a_moderator_does_not_decide_about_their_own_post(club: Club) -> None:
    from tests.forum.moderation.factories import make_reply

    own = make_reply(club.topic, club.moderator, "My own answer")
    services.flag_post(club.employee, own.id, "spam")
    with pytest.raises(ModerationError) as refused:
        services.dismiss_flags(club.moderator, own.id)
    assert refused.value.status == 403
    services.dismiss_flags(club.hr, own.id)  # another moderator (HR) does


def test_forged_post_ids_are_404(club: Club) -> None:
    for decide, args in (
        (services.dismiss_flags, ()),
        (services.hide_post, ("Spam",)),
        (services.delete_post, ()),
        (services.restore_post, ()),
    ):
        with pytest.raises(ModerationError) as refused:
            decide(club.moderator, club.reply.id + 999, *args)
        assert refused.value.status == 404


def test_dismissing_without_open_flags_is_a_conflict(club: Club) -> None:
    with pytest.raises(ModerationError) as refused:
        services.dismiss_flags(club.moderator, club.reply.id)
    assert refused.value.status == 409
    assert log(club) == []
