"""The notifications a challenge sends: the host hears it was approved, went live, ended and
was finalized; everyone in scope hears it started, has 24 hours left and has results; a person
hears they entered the top three, and a winner what they won.

Params are plain data (the title in both languages, moments as ISO text in UTC), rendered when
read: the title in the reader's language (`title_en` for English when there is one), moments in
the company's time zone. News for everyone in scope is written by INSERT … SELECT (a Notice `to`
a SELECT of the active people among them), in slices so that no statement carries more ids than
a database accepts; the host hears their own version instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from flask_babel import format_date, format_time, ngettext
from flask_babel import gettext as _
from sqlalchemy import select

from community import events
from community.accounts.models import User
from community.core.i18n import current_locale, join_names
from community.core.links import url
from community.core.localized import choose
from community.core.places import place_label
from community.core.time import to_local
from community.extensions import db
from community.notifications.kinds import Notice, notify_on, register
from community.perks.models import Perk

APPROVED = "challenge_approved"
LIVE = "challenge_live"
LIVE_HOST = "challenge_live_host"
CLOSING_SOON = "challenge_closing_soon"
ENDED = "challenge_ended"
TOP_THREE = "challenge_top_three"
RESULTS = "challenge_results"
RESULTS_HOST = "challenge_results_host"
PRIZE = "challenge_prize"
SUBMITTED = "challenge_submitted"
CANCELLED = "challenge_cancelled"
DISQUALIFIED = "challenge_disqualified"
REINSTATED = "challenge_reinstated"

SLICE = 1000  # ids per INSERT … SELECT: far below any database's limit on bound parameters


# Reading the params ------------------------------------------------------------------------


def _title(params: dict[str, Any]) -> str:
    return choose(params.get("title"), params.get("title_en")).text


def _when(params: dict[str, Any]) -> str:
    """The moment in `params["when"]` (naive UTC, ISO) in the company's zone, as the reader
    writes a date and a time."""
    try:
        moment = to_local(datetime.fromisoformat(str(params.get("when"))))
    except ValueError:
        return ""
    return f"{format_date(moment, 'medium', rebase=False)} {format_time(moment, 'short', rebase=False)}"


def _int(params: dict[str, Any], key: str) -> int:
    try:
        return int(params.get(key) or 0)
    except (TypeError, ValueError):
        return 0


# How each reads ----------------------------------------------------------------------------


def _approved(params: dict[str, Any]) -> str:
    return _(
        "Your challenge “%(title)s” was approved and starts on %(when)s.",
        title=_title(params),
        when=_when(params),
    )


def _live(params: dict[str, Any]) -> str:
    return _(
        "The challenge “%(title)s” has started. It ends on %(when)s.",
        title=_title(params),
        when=_when(params),
    )


def _live_host(params: dict[str, Any]) -> str:
    return _(
        "Your challenge “%(title)s” is live. It ends on %(when)s.",
        title=_title(params),
        when=_when(params),
    )


def _closing_soon(params: dict[str, Any]) -> str:
    return _(
        "24 hours left in “%(title)s”: it ends on %(when)s.",
        title=_title(params),
        when=_when(params),
    )


def _ended(params: dict[str, Any]) -> str:
    return _(
        "Your challenge “%(title)s” has ended; its results are final on %(when)s.",
        title=_title(params),
        when=_when(params),
    )


def _top_three(params: dict[str, Any]) -> str:
    return _("You are #%(rank)s in “%(title)s”.", rank=_int(params, "rank"), title=_title(params))


def _results(params: dict[str, Any]) -> str:
    return _("The results of “%(title)s” are in.", title=_title(params))


def _results_host(params: dict[str, Any]) -> str:
    winners = _int(params, "winners")
    if not winners:
        return _("Your challenge “%(title)s” is final; nobody won a prize.", title=_title(params))
    return ngettext(
        "Your challenge “%(title)s” is final: %(num)s person won a prize.",
        "Your challenge “%(title)s” is final: %(num)s people won prizes.",
        winners,
        title=_title(params),
    )


def _prize(params: dict[str, Any]) -> str:
    """What the winner won; the badge, if the prize gives one, is the line under it that the
    badge's own notice makes ("New badge: Challenge winner")."""
    won: list[str] = []
    points = _int(params, "points")
    if points:
        won.append(ngettext("%(num)s point", "%(num)s points", points))
    english = params.get("perk_en")
    perk = (params.get("perk_zh") if current_locale() == "zh_CN" else None) or english
    if perk:
        won.append(str(perk))
    rank, title = _int(params, "rank"), _title(params)
    if rank and won:
        return _(
            "You won %(place)s place in “%(title)s”: %(prizes)s.",
            place=place_label(rank),
            title=title,
            prizes=join_names(won),
        )
    if rank:
        return _("You won %(place)s place in “%(title)s”.", place=place_label(rank), title=title)
    if won:
        return _("You won a prize in “%(title)s”: %(prizes)s.", title=title, prizes=join_names(won))
    return _("You won a prize in “%(title)s”.", title=title)


