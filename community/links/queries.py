"""Reads of the links room: a code and a job's link as a candidate may open them, an employee's
links with their counts, HR's list of codes, and how a referrer is named to a candidate."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select

from community.accounts.models import User
from community.core.errors import DomainError
from community.extensions import db
from community.jobs.models import Job, JobStatus
from community.links import codes
from community.links.models import PersonalLink, ReferralCode
from community.program.queries import current_rules
from community.referrals.models import Referral, ReferralSource
from community.referrals.services import check_link_open

# Applications through links and the typed code are what the counts count (not invitations).
APPLIED = (ReferralSource.LINK, ReferralSource.CODE)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# Two-character surnames, so that 欧阳娜 is introduced as 娜 and not 阳娜.
_COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "尉迟", "长孙",
    "宇文", "司徒", "夏侯", "公孙", "端木", "独孤", "南宫", "西门", "申屠", "轩辕",
)  # fmt: skip


def first_name(user: User) -> str:
    """How a candidate is told who refers them: the given name only. A Chinese name (surname
    first) loses its surname — one character, or two for a compound one — unless nothing would
    be left; a name in Latin letters keeps its first word."""
    name = " ".join((user.shown_name or "").split())
    if not name:
        return ""
    if _HAN.match(name) and " " not in name:
        surname = 2 if name[:2] in _COMPOUND_SURNAMES else 1
        return name[surname:] if len(name) > surname else name
    return name.split(" ", 1)[0]


def active_code(typed: str | None) -> ReferralCode | None:
    """The code a URL carries or a candidate typed, if it works: switched on, and its owner still
    works here. None for anything else (forged, unknown, switched off, its owner gone)."""
    code = codes.normalise_code(typed)
    if code is None:
        return None
    found = db.session.scalars(
        select(ReferralCode).join(ReferralCode.user).where(ReferralCode.code == code)
    ).first()
    if found is None or not found.active or not found.user.is_active_account:
        return None
    return found


def _switched_off_jobs(code: ReferralCode) -> Select[tuple[int]]:
    return select(PersonalLink.job_id).where(
        PersonalLink.code_id == code.id, PersonalLink.active.is_(False)
    )


def linked_job(code: ReferralCode, job_id: int) -> Job | None:
    """The job `code`'s link for `job_id` leads to, if it takes applications: the job is open,
    that link is not switched off, and the owner's department is in the referral program."""
    job = db.session.get(Job, job_id)
    if job is None or not job.is_open:
        return None
    if db.session.scalar(_switched_off_jobs(code).where(PersonalLink.job_id == job.id)):
        return None
    try:
        check_link_open(code.user, job)
    except DomainError:
        return None
    return job


def takes_applications(code: ReferralCode) -> bool:
    """Whether any link of `code` can take an application now (its owner is in the program)."""
    owner = code.user
    return owner.is_active_account and current_rules().is_department_eligible(owner.department_id)


def open_jobs_of(code: ReferralCode) -> list[Job]:
    """The open jobs `code`'s all-jobs link shows: hard to fill first, then the newest; none when
    its owner's department is not in the program; without the links switched off."""
    if not takes_applications(code):
        return []
    return list(
        db.session.scalars(
            select(Job)
            .where(Job.status == JobStatus.OPEN, Job.id.not_in(_switched_off_jobs(code)))
            .order_by(Job.hard_to_fill.desc(), Job.opened_at.desc(), Job.id.desc())
        )
    )


def all_open_jobs() -> list[Job]:
    """Every open job, for the public jobs page (hard to fill first, then the newest)."""
    return list(
        db.session.scalars(
            select(Job)
            .where(Job.status == JobStatus.OPEN)
            .order_by(Job.hard_to_fill.desc(), Job.opened_at.desc(), Job.id.desc())
        )
    )


@dataclass(frozen=True)
class LinkRow:
    """One line of "My links": the all-jobs link (`job` None) or one job's link."""

    job: Job | None
    link_id: int | None
    active: bool
    off_by_hr: bool
    clicks: int
    applications: int


@dataclass(frozen=True)
class MyLinks:
    code: ReferralCode
    all_jobs: LinkRow
    jobs: list[LinkRow]
    typed_code_applications: int  # applications where the candidate typed the code


