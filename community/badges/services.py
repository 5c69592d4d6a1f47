"""Every write for levels and badges.

Badges are awarded inside the transaction of the referral event that earns them
(`evaluate_referral_event`, run by `badges.listeners` on the referral events), once per (person,
badge, tier): the award is checked first, then an insert that skips on the unique constraint
leaves a concurrent duplicate out, so the event itself still commits. All awards — rules and
HR's grants — go through `award_badge`, which publishes `events.BadgeGranted` (points, thanks
and notifications listen).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, select, update

from community import events
from community.accounts.models import User
from community.badges import queries, registry
from community.badges.models import BadgeSettings, Level, UserBadge
from community.core.errors import FORBIDDEN, DomainError
from community.core.permissions import is_hr
from community.core.time import utcnow
from community.core.transaction import insert_once
from community.extensions import db
from community.pipeline import Stage
from community.referrals.models import Referral, ReferralEvent

logger = logging.getLogger(__name__)

MAX_REASON_CHARS = 500
MAX_LEVEL_NAME_CHARS = 60
MAX_THRESHOLD = 10_000_000
MAX_LEVELS = 30
MAX_GOLD_HIRES = 1000


class BadgesError(DomainError):
    """A badge or level change refused; `message` is already in the person's language."""


class BadgesNotAllowed(BadgesError):
    status = FORBIDDEN


def award_badge(
    user_id: int,
    badge: registry.Badge,
    tier: str = "",
    *,
    at: datetime | None = None,
    referral: Referral | None = None,
    granted_by: User | None = None,
    reason: str | None = None,
) -> UserBadge | None:
    """Give `user_id` the `badge` (its `tier`) in the caller's transaction; None when they hold it.

    The one place an award is written — rules, HR's grants and every gold-referrer tier — and
    the one publisher of `events.BadgeGranted` (its listeners add the badge's points, the public
    thanks and the notification). A concurrent duplicate meets the unique constraint and returns
    None; the caller's transaction goes on.
    """
    exists = db.session.scalar(
        select(UserBadge.id).where(
            UserBadge.user_id == user_id, UserBadge.badge_key == badge.key, UserBadge.tier == tier
        )
    )
    if exists is not None:
        return None
    moment = at or utcnow()
    values = {
        "user_id": user_id,
        "badge_key": badge.key,
        "tier": tier,
        "earned_at": moment,
        "referral_id": referral.id if referral else None,
        "granted_by_id": granted_by.id if granted_by else None,
        "reason": reason,
    }
    award_id = insert_once(UserBadge, values, ["user_id", "badge_key", "tier"])
    if award_id is None:
        logger.info("badge %s/%s for user %s was awarded concurrently", badge.key, tier, user_id)
        return None
    award = db.session.get(UserBadge, award_id)
    events.publish(
        events.BadgeGranted(
            award_id=award_id,
            user_id=user_id,
            badge_key=badge.key,
            tier=tier,
            points=badge.points_for(tier),
            granted_by_id=granted_by.id if granted_by else None,
            referral_id=referral.id if referral else None,
            at=moment,
        )
    )
    logger.info("badge %s/%s awarded to user %s", badge.key, tier or "-", user_id)
    return award


# Set while demo data is written backdated: badges are awarded afterwards by `replay_history`.
_deferred: ContextVar[bool] = ContextVar("badges_deferred", default=False)


@contextmanager
def deferred() -> Iterator[None]:
    """Hold badge evaluation back (demo data writes history out of order; replay it after)."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


def evaluate_referral_event(
    referral: Referral, stage: Stage, at: datetime | None = None
) -> list[UserBadge]:
    """Award the referrer every badge `referral` reaching `stage` earns them (submission counts as
    reaching SUBMITTED). Runs inside the event's transaction; the caller commits."""
    if _deferred.get():
        return []
    stage = Stage(stage)
    candidates = [badge for badge in registry.BADGES if stage in badge.triggers]
    if not candidates:
        return []
    user_id = referral.referrer_id
    held = queries.held(user_id)
    facts = registry.Facts(
        user_id=user_id,
        referral=referral,
        stage=stage,
        at=at or utcnow(),
        gold_thresholds=queries.gold_thresholds(),
    )
    awarded: list[UserBadge] = []
    for badge in candidates:
        if all((badge.key, tier) in held for tier in badge.tier_keys):
            continue
        for tier in badge.rule(facts):
            if (badge.key, tier) in held:
                continue
            award = award_badge(user_id, badge, tier, at=facts.at, referral=referral)
            if award is not None:
                awarded.append(award)
    return awarded


