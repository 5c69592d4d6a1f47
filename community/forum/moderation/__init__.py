"""Forum moderation (论坛管理): colleagues flag posts with a reason; enough people's flags hide a
post until it is reviewed; the club's moderators and HR work through the review queue (dismiss,
hide with a reason, delete, restore) and every decision is in the moderation log. It also
starts the forum's answer reminders (`community.forum.reminders`), a worker duty.

`services` writes, `queries` reads, `views` is the blueprint `forum_moderation` under
/club/moderation; `notices` tells authors what happened to their posts."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from community.core.permissions import expose
    from community.forum import reminders
    from community.forum.moderation import notices
    from community.forum.moderation.permissions import can_flag, can_moderate_forum
    from community.forum.moderation.views import bp

    app.register_blueprint(bp)
    notices.init_app()
    reminders.init_app()
    expose(app, can_flag, can_moderate_forum)