# Whom each event tells ---------------------------------------------------------------------


def _base(event: Any) -> dict[str, Any]:
    return {
        "challenge_id": event.challenge_id,
        "title": event.title,
        "title_en": event.title_en,
    }


def _submitted(params: dict[str, Any]) -> str:
    return _(
        "%(name)s asks you to approve their challenge “%(title)s”.",
        name=params.get("host_name") or "",
        title=_title(params),
    )


def _cancelled(params: dict[str, Any]) -> str:
    return _("The challenge “%(title)s” was cancelled.", title=_title(params))


def _disqualified(params: dict[str, Any]) -> str:
    return _("HR took you out of the standings of “%(title)s”.", title=_title(params))


def _reinstated(params: dict[str, Any]) -> str:
    return _("HR put you back in the standings of “%(title)s”.", title=_title(params))


def _reason_quoted(params: dict[str, Any]) -> list[tuple[str, str]]:
    reason = str(params.get("reason") or "")
    return [(_("Reason"), reason)] if reason else []


def _link(challenge_id: int) -> str:
    return url("challenges.detail", challenge_id=challenge_id)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _everyone(
    kind: str,
    ids: Iterable[int],
    params: dict[str, Any],
    link: str,
    at: datetime,
    *,
    leave_out: Iterable[int] = (),
) -> Iterator[Notice]:
    """One notice per slice of `ids` (the active people among them, less `leave_out`), each
    written by one INSERT … SELECT."""
    left_out = set(leave_out)
    people = sorted({user_id for user_id in ids if user_id not in left_out})
    for start in range(0, len(people), SLICE):
        to = select(User.id).where(
            User.id.in_(people[start : start + SLICE]), User.is_active_account.is_(True)
        )
        yield Notice(kind, to=to, params=params, link=link, at=at)


def approved(event: events.ChallengeApproved) -> Notice | None:
    if event.actor_id == event.host_id:  # HR scheduling their own challenge needs no news of it
        return None
    params = _base(event) | {"when": _iso(event.starts_at)}
    return Notice(
        APPROVED, to=(event.host_id,), params=params, link=_link(event.challenge_id), at=event.at
    )


def went_live(event: events.ChallengeWentLive) -> list[Notice]:
    params = _base(event) | {"when": _iso(event.ends_at)}
    link = _link(event.challenge_id)
    host = Notice(LIVE_HOST, to=(event.host_id,), params=params, link=link, at=event.at)
    everyone = _everyone(
        LIVE, event.participant_ids, params, link, event.at, leave_out=(event.host_id,)
    )
    return [host, *everyone]


def closing_soon(event: events.ChallengeClosingSoon) -> list[Notice]:
    params = _base(event) | {"when": _iso(event.ends_at)}
    link = _link(event.challenge_id)
    return list(_everyone(CLOSING_SOON, event.participant_ids, params, link, event.at))