def replay_history(announced_before: datetime | None = None) -> int:
    """Evaluate every referral event ever recorded, oldest first, as if each had just happened
    (for demo data written with `deferred()`). Awards already held are skipped, so it is safe to
    run again. Awards dated before `announced_before` count as announced (no toast). Commits."""
    events = db.session.execute(
        select(ReferralEvent.referral_id, ReferralEvent.to_stage, ReferralEvent.created_at)
        .where(ReferralEvent.to_stage.is_not(None))
        .order_by(ReferralEvent.created_at, ReferralEvent.id)
    ).all()
    awarded = 0
    for referral_id, stage, moment in events:
        referral = db.session.get(Referral, referral_id)
        if referral is None:
            continue
        for award in evaluate_referral_event(referral, stage, at=moment):
            awarded += 1
            if announced_before is not None and award.earned_at < announced_before:
                award.announced_at = award.earned_at
    db.session.commit()
    return awarded


def _clean_reason(reason: str | None, *, revoking: bool = False) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise BadgesError(
            _("Please give a reason for revoking the badge.")
            if revoking
            else _("Please give a reason for granting the badge."),
            field="reason",
        )
    if len(reason) > MAX_REASON_CHARS:
        raise BadgesError(
            ngettext(
                "The reason is too long (at most %(num)s character).",
                "The reason is too long (at most %(num)s characters).",
                MAX_REASON_CHARS,
            ),
            field="reason",
        )
    return reason


def grant_badge(
    actor: User, user: User, badge_key: str | None, reason: str | None, tier: str | None = ""
) -> UserBadge:
    """HR grants `user` a badge (or a tier of it) by hand. The reason is required and stays on the
    award, with who granted it and when, for the person and for audit. Commits."""
    if not is_hr(actor):
        raise BadgesNotAllowed(_("Only HR can grant badges."))
    badge = registry.get(badge_key or "")
    if badge is None:
        raise BadgesError(_("Please choose a badge."), field="badge")
    if badge.per_occasion:
        raise BadgesError(
            _(
                "%(badge)s is earned on its occasion and cannot be granted by hand.",
                badge=badge.name,
            ),
            field="badge",
        )
    tier = tier or ""
    if tier not in badge.tier_keys:
        raise BadgesError(
            _("Please choose a tier of this badge.")
            if badge.tiers
            else _("This badge has no tiers."),
            field="tier",
        )
    reason = _clean_reason(reason)
    if not user.is_active_account:
        raise BadgesError(_("This person's account is deactivated."))
    award = award_badge(user.id, badge, tier, granted_by=actor, reason=reason)
    if award is None:
        db.session.rollback()
        if _revoked(user.id, badge.key, tier):
            raise BadgesError(
                _(
                    "This badge was revoked from %(name)s and cannot be granted again.",
                    name=user.shown_name,
                ),
                field="badge",
            )
        raise BadgesError(
            _("%(name)s already has this badge.", name=user.shown_name), field="badge"
        )
    db.session.commit()
    logger.info("badge %s/%s granted to user %s by user %s", badge.key, tier, user.id, actor.id)
    return award


def _revoked(user_id: int, badge_key: str, tier: str) -> bool:
    return (
        db.session.scalar(
            select(UserBadge.id).where(
                UserBadge.user_id == user_id,
                UserBadge.badge_key == badge_key,
                UserBadge.tier == tier,
                UserBadge.revoked_at.is_not(None),
            )
        )
        is not None
    )


