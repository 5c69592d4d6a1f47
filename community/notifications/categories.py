"""The categories people choose how to hear about, and the ways they may choose.

Every kind of notification (`kinds.registered()`) falls in one of a handful of categories a
person understands, by the start of its name: "referral_…" is referral progress, "payout_…"
rewards and points, and so on (`category_of`). A room that adds kinds with a new start adds it
to PREFIXES (`tests/notifications/test_preferences.py` fails for a kind that falls in none).

For each category a person chooses a `Delivery`: in the app only, an e-mail at once, a daily or
a weekly digest (by e-mail), or off (not even in the app). Announcements and rule changes are
news for everyone and come by e-mail unless the person chose otherwise (or unsubscribed, which
is choosing "in the app only"); everything else stays in the app unless the person asks for
e-mail.
"""

from __future__ import annotations

import enum

from flask_babel import gettext as _


class Category(enum.StrEnum):
    REFERRALS = "referrals"
    REWARDS = "rewards"
    BADGES = "badges"
    CHALLENGES = "challenges"
    CLUB = "club"
    ANNOUNCEMENTS = "announcements"


class Delivery(enum.StrEnum):
    APP = "app"  # in the app only
    EMAIL = "email"  # in the app, and an e-mail at once
    DAILY = "daily"  # in the app, and in a daily digest e-mail
    WEEKLY = "weekly"  # in the app, and in a weekly digest e-mail
    OFF = "off"  # not at all


DIGESTS = (Delivery.DAILY, Delivery.WEEKLY)
BY_EMAIL = (Delivery.EMAIL, *DIGESTS)

DEFAULTS: dict[Category, Delivery] = {category: Delivery.APP for category in Category} | {
    Category.ANNOUNCEMENTS: Delivery.EMAIL
}

# The start of a kind's name → its category; the longest start that fits wins.
PREFIXES: dict[str, Category] = {
    "referral_": Category.REFERRALS,
    "network_": Category.REFERRALS,  # contacts who may fit a job, the follow-up coach
    "invitation_": Category.REFERRALS,  # a person one invited said no (community/invites)
    "points_": Category.REWARDS,
    "payout_": Category.REWARDS,
    "redemption_": Category.REWARDS,
    "prize_voucher_": Category.REWARDS,
    "badge_": Category.BADGES,
    "level_": Category.BADGES,
    "challenge_": Category.CHALLENGES,
    "club_": Category.CLUB,
    "forum_": Category.CLUB,
    "mentoring_": Category.CLUB,
    "sharing_": Category.CLUB,
    "announcement": Category.ANNOUNCEMENTS,
    "rules_": Category.ANNOUNCEMENTS,
}
FALLBACK = Category.REFERRALS  # a kind no start names (test_preferences says which)


def category_of(kind: str) -> Category:
    """The category a kind of notification belongs to."""
    found = [prefix for prefix in PREFIXES if kind.startswith(prefix)]
    return PREFIXES[max(found, key=len)] if found else FALLBACK


def kinds_in(categories: set[Category] | frozenset[Category], kinds: tuple[str, ...]) -> list[str]:
    """The kinds among `kinds` that fall in `categories`."""
    return [kind for kind in kinds if category_of(kind) in categories]


def category_label(category: Category | str) -> str:
    return {
        Category.REFERRALS: _("Referral progress"),
        Category.REWARDS: _("Rewards and points"),
        Category.BADGES: _("Badges and levels"),
        Category.CHALLENGES: _("Challenges"),
        Category.CLUB: _("Club and forum"),
        Category.ANNOUNCEMENTS: _("Announcements and rules"),
    }[Category(category)]


def category_hint(category: Category | str) -> str:
    """What a category holds, in a few words."""
    return {
        Category.REFERRALS: _(
            "Your referrals moving forward, feedback from HR; for HR, new referrals to review."
        ),
        Category.REWARDS: _("Points, bonus payouts and perk redemptions."),
        Category.BADGES: _("Badges you earn and levels you reach."),
        Category.CHALLENGES: _("Challenges starting, closing and their results."),
        Category.CLUB: _(
            "The referrer club, forum replies and mentions, mentoring, sharing sessions."
        ),
        Category.ANNOUNCEMENTS: _("HR's announcements and changes to the program rules."),
    }[Category(category)]


def delivery_label(delivery: Delivery | str) -> str:
    return {
        Delivery.APP: _("In the app only"),
        Delivery.EMAIL: _("E-mail now"),
        Delivery.DAILY: _("Daily digest"),
        Delivery.WEEKLY: _("Weekly digest"),
        Delivery.OFF: _("Off"),
    }[Delivery(delivery)]
