"""The company the demo runs in: departments, people (the demo logins and about 150 others, and a
newcomer who joined three weeks ago), jobs,
the program rules HR published before the first referral, and closing the jobs that were filled.

Only what is missing is added: departments by name, people by email, jobs by title; a department
or demo job still missing its English gets it."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import func, select

from community.accounts.models import Department, Role, User
from community.demo.data.company import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DEPARTMENT_NAMES_EN,
    DEPARTMENTS,
    GIVEN_NAMES,
    NEWCOMER_JOINED_DAYS_AGO,
    NEWCOMER_LOGIN,
    SURNAMES,
)
from community.demo.data.jobs import JOBS, PROFILE_EN
from community.extensions import db
from community.jobs.models import Education, Job, JobFamily, JobStatus
from community.jobs.services import close_job
from community.program.models import DEFAULT_BONUS_SPLIT, DEFAULT_STAGE_POINTS, ProgramRules
from community.program.queries import current_rules
from community.program.services import save_rules
from community.referrals.models import Referral, ReferralEvent

EMPLOYEE_COUNT = 150
HR_LOGIN = "hr@demo.example"
RULES_PUBLISHED_DAYS_AGO = 270


def add_departments() -> dict[str, Department]:
    """The departments of data/company.py (with their English names), by name."""
    departments = {}
    for name in DEPARTMENTS:
        department = db.session.scalars(select(Department).where(Department.name == name)).first()
        if department is None:
            department = Department(name=name)
            db.session.add(department)
        department.name_en = department.name_en or DEPARTMENT_NAMES_EN[name]
        departments[name] = department
    db.session.flush()
    return departments


def add_people(rng: random.Random, departments: dict[str, Department], now: datetime) -> list[User]:
    """The demo logins, then people drawn at random up to EMPLOYEE_COUNT (two managers per
    department, a few more HR), the last two of them gone from the company."""
    existing = {user.email: user for user in db.session.scalars(select(User))}
    users: list[User] = []
    created: set[str] = set()
    password_user = User(email="template@demo.example", name="template")
    password_user.set_password(DEMO_PASSWORD)
    password_hash = password_user.password_hash  # hashing is slow: hash once, share the result
    taken: set[str] = set()

    def add(email: str, name: str, role: Role, department: Department) -> User:
        # Drawn even for people who exist already, and exactly as the first version of this seed
        # drew it, so that every run (and --force over an older demo) names the same people.
        joined = now - timedelta(days=100 + rng.randint(200, 1500))
        user = existing.get(email)
        if user is None:
            user = User(
                email=email,
                name=name,
                role=role,
                department=department,
                password_hash=password_hash,
                created_at=joined,
            )
            db.session.add(user)
            created.add(email)
        users.append(user)
        taken.add(email)
        return user

    for email, name, role, department in DEMO_ACCOUNTS:
        if email != NEWCOMER_LOGIN:  # joins later: add_newcomer
            add(email, name, Role(role), departments[department])

    department_list = list(departments.values())
    hr_department = departments["人力资源部"]
    managers_per_department = {d.name: 0 for d in department_list}
    for d in department_list:
        managers_per_department[d.name] = sum(
            1 for u in users if u.department is d and u.role == Role.MANAGER
        )
    n = 0
    while len(users) < EMPLOYEE_COUNT:
        n += 1
        surname, surname_pinyin = rng.choice(SURNAMES)
        given, given_pinyin = rng.choice(GIVEN_NAMES)
        email = f"{given_pinyin.lower()}.{surname_pinyin.lower()}{n}@demo.example"
        if email in taken:
            continue
        department = department_list[n % len(department_list)]
        if department is hr_department and n % 3 == 0:
            role = Role.HR
        elif managers_per_department[department.name] < 2:
            role = Role.MANAGER
            managers_per_department[department.name] += 1
        else:
            role = Role.EMPLOYEE
        add(email, surname + given, role, department)
    # A couple of people who left the company: their history stays, they cannot log in.
    for user in users[-2:]:
        if user.email in created:
            user.is_active_account = False
            user.deactivated_at = now - timedelta(days=30)
    db.session.flush()
    return users


def add_newcomer(departments: dict[str, Department], now: datetime) -> User:
    """The newcomer login (NEWCOMER_LOGIN): joined NEWCOMER_JOINED_DAYS_AGO, referred nobody.

    Added after the drawn people and drawing nothing, so that everyone else is named, dated and
    picked as referrer exactly as before; not among the people the rest of the seed draws from
    either (a newcomer has no history yet), except the mentoring pair, whose mentee they are."""
    user = db.session.scalars(select(User).where(User.email == NEWCOMER_LOGIN)).first()
    if user is not None:
        return user
    _, name, role, department = next(a for a in DEMO_ACCOUNTS if a[0] == NEWCOMER_LOGIN)
    user = User(
        email=NEWCOMER_LOGIN,
        name=name,
        role=Role(role),
        department=departments[department],
        created_at=now - timedelta(days=NEWCOMER_JOINED_DAYS_AGO),
    )
    user.set_password(DEMO_PASSWORD)
    db.session.add(user)
    db.session.flush()
    return user


def add_jobs(departments: dict[str, Department], users: list[User], now: datetime) -> list[Job]:
    """The jobs of data/jobs.py. A job that ends up closed starts open: it closes once it is filled."""
    existing = {job.title: job for job in db.session.scalars(select(Job))}
    jobs = []
    hr = next(u for u in users if u.email == HR_LOGIN)
    for spec in JOBS:
        job = existing.get(spec["title"])
        if job is not None:
            if not job.title_en:
                job.title_en, job.location_en = spec["title_en"], spec["location_en"]
                for name, value in english_profile(spec).items():
                    setattr(job, name, value)
            jobs.append(job)
            continue
        department = departments[spec["department"]]
        managers = [u for u in users if u.department is department and u.role == Role.MANAGER]
        age = timedelta(days=spec["opened_days_ago"])
        is_draft = spec.get("status") == "draft"
        job = Job(
            title=spec["title"],
            title_en=spec["title_en"],
            **english_profile(spec),
            family=JobFamily(spec["family"]),
            department=department,
            location=spec["location"],
            location_en=spec["location_en"],
            description=spec["description"],
            competencies=spec["competencies"],
            education=Education(spec["education"]),
            min_years=spec["min_years"],
            skills=spec["skills"],
            certificates=spec["certificates"],
            soft_traits=spec["soft_traits"],
            challenges=spec["challenges"],
            interview_focus=spec.get("interview_focus", ""),
            interview_focus_en=spec.get("interview_focus_en", ""),
            bonus_minor=spec["bonus"] * 100,
            bonus_currency="CNY",
            hard_to_fill=spec["hard_to_fill"],
            hiring_manager=managers[0] if managers else None,
            status=JobStatus.DRAFT if is_draft else JobStatus.OPEN,
            created_by_id=hr.id,
            created_at=now - age if is_draft else now - age - timedelta(days=3),
            opened_at=None if is_draft else now - age,
        )
        db.session.add(job)
        jobs.append(job)
    db.session.flush()
    return jobs


def english_profile(spec: dict) -> dict[str, object]:
    """A demo job's English: its description and challenges, and each list's items line by line
    (from the glossary; names such as "Go" are the same in both languages)."""
    lists = ("competencies", "skills", "certificates", "soft_traits")
    english: dict[str, object] = {
        f"{name}_en": [PROFILE_EN.get(item, "") for item in spec[name]] for name in lists
    }
    english["description_en"] = spec["description_en"]
    english["challenges_en"] = spec["challenges_en"]
    return english


def publish_rules(hr: User, now: datetime) -> None:
    """Publish the program rules (the defaults) before the first referral, unless HR has."""
    if current_rules().id is not None:
        return
    rules: ProgramRules = save_rules(
        hr,
        all_departments_eligible=True,
        ownership_window_days=180,
        bonus_split=dict(DEFAULT_BONUS_SPLIT),
        stage_points=dict(DEFAULT_STAGE_POINTS),
        review_sla_days=3,
    )
    rules.created_at = now - timedelta(days=RULES_PUBLISHED_DAYS_AGO)
    db.session.commit()


def close_filled_jobs(jobs: list[Job], hr: User, now: datetime) -> None:
    """Close the jobs data/jobs.py marks closed, the day after their last referral moved."""
    for spec, job in zip(JOBS, jobs, strict=True):
        if spec.get("status") != "closed" or job.status != JobStatus.OPEN:
            continue
        last_move = db.session.scalar(
            select(func.max(ReferralEvent.created_at))
            .join(Referral, ReferralEvent.referral_id == Referral.id)
            .where(Referral.job_id == job.id)
        )
        close_job(hr, job)
        closed_at = (last_move or now - timedelta(days=6)) + timedelta(days=1)
        job.closed_at = min(closed_at, now - timedelta(hours=1))
        db.session.commit()
