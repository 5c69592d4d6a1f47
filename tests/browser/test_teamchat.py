"""Browser journey: HR sets up a DingTalk group robot for Engineering (a wrong address first, then
the right one), sends a test message to a local receiver standing in for DingTalk, and sees the
result on the team chat page. Screenshots of the form and the page."""

from __future__ import annotations

import base64
import hashlib
import hmac

from playwright.sync_api import Page, expect

from community.accounts.models import Role
from community.teamchat.models import Platform
from tests.browser.conftest import login, open_menu, screenshot
from tests.factories import make_department, make_user
from tests.teamchat.conftest import DINGTALK_SECRET, Receiver, receiver  # noqa: F401 (a fixture)


def test_hr_adds_a_robot_and_sends_a_test_message(page: Page, receiver: Receiver) -> None:  # noqa: F811
    engineering = make_department("Engineering")
    hr = make_user(Role.HR, engineering, name="Hana HR")
    login(page, hr.email)
    open_menu(page, "HR")
    page.get_by_test_id("nav-teamchat").click()
    expect(page.get_by_test_id("robots-empty")).to_be_visible()
    page.get_by_test_id("new-robot").click()

    page.fill("#name", "Engineering referrals")
    page.select_option("#department_id", label="Engineering")
    page.select_option("#platform", "dingtalk")
    page.fill("#webhook_url", "https://example.com/robot/send?access_token=abc")
    page.fill("#secret", DINGTALK_SECRET)
    page.get_by_test_id("save-robot").click()
    expect(page.locator("#webhook_url-error")).to_contain_text("That is not a DingTalk")
    screenshot(page, "teamchat-form-refused")

    page.fill("#webhook_url", receiver.webhook(Platform.DINGTALK))
    page.fill("#secret", DINGTALK_SECRET)  # (a password field is never filled back in)
    page.get_by_test_id("save-robot").click()
    expect(page.get_by_text("Robot Engineering referrals is set up.")).to_be_visible()

    page.get_by_test_id("test-robot").click()
    expect(page.get_by_text("Test message sent to Engineering referrals.")).to_be_visible()
    expect(page.get_by_test_id("robot-last")).to_contain_text("Sent")
    expect(page.get_by_test_id("delivery-row")).to_contain_text("Test message")
    assert DINGTALK_SECRET not in page.content()
    screenshot(page, "teamchat-page")
    page.set_viewport_size({"width": 375, "height": 800})
    expect(page.get_by_test_id("test-robot")).to_be_in_viewport()
    screenshot(page, "teamchat-page-phone")

    (request,) = receiver.requests
    assert request.body["msgtype"] == "markdown"
    assert "Engineering referrals" in request.body["markdown"]["text"]
    timestamp = request.query["timestamp"]
    expected = hmac.new(
        DINGTALK_SECRET.encode(), f"{timestamp}\n{DINGTALK_SECRET}".encode(), hashlib.sha256
    ).digest()
    assert request.query["sign"] == base64.b64encode(expected).decode()
