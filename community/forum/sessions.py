"""Each sharing session gets a forum topic for questions (issue 13). The forum hears
`SharingSessionScheduled` and opens the topic inside the publisher's transaction: in the
sharing-sessions category (made the first time, found by its slug; HR may rename, move or archive it — an archived
one opens no more topics),
written by the host, with `origin` "sharing-session:<id>" so it is opened once. The sharing room
finds it by that origin (`queries.topic_id_for_origin`)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from community import events
from community.accounts.models import User
from community.core.links import url
from community.extensions import db
from community.forum import topics
from community.forum.common import MAX_TITLE_CHARS, MIN_TITLE_CHARS, max_post_chars
from community.forum.models import CategoryKind, ForumCategory

SLUG = "sharing-sessions"


def origin_of(session_id: int) -> str:
    return f"sharing-session:{session_id}"


def _category() -> ForumCategory | None:
    """The sharing-sessions category, made the first time (two sessions at once on a new
    install: the second finds the first's). None when HR archived it: then sessions open no
    topic, as HR chose."""
    found = select(ForumCategory).where(ForumCategory.slug == SLUG)
    category = db.session.scalars(found).first()
    if category is None:
        last = db.session.scalar(select(func.max(ForumCategory.position))) or 0
        try:
            with db.session.begin_nested():
                category = ForumCategory(
                    slug=SLUG,
                    name="分享会",
                    name_en="Sharing sessions",
                    description="每场分享会的提问与讨论：会前提问，会后继续交流。",
                    description_en="Questions and talk for each sharing session, before and after it.",
                    position=last + 1,
                    kind=CategoryKind.DISCUSSION,
                )
                db.session.add(category)
        except IntegrityError:
            category = db.session.scalars(found).one()
    return None if category.archived else category


def _title(title: str) -> str:
    text = " ".join(title.split())
    if len(text) < MIN_TITLE_CHARS:
        text = f"{text} · Q&A"
    return text[:MAX_TITLE_CHARS]


def _body(event: events.SharingSessionScheduled) -> str:
    link = f"[分享会页面 · Session page]({url('sharing.detail', session_id=event.session_id)})"
    room = max_post_chars() - len(link) - 4
    description = (event.description or "").strip()[:room]
    return f"{description}\n\n{link}" if description else link


def session_scheduled(event: events.SharingSessionScheduled) -> None:
    host = db.session.get(User, event.host_id)
    category = _category()
    if host is None or category is None:
        return
    topics.open_topic(
        host,
        category=category,
        title=_title(event.title),
        body=_body(event),
        question=False,
        origin=origin_of(event.session_id),
        mention=False,  # the session's description is not a post of the host's: no @ alerts
    )


def init_app() -> None:
    events.subscribe(events.SharingSessionScheduled, session_scheduled)
