"""What the forum tells people: a new reply in a topic they watch, a new topic in a category
they watch, a mention, an accepted answer, and helpful votes — batched: one unread notification
per post counts its votes ("3 colleagues found your post helpful") instead of one per vote."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from community import events
from community.core.links import url
from community.extensions import db
from community.forum import watching
from community.forum.models import ForumPost, ForumTopic
from community.notifications.kinds import Notice, notify_on, register
from community.notifications.models import Notification

REPLY = "forum_reply"
NEW_TOPIC = "forum_topic"
MENTION = "forum_mention"
ACCEPTED = "forum_accepted"
VOTES = "forum_votes"


def post_link(topic_id: int, number: int) -> str:
    return url("forum.topic", topic_id=topic_id, post=number, _anchor=f"post-{number}")


def _reply(p: dict[str, Any]) -> str:
    return _("%(name)s replied in “%(title)s”", name=p["name"], title=p["title"])


def _topic(p: dict[str, Any]) -> str:
    return _("%(name)s started “%(title)s” in a category you watch", name=p["name"],
             title=p["title"])  # fmt: skip


def _mention(p: dict[str, Any]) -> str:
    return _("%(name)s mentioned you in “%(title)s”", name=p["name"], title=p["title"])


def _accepted(p: dict[str, Any]) -> str:
    return _("Your answer in “%(title)s” was accepted", title=p["title"])


def _votes(p: dict[str, Any]) -> str:
    n = int(p.get("count", 1))
    return ngettext(
        "%(num)s colleague found your post in “%(title)s” helpful",
        "%(num)s colleagues found your post in “%(title)s” helpful",
        n,
        title=p["title"],
    )


def written(event: events.ForumPostWritten) -> list[Notice]:
    topic = db.session.get(ForumTopic, event.topic_id)
    post = db.session.get(ForumPost, event.post_id)
    if topic is None or post is None or not (topic.visible and post.visible):
        return []  # a moderator's words in a removed topic reach nobody (its title included)
    params = {"name": post.author.shown_name, "title": topic.title, "topic_id": topic.id}
    link = post_link(topic.id, event.number)
    mentioned = set(event.mentioned_ids) - {event.author_id}
    found = []
    if mentioned:
        found.append(Notice(MENTION, to=sorted(mentioned), params=params, link=link, at=event.at))
    if not event.edited:
        heard = watching.listeners(topic, new_topic=event.number == 1)
        heard -= mentioned | {event.author_id}
        if heard:
            kind = NEW_TOPIC if event.number == 1 else REPLY
            found.append(Notice(kind, to=sorted(heard), params=params, link=link, at=event.at))
    return found


def accepted(event: events.ForumAnswerAccepted) -> Notice | None:
    if event.answerer_id == event.accepter_id:
        return None
    topic = db.session.get(ForumTopic, event.topic_id)
    post = db.session.get(ForumPost, event.post_id)
    return Notice(
        ACCEPTED,
        to=[event.answerer_id],
        params={"title": topic.title, "topic_id": topic.id},
        link=post_link(topic.id, post.number),
        at=event.at,
    )


def voted(event: events.ForumPostVoted) -> Notice | None:
    """One unread notification per post: a later vote counts on it (and moves it up)."""
    pending = db.session.scalars(
        select(Notification).where(
            Notification.user_id == event.author_id,
            Notification.kind == VOTES,
            Notification.read_at.is_(None),
        )
    ).all()
    for row in pending:
        if (row.params or {}).get("post_id") == event.post_id:
            params = dict(row.params)
            params["count"] = int(params.get("count", 1)) + 1
            row.params = params
            row.created_at = event.at
            return None
    topic = db.session.get(ForumTopic, event.topic_id)
    post = db.session.get(ForumPost, event.post_id)
    return Notice(
        VOTES,
        to=[event.author_id],
        params={"title": topic.title, "post_id": post.id, "count": 1},
        link=post_link(topic.id, post.number),
        at=event.at,
    )


def init_app() -> None:
    register(REPLY, _reply)
    register(NEW_TOPIC, _topic)
    register(MENTION, _mention)
    register(ACCEPTED, _accepted)
    register(VOTES, _votes)
    notify_on(events.ForumPostWritten, written)
    notify_on(events.ForumAnswerAccepted, accepted)
    notify_on(events.ForumPostVoted, voted)
