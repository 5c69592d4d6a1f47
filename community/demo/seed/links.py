"""The demo's personal links (community/links), written through its services: two demo logins
share their links (visitors counted as the pages count them), three candidates applied through
them — through `referrals.services.submit_application`, so each is the referrer's referral with
its source — one job link is switched off by its owner and one colleague's code by HR. Added once
(a demo with any referral code gets none)."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from community.accounts.models import Role, User
from community.demo.data.company import DEMO_ACCOUNTS
from community.demo.data.links import APPLICANTS, SHARED_LINKS, SWITCHED_OFF_BY_HR
from community.demo.resume_pdf import resume_pdf
from community.extensions import db
from community.jobs.models import Job
from community.links import services
from community.links.models import ReferralCode
from community.referrals.services import Application, ResumeUpload


def _user(email: str) -> User | None:
    return db.session.scalars(select(User).where(User.email == email)).first()


def _job(title: str) -> Job | None:
    return db.session.scalars(select(Job).where(Job.title == title)).first()


def add_links(hr: User) -> int:
    """Codes, visits, applications and switches; how many applications were added."""
    if db.session.scalar(select(func.count(ReferralCode.id))):
        return 0
    for email, job_visits, all_visits in SHARED_LINKS:
        owner = _user(email)
        if owner is None:
            continue
        code = services.code_of(owner)
        for n in range(all_visits):
            services.count_click(code, None, f"demo-visitor-{email}-all-{n}")
        for title, visits in job_visits:
            job = _job(title)
            if job is None or not job.is_open:
                continue
            for n in range(visits):
                services.count_click(code, job, f"demo-visitor-{email}-{job.id}-{n}")
    added = 0
    for name, email, phone, employer, title, job_title, referrer_email, locale, typed in APPLICANTS:
        referrer, job = _user(referrer_email), _job(job_title)
        if referrer is None or job is None or not job.is_open:
            continue
        pdf = resume_pdf((name, email, phone, employer, title, job_title), job)
        services.apply_through(
            services.code_of(referrer),
            job,
            Application(
                name=name,
                email=email,
                phone=phone,
                current_employer=employer,
                current_title=title,
                resume=ResumeUpload(io.BytesIO(pdf), f"{email.split('@')[0]}.pdf"),
                consent=True,
                locale=locale,
            ),
            typed_code=typed,
        )
        added += 1
    sales = _user("sales@demo.example")
    quiet = _job("销售代表（华东区）")
    if sales is not None and quiet is not None and quiet.is_open:
        services.switch_link(sales, services.code_of(sales), quiet, False)
    colleagues = db.session.scalars(
        select(User)
        .where(
            User.role == Role.EMPLOYEE,
            User.is_active_account.is_(True),
            User.email.not_in([account[0] for account in DEMO_ACCOUNTS]),
        )
        .order_by(User.id)
        .offset(SWITCHED_OFF_BY_HR)
        .limit(1)
    ).first()
    if colleagues is not None:
        services.switch_code(hr, services.code_of(colleagues), False)
    return added
