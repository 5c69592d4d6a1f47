"""How people earn their way into the club, as the company chose (`CLUB_MEMBERSHIP`): a first
hire among their referrals, or reaching the level `CLUB_MEMBER_LEVEL` (its position, 1 the
lowest) on their lifetime points. HR's appointment is always open (`services.appoint`)."""

from __future__ import annotations

from flask import current_app

from community import events
from community.badges.queries import level_progress, levels
from community.club import services
from community.club.models import ClubMember, MemberSource
from community.extensions import db
from community.pipeline import Stage
from community.points.models import SCORE_KINDS


def ways_in() -> set[str]:
    """The configured ways into the club: "hire", "level" (and "appointment", always)."""
    return {way.strip() for way in str(current_app.config["CLUB_MEMBERSHIP"]).split(",")}


def stage_advanced(event: events.StageAdvanced) -> None:
    """A hire lets its referrer in (the stage's own move, so that the welcome is a line of the
    referrer's "hired" notification rather than a second one)."""
    if event.to_stage == Stage.HIRED and "hire" in ways_in():
        services.admit(event.referrer_id, MemberSource.HIRE, referral_id=event.referral_id,
                       at=event.at)  # fmt: skip


def points_recorded(event: events.PointsRecorded) -> None:
    if "level" not in ways_in() or event.amount <= 0 or event.kind not in SCORE_KINDS:
        return
    if db.session.get(ClubMember, event.user_id) is not None:
        return  # in already, or taken out by HR: a level does not bring them back
    position = int(current_app.config["CLUB_MEMBER_LEVEL"])
    ordered = levels()
    if not 1 <= position <= len(ordered):
        return
    if level_progress(event.user_id).score >= ordered[position - 1].threshold:
        services.admit(event.user_id, MemberSource.LEVEL, at=event.at)


def init_app() -> None:
    events.subscribe(events.StageAdvanced, stage_advanced)
    events.subscribe(events.PointsRecorded, points_recorded)
