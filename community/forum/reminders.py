"""The worker duty `forum.answer-reminders`: a question still without an accepted answer
FORUM_ANSWER_REMINDER_DAYS after it was asked reminds its asker, once.

What the reminder says depends on the thread (a choice, see docs/architecture.md):
- colleagues answered (at least one visible reply by someone other than the asker): "accept the
  answer that helped", because an accepted answer is what helps the next reader and earns its
  author points;
- nobody answered: "nobody has answered yet: add details, or ask a club moderator to point a
  member to it", so the asker is not left waiting in silence.

Deleted, hidden and locked topics are never reminded (nobody can answer or accept there). The
duty is computed from the clock: each run reminds every question that is due by `now` and not
reminded yet (a worker that was down catches up); `answer_reminded_at` is set by a conditional
UPDATE, so two workers ticking together remind once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select, update
from werkzeug.routing import BuildError

from community.accounts.models import User
from community.core.links import url
from community.extensions import db
from community.forum.models import ForumPost, ForumTopic, TopicKind
from community.notifications.kinds import Notice, register
from community.notifications.services import deliver
from community.worker import duties

ACCEPT_AN_ANSWER = "forum_accept_an_answer"
NO_ANSWER_YET = "forum_no_answer_yet"
DUTY = "forum.answer-reminders"
BATCH = 500  # questions per run; the next tick takes the rest


def reminder_days() -> int:
    """FORUM_ANSWER_REMINDER_DAYS; 0 turns the reminders off."""
    return max(0, int(current_app.config.get("FORUM_ANSWER_REMINDER_DAYS", 3)))


def _due(now: datetime, days: int) -> Any:
    return (
        select(ForumTopic)
        .where(
            ForumTopic.kind == TopicKind.QUESTION,
            ForumTopic.accepted_post_id.is_(None),
            ForumTopic.answer_reminded_at.is_(None),
            ForumTopic.deleted_at.is_(None),
            ForumTopic.hidden_at.is_(None),
            ForumTopic.locked_at.is_(None),
            ForumTopic.created_at <= now - timedelta(days=days),
        )
        .order_by(ForumTopic.created_at, ForumTopic.id)
        .limit(BATCH)
    )


def _answers(topic: ForumTopic) -> int:
    """Visible replies by colleagues (the asker's own follow-ups are not answers)."""
    return int(
        db.session.scalar(
            select(func.count(ForumPost.id)).where(
                ForumPost.topic_id == topic.id,
                ForumPost.number > 1,
                ForumPost.author_id != topic.author_id,
                ForumPost.deleted_at.is_(None),
                ForumPost.hidden_at.is_(None),
            )
        )
        or 0
    )


def _link(topic: ForumTopic) -> str | None:
    try:
        return url("forum.topic", topic_id=topic.id)
    except BuildError:  # the forum's pages are not registered (a worker-only app still links)
        return None


def remind_askers(now: datetime) -> int:
    """Remind the askers of every question due by `now`; returns how many were reminded. The
    caller (the worker's tick) commits."""
    days = reminder_days()
    if not days:
        return 0
    reminded = 0
    for topic in list(db.session.scalars(_due(now, days))):
        claimed = db.session.execute(
            update(ForumTopic)
            .where(ForumTopic.id == topic.id, ForumTopic.answer_reminded_at.is_(None))
            .values(answer_reminded_at=now)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:  # another worker reminded it a moment ago
            continue
        asker = db.session.get(User, topic.author_id)
        if asker is None or not asker.is_active_account:
            continue  # marked all the same: nobody to remind
        answers = _answers(topic)
        deliver(
            Notice(
                ACCEPT_AN_ANSWER if answers else NO_ANSWER_YET,
                to=[topic.author_id],
                params={"title": topic.title, "answers": answers, "days": days},
                link=_link(topic),
                at=now,
            )
        )
        reminded += 1
    return reminded


def _accept(params: dict[str, Any]) -> str:
    return ngettext(
        "Your question “%(title)s” has %(num)s answer but none accepted yet. Accept the one "
        "that helped you: it helps the next reader, and its author earns points.",
        "Your question “%(title)s” has %(num)s answers but none accepted yet. Accept the one "
        "that helped you: it helps the next reader, and its author earns points.",
        int(params.get("answers", 0)),
        title=params.get("title", ""),
    )


def _no_answer(params: dict[str, Any]) -> str:
    return _(
        "Nobody has answered your question “%(title)s” yet. Add details to it, or ask a club "
        "moderator to point a member to it.",
        title=params.get("title", ""),
    )


def init_app() -> None:
    register(ACCEPT_AN_ANSWER, _accept)
    register(NO_ANSWER_YET, _no_answer)
    duties.register(
        duties.Duty(
            DUTY,
            remind_askers,
            "remind the askers of questions without an accepted answer after "
            "FORUM_ANSWER_REMINDER_DAYS days, once",
        )
    )
