"""The weak-spot finder's numbers (`analytics.findings.Facts`) read from the analytics queries,
and the findings a reader gets: HR all of them, a manager those about their own department,
anyone else none (their page is about their own referrals).

The company's figures the findings compare against ("company 18%") are the whole company's, the
reader's other filters kept: aggregates over everyone, which name nobody.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from fractions import Fraction

from flask_babel import gettext as _
from sqlalchemy import func, select

from community.accounts.models import User
from community.analytics import findings
from community.analytics.filters import Filters
from community.analytics.queries import funnel, participation, timing
from community.analytics.scope import Reach, Scope
from community.core.localized import localized
from community.core.time import local_today, to_local
from community.extensions import db
from community.jobs.labels import job_family_label
from community.jobs.models import Job, JobStatus
from community.program.queries import current_rules
from community.referrals.models import Referral

DAY = 86_400


def period_words(filters: Filters) -> str:
    return {
        "month": _("this month"),
        "quarter": _("this quarter"),
        "year": _("this year"),
    }.get(filters.period, _("in this period"))


def _open_jobs(department_id: int | None, today: date) -> tuple[findings.OpenJob, ...]:
    query = select(Job).where(Job.status == JobStatus.OPEN, Job.opened_at.is_not(None))
    if department_id is not None:
        query = query.where(Job.department_id == department_id)
    jobs = list(db.session.scalars(query.order_by(Job.opened_at, Job.id)))
    made = dict(
        db.session.execute(
            select(Referral.job_id, func.count(Referral.id))
            .where(Referral.job_id.in_([job.id for job in jobs]))
            .group_by(Referral.job_id)
        ).all()
    )
    return tuple(
        findings.OpenJob(
            job.id,
            str(localized(job, "title")),
            job.department_id,
            (today - to_local(job.opened_at).date()).days,  # type: ignore[arg-type]
            int(made.get(job.id, 0)),
        )
        for job in jobs
    )


def gather(scope: Scope) -> findings.Facts:
    """The numbers the rules read, for the reader's scope and filters."""
    filters = scope.filters
    company = Scope(Reach.COMPANY, replace(filters, department_id=None), scope.viewer_id)
    shares = participation.participation(filters, scope)
    overall = funnel.funnel(company.filters, company)
    families = funnel.funnel_by(filters, scope, "family")
    jobs = funnel.funnel_by(filters, scope, "job")
    departments = dict(
        db.session.execute(
            select(Job.id, Job.department_id).where(Job.id.in_([row.key for row in jobs]))
        ).all()
    )
    first_review = timing.timing(filters, scope).stages[0].spread
    late_share = timing.sla(filters, scope).breach_rate
    median = first_review.median_seconds
    return findings.Facts(
        period=period_words(filters),
        departments=tuple(
            findings.DepartmentShare(
                d.department_id, d.label, d.participation.people, d.participation.referrers
            )
            for d in shares.departments
        ),
        company_people=shares.company.people,
        company_referrers=shares.company.referrers,
        families=tuple(
            findings.Reach(
                str(row.key),
                job_family_label(str(row.key)),
                row.funnel.count("submitted"),
                row.funnel.count("interviewed"),
            )
            for row in families
        ),
        jobs=tuple(
            findings.Reach(
                str(row.key),
                row.label,
                row.funnel.count("submitted"),
                row.funnel.count("interviewed"),
                departments.get(row.key),
            )
            for row in jobs
        ),
        company_referrals=overall.count("submitted"),
        company_interviewed=overall.count("interviewed"),
        review_median_days=None if median is None else Fraction(median, DAY),
        reviewed=first_review.count,
        sla_days=current_rules().review_sla_days,
        late_share=late_share,
        open_jobs=_open_jobs(filters.department_id, local_today()),
    )


def findings_for(viewer: User, scope: Scope) -> list[findings.Finding]:
    """The findings `viewer` reads on their dashboard."""
    if scope.reach == Reach.OWN:
        return []
    found = findings.find(gather(scope))
    if scope.reach == Reach.DEPARTMENT:
        return findings.for_department(found, viewer.department_id)
    return found
