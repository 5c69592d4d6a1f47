"""Challenges: time-boxed referral competitions a manager or HR hosts, on the ledger and the
leaderboards. What an entry earns (`credits`), the board kind (`boards`), the clock's moves on
the worker (`lifecycle`), the final and its prizes (`prizes`), people's changes (`services`)."""

from __future__ import annotations

from datetime import datetime

from flask import Flask


def keep_time_duty(now: datetime) -> int:
    from community.challenges.lifecycle import keep_time

    return keep_time(now)


def init_app(app: Flask) -> None:
    from community import events
    from community.challenges import causes, credits, notices
    from community.challenges.boards import CHALLENGE_BOARDS
    from community.challenges.views import bp
    from community.leaderboards import kinds
    from community.worker import duties

    app.register_blueprint(bp)
    kinds.register(CHALLENGE_BOARDS)  # before the leaderboards check their boards at start-up
    events.subscribe(events.PointsRecorded, credits.points_recorded)
    causes.init_app()
    notices.init_app()
    duties.register(
        duties.Duty(
            "challenges.keep-time",
            keep_time_duty,
            "move challenges live, end them, freeze the standings and award the prizes when "
            "their dates say so",
        )
    )
