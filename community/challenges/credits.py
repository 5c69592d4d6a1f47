"""What a ledger entry earns in the challenges: credit on their boards, and the multiplier bonus.

Runs inside the transaction that writes the entry (the `PointsRecorded` listener), so a point is
on the challenge board in the same request. An entry of a referral counts in a challenge when
the challenge is approved and not cancelled, the referral was submitted inside its window, the
entry falls before the window's end plus the settlement period, and the referrer competes: in
the people and jobs of its scope, neither its host nor HR, and not crediting their own action.

A person's tally (`ChallengeEntrant`) is locked while a credit is added, so two credits at once
add up and the bonus cap holds. The bonus is reconciled, never just added: for every counted
entry the bonus it should have (none when the entry was reversed, the person disqualified, the
challenge cancelled; the cap spent in entry order) is compared with what the ledger holds, and
the difference is written as a new entry — so every correction is one more row, never an edit.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError

from community import events
from community.accounts.models import User
from community.challenges.models import (
    COUNTING,
    METRIC_STAGE,
    Challenge,
    ChallengeCredit,
    ChallengeEntrant,
    ChallengeStatus,
    Metric,
)
from community.challenges.rules import MAX_SETTLEMENT_DAYS
from community.challenges.scope import competes
from community.core.time import to_local, utcnow
from community.extensions import db
from community.jobs.models import Job
from community.pipeline import Stage
from community.points.models import PointEntry, PointKind
from community.points.services import record_points
from community.referrals.models import Referral

logger = logging.getLogger(__name__)

PREFIX = "challenge:"


def bonus_key_prefix(challenge_id: int) -> str:
    return f"{PREFIX}{challenge_id}:bonus:"


def counting_challenges(referral: Referral, at: datetime) -> list[Challenge]:
    """The challenges a referral's event at `at` may count in (before the scope check)."""
    found = db.session.scalars(
        select(Challenge).where(
            Challenge.status.in_(COUNTING),
            Challenge.starts_at <= referral.submitted_at,
            Challenge.ends_at > referral.submitted_at,
            Challenge.ends_at > at - timedelta(days=MAX_SETTLEMENT_DAYS),  # settled long ago
        )
    )
    return [c for c in found if at < c.settles_at]


def _own_action(user_id: int) -> bool:
    """Whether the event that caused this entry was the person's own doing (HR moving their
    own referral)."""
    cause = events.cause()
    actor = getattr(cause.event, "actor_id", None) if cause else None
    return actor == user_id


def entrant_for(challenge: Challenge, user_id: int, department_id: int | None) -> ChallengeEntrant:
    """The person's tally in the challenge, created when missing, locked for this transaction."""
    query = (
        select(ChallengeEntrant)
        .where(ChallengeEntrant.challenge_id == challenge.id, ChallengeEntrant.user_id == user_id)
        .with_for_update()
    )
    entrant = db.session.scalars(query).first()
    if entrant is not None:
        return entrant
    try:
        with db.session.begin_nested():
            db.session.add(
                ChallengeEntrant(
                    challenge_id=challenge.id, user_id=user_id, department_id=department_id
                )
            )
    except IntegrityError:  # created at the same moment by another credit: take theirs
        pass
    return db.session.scalars(query.execution_options(populate_existing=True)).one()


def _daily_cap() -> int:
    return int(current_app.config.get("CHALLENGE_DAILY_SUBMISSIONS", 3))


def _local_day(at: datetime) -> tuple[datetime, datetime]:
    """The naive-UTC bounds of the company's day holding `at` (a day of 23 or 25 hours too)."""
    local = to_local(at)
    day = local.date()

    def utc_midnight(d: date) -> datetime:
        return (
            datetime.combine(d, time(0), tzinfo=local.tzinfo).astimezone(UTC).replace(tzinfo=None)
        )

    return utc_midnight(day), utc_midnight(day + timedelta(days=1))


def _submissions_that_day(challenge: Challenge, user_id: int, submitted_at: datetime) -> int:
    """Submission credits that counted for the person's referrals submitted the same company
    day (the day they referred, not the day HR accepted)."""
    low, high = _local_day(submitted_at)
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(ChallengeCredit)
            .join(Referral, Referral.id == ChallengeCredit.referral_id)
            .where(
                ChallengeCredit.challenge_id == challenge.id,
                ChallengeCredit.user_id == user_id,
                ChallengeCredit.stage == Stage.SUBMITTED,
                ChallengeCredit.capped.is_(False),
                ChallengeCredit.bonus.is_(False),
                ChallengeCredit.units > 0,
                Referral.submitted_at >= low,
                Referral.submitted_at < high,
            )
        )
        or 0
    )


def quality(referrals: int, interviews: int, minimum: int) -> int:
    """Interviews per referral in thousandths; 0 below the minimum number of referrals."""
    if referrals < max(1, minimum):
        return 0
    return interviews * 1000 // referrals


