"""Reading the forum: the index (categories with counts and latest activity), a category's
topics (pinned first, then latest activity, with each reader's unread marks), a topic's posts a
page at a time, a post's history, and the cards a topic shows (a job, a hire)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from math import ceil

from flask import current_app
from sqlalchemy import and_, func, select
from sqlalchemy.orm import selectinload

from community.accounts.models import User
from community.extensions import db
from community.forum import permissions
from community.forum.models import (
    ForumCategory,
    ForumPost,
    ForumPostRevision,
    ForumTopic,
    ForumTopicRead,
    ForumVote,
)
from community.jobs.models import Job
from community.jobs.permissions import can_view_job
from community.pipeline import Stage
from community.referrals.models import Referral


def per_page() -> int:
    return int(current_app.config["FORUM_POSTS_PER_PAGE"])


def topics_per_page() -> int:
    return int(current_app.config["FORUM_TOPICS_PER_PAGE"])


_VISIBLE_TOPIC = (ForumTopic.deleted_at.is_(None), ForumTopic.hidden_at.is_(None))


@dataclass(frozen=True)
class CategoryRow:
    category: ForumCategory
    topics: int
    latest: ForumTopic | None


def categories(*, include_archived: bool = True) -> list[ForumCategory]:
    query = select(ForumCategory).order_by(ForumCategory.position, ForumCategory.id)
    if not include_archived:
        query = query.where(ForumCategory.archived_at.is_(None))
    return list(db.session.scalars(query))


def index() -> list[CategoryRow]:
    """Every category (archived last) with its visible topics' count and latest topic."""
    counts = dict(
        db.session.execute(
            select(ForumTopic.category_id, func.count(ForumTopic.id))
            .where(*_VISIBLE_TOPIC)
            .group_by(ForumTopic.category_id)
        ).all()
    )
    newest = (
        select(ForumTopic.category_id, func.max(ForumTopic.last_post_at).label("at"))
        .where(*_VISIBLE_TOPIC)
        .group_by(ForumTopic.category_id)
        .subquery()
    )
    latest = {
        t.category_id: t
        for t in db.session.scalars(
            select(ForumTopic)
            .join(
                newest,
                and_(
                    newest.c.category_id == ForumTopic.category_id,
                    newest.c.at == ForumTopic.last_post_at,
                ),
            )  # fmt: skip
            .where(*_VISIBLE_TOPIC)
            .options(selectinload(ForumTopic.author))
        )
    }
    rows = [CategoryRow(c, int(counts.get(c.id, 0)), latest.get(c.id)) for c in categories()]
    return sorted(rows, key=lambda r: r.category.archived)


@dataclass(frozen=True)
class TopicRow:
    topic: ForumTopic
    last_read: int | None  # None: never opened
    unread: int  # replies past the reader's mark (0 when never opened: it is "new")

    @property
    def new(self) -> bool:
        return self.last_read is None


@dataclass(frozen=True)
class Page:
    items: list
    page: int
    pages: int
    total: int


def topics(category: ForumCategory, reader: User, page: int = 1) -> Page:
    """The category's topics the reader may see: pinned first, then by latest activity."""
    where = [ForumTopic.category_id == category.id]
    if not permissions.can_moderate(reader):
        where += list(_VISIBLE_TOPIC)
    total = int(db.session.scalar(select(func.count(ForumTopic.id)).where(*where)) or 0)
    size = topics_per_page()
    pages = max(1, ceil(total / size))
    page = min(max(page, 1), pages)
    rows = list(
        db.session.scalars(
            select(ForumTopic)
            .where(*where)
            .order_by(
                ForumTopic.pinned_at.is_(None),
                ForumTopic.pinned_at.desc(),
                ForumTopic.last_post_at.desc(),
                ForumTopic.id.desc(),
            )  # fmt: skip
            .offset((page - 1) * size)
            .limit(size)
            .options(selectinload(ForumTopic.author))
        )
    )
    return Page(_with_reads(rows, reader), page, pages, total)


def _with_reads(rows: list[ForumTopic], reader: User) -> list[TopicRow]:
    reads = dict(
        db.session.execute(
            select(ForumTopicRead.topic_id, ForumTopicRead.last_read_number).where(
                ForumTopicRead.user_id == reader.id,
                ForumTopicRead.topic_id.in_([t.id for t in rows]),
            )
        ).all()
    )
    last_numbers = dict(
        db.session.execute(
            select(ForumPost.topic_id, func.max(ForumPost.number))
            .where(ForumPost.topic_id.in_([t.id for t in rows]))
            .group_by(ForumPost.topic_id)
        ).all()
    )
    found = []
    for topic in rows:
        mark = reads.get(topic.id)
        unread = max(0, int(last_numbers.get(topic.id, 1)) - mark) if mark is not None else 0
        found.append(TopicRow(topic, mark, unread))
    return found


