"""The badge registry: every badge, how it is earned (its rule), its look, tiers and points.

A rule reads `Facts` about the person at the moment of a referral event and returns the tiers it
earns ("" for a badge without tiers). `triggers` names the stages whose events can earn the badge,
so an event only runs the rules that can possibly fire.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import distinct, func, select

from community.core.time import to_local
from community.extensions import db
from community.pipeline import PIPELINE, Stage
from community.referrals.models import Referral, ReferralEvent

GOLD_REFERRER = "gold_referrer"
CHALLENGE_WINNER = "challenge_winner"
STREAK_MONTHS = 3
MATCHMAKER_MIN_REFERRALS = 5
# Stages that count as "reached interviewing or beyond".
INTERVIEWED = frozenset(PIPELINE[PIPELINE.index(Stage.INTERVIEWING) :])
HIRED = frozenset({Stage.HIRED, Stage.PROBATION_PASSED})


@dataclass(frozen=True)
class Tier:
    """One tier of a badge family. Its `name` is whole on its own ("Silver referrer", 银牌内推人):
    a tier is never spelled as the family plus a metal."""

    key: str
    name: LazyString
    points: int = 0
    css: str = ""


@dataclass(frozen=True)
class Badge:
    key: str
    name: LazyString
    description: LazyString
    how_to_earn: LazyString
    icon: str  # a Bootstrap icon name, e.g. "bi-send"
    css: str  # colour class of the badge chip
    rule: Callable[[Facts], list[str]]
    triggers: frozenset[Stage]
    points: int = 0  # for a badge without tiers
    tiers: tuple[Tier, ...] = ()
    # Earned once per occasion (each challenge won), the occasion kept as the award's tier
    # ("challenge:12"): never by a rule nor by HR's hand, and shown once with how many times.
    per_occasion: bool = False

    @property
    def tier_keys(self) -> list[str]:
        return [tier.key for tier in self.tiers] or [""]

    def tier(self, key: str) -> Tier | None:
        return next((tier for tier in self.tiers if tier.key == key), None)

    def points_for(self, tier: str) -> int:
        found = self.tier(tier)
        return found.points if found else self.points

    def label(self, tier: str = "") -> str:
        """The badge's name, or its tier's own name when it has one: "Silver referrer"."""
        found = self.tier(tier)
        return str(found.name if found else self.name)


@dataclass
class Facts:
    """What the rules need to know about `user_id` at `at`, each read once and only if asked.
    Only what happened up to `at` counts, so replaying history (demo data) gives the same answer."""

    user_id: int
    referral: Referral | None
    stage: Stage | None
    at: datetime
    gold_thresholds: dict[str, int] = field(default_factory=dict)

    @cached_property
    def referral_count(self) -> int:
        return int(
            db.session.scalar(
                select(func.count(Referral.id)).where(
                    Referral.referrer_id == self.user_id, Referral.submitted_at <= self.at
                )
            )
            or 0
        )

    def _reached(self, stages: frozenset[Stage], since: datetime | None = None) -> int:
        query = (
            select(func.count(distinct(ReferralEvent.referral_id)))
            .join(Referral, Referral.id == ReferralEvent.referral_id)
            .where(Referral.referrer_id == self.user_id, ReferralEvent.to_stage.in_(stages))
        )
        if since is not None:
            query = query.where(
                ReferralEvent.created_at > since, ReferralEvent.created_at <= self.at
            )
        return int(db.session.scalar(query) or 0)

    @cached_property
    def interviewed_count(self) -> int:
        return self._reached(INTERVIEWED)

    @cached_property
    def hires_last_12_months(self) -> int:
        # Only the hire itself counts (not probation passed), so each hire counts once.
        return self._reached(frozenset({Stage.HIRED}), since=twelve_months_before(self.at))

    @cached_property
    def referral_months(self) -> set[tuple[int, int]]:
        """Calendar months (company time zone) in which the person referred someone."""
        moments = db.session.scalars(
            select(Referral.submitted_at).where(
                Referral.referrer_id == self.user_id, Referral.submitted_at <= self.at
            )
        )
        return {(local.year, local.month) for local in map(to_local, moments)}


def twelve_months_before(moment: datetime) -> datetime:
    """The same moment one calendar year earlier (29 February becomes the 28th)."""
    try:
        return moment.replace(year=moment.year - 1)
    except ValueError:
        return moment.replace(year=moment.year - 1, day=28)


def _month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def has_streak(months: set[tuple[int, int]], length: int = STREAK_MONTHS) -> bool:
    """True when `months` holds `length` consecutive calendar months."""
    indexes = {_month_index(year, month) for year, month in months}
    return any(all(start + step in indexes for step in range(length)) for start in indexes)


# Rules -------------------------------------------------------------------------------------


def _first_referral(facts: Facts) -> list[str]:
    return [""] if facts.referral_count >= 1 else []


def _first_interview(facts: Facts) -> list[str]:
    return [""] if facts.stage in INTERVIEWED else []


def _first_hire(facts: Facts) -> list[str]:
    return [""] if facts.stage in HIRED else []


def _hard_to_fill_hero(facts: Facts) -> list[str]:
    hired = facts.stage in HIRED and facts.referral is not None
    return [""] if hired and facts.referral.job.hard_to_fill else []  # type: ignore[union-attr]


def _monthly_streak(facts: Facts) -> list[str]:
    return [""] if has_streak(facts.referral_months) else []


def _honest_matchmaker(facts: Facts) -> list[str]:
    total = facts.referral_count
    if total < MATCHMAKER_MIN_REFERRALS:
        return []
    return [""] if facts.interviewed_count * 2 > total else []


def _never(facts: Facts) -> list[str]:
    """A badge no referral event earns (`per_occasion`: its own room's listener awards it)."""
    return []


def challenge_tier(challenge_id: int) -> str:
    """The tier of the challenge-winner badge won in challenge `challenge_id`: one award per
    challenge won, however many prizes of it the person took."""
    return f"challenge:{challenge_id}"


def _gold_referrer(facts: Facts) -> list[str]:
    hires = facts.hires_last_12_months
    return [tier for tier, needed in facts.gold_thresholds.items() if hires >= needed]


BADGES: tuple[Badge, ...] = (
    Badge(
        key="first_referral",
        name=_l("First referral"),
        description=_l("You put someone you know forward for the first time."),
        how_to_earn=_l("Submit your first referral."),
        icon="bi-send-fill",
        css="badge-chip-blue",
        rule=_first_referral,
        triggers=frozenset({Stage.SUBMITTED}),
    ),
    Badge(
        key="first_interview",
        name=_l("First interview"),
        description=_l("Someone you referred was invited to interview."),
        how_to_earn=_l("Have one of your referrals reach the interview stage."),
        icon="bi-chat-square-text-fill",
        css="badge-chip-teal",
        rule=_first_interview,
        triggers=INTERVIEWED,
    ),
    Badge(
        key="first_hire",
        name=_l("First hire"),
        description=_l("Someone you referred joined the company."),
        how_to_earn=_l("Have one of your referrals hired."),
        icon="bi-person-check-fill",
        css="badge-chip-green",
        rule=_first_hire,
        triggers=HIRED,
    ),
    Badge(
        key="hard_to_fill_hero",
        name=_l("Hard-to-fill hero"),
        description=_l("You filled a job the company struggled to fill."),
        how_to_earn=_l("Have a referral hired into a job marked hard to fill."),
        icon="bi-lightning-charge-fill",
        css="badge-chip-orange",
        rule=_hard_to_fill_hero,
        triggers=HIRED,
        points=50,
    ),
    Badge(
        key="monthly_streak",
        name=_l("Monthly streak"),
        description=_l("You kept referring, month after month."),
        how_to_earn=_l("Refer someone in three consecutive calendar months."),
        icon="bi-calendar-check-fill",
        css="badge-chip-purple",
        rule=_monthly_streak,
        triggers=frozenset({Stage.SUBMITTED}),
        points=30,
    ),
    Badge(
        key="honest_matchmaker",
        name=_l("Honest matchmaker"),
        description=_l("Your referrals fit: most of them get to an interview."),
        how_to_earn=_l(
            "Make at least five referrals, more than half of which reach the interview stage."
        ),
        icon="bi-bullseye",
        css="badge-chip-pink",
        rule=_honest_matchmaker,
        triggers=frozenset({Stage.SUBMITTED}) | INTERVIEWED,
        points=50,
    ),
    Badge(
        key=CHALLENGE_WINNER,
        name=_l("Challenge winner"),
        description=_l("You won a prize in a referral challenge."),
        how_to_earn=_l(
            "Finish among the winners of a referral challenge whose prize includes this badge."
        ),
        icon="bi-flag-fill",
        css="badge-chip-red",
        rule=_never,
        triggers=frozenset(),
        per_occasion=True,
    ),
    # Mentoring (老带新) grants it when a pairing ends in which the mentee's first referral passed
    # screening and was not found void (`mentoring.pairings.close`); never by a rule.
    Badge(
        key="mentor",
        name=_l("Mentor"),
        description=_l("You helped a newcomer to a first referral that passed screening."),
        how_to_earn=_l(
            "Mentor a newcomer whose first referral during the pairing passes screening."
        ),
        icon="bi-people-fill",
        css="badge-chip-teal",
        rule=_never,
        triggers=frozenset(),
    ),
    # The medals of the seed's 金牌内推人 (gold referrer): one family whose tiers each read as a
    # title in both languages. The key and tier keys are those of the first grants, kept.
    Badge(
        key=GOLD_REFERRER,
        name=_l("Referrer medal"),
        description=_l("One of the company's best referrers this year."),
        how_to_earn=_l("Have referrals hired in the last 12 months; more hires, a higher tier."),
        icon="bi-trophy-fill",
        css="badge-chip-gold",
        rule=_gold_referrer,
        triggers=HIRED,
        tiers=(
            Tier("bronze", _l("Bronze referrer"), points=0, css="badge-chip-bronze"),
            Tier("silver", _l("Silver referrer"), points=100, css="badge-chip-silver"),
            Tier("gold", _l("Gold referrer"), points=200, css="badge-chip-gold"),
        ),
    ),
)

BY_KEY: dict[str, Badge] = {badge.key: badge for badge in BADGES}
GOLD_TIERS: tuple[str, ...] = ("bronze", "silver", "gold")


def get(key: str) -> Badge | None:
    return BY_KEY.get(key)
