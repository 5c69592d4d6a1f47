"""The wall thanks in public what other rooms publish: a bonus paid, a gold-referrer tier
reached, a challenge's winners. Inside the event's transaction, once per event."""

from __future__ import annotations

from community import events
from community.accounts.models import User
from community.badges.registry import GOLD_REFERRER
from community.extensions import db
from community.payouts.models import Payout
from community.thanks.services import thank_challenge_winners, thank_gold_tier, thank_payout


def payout_changed(event: events.PayoutChanged) -> None:
    if event.status != "paid":
        return
    payout = db.session.get(Payout, event.payout_id)
    if payout is not None:
        thank_payout(payout, event.at)


def badge_granted(event: events.BadgeGranted) -> None:
    """Every gold-referrer tier is thanked in public (the wall hides people who opted out)."""
    if event.badge_key != GOLD_REFERRER:
        return
    user = db.session.get(User, event.user_id)
    if user is not None:
        thank_gold_tier(user, event.tier, event.at)


def challenge_finalized(event: events.ChallengeFinalized) -> None:
    """A challenge thanks the winners of its tiers that ask for it in one post, in rank order."""
    if not event.thanked:
        return
    thank_challenge_winners(
        event.challenge_id, event.title, event.title_en, event.thanked, event.at
    )


def init_app() -> None:
    events.subscribe(events.PayoutChanged, payout_changed)
    events.subscribe(events.BadgeGranted, badge_granted)
    events.subscribe(events.ChallengeFinalized, challenge_finalized)
