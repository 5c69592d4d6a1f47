"""The referrer club's forum (内推人论坛): categories HR sets up, topics and replies in Markdown,
quoting, edits with history, soft deletes, pinned and locked topics, unread marks, watching,
mentions, helpful votes and accepted answers (both paying points within limits).

Modules: `topics`, `posts`, `votes`, `answers`, `watching`, `mentions`, `categories` (every
write, each one transaction); `queries` (reading); `permissions` (who may); `notices` (what
people hear); `causes` (how "My points" explains forum entries); `views` (the pages).
Every write that changes a post's text or visibility publishes `events.ForumPostsChanged`."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from community import events
    from community.core.permissions import expose
    from community.forum import (
        answers,
        causes,
        mentions,
        moderation,
        notices,
        permissions,
        posts,
        sessions,
        votes,
    )
    from community.forum.views import bp
    from community.forum.views import init_app as views_init

    views_init()
    app.register_blueprint(bp)
    # Points first, so that "+N points" is a line of the notification the same event writes.
    events.subscribe(events.ForumAnswerAccepted, answers.pay)
    events.subscribe(events.ForumPostVoted, votes.pay)
    notices.init_app()
    causes.init_app()
    expose(app, *permissions.PREDICATES)
    app.jinja_env.globals["forum_quote"] = posts.format_quote
    app.jinja_env.filters["forum_markdown"] = mentions.render
    moderation.init_app(app)
    sessions.init_app()
