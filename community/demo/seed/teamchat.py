"""The demo's group robots, set up through the team chat services by HR before the demo's
referrals are written: their listeners queue the thanks of the bonuses paid since, the final
challenge's results and HR's announcements for the robots that are on, and the worker of
`make run` posts them (to the development outbox)."""

from __future__ import annotations

from sqlalchemy import select

from community.accounts.models import Department, User
from community.demo.data.teamchat import ROBOTS
from community.extensions import db
from community.teamchat import services
from community.teamchat.models import ChatRobot


def add_chat_robots(hr: User) -> None:
    """Set up the demo's robots unless they are there."""
    existing = set(db.session.scalars(select(ChatRobot.name)))
    departments = {d.name: d.id for d in db.session.scalars(select(Department))}
    for name, platform, department, url, secret, news, results, thanks, on in ROBOTS:
        if name in existing:
            continue
        fields = services.RobotFields(
            name=name,
            platform=platform,
            department_id=departments.get(department) if department else None,
            webhook_url=url,
            secret=secret,
            sends_announcements=news,
            sends_challenges=results,
            sends_thanks=thanks,
            enabled=on,
        )
        services.add_robot(hr, fields)
