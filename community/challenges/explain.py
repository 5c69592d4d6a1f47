"""A challenge's rules in words, as its page lists them: who takes part, which referrals count,
what it ranks by, the multiplier and its cap, the window and the settlement, ties, and the daily
cap on submissions. The same rules `credits` applies, said once for the reader."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import format_datetime, ngettext
from flask_babel import gettext as _
from sqlalchemy import select

from community.accounts.models import Department
from community.challenges import labels
from community.challenges.models import Challenge, Metric, PeopleScope
from community.core.i18n import join_names
from community.core.localized import localized
from community.extensions import db
from community.jobs.labels import job_family_label
from community.jobs.models import Job


def people_in_words(challenge: Challenge) -> str:
    """Who competes: "Everyone in the company", "People in Sales and Engineering", "The direct
    reports of Wang Li"."""
    if challenge.people_scope == PeopleScope.DEPARTMENTS:
        departments = db.session.scalars(
            select(Department)
            .where(Department.id.in_(challenge.department_ids or [-1]))
            .order_by(Department.name)
        )
        names = [localized(d, "name").text for d in departments]
        return _("People in %(departments)s", departments=join_names(names))
    if challenge.people_scope == PeopleScope.TEAM:
        return _("The direct reports of %(host)s", host=challenge.host.shown_name)
    return _("Everyone in the company")


def _job_titles(job_ids: list[int]) -> str:
    jobs = db.session.scalars(select(Job).where(Job.id.in_(job_ids or [-1])).order_by(Job.id))
    return join_names([localized(job, "title").text for job in jobs])


def jobs_in_words(challenge: Challenge) -> str:
    """Which referrals count: to any job, to some jobs, to jobs of some families."""
    families = join_names([job_family_label(f) for f in challenge.job_families or []])
    if challenge.job_ids and families:
        return _(
            "Referrals to %(jobs)s, in the families %(families)s",
            jobs=_job_titles(challenge.job_ids),
            families=families,
        )
    if challenge.job_ids:
        return _("Referrals to %(jobs)s", jobs=_job_titles(challenge.job_ids))
    if families:
        return _("Referrals to jobs in %(families)s", families=families)
    return _("Referrals to any job")


@dataclass(frozen=True)
class Rule:
    icon: str
    text: str
    testid: str


def _config(name: str, default: int) -> int:
    return int(current_app.config.get(name, default))


def rule_lines(challenge: Challenge) -> list[Rule]:
    """The rules, one line each, in the order a participant asks about them."""
    lines = [
        Rule("bi-people", people_in_words(challenge), "rule-people"),
        Rule("bi-briefcase", jobs_in_words(challenge), "rule-jobs"),
        Rule("bi-bar-chart", labels.metric_rule(challenge), "rule-metric"),
    ]
    if challenge.multiplier_percent > 100:
        jobs = (
            _job_titles(challenge.multiplier_job_ids)
            if challenge.multiplier_job_ids
            else _("every job in the challenge")
        )
        cap = _config("CHALLENGE_BONUS_CAP", 2000)
        lines.append(
            Rule(
                "bi-lightning-charge",
                ngettext(
                    "%(times)s× stage points for referrals to %(jobs)s, at most %(num)s bonus "
                    "point per person.",
                    "%(times)s× stage points for referrals to %(jobs)s, at most %(num)s bonus "
                    "points per person.",
                    cap,
                    times=f"{challenge.multiplier_percent / 100:g}",
                    jobs=jobs,
                ),
                "rule-multiplier",
            )
        )
    lines.append(
        Rule(
            "bi-calendar-range",
            _(
                "A referral counts if it is submitted between %(start)s and %(end)s; its events "
                "count until %(settles)s.",
                start=format_datetime(challenge.starts_at, "short"),
                end=format_datetime(challenge.ends_at, "short"),
                settles=format_datetime(challenge.settles_at, "short"),
            ),
            "rule-window",
        )
    )
    lines.append(
        Rule(
            "bi-sort-numeric-down",
            _("On equal scores, whoever reached the score first ranks higher."),
            "rule-ties",
        )
    )
    if challenge.metric == Metric.POINTS:
        lines.append(
            Rule(
                "bi-speedometer2",
                ngettext(
                    "Submissions count at most %(num)s time a day per person; later stages "
                    "always count.",
                    "Submissions count at most %(num)s times a day per person; later stages "
                    "always count.",
                    _config("CHALLENGE_DAILY_SUBMISSIONS", 3),
                ),
                "rule-daily-cap",
            )
        )
    lines.append(
        Rule(
            "bi-person-x",
            _("The host and HR do not compete, and nobody earns credit for their own decision."),
            "rule-host",
        )
    )
    return lines
