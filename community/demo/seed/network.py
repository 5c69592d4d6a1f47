"""The demo's private network, written through the network services: the demo employee's
contacts with their tags, and the worker's suggestion for an open job that fits several of them
(the notification "N of your contacts may fit …", as the worker writes it). Added once: an
employee who already has contacts gets none."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from community.accounts.models import User
from community.core.time import to_local
from community.demo.data.network import CONTACTS, NETWORK_OWNER, SUGGESTED_JOB
from community.extensions import db
from community.jobs.models import Job, JobStatus
from community.network import queries, services, suggestions
from community.network.rules import ContactFields


def add_network(now: datetime) -> int:
    """The demo employee's network and a suggestion; how many contacts were added."""
    owner = db.session.scalars(select(User).where(User.email == NETWORK_OWNER)).first()
    if owner is None or queries.count(owner.id):
        return 0
    today = to_local(now).date()
    for (
        name,
        how,
        closeness,
        skills,
        industries,
        wishes,
        days,
        email,
        phone,
        zone,
        notes,
    ) in CONTACTS:
        services.add_contact(
            owner,
            ContactFields(
                name=name,
                how_known=how,
                closeness=closeness,
                skills=skills,
                industries=industries,
                wishes=wishes,
                last_contact_on=today - timedelta(days=days) if days is not None else None,
                notes=notes,
                email=email,
                phone=phone,
                timezone=zone or "",
            ),
        )
    job = db.session.scalars(
        select(Job).where(Job.title == SUGGESTED_JOB, Job.status == JobStatus.OPEN)
    ).first()
    if job is not None:
        suggestions.request_scan(job.id, now)
        suggestions.scan_opened_jobs(now)
        db.session.commit()
    return len(CONTACTS)