def revoke_badge(actor: User, award: UserBadge, reason: str | None) -> UserBadge:
    """HR takes a badge back from its holder, for a reason the person is told. Commits.

    The award row stays with who revoked it, when and why (the audit; and the rules never award
    it again). The badge leaves the profile, the gallery, the boards and the toasts. The points
    it gave stay: they were earned by what the badge recognised, and a correction of points is
    HR's separate, explicit adjustment. Publishes `events.BadgeRevoked` (credentials exported for
    it are revoked; the person is notified)."""
    if not is_hr(actor):
        raise BadgesNotAllowed(_("Only HR can revoke badges."))
    if award.revoked_at is not None:
        raise BadgesError(_("This badge was already revoked."))
    reason = _clean_reason(reason, revoking=True)
    moment = utcnow()
    # Only the first of two concurrent revocations changes the row (and publishes).
    changed = db.session.execute(
        update(UserBadge)
        .where(UserBadge.id == award.id, UserBadge.revoked_at.is_(None))
        .values(revoked_at=moment, revoked_by_id=actor.id, revoke_reason=reason)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        db.session.rollback()
        raise BadgesError(_("This badge was already revoked."))
    db.session.refresh(award)
    events.publish(
        events.BadgeRevoked(
            award_id=award.id,
            user_id=award.user_id,
            badge_key=award.badge_key,
            tier=award.tier,
            revoked_by_id=actor.id,
            reason=reason,
            at=moment,
        )
    )
    db.session.commit()
    logger.info("badge award %s revoked by user %s", award.id, actor.id)
    return award


def mark_announced(award_ids: list[int]) -> None:
    """Record that the person has seen the toast for these awards. Commits."""
    if not award_ids:
        return
    db.session.execute(
        update(UserBadge)
        .where(UserBadge.id.in_(award_ids), UserBadge.announced_at.is_(None))
        .values(announced_at=utcnow())
    )
    db.session.commit()


# Levels and thresholds (HR) ----------------------------------------------------------------


@dataclass(frozen=True)
class LevelRow:
    """One row of the levels form as typed."""

    threshold: int | None
    name_en: str | None
    name_zh: str | None


def _check_levels(rows: list[LevelRow]) -> list[LevelRow]:
    cleaned: list[LevelRow] = []
    for row in rows:
        name_en = " ".join((row.name_en or "").split())
        name_zh = " ".join((row.name_zh or "").split())
        if row.threshold is None and not name_en and not name_zh:
            continue  # an empty spare row
        if row.threshold is None:
            raise BadgesError(_("Every level needs a points threshold."), field="threshold")
        if isinstance(row.threshold, bool) or not 0 <= row.threshold <= MAX_THRESHOLD:
            raise BadgesError(
                _("Thresholds must be whole numbers from 0 to %(max)s.", max=MAX_THRESHOLD),
                field="threshold",
            )
        if not name_en or not name_zh:
            raise BadgesError(
                _("Every level needs a name in both English and Chinese."), field="name"
            )
        if max(len(name_en), len(name_zh)) > MAX_LEVEL_NAME_CHARS:
            raise BadgesError(
                ngettext(
                    "Level names are at most %(num)s character.",
                    "Level names are at most %(num)s characters.",
                    MAX_LEVEL_NAME_CHARS,
                ),
                field="name",
            )
        cleaned.append(LevelRow(row.threshold, name_en, name_zh))
    if not cleaned:
        raise BadgesError(_("Keep at least one level."), field="threshold")
    if len(cleaned) > MAX_LEVELS:
        raise BadgesError(
            ngettext("At most %(num)s level.", "At most %(num)s levels.", MAX_LEVELS),
            field="threshold",
        )
    thresholds = [row.threshold for row in cleaned]
    if len(set(thresholds)) != len(thresholds):
        raise BadgesError(_("Two levels cannot have the same threshold."), field="threshold")
    if min(t for t in thresholds if t is not None) != 0:
        raise BadgesError(_("The first level must start at 0 points."), field="threshold")
    return sorted(cleaned, key=lambda row: row.threshold or 0)


def save_levels(actor: User, rows: list[LevelRow]) -> list[Level]:
    """HR replaces the levels with `rows` (blank rows ignored): thresholds unique and
    non-negative, the first at 0, names in both languages. Commits; nothing changes on refusal."""
    if not is_hr(actor):
        raise BadgesNotAllowed(_("Only HR can edit levels."))
    cleaned = _check_levels(rows)
    db.session.execute(delete(Level))
    db.session.flush()
    saved = [Level(threshold=r.threshold, name_en=r.name_en, name_zh=r.name_zh) for r in cleaned]
    db.session.add_all(saved)
    db.session.flush()
    events.publish(events.LevelsChanged(actor_id=actor.id, at=utcnow()))
    db.session.commit()
    logger.info("levels saved by user %s: %s", actor.id, [r.threshold for r in cleaned])
    return saved


def save_gold_thresholds(
    actor: User, bronze: int | None, silver: int | None, gold: int | None
) -> BadgeSettings:
    """HR sets how many hires in the last 12 months each gold-referrer tier needs (rising, ≥1).
    New thresholds apply to the next hire; badges already earned stay. Commits."""
    if not is_hr(actor):
        raise BadgesNotAllowed(_("Only HR can change badge thresholds."))
    values = [bronze, silver, gold]
    if any(v is None or isinstance(v, bool) or not 1 <= v <= MAX_GOLD_HIRES for v in values):
        raise BadgesError(
            _("Each tier needs a whole number of hires from 1 to %(max)s.", max=MAX_GOLD_HIRES),
            field="gold",
        )
    if not bronze < silver < gold:  # type: ignore[operator]
        raise BadgesError(
            _("Silver must need more hires than bronze, and gold more than silver."),
            field="gold",
        )
    settings = db.session.scalars(select(BadgeSettings).order_by(BadgeSettings.id)).first()
    if settings is None:
        settings = BadgeSettings()
        db.session.add(settings)
    settings.gold_bronze_hires = bronze  # type: ignore[assignment]
    settings.gold_silver_hires = silver  # type: ignore[assignment]
    settings.gold_gold_hires = gold  # type: ignore[assignment]
    settings.updated_at = utcnow()
    settings.updated_by_id = actor.id
    db.session.commit()
    return settings
