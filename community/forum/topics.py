"""Starting a topic and a moderator's acts on one: pin, lock, move, delete, restore. A topic's
text is its opening post (number 1, written with it); replies are `forum.posts`."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from community import events
from community.accounts.models import User
from community.core.errors import BAD_INPUT, CONFLICT, FORBIDDEN, NOT_FOUND
from community.core.transaction import committed
from community.extensions import db
from community.forum import common, mentions, permissions, watching
from community.forum.common import ForumError
from community.forum.models import (
    CategoryKind,
    ForumCategory,
    ForumModerationLog,
    ForumPost,
    ForumTopic,
    TopicKind,
)
from community.jobs.models import Job, JobStatus
from community.pipeline import Stage
from community.referrals.models import Referral


def _category(category_id: int | None) -> ForumCategory:
    category = db.session.get(ForumCategory, category_id) if category_id else None
    if category is None:
        raise ForumError(_("Choose a category."), "category_id", status=BAD_INPUT)
    if category.archived:
        raise ForumError(
            _("This category is archived: it takes no new topics."), "category_id", status=CONFLICT
        )
    return category


def _job(job_id: int | None) -> int | None:
    if not job_id:
        return None
    job = db.session.get(Job, job_id)
    if job is None or job.status != JobStatus.OPEN:
        raise ForumError(_("Choose one of the open jobs."), "job_id", status=BAD_INPUT)
    return job_id


def _hire(author: User, referral_id: int | None) -> int | None:
    """A hire of the author's own: a referral of theirs that reached "hired"."""
    if not referral_id:
        return None
    referral = db.session.get(Referral, referral_id)
    if referral is None or referral.referrer_id != author.id or referral.stage != Stage.HIRED:
        raise ForumError(
            _("Only a hire you referred yourself can be linked."), "referral_id", status=BAD_INPUT
        )
    return referral_id


def log(actor: User | None, action: str, topic_id: int, post_id: int | None = None,
        reason: str | None = None) -> None:  # fmt: skip
    db.session.add(
        ForumModerationLog(
            actor_id=actor.id if actor else None,
            action=action,
            topic_id=topic_id,
            post_id=post_id,
            reason=reason,
            created_at=common.now(),
        )
    )


def start(
    author: User,
    *,
    category_id: int | None,
    title: str | None,
    body: str | None,
    question: bool | None = None,
    job_id: int | None = None,
    referral_id: int | None = None,
    origin: str | None = None,
) -> ForumTopic:
    """Open a topic with its opening post. In a "questions" category it is a question unless
    `question` says otherwise. The author watches it from now on."""
    with committed():
        return open_topic(
            author,
            category=_category(category_id),
            title=title,
            body=body,
            question=question,
            job_id=job_id,
            referral_id=referral_id,
            origin=origin,
        )


def open_topic(
    author: User,
    *,
    category: ForumCategory,
    title: str | None,
    body: str | None,
    question: bool | None = None,
    job_id: int | None = None,
    referral_id: int | None = None,
    origin: str | None = None,
    mention: bool = True,
) -> ForumTopic:
    """`start`'s work inside the caller's transaction (for a listener: nothing is committed).
    `mention=False` for text the app writes: an @name in it notifies nobody and refuses nothing."""
    title = common.check_title(title)
    text = common.check_body(body)
    mentioned = mentions.resolve(text, author_id=author.id) if mention else []
    if (
        origin
        and db.session.scalars(select(ForumTopic.id).where(ForumTopic.origin == origin)).first()
    ):
        raise ForumError(_("That topic is already open."), status=CONFLICT)
    if question is None:
        question = category.kind == CategoryKind.QUESTIONS
    at = common.now()
    topic = ForumTopic(
        category_id=category.id,
        author_id=author.id,
        title=title,
        kind=TopicKind.QUESTION if question else TopicKind.DISCUSSION,
        job_id=_job(job_id),
        referral_id=_hire(author, referral_id),
        origin=origin,
        created_at=at,
        last_post_at=at,
        reply_count=0,
    )
    db.session.add(topic)
    db.session.flush()
    post = ForumPost(topic_id=topic.id, author_id=author.id, number=1, body=text, created_at=at)
    db.session.add(post)
    db.session.flush()
    watching.watch_own(author.id, topic.id)
    watching.mark_read(author.id, topic.id, 1)
    common.publish_changed(topic.id, [post.id], "created", at)
    events.publish(
        events.ForumPostWritten(
            topic_id=topic.id,
            post_id=post.id,
            author_id=author.id,
            number=1,
            mentioned_ids=tuple(p.id for p in mentioned),
            edited=False,
            at=at,
        )
    )
    return topic


