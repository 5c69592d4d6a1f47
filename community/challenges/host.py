"""What the host and HR read about a challenge they run: who takes part, referrals per day in
the window against the days just before it, what it paid out, and every participant; and HR's
queue of challenges waiting for approval. Reads only."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from babel.dates import format_skeleton
from flask_babel import get_locale
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from community.accounts.models import Department, User
from community.challenges.credits import bonus_key_prefix
from community.challenges.models import (
    Challenge,
    ChallengeAward,
    ChallengeCredit,
    ChallengeEntrant,
    ChallengePrize,
    ChallengeStatus,
)
from community.challenges.scope import participants
from community.core.time import company_tz, to_local, utcnow
from community.extensions import db
from community.jobs.models import Job
from community.leaderboards.visibility import hidden_user_ids
from community.perks.models import Perk
from community.points.models import PointEntry
from community.referrals.models import Referral


@dataclass(frozen=True)
class Participation:
    in_scope: int
    joined: int
    with_credit: int

    def share(self, count: int) -> int:
        """`count` as a whole percentage of the people in scope."""
        return round(100 * count / self.in_scope) if self.in_scope else 0


def participation(challenge: Challenge) -> Participation:
    in_scope = db.session.scalar(
        select(func.count()).select_from(participants(challenge).order_by(None).subquery())
    )
    rows = db.session.execute(
        select(
            func.count(ChallengeEntrant.joined_at),
            func.count(ChallengeEntrant.id).filter(ChallengeEntrant.score > 0),
        ).where(ChallengeEntrant.challenge_id == challenge.id)
    ).one()
    return Participation(int(in_scope or 0), int(rows[0] or 0), int(rows[1] or 0))


@dataclass(frozen=True)
class DailyReferrals:
    """Referrals per company day of the window (up to today), and on the same number of days
    just before it: `days[i]` is the window's i-th day, `window[i]` and `before[i]` its counts."""

    days: list[date]
    window: list[int]
    before: list[int]

    @property
    def rows(self) -> list[tuple[str, int, int]]:
        """(the day as the reader writes it, "Dec 1" / "12月1日", its count, the count before)."""
        locale = get_locale() or "zh_CN"
        labels = [format_skeleton("MMMd", day, locale=locale) for day in self.days]
        return list(zip(labels, self.window, self.before, strict=True))

    @property
    def change(self) -> int | None:
        """The window against the days before it, in whole percent (None: nothing before)."""
        before = sum(self.before)
        return round(100 * (sum(self.window) - before) / before) if before else None


def _utc_midnight(day: date) -> datetime:
    local = datetime(day.year, day.month, day.day, tzinfo=company_tz())
    return local.astimezone(UTC).replace(tzinfo=None)


def daily_referrals(challenge: Challenge, now: datetime | None = None) -> DailyReferrals:
    """Referrals submitted by the challenge's people to its jobs, per day in the company zone:
    the window's days up to today (from its start hour) and as many whole days before it."""
    now = now or utcnow()
    until = min(challenge.ends_at, now)
    first = to_local(challenge.starts_at).date()
    count = (to_local(until - timedelta(microseconds=1)).date() - first).days + 1
    if until <= challenge.starts_at or count <= 0:
        return DailyReferrals([], [], [])
    before_first = first - timedelta(days=count)
    query = (
        select(Referral.submitted_at)
        .join(Job, Job.id == Referral.job_id)
        .where(
            Referral.referrer_id.in_(participants(challenge).order_by(None)),
            Referral.submitted_at >= _utc_midnight(before_first),
            Referral.submitted_at < until,
        )
    )
    if challenge.job_ids:
        query = query.where(Job.id.in_(challenge.job_ids))
    if challenge.job_families:
        query = query.where(Job.family.in_(challenge.job_families))
    window: Counter[date] = Counter()
    before: Counter[date] = Counter()
    for at in db.session.scalars(query):
        day = to_local(at).date()
        if at >= challenge.starts_at:
            window[day] += 1
        elif day < first:  # (the first day's hours before the start count in neither)
            before[day] += 1
    days = [first + timedelta(days=i) for i in range(count)]
    return DailyReferrals(
        days,
        [window[day] for day in days],
        [before[before_first + timedelta(days=i)] for i in range(count)],
    )


@dataclass
class PrizeTier:
    prize: ChallengePrize
    perk: Perk | None
    awarded: int = 0
    points: int = 0


@dataclass
class Payouts:
    bonus_points: int = 0
    prize_points: int = 0
    tiers: list[PrizeTier] = field(default_factory=list)

    @property
    def vouchers(self) -> list[tuple[Perk, int]]:
        """Perk vouchers awarded, per perk."""
        found: dict[int, tuple[Perk, int]] = {}
        for tier in self.tiers:
            if tier.perk is not None and tier.awarded:
                held = found.get(tier.perk.id, (tier.perk, 0))[1]
                found[tier.perk.id] = (tier.perk, held + tier.awarded)
        return list(found.values())


