"""Demo sharing sessions, written through the sharing services: one that took place three weeks
ago (slides, a recording, attendance ticked by the host, so attendance points show on "My
points"), and one next week that is full, with people on its waitlist.

A past session cannot be published (its start must be ahead), so it is published ahead and then
moved back in time, as the rest of the seed re-dates what the services wrote."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from community.accounts.models import Role, User
from community.core.time import to_local
from community.extensions import db
from community.sharing import attendance, materials, services
from community.sharing.models import SharingRsvp, SharingSession
from community.sharing.rules import SessionFields

PAST = SessionFields(
    title="金牌内推人的三个习惯",
    title_en="Three habits of gold referrers",
    description=(
        "三位金牌内推人分享他们如何维护人脉、何时联系候选人，以及怎样写一份让 HR 立刻想面试的推荐理由。"
    ),
    description_en=(
        "Three gold referrers on keeping a network warm, when to reach out to a candidate, "
        "and how to write a referral note HR wants to act on at once."
    ),
    speakers="王芳, 李强, Emma Chen",
    starts_at=None,
    ends_at=None,
    location="上海总部 5A 会议室",
    online_url="https://meet.example.com/gold-referrers",
    capacity=30,
)
UPCOMING = SessionFields(
    title="帮候选人准备面试：从 JD 到模拟面试",
    title_en="Helping a candidate prepare: from the JD to a mock interview",
    description=(
        "如何对照 JD 帮候选人改简历、量化成果，并做一次 30 分钟的模拟面试。**名额有限**，满员后可以排队候补。"
    ),
    description_en=(
        "How to tailor a résumé to the JD, quantify results, and run a 30-minute mock "
        "interview. **Seats are limited**: once full, join the waitlist."
    ),
    speakers="张伟, Olivia Wang",
    starts_at=None,
    ends_at=None,
    location="北京办公室 3F 大会议室",
    online_url="",
    capacity=5,
)
# A one-page PDF for the past session's slides.
SLIDES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _at_local(now: datetime, days: int, hour: int) -> datetime:
    """`days` from `now` at `hour`:00 in the company's zone, as naive UTC."""
    local = (to_local(now) + timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )
    return local.astimezone(UTC).replace(tzinfo=None)


def _with_times(fields: SessionFields, starts_at: datetime) -> SessionFields:
    return replace(fields, starts_at=starts_at, ends_at=starts_at + timedelta(hours=1, minutes=30))


def add_sharing_sessions(users: list[User], now: datetime) -> None:
    """The two demo sessions, once (nothing when any session exists)."""
    if db.session.scalar(select(func.count()).select_from(SharingSession)):
        return
    hr = next(u for u in users if u.role == Role.HR and u.is_active_account)
    people = [u for u in users if u.role != Role.HR and u.is_active_account]
    # The past session: published ahead, answered, then moved back three weeks.
    past = services.create_session(hr, _with_times(PAST, _at_local(now, 1, 15)))
    for person in people[:12]:
        services.rsvp(person, past.id)
    held = _at_local(now, -21, 15)
    past.starts_at, past.ends_at = held, held + timedelta(hours=1, minutes=30)
    past.created_at = past.updated_at = held - timedelta(days=10)
    for answer in db.session.scalars(select(SharingRsvp).where(SharingRsvp.session_id == past.id)):
        answer.joined_at = answer.going_since = held - timedelta(days=5)
        answer.reminded_24h_at = held - timedelta(days=1)
        answer.reminded_1h_at = held - timedelta(hours=1)
    db.session.commit()
    for person in people[:9]:  # three of the twelve did not come
        attendance.mark(hr, past.id, person.id, True)
    for answer in db.session.scalars(
        select(SharingRsvp).where(
            SharingRsvp.session_id == past.id, SharingRsvp.attended_at.is_not(None)
        )
    ):
        answer.attended_at = held + timedelta(minutes=5)
    db.session.commit()
    materials.attach_slides(hr, past.id, io.BytesIO(SLIDES), "三个习惯.pdf")
    materials.set_recording(hr, past.id, "https://video.example.com/gold-referrers")
    # Next week's session: full, two people waiting.
    upcoming = services.create_session(hr, _with_times(UPCOMING, _at_local(now, 6, 14)))
    for person in people[12:19]:
        services.rsvp(person, upcoming.id)
    _ask_in_the_topics(past, upcoming, people)


# What colleagues asked in each session's forum topic (the forum opened them as it heard of the
# sessions): the past one's follow-up questions, the next one's questions ahead of time.
QUESTIONS = (
    ("past", 0, "会上提到的「每周看一次开放岗位」，大家是用订阅还是自己记在日历里？"),
    (
        "past",
        1,
        "Thanks for the recording! Are the slides' checklist items in the program rules too?",
    ),
    ("upcoming", 12, "能不能讲讲候选人面试没通过之后，怎么给他反馈才不伤关系？"),
    ("upcoming", 13, "Could you cover how to prepare someone for a system design round?"),
)


def _ask_in_the_topics(past: SharingSession, upcoming: SharingSession, people: list[User]) -> None:
    from community.forum import posts

    sessions = {"past": past, "upcoming": upcoming}
    for which, person, text in QUESTIONS:
        topic_id = sessions[which].forum_topic_id
        if topic_id:
            posts.reply(people[person], topic_id, text)
