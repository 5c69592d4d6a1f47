"""The demo's thanks wall: every paid payout thanked once, on its payment date, through the
payout service; HR's announcements reached everyone active."""

from __future__ import annotations

from sqlalchemy import func, select

from community.accounts.models import User
from community.extensions import db
from community.notifications.models import Notification
from community.payouts.models import Payout, PayoutStatus
from community.thanks.models import ThanksKind, ThanksPost
from community.thanks.queries import latest_posts


def test_every_paid_payout_is_thanked_once_on_its_payment_date(seeded: str) -> None:
    paid = {p.id: p for p in db.session.scalars(select(Payout)) if p.status == PayoutStatus.PAID}
    assert paid
    posts = db.session.scalars(
        select(ThanksPost).where(ThanksPost.kind == ThanksKind.PAYOUT_PAID)
    ).all()
    assert sorted(p.payout_id for p in posts) == sorted(paid)
    for post in posts:
        payout = paid[post.payout_id]
        assert post.created_at == payout.paid_at
        assert (post.subject_id, post.stage) == (payout.referrer_id, payout.stage)
        assert post.job_title == payout.referral.job.title


def test_hr_announced_and_everyone_active_was_told(seeded: str) -> None:
    announcements = db.session.scalars(
        select(ThanksPost)
        .where(ThanksPost.kind == ThanksKind.ANNOUNCEMENT)
        .order_by(ThanksPost.created_at)
    ).all()
    assert len(announcements) == 2
    active = db.session.scalar(select(func.count(User.id)).where(User.is_active_account.is_(True)))
    for post in announcements:
        told = db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.kind == "announcement",
                Notification.params["post_id"].as_integer() == post.id,
            )
        )
        assert told == active
    # The older one has been read by now; the newest is still news.
    newest = db.session.scalars(
        select(Notification).where(
            Notification.kind == "announcement",
            Notification.params["post_id"].as_integer() == announcements[-1].id,
        )
    ).all()
    assert all(n.read_at is None for n in newest)


def test_the_home_wall_is_alive(seeded: str) -> None:
    assert len(latest_posts(5)) == 5
