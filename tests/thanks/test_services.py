"""Writing the thanks wall: one post per paid payout (single, bulk, twice), one per gold tier and
year, HR's announcements with their notifications, and HR hiding a post."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from community.accounts.models import Role
from community.core.time import local_today, utcnow
from community.extensions import db
from community.notifications.models import Notification
from community.payouts import services as payout_services
from community.payouts.models import Payout
from community.referrals.models import Stage
from community.thanks import services
from community.thanks.models import ThanksKind, ThanksPost
from tests.factories import make_user
from tests.pipeline import walk
from tests.thanks.factories import approved_payout, hired_payout, paid_payout


def posts() -> list[ThanksPost]:
    db.session.expire_all()
    return list(db.session.scalars(select(ThanksPost).order_by(ThanksPost.id)))


def test_paying_a_payout_writes_one_thank_you_with_facts_not_amounts(hr):
    referrer = make_user(name="Zhang San")
    payout = paid_payout(hr, referrer, title="Backend Engineer")
    [post] = posts()
    assert post.kind == ThanksKind.PAYOUT_PAID
    assert (post.subject_id, post.payout_id, post.stage, post.job_title) == (
        referrer.id,
        payout.id,
        Stage.HIRED,
        "Backend Engineer",
    )
    assert post.created_at == payout.paid_at
    assert post.idempotency_key == f"payout:{payout.id}"


def test_approving_or_creating_a_payout_thanks_nobody_yet(hr):
    hired_payout(hr)
    approved_payout(hr)
    assert posts() == []


def test_paying_twice_is_refused_and_still_thanks_once(hr):
    payout = paid_payout(hr)
    with pytest.raises(payout_services.PayoutConflict):
        payout_services.mark_paid(payout, hr, local_today(), "PR-2")
    assert len(posts()) == 1


def test_bulk_paid_payouts_are_each_thanked_once(hr):
    first, second = approved_payout(hr), approved_payout(hr)
    pending = hired_payout(hr)
    result = payout_services.mark_payouts_paid(
        [first.id, second.id, pending.id], hr, local_today(), "PR-BULK"
    )
    assert result.done == 2 and len(result.refused) == 1
    again = payout_services.mark_payouts_paid([first.id, second.id], hr, local_today(), "PR-B2")
    assert again.done == 0
    assert sorted(p.payout_id for p in posts()) == sorted([first.id, second.id])


def test_a_refused_payment_writes_no_thanks(hr):
    payout = approved_payout(hr)
    with pytest.raises(payout_services.PayoutError):
        payout_services.mark_paid(payout, hr, local_today() + timedelta(days=3), "PR-F")
    assert posts() == []


def test_thanking_a_payout_again_returns_the_first_post(hr):
    payout = paid_payout(hr)
    again = services.thank_payout(db.session.get(Payout, payout.id), utcnow())
    db.session.commit()
    assert [p.id for p in posts()] == [again.id]


def test_probation_payout_is_thanked_for_its_stage(hr):
    referrer = make_user()
    payout = paid_payout(hr, referrer)
    walk(payout.referral, hr, Stage.PROBATION_PASSED)
    final = db.session.scalars(
        select(Payout).where(
            Payout.referral_id == payout.referral_id, Payout.stage == Stage.PROBATION_PASSED
        )
    ).one()
    payout_services.approve_payout(final, hr)
    payout_services.mark_paid(final, hr, local_today(), "PR-P")
    assert [p.stage for p in posts()] == [Stage.HIRED, Stage.PROBATION_PASSED]


def test_gold_tier_is_thanked_once_per_person_tier_and_year():
    user = make_user()
    at = datetime(2026, 6, 1, 8, 0)
    first = services.thank_gold_tier(user, "gold", at)
    db.session.commit()
    again = services.thank_gold_tier(user, "Gold ", at + timedelta(days=30))
    db.session.commit()
    assert again.id == first.id
    assert (first.kind, first.tier, first.year, first.subject_id) == (
        ThanksKind.GOLD_TIER,
        "gold",
        2026,
        user.id,
    )
    next_year = services.thank_gold_tier(user, "gold", datetime(2027, 1, 5))
    db.session.commit()
    assert next_year.id != first.id and next_year.year == 2027
    assert len(posts()) == 2


def test_gold_tier_year_is_the_company_year():
    """31 December 17:00 UTC is already 1 January in Shanghai."""
    post = services.thank_gold_tier(make_user(), "gold", datetime(2026, 12, 31, 17, 0))
    db.session.commit()
    assert post.year == 2027


def test_gold_tier_needs_a_tier_name():
    with pytest.raises(ValueError):
        services.thank_gold_tier(make_user(), "  ", utcnow())


def test_gold_tier_does_not_commit_for_the_caller():
    services.thank_gold_tier(make_user(), "gold", utcnow())
    db.session.rollback()
    assert posts() == []


# Announcements -----------------------------------------------------------------------------


def notifications_of(kind: str) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.kind == kind)))


def test_an_announcement_notifies_every_active_person_and_nobody_else(hr):
    employees = [make_user() for _ in range(3)]
    manager = make_user(role=Role.MANAGER)
    gone = make_user(is_active_account=False)
    opted_out = make_user(leaderboard_opt_out=True)
    post = services.post_announcement(hr, "  New rules  ", "Line one\r\nLine two")
    assert (post.kind, post.title, post.body, post.author_id) == (
        ThanksKind.ANNOUNCEMENT,
        "New rules",
        "Line one\nLine two",
        hr.id,
    )
    notified = notifications_of("announcement")
    assert sorted(n.user_id for n in notified) == sorted(
        [hr.id, manager.id, opted_out.id, *(e.id for e in employees)]
    )
    assert gone.id not in {n.user_id for n in notified}
    assert all(n.params == {"title": "New rules", "post_id": post.id} for n in notified)
    assert all(n.link == f"/thanks/#thanks-{post.id}" and n.read_at is None for n in notified)


def test_announcing_to_thousands_is_one_insert(hr, app):
    from sqlalchemy import event

    from community.accounts.models import User

    db.session.execute(
        User.__table__.insert(),
        [
            {"email": f"bulk{i}@example.com", "name": f"Bulk {i}", "role": "employee"}
            for i in range(2000)
        ],
    )
    db.session.commit()
    statements: list[str] = []

    def count(conn, cursor, statement, *args):  # noqa: ANN001
        if statement.lstrip().upper().startswith("INSERT INTO NOTIFICATIONS"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        services.post_announcement(hr, "Big news", "Everyone reads this.")
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 1
    total = db.session.scalar(select(func.count(Notification.id)))
    assert total == 2001


@pytest.mark.parametrize(
    ("title", "body", "field"),
    [
        ("", "Body", "title"),
        ("   ", "Body", "title"),
        ("Title", "", "body"),
        ("Title", " \n ", "body"),
        ("x" * 121, "Body", "title"),
        ("Title", "y" * 2001, "body"),
        (None, None, "title"),
    ],
)
def test_a_bad_announcement_is_refused_and_writes_nothing(hr, title, body, field):
    make_user()
    with pytest.raises(services.ThanksError) as refused:
        services.post_announcement(hr, title, body)
    assert refused.value.field == field and refused.value.status == 422
    assert posts() == [] and notifications_of("announcement") == []


def test_limits_are_inclusive(hr):
    post = services.post_announcement(hr, "x" * 120, "y" * 2000)
    assert len(post.title) == 120 and len(post.body) == 2000


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER])
def test_only_hr_announces(role):
    with pytest.raises(services.ThanksNotAllowed):
        services.post_announcement(make_user(role=role), "Title", "Body")
    assert posts() == []


# Hiding -------------------------------------------------------------------------------------


def test_hr_hides_a_post_with_a_reason_and_nothing_is_deleted(hr):
    post = services.thank_gold_tier(make_user(), "gold", utcnow())
    db.session.commit()
    hidden = services.hide_post(post, hr, "  Asked to be left out  ")
    assert hidden.hidden_at is not None and hidden.hidden_by_id == hr.id
    assert hidden.hidden_reason == "Asked to be left out"
    assert len(posts()) == 1
    with pytest.raises(services.ThanksConflict):
        services.hide_post(hidden, hr, "again")


@pytest.mark.parametrize("reason", ["", "   ", None, "z" * 501])
def test_hiding_needs_a_short_reason(hr, reason):
    post = services.thank_gold_tier(make_user(), "gold", utcnow())
    db.session.commit()
    with pytest.raises(services.ThanksError) as refused:
        services.hide_post(post, hr, reason)
    assert refused.value.field == "reason"
    assert posts()[0].hidden_at is None


def test_only_hr_hides():
    post = services.thank_gold_tier(make_user(), "gold", utcnow())
    db.session.commit()
    with pytest.raises(services.ThanksNotAllowed):
        services.hide_post(post, make_user(role=Role.MANAGER), "no")
    assert posts()[0].hidden_at is None
