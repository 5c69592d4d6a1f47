"""A robot's webhook address and signing secret are sealed at rest (core.sealing): the rows on
disk hold neither, the app reads both back, and under another SECRET_KEY they open to nothing."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import text

from community.core.sealing import seal, unseal
from community.extensions import db
from community.teamchat.models import SEALED, ChatRobot, Platform
from tests.teamchat.conftest import DINGTALK_SECRET, Receiver, make_robot


def test_the_address_and_the_secret_are_not_on_disk_but_read_back(hr, receiver: Receiver) -> None:
    robot = make_robot(hr, receiver, Platform.DINGTALK)
    url = receiver.webhook(Platform.DINGTALK)
    stored = db.session.execute(
        text("SELECT webhook_url, secret FROM teamchat_robots WHERE id = :id"), {"id": robot.id}
    ).one()
    assert url not in stored.webhook_url and "access_token" not in stored.webhook_url
    assert DINGTALK_SECRET not in stored.secret
    db.session.expire_all()
    again = db.session.get(ChatRobot, robot.id)
    assert (again.webhook_url, again.secret) == (url, DINGTALK_SECRET)


def test_a_sealed_value_opens_only_for_its_purpose_and_key(app: Flask) -> None:
    sealed = seal("SECabc", SEALED)
    assert sealed != seal("SECabc", SEALED)  # sealed differently each time
    assert unseal(sealed, SEALED) == "SECabc"
    assert unseal(sealed, "community.webhooks.secrets") is None
    before = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = "another key"
    try:
        assert unseal(sealed, SEALED) is None
    finally:
        app.config["SECRET_KEY"] = before
