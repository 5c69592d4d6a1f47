"""Every write of forum moderation: a colleague flags a post; enough people's flags hide it
until a moderator reviews it; a moderator dismisses the flags, hides, deletes or restores the
post. Each decision closes the post's open flags, writes a row of the moderation log, tells
the author and publishes `events.ForumPostsChanged` so search re-indexes the post.

The post's row is locked (SELECT … FOR UPDATE) before anything is read about it, so flags that
arrive together are counted one after the other and two moderators deciding at once cannot
both succeed: the second is told the state changed (409)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from community.accounts.models import User
from community.club.membership import is_moderator
from community.core.errors import BAD_INPUT, CONFLICT, FORBIDDEN, NOT_FOUND, DomainError
from community.core.time import utcnow
from community.core.transaction import committed
from community.extensions import db
from community.forum.common import all_post_ids, publish_changed
from community.forum.models import ForumFlag, ForumModerationLog, ForumPost
from community.forum.moderation import labels, notices
from community.forum.posts import recount

logger = logging.getLogger(__name__)

MAX_NOTE_CHARS = 500
MAX_REASON_CHARS = 300


class ModerationError(DomainError):
    """A flag or a moderator's decision refused."""


@dataclass(frozen=True)
class Flagged:
    """What a flag did: the flag, and whether it was the one that hid the post."""

    flag: ForumFlag
    hid_post: bool


def flags_to_hide() -> int:
    """How many people's open flags hide a post (FORUM_FLAGS_TO_HIDE, at least 1)."""
    return max(1, int(current_app.config.get("FORUM_FLAGS_TO_HIDE", 3)))


# Reading the post under a lock ----------------------------------------------------------------


def _locked_post(post_id: int) -> ForumPost:
    post = db.session.get(ForumPost, post_id, with_for_update=True, populate_existing=True)
    if post is None:
        raise ModerationError(_("This post does not exist."), status=NOT_FOUND)
    return post


def _flaggable(post_id: int) -> ForumPost:
    post = _locked_post(post_id)
    topic = post.topic
    if post.deleted_at is not None or topic.deleted_at is not None:
        raise ModerationError(_("This post does not exist."), status=NOT_FOUND)
    if topic.hidden_at is not None and post.number != 1:
        raise ModerationError(_("This post does not exist."), status=NOT_FOUND)
    return post


def _check_note(reason_code: str, note: str | None) -> str | None:
    if reason_code not in labels.REASONS:
        raise ModerationError(_("Choose why you flag this post."), "reason_code")
    note = (note or "").strip() or None
    if reason_code == labels.OTHER and not note:
        raise ModerationError(_("Say what is wrong with this post."), "note")
    if note and len(note) > MAX_NOTE_CHARS:
        raise ModerationError(
            ngettext(
                "The note is too long (at most %(num)s character).",
                "The note is too long (at most %(num)s characters).",
                MAX_NOTE_CHARS,
            ),
            "note",
            status=BAD_INPUT,
        )
    return note


# Flags ----------------------------------------------------------------------------------------


