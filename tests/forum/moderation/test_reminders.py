"""The duty `forum.answer-reminders`: a question without an accepted answer N days after it was
asked reminds its asker once, from the clock (a worker that was down catches up), and never in a
deleted, hidden or locked topic."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from flask import Flask
from sqlalchemy import select

from community.accounts.models import User
from community.extensions import db
from community.forum import reminders
from community.forum.models import ForumTopic, TopicKind
from community.notifications.models import Notification
from community.notifications.queries import message_for
from community.worker import duties
from tests.factories import make_user
from tests.forum.moderation.factories import make_reply, make_topic

ASKED = datetime(2027, 3, 1, 9, 0)


def question(asker: User, **fields) -> ForumTopic:
    return make_topic(asker, "怎么写推荐理由？", kind=TopicKind.QUESTION, at=ASKED, **fields)


def reminders_of(user: User) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    )


def tick(at: datetime) -> int | str:
    with time_machine.travel(at, tick=False):
        return duties.run_due()[reminders.DUTY]


def test_the_duty_is_registered() -> None:
    assert reminders.DUTY in {duty.name for duty in duties.registered()}


def test_an_answered_question_reminds_its_asker_to_accept_once() -> None:
    asker, colleague = make_user(), make_user()
    topic = question(asker)
    make_reply(topic, asker, "Anyone?")  # the asker's own follow-up is not an answer
    make_reply(topic, colleague, "Say why they fit the team.")
    assert tick(ASKED + timedelta(days=3) - timedelta(minutes=1)) == 0
    assert tick(ASKED + timedelta(days=3)) == 1
    [notice] = reminders_of(asker)
    assert notice.kind == reminders.ACCEPT_AN_ANSWER
    assert notice.params["answers"] == 1
    assert "1 answer but none accepted" in message_for(notice)
    assert db.session.get(ForumTopic, topic.id).answer_reminded_at == ASKED + timedelta(days=3)
    assert tick(ASKED + timedelta(days=4)) == 0  # once
    assert len(reminders_of(asker)) == 1


def test_an_unanswered_question_says_nobody_answered_and_suggests_a_moderator() -> None:
    asker = make_user()
    question(asker)
    assert tick(ASKED + timedelta(days=3, hours=1)) == 1
    [notice] = reminders_of(asker)
    assert notice.kind == reminders.NO_ANSWER_YET
    assert "moderator" in message_for(notice)


def test_a_worker_that_was_down_catches_up() -> None:
    askers = [make_user() for _ in range(3)]
    for asker in askers:
        question(asker)
    assert tick(ASKED + timedelta(days=40)) == 3
    assert all(len(reminders_of(asker)) == 1 for asker in askers)


@pytest.mark.parametrize(
    "fields",
    [
        {"deleted_at": ASKED},
        {"hidden_at": ASKED},
        {"locked_at": ASKED},
        {"accepted_post_id": 1},
        {"kind": TopicKind.DISCUSSION},
    ],
    ids=["deleted", "hidden", "locked", "accepted", "discussion"],
)
def test_no_reminder_where_none_is_due(fields) -> None:
    asker = make_user()
    kind = fields.pop("kind", TopicKind.QUESTION)
    make_topic(asker, "A question", kind=kind, at=ASKED, **fields)
    assert tick(ASKED + timedelta(days=10)) == 0
    assert reminders_of(asker) == []


def test_the_number_of_days_is_configured(app: Flask, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "FORUM_ANSWER_REMINDER_DAYS", 7)
    asker = make_user()
    question(asker)
    assert tick(ASKED + timedelta(days=6)) == 0
    assert tick(ASKED + timedelta(days=7)) == 1
    monkeypatch.setitem(app.config, "FORUM_ANSWER_REMINDER_DAYS", 0)  # off
    question(make_user())
    assert tick(ASKED + timedelta(days=30)) == 0


def test_a_deactivated_asker_is_not_reminded_but_the_question_is_done() -> None:
    asker = make_user()
    topic = question(asker)
    asker.is_active_account, asker.deactivated_at = False, ASKED
    db.session.commit()
    assert tick(ASKED + timedelta(days=5)) == 0
    assert reminders_of(asker) == []
    assert db.session.get(ForumTopic, topic.id).answer_reminded_at is not None
