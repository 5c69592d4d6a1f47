"""Reading jobs: the employees' search, HR's overview, and the "strong referral" guidance."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask import abort
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import String, case, cast, func, or_, select
from sqlalchemy.orm import contains_eager

from community.accounts.models import Department, Role, User
from community.core.i18n import join_names
from community.core.localized import Localized, choose, localized, localized_list
from community.core.sorting import Sort, Sorting, SortKey
from community.extensions import db
from community.jobs.labels import education_label
from community.jobs.models import Education, Job, JobStatus
from community.jobs.permissions import can_view_job

JOBS_PER_PAGE = 12


@dataclass(frozen=True)
class JobFilters:
    """What an employee searches for on the jobs page."""

    q: str = ""
    department_id: int | None = None
    location: str = ""
    hard_to_fill: bool = False

    @property
    def active(self) -> bool:
        return bool(self.q or self.department_id or self.location or self.hard_to_fill)

    def as_args(self) -> dict[str, Any]:
        """Query-string arguments that reproduce these filters (for pagination links)."""
        args: dict[str, Any] = {}
        if self.q:
            args["q"] = self.q
        if self.department_id:
            args["department"] = self.department_id
        if self.location:
            args["location"] = self.location
        if self.hard_to_fill:
            args["hard_to_fill"] = "1"
        return args


def _like(text: str) -> str:
    escaped = text.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f"%{escaped}%"


def _search_clause(q: str) -> Any:
    """Title, description, challenges, location, skills and competencies contain `q`, in either
    language."""
    pattern = _like(q)
    # JSON lists may store non-ASCII text \u-escaped, so match the escaped spelling too.
    escaped_q = json.dumps(q)[1:-1]
    json_patterns = {pattern, _like(escaped_q)}
    texts = (Job.title, Job.title_en, Job.description, Job.description_en, Job.challenges)
    texts += (Job.challenges_en, Job.location, Job.location_en)
    clauses = [column.ilike(pattern, escape="!") for column in texts]
    for column in (Job.skills, Job.skills_en, Job.competencies, Job.competencies_en):
        clauses += [cast(column, String).ilike(p, escape="!") for p in json_patterns]
    return or_(*clauses)


# The employees' jobs list: the orders they may choose (a select, not headers: it shows cards).
OPEN_JOB_SORTING = Sorting(
    keys={
        "hard_to_fill": SortKey(
            _l("Urgency"),
            [Job.hard_to_fill, Job.opened_at],
            default_dir="desc",
            phrases=(
                _l("hard-to-fill jobs last, then oldest"),
                _l("hard-to-fill jobs first, then newest"),
            ),
        ),
        "newest": SortKey(
            _l("Opened"),
            [Job.opened_at],
            kind="date",
            default_dir="desc",
            phrases=(_l("oldest first"), _l("newest first")),
        ),
        "bonus": SortKey(
            _l("Referral bonus"),
            [Job.bonus_minor],
            kind="number",
            default_dir="desc",
            then=[Job.opened_at.desc()],
        ),
        "department": SortKey(
            _l("Department"), [func.lower(Department.name)], then=[Job.opened_at.desc()]
        ),
    },
    default="hard_to_fill",
    default_dir="desc",
    tiebreak=Job.id,
)

# HR's jobs list: what a header click may sort by. The jobs changed last come first.
MANAGED_JOB_SORTING = Sorting(
    keys={
        "title": SortKey(_l("Job"), [func.lower(Job.title)]),
        "department": SortKey(_l("Department"), [func.lower(Department.name)]),
        "location": SortKey(_l("Location"), [func.lower(Job.location)]),
        "status": SortKey(
            _l("Status"),
            [
                case(
                    {
                        JobStatus.OPEN.value: 0,
                        JobStatus.DRAFT.value: 1,
                        JobStatus.CLOSED.value: 2,
                    },
                    value=cast(Job.status, String),
                    else_=3,
                )
            ],
            phrases=(_l("open, then drafts, then closed"), _l("closed, then drafts, then open")),
            then=[Job.updated_at.desc()],
        ),
        "bonus": SortKey(_l("Bonus"), [Job.bonus_minor], kind="number", default_dir="desc"),
        "updated": SortKey(
            _l("Last changed"),
            [Job.updated_at],
            kind="date",
            default_dir="desc",
            phrases=(_l("longest unchanged first"), _l("most recently changed first")),
        ),
    },
    default="updated",
    default_dir="desc",
    tiebreak=Job.id,
)


def search_open_jobs(
    filters: JobFilters,
    page: int = 1,
    per_page: int = JOBS_PER_PAGE,
    sort: Sort | None = None,
) -> Pagination:
    """Open jobs matching `filters`, in `sort`'s order (hard-to-fill and newest first without)."""
    stmt = (
        select(Job)
        .join(Job.department)
        .options(contains_eager(Job.department))
        .where(Job.status == JobStatus.OPEN)
    )
    if filters.q:
        stmt = stmt.where(_search_clause(filters.q))
    if filters.department_id:
        stmt = stmt.where(Job.department_id == filters.department_id)
    if filters.location:
        stmt = stmt.where(Job.location == filters.location)
    if filters.hard_to_fill:
        stmt = stmt.where(Job.hard_to_fill.is_(True))
    stmt = (sort or OPEN_JOB_SORTING.parse({})).apply(stmt)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def open_job_facets() -> tuple[list[Department], list[tuple[str, Localized]]]:
    """Departments and locations (each location as its value and its name in the reader's
    language) that have at least one open job, for the filter selects, by shown name."""
    departments = sorted(
        db.session.scalars(
            select(Department).where(
                Department.id.in_(select(Job.department_id).where(Job.status == JobStatus.OPEN))
            )
        ),
        key=lambda department: localized(department, "name").casefold(),
    )
    rows = db.session.execute(
        select(Job.location, func.max(Job.location_en))
        .where(Job.status == JobStatus.OPEN)
        .group_by(Job.location)
    )
    locations = sorted(
        ((location, choose(location, english)) for location, english in rows),
        key=lambda pair: pair[1].casefold(),
    )
    return departments, locations