def flag_post(flagger: User, post_id: int, reason_code: str, note: str | None = None) -> Flagged:
    """`flagger` asks moderators to look at post `post_id`, for `reason_code` (one of
    `labels.REASONS`; "other" needs a `note`). Once per person per post, never one's own post,
    never a post already hidden. When the post's open flags reach `flags_to_hide()` people, the
    post is hidden until a moderator reviews it (the log says "the community" hid it) and its
    author is told. Commits."""
    with committed():
        reason_code = (reason_code or "").strip()
        note = _check_note(reason_code, note)
        post = _flaggable(post_id)
        if post.author_id == flagger.id:
            raise ModerationError(_("You cannot flag your own post."), status=FORBIDDEN)
        already = db.session.scalar(
            select(ForumFlag.id).where(
                ForumFlag.post_id == post.id, ForumFlag.flagger_id == flagger.id
            )
        )
        if already is not None:
            raise ModerationError(
                _("You have already flagged this post. Moderators will look at it."),
                status=CONFLICT,
            )
        if post.hidden_at is not None:
            raise ModerationError(
                _("This post is already hidden while moderators review it."), status=CONFLICT
            )
        at = utcnow()
        flag = ForumFlag(
            post_id=post.id,
            flagger_id=flagger.id,
            reason_code=reason_code,
            note=note,
            created_at=at,
        )
        db.session.add(flag)
        try:
            with db.session.begin_nested():
                db.session.flush()
        except IntegrityError:  # the same person's flag, sent twice at once
            raise ModerationError(
                _("You have already flagged this post. Moderators will look at it."),
                status=CONFLICT,
            ) from None
        hid = open_flag_count(post.id) >= flags_to_hide()
        if hid:
            _hide(post, None, None, at)
            _log(None, labels.AUTO_HIDE, post, None, at)
            notices.tell_author(post, labels.AUTO_HIDE, None, at)
            logger.info("forum post %s hidden by its members' flags", post.id)
    return Flagged(flag, hid)


def open_flag_count(post_id: int) -> int:
    """How many people have an open flag on the post (one flag per person)."""
    return int(
        db.session.scalar(
            select(func.count(ForumFlag.id)).where(
                ForumFlag.post_id == post_id, ForumFlag.resolved_at.is_(None)
            )
        )
        or 0
    )


# Moderators' decisions ------------------------------------------------------------------------


def _moderated(actor: User, post_id: int) -> ForumPost:
    if not is_moderator(actor):
        raise ModerationError(_("Only the club's moderators and HR moderate."), status=FORBIDDEN)
    post = _locked_post(post_id)
    if post.author_id == actor.id:
        raise ModerationError(_("Another moderator decides about your own post."), status=FORBIDDEN)
    return post


def _check_reason(reason: str | None, *, required: bool) -> str | None:
    reason = (reason or "").strip() or None
    if required and not reason:
        raise ModerationError(_("Say why (the author is told)."), "reason")
    if reason and len(reason) > MAX_REASON_CHARS:
        raise ModerationError(
            ngettext(
                "The reason is too long (at most %(num)s character).",
                "The reason is too long (at most %(num)s characters).",
                MAX_REASON_CHARS,
            ),
            "reason",
        )
    return reason


def dismiss_flags(actor: User, post_id: int) -> ForumPost:
    """Keep the post: its open flags are closed as dismissed, and a post the flags had hidden is
    shown again (its author is told). Commits."""
    with committed():
        post = _moderated(actor, post_id)
        if not open_flag_count(post.id):
            raise ModerationError(
                _("This post has no open flags: someone has decided already."), status=CONFLICT
            )
        at = utcnow()
        if post.hidden_at is not None and post.hidden_by_id is None and post.deleted_at is None:
            _show(post, at)
            notices.tell_author(post, labels.RESTORE, None, at)
        _resolve(post, actor, labels.DISMISS, at)
        _log(actor, labels.DISMISS, post, None, at)
    return post


def hide_post(actor: User, post_id: int, reason: str | None) -> ForumPost:
    """Hide the post from everyone but moderators, with a `reason` its author is told. A post
    the members' flags hid is taken over (now hidden by this moderator). Hiding a topic's
    opening post hides the topic. Closes the post's open flags. Commits."""
    with committed():
        reason = _check_reason(reason, required=True)
        post = _moderated(actor, post_id)
        if post.deleted_at is not None:
            raise ModerationError(_("This post has been deleted."), status=CONFLICT)
        if post.hidden_at is not None and post.hidden_by_id is not None:
            raise ModerationError(_("A moderator has hidden this post already."), status=CONFLICT)
        at = utcnow()
        _hide(post, actor, reason, at)
        _resolve(post, actor, labels.HIDE, at)
        _log(actor, labels.HIDE, post, reason, at)
        notices.tell_author(post, labels.HIDE, reason, at)
    return post


