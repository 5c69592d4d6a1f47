"""The forms a host and HR fill in: the challenge (its choices follow the host's role), a prize
tier, extending the end, and a reason (cancel, disqualify). Times are typed in the company's
zone and handed to the services as naive UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    DecimalField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from community.accounts.models import Department, User
from community.challenges.models import Challenge, Metric, PeopleScope, PrizeKind, TeamMode
from community.challenges.rules import (
    MAX_DESCRIPTION,
    MAX_TITLE,
    ChallengeError,
    ChallengeFields,
    PrizeFields,
    multiplier_bounds,
)
from community.core.localized import localized
from community.core.roles import Role
from community.core.time import company_tz, to_local, utcnow
from community.extensions import db
from community.jobs.labels import job_family_labels
from community.jobs.models import Job, JobStatus
from community.perks.models import Perk

# The browser's datetime-local value first (how the field is written back into the form).
TIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def metric_labels() -> dict[Metric, LazyString]:
    return {
        Metric.POINTS: _l("Points earned"),
        Metric.SCREENED: _l("Referrals that passed screening"),
        Metric.INTERVIEWS: _l("Referrals that reached an interview"),
        Metric.HIRES: _l("Hires"),
        Metric.QUALITY: _l("Quality: interviews per referral"),
    }


def scope_labels() -> dict[PeopleScope, LazyString]:
    return {
        PeopleScope.COMPANY: _l("The whole company"),
        PeopleScope.DEPARTMENTS: _l("Chosen departments"),
        PeopleScope.TEAM: _l("The host's team (direct reports)"),
    }


def team_mode_labels() -> dict[TeamMode, LazyString]:
    return {
        TeamMode.NONE: _l("People only"),
        TeamMode.TOTAL: _l("Departments by their total"),
        TeamMode.PER_HEAD: _l("Departments per head"),
    }


def times(percent: int) -> str:
    """A multiplier percent as people say it: 150 → "1.5×"."""
    return f"{percent / 100:g}×"


def to_utc(value: datetime | None) -> datetime | None:
    """An aware (or company-zone naive) datetime as naive UTC, how times are stored."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=company_tz())
    return value.astimezone(UTC).replace(tzinfo=None)


def _int_or_none(value: Any) -> int | None:
    if value in (None, "", "None"):
        return None
    return int(value)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _time_field(label: LazyString, required: LazyString) -> DateTimeLocalField:
    return DateTimeLocalField(
        label, format=TIME_FORMATS, tz=company_tz, validators=[InputRequired(required)]
    )


