"""Every write to the perk shop: HR's perks (create, edit, activate, deactivate), an employee's
redemption, and HR's approval or rejection of it.

A redemption never overdraws: it locks the employee's row and the perk's row (SELECT … FOR UPDATE;
SQLite serialises writers anyway) before checking balance, stock and the yearly limit, then
decrements the stock, writes the spent ledger entry and the redemption in one transaction. Locks
are always taken in the order user → perk, so two redemptions never deadlock. Refusals are
`PerkError`s whose `message` is in the user's language; nothing is written when one is raised.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from community import events
from community.accounts.models import Role, User
from community.core.errors import CONFLICT, FORBIDDEN, NOT_FOUND, DomainError
from community.core.permissions import is_hr
from community.core.time import utcnow
from community.extensions import db
from community.perks import pictures, queries
from community.perks.models import Perk, PerkCategory, Redemption, RedemptionStatus
from community.points import queries as points_queries
from community.points.models import PointKind
from community.points.services import record_points

logger = logging.getLogger(__name__)

MAX_NAME = 120
MAX_DESCRIPTION = 5000
MAX_REASON = 1000
MAX_COST = 1_000_000
MAX_STOCK = 1_000_000
MAX_LIMIT = 365


class PerkError(DomainError):
    """A perk-shop action refused; `message` is in the user's language."""


class PerkNotAllowed(PerkError):
    status = FORBIDDEN


class PerkNotFound(PerkError):
    """No such perk in the shop (missing or taken out): answered like any missing page."""

    status = NOT_FOUND


class PerkConflict(PerkError):
    """The perk or redemption is not in a state that allows the action."""

    status = CONFLICT


@dataclass
class PerkFields:
    """What HR enters for a perk (already parsed by the form)."""

    name_en: str
    name_zh: str
    description_en: str
    description_zh: str
    cost_points: int
    stock: int | None
    limit_per_year: int | None
    requires_approval: bool
    active: bool
    category: PerkCategory | str = PerkCategory.OTHER


def _require_hr(actor: User) -> None:
    if not is_hr(actor):
        raise PerkNotAllowed(_("Only HR can manage perks and redemptions."))


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_fields(fields: PerkFields) -> PerkFields:
    fields.name_en = " ".join((fields.name_en or "").split())
    fields.name_zh = " ".join((fields.name_zh or "").split())
    fields.description_en = (fields.description_en or "").strip()
    fields.description_zh = (fields.description_zh or "").strip()
    if not fields.name_en:
        raise PerkError(_("Enter the perk's name in English."), field="name_en")
    if not fields.name_zh:
        raise PerkError(_("Enter the perk's name in Chinese."), field="name_zh")
    if len(fields.name_en) > MAX_NAME or len(fields.name_zh) > MAX_NAME:
        raise PerkError(
            ngettext(
                "A name can have at most %(num)s character.",
                "A name can have at most %(num)s characters.",
                MAX_NAME,
            ),
            field="name_en",
        )
    if max(len(fields.description_en), len(fields.description_zh)) > MAX_DESCRIPTION:
        raise PerkError(
            ngettext(
                "A description can have at most %(num)s character.",
                "A description can have at most %(num)s characters.",
                MAX_DESCRIPTION,
            ),
            field="description_en",
        )
    try:
        fields.category = PerkCategory(fields.category)
    except ValueError:
        raise PerkError(_("Choose a kind of perk from the list."), field="category") from None
    if not _whole(fields.cost_points) or not 0 < fields.cost_points <= MAX_COST:
        raise PerkError(
            _("The cost must be a whole number of points from 1 to %(max)s.", max=MAX_COST),
            field="cost_points",
        )
    if fields.stock is not None and (
        not _whole(fields.stock) or not 0 <= fields.stock <= MAX_STOCK
    ):
        raise PerkError(
            _("The stock must be a whole number from 0 to %(max)s, or empty.", max=MAX_STOCK),
            field="stock",
        )
    if fields.limit_per_year is not None and (
        not _whole(fields.limit_per_year) or not 1 <= fields.limit_per_year <= MAX_LIMIT
    ):
        raise PerkError(
            _(
                "The yearly limit must be a whole number from 1 to %(max)s, or empty.",
                max=MAX_LIMIT,
            ),
            field="limit_per_year",
        )
    return fields


def _apply(perk: Perk, fields: PerkFields) -> None:
    for name, value in vars(fields).items():
        setattr(perk, name, value)
    perk.updated_at = utcnow()


