"""Checking what a host asks for: the fields of a challenge and of a prize, each refusal in the
host's language and naming its field. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from community.accounts.models import Department, User
from community.challenges.models import (
    METRIC_STAGE,
    Metric,
    PeopleScope,
    PrizeKind,
    TeamMode,
)
from community.core.errors import FORBIDDEN, DomainError
from community.core.permissions import is_hr
from community.core.roles import Role
from community.core.time import utcnow
from community.extensions import db
from community.jobs.models import Job, JobFamily
from community.perks.queries import perk_available
from community.program.queries import current_rules

MAX_TITLE = 120
MAX_DESCRIPTION = 4000
MAX_WINDOW = timedelta(days=92)  # a quarter
MAX_SETTLEMENT_DAYS = 90
START_GRACE = timedelta(minutes=5)  # "starts now" typed a minute ago is not in the past
MAX_PRIZE_POINTS = 100_000
MAX_PRIZE_RANK = 100
MAX_QUALITY_MINIMUM = 50


class ChallengeError(DomainError):
    """A challenge change refused."""


@dataclass
class ChallengeFields:
    """What a host sets. Times are naive UTC (the form converts from the company zone)."""

    title: str
    starts_at: datetime
    ends_at: datetime
    title_en: str | None = None
    description: str = ""
    description_en: str = ""
    people_scope: PeopleScope = PeopleScope.COMPANY
    department_ids: list[int] = field(default_factory=list)
    job_ids: list[int] = field(default_factory=list)
    job_families: list[str] = field(default_factory=list)
    metric: Metric = Metric.POINTS
    quality_min_referrals: int = 3
    team_mode: TeamMode = TeamMode.NONE
    multiplier_percent: int = 100
    multiplier_job_ids: list[int] = field(default_factory=list)
    settlement_days: int = 0


@dataclass
class PrizeFields:
    kind: PrizeKind = PrizeKind.RANK
    rank_from: int | None = None
    rank_to: int | None = None
    threshold: int | None = None
    points: int = 0
    perk_id: int | None = None
    badge: bool = False
    thanks: bool = False


def can_host(user: User) -> bool:
    return user.role in (Role.MANAGER, Role.HR)


def needs_approval(host: User) -> bool:
    """A manager's challenge waits for HR when the company says so (CHALLENGE_APPROVAL)."""
    return not is_hr(host) and bool(current_app.config.get("CHALLENGE_APPROVAL", True))


def multiplier_bounds() -> tuple[int, int]:
    return 100, int(current_app.config.get("CHALLENGE_MAX_MULTIPLIER_PERCENT", 500))


def _text(value: str | None) -> str:
    return (value or "").strip()


MAX_ID = 2**31 - 1  # what an id or a score column holds: anything larger names nothing


def _ids_exist(model: type[Department] | type[Job], ids: list[int]) -> bool:
    if not ids:
        return True
    if any(not 0 < i <= MAX_ID for i in ids):
        return False
    found = db.session.scalar(select(func.count()).where(model.id.in_(set(ids))))
    return int(found or 0) == len(set(ids))


def _check_scope(host: User, fields: ChallengeFields) -> None:
    scope = fields.people_scope
    if not is_hr(host):
        if scope == PeopleScope.COMPANY:
            raise ChallengeError(
                _("Only HR can host a challenge for the whole company."),
                field="people_scope",
                status=FORBIDDEN,
            )
        if scope == PeopleScope.DEPARTMENTS and (
            host.department_id is None or set(fields.department_ids) != {host.department_id}
        ):
            raise ChallengeError(
                _("You can host a challenge for your own department or your team only."),
                field="department_ids",
                status=FORBIDDEN,
            )
    if scope == PeopleScope.DEPARTMENTS:
        if not fields.department_ids:
            raise ChallengeError(_("Choose at least one department."), field="department_ids")
        if not _ids_exist(Department, fields.department_ids):
            raise ChallengeError(
                _("One of the chosen departments does not exist."), field="department_ids"
            )
    if not _ids_exist(Job, fields.job_ids):
        raise ChallengeError(_("One of the chosen jobs does not exist."), field="job_ids")
    known = {f.value for f in JobFamily}
    if any(family not in known for family in fields.job_families):
        raise ChallengeError(_("One of the chosen job families is unknown."), field="job_families")
    if fields.team_mode != TeamMode.NONE and not (
        scope == PeopleScope.COMPANY
        or (scope == PeopleScope.DEPARTMENTS and len(set(fields.department_ids)) >= 2)
    ):
        raise ChallengeError(
            _("Team mode needs at least two departments in scope."), field="team_mode"
        )