def payouts(challenge: Challenge) -> Payouts:
    """The multiplier bonus on the ledger (net of what was taken back), and the prizes awarded."""
    bonus = db.session.scalar(
        select(func.coalesce(func.sum(PointEntry.amount), 0)).where(
            PointEntry.idempotency_key.startswith(bonus_key_prefix(challenge.id))
        )
    )
    awarded = dict(
        db.session.execute(
            select(ChallengeAward.prize_id, func.count())
            .where(ChallengeAward.challenge_id == challenge.id)
            .group_by(ChallengeAward.prize_id)
        ).all()
    )
    points = dict(
        db.session.execute(
            select(ChallengeAward.prize_id, func.coalesce(func.sum(ChallengeAward.points), 0))
            .where(ChallengeAward.challenge_id == challenge.id)
            .group_by(ChallengeAward.prize_id)
        ).all()
    )
    perks = perks_of(challenge.prizes)
    tiers = [
        PrizeTier(
            prize,
            perks.get(prize.perk_id or 0),
            int(awarded.get(prize.id, 0)),
            int(points.get(prize.id, 0)),
        )
        for prize in challenge.prizes
    ]
    return Payouts(int(bonus or 0), sum(t.points for t in tiers), tiers)


def perks_of(prizes: list[ChallengePrize]) -> dict[int, Perk]:
    ids = {p.perk_id for p in prizes if p.perk_id}
    if not ids:
        return {}
    return {p.id: p for p in db.session.scalars(select(Perk).where(Perk.id.in_(ids)))}


@dataclass(frozen=True)
class Participant:
    entrant: ChallengeEntrant
    user: User
    department: Department | None
    referrals: int
    private: bool = False  # hidden from public boards (opted out …): named to HR only

    @property
    def score(self) -> int:
        final = self.entrant.final_score
        return self.entrant.score if final is None else final


def participant_rows(challenge: Challenge) -> list[Participant]:
    """Everyone with a tally in the challenge, best first (the disqualified last)."""
    credited = (
        select(ChallengeCredit.user_id, func.count(func.distinct(ChallengeCredit.referral_id)))
        .where(
            ChallengeCredit.challenge_id == challenge.id,
            ChallengeCredit.bonus.is_(False),
            ChallengeCredit.units > 0,
        )
        .group_by(ChallengeCredit.user_id)
    )
    referrals = dict(db.session.execute(credited).all())
    rows = db.session.execute(
        select(ChallengeEntrant, User, Department)
        .join(User, User.id == ChallengeEntrant.user_id)
        .outerjoin(Department, Department.id == ChallengeEntrant.department_id)
        .where(ChallengeEntrant.challenge_id == challenge.id)
    ).all()
    hidden = hidden_user_ids(db.session, {u.id for _, u, _ in rows})
    found = [Participant(e, u, d, int(referrals.get(u.id, 0)), u.id in hidden) for e, u, d in rows]
    # The board's own order (prizes.in_board_order), the disqualified last.
    found.sort(key=lambda p: str(p.user.id), reverse=True)
    return sorted(
        found,
        key=lambda p: (
            p.entrant.disqualified_at is not None,
            -p.score,
            (p.entrant.reached_at or datetime.max).replace(microsecond=0),
        ),
    )


def entrant(challenge_id: int, user_id: int) -> ChallengeEntrant | None:
    return db.session.scalars(
        select(ChallengeEntrant).where(
            ChallengeEntrant.challenge_id == challenge_id, ChallengeEntrant.user_id == user_id
        )
    ).first()


def awaiting_approval() -> list[Challenge]:
    """HR's queue: the challenges waiting for approval, the soonest start first."""
    return list(
        db.session.scalars(
            select(Challenge)
            .where(Challenge.status == ChallengeStatus.AWAITING_APPROVAL)
            .options(selectinload(Challenge.prizes), selectinload(Challenge.host))
            .order_by(Challenge.starts_at, Challenge.id)
        )
    )


@dataclass(frozen=True)
class Names:
    """The departments, jobs and perks a list of challenges names, by id."""

    departments: dict[int, Department]
    jobs: dict[int, Job]
    perks: dict[int, Perk]


def names_for(challenges: list[Challenge]) -> Names:
    department_ids = {i for c in challenges for i in c.department_ids or []}
    job_ids = {i for c in challenges for i in [*(c.job_ids or []), *(c.multiplier_job_ids or [])]}
    prizes = [p for c in challenges for p in c.prizes]
    departments = (
        {
            d.id: d
            for d in db.session.scalars(select(Department).where(Department.id.in_(department_ids)))
        }
        if department_ids
        else {}
    )
    jobs = (
        {j.id: j for j in db.session.scalars(select(Job).where(Job.id.in_(job_ids)))}
        if job_ids
        else {}
    )
    return Names(departments, jobs, perks_of(prizes))
