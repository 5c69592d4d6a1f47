"""The demo's sharing sessions: one that took place, with attendance (and its points), slides and
a recording; one ahead, full, with a waitlist."""

from __future__ import annotations

from sqlalchemy import func, select

from community.core.time import utcnow
from community.extensions import db
from community.points.models import PointEntry
from community.sharing.models import RsvpStatus, SharingRsvp, SharingSession


def test_a_past_session_with_attendance_and_an_upcoming_one_with_a_waitlist(seeded: str) -> None:
    now = utcnow()
    sessions = db.session.scalars(select(SharingSession).order_by(SharingSession.starts_at)).all()
    assert len(sessions) == 2
    past, upcoming = sessions
    assert past.ends_at < now < upcoming.starts_at
    attended = db.session.scalar(
        select(func.count())
        .select_from(SharingRsvp)
        .where(SharingRsvp.session_id == past.id, SharingRsvp.attended_at.is_not(None))
    )
    assert attended == 9
    assert past.slides_file and past.recording_url
    keys = db.session.scalars(
        select(PointEntry.idempotency_key).where(PointEntry.idempotency_key.like("sharing:%"))
    ).all()
    assert len(keys) == 9
    waiting = db.session.scalar(
        select(func.count())
        .select_from(SharingRsvp)
        .where(SharingRsvp.session_id == upcoming.id, SharingRsvp.status == RsvpStatus.WAITLISTED)
    )
    assert waiting == 2
