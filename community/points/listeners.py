"""Points earned from what other rooms publish: a referral reaching a stage (the points its rules
give that stage) and a badge granted (the badge's points); and taken back when a referral is
rejected as void (a duplicate, a self-referral). All run inside the event's transaction and are
idempotent by their ledger key."""

from __future__ import annotations

from community import events
from community.pipeline import Stage
from community.pipeline.reasons import VOIDING_CODES
from community.points.models import PointEntry, PointKind
from community.points.services import record_points, reverse_referral_points
from community.program.models import ProgramRules
from community.program.queries import rules_by_id


def stage_points(rules: ProgramRules, stage: Stage, hard_to_fill: bool) -> int:
    """Points for reaching `stage` under `rules`; a hard-to-fill job multiplies them by the
    rules' percentage, rounded down."""
    points = int((rules.stage_points or {}).get(Stage(stage).value, 0) or 0)
    if hard_to_fill:
        points = points * (rules.hard_to_fill_multiplier_percent or 100) // 100
    return points


def _award(event: events.StageAdvanced, rules: ProgramRules, stage: Stage) -> PointEntry | None:
    points = stage_points(rules, stage, event.job_hard_to_fill)
    if points <= 0:
        return None
    return record_points(
        event.referrer_id,
        points,
        PointKind.EARNED,
        idempotency_key=f"referral:{event.referral_id}:stage:{stage.value}",
        referral_id=event.referral_id,
        stage=stage,
        at=event.at,
    )


def award_stage_points(event: events.StageAdvanced) -> None:
    """The referrer earns the stage's points, once per referral and stage. Points for submitting
    are earned once HR accepts the referral into the pipeline (no point farming)."""
    if event.to_stage in (Stage.REJECTED, Stage.WITHDRAWN):
        return
    rules = rules_by_id(event.rules_id)
    if event.accepted:
        _award(event, rules, Stage.SUBMITTED)
    _award(event, rules, event.to_stage)


def reverse_void_points(event: events.StageAdvanced) -> None:
    """A referral rejected as a duplicate or a self-referral earned nothing after all: its stage
    points are reversed (other rejections and withdrawals keep what was earned)."""
    if event.to_stage == Stage.REJECTED and event.reason_code in VOIDING_CODES:
        reverse_referral_points(event.referral_id, event.reason_code, event.at)


def award_badge_points(event: events.BadgeGranted) -> None:
    """The badge's points, once per person, badge and tier."""
    if event.points <= 0:
        return
    record_points(
        event.user_id,
        event.points,
        PointKind.EARNED,
        idempotency_key=f"badge:{event.user_id}:{event.badge_key}:{event.tier}",
        badge_key=event.badge_key,
        at=event.at,
    )


def init_app() -> None:
    events.subscribe(events.StageAdvanced, award_stage_points)
    events.subscribe(events.StageAdvanced, reverse_void_points)
    events.subscribe(events.BadgeGranted, award_badge_points)
