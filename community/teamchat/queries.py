"""Reading team chat for HR's page: the robots (company-wide first, then by department), each
with its last outcome and what waits, and the latest messages."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from community.accounts.models import Department
from community.extensions import db
from community.teamchat.models import ChatDelivery, ChatRobot, DeliveryStatus

RECENT = 20  # messages listed on HR's page


@dataclass(frozen=True)
class RobotRow:
    robot: ChatRobot
    waiting: int  # messages queued for it
    last: ChatDelivery | None  # its latest message that was sent or failed


def get_robot(robot_id: int) -> ChatRobot:
    robot = db.session.get(ChatRobot, robot_id)
    if robot is None:
        abort(404)
    return robot


def robot_rows() -> list[RobotRow]:
    robots = list(
        db.session.scalars(
            select(ChatRobot)
            .outerjoin(Department, Department.id == ChatRobot.department_id)
            .options(joinedload(ChatRobot.department))
            .order_by(
                ChatRobot.department_id.is_not(None),
                func.lower(Department.name),
                func.lower(ChatRobot.name),
                ChatRobot.id,
            )
        )
    )
    ids = [robot.id for robot in robots]
    waiting = dict(
        db.session.execute(
            select(ChatDelivery.robot_id, func.count())
            .where(ChatDelivery.robot_id.in_(ids), ChatDelivery.status == DeliveryStatus.QUEUED)
            .group_by(ChatDelivery.robot_id)
        ).all()
    )
    last_ids = db.session.scalars(
        select(func.max(ChatDelivery.id))
        .where(
            ChatDelivery.robot_id.in_(ids),
            ChatDelivery.status.in_((DeliveryStatus.SENT, DeliveryStatus.FAILED)),
        )
        .group_by(ChatDelivery.robot_id)
    ).all()
    last = {
        delivery.robot_id: delivery
        for delivery in db.session.scalars(
            select(ChatDelivery).where(ChatDelivery.id.in_(last_ids))
        )
    }
    return [RobotRow(robot, int(waiting.get(robot.id, 0)), last.get(robot.id)) for robot in robots]


def recent_deliveries(limit: int = RECENT) -> list[ChatDelivery]:
    """The latest messages, newest first, with their robots."""
    return list(
        db.session.scalars(
            select(ChatDelivery)
            .options(joinedload(ChatDelivery.robot).joinedload(ChatRobot.department))
            .order_by(ChatDelivery.created_at.desc(), ChatDelivery.id.desc())
            .limit(limit)
        )
    )
