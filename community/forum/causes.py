"""How the forum explains its entries on "My points": a helpful vote and an accepted answer,
each linking to the post (`points.causes`)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from community.extensions import db
from community.forum.models import ForumPost, ForumTopic
from community.forum.notices import post_link
from community.points.causes import Cause, register
from community.points.models import PointEntry

VOTE = "forum:vote:"
ACCEPTED = "forum:accepted:"


def describe(entries: list[PointEntry]) -> dict[int, Cause]:
    ours = [e for e in entries if e.idempotency_key.startswith((VOTE, ACCEPTED))]
    if not ours:
        return {}
    post_ids = {
        int(e.idempotency_key.split(":")[2]) for e in ours if e.idempotency_key.startswith(VOTE)
    }
    topic_ids = {
        int(e.idempotency_key.split(":")[2]) for e in ours if e.idempotency_key.startswith(ACCEPTED)
    }
    posts = {
        p.id: p for p in db.session.scalars(select(ForumPost).where(ForumPost.id.in_(post_ids)))
    }
    topic_ids |= {p.topic_id for p in posts.values()}
    topics = {
        t.id: t for t in db.session.scalars(select(ForumTopic).where(ForumTopic.id.in_(topic_ids)))
    }
    found: dict[int, Cause] = {}
    for entry in ours:
        ref = int(entry.idempotency_key.split(":")[2])
        if entry.idempotency_key.startswith(VOTE):
            post = posts.get(ref)
            topic = topics.get(post.topic_id) if post else None
            text = _("A colleague found your forum post helpful")
            icon = "bi-hand-thumbs-up"
            number = post.number if post else 1
        else:
            topic = topics.get(ref)
            text = _("Your answer was accepted in the forum")
            icon = "bi-check2-circle"
            number = 1
            if topic is not None and topic.accepted_post_id:
                accepted = db.session.get(ForumPost, topic.accepted_post_id)
                number = accepted.number if accepted else 1
        if topic is None or not topic.visible:  # a removed topic's title is not shown again
            found[entry.id] = Cause(icon, text)
            continue
        found[entry.id] = Cause(icon, text, link=post_link(topic.id, number), link_text=topic.title)
    return found


def init_app() -> None:
    register(describe)