def _moderated(actor: User, topic_id: int) -> ForumTopic:
    if not permissions.can_moderate(actor):
        raise ForumError(_("Only moderators can do that."), status=FORBIDDEN)
    topic = db.session.get(ForumTopic, topic_id, with_for_update=True)
    if topic is None:
        raise ForumError(_("No such topic."), status=NOT_FOUND)
    return topic


def set_pinned(actor: User, topic_id: int, pinned: bool) -> ForumTopic:
    """A moderator pins a topic to the top of its category, or unpins it."""
    with committed():
        topic = _moderated(actor, topic_id)
        topic.pinned_at = common.now() if pinned else None
        log(actor, "pin" if pinned else "unpin", topic.id)
    return topic


def set_locked(actor: User, topic_id: int, locked: bool, reason: str | None = None) -> ForumTopic:
    """A moderator locks a topic (no more replies, no more edits by authors), or reopens it."""
    with committed():
        topic = _moderated(actor, topic_id)
        topic.locked_at = common.now() if locked else None
        log(actor, "lock" if locked else "unlock", topic.id, reason=common.check_reason(reason))
    return topic


def move(actor: User, topic_id: int, category_id: int | None) -> ForumTopic:
    """A moderator moves a topic to another (open) category."""
    with committed():
        topic = _moderated(actor, topic_id)
        category = _category(category_id)
        if category.id != topic.category_id:
            topic.category_id = category.id
            log(actor, "move", topic.id, reason=category.slug)
            common.publish_changed(topic.id, common.all_post_ids(topic.id), "topic", common.now())
    return topic


def delete(actor: User, topic_id: int, reason: str | None = None) -> ForumTopic:
    """Its author (while nobody has replied) or a moderator deletes a whole topic: it leaves the
    lists; its author and moderators still open it, and a moderator can restore it."""
    with committed():
        topic = common.topic_for(actor, topic_id, lock=True)
        moderator = permissions.can_moderate(actor)
        if topic.deleted_at is not None:
            raise ForumError(_("This topic is already deleted."), status=CONFLICT)
        if not moderator:
            if topic.author_id != actor.id:
                raise ForumError(_("You can only delete your own topics."), status=FORBIDDEN)
            if topic.reply_count > 0:
                raise ForumError(
                    _("Colleagues have replied: ask a moderator to delete this topic."),
                    status=CONFLICT,
                )
        at = common.now()
        topic.deleted_at, topic.deleted_by_id = at, actor.id
        if moderator:
            log(actor, "delete_topic", topic.id, reason=common.check_reason(reason))
        common.publish_changed(topic.id, common.all_post_ids(topic.id), "topic", at)
    return topic


def restore(actor: User, topic_id: int) -> ForumTopic:
    """A moderator brings a deleted topic back."""
    with committed():
        topic = _moderated(actor, topic_id)
        if topic.deleted_at is None:
            raise ForumError(_("This topic is not deleted."), status=CONFLICT)
        topic.deleted_at = topic.deleted_by_id = None
        log(actor, "restore_topic", topic.id)
        common.publish_changed(topic.id, common.all_post_ids(topic.id), "topic", common.now())
    return topic
