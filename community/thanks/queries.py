"""Reading the thanks wall. Who is shown is decided here, when reading, not when writing: a
person who opts out of leaderboards or is deactivated disappears at once, old posts included;
announcements always show; posts HR hid never do."""

from __future__ import annotations

from flask import abort
from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import aliased, joinedload

from community.accounts.models import User
from community.extensions import db
from community.thanks.models import ThanksKind, ThanksPost


def visible_posts() -> Select:
    """Every post the wall shows, newest first."""
    subject = aliased(User)
    return (
        select(ThanksPost)
        .outerjoin(subject, ThanksPost.subject_id == subject.id)
        .where(
            ThanksPost.hidden_at.is_(None),
            or_(
                ThanksPost.kind == ThanksKind.ANNOUNCEMENT,
                and_(
                    subject.is_active_account.is_(True),
                    subject.leaderboard_opt_out.is_(False),
                ),
            ),
        )
        .options(joinedload(ThanksPost.subject), joinedload(ThanksPost.author))
        .order_by(ThanksPost.created_at.desc(), ThanksPost.id.desc())
    )


def latest_posts(limit: int = 5) -> list[ThanksPost]:
    """The newest posts for the home page."""
    return list(db.session.scalars(visible_posts().limit(limit)).unique())


def get_post(post_id: int) -> ThanksPost:
    """The post (hidden or not), or 404 (callers are HR-only views)."""
    post = db.session.get(ThanksPost, post_id)
    if post is None:
        abort(404)
    return post
