"""A challenge in words, in the reader's language: its status, what it ranks by, a score, a
prize tier and what it gives, and how long is left. Shared by the pages and the office screen.

Scores are integers in the challenge's metric; the quality metric keeps interviews per referral
in thousandths, shown as a decimal ("0.67").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from babel import Locale
from babel.numbers import format_decimal
from flask_babel import LazyString, get_locale, get_translations, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from community.challenges.models import (
    Challenge,
    ChallengePrize,
    ChallengeStatus,
    Metric,
    PrizeKind,
)


def status_labels() -> dict[ChallengeStatus, LazyString]:
    return {
        ChallengeStatus.DRAFT: _l("Draft"),
        ChallengeStatus.AWAITING_APPROVAL: _l("Awaiting approval"),
        ChallengeStatus.SCHEDULED: _l("Scheduled"),
        ChallengeStatus.LIVE: _l("Live"),
        ChallengeStatus.SETTLING: _l("Settling"),
        ChallengeStatus.FINAL: _l("Final"),
        ChallengeStatus.CANCELLED: _l("Cancelled"),
    }


# Bootstrap tones of the status badges.
STATUS_TONES = {
    ChallengeStatus.DRAFT: "text-bg-light border",
    ChallengeStatus.AWAITING_APPROVAL: "text-bg-warning",
    ChallengeStatus.SCHEDULED: "text-bg-info",
    ChallengeStatus.LIVE: "text-bg-success",
    ChallengeStatus.SETTLING: "text-bg-primary",
    ChallengeStatus.FINAL: "text-bg-dark",
    ChallengeStatus.CANCELLED: "text-bg-secondary",
}


def status_label(status: ChallengeStatus | str) -> str:
    return str(status_labels()[ChallengeStatus(status)])


def metric_labels() -> dict[Metric, LazyString]:
    """What the board's score column is called."""
    return {
        Metric.POINTS: _l("Points"),
        Metric.SCREENED: _l("Screenings passed"),
        Metric.INTERVIEWS: _l("Interviews"),
        Metric.HIRES: _l("Hires"),
        Metric.QUALITY: _l("Interviews per referral"),
    }


def metric_label(metric: Metric | str) -> str:
    return str(metric_labels()[Metric(metric)])


def metric_rule(challenge: Challenge) -> str:
    """What the challenge ranks people by, as a sentence."""
    metric = challenge.metric
    if metric == Metric.POINTS:
        return _("Ranked by the points referrals earn as they move forward.")
    if metric == Metric.SCREENED:
        return _("Ranked by referrals that pass the first screening.")
    if metric == Metric.INTERVIEWS:
        return _("Ranked by referrals that reach an interview.")
    if metric == Metric.HIRES:
        return _("Ranked by referrals that are hired.")
    return ngettext(
        "Ranked by interviews per referral, from %(num)s referral on.",
        "Ranked by interviews per referral, from %(num)s referrals on.",
        challenge.quality_min_referrals,
    )


def _locale() -> Locale:
    return get_locale() or Locale.parse("en")


def number(score: int, metric: Metric | str) -> str:
    """A score as a bare number: "1,200"; "0.67" for interviews per referral."""
    if Metric(metric) == Metric.QUALITY:
        return format_decimal(score / 1000, format="0.00", locale=_locale())
    return format_decimal(score, locale=_locale())


def per_head_number(value: float, metric: Metric | str) -> str:
    """A department's score per person: "12.5"; "0.67" for interviews per referral."""
    if Metric(metric) == Metric.QUALITY:
        return format_decimal(value / 1000, format="0.00", locale=_locale())
    return format_decimal(value, format="#,##0.0", locale=_locale())


def amount(score: int, metric: Metric | str) -> str:
    """A score with its unit: "120 points", "1 hire", "0.67 interviews per referral"."""
    metric = Metric(metric)
    shown = number(score, metric)
    if metric == Metric.POINTS:
        return ngettext("%(score)s point", "%(score)s points", score, score=shown)
    if metric == Metric.SCREENED:
        return ngettext(
            "%(score)s screening passed", "%(score)s screenings passed", score, score=shown
        )
    if metric == Metric.INTERVIEWS:
        return ngettext("%(score)s interview", "%(score)s interviews", score, score=shown)
    if metric == Metric.HIRES:
        return ngettext("%(score)s hire", "%(score)s hires", score, score=shown)
    return _("%(value)s interviews per referral", value=shown)


def ordinal(rank: int) -> str:
    """A rank as the reader says it: "1st", "22nd"; "第 1 名"."""
    form = _locale().ordinal_form(rank) if rank > 0 else "other"
    if form == "one":
        return _("%(rank)sst", rank=rank)
    if form == "two":
        return _("%(rank)snd", rank=rank)
    if form == "few":
        return _("%(rank)srd", rank=rank)
    return _("%(rank)sth", rank=rank)