def page_of(number: int) -> int:
    return max(1, ceil(number / per_page()))


def last_number(topic_id: int) -> int:
    return int(
        db.session.scalar(select(func.max(ForumPost.number)).where(ForumPost.topic_id == topic_id))
        or 1
    )


def first_unread(topic_id: int, reader: User) -> int:
    """The number of the first post past the reader's mark (the last post when all is read)."""
    row = db.session.get(ForumTopicRead, (reader.id, topic_id))
    last = last_number(topic_id)
    return min(last, (row.last_read_number if row else 0) + 1)


@dataclass(frozen=True)
class PostView:
    post: ForumPost
    votes: int
    voted: bool


def posts(topic: ForumTopic, reader: User, page: int = 1) -> Page:
    """One page of the topic's posts, in order, with their vote counts and the reader's vote."""
    total = last_number(topic.id)
    pages = max(1, ceil(total / per_page()))
    page = min(max(page, 1), pages)
    first = (page - 1) * per_page() + 1
    rows = list(
        db.session.scalars(
            select(ForumPost)
            .where(
                ForumPost.topic_id == topic.id,
                ForumPost.number >= first,
                ForumPost.number < first + per_page(),
            )  # fmt: skip
            .order_by(ForumPost.number)
            .options(selectinload(ForumPost.author))
        )
    )
    ids = [p.id for p in rows]
    counts = dict(
        db.session.execute(
            select(ForumVote.post_id, func.count())
            .where(ForumVote.post_id.in_(ids))
            .group_by(ForumVote.post_id)
        ).all()
    )
    mine = set(
        db.session.scalars(
            select(ForumVote.post_id).where(
                ForumVote.post_id.in_(ids), ForumVote.voter_id == reader.id
            )  # fmt: skip
        )
    )
    return Page(
        [PostView(p, int(counts.get(p.id, 0)), p.id in mine) for p in rows], page, pages, total
    )


def accepted_post(topic: ForumTopic) -> ForumPost | None:
    if topic.accepted_post_id is None:
        return None
    post = db.session.get(ForumPost, topic.accepted_post_id)
    return post if post is not None and post.visible else None


def revisions(post: ForumPost) -> list[ForumPostRevision]:
    return list(
        db.session.scalars(
            select(ForumPostRevision)
            .where(ForumPostRevision.post_id == post.id)
            .order_by(ForumPostRevision.created_at.desc(), ForumPostRevision.id.desc())
            .options(selectinload(ForumPostRevision.editor))
        )
    )


def job_card(topic: ForumTopic, reader: User) -> Job | None:
    """The job the topic is about, if the reader may see it (a draft is HR's only)."""
    job = db.session.get(Job, topic.job_id) if topic.job_id else None
    return job if job is not None and can_view_job(reader, job) else None


@dataclass(frozen=True)
class HireCard:
    """A hire a success story links to: the job's title and the day only, no candidate data."""

    job: Job
    hired_on: date | None


def hire_card(topic: ForumTopic) -> HireCard | None:
    if not topic.referral_id:
        return None
    referral = db.session.get(Referral, topic.referral_id)
    if referral is None:
        return None
    moment: datetime | None = referral.stage_changed_at if referral.stage == Stage.HIRED else None
    return HireCard(referral.job, referral.start_date or (moment.date() if moment else None))


def my_hires(user: User) -> list[tuple[int, str]]:
    """(referral id, "job title (date)") of the user's own hires, for a success story's link."""
    rows = db.session.scalars(
        select(Referral)
        .where(Referral.referrer_id == user.id, Referral.stage == Stage.HIRED)
        .order_by(Referral.stage_changed_at.desc())
        .options(selectinload(Referral.job))
    )
    return [(r.id, f"{r.job.title} ({r.stage_changed_at:%Y-%m-%d})") for r in rows]


def open_jobs() -> list[tuple[int, str]]:
    from community.jobs.models import JobStatus

    rows = db.session.scalars(select(Job).where(Job.status == JobStatus.OPEN).order_by(Job.title))
    return [(j.id, j.title) for j in rows]


def topic_id_for_origin(origin: str) -> int | None:
    """The topic the app opened for `origin` ("sharing-session:12"), if any."""
    return db.session.scalars(select(ForumTopic.id).where(ForumTopic.origin == origin)).first()
