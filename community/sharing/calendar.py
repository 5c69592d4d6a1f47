"""Calendars: one session as an `.ics` invitation, and a person's private feed of the sessions
they answered (RFC 5545, written with `icalendar`).

An event's UID is stable per session and its SEQUENCE grows with each change of time, place or
title, so a calendar that subscribed replaces its copy; a cancelled session stays in the feed as
STATUS:CANCELLED (for a while) so calendars take it off instead of keeping a ghost. Times are
written in UTC: every calendar shows them in its owner's zone.

The feed's token is the only key to it (calendar apps cannot log in): 32 random bytes, unique,
replaced by a reset, which makes the old URL answer 404. A deactivated person's feed is gone.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from community.accounts.models import User
from community.core.links import external_url
from community.core.localized import localized
from community.core.time import utcnow
from community.core.transaction import committed
from community.extensions import db
from community.sharing.models import ANSWERED, CalendarFeed, SharingRsvp, SharingSession

FEED_PAST = timedelta(days=90)  # how long past (and cancelled) sessions stay in a feed


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Referral Community//Sharing sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(session: SharingSession, *, with_link: bool) -> Event:
    event = Event()
    host = current_app.config.get("SERVER_NAME") or "referral-community"
    page = external_url("sharing.detail", session_id=session.id)
    event.add("uid", f"sharing-session-{session.id}@{host}")
    event.add("dtstamp", _aware(session.updated_at or utcnow()))
    event.add("dtstart", _aware(session.starts_at))
    event.add("dtend", _aware(session.ends_at))
    event.add("sequence", session.sequence)
    event.add("summary", localized(session, "title").text)
    lines = []
    if session.speakers:
        lines.append(_("Speakers: %(names)s", names=session.speakers))
    description = localized(session, "description").text
    if description:
        lines.append(description)
    if with_link and session.online_url:
        lines.append(_("Join online: %(link)s", link=session.online_url))
    lines.append(page)
    event.add("description", "\n\n".join(lines))
    place = session.location or (session.online_url if with_link else "") or ""
    if place:
        event.add("location", place)
    event.add("url", page)
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    return event


def session_invitation(session: SharingSession, *, with_link: bool) -> bytes:
    """The session as an .ics file (the online link only for people with a seat, the host, HR)."""
    calendar = _calendar(localized(session, "title").text)
    calendar.add_component(_event(session, with_link=with_link))
    return calendar.to_ical()


def feed_sessions(user_id: int) -> Iterable[tuple[SharingSession, SharingRsvp]]:
    since = utcnow() - FEED_PAST
    rows = db.session.execute(
        select(SharingSession, SharingRsvp)
        .join(SharingRsvp, SharingRsvp.session_id == SharingSession.id)
        .where(
            SharingRsvp.user_id == user_id,
            SharingRsvp.status.in_(ANSWERED),
            SharingSession.ends_at >= since,
        )
        .order_by(SharingSession.starts_at, SharingSession.id)
    ).all()
    return [(session, answer) for session, answer in rows]


def feed(user: User) -> bytes:
    """Every session `user` answered that ended less than FEED_PAST ago, and every session they
    host; the online link only where they have a seat or host."""
    calendar = _calendar(_("Sharing sessions"))
    seen: set[int] = set()
    for session, answer in feed_sessions(user.id):
        seen.add(session.id)
        calendar.add_component(_event(session, with_link=answer.status.value == "going"))
    hosted = db.session.scalars(
        select(SharingSession)
        .where(SharingSession.host_id == user.id, SharingSession.ends_at >= utcnow() - FEED_PAST)
        .order_by(SharingSession.starts_at)
    )
    for session in hosted:
        if session.id not in seen:
            calendar.add_component(_event(session, with_link=True))
    return calendar.to_ical()


def feed_of(user: User) -> CalendarFeed | None:
    return db.session.scalars(select(CalendarFeed).where(CalendarFeed.user_id == user.id)).first()


def feed_owner(token: str) -> User | None:
    """The active person whose feed `token` opens, or None."""
    if not token or len(token) > 64:
        return None
    found = db.session.scalars(select(CalendarFeed).where(CalendarFeed.token == token)).first()
    if found is None or not secrets.compare_digest(found.token, token):
        return None
    owner = db.session.get(User, found.user_id)
    return owner if owner is not None and owner.is_active_account else None


def ensure_feed(user: User) -> CalendarFeed:
    """The person's feed, made on first use."""
    existing = feed_of(user)
    if existing is not None:
        return existing
    try:
        with committed():
            made = CalendarFeed(user_id=user.id, token=secrets.token_urlsafe(32))
            db.session.add(made)
    except IntegrityError:  # the same person's other tab made it a moment ago
        found = feed_of(user)
        if found is None:
            raise
        return found
    return made


def reset_feed(user: User) -> CalendarFeed:
    """A new secret URL for the person's feed; the old one stops working at once."""
    with committed():
        found = feed_of(user)
        if found is None:
            found = CalendarFeed(user_id=user.id)
            db.session.add(found)
        found.token = secrets.token_urlsafe(32)
        found.created_at = utcnow()
    return found
