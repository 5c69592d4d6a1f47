"""Reads for the challenge pages: which challenge a person may see, the list's sections with
their ranks and podiums, a challenge's prizes and awards in words, and its change log as the
reader may see it. Nothing here writes. The boards themselves (live from Redis, final from SQL)
are in `standings`, the rules in words in `explain`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import or_, select

from community.accounts.models import User
from community.challenges import labels
from community.challenges.changes import describe
from community.challenges.models import (
    Challenge,
    ChallengeAward,
    ChallengeChange,
    ChallengeEntrant,
    ChallengePrize,
    ChallengeStatus,
    ChangeKind,
    PrizeKind,
)
from community.challenges.permissions import UNPUBLISHED, can_view
from community.core.permissions import is_hr
from community.extensions import db
from community.leaderboards import reads
from community.perks.models import Perk

PAST_PAGE_SIZE = 10
CANCELLED_SHOWN = 10


def visible(user: User, challenge_id: int) -> Challenge | None:
    """The challenge if `user` may see it; None for a missing one and one they may not see
    alike (the page answers both with the same 404)."""
    challenge = db.session.get(Challenge, challenge_id)
    return challenge if challenge is not None and can_view(user, challenge) else None


# The list -------------------------------------------------------------------------------------


@dataclass
class ChallengeLists:
    """The sections of the list page, each in the order a reader wants it."""

    running: list[Challenge]  # live, and ended ones still settling
    upcoming: list[Challenge]
    past: Pagination
    unpublished: list[Challenge]  # drafts and those awaiting approval (host and HR only)
    cancelled: list[Challenge]
    my_ranks: dict[int, int] = field(default_factory=dict)
    podiums: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # (rank, user id)


def _of_status(*statuses: ChallengeStatus) -> Any:
    return select(Challenge).where(Challenge.status.in_(statuses))


def challenge_lists(user: User, past_page: int = 1) -> ChallengeLists:
    """Every challenge `user` may see, by section; their rank in each they compete in."""
    running = list(
        db.session.scalars(
            _of_status(ChallengeStatus.LIVE, ChallengeStatus.SETTLING).order_by(
                Challenge.status, Challenge.ends_at, Challenge.id
            )
        )
    )
    upcoming = list(
        db.session.scalars(
            _of_status(ChallengeStatus.SCHEDULED).order_by(Challenge.starts_at, Challenge.id)
        )
    )
    past = db.paginate(
        _of_status(ChallengeStatus.FINAL).order_by(
            Challenge.finalized_at.desc(), Challenge.id.desc()
        ),
        page=past_page,
        per_page=PAST_PAGE_SIZE,
        error_out=False,
    )
    unpublished_query = _of_status(*UNPUBLISHED)
    cancelled_query = _of_status(ChallengeStatus.CANCELLED)
    if not is_hr(user):
        unpublished_query = unpublished_query.where(Challenge.host_id == user.id)
        cancelled_query = cancelled_query.where(
            or_(Challenge.approved_at.is_not(None), Challenge.host_id == user.id)
        )
    unpublished = list(
        db.session.scalars(unpublished_query.order_by(Challenge.starts_at, Challenge.id))
    )
    cancelled = list(
        db.session.scalars(
            cancelled_query.order_by(Challenge.cancelled_at.desc(), Challenge.id.desc()).limit(
                CANCELLED_SHOWN
            )
        )
    )
    finals = list(past.items)
    return ChallengeLists(
        running=running,
        upcoming=upcoming,
        past=past,
        unpublished=unpublished,
        cancelled=cancelled,
        my_ranks=my_ranks(user, running, finals),
        podiums=podiums([challenge.id for challenge in finals]),
    )


def my_ranks(user: User, running: list[Challenge], finals: list[Challenge]) -> dict[int, int]:
    """challenge id → the person's rank: live from the board (nothing when it is away), final
    from the frozen standings."""
    ranks: dict[int, int] = {}
    for challenge in running:
        found = reads.rank_of(user.id, challenge.scope, "all")
        if isinstance(found, reads.Ranked):
            ranks[challenge.id] = found.rank
    if finals:
        rows = db.session.execute(
            select(ChallengeEntrant.challenge_id, ChallengeEntrant.final_rank).where(
                ChallengeEntrant.challenge_id.in_([c.id for c in finals]),
                ChallengeEntrant.user_id == user.id,
                ChallengeEntrant.final_rank.is_not(None),
            )
        )
        ranks.update({int(challenge_id): int(rank) for challenge_id, rank in rows})
    return ranks


def podiums(challenge_ids: list[int], places: int = 3) -> dict[int, list[tuple[int, int]]]:
    """The first `places` of each final challenge: challenge id → [(rank, user id)]."""
    found: dict[int, list[tuple[int, int]]] = {}
    if not challenge_ids:
        return found
    rows = db.session.execute(
        select(ChallengeEntrant.challenge_id, ChallengeEntrant.final_rank, ChallengeEntrant.user_id)
        .where(
            ChallengeEntrant.challenge_id.in_(challenge_ids),
            ChallengeEntrant.final_rank.is_not(None),
            ChallengeEntrant.final_rank <= places,
        )
        .order_by(ChallengeEntrant.challenge_id, ChallengeEntrant.final_rank)
    )
    for challenge_id, rank, user_id in rows:
        found.setdefault(int(challenge_id), []).append((int(rank), int(user_id)))
    return found


def entrant_of(challenge: Challenge, user_id: int) -> ChallengeEntrant | None:
    return db.session.scalars(
        select(ChallengeEntrant).where(
            ChallengeEntrant.challenge_id == challenge.id, ChallengeEntrant.user_id == user_id
        )
    ).first()


# Prizes and awards in words ----------------------------------------------------------


@dataclass(frozen=True)
class PrizeRow:
    """A prize tier in words: who wins it, what it gives (icon, words), and whether the host
    added it after the start."""

    id: int
    tier: str
    gifts: list[tuple[str, str]]
    added_after_start: bool
    threshold: int | None


def prize_rows(challenge: Challenge) -> list[PrizeRow]:
    """The tiers, ranks first (best first), then thresholds (lowest first)."""
    prizes = sorted(
        challenge.prizes,
        key=lambda p: (p.threshold is not None, p.rank_from or 0, p.threshold or 0, p.id),
    )
    perks = _perk_names([p.perk_id for p in prizes if p.perk_id])
    return [
        PrizeRow(
            id=prize.id,
            tier=labels.tier_label(prize, challenge.metric),
            gifts=labels.prize_gifts(prize, perks.get(prize.perk_id or 0)),
            added_after_start=prize.added_after_start,
            threshold=prize.threshold,
        )
        for prize in prizes
    ]


def _perk_names(perk_ids: list[int]) -> dict[int, str]:
    if not perk_ids:
        return {}
    return {p.id: p.name for p in db.session.scalars(select(Perk).where(Perk.id.in_(perk_ids)))}


@dataclass(frozen=True)
class AwardRow:
    """A prize tier and whom it went to: [(rank or None, user id)], best first."""

    prize: PrizeRow
    winners: list[tuple[int | None, int]]


def award_rows(challenge: Challenge, prizes: list[PrizeRow]) -> list[AwardRow]:
    """What a final challenge awarded, tier by tier (tiers nobody won are left out)."""
    rows = db.session.execute(
        select(ChallengeAward.prize_id, ChallengeAward.rank, ChallengeAward.user_id)
        .where(ChallengeAward.challenge_id == challenge.id)
        .order_by(ChallengeAward.rank, ChallengeAward.user_id)
    )
    by_prize: dict[int, list[tuple[int | None, int]]] = {}
    for prize_id, rank, user_id in rows:
        by_prize.setdefault(int(prize_id), []).append((rank, int(user_id)))
    return [AwardRow(prize, by_prize[prize.id]) for prize in prizes if prize.id in by_prize]


# The change log -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeLine:
    at: datetime
    icon: str
    text: str
    detail: str = ""  # a reason, shown under the line


_ICONS = {
    ChangeKind.CREATED: "bi-pencil-square",
    ChangeKind.EDITED: "bi-pencil",
    ChangeKind.SUBMITTED: "bi-send",
    ChangeKind.APPROVED: "bi-check2-circle",
    ChangeKind.SCHEDULED: "bi-calendar-check",
    ChangeKind.LIVE: "bi-play-circle",
    ChangeKind.EXTENDED: "bi-calendar-plus",
    ChangeKind.PRIZE_ADDED: "bi-gift",
    ChangeKind.PRIZE_REMOVED: "bi-x-circle",
    ChangeKind.ENDED: "bi-stop-circle",
    ChangeKind.FINAL: "bi-flag",
    ChangeKind.CANCELLED: "bi-x-circle",
    ChangeKind.DISQUALIFIED: "bi-slash-circle",
    ChangeKind.REINSTATED: "bi-arrow-counterclockwise",
}


def _kept_tier(detail: dict[str, Any]) -> ChallengePrize:
    return ChallengePrize(
        kind=PrizeKind(detail["tier_kind"]),
        rank_from=detail.get("rank_from"),
        rank_to=detail.get("rank_to"),
        threshold=detail.get("threshold"),
    )


def change_lines(challenge: Challenge, viewer: User, prizes: list[PrizeRow]) -> list[ChangeLine]:
    """Every change, newest first, in words for `viewer`: a disqualification names the person
    and its reason only for HR and that person."""
    changes = list(
        db.session.scalars(
            select(ChallengeChange)
            .where(ChallengeChange.challenge_id == challenge.id)
            .order_by(ChallengeChange.at.desc(), ChallengeChange.id.desc())
        )
    )
    ids = {c.actor_id for c in changes if c.actor_id} | {
        int(c.detail["user_id"]) for c in changes if (c.detail or {}).get("user_id")
    }
    names = {
        u.id: u.shown_name for u in db.session.scalars(select(User).where(User.id.in_(ids or {-1})))
    }
    by_id = {prize.id: prize.tier for prize in prizes}
    tiers = {  # a tier named by what the log kept of it, else by the prize still there
        change.id: labels.tier_label(_kept_tier(change.detail), challenge.metric)
        if "tier_kind" in (change.detail or {})
        else by_id.get(int((change.detail or {}).get("prize_id") or 0), "")
        for change in changes
        if change.kind in (ChangeKind.PRIZE_ADDED, ChangeKind.PRIZE_REMOVED)
    }
    return [
        ChangeLine(
            change.at, _ICONS.get(change.kind, "bi-dot"), *describe(change, viewer, names, tiers)
        )
        for change in changes
    ]
