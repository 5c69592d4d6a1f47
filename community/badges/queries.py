"""Reading levels and badges: a person's level and progress, their badges, and both in batch for
leaderboard rows (a fixed number of queries however many rows)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from flask import abort
from sqlalchemy import select

from community.accounts.models import User
from community.badges import registry
from community.badges.models import (
    DEFAULT_GOLD_THRESHOLDS,
    BadgeSettings,
    Level,
    UserBadge,
    held_now,
)
from community.core import viewer
from community.extensions import db
from community.points import queries as points_queries


@dataclass(frozen=True)
class LevelProgress:
    """Where a person stands: their level, the next one and how far they are along the way."""

    score: int
    level: Level | None
    next_level: Level | None
    points_to_next: int
    percent: int  # 0–100; 100 at the top level


def levels() -> list[Level]:
    """Every level, lowest threshold first."""
    return list(db.session.scalars(select(Level).order_by(Level.threshold)))


def _progress(score: int, ordered: list[Level]) -> LevelProgress:
    thresholds = [level.threshold for level in ordered]
    index = bisect_right(thresholds, score) - 1
    level = ordered[index] if index >= 0 else None
    following = ordered[index + 1] if index + 1 < len(ordered) else None
    if following is None:
        return LevelProgress(score, level, None, 0, 100)
    start = level.threshold if level else 0
    span = max(following.threshold - start, 1)
    done = min(max(score - start, 0), span)
    return LevelProgress(score, level, following, following.threshold - score, done * 100 // span)


def level_progress(user: User | int) -> LevelProgress:
    """`user`'s level on their lifetime score (earned + adjustments) and progress to the next."""
    return _progress(points_queries.score(user), levels())


def levels_from_scores(scores: dict[int, int]) -> dict[int, LevelProgress]:
    """Level progress of people whose lifetime scores are already known: one query (levels)."""
    if not scores:
        return {}
    ordered = levels()
    return {user_id: _progress(score, ordered) for user_id, score in scores.items()}


# Badges ------------------------------------------------------------------------------------


def gold_thresholds() -> dict[str, int]:
    """Hires in the last 12 months each gold-referrer tier needs (HR's, or the defaults)."""
    settings = db.session.scalars(select(BadgeSettings).order_by(BadgeSettings.id)).first()
    return settings.thresholds() if settings else dict(DEFAULT_GOLD_THRESHOLDS)


def badges_of(user: User | int, *, folded: bool = True) -> list[UserBadge]:
    """Every badge a person holds, newest first. `folded`: a badge earned on several occasions
    (each challenge won) is listed once, as its newest award, its `times` saying how many."""
    user_id = user if isinstance(user, int) else user.id
    awards = list(
        db.session.scalars(
            select(UserBadge)
            .where(
                UserBadge.user_id == user_id,
                UserBadge.badge_key.in_(registry.BY_KEY),
                held_now,
            )
            .order_by(UserBadge.earned_at.desc(), UserBadge.id.desc())
        )
    )
    return _folded(awards) if folded else awards


def _folded(awards: list[UserBadge]) -> list[UserBadge]:
    listed: list[UserBadge] = []
    newest: dict[str, UserBadge] = {}
    for award in awards:
        award.times = 1
        badge = registry.get(award.badge_key)
        if badge is not None and badge.per_occasion:
            kept = newest.get(award.badge_key)
            if kept is not None:
                kept.times += 1
                continue
            newest[award.badge_key] = award
        listed.append(award)
    return listed


def newest_badges(user: User | int, limit: int = 3) -> list[UserBadge]:
    """A person's most recently earned badges (for the dashboard)."""
    return badges_of(user)[:limit]


def held(user_id: int) -> set[tuple[str, str]]:
    """(badge_key, tier) pairs `user_id` was ever awarded, revoked ones too: the rules never
    award a revoked badge again (HR's decision stands until HR grants it anew)."""
    rows = db.session.execute(
        select(UserBadge.badge_key, UserBadge.tier).where(UserBadge.user_id == user_id)
    )
    return {(key, tier) for key, tier in rows}


def _top_rank(award: UserBadge) -> tuple[int, float, int]:
    gold = (
        registry.GOLD_TIERS.index(award.tier) + 1
        if award.badge_key == registry.GOLD_REFERRER and award.tier in registry.GOLD_TIERS
        else 0
    )
    return (gold, award.earned_at.timestamp(), award.id)


def top_badges(user_ids: Iterable[int]) -> dict[int, UserBadge]:
    """Each person's top badge in one query: the highest gold-referrer tier, else the newest."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    best: dict[int, UserBadge] = {}
    for award in db.session.scalars(
        select(UserBadge).where(
            UserBadge.user_id.in_(ids), UserBadge.badge_key.in_(registry.BY_KEY), held_now
        )
    ):
        current = best.get(award.user_id)
        if current is None or _top_rank(award) > _top_rank(current):
            best[award.user_id] = award
    return best


viewer.register_count("new_badges", UserBadge.user_id, UserBadge.announced_at.is_(None), held_now)


def unannounced(user: User | int) -> list[UserBadge]:
    """Badges the person has not been shown a toast for yet, oldest first."""
    user_id = user if isinstance(user, int) else user.id
    return list(
        db.session.scalars(
            select(UserBadge)
            .where(UserBadge.user_id == user_id, UserBadge.announced_at.is_(None), held_now)
            .order_by(UserBadge.id)
        )
    )


def get_person(user_id: int, viewer: User) -> User:
    """The person behind a profile, or 404: a deactivated account is gone for all but HR."""
    person = db.session.get(User, user_id)
    if person is None or (not person.is_active_account and not viewer.is_hr):
        abort(404)
    return person


def award_of(user_id: int, award_id: int) -> UserBadge:
    """`user_id`'s badge award `award_id`, revoked or not, or 404 (another person's: 404 too)."""
    award = db.session.get(UserBadge, award_id)
    if award is None or award.user_id != user_id:
        abort(404)
    return award
