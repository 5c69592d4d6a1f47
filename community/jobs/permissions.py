"""Who may see and manage jobs: HR manages them; everyone sees open and closed ones."""

from __future__ import annotations

from flask import Flask

from community.core.permissions import Person, expose, is_hr
from community.jobs.models import Job, JobStatus


def can_manage_jobs(user: Person) -> bool:
    return is_hr(user)


def can_view_job(user: Person, job: Job) -> bool:
    """HR sees every job; everyone else sees open and closed ones, never a draft."""
    return job.status != JobStatus.DRAFT or can_manage_jobs(user)


def init_app(app: Flask) -> None:
    expose(app, can_manage_jobs, can_view_job)
