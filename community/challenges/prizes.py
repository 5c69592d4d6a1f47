"""The final: standings frozen, prizes awarded once.

Ranks go to the people not disqualified with a score above zero, highest first; on equal scores
whoever reached it first ranks higher, and within the same second the order is the board's own
(`in_board_order`), so the final never reorders what the live board showed. A prize tier
is awarded once per person (`ChallengeAward` is unique per prize and person, its ledger entry
unique by key): running the final twice, or two workers at once, awards nothing twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from community import events
from community.challenges.models import (
    Challenge,
    ChallengeAward,
    ChallengeEntrant,
    ChallengePrize,
    PrizeKind,
)
from community.extensions import db
from community.points.models import PointKind
from community.points.services import record_points


def standing_order(entrant: ChallengeEntrant) -> tuple[int, datetime]:
    """Higher score first, then whoever reached it first, to the second as the board counts."""
    reached = entrant.reached_at or datetime.max
    return (-entrant.score, reached.replace(microsecond=0))


def in_board_order(entrants: list[ChallengeEntrant]) -> list[ChallengeEntrant]:
    """`entrants` as the board ranks them: by `standing_order`, and within a tie of the same
    second as Redis orders equal scores (the member, as text, highest first)."""
    ordered = sorted(entrants, key=lambda e: str(e.user_id), reverse=True)
    return sorted(ordered, key=standing_order)  # (stable: the member order stays within ties)


def freeze(challenge: Challenge) -> list[ChallengeEntrant]:
    """Write every entrant's final score and the ranked ones' final rank; returns the ranked,
    best first."""
    entrants = list(
        db.session.scalars(
            select(ChallengeEntrant)
            .where(ChallengeEntrant.challenge_id == challenge.id)
            .with_for_update()
        )
    )
    ranked = in_board_order([e for e in entrants if e.disqualified_at is None and e.score > 0])
    for entrant in entrants:
        entrant.final_score, entrant.final_rank = entrant.score, None
    for rank, entrant in enumerate(ranked, start=1):
        entrant.final_rank = rank
    return ranked


def winners_of(prize: ChallengePrize, ranked: list[ChallengeEntrant]) -> list[ChallengeEntrant]:
    if prize.kind == PrizeKind.RANK:
        return ranked[(prize.rank_from or 1) - 1 : prize.rank_to or prize.rank_from or 1]
    return [e for e in ranked if e.score >= (prize.threshold or 1)]


def award(challenge: Challenge, ranked: list[ChallengeEntrant], at: datetime) -> None:
    """Award every prize tier to its winners, once."""
    for prize in challenge.prizes:
        for entrant in winners_of(prize, ranked):
            _award_one(challenge, prize, entrant, at)


def _award_one(
    challenge: Challenge, prize: ChallengePrize, entrant: ChallengeEntrant, at: datetime
) -> None:
    try:
        with db.session.begin_nested():
            row = ChallengeAward(
                challenge_id=challenge.id,
                prize_id=prize.id,
                user_id=entrant.user_id,
                rank=entrant.final_rank,
                points=prize.points,
                created_at=at,
            )
            db.session.add(row)
    except IntegrityError:
        return  # awarded before
    if prize.points:
        entry = record_points(
            entrant.user_id,
            prize.points,
            PointKind.EARNED,
            idempotency_key=f"challenge:{challenge.id}:prize:{prize.id}:{entrant.user_id}",
            reason=f"challenge:{challenge.id}",
            at=at,
        )
        row.entry_id = entry.id
    db.session.flush()
    events.publish(
        events.ChallengePrizeAwarded(
            award_id=row.id,
            challenge_id=challenge.id,
            title=challenge.title,
            title_en=challenge.title_en,
            prize_id=prize.id,
            user_id=entrant.user_id,
            rank=entrant.final_rank,
            points=prize.points,
            perk_id=prize.perk_id,
            badge=prize.badge,
            at=at,
        )
    )


def winners(challenge: Challenge, thanked_only: bool = False) -> tuple[tuple[int, int], ...]:
    """(user id, rank) of everyone awarded a prize (a prize that asks for a public thanks), best
    first."""
    query = (
        select(ChallengeAward.user_id, ChallengeEntrant.final_rank)
        .join(
            ChallengeEntrant,
            (ChallengeEntrant.challenge_id == ChallengeAward.challenge_id)
            & (ChallengeEntrant.user_id == ChallengeAward.user_id),
        )
        .where(ChallengeAward.challenge_id == challenge.id)
        .distinct()
        .order_by(ChallengeEntrant.final_rank)
    )
    if thanked_only:
        query = query.join(ChallengePrize, ChallengePrize.id == ChallengeAward.prize_id).where(
            ChallengePrize.thanks.is_(True)
        )
    rows = db.session.execute(query).all()
    return tuple((int(user_id), int(rank or 0)) for user_id, rank in rows)