@dataclass(frozen=True)
class ManagedJobFilters:
    """What HR narrowed the jobs list to."""

    status: JobStatus | None = None
    department_id: int | None = None
    q: str = ""

    def as_args(self) -> dict[str, Any]:
        args: dict[str, Any] = {}
        if self.status:
            args["status"] = self.status.value
        if self.department_id:
            args["department"] = self.department_id
        if self.q:
            args["q"] = self.q
        return args

    @property
    def active(self) -> bool:
        return bool(self.as_args())


def jobs_for_management(
    filters: ManagedJobFilters, sort: Sort | None = None, page: int = 1, per_page: int = 25
) -> Pagination:
    """Every job matching HR's filters, in `sort`'s order (last changed first without one)."""
    stmt = select(Job).join(Job.department).options(contains_eager(Job.department))
    if filters.status is not None:
        stmt = stmt.where(Job.status == filters.status)
    if filters.department_id:
        stmt = stmt.where(Job.department_id == filters.department_id)
    if filters.q:
        stmt = stmt.where(_search_clause(filters.q))
    stmt = (sort or MANAGED_JOB_SORTING.parse({})).apply(stmt)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def job_counts_by_status() -> dict[JobStatus, int]:
    rows = db.session.execute(select(Job.status, func.count()).group_by(Job.status)).all()
    counts = {status: 0 for status in JobStatus}
    counts.update({status: count for status, count in rows})
    return counts


def eligible_hiring_managers() -> list[User]:
    """Active managers and HR colleagues: the people who can own a job's hiring."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.role.in_([Role.MANAGER, Role.HR]), User.is_active_account.is_(True))
            .order_by(User.name)
        )
    )


def strong_referral_points(job: Job) -> list[str]:
    """What a strong referral for `job` looks like: hard requirements met, competencies shown with
    evidence, soft traits vouched for first-hand, and a candidate who knows the challenges."""
    points: list[str] = []
    hard: list[str] = []
    skills, certificates = localized_list(job, "skills"), localized_list(job, "certificates")
    competencies, traits = localized_list(job, "competencies"), localized_list(job, "soft_traits")
    if job.education != Education.NONE:
        hard.append(_("%(level)s or higher", level=education_label(job.education)))
    if job.min_years:
        hard.append(
            ngettext(
                "at least %(num)s year of relevant experience",
                "at least %(num)s years of relevant experience",
                job.min_years,
            )
        )
    if skills:
        hard.append(_("hands-on work with %(skills)s", skills=join_names(skills)))
    if certificates:
        hard.append(_("holding %(certificates)s", certificates=join_names(certificates)))
    if hard:
        points.append(
            _(
                "They meet the hard requirements — %(requirements)s — and you can say how you know.",
                requirements=join_names(hard),
            )
        )
    if competencies:
        points.append(
            _(
                "You can point to real evidence of %(competencies)s: a project they delivered, a "
                "problem they solved, a result they can put a number on.",
                competencies=join_names(competencies),
            )
        )
    if traits:
        points.append(
            _(
                "You have seen their %(traits)s first-hand, so you can vouch for it rather than "
                "repeat what others say.",
                traits=join_names(traits),
            )
        )
    if job.challenges:
        points.append(
            _(
                "You have told them honestly what is hard about this job, and they still want it. "
                "Realistic expectations make hires that stay."
            )
        )
    points.append(
        _(
            "They would be a good colleague even if they were not your friend: refer for fit, "
            "not as a favour."
        )
    )
    return points


def get_job_for(user: User, job_id: int) -> Job:
    """The job `user` may see, or 404: drafts are HR's alone (a missing id looks the same)."""
    job = db.session.get(Job, job_id)
    if job is None or not can_view_job(user, job):
        abort(404)
    return job
