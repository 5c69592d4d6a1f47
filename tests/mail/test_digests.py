"""Digests on the worker's clock (moved with time-machine): daily at 8:00 and weekly on Monday
at 8:00 in the company's zone (Asia/Shanghai, UTC+8), the unread notifications of the digest's
categories since the last one, once per period (recorded, even when empty), caught up after the
worker was down, in the person's language."""

from __future__ import annotations

from datetime import datetime, timedelta

import time_machine
from sqlalchemy import select

from community.accounts.models import User
from community.extensions import db
from community.mail import digests
from community.mail.models import OutboundEmail, SentDigest
from community.notifications.categories import Category, Delivery
from community.notifications.models import Notification
from community.notifications.services import notify, set_delivery
from community.worker import duties
from tests.factories import make_user

# Thursday 3 December 2026, 8:00 in Shanghai is 0:00 UTC.
THURSDAY_8AM = datetime(2026, 12, 3, 0, 0)
MONDAY_8AM = datetime(2026, 12, 7, 0, 0)


def _choose(user: User, at: datetime, **chosen: str) -> None:
    with time_machine.travel(at, tick=False):
        for category, delivery in chosen.items():
            set_delivery(user.id, Category(category), Delivery(delivery))
        db.session.commit()


def _note(user: User, kind: str, at: datetime, read: bool = False, **params: str) -> Notification:
    note = notify(
        user.id,
        kind,
        params or {"candidate": "Li Lei", "job": "QA", "stage": "screening"},
        "/referrals/mine",
        at,
    )
    if read:
        note.read_at = at
    db.session.commit()
    return note


def _run(at: datetime) -> int:
    with time_machine.travel(at, tick=False):
        return int(duties.run_due()["mail.digests"])


def _digests(user: User) -> list[OutboundEmail]:
    return list(
        db.session.scalars(
            select(OutboundEmail)
            .where(OutboundEmail.user_id == user.id, OutboundEmail.kind.like("digest_%"))
            .order_by(OutboundEmail.id)
        )
    )


def test_the_moments_are_counted_in_the_companys_zone(app) -> None:
    daily, weekly = Delivery.DAILY, Delivery.WEEKLY
    assert digests.latest_moment(daily, THURSDAY_8AM + timedelta(minutes=1)) == THURSDAY_8AM
    assert digests.latest_moment(
        daily, THURSDAY_8AM - timedelta(minutes=1)
    ) == THURSDAY_8AM - timedelta(days=1)
    assert digests.latest_moment(weekly, THURSDAY_8AM) == MONDAY_8AM - timedelta(weeks=1)
    assert digests.latest_moment(weekly, MONDAY_8AM) == MONDAY_8AM
    assert digests.period_key(daily, THURSDAY_8AM) == "2026-12-03"
    assert digests.period_key(weekly, MONDAY_8AM) == "2026-W50"


def test_a_daily_digest_sums_up_what_is_unread_in_its_categories_once() -> None:
    ann = make_user()
    _choose(ann, THURSDAY_8AM - timedelta(days=2), referrals="daily", club="email")
    day_before = THURSDAY_8AM - timedelta(hours=20)
    first = _note(ann, "referral_stage", day_before)
    second = _note(
        ann,
        "referral_received",
        THURSDAY_8AM - timedelta(hours=1),
        referrer="Bo",
        candidate="Li",
        job="QA",
    )
    _note(ann, "referral_stage", day_before, read=True)  # read: not in it
    _note(ann, "forum_reply", day_before, topic="Tips", author="Bo")  # another category
    _note(ann, "referral_stage", THURSDAY_8AM - timedelta(days=1, minutes=5))  # the last period's
    assert _run(THURSDAY_8AM - timedelta(minutes=1)) == 1  # Wednesday's: the last period's
    db.session.execute(SentDigest.__table__.update().values(email_id=None))
    db.session.execute(OutboundEmail.__table__.delete().where(OutboundEmail.user_id == ann.id))
    db.session.commit()
    later = _note(ann, "referral_stage", THURSDAY_8AM + timedelta(minutes=1))  # tomorrow's
    assert _run(THURSDAY_8AM + timedelta(minutes=2)) == 1
    [mail] = _digests(ann)
    assert mail.kind == "digest_daily"
    assert mail.subject == "Your daily digest: 2 unread notifications"
    assert "Referral progress" in mail.text_body
    assert "Li Lei for QA moved to" in mail.text_body
    assert "List-Unsubscribe" in mail.headers
    record = db.session.scalars(
        select(SentDigest).where(
            SentDigest.user_id == ann.id, SentDigest.period_key == "2026-12-03"
        )
    ).one()
    assert record.notification_ids == [first.id, second.id]
    assert record.email_id == mail.id
    assert (record.since, record.until) == (THURSDAY_8AM - timedelta(days=1), THURSDAY_8AM)
    assert _run(THURSDAY_8AM + timedelta(hours=3)) == 0  # never twice for one day
    assert _run(THURSDAY_8AM + timedelta(days=1, minutes=1)) == 1  # Friday: the later one
    assert db.session.scalars(
        select(SentDigest.notification_ids).order_by(SentDigest.id.desc())
    ).first() == [later.id]


