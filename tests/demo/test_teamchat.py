"""The demo's group robots: two on (the company's, Engineering's) and Sales' switched off, with
the thanks, the final challenge's results and HR's announcements queued for the robots that
take them."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from community.extensions import db
from community.teamchat.models import ChatDelivery, ChatRobot, DeliveryStatus, PostKind


def test_robots_and_the_messages_they_have_to_post(seeded: str) -> None:
    robots = {robot.name: robot for robot in db.session.scalars(select(ChatRobot))}
    assert set(robots) == {"全公司内推群", "技术研发部内推群", "销售部飞书群"}
    assert robots["全公司内推群"].department_id is None
    assert robots["销售部飞书群"].enabled is False
    deliveries = list(db.session.scalars(select(ChatDelivery)))
    kinds = Counter((d.robot.name, d.kind) for d in deliveries)
    for name in ("全公司内推群", "技术研发部内推群"):
        assert kinds[(name, PostKind.ANNOUNCEMENT)] >= 2
        assert kinds[(name, PostKind.CHALLENGE)] == 1
    # Engineering's group thanks its people (the company's group takes no thanks).
    assert kinds[("技术研发部内推群", PostKind.THANKS)] >= 3
    assert kinds[("全公司内推群", PostKind.THANKS)] == 0
    assert not any(d.robot.name == "销售部飞书群" for d in deliveries)  # off: nothing queued
    assert {d.status for d in deliveries} == {DeliveryStatus.QUEUED}
    results = next(d for d in deliveries if d.kind == PostKind.CHALLENGE)
    assert results.message["locale"] == "en"  # the tests' company language
    assert len(results.message["lines"]) >= 2  # it names its winners
