"""Who may do what in the forum, as small named predicates (also callable from templates).

Every signed-in colleague reads and writes (the issue: "every employee can read and ask");
moderators are the club's moderators and HR (`club.membership.is_moderator`). Nobody moderates
by being an author: an author edits and deletes their own posts, nothing more."""

from __future__ import annotations

from typing import Any

from community.club import membership
from community.core.permissions import is_hr
from community.forum.models import ForumPost, ForumTopic, TopicKind


def _id(user: Any) -> int | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "id", None)


def can_moderate(user: Any) -> bool:
    """Pins, locks, deletes and restores anything, hides, reads the history of any post."""
    return _id(user) is not None and membership.is_moderator(user)


def can_manage_categories(user: Any) -> bool:
    return _id(user) is not None and is_hr(user)


def can_read_topic(user: Any, topic: ForumTopic) -> bool:
    """A visible topic: everyone signed in. A deleted or hidden one: its author and moderators."""
    if _id(user) is None:
        return False
    if topic.visible:
        return True
    return topic.author_id == _id(user) or can_moderate(user)


def can_reply(user: Any, topic: ForumTopic) -> bool:
    """Not in a locked or deleted topic (a moderator still may, to explain a lock)."""
    if _id(user) is None or not topic.visible and not can_moderate(user):
        return False
    return topic.locked_at is None or can_moderate(user)


def can_edit_post(user: Any, post: ForumPost) -> bool:
    """Its author (while it is not deleted or hidden and the topic is not locked), or a
    moderator."""
    if _id(user) is None:
        return False
    if can_moderate(user):
        return True
    return (
        post.author_id == _id(user)
        and post.visible
        and post.topic.locked_at is None
        and post.topic.visible
    )


def can_delete_post(user: Any, post: ForumPost) -> bool:
    """Its author or a moderator, while it is not deleted."""
    if _id(user) is None or post.deleted_at is not None:
        return False
    return post.author_id == _id(user) or can_moderate(user)


def can_restore_post(user: Any, post: ForumPost) -> bool:
    """A moderator, or the author who deleted it themself (not one a moderator deleted)."""
    if _id(user) is None or post.deleted_at is None:
        return False
    if can_moderate(user):
        return True
    return post.author_id == _id(user) and post.deleted_by_id == _id(user)


def can_see_history(user: Any, post: ForumPost) -> bool:
    """The author, moderators and HR read a post's earlier versions."""
    return _id(user) is not None and (post.author_id == _id(user) or can_moderate(user))


def can_see_removed_text(user: Any, post: ForumPost) -> bool:
    """A deleted or hidden post's text: its author and moderators; others see a placeholder."""
    return can_see_history(user, post)


def can_vote(user: Any, post: ForumPost) -> bool:
    """Anyone but the author, on a visible post."""
    return (
        _id(user) is not None
        and post.author_id != _id(user)
        and post.visible
        and post.topic.visible
    )


def can_accept(user: Any, topic: ForumTopic) -> bool:
    """The asker of a question, or a moderator."""
    if _id(user) is None or topic.kind != TopicKind.QUESTION or not topic.visible:
        return False
    return topic.author_id == _id(user) or can_moderate(user)


def can_accept_post(user: Any, topic: ForumTopic, post: ForumPost) -> bool:
    """An answer (not the opening post, not the asker's own), visible."""
    return (
        can_accept(user, topic)
        and post.number > 1
        and post.author_id != topic.author_id
        and post.author_id != _id(user)
        and post.visible
        and topic.accepted_post_id != post.id
    )


PREDICATES = (
    can_moderate,
    can_manage_categories,
    can_reply,
    can_edit_post,
    can_delete_post,
    can_restore_post,
    can_see_history,
    can_see_removed_text,
    can_vote,
    can_accept,
    can_accept_post,
)