def _add(
    challenge: Challenge,
    entrant: ChallengeEntrant,
    entry: PointEntry,
    units: int,
    *,
    bonus: bool = False,
    capped: bool = False,
) -> ChallengeCredit:
    credit = ChallengeCredit(
        challenge_id=challenge.id,
        entry_id=entry.id,
        user_id=entry.user_id,
        referral_id=entry.referral_id,
        stage=entry.stage,
        units=units,
        bonus=bonus,
        capped=capped,
        after_final=challenge.status == ChallengeStatus.FINAL,
        created_at=entry.created_at,
    )
    db.session.add(credit)
    if units:
        entrant.score += units
        entrant.reached_at = max(entrant.reached_at or entry.created_at, entry.created_at)
    db.session.flush()
    return credit


def _count_units(challenge: Challenge, entrant: ChallengeEntrant, entry: PointEntry) -> int | None:
    """The units a positive stage entry earns, None when the metric does not count it."""
    stage = entry.stage
    if challenge.metric == Metric.POINTS:
        return entry.amount
    if challenge.metric == Metric.QUALITY:
        before = quality(entrant.referrals, entrant.interviews, challenge.quality_min_referrals)
        if stage == Stage.SUBMITTED:
            entrant.referrals += 1
        elif stage == Stage.INTERVIEWING:
            entrant.interviews += 1
        else:
            return None
        after = quality(entrant.referrals, entrant.interviews, challenge.quality_min_referrals)
        return after - before
    return 1 if stage == METRIC_STAGE[challenge.metric] else None


def credit_entry(challenge: Challenge, entry: PointEntry, referral: Referral) -> None:
    """Count one positive stage entry of `referral` in `challenge` (the caller checked that it
    falls inside the window)."""
    user = db.session.get(User, entry.user_id)
    job = db.session.get(Job, referral.job_id)
    if user is None or job is None or not competes(challenge, user, entry.department_id, job):
        return
    if _own_action(user.id):
        return
    entrant = entrant_for(challenge, user.id, entry.department_id)
    capped = False
    if entry.stage == Stage.SUBMITTED and challenge.metric == Metric.POINTS:
        capped = _submissions_that_day(challenge, user.id, referral.submitted_at) >= _daily_cap()
    # A stage the metric does not count is still recorded (0 units): its points are multiplied.
    units = 0 if capped else _count_units(challenge, entrant, entry) or 0
    _add(challenge, entrant, entry, units, capped=capped)
    reconcile_bonus(challenge, entrant)
    if units > 0:
        _check_top_three(challenge, entrant)


def reverse_entry(challenge: Challenge, entry: PointEntry) -> None:
    """A negative entry of a referral and stage (points HR reversed) takes back what that
    referral and stage counted in `challenge`, and the bonus on it. After the final the credit
    is recorded but the frozen standings stay as they were."""
    rows = db.session.execute(
        select(ChallengeCredit.units, PointEntry.amount)
        .join(PointEntry, PointEntry.id == ChallengeCredit.entry_id)
        .where(
            ChallengeCredit.challenge_id == challenge.id,
            ChallengeCredit.referral_id == entry.referral_id,
            ChallengeCredit.stage == entry.stage,
            ChallengeCredit.bonus.is_(False),
        )
    ).all()
    standing = sum(1 if amount > 0 else -1 for _, amount in rows)
    if standing <= 0:
        return  # never counted here, or already taken back
    entrant = entrant_for(challenge, entry.user_id, entry.department_id)
    units = -sum(units for units, _ in rows)
    if challenge.metric == Metric.QUALITY:
        before = entrant.score
        if entry.stage == Stage.SUBMITTED:
            entrant.referrals -= 1
        elif entry.stage == Stage.INTERVIEWING:
            entrant.interviews -= 1
        units = quality(entrant.referrals, entrant.interviews, challenge.quality_min_referrals)
        units -= before
    _add(challenge, entrant, entry, units)
    reconcile_bonus(challenge, entrant)


def _multiplied(challenge: Challenge, job_id: int) -> bool:
    return challenge.multiplier_percent > 100 and (
        not challenge.multiplier_job_ids or job_id in challenge.multiplier_job_ids
    )


def _bonus_cap() -> int:
    return int(current_app.config.get("CHALLENGE_BONUS_CAP", 2000))


