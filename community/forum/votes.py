"""Helpful votes (有帮助): one per person per post, never on one's own.

Points go to the author (FORUM_VOTE_POINTS each, key `forum:vote:<post>:<voter>`) — but only
from distinct colleagues and within a daily cap: one vote per voter per author per day pays
(voting for five of someone's posts in a day pays once), and an author earns at most
FORUM_VOTE_POINTS_DAILY_CAP points from votes per day (the company's day). A vote past either
limit counts on the post but pays nothing, ever (not later that day either).

Taking a vote back takes no points back: the entry stays, and voting again on the same post
never pays twice (its key is already used). So voting and un-voting cannot farm points, and
nobody loses points because a colleague changed their mind."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from community import events
from community.accounts.models import User
from community.core.errors import CONFLICT, FORBIDDEN
from community.core.time import company_tz, to_local
from community.core.transaction import committed
from community.extensions import db
from community.forum import common, permissions
from community.forum.common import ForumError
from community.forum.models import ForumPost, ForumVote
from community.points.models import PointEntry, PointKind
from community.points.services import record_points

PREFIX = "forum:vote:"


def vote(voter: User, post_id: int) -> ForumPost:
    """`voter` finds the post helpful. Refused on one's own post, a removed post, or twice."""
    with committed():
        post = common.post_for(voter, post_id)
        if post.author_id == voter.id:
            raise ForumError(_("You cannot vote for your own post."), status=FORBIDDEN)
        if not permissions.can_vote(voter, post):
            raise ForumError(_("This post cannot take votes."), status=CONFLICT)
        if db.session.get(ForumVote, (post.id, voter.id)) is not None:
            raise ForumError(_("You already found this post helpful."), status=CONFLICT)
        at = common.now()
        try:
            with db.session.begin_nested():
                db.session.add(ForumVote(post_id=post.id, voter_id=voter.id, created_at=at))
        except IntegrityError:  # the same vote, a moment earlier, from another tab
            raise ForumError(_("You already found this post helpful."), status=CONFLICT) from None
        events.publish(
            events.ForumPostVoted(
                topic_id=post.topic_id,
                post_id=post.id,
                author_id=post.author_id,
                voter_id=voter.id,
                at=at,
            )  # fmt: skip
        )
    return post


def unvote(voter: User, post_id: int) -> ForumPost:
    """Take one's vote back (no points move: see the module's notes)."""
    with committed():
        post = common.post_for(voter, post_id)
        row = db.session.get(ForumVote, (post.id, voter.id))
        if row is None:
            raise ForumError(_("You have not voted for this post."), status=CONFLICT)
        db.session.delete(row)
    return post


def day_bounds(at: datetime) -> tuple[datetime, datetime]:
    """The company's day around `at`, as naive UTC bounds."""
    tz = company_tz()
    local = to_local(at, tz)
    start = datetime.combine(local.date(), time(), tzinfo=tz)
    start_utc = start.astimezone(UTC).replace(tzinfo=None)
    return start_utc, start_utc + timedelta(days=1)


def pay(event: events.ForumPostVoted) -> None:
    """Listener: the vote's points to the author, if this voter has not paid this author today
    and the author's daily cap has room (see the module's notes)."""
    amount = int(current_app.config["FORUM_VOTE_POINTS"])
    cap = int(current_app.config["FORUM_VOTE_POINTS_DAILY_CAP"])
    if amount <= 0:
        return
    # The author's row lock: two votes paying the same author at once see each other's entry
    # (the daily cap and "one paying vote per colleague a day" hold on PostgreSQL too).
    db.session.execute(select(User.id).where(User.id == event.author_id).with_for_update())
    start, end = day_bounds(event.at)
    today = (
        PointEntry.user_id == event.author_id,
        PointEntry.idempotency_key.like(f"{PREFIX}%"),
        PointEntry.created_at >= start,
        PointEntry.created_at < end,
    )
    if db.session.scalar(
        select(func.count(PointEntry.id)).where(
            *today, PointEntry.idempotency_key.like(f"{PREFIX}%:{event.voter_id}")
        )
    ):
        return  # this colleague already paid this author today
    earned = db.session.scalar(select(func.coalesce(func.sum(PointEntry.amount), 0)).where(*today))
    room = cap - int(earned or 0)
    if room <= 0:
        return
    record_points(
        event.author_id,
        min(amount, room),
        PointKind.EARNED,
        idempotency_key=f"{PREFIX}{event.post_id}:{event.voter_id}",
        reason="forum vote",
        at=event.at,
    )


def count(post_id: int) -> int:
    return int(
        db.session.scalar(
            select(func.count()).select_from(ForumVote).where(ForumVote.post_id == post_id)
        )  # fmt: skip
        or 0
    )
