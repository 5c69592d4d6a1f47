"""Every write of team chat: HR sets up, changes, switches and removes group robots and sends a
test message; the listeners queue messages (`queue`, inside the publisher's transaction). HR's
actions check who acts, commit, and write nothing when refused. Posting is `teamchat.sending`.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, select, update

from community.accounts.models import Department, User
from community.core.errors import FORBIDDEN, NOT_FOUND
from community.core.permissions import is_hr
from community.core.time import utcnow
from community.core.transaction import committed, insert_once
from community.extensions import db
from community.teamchat import messages
from community.teamchat.models import (
    ChatDelivery,
    ChatRobot,
    DeliveryStatus,
    Platform,
    PostKind,
)
from community.teamchat.platforms import (
    Message,
    TeamChatError,
    check_secret,
    check_webhook,
)

logger = logging.getLogger(__name__)

MAX_NAME = 80


@dataclass
class RobotFields:
    """What HR sets. On a change, an empty `webhook_url` or `secret` keeps the stored one.
    `department_id` None: the whole company."""

    name: str
    platform: str
    department_id: int | None
    webhook_url: str = ""
    secret: str = ""
    sends_announcements: bool = True
    sends_challenges: bool = True
    sends_thanks: bool = True
    enabled: bool = True


def _require_hr(actor: User) -> None:
    if not is_hr(actor):
        raise TeamChatError(_("Only HR sets up team chat robots."), status=FORBIDDEN)


def allow_loopback() -> bool:
    return bool(current_app.testing or current_app.config.get("TEAMCHAT_ALLOW_LOOPBACK"))


def _checked(fields: RobotFields, robot: ChatRobot | None) -> dict[str, object]:
    """The robot's columns from `fields`, or the refusal of the first field that is wrong."""
    name = " ".join((fields.name or "").split())
    if not name:
        raise TeamChatError(_("Give the robot a name, e.g. the group it posts to."), field="name")
    if len(name) > MAX_NAME:
        raise TeamChatError(
            ngettext(
                "The name can have at most %(num)d character.",
                "The name can have at most %(num)d characters.",
                MAX_NAME,
            ),
            field="name",
        )
    try:
        platform = Platform((fields.platform or "").strip())
    except ValueError:
        raise TeamChatError(_("Choose WeCom, Feishu or DingTalk."), field="platform") from None
    if (
        fields.department_id is not None
        and db.session.get(Department, fields.department_id) is None
    ):
        raise TeamChatError(_("There is no such department."), field="department_id")
    same_platform = robot is not None and robot.platform == platform
    typed_url = (fields.webhook_url or "").strip()
    url = check_webhook(
        platform,
        typed_url or (robot.webhook_url if robot else ""),
        allow_loopback=allow_loopback(),
    )
    typed_secret = (fields.secret or "").strip()
    kept_secret = robot.secret if same_platform and robot and not typed_secret else None
    secret = check_secret(platform, typed_secret or kept_secret)
    kinds = (fields.sends_announcements, fields.sends_challenges, fields.sends_thanks)
    if not any(kinds):
        raise TeamChatError(
            _("Choose at least one kind of post for this robot."), field="sends_announcements"
        )
    return {
        "name": name,
        "platform": platform,
        "department_id": fields.department_id,
        "webhook_url": url,
        "secret": secret,
        "sends_announcements": bool(fields.sends_announcements),
        "sends_challenges": bool(fields.sends_challenges),
        "sends_thanks": bool(fields.sends_thanks),
        "enabled": bool(fields.enabled),
    }


