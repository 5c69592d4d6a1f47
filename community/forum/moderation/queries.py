"""What moderators read: the review queue (open flags grouped by post, most-flagged and oldest
first), the hidden posts they may restore, and the moderation log. Each page is a fixed number
of queries whatever its length: the page of posts, then their flags (and people) in one go."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from community.accounts.models import User
from community.extensions import db
from community.forum.models import ForumFlag, ForumModerationLog, ForumPost, ForumTopic
from community.forum.moderation import labels


@dataclass(frozen=True)
class FlagRow:
    """One open flag and who raised it."""

    flag: ForumFlag
    flagger: User


@dataclass(frozen=True)
class FlaggedPost:
    """A post in the queue with its open flags (oldest first)."""

    post: ForumPost
    flags: list[FlagRow]

    @property
    def first_flagged_at(self) -> datetime:
        return self.flags[0].flag.created_at

    @property
    def hidden_by_flags(self) -> bool:
        return self.post.hidden_at is not None and self.post.hidden_by_id is None


def _posts() -> Any:
    return select(ForumPost).options(
        joinedload(ForumPost.author), joinedload(ForumPost.topic).joinedload(ForumTopic.author)
    )


def queue(page: int, per_page: int) -> tuple[Pagination, list[FlaggedPost]]:
    """One page of flagged posts: those with open flags, most people's flags first, then the
    longest waiting."""
    counts = (
        select(
            ForumFlag.post_id,
            func.count(ForumFlag.id).label("flags"),
            func.min(ForumFlag.created_at).label("since"),
        )
        .where(ForumFlag.resolved_at.is_(None))
        .group_by(ForumFlag.post_id)
        .subquery()
    )
    stmt = (
        _posts()
        .join(counts, counts.c.post_id == ForumPost.id)
        .order_by(counts.c.flags.desc(), counts.c.since, ForumPost.id)
    )
    pagination = db.paginate(stmt, page=page, per_page=per_page, error_out=False, count=True)
    posts = list(pagination.items)
    flags: dict[int, list[FlagRow]] = {post.id: [] for post in posts}
    if posts:
        rows = db.session.execute(
            select(ForumFlag, User)
            .join(User, User.id == ForumFlag.flagger_id)
            .where(ForumFlag.post_id.in_(flags), ForumFlag.resolved_at.is_(None))
            .order_by(ForumFlag.created_at, ForumFlag.id)
        )
        for flag, flagger in rows:
            flags[flag.post_id].append(FlagRow(flag, flagger))
    return pagination, [FlaggedPost(post, flags[post.id]) for post in posts]


def open_flag_total() -> int:
    """How many posts wait in the queue."""
    return int(
        db.session.scalar(
            select(func.count(func.distinct(ForumFlag.post_id))).where(
                ForumFlag.resolved_at.is_(None)
            )
        )
        or 0
    )


def hidden_posts(page: int, per_page: int) -> Pagination:
    """Hidden (not deleted) posts, most recently hidden first: what a moderator may restore."""
    stmt = (
        _posts()
        .where(ForumPost.hidden_at.is_not(None), ForumPost.deleted_at.is_(None))
        .order_by(ForumPost.hidden_at.desc(), ForumPost.id.desc())
    )
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def log_page(page: int, per_page: int, action: str | None = None) -> Pagination:
    """The moderation log, newest first, of one `action` or of all."""
    stmt = (
        select(ForumModerationLog)
        .options(joinedload(ForumModerationLog.actor))
        .order_by(ForumModerationLog.created_at.desc(), ForumModerationLog.id.desc())
    )
    if action:
        stmt = stmt.where(ForumModerationLog.action == action)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def log_actions() -> list[str]:
    """Every action the filter offers: the known ones and any other the log holds."""
    stored = db.session.scalars(select(ForumModerationLog.action).distinct())
    return list(dict.fromkeys([*labels.ACTIONS, *sorted(stored)]))


def topics_by_id(ids: set[int]) -> dict[int, ForumTopic]:
    """The topics a log page names (one query)."""
    if not ids:
        return {}
    rows = db.session.scalars(select(ForumTopic).where(ForumTopic.id.in_(ids)))
    return {topic.id: topic for topic in rows}


def posts_by_id(ids: set[int]) -> dict[int, ForumPost]:
    """The posts a log page names (one query)."""
    if not ids:
        return {}
    rows = db.session.scalars(select(ForumPost).where(ForumPost.id.in_(ids)))
    return {post.id: post for post in rows}
