"""Perk vouchers won as challenge prizes: when a challenge awards a prize that names a perk
(`events.ChallengePrizeAwarded`), the winner gets that perk as a redemption costing 0 points.

What a real HR team wants, and so what happens:
- The prize was promised in public when the challenge was set up (HR approved it with its
  prizes), so the voucher needs no second approval: a perk that is offered and in stock is
  handed over at once ("fulfilled", whether or not the perk asks for HR's approval in the shop)
  and takes one from stock like any redemption. The winner sees it under "My redemptions" as a
  prize of the challenge.
- A perk that ran out of stock, or that HR took out of the shop, between setting up the challenge
  and awarding it never fails the award (the points, the badge and the other winners' prizes
  stand): the voucher is written as owed ("pending", with why in `owed_reason`), HR is told and
  finds it in the redemptions queue. HR approves it when they hand it over (then it takes one
  from stock: restock the perk first), or rejects it with a note to the winner (nothing to
  refund). A pending voucher never holds stock, so rejecting one gives none back.
- A voucher does not count against the perk's yearly limit: that caps what points buy.
- Once per award: `challenge_award_id` is unique, and the perk's row is locked before the check,
  so the same award published twice, even at once, issues one voucher.
"""

from __future__ import annotations

import logging

from sqlalchemy import select

from community import events
from community.accounts.models import User
from community.extensions import db
from community.perks.models import OwedReason, Perk, Redemption, RedemptionStatus
from community.perks.services import hr_ids, locked_perk

logger = logging.getLogger(__name__)

MAX_TITLE = 120  # the columns' size: a longer challenge title is cut, never refused


def _cut(title: str | None) -> str | None:
    if not title:
        return None
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…"


def voucher_for(award_id: int) -> Redemption | None:
    """The voucher issued for the challenge room's award `award_id`, if any."""
    return db.session.scalars(
        select(Redemption).where(Redemption.challenge_award_id == award_id)
    ).first()


def issue_voucher(event: events.ChallengePrizeAwarded) -> Redemption | None:
    """Give the winner the prize's perk (see the module's notes) inside the award's transaction;
    the caller commits. Returns the voucher (the one already issued when the award is published
    again), or None when the prize names no perk or a perk that no longer exists."""
    if event.perk_id is None:
        return None
    perk = locked_perk(event.perk_id)  # first: concurrent awards of one perk queue up here
    if perk is None:
        logger.warning(
            "challenge %s award %s names perk %s, which does not exist: no voucher",
            event.challenge_id,
            event.award_id,
            event.perk_id,
        )
        return None
    existing = voucher_for(event.award_id)
    if existing is not None:
        return existing
    owed = (
        OwedReason.NOT_OFFERED
        if not perk.active
        else OwedReason.OUT_OF_STOCK
        if not perk.in_stock
        else None
    )
    if owed is None and perk.stock is not None:
        perk.stock -= 1
    voucher = Redemption(
        perk_id=perk.id,
        user_id=event.user_id,
        cost_points=0,
        status=RedemptionStatus.PENDING if owed else RedemptionStatus.FULFILLED,
        created_at=event.at,
        decided_at=None if owed else event.at,
        challenge_award_id=event.award_id,
        challenge_id=event.challenge_id,
        challenge_title=_cut(event.title),
        challenge_title_en=_cut(event.title_en),
        prize_rank=event.rank,
        owed_reason=owed,
    )
    db.session.add(voucher)
    db.session.flush()
    _published(voucher, perk, event)
    logger.info(
        "voucher %s for perk %s issued to user %s (challenge %s award %s, %s)",
        voucher.id,
        perk.id,
        event.user_id,
        event.challenge_id,
        event.award_id,
        owed or "handed over",
    )
    return voucher


def _published(voucher: Redemption, perk: Perk, event: events.ChallengePrizeAwarded) -> None:
    winner = db.session.get(User, event.user_id)
    events.publish(
        events.RedemptionChanged(
            redemption_id=voucher.id,
            user_id=event.user_id,
            user_name=winner.shown_name if winner else "",
            status=voucher.status.value,
            perk_en=perk.name_en,
            perk_zh=perk.name_zh,
            points=0,
            at=event.at,
            reviewer_ids=hr_ids() if voucher.status == RedemptionStatus.PENDING else (),
        )
    )


def init_app() -> None:
    events.subscribe(events.ChallengePrizeAwarded, issue_voucher)
