"""The demo's private network: the demo employee's contacts with tags of the three kinds, and the
worker's suggestion for an open job that fits several of them (naming none)."""

from __future__ import annotations

from sqlalchemy import select

from community.accounts.models import User
from community.demo.data.network import CONTACTS, NETWORK_OWNER, SUGGESTED_JOB
from community.extensions import db
from community.jobs.models import Job
from community.network import queries, suggestions
from community.network.models import NetworkContact, TagKind
from community.notifications.models import Notification
from community.notifications.queries import shown


def test_the_demo_employee_keeps_a_tagged_network_and_was_told_of_a_fitting_job(
    seeded: str,
) -> None:
    owner = db.session.scalars(select(User).where(User.email == NETWORK_OWNER)).one()
    contacts = queries.all_contacts(owner.id)
    assert len(contacts) == len(CONTACTS)
    assert {c.owner_id for c in db.session.scalars(select(NetworkContact))} == {owner.id}
    for kind in TagKind:
        assert sum(1 for c in contacts if c.tags_of(kind)) >= 8
    job = db.session.scalars(select(Job).where(Job.title == SUGGESTED_JOB)).one()
    assert job.interview_focus and job.interview_focus_en
    found = suggestions.for_owner(owner.id, job, "zh")
    assert len(found) >= 3
    note = db.session.scalars(
        select(Notification).where(
            Notification.user_id == owner.id, Notification.kind == "network_suggestions"
        )
    ).one()
    assert shown(note).text.startswith(f"{len(found)} of your contacts may fit")
    assert not any(c.name in str(note.params) for c in contacts)