class ChallengeForm(FlaskForm):
    """The challenge. Choices are checked by the service (so a scope the host may not choose is
    refused with its own reason, on its field), not by the form."""

    title = StringField(_l("Title (Chinese)"), render_kw={"maxlength": MAX_TITLE})
    title_en = StringField(
        _l("Title (English)"),
        render_kw={"maxlength": MAX_TITLE},
        description=_l("Left empty, English readers see the Chinese."),
    )
    description = TextAreaField(
        _l("Description (Chinese)"), render_kw={"rows": 4, "maxlength": MAX_DESCRIPTION}
    )
    description_en = TextAreaField(
        _l("Description (English)"), render_kw={"rows": 4, "maxlength": MAX_DESCRIPTION}
    )
    people_scope = RadioField(_l("Who competes"), validate_choice=False)
    department_ids = MultiCheckboxField(_l("Departments"), coerce=int, validate_choice=False)
    job_ids = SelectMultipleField(
        _l("Jobs"),
        coerce=int,
        validate_choice=False,
        description=_l("Only referrals to these jobs count. None chosen: every job."),
        render_kw={"size": 6},
    )
    job_families = MultiCheckboxField(
        _l("Job families"),
        validate_choice=False,
        description=_l("Only referrals to jobs of these families count. None chosen: every job."),
    )
    metric = SelectField(_l("What counts"), validate_choice=False, default=Metric.POINTS.value)
    quality_min_referrals = IntegerField(
        _l("Minimum referrals to rank"),
        default=3,
        validators=[Optional()],
        description=_l("People with fewer referrals than this are not ranked on quality."),
    )
    team_mode = RadioField(
        _l("Departments against each other"), validate_choice=False, default=TeamMode.NONE.value
    )
    multiplier_percent = SelectField(
        _l("Points multiplier"),
        coerce=int,
        validate_choice=False,
        default=100,
        description=_l(
            "2× pays each stage's points once more, as a bonus from the challenge (capped per "
            "person)."
        ),
    )
    multiplier_job_ids = SelectMultipleField(
        _l("Jobs the multiplier applies to"),
        coerce=int,
        validate_choice=False,
        description=_l(
            "None chosen: every job in the challenge. Hard-to-fill jobs (★) are chosen for you."
        ),
        render_kw={"size": 6},
    )
    starts_at = _time_field(_l("Starts"), _l("Choose when the challenge starts."))
    ends_at = _time_field(_l("Ends"), _l("Choose when the challenge ends."))
    settlement_days = IntegerField(
        _l("Settlement period (days)"),
        default=0,
        validators=[Optional()],
        description=_l(
            "Referrals submitted in the window keep counting this many days after the end "
            "(e.g. 60 for hires)."
        ),
    )

    def setup(self, host: User, challenge: Challenge | None = None) -> ChallengeForm:
        """Offer what `host` may choose: HR the company, any departments or their team; a
        manager their own department or their team."""
        scopes = scope_labels()
        if host.role == Role.HR:
            offered = [PeopleScope.COMPANY, PeopleScope.DEPARTMENTS, PeopleScope.TEAM]
            departments = list(
                db.session.scalars(select(Department).order_by(func.lower(Department.name)))
            )
        else:
            offered = [PeopleScope.DEPARTMENTS, PeopleScope.TEAM]
            own = db.session.get(Department, host.department_id) if host.department_id else None
            departments = [own] if own else []
            scopes[PeopleScope.DEPARTMENTS] = _l("My department")
            scopes[PeopleScope.TEAM] = _l("My team (direct reports)")
        self.hr_host = PeopleScope.COMPANY in offered
        self.people_scope.choices = [SelectChoice(s.value, scopes[s]) for s in offered]
        if self.people_scope.data is None and not self.is_submitted():
            # HR: the company; a manager: their team
            self.people_scope.data = offered[0 if self.hr_host else -1].value
        self.department_ids.choices = [
            SelectChoice(d.id, localized(d, "name").text) for d in departments
        ]
        jobs = _jobs_for(challenge)
        labels = {job.id: _job_label(job) for job in jobs}
        self.job_ids.choices = [SelectChoice(i, text) for i, text in labels.items()]
        self.multiplier_job_ids.choices = list(self.job_ids.choices)
        self.job_families.choices = [
            SelectChoice(f.value, label) for f, label in job_family_labels().items()
        ]
        self.metric.choices = [SelectChoice(m.value, label) for m, label in metric_labels().items()]
        self.team_mode.choices = [
            SelectChoice(t.value, label) for t, label in team_mode_labels().items()
        ]
        low, high = multiplier_bounds()
        self.multiplier_percent.choices = [
            SelectChoice(p, times(p)) for p in range(low, high + 1, 50)
        ]
        if not self.is_submitted() and challenge is None:
            self._defaults(host, departments, jobs)
        return self

    def _defaults(self, host: User, departments: list[Department], jobs: list[Job]) -> None:
        start = (to_local(utcnow()) + timedelta(days=1)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
        self.starts_at.data = start
        self.ends_at.data = (start + timedelta(days=13)).replace(hour=18)
        if not self.hr_host and departments:
            self.department_ids.data = [departments[0].id]
        self.multiplier_job_ids.data = [job.id for job in jobs if job.hard_to_fill]

    def fill_from(self, challenge: Challenge) -> None:
        for name in ChallengeFields.__dataclass_fields__:
            value = getattr(challenge, name)
            if name in ("starts_at", "ends_at"):
                value = to_local(value)
            elif hasattr(value, "value"):
                value = value.value
            getattr(self, name).data = value

    def fields(self, host: User) -> ChallengeFields:
        scope = PeopleScope(self.people_scope.data) if self._known_scope() else None
        department_ids = list(self.department_ids.data or [])
        if scope == PeopleScope.DEPARTMENTS and not self.hr_host and not department_ids:
            department_ids = [host.department_id] if host.department_id else []
        return ChallengeFields(
            title=self.title.data or "",
            title_en=self.title_en.data or None,
            description=self.description.data or "",
            description_en=self.description_en.data or "",
            starts_at=to_utc(self.starts_at.data),  # type: ignore[arg-type]
            ends_at=to_utc(self.ends_at.data),  # type: ignore[arg-type]
            people_scope=scope or PeopleScope.COMPANY,
            department_ids=department_ids,
            job_ids=list(self.job_ids.data or []),
            job_families=list(self.job_families.data or []),
            metric=Metric(self.metric.data),
            quality_min_referrals=_or(self.quality_min_referrals.data, 3),
            team_mode=TeamMode(self.team_mode.data) if self.hr_host else TeamMode.NONE,
            multiplier_percent=_or(self.multiplier_percent.data, 100),
            multiplier_job_ids=list(self.multiplier_job_ids.data or []),
            settlement_days=_or(self.settlement_days.data, 0),
        )

    def _known_scope(self) -> bool:
        return self.people_scope.data in {s.value for s in PeopleScope}

    def check_choices(self) -> bool:
        """What the form itself refuses: a value that is none of the kinds there are."""
        known = {
            self.people_scope: PeopleScope,
            self.metric: Metric,
            self.team_mode: TeamMode,
        }
        ok = True
        for field, kinds in known.items():
            if field.data not in {k.value for k in kinds}:
                field.errors = [*field.errors, _l("Choose one of the options.")]
                ok = False
        return ok


def _or(value: int | None, default: int) -> int:
    return default if value is None else value


def _jobs_for(challenge: Challenge | None) -> list[Job]:
    """Open jobs, and the jobs the challenge already names (even if closed since)."""
    chosen: set[int] = set()
    if challenge is not None:
        chosen = set(challenge.job_ids or []) | set(challenge.multiplier_job_ids or [])
    query = select(Job).where((Job.status == JobStatus.OPEN) | Job.id.in_(chosen or {-1}))
    return list(db.session.scalars(query.order_by(Job.hard_to_fill.desc(), Job.id)))


def _job_label(job: Job) -> str:
    title = localized(job, "title").text
    return f"{title} ★" if job.hard_to_fill else title


class PrizeForm(FlaskForm):
    kind = RadioField(
        _l("Who wins it"),
        choices=[
            SelectChoice(PrizeKind.RANK.value, _l("Ranks")),
            SelectChoice(PrizeKind.THRESHOLD.value, _l("Everyone reaching a score")),
        ],
        default=PrizeKind.RANK.value,
    )
    rank_from = IntegerField(_l("From rank"), default=1, validators=[Optional()])
    rank_to = IntegerField(
        _l("To rank"), validators=[Optional()], description=_l("Empty: the one rank.")
    )
    # A whole score, or for the quality metric interviews per referral (0.5), kept in thousandths.
    threshold = DecimalField(_l("Score to reach"), places=None, validators=[Optional()])
    points = IntegerField(_l("Points"), default=0, validators=[Optional()])
    perk_id = SelectField(_l("Perk voucher"), coerce=_int_or_none, validate_choice=False)
    badge = BooleanField(_l("Challenge-winner badge"))
    thanks = BooleanField(_l("Public thanks on the wall"))

    metric: Metric | None = None

    def setup(self, metric: Metric | None = None) -> PrizeForm:
        self.metric = metric
        if metric == Metric.QUALITY:
            self.threshold.description = _l("Interviews per referral, such as 0.5.")
        perks = db.session.scalars(
            select(Perk).where(Perk.active.is_(True)).order_by(Perk.cost_points, Perk.id)
        )
        self.perk_id.choices = [SelectChoice("", _l("No perk"))] + [
            SelectChoice(p.id, p.name) for p in perks if p.in_stock
        ]
        return self

    def fields(self) -> PrizeFields:
        return PrizeFields(
            kind=PrizeKind(self.kind.data),
            rank_from=self.rank_from.data,
            rank_to=self.rank_to.data,
            threshold=self._threshold(),
            points=_or(self.points.data, 0),
            perk_id=self.perk_id.data,
            badge=bool(self.badge.data),
            thanks=bool(self.thanks.data),
        )

    def _threshold(self) -> int | None:
        value: Decimal | None = self.threshold.data
        if value is None or not value.is_finite():
            return None
        if self.metric == Metric.QUALITY:
            return int(value * 1000)  # thousandths, as the quality score is kept
        if value != value.to_integral_value():
            raise ChallengeError(_("The score to reach is a whole number."), field="threshold")
        return int(value)


class ExtendForm(FlaskForm):
    ends_at = _time_field(_l("New end"), _l("Choose the new end."))


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), render_kw={"rows": 2, "maxlength": MAX_DESCRIPTION})
