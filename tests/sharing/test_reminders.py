"""Reminders a day and an hour before, on the worker's clock: once each, caught up after the
worker was down, never late (no "tomorrow" once the hour before began, nothing after the start),
and not for people who took their seat after the reminder's moment."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import select

from community.extensions import db
from community.notifications.models import Notification
from community.sharing import services
from community.sharing.reminders import remind
from community.worker import duties
from tests.sharing.conftest import Cast, make_session


def kinds_of(user_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(Notification.kind)
            .where(Notification.user_id == user_id, Notification.kind.like("sharing_reminder%"))
            .order_by(Notification.id)
        )
    )


def test_a_day_before_then_an_hour_before_once_each(cast: Cast) -> None:
    session = make_session(cast.host, capacity=1)
    services.rsvp(cast.ann, session.id)
    services.rsvp(cast.bob, session.id)  # waiting: no reminder
    assert remind(session.starts_at - timedelta(hours=25)) == 0
    assert remind(session.starts_at - timedelta(hours=23)) == 1
    assert remind(session.starts_at - timedelta(hours=22)) == 0
    assert remind(session.starts_at - timedelta(minutes=50)) == 1
    assert remind(session.starts_at - timedelta(minutes=10)) == 0
    assert kinds_of(cast.ann.id) == ["sharing_reminder_day", "sharing_reminder_hour"]
    assert kinds_of(cast.bob.id) == []


def test_the_worker_duty_sends_them_with_the_clock_moved(cast: Cast) -> None:
    session = make_session(cast.host)
    services.rsvp(cast.ann, session.id)
    assert "sharing.remind" in [d.name for d in duties.registered()]
    with time_machine.travel(session.starts_at - timedelta(hours=20), tick=False):
        assert duties.run_due()["sharing.remind"] == 1
        assert duties.run_due()["sharing.remind"] == 0
    assert kinds_of(cast.ann.id) == ["sharing_reminder_day"]


def test_a_worker_down_until_the_last_hour_sends_only_the_hour_reminder(cast: Cast) -> None:
    session = make_session(cast.host)
    services.rsvp(cast.ann, session.id)
    assert remind(session.starts_at - timedelta(minutes=30)) == 1
    assert remind(session.starts_at - timedelta(minutes=20)) == 0
    assert kinds_of(cast.ann.id) == ["sharing_reminder_hour"]


def test_nothing_after_the_start(cast: Cast) -> None:
    session = make_session(cast.host)
    services.rsvp(cast.ann, session.id)
    assert remind(session.starts_at + timedelta(minutes=1)) == 0
    assert remind(session.ends_at + timedelta(hours=1)) == 0
    assert kinds_of(cast.ann.id) == []


def test_a_late_seat_gets_no_day_reminder_but_the_hour_one(cast: Cast) -> None:
    session = make_session(cast.host)
    with time_machine.travel(session.starts_at - timedelta(hours=5), tick=False):
        services.rsvp(cast.ann, session.id)
        assert remind(session.starts_at - timedelta(hours=5)) == 0
    assert remind(session.starts_at - timedelta(minutes=45)) == 1
    assert kinds_of(cast.ann.id) == ["sharing_reminder_hour"]


def test_a_cancelled_session_reminds_nobody(cast: Cast) -> None:
    session = make_session(cast.host)
    services.rsvp(cast.ann, session.id)
    services.cancel_session(cast.host, session.id, "")
    assert remind(session.starts_at - timedelta(hours=2)) == 0


def test_the_reminder_reads_in_the_readers_language(cast: Cast, client, auth) -> None:  # noqa: ANN001
    session = make_session(cast.host)
    services.rsvp(cast.ann, session.id)
    remind(session.starts_at - timedelta(hours=23))
    auth.login(cast.ann)
    page = client.get("/notifications/").get_data(as_text=True)
    assert "Reminder: “Interview tips” is on" in page
    client.post("/language", data={"locale": "zh_CN"})
    page = client.get("/notifications/").get_data(as_text=True)
    assert "面试技巧分享" in page
