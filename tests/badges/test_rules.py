"""Each badge rule, each gold-referrer tier and its 12-month window, exactly-once awards."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from community.accounts.models import User
from community.badges import queries, services
from community.badges.models import UserBadge
from community.badges.registry import has_streak, twelve_months_before
from community.core.time import local_today
from community.extensions import db
from community.notifications.models import Notification
from community.notifications.queries import message_for
from community.points import queries as points_queries
from community.points.models import PointEntry
from community.referrals.models import Referral, Stage
from community.referrals.services import ReferralError, advance_stage
from tests.badges.conftest import referral_by
from tests.factories import make_job, make_user
from tests.pipeline import advance, walk_to
from tests.races import needs_postgresql, race
from tests.referrals.factories import make_referral


def badges(user: User) -> set[tuple[str, str]]:
    db.session.expire_all()
    return queries.held(user.id)


def test_first_referral_on_submission() -> None:
    referral = make_referral()
    assert badges(referral.referrer) == {("first_referral", "")}
    note = db.session.scalars(
        select(Notification).where(
            Notification.user_id == referral.referrer_id,
            Notification.kind == "badge_earned",
        )
    ).one()
    assert message_for(note) == "You earned the badge First referral."


def test_first_interview_and_first_hire(hr: User) -> None:
    referral = make_referral()
    advance(referral, Stage.INTERVIEWING, hr)
    assert ("first_interview", "") in badges(referral.referrer)
    assert ("first_hire", "") not in badges(referral.referrer)
    advance(referral, Stage.OFFER, hr)
    advance(referral, Stage.HIRED, hr)
    held = badges(referral.referrer)
    assert {("first_hire", ""), ("gold_referrer", "bronze")} <= held
    assert ("hard_to_fill_hero", "") not in held  # an ordinary job


def test_hard_to_fill_hero_and_its_points(hr: User) -> None:
    referral = make_referral(job=make_job(hard_to_fill=True))
    before = points_queries.score(referral.referrer_id)
    advance(referral, Stage.INTERVIEWING, hr)
    assert ("hard_to_fill_hero", "") not in badges(referral.referrer)
    walk_to(referral, Stage.HIRED, hr)
    assert ("hard_to_fill_hero", "") in badges(referral.referrer)
    entry = db.session.scalars(
        select(PointEntry).where(PointEntry.badge_key == "hard_to_fill_hero")
    ).one()
    assert entry.amount == 50 and entry.user_id == referral.referrer_id
    assert entry.idempotency_key == f"badge:{referral.referrer_id}:hard_to_fill_hero:"
    assert points_queries.score(referral.referrer_id) > before + 50


def _referral_in(user: User, when: datetime) -> Referral:
    referral = referral_by(user)
    referral.submitted_at = when
    db.session.commit()
    return referral


def test_monthly_streak_needs_three_consecutive_months_in_company_time() -> None:
    me = make_user()
    # 31 Jan 17:00 UTC is 1 Feb 01:00 in Shanghai: it counts for February.
    _referral_in(me, datetime(2026, 1, 31, 17, 0))
    _referral_in(me, datetime(2026, 4, 10, 3, 0))  # March skipped: no streak
    assert ("monthly_streak", "") not in badges(me)
    referral = referral_by(me)
    services.evaluate_referral_event(referral, Stage.SUBMITTED, at=datetime(2026, 4, 20))
    assert ("monthly_streak", "") not in badges(me)
    _referral_in(me, datetime(2026, 3, 5, 3, 0))
    later = _referral_in(me, datetime(2026, 4, 11, 3, 0))
    services.evaluate_referral_event(later, Stage.SUBMITTED, at=datetime(2026, 4, 30))
    db.session.commit()
    assert ("monthly_streak", "") in badges(me)  # February, March, April


def test_streak_helper() -> None:
    assert has_streak({(2025, 11), (2025, 12), (2026, 1)})  # across the new year
    assert not has_streak({(2025, 11), (2026, 1), (2026, 2)})


def test_honest_matchmaker_needs_five_referrals_mostly_interviewed(hr: User) -> None:
    me = make_user()
    referrals = [referral_by(me) for _ in range(5)]
    advance(referrals[0], Stage.INTERVIEWING, hr)
    advance(referrals[1], Stage.INTERVIEWING, hr)
    assert ("honest_matchmaker", "") not in badges(me)  # 2 of 5: not more than half
    advance(referrals[2], Stage.INTERVIEWING, hr)
    assert ("honest_matchmaker", "") in badges(me)  # 3 of 5


def test_honest_matchmaker_not_with_fewer_than_five(hr: User) -> None:
    me = make_user()
    for referral in [referral_by(me) for _ in range(4)]:
        advance(referral, Stage.INTERVIEWING, hr)
    assert ("honest_matchmaker", "") not in badges(me)


@pytest.mark.parametrize(
    ("hires", "tiers"),
    [
        (1, {"bronze"}),
        (2, {"bronze"}),
        (3, {"bronze", "silver"}),
        (5, {"bronze", "silver", "gold"}),
    ],
)
def test_gold_referrer_tiers(hr: User, hires: int, tiers: set[str]) -> None:
    me = make_user()
    for _ in range(hires):
        walk_to(referral_by(me), Stage.HIRED, hr)
    assert {tier for key, tier in badges(me) if key == "gold_referrer"} == tiers


def test_gold_referrer_counts_only_the_last_12_months(hr: User) -> None:
    me = make_user()
    now = datetime(2026, 11, 20, 4, 0)
    old = walk_to(referral_by(me), Stage.HIRED, hr, at=now - timedelta(days=400))
    assert old.stage == Stage.HIRED
    db.session.execute(  # the old hires lose their badge rows: only the window matters now
        UserBadge.__table__.delete().where(UserBadge.user_id == me.id)
    )
    db.session.commit()
    walk_to(referral_by(me), Stage.HIRED, hr, at=now - timedelta(days=200))
    walk_to(referral_by(me), Stage.HIRED, hr, at=now)
    # Three hires ever, two in the last 12 months: bronze, not silver.
    assert {t for k, t in badges(me) if k == "gold_referrer"} == {"bronze"}
    walk_to(referral_by(me), Stage.HIRED, hr, at=now + timedelta(days=1))
    assert ("gold_referrer", "silver") in badges(me)


def test_twelve_months_before() -> None:
    assert twelve_months_before(datetime(2026, 11, 20)) == datetime(2025, 11, 20)
    assert twelve_months_before(datetime(2028, 2, 29)) == datetime(2027, 2, 28)


def test_gold_thresholds_are_hrs(hr: User) -> None:
    services.save_gold_thresholds(hr, 2, 3, 4)
    me = make_user()
    walk_to(referral_by(me), Stage.HIRED, hr)
    assert not {t for k, t in badges(me) if k == "gold_referrer"}
    walk_to(referral_by(me), Stage.HIRED, hr)
    assert {t for k, t in badges(me) if k == "gold_referrer"} == {"bronze"}


def test_a_badge_is_awarded_once_and_its_points_once(hr: User) -> None:
    me = make_user()
    first = walk_to(referral_by(me, job=make_job(hard_to_fill=True)), Stage.HIRED, hr)
    second = walk_to(referral_by(me, job=make_job(hard_to_fill=True)), Stage.HIRED, hr)
    # Evaluating the same event again (a repeated call) changes nothing.
    assert services.evaluate_referral_event(first, Stage.HIRED) == []
    assert services.evaluate_referral_event(second, Stage.HIRED) == []
    db.session.commit()
    count = db.session.scalar(
        select(func.count())
        .select_from(UserBadge)
        .where(UserBadge.user_id == me.id, UserBadge.badge_key == "hard_to_fill_hero")
    )
    assert count == 1
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(PointEntry)
            .where(PointEntry.badge_key == "hard_to_fill_hero")
        )
        == 1
    )


def test_double_submit_of_a_stage_awards_once(hr: User) -> None:
    referral = make_referral()
    advance(referral, Stage.INTERVIEWING, hr)
    with pytest.raises(ReferralError):
        advance_stage(referral, Stage.INTERVIEWING, hr, expected_from=Stage.SUBMITTED)
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(UserBadge)
            .where(UserBadge.badge_key == "first_interview")
        )
        == 1
    )


def test_concurrent_hires_award_each_badge_once(app: Flask, hr: User) -> None:
    needs_postgresql()
    me = make_user()
    referrals = []
    for _ in range(4):
        referral = referral_by(me)
        advance(referral, Stage.INTERVIEWING, hr)
        advance(referral, Stage.OFFER, hr)
        referrals.append(referral.id)
    hr_id = hr.id
    db.session.commit()

    def hire(referral_id: int) -> Callable[[], str]:
        def attempt() -> str:
            advance_stage(
                db.session.get(Referral, referral_id),
                Stage.HIRED,
                db.session.get(User, hr_id),
                expected_from=Stage.OFFER,
                start_date=local_today(),
            )
            return "hired"

        return attempt

    outcomes = race(app, [hire(rid) for rid in referrals])
    assert outcomes == ["hired"] * 4  # every hire commits; the badge races do not fail them
    db.session.expire_all()
    first_hire = db.session.scalar(
        select(func.count())
        .select_from(UserBadge)
        .where(UserBadge.user_id == me.id, UserBadge.badge_key == "first_hire")
    )
    assert first_hire == 1
    tiers = {t for k, t in badges(me) if k == "gold_referrer"}
    assert "bronze" in tiers


def test_badges_and_levels_survive_a_redis_flush(hr: User) -> None:
    from community.extensions import redis_store

    referral = make_referral()
    walk_to(referral, Stage.HIRED, hr)
    before = (badges(referral.referrer), queries.level_progress(referral.referrer))
    redis_store.client.flushdb()
    after = (badges(referral.referrer), queries.level_progress(referral.referrer))
    assert before == after and before[0]


def test_each_gold_referrer_tier_is_thanked_once_on_the_wall(hr: User) -> None:
    from community.thanks.labels import headline
    from community.thanks.models import ThanksKind, ThanksPost
    from community.thanks.queries import latest_posts

    me = make_user(name="Gao Jin")
    for _ in range(3):
        walk_to(referral_by(me), Stage.HIRED, hr)
    posts = db.session.scalars(
        select(ThanksPost).where(ThanksPost.kind == ThanksKind.GOLD_TIER)
    ).all()
    assert sorted(post.tier for post in posts) == ["bronze", "silver"]
    assert all(post.subject_id == me.id for post in posts)
    shown = [headline(post) for post in latest_posts(5)]
    assert any("Silver referrer" in text and "Gao Jin" in text for text in shown)
