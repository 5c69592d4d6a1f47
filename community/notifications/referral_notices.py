"""Notifications about referrals: HR is told of a new referral, the referrer of a candidate who
applied through their link, code or invitation, of every move and of a hire who left. The referral spine sits below notifications and may not import it, so its
kinds are registered here, from its events alone."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import gettext as _

from community import events
from community.core.links import url
from community.notifications.kinds import Notice, notify_on, register
from community.pipeline import reasons, stage_label

RECEIVED, STAGE, LEFT = "referral_received", "referral_stage", "referral_left"
APPLIED = "referral_applied"
INTERVIEW_FEEDBACK = "referral_interview_feedback"


def _received(params: dict[str, Any]) -> str:
    return _(
        "%(referrer)s referred %(candidate)s for %(job)s. It is waiting for review.",
        referrer=params.get("referrer", ""),
        candidate=params.get("candidate", ""),
        job=params.get("job", ""),
    )


def _applied(params: dict[str, Any]) -> str:
    values = {"candidate": params.get("candidate", ""), "job": params.get("job", "")}
    source = params.get("source")
    if source == "code":
        return _(
            "%(candidate)s applied for %(job)s with your referral code. The referral is yours; add why they fit on its page.",
            **values,
        )
    if source == "invite":
        return _(
            "%(candidate)s accepted your invitation and applied for %(job)s. The referral is yours; add why they fit on its page.",
            **values,
        )
    return _(
        "%(candidate)s applied for %(job)s through your personal link. The referral is yours; add why they fit on its page.",
        **values,
    )


def _stage(params: dict[str, Any]) -> str:
    try:
        stage = stage_label(params.get("stage", ""))
    except ValueError:
        stage = str(params.get("stage", ""))
    values = {
        "candidate": params.get("candidate", ""),
        "job": params.get("job", ""),
        "stage": stage,
    }
    if params.get("has_feedback") and not _stage_quotes(params):
        # written before the feedback itself travelled with the notification
        return _(
            "Your referral of %(candidate)s for %(job)s moved to %(stage)s. HR left feedback for you.",
            **values,
        )
    return _("Your referral of %(candidate)s for %(job)s moved to %(stage)s.", **values)


def _stage_quotes(params: dict[str, Any]) -> list[tuple[str, str]]:
    """What HR wrote for the referrer with the move, as written. The internal note is HR's own
    and never travels with the event, so it cannot show here."""
    shown = []
    if params.get("feedback"):
        shown.append((_("Feedback from HR"), str(params["feedback"])))
    kind = reasons.kind_wording(params.get("reason_code"))  # the list's kind words, if chosen
    if kind:
        shown.append((_("Reason"), kind))
    if params.get("reason"):
        shown.append((_("Reason") if not kind else _("In HR's words"), str(params["reason"])))
    return shown


def _left(params: dict[str, Any]) -> str:
    return _(
        "HR recorded that %(candidate)s, whom you referred for %(job)s, has left the company.",
        candidate=params.get("candidate", ""),
        job=params.get("job", ""),
    )


def _interview_feedback(params: dict[str, Any]) -> str:
    return _(
        "%(manager)s added interview feedback on %(candidate)s for %(job)s.",
        manager=params.get("manager", ""),
        candidate=params.get("candidate", ""),
        job=params.get("job", ""),
    )


def _link(referral_id: int) -> str:
    return url("referrals.detail", referral_id=referral_id)


def received(event: events.ReferralSubmitted) -> list[Notice]:
    """HR learns of every new referral; the referrer of a candidate who applied themselves."""
    return [_for_reviewers(event), *([] if event.source == "form" else [_applied_notice(event)])]


def _for_reviewers(event: events.ReferralSubmitted) -> Notice:
    return Notice(
        RECEIVED,
        to=event.reviewer_ids,
        params={
            "referrer": event.referrer_name,
            "candidate": event.candidate_name,
            "job": event.job_title,
        },
        link=_link(event.referral_id),
        at=event.at,
    )


def _applied_notice(event: events.ReferralSubmitted) -> Notice:
    return Notice(
        APPLIED,
        to=(event.referrer_id,),
        params={"candidate": event.candidate_name, "job": event.job_title, "source": event.source},
        link=_link(event.referral_id),
        at=event.at,
    )


def moved(event: events.StageAdvanced) -> Notice | None:
    if event.actor_id == event.referrer_id:
        return None  # they moved it themselves (withdrew it)
    params: dict[str, Any] = {
        "candidate": event.candidate_name,
        "job": event.job_title,
        "stage": event.to_stage.value,
        "has_feedback": event.has_feedback,
    }
    if event.feedback:
        params["feedback"] = event.feedback
    if event.reason:
        params["reason"] = event.reason
    if event.reason_code:
        params["reason_code"] = event.reason_code
    return Notice(
        STAGE,
        to=(event.referrer_id,),
        params=params,
        link=_link(event.referral_id),
        at=event.at,
    )


def left(event: events.HireLeft) -> Notice:
    return Notice(
        LEFT,
        to=(event.referrer_id,),
        params={
            "candidate": event.candidate_name,
            "job": event.job_title,
            "left_on": event.left_on.isoformat(),
        },
        link=_link(event.referral_id),
        at=event.at,
    )


def interview_feedback(event: events.InterviewFeedbackAdded) -> Notice:
    return Notice(
        INTERVIEW_FEEDBACK,
        to=event.reviewer_ids,
        params={
            "manager": event.author_name,
            "candidate": event.candidate_name,
            "job": event.job_title,
        },
        link=_link(event.referral_id),
        at=event.at,
    )


def init_app(app: Flask) -> None:
    register(INTERVIEW_FEEDBACK, _interview_feedback)
    register(RECEIVED, _received)
    register(APPLIED, _applied)
    register(STAGE, _stage, quotes=_stage_quotes)
    register(LEFT, _left)
    notify_on(events.ReferralSubmitted, received)
    notify_on(events.StageAdvanced, moved)
    notify_on(events.HireLeft, left)
    notify_on(events.InterviewFeedbackAdded, interview_feedback)