def reconcile_bonus(challenge: Challenge, entrant: ChallengeEntrant) -> int:
    """Bring the person's multiplier bonus in `challenge` to what it should be (see the module's
    notes); returns the points written (negative when taken back)."""
    if challenge.multiplier_percent <= 100:
        return 0  # without a multiplier no bonus was ever written
    held = _held_bonus(challenge, entrant.user_id)
    void = entrant.disqualified_at is not None or challenge.status == ChallengeStatus.CANCELLED
    # After the final only a reversed entry loses its bonus; nothing else moves.
    frozen = challenge.status == ChallengeStatus.FINAL
    rows = db.session.execute(
        select(ChallengeCredit, PointEntry.amount, Referral.job_id)
        .join(PointEntry, PointEntry.id == ChallengeCredit.entry_id)
        .join(Referral, Referral.id == ChallengeCredit.referral_id)
        .where(
            ChallengeCredit.challenge_id == challenge.id,
            ChallengeCredit.user_id == entrant.user_id,
            ChallengeCredit.bonus.is_(False),
        )
        .order_by(ChallengeCredit.entry_id)
    ).all()
    net_by_stage: dict[tuple[int | None, str | None], int] = defaultdict(int)
    for credit, amount, _job in rows:
        net_by_stage[(credit.referral_id, credit.stage)] += 1 if amount > 0 else -1
    cap_left, written = _bonus_cap(), 0
    for credit, amount, job_id in rows:
        if amount <= 0:
            continue
        target = 0
        alive = net_by_stage[(credit.referral_id, credit.stage)] > 0
        have = held.get(credit.entry_id, (0, 0))
        if frozen:
            target = have[0] if alive else 0
        elif not void and alive and not credit.capped and _multiplied(challenge, job_id):
            target = min(amount * (challenge.multiplier_percent - 100) // 100, cap_left)
        cap_left -= target
        difference = target - have[0]
        if difference:
            key = f"{bonus_key_prefix(challenge.id)}{credit.entry_id}"
            if have[1]:
                key += f":{have[1]}"
            record_points(
                entrant.user_id,
                difference,
                PointKind.EARNED,
                idempotency_key=key,
                referral_id=credit.referral_id,
                stage=credit.stage,
                reason=f"{PREFIX}{challenge.id}",
                at=credit.created_at,  # the counted entry's time: a correction moves no tie-break
            )
            written += difference
    return written


def _held_bonus(challenge: Challenge, user_id: int) -> dict[int, tuple[int, int]]:
    """Bonus the ledger holds per counted entry: entry id → (net points, entries written)."""
    prefix = bonus_key_prefix(challenge.id)
    held: dict[int, tuple[int, int]] = {}
    for key, amount in db.session.execute(
        select(PointEntry.idempotency_key, PointEntry.amount).where(
            PointEntry.user_id == user_id, PointEntry.idempotency_key.startswith(prefix)
        )
    ):
        entry_id = int(key[len(prefix) :].split(":")[0])
        net, count = held.get(entry_id, (0, 0))
        held[entry_id] = (net + amount, count + 1)
    return held


def _check_top_three(challenge: Challenge, entrant: ChallengeEntrant) -> None:
    """Tell a person once when they enter the top 3 of a live challenge."""
    now = utcnow()
    if (
        entrant.top_three_at is not None
        or entrant.disqualified_at is not None
        or entrant.score <= 0
        or not challenge.starts_at <= now < challenge.ends_at
        or challenge.status not in (ChallengeStatus.SCHEDULED, ChallengeStatus.LIVE)
    ):
        return
    ahead = db.session.scalar(
        select(func.count()).where(
            ChallengeEntrant.challenge_id == challenge.id,
            ChallengeEntrant.id != entrant.id,
            ChallengeEntrant.disqualified_at.is_(None),
            or_(
                ChallengeEntrant.score > entrant.score,
                and_(
                    ChallengeEntrant.score == entrant.score,
                    ChallengeEntrant.reached_at < entrant.reached_at,
                ),
            ),
        )
    )
    rank = int(ahead or 0) + 1
    if rank > 3:
        return
    entrant.top_three_at = now
    events.publish(
        events.ChallengeTopThree(
            challenge_id=challenge.id,
            title=challenge.title,
            title_en=challenge.title_en,
            user_id=entrant.user_id,
            rank=rank,
            at=now,
        )
    )


def points_recorded(event: events.PointsRecorded) -> None:
    """Listener: count a new ledger entry in the challenges it falls in."""
    if event.kind != PointKind.EARNED.value:
        return
    entry = db.session.get(PointEntry, event.entry_id)
    if entry is None or entry.referral_id is None:
        return
    key = entry.idempotency_key
    if key.startswith(PREFIX):
        _credit_bonus_entry(entry)
        return
    referral = db.session.get(Referral, entry.referral_id)
    if referral is None:
        return
    if entry.amount < 0:
        challenge_ids = db.session.scalars(
            select(ChallengeCredit.challenge_id)
            .where(ChallengeCredit.referral_id == entry.referral_id)
            .distinct()
        )
        for challenge_id in list(challenge_ids):
            challenge = db.session.get(Challenge, challenge_id)
            if challenge is not None and challenge.status != ChallengeStatus.CANCELLED:
                reverse_entry(challenge, entry)
        return
    for challenge in counting_challenges(referral, entry.created_at):
        credit_entry(challenge, entry, referral)


def _credit_bonus_entry(entry: PointEntry) -> None:
    """The challenge's own bonus counts on its board when the challenge ranks by points."""
    challenge_id = int(entry.idempotency_key[len(PREFIX) :].split(":")[0])
    challenge = db.session.get(Challenge, challenge_id)
    if challenge is None or challenge.metric != Metric.POINTS:
        return
    entrant = entrant_for(challenge, entry.user_id, entry.department_id)
    _add(challenge, entrant, entry, entry.amount, bonus=True)
