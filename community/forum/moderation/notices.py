"""What moderation tells a post's author: their post was hidden (by a moderator, with the
reason, quoted as the moderator wrote it; or by colleagues' flags until a moderator reviews
it), deleted, or shown again. Written in the moderator's transaction (`tell_author`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from werkzeug.routing import BuildError

from community.core.links import url
from community.forum.models import ForumPost
from community.forum.moderation import labels
from community.notifications.kinds import Notice, register
from community.notifications.services import deliver

HIDDEN = "forum_post_hidden"
AUTO_HIDDEN = "forum_post_auto_hidden"
DELETED = "forum_post_deleted"
RESTORED = "forum_post_restored"
KINDS = {
    labels.HIDE: HIDDEN,
    labels.AUTO_HIDE: AUTO_HIDDEN,
    labels.DELETE: DELETED,
    labels.RESTORE: RESTORED,
}


def post_link(post: ForumPost) -> str | None:
    """The post in its thread (None while the forum's pages are not there to link to)."""
    try:
        return url("forum.topic", topic_id=post.topic_id, _anchor=f"post-{post.number}")
    except BuildError:
        return None


def tell_author(post: ForumPost, action: str, reason: str | None, at: datetime) -> None:
    """Tell the post's author what moderation did to it, in the caller's transaction."""
    deliver(
        Notice(
            KINDS[action],
            to=[post.author_id],
            params={"title": post.topic.title, "reason": reason or ""},
            link=post_link(post),
            at=at,
        )
    )


def _hidden(params: dict[str, Any]) -> str:
    return _("A moderator hid your post in “%(title)s”.", title=params.get("title", ""))


def _auto_hidden(params: dict[str, Any]) -> str:
    return _(
        "Your post in “%(title)s” is hidden until a moderator reviews it: several colleagues "
        "flagged it.",
        title=params.get("title", ""),
    )


def _deleted(params: dict[str, Any]) -> str:
    return _("A moderator deleted your post in “%(title)s”.", title=params.get("title", ""))


def _restored(params: dict[str, Any]) -> str:
    return _("Your post in “%(title)s” is visible again.", title=params.get("title", ""))


def _reason(params: dict[str, Any]) -> list[tuple[str, str]]:
    reason = params.get("reason")
    return [(_("The moderator's reason"), reason)] if reason else []


def init_app() -> None:
    register(HIDDEN, _hidden, quotes=_reason)
    register(AUTO_HIDDEN, _auto_hidden)
    register(DELETED, _deleted, quotes=_reason)
    register(RESTORED, _restored)
