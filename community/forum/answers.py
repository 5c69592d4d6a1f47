"""Accepted answers: the asker of a question (or a moderator) accepts one answer — a reply by
someone else, visible. Its author earns FORUM_ACCEPTED_POINTS once per question (key
`forum:accepted:<topic>`).

A change of mind moves the mark to another answer but never pays twice: the first accepted
answer's author keeps the points, the later one gets the mark and a notification only (paying
again would let an asker hand points around by switching). Un-accepting (or deleting the
accepted answer) opens the question again; points stay paid."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from community import events
from community.accounts.models import User
from community.core.errors import BAD_INPUT, CONFLICT, FORBIDDEN
from community.core.transaction import committed
from community.extensions import db
from community.forum import common, permissions
from community.forum.common import ForumError
from community.forum.models import ForumModerationLog, ForumPost, TopicKind
from community.forum.topics import log
from community.forum.votes import day_bounds
from community.points.models import PointEntry, PointKind
from community.points.services import record_points

PREFIX = "forum:accepted:"


def accept(actor: User, post_id: int) -> ForumPost:
    """Mark `post_id` as the accepted answer of its question."""
    with committed():
        post = common.post_for(actor, post_id, lock=True)
        # the question's row lock: the asker and a moderator accepting two answers at once are
        # told in turn (the second sees the first's), never a failed unique key (a 500)
        topic = common.topic_for(actor, post.topic_id, lock=True)
        if topic.kind != TopicKind.QUESTION:
            raise ForumError(_("Only a question has an accepted answer."), status=BAD_INPUT)
        if not permissions.can_accept(actor, topic):
            raise ForumError(
                _("Only the asker or a moderator accepts an answer."), status=FORBIDDEN
            )
        if post.number == 1 or post.author_id == topic.author_id:
            raise ForumError(_("The asker's own post cannot be the answer."), status=BAD_INPUT)
        if post.author_id == actor.id:  # a moderator does not pay themself
            raise ForumError(_("Nobody accepts their own answer."), status=FORBIDDEN)
        if not post.visible:
            raise ForumError(_("A removed post cannot be the answer."), status=CONFLICT)
        if topic.accepted_post_id == post.id:
            raise ForumError(_("This answer is already accepted."), status=CONFLICT)
        first = not db.session.scalar(
            select(ForumModerationLog.id).where(
                ForumModerationLog.topic_id == topic.id, ForumModerationLog.action == "accept"
            )
        )
        topic.accepted_post_id = post.id
        at = common.now()
        log(actor, "accept", topic.id, post.id)
        db.session.flush()
        events.publish(
            events.ForumAnswerAccepted(
                topic_id=topic.id,
                post_id=post.id,
                answerer_id=post.author_id,
                accepter_id=actor.id,
                first=first,
                at=at,
            )  # fmt: skip
        )
    return post


def unaccept(actor: User, topic_id: int) -> None:
    """Open the question again (the points paid stay paid)."""
    with committed():
        topic = common.topic_for(actor, topic_id, lock=True)
        if not permissions.can_accept(actor, topic):
            raise ForumError(
                _("Only the asker or a moderator accepts an answer."), status=FORBIDDEN
            )
        if topic.accepted_post_id is None:
            raise ForumError(_("No answer is accepted yet."), status=CONFLICT)
        log(actor, "unaccept", topic.id, topic.accepted_post_id)
        topic.accepted_post_id = None


def pay(event: events.ForumAnswerAccepted) -> None:
    """Listener: the answer's author earns the points, once per question."""
    amount = int(current_app.config["FORUM_ACCEPTED_POINTS"])
    key = f"{PREFIX}{event.topic_id}"
    if amount <= 0 or db.session.scalar(
        select(PointEntry.id).where(PointEntry.idempotency_key == key)
    ):
        return
    # Small actions are capped (PRODUCT.md): at most FORUM_ACCEPTED_DAILY_CAP paid answers a
    # day per person, counted under their row lock, so two colleagues cannot farm points by
    # asking and accepting each other's answers all day.
    db.session.execute(select(User.id).where(User.id == event.answerer_id).with_for_update())
    start, end = day_bounds(event.at)
    paid_today = db.session.scalar(
        select(func.count(PointEntry.id)).where(
            PointEntry.user_id == event.answerer_id,
            PointEntry.idempotency_key.like(f"{PREFIX}%"),
            PointEntry.created_at >= start,
            PointEntry.created_at < end,
        )
    )
    if paid_today >= int(current_app.config["FORUM_ACCEPTED_DAILY_CAP"]):
        return
    record_points(event.answerer_id, amount, PointKind.EARNED, idempotency_key=key,
                  reason="forum accepted answer", at=event.at)  # fmt: skip