def ended(event: events.ChallengeEnded) -> Notice:
    params = _base(event) | {"when": _iso(event.settles_at)}
    return Notice(
        ENDED, to=(event.host_id,), params=params, link=_link(event.challenge_id), at=event.at
    )


def top_three(event: events.ChallengeTopThree) -> Notice:
    params = _base(event) | {"rank": event.rank}
    return Notice(
        TOP_THREE, to=(event.user_id,), params=params, link=_link(event.challenge_id), at=event.at
    )


def finalized(event: events.ChallengeFinalized) -> list[Notice]:
    """Results for everyone in scope but the winners (each hears what they won) and the host,
    who hears how many won."""
    link = _link(event.challenge_id)
    winners = {user_id for user_id, _rank in event.winners}
    host_params = _base(event) | {"winners": len(winners)}
    host = Notice(RESULTS_HOST, to=(event.host_id,), params=host_params, link=link, at=event.at)
    everyone = _everyone(
        RESULTS,
        event.participant_ids,
        _base(event),
        link,
        event.at,
        leave_out=winners | {event.host_id},
    )
    return [host, *everyone]


def submitted(event: events.ChallengeSubmitted) -> Notice | None:
    if not event.reviewer_ids:
        return None
    params = _base(event) | {"host_name": event.host_name}
    link = url("challenges.edit", challenge_id=event.challenge_id)
    return Notice(SUBMITTED, to=event.reviewer_ids, params=params, link=link, at=event.at)


def cancelled(event: events.ChallengeCancelled) -> list[Notice]:
    """Everyone who joined or had credit hears it, with the reason; so does the host, unless
    they cancelled it themselves."""
    params = _base(event) | {"reason": event.reason}
    told = set(event.entrant_ids) | ({event.host_id} if event.actor_id != event.host_id else set())
    return list(
        _everyone(CANCELLED, told, params, _link(event.challenge_id), event.at, leave_out=())
    )


def entry_changed(event: events.ChallengeEntryChanged) -> Notice:
    kind = DISQUALIFIED if event.disqualified else REINSTATED
    params = _base(event) | ({"reason": event.reason} if event.disqualified else {})
    return Notice(
        kind, to=(event.user_id,), params=params, link=_link(event.challenge_id), at=event.at
    )


def prize_awarded(event: events.ChallengePrizeAwarded) -> Notice:
    params = _base(event) | {"rank": event.rank, "points": event.points}
    perk = db.session.get(Perk, event.perk_id) if event.perk_id is not None else None
    if perk is not None:
        params |= {"perk_en": perk.name_en, "perk_zh": perk.name_zh}
    return Notice(
        PRIZE, to=(event.user_id,), params=params, link=_link(event.challenge_id), at=event.at
    )


def init_app() -> None:
    register(APPROVED, _approved)
    register(LIVE, _live)
    register(LIVE_HOST, _live_host)
    register(CLOSING_SOON, _closing_soon)
    register(ENDED, _ended)
    register(TOP_THREE, _top_three)
    register(RESULTS, _results)
    register(RESULTS_HOST, _results_host)
    register(PRIZE, _prize)
    register(SUBMITTED, _submitted)
    register(CANCELLED, _cancelled, quotes=_reason_quoted)
    register(DISQUALIFIED, _disqualified, quotes=_reason_quoted)
    register(REINSTATED, _reinstated)
    notify_on(events.ChallengeSubmitted, submitted)
    notify_on(events.ChallengeCancelled, cancelled)
    notify_on(events.ChallengeEntryChanged, entry_changed)
    notify_on(events.ChallengeApproved, approved)
    notify_on(events.ChallengeWentLive, went_live)
    notify_on(events.ChallengeClosingSoon, closing_soon)
    notify_on(events.ChallengeEnded, ended)
    notify_on(events.ChallengeTopThree, top_three)
    notify_on(events.ChallengeFinalized, finalized)
    notify_on(events.ChallengePrizeAwarded, prize_awarded)
