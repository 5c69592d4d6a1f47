"""Events of the game (points, badges, levels) and the rewards (payouts, perks, thanks)."""

from __future__ import annotations

from datetime import date, datetime

from community.events.bus import Event, _event
from community.pipeline import Stage

# The game -----------------------------------------------------------------------------------


@_event("points-recorded")
class PointsRecorded(Event):
    """One ledger entry was written (`points.services.record_points`, the only writer).
    Listeners: leaderboards (queue it for the boards and project it after the commit)."""

    entry_id: int
    user_id: int
    amount: int
    kind: str
    department_id: int | None
    at: datetime


@_event("badge-granted")
class BadgeGranted(Event):
    """A person got a badge or a tier of one (`badges.services.award_badge`: rules, HR's hand
    grants, and every other path, so the fact is never missed). `points`: the badge's worth.
    Listeners: points (the badge's points), thanks (a gold-referrer tier is thanked in public),
    notifications (tell the person)."""

    award_id: int
    user_id: int
    badge_key: str
    tier: str
    points: int
    granted_by_id: int | None
    referral_id: int | None
    at: datetime


@_event("badge-revoked")
class BadgeRevoked(Event):
    """HR took back a badge award (`badges.services.revoke_badge`), with a reason the person is
    told. The points the badge gave stay (a ledger entry is never undone by this).
    Listeners: credentials (every Open Badges credential exported for the award is revoked),
    notifications (tell the person, with the reason)."""

    award_id: int
    user_id: int
    badge_key: str
    tier: str
    revoked_by_id: int
    reason: str
    at: datetime


@_event("levels-changed")
class LevelsChanged(Event):
    """HR replaced the levels (`badges.services.save_levels`): everyone's level may read anew."""

    actor_id: int
    at: datetime


# Rewards ------------------------------------------------------------------------------------


@_event("payout-changed")
class PayoutChanged(Event):
    """A bonus payout was created, approved, paid or cancelled (`payouts.services`).
    `status` is its new status ("pending", "approved", "paid", "cancelled"); `cause` why it was
    cancelled ("hr", "left_company"). Listeners: thanks (a paid payout is thanked in public),
    notifications (tell the referrer)."""

    payout_id: int
    referral_id: int
    referrer_id: int
    status: str
    stage: Stage
    amount_minor: int
    currency: str
    candidate_name: str
    job_title: str
    at: datetime
    paid_on: date | None = None
    cause: str | None = None
    reason: str | None = None
    left_on: date | None = None


@_event("redemption-changed")
class RedemptionChanged(Event):
    """A perk was redeemed ("pending" while it waits for HR in `reviewer_ids`, "fulfilled" when
    it needs no approval), or HR "approved" or "rejected" it (`perks.services`); or won as a
    challenge prize (`perks.vouchers`: 0 points, "fulfilled", or "pending" while HR owes it).
    Listeners: notifications (tell HR, or the person)."""

    redemption_id: int
    user_id: int
    user_name: str
    status: str
    perk_en: str
    perk_zh: str
    points: int
    at: datetime
    reason: str | None = None
    reviewer_ids: tuple[int, ...] = ()


@_event("announcement-posted")
class AnnouncementPosted(Event):
    """HR posted an announcement on the thanks wall (`thanks.services.post_announcement`).
    Listeners: notifications (tell every active person, one INSERT … SELECT), teamchat (queue it
    for every group robot that takes announcements)."""

    post_id: int
    author_id: int
    title: str
    at: datetime


@_event("thanks-posted")
class ThanksPosted(Event):
    """A thank-you went up on the wall (`thanks.services`, once per event thanked: a bonus paid,
    a gold-referrer tier, a challenge's winners; HR's announcements are `AnnouncementPosted`).
    `kind` is the post's `ThanksKind` value; `subject_id` the person thanked (None for a
    challenge's winners). Listeners: teamchat (the group robots of the person's department and
    the company's hear it)."""

    post_id: int
    kind: str
    subject_id: int | None
    at: datetime