def _locked(robot_id: int) -> ChatRobot:
    robot = db.session.scalars(
        select(ChatRobot)
        .where(ChatRobot.id == robot_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if robot is None:
        raise TeamChatError(_("There is no such robot."), status=NOT_FOUND)
    return robot


def _drop_waiting(robot_id: int, kinds: list[PostKind] | None, now: datetime) -> int:
    """Drop the robot's messages still waiting (of `kinds`, or all): it will not send them."""
    statement = update(ChatDelivery).where(
        ChatDelivery.robot_id == robot_id, ChatDelivery.status == DeliveryStatus.QUEUED
    )
    if kinds is not None:
        if not kinds:
            return 0
        statement = statement.where(ChatDelivery.kind.in_(kinds))
    result = db.session.execute(
        statement.values(status=DeliveryStatus.DROPPED, finished_at=now),
        execution_options={"synchronize_session": False},
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def add_robot(actor: User, fields: RobotFields) -> ChatRobot:
    """Set up a group robot (HR only): a department's or the company's group, the platform's
    webhook address and, where the platform signs, its secret; which posts it gets."""
    _require_hr(actor)
    with committed():
        now = utcnow()
        robot = ChatRobot(
            **_checked(fields, None), created_by_id=actor.id, created_at=now, updated_at=now
        )
        db.session.add(robot)
        db.session.flush()
    logger.info("team chat robot %s (%s) added by user %s", robot.id, robot.platform, actor.id)
    return robot


def update_robot(actor: User, robot_id: int, fields: RobotFields) -> ChatRobot:
    """Change a robot (HR only). Messages still waiting for a kind of post it no longer gets,
    or for a robot switched off, are dropped."""
    _require_hr(actor)
    with committed():
        robot = _locked(robot_id)
        values = _checked(fields, robot)
        now = utcnow()
        for name, value in values.items():
            setattr(robot, name, value)
        robot.updated_at = now
        if not robot.enabled:
            _drop_waiting(robot.id, None, now)
        else:
            _drop_waiting(robot.id, [k for k in PostKind if not robot.sends(k)], now)
    logger.info("team chat robot %s changed by user %s", robot.id, actor.id)
    return robot


def switch_robot(actor: User, robot_id: int, on: bool) -> ChatRobot:
    """Switch a robot on or off (HR only); switched off, its waiting messages are dropped."""
    _require_hr(actor)
    with committed():
        robot = _locked(robot_id)
        now = utcnow()
        robot.enabled, robot.updated_at = on, now
        if not on:
            _drop_waiting(robot.id, None, now)
    return robot


def remove_robot(actor: User, robot_id: int) -> None:
    """Remove a robot and its messages (HR only)."""
    _require_hr(actor)
    with committed():
        robot = _locked(robot_id)
        db.session.execute(delete(ChatDelivery).where(ChatDelivery.robot_id == robot.id))
        db.session.delete(robot)
    logger.info("team chat robot %s removed by user %s", robot_id, actor.id)


def send_test(actor: User, robot_id: int, *, now: datetime | None = None) -> ChatDelivery:
    """Post a test message through the robot now, in this request (HR only), so HR sees at
    once whether the address and secret work; recorded like any message, tried once."""
    from community.teamchat import sending

    _require_hr(actor)
    now = now or utcnow()
    with committed():
        robot = _locked(robot_id)
        delivery = ChatDelivery(
            robot_id=robot.id,
            kind=PostKind.TEST,
            source_key=f"test:{uuid.uuid4().hex}",
            message=messages.test_message(robot).to_json(),
            status=DeliveryStatus.QUEUED,
            next_attempt_at=now,
            created_at=now,
        )
        db.session.add(delivery)
        db.session.flush()
    sending.try_delivery(delivery.id, now)
    return db.session.get(ChatDelivery, delivery.id, populate_existing=True)  # type: ignore[return-value]


# Inside the publisher's transaction ------------------------------------------------------------


def queue(
    robot: ChatRobot,
    kind: PostKind,
    source_key: str,
    message: Message,
    at: datetime,
    group_key: str | None = None,
) -> int | None:
    """Queue `message` for `robot`, once per robot and `source_key` (a second call, even from a
    concurrent transaction, adds nothing). Never commits: the caller's commit sends it on its
    way, a rollback takes it back. Returns the new delivery's id, or None."""
    return insert_once(
        ChatDelivery,
        {
            "robot_id": robot.id,
            "kind": kind,
            "source_key": source_key,
            "group_key": group_key,
            "message": message.to_json(),
            "status": DeliveryStatus.QUEUED,
            "attempts": 0,
            "next_attempt_at": at,
            "created_at": at,
        },
        ["robot_id", "source_key"],
    )


def add_to_waiting(robot: ChatRobot, group_key: str, line: str) -> bool:
    """Add `line` to the robot's message of `group_key` that no try has taken yet (one person's
    thanks of one day share a message, as they share a card on the wall). Locks it first, so a
    worker taking it for a try waits and then sends it whole. False when there is none."""
    waiting = db.session.scalars(
        select(ChatDelivery)
        .where(
            ChatDelivery.robot_id == robot.id,
            ChatDelivery.group_key == group_key,
            ChatDelivery.status == DeliveryStatus.QUEUED,
            ChatDelivery.attempts == 0,
        )
        .order_by(ChatDelivery.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if waiting is None:
        return False
    message = dict(waiting.message)
    message["lines"] = [*message.get("lines", []), line]
    waiting.message = message  # a new value, so the JSON column is written
    return True
