"""The demo's forum moderation: the review queue has a post hidden by colleagues' flags and one
still shown; the log has a moderator's hide with the reason its author was told."""

from __future__ import annotations

from sqlalchemy import select

from community.extensions import db
from community.forum.models import ForumModerationLog
from community.forum.moderation import labels, queries
from community.notifications.models import Notification


def test_the_demo_queue_and_log_have_something_to_show(seeded: str) -> None:
    _, waiting = queries.queue(1, 20)
    assert len(waiting) == 2
    assert [item.hidden_by_flags for item in waiting] == [True, False]  # most flags first
    assert len(waiting[0].flags) == 3
    actions = {row.action: row for row in db.session.scalars(select(ForumModerationLog))}
    assert set(actions) >= {labels.AUTO_HIDE, labels.HIDE}
    hide = actions[labels.HIDE]
    assert hide.actor_id is not None and hide.reason
    told = db.session.scalars(
        select(Notification.kind).where(Notification.kind.like("forum_post_%"))
    ).all()
    assert {"forum_post_hidden", "forum_post_auto_hidden"} <= set(told)
