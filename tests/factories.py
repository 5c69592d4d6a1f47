"""Small factories so tests read like the domain: make_user(role=Role.HR), make_job(...)."""

from __future__ import annotations

import itertools
from typing import Any

from community.accounts.models import Department, Role, User
from community.core.time import utcnow
from community.extensions import db
from community.jobs.models import Education, Job, JobFamily, JobStatus

_seq = itertools.count(1)
PASSWORD = "password123"


def make_department(name: str | None = None) -> Department:
    department = Department(name=name or f"Department {next(_seq)}")
    db.session.add(department)
    db.session.commit()
    return department


def make_user(
    role: Role = Role.EMPLOYEE,
    department: Department | None = None,
    email: str | None = None,
    name: str | None = None,
    password: str | None = PASSWORD,
    **fields: Any,
) -> User:
    n = next(_seq)
    user = User(
        email=email or f"user{n}@example.com",
        name=name or f"User {n}",
        role=role,
        department=department or make_department(),
        **fields,
    )
    if password:
        user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def make_job(
    department: Department | None = None,
    status: JobStatus = JobStatus.OPEN,
    **fields: Any,
) -> Job:
    n = next(_seq)
    values: dict[str, Any] = {
        "title": f"Backend Engineer {n}",
        "family": JobFamily.ENGINEERING,
        "location": "Shanghai",
        "description": "Build **reliable** services.",
        "competencies": ["System design", "Ownership"],
        "education": Education.BACHELOR,
        "min_years": 3,
        "skills": ["Python", "PostgreSQL"],
        "certificates": [],
        "soft_traits": ["Communication", "Resilience"],
        "bonus_minor": 800000,
        "bonus_currency": "CNY",
        "hard_to_fill": False,
        "status": status,
        "opened_at": utcnow() if status == JobStatus.OPEN else None,
    }
    values.update(fields)
    job = Job(department=department or make_department(), **values)
    db.session.add(job)
    db.session.commit()
    return job
