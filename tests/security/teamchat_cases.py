"""The team chat routes (HR only) for the role matrix (tests/security/test_role_matrix.py), as
rows: (endpoint, method, path, HR's status, data, done). The robot posts to a closed port on
127.0.0.1, so HR's test message fails at once without leaving the machine."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from community.extensions import db
from community.teamchat import services
from community.teamchat.models import ChatDelivery, ChatRobot, PostKind
from tests.security.conftest import Company

CLOSED_PORT = "http://127.0.0.1:9/cgi-bin/webhook/send?key=matrix"


def robot_of(company: Company) -> int:
    """A company-wide WeCom robot HR set up (made once per test)."""
    if "robot_id" not in company.__dict__:
        fields = services.RobotFields("Everyone", "wecom", None, webhook_url=CLOSED_PORT)
        company.__dict__["robot_id"] = services.add_robot(company.hr, fields).id
    return company.__dict__["robot_id"]


def _robot(company: Company) -> ChatRobot | None:
    db.session.expire_all()
    return db.session.get(ChatRobot, company.__dict__.get("robot_id", 0))


def _form(company: Company, **overrides: str) -> dict[str, Any]:
    data = {"name": "Engineering", "platform": "wecom", "department_id": "", "enabled": "y"}
    data |= {"webhook_url": CLOSED_PORT, "sends_announcements": "y", **overrides}
    return data


def _named(name: str) -> bool:
    return db.session.scalars(select(ChatRobot).where(ChatRobot.name == name)).first() is not None


def _tested(company: Company) -> bool:
    return (
        db.session.scalars(select(ChatDelivery).where(ChatDelivery.kind == PostKind.TEST)).first()
        is not None
    )


TEAMCHAT_ROWS: list[tuple[Any, ...]] = [
    ("teamchat.index", "GET", lambda c: "/teamchat/", 200),
    ("teamchat.new", "GET", lambda c: "/teamchat/robots/new", 200),
    (
        "teamchat.new",
        "POST",
        lambda c: "/teamchat/robots/new",
        303,
        _form,
        lambda c: _named("Engineering"),
    ),
    ("teamchat.edit", "GET", lambda c: f"/teamchat/robots/{robot_of(c)}/edit", 200),
    (
        "teamchat.edit",
        "POST",
        lambda c: f"/teamchat/robots/{robot_of(c)}/edit",
        303,
        lambda c: _form(c, name="Renamed"),
        lambda c: _named("Renamed"),
    ),
    (
        "teamchat.switch",
        "POST",
        lambda c: f"/teamchat/robots/{robot_of(c)}/switch",
        303,
        lambda c: {"on": "0"},
        lambda c: _robot(c).enabled is False,
    ),
    (
        "teamchat.test",
        "POST",
        lambda c: f"/teamchat/robots/{robot_of(c)}/test",
        303,
        lambda c: {},
        _tested,
    ),
    (
        "teamchat.remove",
        "POST",
        lambda c: f"/teamchat/robots/{robot_of(c)}/remove",
        303,
        lambda c: {},
        lambda c: _robot(c) is None,
    ),
]
