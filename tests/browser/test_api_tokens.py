"""Browser journey: HR makes an API token from the HR menu (a refusal first), copies it, an
integration calls the API with it, HR revokes it and the API refuses it; the docs page. In both
languages, at 1366 px and 375 px, with screenshots."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from community.accounts.models import Role
from tests.browser.conftest import login, open_menu, screenshot
from tests.factories import make_department, make_job, make_user


def test_hr_makes_uses_and_revokes_a_token(page: Page, live_server: str) -> None:
    engineering = make_department("Engineering")
    hr = make_user(Role.HR, engineering, name="Hana HR")
    make_job(engineering, title="Payments Engineer")
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, hr.email)
    open_menu(page, "HR")
    page.get_by_test_id("nav-api-tokens").click()
    expect(page.get_by_test_id("api-tokens-empty")).to_be_visible()

    page.fill("#name", "Greenhouse sync")
    page.get_by_test_id("make-token").click()
    expect(page.locator("#scopes-error")).to_contain_text("Choose at least one scope.")
    page.get_by_label("jobs:read").check()
    page.get_by_label("referrals:write").check()
    page.get_by_test_id("make-token").click()
    expect(page.get_by_test_id("new-token")).to_contain_text("shown only this once")
    token = page.get_by_test_id("new-token-value").input_value()
    assert token.startswith("rc_")
    expect(page.get_by_test_id("api-token-row")).to_contain_text("referrals:read")
    screenshot(page, "api-tokens-made")

    answer = page.request.get(
        f"{live_server}/api/v1/jobs", headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status == 200 and answer.json()["data"][0]["title"] == "Payments Engineer"

    page.goto("/integrations/api-tokens")
    assert token not in page.content()
    expect(page.get_by_test_id("api-token-row")).not_to_contain_text("Never")  # last used
    page.set_viewport_size({"width": 375, "height": 800})
    expect(page.get_by_test_id("revoke-token")).to_be_visible()
    screenshot(page, "api-tokens-phone")
    page.get_by_test_id("revoke-token").click()
    expect(page.get_by_text("The token “Greenhouse sync” is revoked.")).to_be_visible()
    refused = page.request.get(
        f"{live_server}/api/v1/jobs", headers={"Authorization": f"Bearer {token}"}
    )
    assert refused.status == 401 and refused.json()["error"]["code"] == "revoked_token"

    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_test_id("api-docs-link").click()
    expect(page.get_by_test_id("api-endpoint").first).to_be_visible()
    assert page.get_by_test_id("api-endpoint").count() == 8
    screenshot(page, "api-docs")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "api-docs-phone")


def test_the_tokens_page_in_chinese(open_page) -> None:
    department = make_department("研发部")
    hr = make_user(Role.HR, department, name="林晓雯")
    page = open_page("zh_CN", {"width": 1366, "height": 900})
    login(page, hr.email)
    page.goto("/integrations/api-tokens")
    expect(page.get_by_role("heading", name="API 令牌")).to_be_visible()
    page.fill("#name", "Moka 同步")
    page.get_by_label("payouts:read").check()
    page.get_by_test_id("make-token").click()
    expect(page.get_by_test_id("new-token")).to_contain_text("只显示这一次")
    screenshot(page, "api-tokens-zh")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "api-tokens-zh-phone")
