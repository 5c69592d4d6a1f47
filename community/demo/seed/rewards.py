"""Rewards and recognition in the demo: the payouts the hires earned, taken through HR's payout
services (approved, paid with payroll, one cancelled, a few pending); HR's announcements on the
thanks wall; and the perk shop, with redemptions in every status."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from flask import current_app
from sqlalchemy import func, select

from community.accounts.models import Role, User
from community.core.time import company_tz, local_today, to_local
from community.demo.data.announcements import ANNOUNCEMENTS
from community.demo.data.company import DEMO_ACCOUNTS
from community.demo.data.perk_shop import PERKS, REDEMPTION_REJECT_REASON, REDEMPTIONS
from community.demo.data.referral_texts import PAYOUT_CANCEL_REASON
from community.demo.seed.backdating import (
    OFFICE_HOURS,
    at_hour,
    backdate_since,
    last_ids,
    naive_utc,
    read_old_notifications,
)
from community.extensions import db
from community.notifications.models import Notification
from community.payouts import services as payout_services
from community.payouts.models import Payout, PayoutStatus
from community.perks import services as perk_services
from community.perks.models import Perk, Redemption
from community.points import queries as points_queries
from community.referrals.models import EventKind, ReferralEvent
from community.thanks import services as thanks_services
from community.thanks.models import ThanksKind, ThanksPost


def settle_payouts(rng: random.Random, hr: User, now: datetime) -> None:
    """Take the payouts the stage moves created through HR's payout services, dated sensibly:
    older ones approved within days and paid with a monthly payroll, one cancelled by HR, a few
    recent ones still pending (one of them overdue), so the demo shows every status."""
    overdue_days = current_app.config["PAYOUT_OVERDUE_DAYS"]
    payouts = list(
        db.session.scalars(select(Payout).order_by(Payout.created_at, Payout.id)).unique()
    )
    for payout in payouts:
        if payout.status == PayoutStatus.CANCELLED:
            # Cancelled when the hire left: date it with the "left the company" record.
            left = db.session.scalar(
                select(func.max(ReferralEvent.created_at)).where(
                    ReferralEvent.referral_id == payout.referral_id,
                    ReferralEvent.kind == EventKind.LEFT_COMPANY,
                )
            )
            payout.created_at = payout.cancelled_at = left or payout.created_at
    db.session.commit()
    pending = [p for p in payouts if p.status == PayoutStatus.PENDING]
    cancelled_one = False
    # The newest payout older than the overdue limit was forgotten, so the overdue flag shows.
    forgotten = next(
        (p for p in reversed(pending) if now - p.created_at > timedelta(days=overdue_days)), None
    )
    for payout in pending:
        age = now - payout.created_at
        if age < timedelta(days=overdue_days + 3) or payout is forgotten:
            continue  # recent: HR has not got to it yet
        if not cancelled_one and age > timedelta(days=60):
            mark = last_ids()
            payout_services.cancel_payout(
                payout, hr, PAYOUT_CANCEL_REASON, at=payout.created_at + timedelta(days=2)
            )
            backdate_since(mark, payout.created_at + timedelta(days=2))
            cancelled_one = True
            continue
        approved_at = payout.created_at + timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 5))
        mark = last_ids()
        payout_services.approve_payout(payout, hr, at=approved_at)
        backdate_since(mark, approved_at)
        # Paid with the payroll of the 10th of the month after approval, when that has passed.
        local = to_local(approved_at)
        payday = (local.replace(day=1) + timedelta(days=32)).replace(day=10).date()
        if payday < local_today() - timedelta(days=1):
            paid_at = naive_utc(datetime.combine(payday, time(16), company_tz()))
            mark = last_ids()
            payout_services.mark_paid(
                payout, hr, payday, f"PR-{payday:%Y%m}-{payout.id:04d}", at=paid_at
            )
            backdate_since(mark, paid_at)
    # Of the recent ones, HR approved the oldest already: it waits for the next payroll.
    recent = [p for p in pending if p.status == PayoutStatus.PENDING and p is not forgotten]
    if len(recent) >= 2:
        approved_at = min(recent[0].created_at + timedelta(days=1), now - timedelta(hours=1))
        mark = last_ids()
        payout_services.approve_payout(recent[0], hr, at=approved_at)
        backdate_since(mark, approved_at)
    db.session.commit()


def post_announcements(rng: random.Random, hr: User, now: datetime) -> None:
    """HR's announcements on the thanks wall, posted (and everyone notified) through the thanks
    service. The paid payouts were thanked by `mark_paid` itself, on their payment dates."""
    if db.session.scalar(
        select(func.count(ThanksPost.id)).where(ThanksPost.kind == ThanksKind.ANNOUNCEMENT)
    ):
        return
    for days_ago, title, body in ANNOUNCEMENTS:
        after = db.session.scalar(select(func.max(Notification.id))) or 0
        at = at_hour(rng, now - timedelta(days=days_ago), OFFICE_HOURS, None, now)
        thanks_services.post_announcement(hr, title, body, at=at)
        read_old_notifications(rng, after, now)


def stock_perk_shop(hr: User) -> list[Perk]:
    """The perks of the shop (each shows the illustration of its kind), created through the perk
    services unless they exist: before the challenges, whose first prize may be one of them."""
    existing = set(db.session.scalars(select(Perk.name_zh)))
    perks: list[Perk] = []
    for (
        name_en,
        name_zh,
        desc_en,
        desc_zh,
        cost,
        stock,
        limit,
        approval,
        category,
    ) in PERKS:
        if name_zh in existing:
            perks.append(db.session.scalars(select(Perk).where(Perk.name_zh == name_zh)).one())
            continue
        fields = perk_services.PerkFields(
            name_en, name_zh, desc_en, desc_zh, cost, stock, limit, approval, True, category
        )
        perks.append(perk_services.create_perk(hr, fields, None))
    return perks


def open_perk_shop(hr: User, users: list[User], now: datetime) -> None:
    """The perk shop (`stock_perk_shop`), and redemptions in every status by people whose
    balances cover them, written through the perk services and dated in the past."""
    perks = stock_perk_shop(hr)
    if db.session.scalar(select(func.count(Redemption.id))):
        return
    employee = next(u for u in users if u.email == DEMO_ACCOUNTS[2][0])
    others = [u for u in users if u.role != Role.HR and u.is_active_account and u is not employee]
    others.sort(key=lambda u: (-points_queries.balance(u.id), u.id))
    first_notification = db.session.scalar(select(func.max(Notification.id))) or 0
    used: set[int] = set()
    for index, outcome, days_ago, demo_first in REDEMPTIONS:
        perk = perks[index]
        at = now - timedelta(days=days_ago)
        candidates = ([employee] if demo_first else []) + [u for u in others if u.id not in used]
        person = next(
            (u for u in candidates if points_queries.balance(u.id) >= perk.cost_points), None
        )
        if person is None:
            continue
        if person is not employee:
            used.add(person.id)
        mark = last_ids()
        redemption = perk_services.redeem(person, perk.id, at=at)
        backdate_since(mark, at)
        decided = min(at + timedelta(days=1, hours=2), now - timedelta(hours=1))
        if outcome in ("approved", "rejected"):
            mark = last_ids()
            if outcome == "approved":
                perk_services.approve_redemption(hr, redemption.id, at=decided)
            else:
                perk_services.reject_redemption(
                    hr, redemption.id, REDEMPTION_REJECT_REASON, at=decided
                )
            backdate_since(mark, decided)
        db.session.commit()
    read_old_notifications(random.Random(4), first_notification, now)