def test_nothing_to_tell_sends_nothing_and_the_day_is_done() -> None:
    ann = make_user()
    _choose(ann, THURSDAY_8AM - timedelta(days=2), badges="daily")
    assert _run(THURSDAY_8AM + timedelta(minutes=1)) == 0
    assert _digests(ann) == []
    assert db.session.scalars(
        select(SentDigest.email_id).where(SentDigest.user_id == ann.id)
    ).all() == [None]


def test_someone_who_just_chose_a_digest_gets_the_next_one_not_yesterdays() -> None:
    ann = make_user()
    _choose(ann, THURSDAY_8AM - timedelta(hours=1), referrals="daily")
    _note(ann, "referral_stage", THURSDAY_8AM - timedelta(hours=10))
    assert _run(THURSDAY_8AM - timedelta(minutes=30)) == 0  # Wednesday's moment came before
    assert _run(THURSDAY_8AM + timedelta(minutes=1)) == 1


def test_a_weekly_digest_goes_on_monday_at_eight() -> None:
    bo = make_user(locale="zh_CN")
    _choose(bo, MONDAY_8AM - timedelta(weeks=2), club="weekly")
    _note(bo, "forum_reply", MONDAY_8AM - timedelta(days=3), topic="Tips", author="Ann")
    assert _run(MONDAY_8AM - timedelta(minutes=1)) == 0  # last week's Monday: nothing then
    assert _run(MONDAY_8AM + timedelta(minutes=1)) == 1
    [mail] = _digests(bo)
    assert mail.kind == "digest_weekly" and mail.locale == "zh_CN"
    assert 'lang="zh-CN"' in (mail.html_body or "")
    assert _run(MONDAY_8AM + timedelta(days=2)) == 0


def test_a_worker_that_was_down_catches_up_what_it_missed() -> None:
    ann = make_user()
    _choose(ann, THURSDAY_8AM - timedelta(days=5), referrals="daily")
    assert _run(THURSDAY_8AM - timedelta(days=3, minutes=-1)) == 0  # Monday's, empty
    missed = [
        _note(ann, "referral_stage", THURSDAY_8AM - timedelta(days=2, hours=5)),
        _note(ann, "referral_stage", THURSDAY_8AM - timedelta(hours=5)),
    ]
    assert _run(THURSDAY_8AM + timedelta(hours=2)) == 1  # down Tuesday and Wednesday
    record = db.session.scalars(select(SentDigest).order_by(SentDigest.id.desc())).first()
    assert record is not None and record.notification_ids == [note.id for note in missed]


def test_two_workers_send_one_digest() -> None:
    ann = make_user()
    _choose(ann, THURSDAY_8AM - timedelta(days=2), referrals="daily")
    _note(ann, "referral_stage", THURSDAY_8AM - timedelta(hours=3))
    assert digests.send_one(ann.id, Delivery.DAILY, THURSDAY_8AM) is True
    assert digests.send_one(ann.id, Delivery.DAILY, THURSDAY_8AM) is False  # the other worker
    db.session.commit()
    assert len(_digests(ann)) == 1


def test_people_who_left_get_no_digest() -> None:
    ann = make_user()
    _choose(ann, THURSDAY_8AM - timedelta(days=2), referrals="daily")
    _note(ann, "referral_stage", THURSDAY_8AM - timedelta(hours=3))
    ann.is_active_account = False
    db.session.commit()
    assert _run(THURSDAY_8AM + timedelta(minutes=1)) == 0
