"""Team chat: the group robots HR sets up (企业微信 WeCom, 飞书 Feishu, 钉钉 DingTalk) and the
messages queued for them.

A `ChatRobot` posts to one group chat through the platform's webhook, for one department or,
with no department, for the whole company. Its webhook address carries the platform's access
token and its `secret` signs each message (DingTalk, Feishu): both are as good as a password to
that group, so pages show them cut short (`masked`) and never in full, and both are sealed at
rest (`core.sealing`: unreadable without SECRET_KEY; a new SECRET_KEY means entering them again).

A `ChatDelivery` is one message for one robot, written by a listener inside the transaction of
what it tells (an announcement, a challenge's results, a thank-you) and posted by the worker
(`teamchat.send`). `message` holds the text as the company's language words it (title, lines,
a link back), so a retry sends the same words. `source_key` names what it tells, once per robot;
`group_key` lets the thanks of one person on one day share one message while it waits.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.accounts.models import Department, User
from community.core.enums import enum_column
from community.core.sealing import Sealed
from community.core.time import utcnow
from community.extensions import db

SEALED = "community.teamchat.robots"  # core.sealing purpose of a robot's address and secret


class Platform(enum.StrEnum):
    WECOM = "wecom"  # 企业微信: markdown, no signature
    FEISHU = "feishu"  # 飞书 (Lark): a rich-text post, signed in the body
    DINGTALK = "dingtalk"  # 钉钉: markdown, signed in the query string


class PostKind(enum.StrEnum):
    """What a robot may be sent; TEST is HR's "send a test message", sent at once."""

    ANNOUNCEMENT = "announcement"
    CHALLENGE = "challenge"
    THANKS = "thanks"
    TEST = "test"


class DeliveryStatus(enum.StrEnum):
    QUEUED = "queued"  # waiting for the worker (again, after a failed try)
    SENT = "sent"  # the platform said ok
    FAILED = "failed"  # every try failed (or the test message's one)
    DROPPED = "dropped"  # its robot was switched off or removed before it went


class ChatRobot(db.Model):
    """One group robot. `department_id` None: the company-wide group. `sends_*`: which kinds of
    posts it gets; `enabled`: HR's on/off switch."""

    __tablename__ = "teamchat_robots"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    platform: Mapped[Platform] = mapped_column(enum_column(Platform))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    # Sealed at rest (core.sealing): a copy of the database alone posts to no group.
    webhook_url: Mapped[str] = mapped_column(Sealed(SEALED, 500))
    secret: Mapped[str | None] = mapped_column(Sealed(SEALED, 200))
    sends_announcements: Mapped[bool] = mapped_column(default=True)
    sends_challenges: Mapped[bool] = mapped_column(default=True)
    sends_thanks: Mapped[bool] = mapped_column(default=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    department: Mapped[Department | None] = relationship()
    created_by: Mapped[User | None] = relationship()

    def sends(self, kind: PostKind) -> bool:
        """Whether this robot gets posts of `kind` (a test message always goes)."""
        return {
            PostKind.ANNOUNCEMENT: self.sends_announcements,
            PostKind.CHALLENGE: self.sends_challenges,
            PostKind.THANKS: self.sends_thanks,
            PostKind.TEST: True,
        }[kind]


class ChatDelivery(db.Model):
    """One message for one robot and its tries. `next_attempt_at`: when the worker may try
    (again); claiming a try moves it forward by a lease, so two workers never post it at
    once. `attempts`: tries so far. `last_error`: what the last failed try answered."""

    __tablename__ = "teamchat_deliveries"
    __table_args__ = (
        UniqueConstraint("robot_id", "source_key"),
        Index("ix_teamchat_deliveries_due", "status", "next_attempt_at"),
        Index("ix_teamchat_deliveries_group", "robot_id", "group_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    robot_id: Mapped[int] = mapped_column(ForeignKey("teamchat_robots.id"))
    kind: Mapped[PostKind] = mapped_column(enum_column(PostKind))
    source_key: Mapped[str] = mapped_column(String(120))
    group_key: Mapped[str | None] = mapped_column(String(120))
    message: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[DeliveryStatus] = mapped_column(
        enum_column(DeliveryStatus), default=DeliveryStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]  # sent, failed for good, or dropped

    robot: Mapped[ChatRobot] = relationship()
