"""The private network (人脉盘点), the outreach coach and the follow-up coach: a person's own
contacts, tagged by skill, industry and career wish, imported and exported, suggested for a job
that fits them, and the messages to reach them and to follow up. Private to their owner: no
other room reads these tables (see `models`)."""

from __future__ import annotations

from datetime import datetime

from flask import Flask


def suggest_duty(now: datetime) -> int:
    from community.network.suggestions import scan_opened_jobs

    return scan_opened_jobs(now)


def init_app(app: Flask) -> None:
    from community import events
    from community.network import notices, suggestions
    from community.network.routes import bp
    from community.worker import duties

    app.register_blueprint(bp)
    events.subscribe(events.JobOpened, suggestions.job_opened)
    notices.init_app()
    duties.register(
        duties.Duty(
            "network.suggest",
            suggest_duty,
            "tell people how many of their own contacts may fit a job that opened",
        )
    )
