"""What the network tells its owner: how many of their contacts may fit a job that opened (never
which: the notification would reveal nothing if someone else saw it), and, under the referrer's
"moved to …" notification, a line leading to the follow-up coach's message for the candidate."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from community import events
from community.core.links import url
from community.core.localized import choose
from community.notifications.kinds import Notice, notify_on, register
from community.pipeline import Stage, reasons

SUGGESTIONS = "network_suggestions"
FOLLOW_UP = "network_follow_up"
# The moves the follow-up coach has a message for: forward (tips for what comes next) and out,
# by HR (a kind note). Past probation the candidate works here; a withdrawal by the referrer is
# their own doing.
FORWARD = frozenset({Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER, Stage.HIRED})
NOT_FORWARD = frozenset({Stage.REJECTED, Stage.WITHDRAWN})


def _suggestions(params: dict[str, Any]) -> str:
    count = int(params.get("count") or 0)
    return ngettext(
        "%(num)d of your contacts may fit %(job)s.",
        "%(num)d of your contacts may fit %(job)s.",
        count,
        job=choose(params.get("title"), params.get("title_en")).text,
    )


def _follow_up(params: dict[str, Any]) -> str:
    if params.get("forward"):
        return _("The follow-up coach has a message with tips for your candidate.")
    return _("The follow-up coach has a kind note you can send your candidate.")


def found(event: events.NetworkSuggestionsFound) -> list[Notice]:
    return [
        Notice(
            SUGGESTIONS,
            to=[owner_id],
            params={"count": count, "title": event.title, "title_en": event.title_en},
            link=url("network.job_suggestions", job_id=event.job_id),
            at=event.at,
        )
        for owner_id, count in event.found
    ]


def follow_up(event: events.StageAdvanced) -> Notice | None:
    if event.actor_id == event.referrer_id:
        return None
    if event.to_stage not in FORWARD | NOT_FORWARD:
        return None
    if event.reason_code in reasons.VOIDING_CODES:
        return (
            None  # a duplicate is still in process another way; a self-referral has nobody to tell
        )
    return Notice(
        FOLLOW_UP,
        to=[event.referrer_id],
        params={"forward": event.to_stage in FORWARD},
        link=url("network.follow_up", referral_id=event.referral_id),
        at=event.at,
        standalone=False,  # a line of the "moved to …" notification, never a message of its own
    )


def init_app() -> None:
    register(SUGGESTIONS, _suggestions)
    register(FOLLOW_UP, _follow_up)
    notify_on(events.NetworkSuggestionsFound, found)
    notify_on(events.StageAdvanced, follow_up)
