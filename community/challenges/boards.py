"""The `challenge:<id>` boards: a kind of board the challenges room adds to the leaderboards.

What an entry counts on a challenge's board is its `ChallengeCredit` (written with the entry),
so the projection writes it in the same script as the company and department boards, and a
rebuild or verify sums the credits per challenge and person. A disqualified person sits on the
board's hidden side: they still see where they would stand; nobody else sees them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, String, and_, cast, func, literal, select
from sqlalchemy.orm import Session

from community.challenges.models import ChallengeCredit, ChallengeEntrant
from community.leaderboards.kinds import BoardKind, Credit
from community.leaderboards.periods import Period
from community.points.models import PointEntry

KIND = "challenge"


def _credits(session: Session, entries: list[PointEntry]) -> dict[int, list[Credit]]:
    ids = [entry.id for entry in entries if entry.referral_id is not None]
    if not ids:
        return {}
    rows = session.execute(
        select(
            ChallengeCredit.entry_id,
            ChallengeCredit.challenge_id,
            ChallengeCredit.units,
            ChallengeEntrant.disqualified_at.is_not(None),
        )
        .join(
            ChallengeEntrant,
            and_(
                ChallengeEntrant.challenge_id == ChallengeCredit.challenge_id,
                ChallengeEntrant.user_id == ChallengeCredit.user_id,
            ),
        )
        .where(ChallengeCredit.entry_id.in_(ids), ChallengeCredit.units != 0)
    )
    found: dict[int, list[Credit]] = {}
    for entry_id, challenge_id, units, aside in rows:
        found.setdefault(entry_id, []).append(
            Credit(f"{KIND}:{challenge_id}", int(units), bool(aside))
        )
    return found


def _grouped(last_id: int, period: Period) -> Select[Any]:
    scope = literal(f"{KIND}:", String).concat(cast(ChallengeCredit.challenge_id, String))
    aside = ChallengeEntrant.disqualified_at.is_not(None)
    return (
        select(
            scope,
            ChallengeCredit.user_id,
            func.sum(ChallengeCredit.units),
            func.max(ChallengeCredit.created_at),
            aside,
        )
        .join(
            ChallengeEntrant,
            and_(
                ChallengeEntrant.challenge_id == ChallengeCredit.challenge_id,
                ChallengeEntrant.user_id == ChallengeCredit.user_id,
            ),
        )
        .where(ChallengeCredit.entry_id <= last_id, ChallengeCredit.units != 0)
        .group_by(ChallengeCredit.challenge_id, ChallengeCredit.user_id, aside)
    )


def _aside(session: Session, user_id: int) -> set[str]:
    """The challenges that disqualified the person (their boards keep them on the hidden side)."""
    ids = session.scalars(
        select(ChallengeEntrant.challenge_id).where(
            ChallengeEntrant.user_id == user_id, ChallengeEntrant.disqualified_at.is_not(None)
        )
    )
    return {f"{KIND}:{challenge_id}" for challenge_id in ids}


CHALLENGE_BOARDS = BoardKind(KIND, credits=_credits, grouped=_grouped, aside=_aside)
