"""Races on PostgreSQL: credits for one person at the same moment add up, the bonus cap holds,
and two finals at once award each prize once."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from community.accounts.models import User
from community.challenges import lifecycle
from community.challenges.models import ChallengeAward, ChallengeEntrant
from community.challenges.rules import PrizeFields
from community.extensions import db
from community.leaderboards import verify
from community.pipeline import Stage
from community.points.models import PointEntry
from community.referrals.models import Referral
from tests.challenges.factories import make_challenge
from tests.factories import make_user
from tests.pipeline import advance
from tests.races import needs_postgresql, race
from tests.referrals.factories import make_referral


def test_four_stages_at_once_add_up_under_the_bonus_cap(app: Flask, hr: User, monkeypatch) -> None:  # noqa: ANN001
    needs_postgresql()
    monkeypatch.setitem(app.config, "CHALLENGE_BONUS_CAP", 25)
    monkeypatch.setitem(app.config, "CHALLENGE_DAILY_SUBMISSIONS", 10)
    ann = make_user()
    challenge = make_challenge(hr, multiplier_percent=200)
    ids = [make_referral(ann).id for _ in range(4)]
    hr_id = hr.id

    def accept(referral_id: int):  # noqa: ANN202
        def attempt() -> str:
            advance(
                db.session.get(Referral, referral_id), Stage.SCREENING, db.session.get(User, hr_id)
            )
            return "moved"

        return attempt

    assert race(app, [accept(i) for i in ids]) == ["moved"] * 4
    entrant = db.session.scalars(
        select(ChallengeEntrant).where(ChallengeEntrant.challenge_id == challenge.id)
    ).one()
    bonus = db.session.scalar(
        select(func.sum(PointEntry.amount)).where(
            PointEntry.idempotency_key.startswith(f"challenge:{challenge.id}:bonus:")
        )
    )
    assert bonus == 25
    assert entrant.score == 4 * 10 + 25
    assert verify.verify() == []


def test_two_finals_at_once_award_each_prize_once(app: Flask, hr: User) -> None:
    needs_postgresql()
    ann = make_user()
    challenge = make_challenge(hr, prizes=[PrizeFields(rank_from=1, points=100, badge=True)])
    advance(make_referral(ann), Stage.SCREENING, hr)
    due = challenge.settles_at

    def final() -> str:
        return str(lifecycle.keep_time(due))

    race(app, [final, final])
    awards = db.session.scalar(select(func.count()).select_from(ChallengeAward))
    prize_points = db.session.scalar(
        select(func.count()).where(PointEntry.idempotency_key.contains(":prize:"))
    )
    assert (awards, prize_points) == (1, 1)