def delete_post(actor: User, post_id: int, reason: str | None = None) -> ForumPost:
    """Delete the post (softly: the thread shows that it was removed, numbering stays), with an
    optional `reason` its author is told. Deleting a topic's opening post deletes the topic.
    Closes the post's open flags. Commits."""
    with committed():
        reason = _check_reason(reason, required=False)
        post = _moderated(actor, post_id)
        topic = post.topic
        opening = post.number == 1
        if post.deleted_at is not None or (opening and topic.deleted_at is not None):
            raise ModerationError(_("This post has been deleted already."), status=CONFLICT)
        at = utcnow()
        if opening:  # as the forum does: the topic goes, its opening post with it (a restore
            topic.deleted_at, topic.deleted_by_id = at, actor.id  # of the topic brings both)
        else:
            post.deleted_at, post.deleted_by_id = at, actor.id
        if topic.accepted_post_id == post.id:
            topic.accepted_post_id = None  # the question is open again (the forum's rule)
        recount(topic)
        _resolve(post, actor, labels.DELETE, at)
        _log(actor, labels.DELETE_TOPIC if post.number == 1 else labels.DELETE, post, reason, at)
        notices.tell_author(post, labels.DELETE, reason, at)
        if opening:
            publish_changed(topic.id, all_post_ids(topic.id), "topic", at)
        else:
            _publish(post, "deleted", at)
    return post


def restore_post(actor: User, post_id: int) -> ForumPost:
    """Show a hidden post again (hidden by a moderator or by members' flags); its open flags
    close as restored and its author is told. Commits."""
    with committed():
        post = _moderated(actor, post_id)
        if post.deleted_at is not None:
            raise ModerationError(_("This post has been deleted."), status=CONFLICT)
        if post.hidden_at is None:
            raise ModerationError(_("This post is not hidden."), status=CONFLICT)
        at = utcnow()
        _show(post, at)
        _resolve(post, actor, labels.RESTORE, at)
        _log(actor, labels.RESTORE, post, None, at)
        notices.tell_author(post, labels.RESTORE, None, at)
    return post


# The steps they share -------------------------------------------------------------------------


def _hide(post: ForumPost, actor: User | None, reason: str | None, at: datetime) -> None:
    post.hidden_at, post.hidden_by_id, post.hidden_reason = at, actor.id if actor else None, reason
    if post.number == 1:  # the title is the opening post's too: the whole topic goes
        topic = post.topic
        topic.hidden_at, topic.hidden_by_id, topic.hidden_reason = (
            post.hidden_at,
            post.hidden_by_id,
            reason,
        )
    recount(post.topic)
    _publish(post, "hidden", at)


def _show(post: ForumPost, at: datetime) -> None:
    post.hidden_at = post.hidden_by_id = post.hidden_reason = None
    if post.number == 1:
        topic = post.topic
        topic.hidden_at = topic.hidden_by_id = topic.hidden_reason = None
    recount(post.topic)
    _publish(post, "shown", at)


def _resolve(post: ForumPost, actor: User, action: str, at: datetime) -> None:
    db.session.execute(
        update(ForumFlag)
        .where(ForumFlag.post_id == post.id, ForumFlag.resolved_at.is_(None))
        .values(resolved_at=at, resolved_by_id=actor.id, outcome=labels.OUTCOMES[action])
    )


def _log(
    actor: User | None, action: str, post: ForumPost, reason: str | None, at: datetime
) -> None:
    db.session.add(
        ForumModerationLog(
            actor_id=actor.id if actor else None,
            action=action,
            topic_id=post.topic_id,
            post_id=post.id,
            reason=reason,
            created_at=at,
        )
    )


def _publish(post: ForumPost, change: str, at: datetime) -> None:
    """Search re-indexes the post; for an opening post, the whole topic (the forum's "topic")."""
    db.session.flush()
    if post.number == 1:
        publish_changed(post.topic_id, all_post_ids(post.topic_id), "topic", at)
    else:
        publish_changed(post.topic_id, [post.id], change, at)
