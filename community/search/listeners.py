"""The index follows the forum: every write that changes a post's text or who may see it
re-indexes those posts in the forum's own transaction, so a search never shows a post that
was just deleted or hidden, and an edit is found by its new words at once."""

from __future__ import annotations

from community import events
from community.search import services


def posts_changed(event: events.ForumPostsChanged) -> None:
    services.index_posts(event.post_ids)


def init_app() -> None:
    events.subscribe(events.ForumPostsChanged, posts_changed)
