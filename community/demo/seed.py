"""`flask seed-demo`: load a believable company once. Running it again changes nothing."""

from __future__ import annotations

import logging
import random
from datetime import timedelta

from sqlalchemy import func, select

from community.accounts.models import Department, Role, User
from community.core.time import utcnow
from community.demo import data
from community.extensions import db
from community.jobs.models import Education, Job, JobFamily, JobStatus

logger = logging.getLogger(__name__)

EMPLOYEE_COUNT = 150


def load(force: bool = False) -> str:
    """Load the demo company unless any user exists already; return a one-line summary."""
    if not force and db.session.scalar(select(func.count(User.id))):
        return "Demo data already present: nothing to do."
    rng = random.Random(2026)
    departments = _departments()
    users = _users(rng, departments)
    jobs = _jobs(rng, departments, users)
    db.session.commit()
    referrals = _referrals(rng, users, jobs)
    return (
        f"Loaded demo company: {len(departments)} departments, {len(users)} people, "
        f"{len(jobs)} jobs, {referrals} referrals."
    )


def _departments() -> dict[str, Department]:
    departments = {}
    for name in data.DEPARTMENTS:
        department = db.session.scalars(select(Department).where(Department.name == name)).first()
        if department is None:
            department = Department(name=name)
            db.session.add(department)
        departments[name] = department
    db.session.flush()
    return departments


def _users(rng: random.Random, departments: dict[str, Department]) -> list[User]:
    users: list[User] = []
    password_user = User(email="template@demo.example", name="template")
    password_user.set_password(data.DEMO_PASSWORD)
    password_hash = password_user.password_hash  # hashing is slow: hash once, share the result
    taken: set[str] = set()

    def add(email: str, name: str, role: Role, department: Department) -> User:
        user = User(
            email=email,
            name=name,
            role=role,
            department=department,
            password_hash=password_hash,
            created_at=utcnow() - timedelta(days=rng.randint(200, 1500)),
        )
        db.session.add(user)
        users.append(user)
        taken.add(email)
        return user

    for email, name, role, department in data.DEMO_ACCOUNTS:
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
        surname, surname_pinyin = rng.choice(data.SURNAMES)
        given, given_pinyin = rng.choice(data.GIVEN_NAMES)
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
        user.is_active_account = False
        user.deactivated_at = utcnow() - timedelta(days=30)
    db.session.flush()
    return users


def _jobs(rng: random.Random, departments: dict[str, Department], users: list[User]) -> list[Job]:
    jobs = []
    hr = next(u for u in users if u.role == Role.HR)
    for index, spec in enumerate(data.JOBS):
        department = departments[spec["department"]]
        managers = [u for u in users if u.department is department and u.role == Role.MANAGER]
        status = JobStatus.OPEN
        if index == len(data.JOBS) - 1:
            status = JobStatus.CLOSED
        elif index == len(data.JOBS) - 2:
            status = JobStatus.DRAFT
        opened = utcnow() - timedelta(days=rng.randint(10, 120))
        job = Job(
            title=spec["title"],
            family=JobFamily(spec["family"]),
            department=department,
            location=spec["location"],
            description=spec["description"],
            competencies=spec["competencies"],
            education=Education(spec["education"]),
            min_years=spec["min_years"],
            skills=spec["skills"],
            certificates=spec["certificates"],
            soft_traits=spec["soft_traits"],
            challenges=spec["challenges"],
            bonus_minor=spec["bonus"] * 100,
            bonus_currency="CNY",
            hard_to_fill=spec["hard_to_fill"],
            hiring_manager=managers[0] if managers else None,
            status=status,
            created_by_id=hr.id,
            created_at=opened - timedelta(days=3),
            opened_at=opened if status != JobStatus.DRAFT else None,
            closed_at=utcnow() - timedelta(days=5) if status == JobStatus.CLOSED else None,
        )
        db.session.add(job)
        jobs.append(job)
    db.session.flush()
    return jobs


def _referrals(rng: random.Random, users: list[User], jobs: list[Job]) -> int:
    """Referrals in every stage, with histories, written through the referral services."""
    return 0
