"""The referrer club (内推人俱乐部): who is a member and who moderates (`membership` reads it,
`services` changes it). Members earn their way in (a first hire, a level, as configured) or HR
appoints them; the forum, mentoring and sharing sessions build on it."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from community.club import listeners, membership, notices
    from community.club.routes import bp
    from community.core.permissions import expose

    app.register_blueprint(bp)
    listeners.init_app()
    notices.init_app()
    app.jinja_env.globals["club_mark"] = membership.mark
    expose(app, membership.is_member, membership.is_moderator)
