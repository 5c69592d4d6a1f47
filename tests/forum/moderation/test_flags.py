"""Flagging a post: a reason, once per person, never one's own; enough people's open flags hide
the post until a moderator reviews it, once, even when the flags arrive together."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from community import events
from community.extensions import db
from community.forum.models import ForumFlag, ForumModerationLog, ForumPost, ForumTopic
from community.forum.moderation import services
from community.forum.moderation.services import ModerationError
from community.notifications.models import Notification
from tests.forum.moderation.conftest import Club
from tests.forum.moderation.factories import opening_post
from tests.races import needs_postgresql, race
from tests.security.conftest import db_fingerprint


@pytest.fixture
def heard() -> Iterator[list[events.ForumPostsChanged]]:
    found: list[Any] = []
    listen = found.append  # one bound method, so that unsubscribe finds it
    events.subscribe(events.ForumPostsChanged, listen)
    try:
        yield found
    finally:
        events.unsubscribe(events.ForumPostsChanged, listen)


def flags(post_id: int) -> list[ForumFlag]:
    return list(db.session.scalars(select(ForumFlag).where(ForumFlag.post_id == post_id)))


def notices(user_id: int) -> list[str]:
    return list(
        db.session.scalars(select(Notification.kind).where(Notification.user_id == user_id))
    )


def test_a_flag_keeps_its_reason_and_note(club: Club) -> None:
    outcome = services.flag_post(club.employee, club.reply.id, "other", "  Links to a shop  ")
    assert not outcome.hid_post
    [flag] = flags(club.reply.id)
    assert (flag.flagger_id, flag.reason_code, flag.note) == (
        club.employee.id,
        "other",
        "Links to a shop",
    )
    assert flag.resolved_at is None
    assert services.open_flag_count(club.reply.id) == 1
    assert db.session.get(ForumPost, club.reply.id).hidden_at is None


@pytest.mark.parametrize("who", ["employee", "member", "moderator", "hr"])
def test_anyone_signed_in_may_flag(club: Club, who: str) -> None:
    services.flag_post(club.user(who), club.reply.id, "spam")
    assert len(flags(club.reply.id)) == 1


def test_a_second_flag_by_the_same_person_is_refused_with_a_clear_message(club: Club) -> None:
    services.flag_post(club.employee, club.reply.id, "spam")
    before = db_fingerprint()
    with pytest.raises(ModerationError) as refused:
        services.flag_post(club.employee, club.reply.id, "abuse")
    assert refused.value.status == 409
    assert "already flagged" in refused.value.message
    assert db_fingerprint() == before


def test_nobody_flags_their_own_post(club: Club) -> None:
    with pytest.raises(ModerationError) as refused:
        services.flag_post(club.author, club.reply.id, "spam")
    assert refused.value.status == 403
    assert flags(club.reply.id) == []


@pytest.mark.parametrize(
    ("reason", "note", "field"),
    [
        ("", None, "reason_code"),
        ("nonsense", None, "reason_code"),
        ("<script>", None, "reason_code"),
        ("other", None, "note"),
        ("other", "   ", "note"),
        ("spam", "x" * (services.MAX_NOTE_CHARS + 1), "note"),
    ],
)
def test_bad_reasons_are_refused_and_write_nothing(club: Club, reason, note, field) -> None:
    before = db_fingerprint()
    with pytest.raises(ModerationError) as refused:
        services.flag_post(club.employee, club.reply.id, reason, note)
    assert (refused.value.status, refused.value.field) == (422, field)
    assert db_fingerprint() == before


def test_a_post_that_is_not_there_cannot_be_flagged(club: Club) -> None:
    for post_id in (club.reply.id + 1000, 2**31 - 1):
        with pytest.raises(ModerationError) as refused:
            services.flag_post(club.employee, post_id, "spam")
        assert refused.value.status == 404
    reply = db.session.get(ForumPost, club.reply.id)
    reply.deleted_at = reply.created_at
    db.session.commit()
    with pytest.raises(ModerationError) as refused:
        services.flag_post(club.employee, club.reply.id, "spam")
    assert refused.value.status == 404


def test_enough_peoples_flags_hide_the_post_until_reviewed(club: Club, heard) -> None:
    first, second, third = club.others[:3]
    assert not services.flag_post(first, club.reply.id, "spam").hid_post
    assert not services.flag_post(second, club.reply.id, "abuse").hid_post
    assert heard == []
    assert services.flag_post(third, club.reply.id, "off_topic").hid_post
    reply = db.session.get(ForumPost, club.reply.id)
    assert reply.hidden_at is not None and reply.hidden_by_id is None  # the community hid it
    assert db.session.get(ForumTopic, club.topic.id).reply_count == 0
    [log] = db.session.scalars(select(ForumModerationLog)).all()
    assert (log.action, log.actor_id, log.post_id, log.topic_id) == (
        "auto_hide",
        None,
        club.reply.id,
        club.topic.id,
    )
    assert notices(club.author.id) == ["forum_post_auto_hidden"]
    assert [(e.topic_id, e.post_ids, e.change) for e in heard] == [
        (club.topic.id, (club.reply.id,), "hidden")
    ]
    with pytest.raises(ModerationError) as refused:  # a fourth has nothing left to flag
        services.flag_post(club.others[3], club.reply.id, "spam")
    assert refused.value.status == 409


def test_the_number_of_flags_that_hide_is_configured(app: Flask, club: Club, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "FORUM_FLAGS_TO_HIDE", 2)
    services.flag_post(club.others[0], club.reply.id, "spam")
    assert services.flag_post(club.others[1], club.reply.id, "spam").hid_post


def test_only_open_flags_count_towards_hiding(club: Club) -> None:
    services.flag_post(club.others[0], club.reply.id, "spam")
    services.flag_post(club.others[1], club.reply.id, "spam")
    services.dismiss_flags(club.moderator, club.reply.id)
    services.flag_post(club.others[2], club.reply.id, "spam")
    services.flag_post(club.others[3], club.reply.id, "spam")
    assert db.session.get(ForumPost, club.reply.id).hidden_at is None
    assert services.open_flag_count(club.reply.id) == 2


def test_flags_on_an_opening_post_hide_its_topic(club: Club, heard) -> None:
    post = opening_post(club.topic)
    for person in club.others[:3]:
        services.flag_post(person, post.id, "abuse")
    topic = db.session.get(ForumTopic, club.topic.id)
    assert topic.hidden_at is not None and topic.hidden_by_id is None
    assert set(heard[-1].post_ids) == {post.id, club.reply.id}


def test_flags_arriving_together_hide_the_post_once(app: Flask, club: Club) -> None:
    needs_postgresql()
    post_id = club.reply.id
    people = [person.id for person in [*club.others, club.member, club.employee]]

    def flag(user_id: int) -> Any:
        def attempt() -> str:
            from community.accounts.models import User

            try:
                services.flag_post(db.session.get(User, user_id), post_id, "spam")
            except ModerationError as exc:
                return f"refused {exc.status}"
            return "flagged"

        return attempt

    outcomes = race(app, [flag(user_id) for user_id in people])
    assert sorted(outcomes).count("flagged") == 3  # the third hid it; later ones found it hidden
    assert outcomes.count("refused 409") == 3
    assert db.session.scalar(select(func.count(ForumModerationLog.id))) == 1
    assert notices(club.author.id) == ["forum_post_auto_hidden"]


def test_the_same_person_flagging_twice_at_once_flags_once(app: Flask, club: Club) -> None:
    needs_postgresql()
    post_id, user_id = club.reply.id, club.employee.id

    def attempt() -> str:
        from community.accounts.models import User

        try:
            services.flag_post(db.session.get(User, user_id), post_id, "spam")
        except ModerationError as exc:
            return f"refused {exc.status}"
        return "flagged"

    assert sorted(race(app, [attempt, attempt])) == ["flagged", "refused 409"]
    assert len(flags(post_id)) == 1
