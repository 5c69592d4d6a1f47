"""Browser journey: HR opens Integrations from the HR menu, adds a Greenhouse-like source and
copies its secret (shown once), links a referral, the ATS posts a signed stage change to the
live server, then HR registers an endpoint on a local receiver and reads the delivery log.
Screenshots at 1366 and 375 px, in English and Chinese."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
from flask import Flask
from playwright.sync_api import Page, expect
from standardwebhooks.webhooks import Webhook

from community.accounts.models import Role
from community.webhooks.sending import deliver_due
from tests.browser.conftest import login, open_menu, screenshot
from tests.factories import make_user
from tests.referrals.factories import make_referral
from tests.webhooks.conftest import Receiver, receiver  # noqa: F401 (a fixture)
from tests.webhooks.test_outbound import _now


def _post_event(base: str, secret: str, application_id: str, stage: str) -> httpx.Response:
    body = json.dumps({"data": {"application_id": application_id, "stage": stage}}).encode()
    now = datetime.now(UTC)
    headers = {
        "content-type": "application/json",
        "webhook-id": "evt_browser_1",
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(secret).sign("evt_browser_1", now, body),
    }
    return httpx.post(f"{base}/webhooks/ats/greenhouse", content=body, headers=headers)


def test_hr_sets_up_integrations(
    app: Flask,
    page: Page,
    live_server: str,
    receiver: Receiver,  # noqa: F811
) -> None:
    hr = make_user(Role.HR, name="Hana HR")
    referral = make_referral()
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, hr.email)
    open_menu(page, "HR")
    page.get_by_test_id("nav-integrations").click()
    expect(page.get_by_test_id("sources-empty")).to_be_visible()
    page.get_by_test_id("new-source").click()
    page.fill("#name", "Greenhouse")
    page.fill("#slug", "greenhouse")
    page.get_by_test_id("save-source").click()
    secret = page.get_by_test_id("new-secret").input_value()
    assert secret.startswith("whsec_")
    screenshot(page, "webhooks-secret-once")
    page.get_by_role("link", name="Done").click()

    page.fill("#application_id", "gh-1")
    page.fill("#referral_id", str(referral.id))
    page.get_by_test_id("save-link").click()
    expect(page.get_by_test_id("link-row")).to_contain_text("gh-1")
    answer = _post_event(live_server, secret, "gh-1", "Phone Interview")
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"status": "moved", "stage": "interviewing"}
    page.reload()
    expect(page.get_by_test_id("received-row")).to_contain_text("Phone Interview")
    assert secret not in page.content()
    screenshot(page, "webhooks-source")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "webhooks-source-phone")
    page.set_viewport_size({"width": 1366, "height": 900})

    app.config["WEBHOOKS_ALLOW_PRIVATE"] = True
    try:
        page.goto("/integrations/webhooks/endpoints/new")
        page.fill("#name", "Local ATS bridge")
        page.fill("#url", receiver.url)
        page.get_by_test_id("save-endpoint").click()
        receiver.secret = page.get_by_test_id("new-secret").input_value()
        receiver.answer((503, "maintenance"))
        make_referral()
        deliver_due(_now())
    finally:
        app.config["WEBHOOKS_ALLOW_PRIVATE"] = False
    page.goto("/integrations/webhooks")
    screenshot(page, "webhooks-index")
    page.get_by_test_id("delivery-log").click()
    expect(page.get_by_test_id("delivery-row")).to_contain_text("maintenance")
    screenshot(page, "webhooks-log")
    page.get_by_role("link", name="Referral submitted").click()
    screenshot(page, "webhooks-delivery")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "webhooks-log-phone")
    page.goto("/integrations/webhooks/deliveries")
    screenshot(page, "webhooks-log-list-phone")

    # The same pages in Chinese.
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/integrations/webhooks")
    page.click("[data-testid=language-switcher] button[value=zh_CN]")
    expect(page.get_by_role("heading", name="系统集成")).to_be_visible()
    screenshot(page, "webhooks-index-zh")
    page.get_by_role("link", name="Greenhouse").first.click()
    screenshot(page, "webhooks-source-zh")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "webhooks-source-zh-phone")
    assert receiver.requests and receiver.requests[0].verified
