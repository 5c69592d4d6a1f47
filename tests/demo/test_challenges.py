"""The demo's challenges: one live with a moving board, one final with its prizes paid, one
scheduled for next week, each titled in both languages."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from community.accounts.models import Role, User
from community.challenges import lifecycle
from community.challenges.models import (
    Challenge,
    ChallengeAward,
    ChallengeEntrant,
    ChallengeStatus,
    PeopleScope,
    PrizeKind,
)
from community.core.time import utcnow
from community.extensions import db
from community.jobs.models import Job
from community.leaderboards import reads, verify
from community.points.models import PointEntry


def _one(status: ChallengeStatus) -> Challenge:
    return db.session.scalars(select(Challenge).where(Challenge.status == status)).one()


def test_three_challenges_titled_in_both_languages(seeded: str) -> None:
    challenges = db.session.scalars(select(Challenge)).all()
    assert sorted(c.status for c in challenges) == sorted(
        [ChallengeStatus.LIVE, ChallengeStatus.FINAL, ChallengeStatus.SCHEDULED]
    )
    for challenge in challenges:
        assert challenge.title and challenge.title_en and challenge.title != challenge.title_en
        assert challenge.description and challenge.description_en
        assert challenge.created_at < challenge.starts_at < challenge.ends_at


def test_a_live_company_challenge_by_hr_with_a_moving_board(seeded: str) -> None:
    live = _one(ChallengeStatus.LIVE)
    now = utcnow()
    assert live.starts_at < now < live.ends_at
    assert live.host.role == Role.HR and live.people_scope == PeopleScope.COMPANY
    hard = set(db.session.scalars(select(Job.id).where(Job.hard_to_fill.is_(True))))
    assert live.multiplier_percent > 100 and set(live.multiplier_job_ids) <= hard
    assert live.multiplier_job_ids
    first, runners_up, everyone = live.prizes
    assert (first.rank_from, first.rank_to, first.points) == (1, 1, 500)
    assert first.perk_id and first.badge and first.thanks
    assert (runners_up.rank_from, runners_up.rank_to, runners_up.points) == (2, 3, 200)
    assert (everyone.kind, everyone.threshold, everyone.points) == (PrizeKind.THRESHOLD, 100, 50)

    board = reads.top(live.scope, "all", 25)
    assert len(board) >= 5  # type: ignore[arg-type]
    assert len({row.points for row in board}) >= 5  # type: ignore[union-attr]
    assert verify.verify() == []


def test_a_final_department_challenge_with_its_prizes_paid_once(seeded: str) -> None:
    final = _one(ChallengeStatus.FINAL)
    assert final.host.role == Role.MANAGER
    assert final.people_scope == PeopleScope.DEPARTMENTS
    assert final.department_ids == [final.host.department_id]
    assert final.settles_at <= final.finalized_at < utcnow() - timedelta(days=30)

    awards = db.session.scalars(
        select(ChallengeAward).where(ChallengeAward.challenge_id == final.id)
    ).all()
    assert sorted(a.rank for a in awards) == [1, 2, 3]
    for award in awards:
        entry = db.session.get(PointEntry, award.entry_id)
        assert entry is not None and entry.user_id == award.user_id
        assert entry.amount == award.points == award.prize.points > 0
        assert entry.created_at == award.created_at == final.finalized_at
        person = db.session.get(User, award.user_id)
        assert person is not None and person.department_id == final.host.department_id
    ranked = db.session.scalars(
        select(ChallengeEntrant)
        .where(ChallengeEntrant.challenge_id == final.id, ChallengeEntrant.final_rank.is_not(None))
        .order_by(ChallengeEntrant.final_rank)
    ).all()
    scores = [e.final_score for e in ranked]
    assert len(ranked) >= 3 and scores == sorted(scores, reverse=True)
    # The clock has nothing left to do for it: running the worker's duty pays nothing again.
    prize_entries = select(PointEntry.id).where(
        PointEntry.idempotency_key.startswith(f"challenge:{final.id}:prize:")
    )
    assert len(db.session.scalars(prize_entries).all()) == 3
    assert lifecycle.keep_time(utcnow()) == 0
    assert len(db.session.scalars(prize_entries).all()) == 3


def test_a_challenge_scheduled_for_next_week(seeded: str) -> None:
    scheduled = _one(ChallengeStatus.SCHEDULED)
    now = utcnow()
    assert now < scheduled.starts_at < now + timedelta(days=8)
    assert scheduled.approved_at is not None and scheduled.prizes