def application_counts(user_id: int) -> dict[tuple[int, ReferralSource], int]:
    """How many referrals came to `user_id` through their links and code, per job and source."""
    rows = db.session.execute(
        select(Referral.job_id, Referral.source, func.count(Referral.id))
        .where(Referral.referrer_id == user_id, Referral.source.in_(APPLIED))
        .group_by(Referral.job_id, Referral.source)
    ).all()
    return {(job_id, ReferralSource(source)): n for job_id, source, n in rows}


def my_links(code: ReferralCode) -> MyLinks:
    """`code`'s owner's links with their counts: the all-jobs link (its visitors; every
    application through a link or the code), then one link per open job (a closed job's link
    leads nowhere, so it is not listed; its applications stay on the referrals)."""
    counts = application_counts(code.user_id)
    rows = {
        link.job_id: link
        for link in db.session.scalars(select(PersonalLink).where(PersonalLink.code_id == code.id))
    }
    jobs: list[LinkRow] = []
    for job in all_open_jobs():
        link = rows.get(job.id)
        jobs.append(
            LinkRow(
                job=job,
                link_id=link.id if link else None,
                active=link.active if link else True,
                off_by_hr=link.off_by_hr if link else False,
                clicks=link.clicks if link else 0,
                applications=sum(counts.get((job.id, source), 0) for source in APPLIED),
            )
        )
    all_jobs = LinkRow(
        job=None,
        link_id=None,
        active=code.active,
        off_by_hr=code.off_by_hr,
        clicks=code.clicks,
        applications=sum(n for (_job, source), n in counts.items() if source in APPLIED),
    )
    typed = sum(n for (_job, source), n in counts.items() if source == ReferralSource.CODE)
    return MyLinks(code=code, all_jobs=all_jobs, jobs=jobs, typed_code_applications=typed)


def codes_for_hr(q: str = "") -> Select[tuple[ReferralCode]]:
    """Every referral code with its owner, for HR: switched-off ones first, then by name;
    `q` finds a person by name, e-mail or the code itself."""
    stmt = select(ReferralCode).join(ReferralCode.user)
    q = " ".join((q or "").split())[:80]
    if q:
        like = f"%{q.replace('%', '').replace('_', '')}%"
        typed = codes.normalise_code(q)
        stmt = stmt.where(
            or_(
                User.name.ilike(like),
                User.display_name.ilike(like),
                User.email.ilike(like),
                *([ReferralCode.code == typed] if typed else []),
            )
        )
    return stmt.order_by(ReferralCode.active, User.name, ReferralCode.id)


def links_of(code_ids: list[int]) -> dict[int, list[PersonalLink]]:
    """The job links that have a row (opened, or switched) among `code_ids`, per code: switched-off
    ones first (for HR's list)."""
    found: dict[int, list[PersonalLink]] = {}
    if not code_ids:
        return found
    for link in db.session.scalars(
        select(PersonalLink)
        .where(PersonalLink.code_id.in_(code_ids))
        .order_by(PersonalLink.active, PersonalLink.clicks.desc(), PersonalLink.id)
    ):
        found.setdefault(link.code_id, []).append(link)
    return found


@dataclass(frozen=True)
class Totals:
    clicks: int
    applications: int


def totals(codes_shown: list[ReferralCode]) -> dict[int, Totals]:
    """Each code's visitors (all its links) and applications (through links or the code)."""
    if not codes_shown:
        return {}
    ids = [code.id for code in codes_shown]
    link_clicks = dict(
        db.session.execute(
            select(PersonalLink.code_id, func.sum(PersonalLink.clicks))
            .where(PersonalLink.code_id.in_(ids))
            .group_by(PersonalLink.code_id)
        ).all()
    )
    applied = dict(
        db.session.execute(
            select(Referral.referrer_id, func.count(Referral.id))
            .where(
                Referral.referrer_id.in_([code.user_id for code in codes_shown]),
                Referral.source.in_(APPLIED),
            )
            .group_by(Referral.referrer_id)
        ).all()
    )
    return {
        code.id: Totals(
            clicks=code.clicks + int(link_clicks.get(code.id) or 0),
            applications=int(applied.get(code.user_id) or 0),
        )
        for code in codes_shown
    }