def tier_label(prize: ChallengePrize, metric: Metric | str) -> str:
    """Who wins a prize tier: "1st", "2nd–3rd", "Top 10", "Everyone with at least 5 hires"."""
    if prize.kind == PrizeKind.THRESHOLD:
        return _("Everyone with at least %(amount)s", amount=amount(prize.threshold or 1, metric))
    first = prize.rank_from or 1
    last = prize.rank_to or first
    if first == last:
        return ordinal(first)
    if first == 1:
        return _("Top %(rank)s", rank=last)
    return _("%(first)s–%(last)s", first=ordinal(first), last=ordinal(last))


def prize_gifts(prize: ChallengePrize, perk_name: str | None) -> list[tuple[str, str]]:
    """What a tier gives, as (icon, words): points, a perk, the badge, a public thanks."""
    gifts: list[tuple[str, str]] = []
    if prize.points:
        gifts.append(
            (
                "bi-stars",
                ngettext(
                    "%(score)s point",
                    "%(score)s points",
                    prize.points,
                    score=format_decimal(prize.points, locale=_locale()),
                ),
            )
        )
    if prize.perk_id and perk_name:
        gifts.append(("bi-gift", _("Perk: %(perk)s", perk=perk_name)))
    if prize.badge:
        gifts.append(("bi-award", _("The challenge winner badge")))
    if prize.thanks:
        gifts.append(("bi-heart", _("A thank-you on the thanks wall")))
    return gifts


# The countdown ----------------------------------------------------------------------------------


def duration_parts(seconds: int) -> list[tuple[str, int]]:
    """The two largest units of a duration: (unit, count) — days and hours, hours and minutes,
    or minutes and seconds (static/js/countdown.js does the same)."""
    seconds = max(0, int(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        parts = [("day", days), ("hour", hours)]
    elif hours:
        parts = [("hour", hours), ("minute", minutes)]
    elif minutes:
        parts = [("minute", minutes), ("second", secs)]
    else:
        parts = [("second", secs)]
    return [part for i, part in enumerate(parts) if i == 0 or part[1]]


def unit_text(unit: str, count: int) -> str:
    """ "3 days", "1 hour"."""
    if unit == "day":
        return ngettext("%(num)s day", "%(num)s days", count)
    if unit == "hour":
        return ngettext("%(num)s hour", "%(num)s hours", count)
    if unit == "minute":
        return ngettext("%(num)s minute", "%(num)s minutes", count)
    return ngettext("%(num)s second", "%(num)s seconds", count)


# The same messages as `unit_text`, for the script: their patterns unfilled.
_UNIT_MESSAGES = {
    "day": ("%(num)s day", "%(num)s days"),
    "hour": ("%(num)s hour", "%(num)s hours"),
    "minute": ("%(num)s minute", "%(num)s minutes"),
    "second": ("%(num)s second", "%(num)s seconds"),
}


def unit_forms() -> dict[str, list[str]]:
    """Each unit's singular and plural pattern, "%(num)s" where the count goes, for the script
    (which picks one by the language's plural rules)."""
    translations = get_translations()
    return {
        unit: [translations.ungettext(one, many, 1), translations.ungettext(one, many, 2)]
        for unit, (one, many) in _UNIT_MESSAGES.items()
    }


def duration_text(seconds: int) -> str:
    """ "3 days 4 hours", "12 minutes 5 seconds"."""
    return " ".join(unit_text(unit, count) for unit, count in duration_parts(seconds))


@dataclass(frozen=True)
class Countdown:
    """Time left until the challenge's next moment, in words; `pattern` holds "%(time)s" where
    the duration goes and `done` is what it says once the moment passed."""

    target: datetime
    pattern: str
    done: str
    text: str


def countdown(challenge: Challenge, now: datetime) -> Countdown | None:
    """To the start when scheduled, to the end when live, to the final results when settling;
    None for any other state."""
    status = challenge.status
    if status == ChallengeStatus.SCHEDULED:
        target, pattern, done = challenge.starts_at, _("Starts in %(time)s"), _("Starting now")
    elif status == ChallengeStatus.LIVE:
        target, pattern, done = challenge.ends_at, _("%(time)s left"), _("Time is up")
    elif status == ChallengeStatus.SETTLING:
        target, pattern = challenge.settles_at, _("Final results in %(time)s")
        done = _("Final results any moment now")
    else:
        return None
    left = int((target - now).total_seconds())
    text = pattern.replace("%(time)s", duration_text(left)) if left > 0 else done
    return Countdown(target, pattern, done, text)
