"""HR's team chat pages: adding, changing, switching and removing a robot, a test message and
the last results; secrets never shown whole; bad input refused on its field with nothing
written; everyone but HR refused."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from community.accounts.models import Role
from community.extensions import db
from community.teamchat.models import ChatDelivery, ChatRobot, Platform
from tests.factories import make_department, make_user
from tests.security.conftest import db_fingerprint
from tests.teamchat.conftest import DINGTALK_SECRET, Receiver, make_robot


def form(receiver: Receiver, kind: Platform = Platform.DINGTALK, **overrides: Any) -> dict:
    data = {
        "name": "Engineering referrals",
        "platform": kind.value,
        "department_id": "",
        "webhook_url": receiver.webhook(kind),
        "secret": DINGTALK_SECRET if kind == Platform.DINGTALK else "",
        "sends_announcements": "y",
        "sends_challenges": "y",
        "sends_thanks": "y",
        "enabled": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def robots() -> list[ChatRobot]:
    db.session.expire_all()
    return list(db.session.scalars(select(ChatRobot).order_by(ChatRobot.id)))


def test_hr_adds_a_robot_for_a_department(client, auth, hr, receiver: Receiver) -> None:
    engineering = make_department("Engineering")
    auth.login(hr)
    page = client.get("/teamchat/robots/new")
    assert page.status_code == 200
    assert "oapi.dingtalk.com/robot/send?access_token=" in page.text  # the examples
    response = client.post(
        "/teamchat/robots/new",
        data=form(receiver, department_id=str(engineering.id), sends_challenges=None),
    )
    assert response.status_code == 303
    (robot,) = robots()
    assert (robot.name, robot.platform, robot.department_id) == (
        "Engineering referrals",
        Platform.DINGTALK,
        engineering.id,
    )
    assert robot.secret == DINGTALK_SECRET
    assert (robot.sends_announcements, robot.sends_challenges, robot.sends_thanks) == (
        True,
        False,
        True,
    )
    listing = client.get("/teamchat/")
    assert "Engineering referrals" in listing.text
    assert "Robot Engineering referrals is set up." in listing.text


def test_the_secret_and_the_token_are_never_shown_whole(client, auth, hr, receiver) -> None:
    robot = make_robot(
        hr,
        receiver,
        Platform.DINGTALK,
        webhook_url=receiver.webhook(Platform.DINGTALK, token="0123456789abcdefghij"),
    )
    auth.login(hr)
    for path in ("/teamchat/", f"/teamchat/robots/{robot.id}/edit"):
        text = client.get(path).text
        assert DINGTALK_SECRET not in text
        assert "0123456789abcdefghij" not in text
        assert "0123…ghij" in text
    assert "SEC0…89ab" in client.get(f"/teamchat/robots/{robot.id}/edit").text


def test_a_change_with_empty_address_and_secret_keeps_them(client, auth, hr, receiver) -> None:
    robot = make_robot(hr, receiver, Platform.DINGTALK)
    url = robot.webhook_url
    auth.login(hr)
    response = client.post(
        f"/teamchat/robots/{robot.id}/edit",
        data=form(receiver, name="Renamed", webhook_url="", secret="", sends_thanks=None),
    )
    assert response.status_code == 303
    (changed,) = robots()
    assert (changed.name, changed.webhook_url, changed.secret) == ("Renamed", url, DINGTALK_SECRET)
    assert changed.sends_thanks is False


@pytest.mark.parametrize(
    ("overrides", "field", "says"),
    [
        ({"webhook_url": "qyapi.weixin.qq.com/x"}, "webhook_url", "not a web address"),
        (
            {"webhook_url": "https://evil.example/robot/send?access_token=x"},
            "webhook_url",
            "That is not a DingTalk (钉钉) address",
        ),
        (
            {"webhook_url": "http://oapi.dingtalk.com/robot/send?access_token=x"},
            "webhook_url",
            "must start with https://",
        ),
        ({"secret": ""}, "secret", "robots sign their messages: paste the secret"),
        ({"secret": "not-a-dingtalk-secret"}, "secret", "starts with SEC"),
        ({"name": "  "}, "name", "Give the robot a name"),
        ({"platform": "slack"}, "platform", "Choose WeCom, Feishu or DingTalk."),
        ({"department_id": "987654"}, "department_id", "There is no such department."),
        ({"department_id": "99999999999999999999"}, "department_id", "no such department"),
        (
            {"sends_announcements": None, "sends_challenges": None, "sends_thanks": None},
            "sends_announcements",
            "Choose at least one kind of post",
        ),
    ],
)
def test_bad_input_is_refused_on_its_field_and_writes_nothing(
    client, auth, hr, receiver, overrides, field, says
) -> None:
    auth.login(hr)
    before = db_fingerprint()
    response = client.post("/teamchat/robots/new", data=form(receiver, **overrides))
    assert response.status_code == 422
    assert says in response.text
    assert f'id="{field}-error"' in response.text
    assert db_fingerprint() == before


def test_a_wecom_robot_takes_no_secret(client, auth, hr, receiver) -> None:
    auth.login(hr)
    response = client.post(
        "/teamchat/robots/new", data=form(receiver, Platform.WECOM, secret="SECsomething")
    )
    assert response.status_code == 422
    assert "WeCom robots do not sign their messages" in response.text
    assert robots() == []


def test_a_local_address_is_refused_outside_tests(app, client, auth, hr, receiver) -> None:
    auth.login(hr)
    app.testing = False
    try:
        response = client.post("/teamchat/robots/new", data=form(receiver))
    finally:
        app.testing = True
    assert response.status_code == 422
    assert "must start with https://" in response.text


def test_switching_off_and_on(client, auth, hr, receiver) -> None:
    robot = make_robot(hr, receiver)
    auth.login(hr)
    assert client.post(f"/teamchat/robots/{robot.id}/switch", data={"on": "0"}).status_code == 303
    assert robots()[0].enabled is False
    page = client.get("/teamchat/")
    assert "is off. Messages waiting for it were dropped." in page.text
    assert client.post(f"/teamchat/robots/{robot.id}/switch", data={"on": "1"}).status_code == 303
    assert robots()[0].enabled is True


def test_the_test_button_posts_and_the_page_shows_the_result(client, auth, hr, receiver) -> None:
    robot = make_robot(hr, receiver, Platform.WECOM, name="All hands")
    auth.login(hr)
    response = client.post(f"/teamchat/robots/{robot.id}/test", follow_redirects=True)
    assert "Test message sent to All hands." in response.text
    assert len(receiver.requests) == 1
    receiver.answer((200, {"errcode": 93000, "errmsg": "invalid webhook url"}))
    response = client.post(f"/teamchat/robots/{robot.id}/test", follow_redirects=True)
    assert "The test message to All hands failed: 93000 invalid webhook url" in response.text
    assert response.text.count("93000 invalid webhook url") >= 2  # the flash, the last result


def test_removing_a_robot_removes_its_messages(client, auth, hr, receiver) -> None:
    robot = make_robot(hr, receiver)
    auth.login(hr)
    client.post(f"/teamchat/robots/{robot.id}/test")
    assert client.post(f"/teamchat/robots/{robot.id}/remove").status_code == 303
    assert robots() == []
    assert db.session.scalar(select(func.count()).select_from(ChatDelivery)) == 0


def test_the_page_lists_the_latest_messages_with_their_state(client, auth, hr, receiver) -> None:
    from community.thanks.services import post_announcement

    make_robot(hr, receiver, name="Everyone")
    post_announcement(hr, "Open day", "Bring a friend.")
    auth.login(hr)
    text = client.get("/teamchat/").text
    assert "Announcement: Open day" in text
    assert "Waiting" in text
    assert "1 message waiting" in text


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER])
def test_only_hr_sets_up_robots(client, auth, hr, receiver, role) -> None:
    robot = make_robot(hr, receiver)
    auth.login(make_user(role))
    before = db_fingerprint()
    for method, path, data in [
        ("GET", "/teamchat/", None),
        ("GET", "/teamchat/robots/new", None),
        ("POST", "/teamchat/robots/new", form(receiver)),
        ("GET", f"/teamchat/robots/{robot.id}/edit", None),
        ("POST", f"/teamchat/robots/{robot.id}/edit", form(receiver, name="Mine")),
        ("POST", f"/teamchat/robots/{robot.id}/switch", {"on": "0"}),
        ("POST", f"/teamchat/robots/{robot.id}/test", {}),
        ("POST", f"/teamchat/robots/{robot.id}/remove", {}),
    ]:
        assert client.open(path, method=method, data=data).status_code == 403, path
    assert db_fingerprint() == before
    assert receiver.requests == []


def test_a_missing_robot_is_a_404_for_hr(client, auth, hr) -> None:
    auth.login(hr)
    assert client.get("/teamchat/robots/987654/edit").status_code == 404
    assert client.post("/teamchat/robots/987654/test").status_code == 404