def _save_with_picture(perk: Perk, picture: pictures.CheckedPicture | None) -> None:
    """Commit `perk`, storing a new picture first and removing whichever file lost."""
    old = perk.picture_file
    stored = pictures.store_picture(picture) if picture else None
    if stored:
        perk.picture_file = stored
        perk.picture_mimetype = picture.mimetype  # type: ignore[union-attr]
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        pictures.delete_picture(stored)  # no orphan file when the row was not written
        raise
    if stored and old:
        pictures.delete_picture(old)


def create_perk(
    actor: User, fields: PerkFields, picture: pictures.CheckedPicture | None = None
) -> Perk:
    """Add a perk to the shop (HR only). Commits."""
    _require_hr(actor)
    fields = _check_fields(fields)
    perk = Perk()
    _apply(perk, fields)
    db.session.add(perk)
    _save_with_picture(perk, picture)
    logger.info("perk %s created by user %s", perk.id, actor.id)
    return perk


def locked_perk(perk_id: int) -> Perk | None:
    """The perk, its row locked until the transaction ends (None when there is no such perk)."""
    return db.session.scalars(
        select(Perk)
        .where(Perk.id == perk_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()


def update_perk(
    actor: User, perk: Perk, fields: PerkFields, picture: pictures.CheckedPicture | None = None
) -> Perk:
    """Change a perk (HR only). Redemptions already made keep the cost they were made at."""
    _require_hr(actor)
    fields = _check_fields(fields)
    locked = locked_perk(perk.id)
    if locked is None:
        raise PerkConflict(_("This perk no longer exists."))
    _apply(locked, fields)
    _save_with_picture(locked, picture)
    logger.info("perk %s edited by user %s", locked.id, actor.id)
    return locked


def set_active(actor: User, perk: Perk, active: bool) -> Perk:
    """Offer a perk in the shop again, or take it out (HR only). Pending redemptions stay."""
    _require_hr(actor)
    locked = locked_perk(perk.id)
    if locked is None:
        raise PerkConflict(_("This perk no longer exists."))
    locked.active = active
    locked.updated_at = utcnow()
    db.session.commit()
    logger.info(
        "perk %s %s by user %s", locked.id, "activated" if active else "deactivated", actor.id
    )
    return locked


# Redeeming -----------------------------------------------------------------------------------


def _changed(
    redemption: Redemption, status: str, at: datetime, reviewer_ids: tuple[int, ...] = ()
) -> None:
    """Publish what happened to `redemption`: "pending" (waits for HR), "fulfilled" (at once),
    "approved" or "rejected" (HR decided)."""
    perk, person = redemption.perk, redemption.user
    events.publish(
        events.RedemptionChanged(
            redemption_id=redemption.id,
            user_id=redemption.user_id,
            user_name=person.shown_name,
            status=status,
            perk_en=perk.name_en,
            perk_zh=perk.name_zh,
            points=redemption.cost_points,
            at=at,
            reason=redemption.reject_reason,
            reviewer_ids=reviewer_ids,
        )
    )


def hr_ids() -> tuple[int, ...]:
    """Who decides redemptions: every active HR person."""
    return tuple(
        db.session.scalars(
            select(User.id).where(User.role == Role.HR, User.is_active_account.is_(True))
        )
    )


def redeem(user: User, perk_id: int, *, at: datetime | None = None) -> Redemption:
    """Spend `user`'s points on a perk. Refuses (and writes nothing) when the perk is not offered,
    out of stock, over the person's yearly limit, or the balance does not cover it. A perk that
    needs approval waits for HR (who is told); otherwise it is fulfilled at once. Commits."""
    now = at or utcnow()
    try:
        # Lock order user → perk: concurrent redemptions of one person (any perk) and of one
        # perk (anyone) queue up here, so the checks below see every committed redemption.
        locked_user = db.session.scalars(
            select(User)
            .where(User.id == user.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).first()
        perk = locked_perk(perk_id)
        if locked_user is None or not locked_user.is_active_account:
            raise PerkNotAllowed(_("Your account cannot redeem perks."))
        if perk is None or not perk.active:
            raise PerkNotFound(_("This perk is not offered any more."))
        if not perk.in_stock:
            raise PerkConflict(_("Sorry, %(perk)s is out of stock.", perk=perk.name))
        if perk.limit_per_year is not None:
            used = queries.redeemed_this_year(locked_user.id, [perk.id], now).get(perk.id, 0)
            if used >= perk.limit_per_year:
                raise PerkConflict(
                    ngettext(
                        "You have reached the limit for %(perk)s: %(num)d per person per year.",
                        "You have reached the limit for %(perk)s: %(num)d per person per year.",
                        perk.limit_per_year,
                        perk=perk.name,
                    )
                )
        balance = points_queries.balance(locked_user.id)
        if balance < perk.cost_points:
            raise PerkError(
                ngettext(
                    "You need %(num)d more point for %(perk)s.",
                    "You need %(num)d more points for %(perk)s.",
                    perk.cost_points - balance,
                    perk=perk.name,
                )
            )
        if perk.stock is not None:
            perk.stock -= 1
        redemption = Redemption(
            perk_id=perk.id,
            user_id=locked_user.id,
            cost_points=perk.cost_points,
            status=RedemptionStatus.PENDING,
            created_at=now,
        )
        db.session.add(redemption)
        db.session.flush()
        entry = record_points(
            locked_user,
            -perk.cost_points,
            PointKind.SPENT,
            idempotency_key=f"redemption:{redemption.id}:spent",
            at=now,
        )
        redemption.spent_entry_id = entry.id
        if perk.requires_approval:
            _changed(redemption, "pending", now, reviewer_ids=hr_ids())
        else:
            redemption.status = RedemptionStatus.FULFILLED
            redemption.decided_at = now
            _changed(redemption, "fulfilled", now)
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    logger.info(
        "user %s redeemed perk %s for %s points (redemption %s, %s)",
        user.id,
        perk_id,
        redemption.cost_points,
        redemption.id,
        redemption.status.value,
    )
    return redemption


# HR's decisions ------------------------------------------------------------------------------


def _locked_redemption(redemption_id: int) -> Redemption:
    redemption = db.session.scalars(
        select(Redemption)
        .where(Redemption.id == redemption_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if redemption is None:
        raise PerkConflict(_("This redemption no longer exists."))
    if redemption.status != RedemptionStatus.PENDING:
        decider = redemption.decided_by
        if decider is None:  # fulfilled at once: nobody decided
            raise PerkConflict(_("This redemption was already decided."))
        raise PerkConflict(
            _("This redemption was already decided by %(name)s.", name=decider.shown_name)
        )
    return redemption


def _take_stock_for_owed_prize(voucher: Redemption) -> None:
    """A prize voucher HR hands over late (`perks.vouchers`) takes one from stock now, even from
    a perk no longer in the shop; refused while there is none."""
    perk = locked_perk(voucher.perk_id)
    if perk is None or perk.stock is None:
        return
    if perk.stock <= 0:
        raise PerkConflict(
            _(
                "%(perk)s is out of stock: add stock to the perk before handing over this prize, "
                "or reject it with a note to the winner.",
                perk=perk.name,
            )
        )
    perk.stock -= 1


def approve_redemption(
    actor: User, redemption_id: int, *, at: datetime | None = None
) -> Redemption:
    """Fulfil a pending redemption (HR only) and tell the employee. Commits. An owed prize
    voucher takes its one from stock now (`perks.vouchers`)."""
    _require_hr(actor)
    try:
        redemption = _locked_redemption(redemption_id)
        if redemption.is_prize:  # an owed prize: it takes its one from stock only now
            _take_stock_for_owed_prize(redemption)
        redemption.status = RedemptionStatus.FULFILLED
        redemption.decided_at = at or utcnow()
        redemption.decided_by_id = actor.id
        _changed(redemption, "approved", redemption.decided_at)
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    logger.info("redemption %s approved by user %s", redemption.id, actor.id)
    return redemption


def reject_redemption(
    actor: User, redemption_id: int, reason: str | None, *, at: datetime | None = None
) -> Redemption:
    """Reject a pending redemption with a reason the employee sees (HR only): the points come back
    as a refunded ledger entry and the stock is restored (an owed prize voucher cost nothing and
    held no stock: only the reason is kept). Commits."""
    _require_hr(actor)
    reason = " ".join((reason or "").split())
    if not reason:
        raise PerkError(_("Please give a reason for rejecting this redemption."), field="reason")
    if len(reason) > MAX_REASON:
        raise PerkError(
            ngettext(
                "The reason can have at most %(num)s character.",
                "The reason can have at most %(num)s characters.",
                MAX_REASON,
            ),
            field="reason",
        )
    now = at or utcnow()
    try:
        redemption = _locked_redemption(redemption_id)
        perk = locked_perk(redemption.perk_id)
        redemption.status = RedemptionStatus.REJECTED
        redemption.decided_at = now
        redemption.decided_by_id = actor.id
        redemption.reject_reason = reason
        if not redemption.is_prize:  # an owed prize holds no stock and cost no points
            if perk is not None and perk.stock is not None:
                perk.stock += 1
            entry = record_points(
                redemption.user_id,
                redemption.cost_points,
                PointKind.REFUNDED,
                idempotency_key=f"redemption:{redemption.id}:refund",
                actor=actor,
                reason=reason,
                at=now,
            )
            redemption.refund_entry_id = entry.id
        _changed(redemption, "rejected", now)
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    logger.info("redemption %s rejected by user %s: %s", redemption.id, actor.id, reason)
    return redemption