def _check_length(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at - starts_at > MAX_WINDOW:
        raise ChallengeError(
            ngettext(
                "A challenge lasts at most a quarter (%(num)s day).",
                "A challenge lasts at most a quarter (%(num)s days).",
                MAX_WINDOW.days,
            ),
            field="ends_at",
        )


def _check_window(fields: ChallengeFields, *, live: bool) -> None:
    if fields.ends_at <= fields.starts_at:
        raise ChallengeError(_("The end must come after the start."), field="ends_at")
    _check_length(fields.starts_at, fields.ends_at)
    if not live and fields.starts_at < utcnow() - START_GRACE:
        raise ChallengeError(_("The start cannot be in the past."), field="starts_at")
    if not 0 <= fields.settlement_days <= MAX_SETTLEMENT_DAYS:
        raise ChallengeError(
            ngettext(
                "The settlement period is between 0 and %(num)s day.",
                "The settlement period is between 0 and %(num)s days.",
                MAX_SETTLEMENT_DAYS,
            ),
            field="settlement_days",
        )


def check_fields(host: User, fields: ChallengeFields) -> ChallengeFields:
    """`fields` cleaned, or a ChallengeError naming the first thing wrong."""
    if not can_host(host):
        raise ChallengeError(_("Only managers and HR can host challenges."), status=FORBIDDEN)
    fields.title = _text(fields.title)
    fields.title_en = _text(fields.title_en) or None
    fields.description = _text(fields.description)
    fields.description_en = _text(fields.description_en)
    if not fields.title:
        raise ChallengeError(_("Please give the challenge a title."), field="title")
    for name, value in (("title", fields.title), ("title_en", fields.title_en or "")):
        if len(value) > MAX_TITLE:
            raise ChallengeError(
                ngettext(
                    "The title is too long (at most %(num)s character).",
                    "The title is too long (at most %(num)s characters).",
                    MAX_TITLE,
                ),
                field=name,
            )
    for name, value in (
        ("description", fields.description),
        ("description_en", fields.description_en),
    ):
        if len(value) > MAX_DESCRIPTION:
            raise ChallengeError(
                ngettext(
                    "The description is too long (at most %(num)s character).",
                    "The description is too long (at most %(num)s characters).",
                    MAX_DESCRIPTION,
                ),
                field=name,
            )
    _check_window(fields, live=False)
    _check_scope(host, fields)
    low, high = multiplier_bounds()
    if not low <= fields.multiplier_percent <= high:
        raise ChallengeError(
            _("The multiplier must be between 1× and %(max)s×.", max=f"{high / 100:g}"),
            field="multiplier_percent",
        )
    if not _ids_exist(Job, fields.multiplier_job_ids):
        raise ChallengeError(
            _("One of the jobs for the multiplier does not exist."), field="multiplier_job_ids"
        )
    if fields.multiplier_percent == 100:
        fields.multiplier_job_ids = []
    if fields.metric != Metric.QUALITY:
        fields.quality_min_referrals = ChallengeFields.quality_min_referrals  # (unused)
    elif not 1 <= fields.quality_min_referrals <= MAX_QUALITY_MINIMUM:
        raise ChallengeError(
            ngettext(
                "The minimum number of referrals is between 1 and %(num)s.",
                "The minimum number of referrals is between 1 and %(num)s.",
                MAX_QUALITY_MINIMUM,
            ),
            field="quality_min_referrals",
        )
    stage = METRIC_STAGE.get(fields.metric)
    if stage is not None and not int((current_rules().stage_points or {}).get(stage.value, 0) or 0):
        # A stage is counted by the ledger entry of its points; without points nothing counts.
        raise ChallengeError(
            _("The program rules give no points for this stage, so it cannot be counted."),
            field="metric",
        )
    if fields.people_scope != PeopleScope.DEPARTMENTS:
        fields.department_ids = []
    return fields


def check_end(starts_at: datetime, old_end: datetime, new_end: datetime) -> None:
    """An extension: later than the current end, still no longer than a quarter."""
    if new_end <= old_end:
        raise ChallengeError(_("The new end must be later than the current one."), field="ends_at")
    if new_end <= utcnow():
        raise ChallengeError(_("The new end cannot be in the past."), field="ends_at")
    _check_length(starts_at, new_end)


def check_prize(fields: PrizeFields) -> PrizeFields:
    """A prize tier cleaned, or a ChallengeError."""
    if fields.kind == PrizeKind.RANK:
        low, high = fields.rank_from, fields.rank_to or fields.rank_from
        if low is None or high is None or not 1 <= low <= high <= MAX_PRIZE_RANK:
            raise ChallengeError(
                _(
                    "Ranks run from 1 to %(max)s, the first no later than the last.",
                    max=MAX_PRIZE_RANK,
                ),
                field="rank_from",
            )
        fields.rank_to, fields.threshold = high, None
    else:
        if fields.threshold is None or fields.threshold < 1:
            raise ChallengeError(_("The threshold must be at least 1."), field="threshold")
        if fields.threshold > MAX_ID:
            raise ChallengeError(_("The threshold is too large."), field="threshold")
        fields.rank_from = fields.rank_to = None
    if not 0 <= fields.points <= MAX_PRIZE_POINTS:
        raise ChallengeError(
            _("Prize points are between 0 and %(max)s.", max=MAX_PRIZE_POINTS), field="points"
        )
    if fields.perk_id is not None and not (
        0 < fields.perk_id <= MAX_ID and perk_available(fields.perk_id)
    ):
        raise ChallengeError(_("That perk is out of stock or no longer offered."), field="perk_id")
    if not (fields.points or fields.perk_id or fields.badge or fields.thanks):
        raise ChallengeError(
            _("A prize needs points, a perk, the badge or a public thanks."), field="points"
        )
    return fields
