"""Browser journeys for accounts: HR imports people (one bad row first), adds a person, and the
new person sets a password. Screenshots of every account page, in English and Chinese."""

from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import func, select

from community.accounts.models import Role, User
from community.extensions import db
from tests.browser.conftest import htmx_settled, login
from tests.browser.conftest import screenshot as save_screenshot
from tests.factories import make_department, make_user

BAD_CSV = (
    "email,name,department,role\n"
    "li.lei@example.com,李雷,Engineering,employee\n"
    "han.meimei@example.com,韩梅梅,Marketing,director\n"
    "wang.fang@example.com,王芳,People,hr\n"
)
GOOD_CSV = BAD_CSV.replace("director", "manager")

CHINESE = re.compile(r"[\u4e00-\u9fff]")  # the page speaks Chinese


def screenshot(page, name: str) -> None:
    """Save a screenshot from the top of the page once the icon font has loaded (no missing icons)."""
    page.evaluate("document.fonts.ready.then(() => window.scrollTo(0, 0))")
    save_screenshot(page, name)


def use_chinese(page) -> None:
    """Switch a page seen before logging in to Chinese with the language switcher."""
    page.click("[data-testid=language-switcher] button[value=zh_CN]")
    expect(page.locator("h1").first).to_have_text(CHINESE)


def people_count() -> int:
    db.session.rollback()  # see what the server committed
    return db.session.scalar(select(func.count()).select_from(User))


def upload(page, text: str) -> None:
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": text.encode("utf-8")}],
    )
    page.click("main form[enctype='multipart/form-data'] button[type=submit]")


def seed_people() -> User:
    engineering = make_department("Engineering")
    sales = make_department("Sales")
    hr = make_user(
        role=Role.HR,
        name="Hana HR",
        email="hana.hr@example.com",
        department=engineering,
        locale="en",
    )
    make_user(name="Zhang Wei", email="zhang.wei@example.com", department=sales)
    make_user(
        name="Grace Manager", email="grace@example.com", role=Role.MANAGER, department=engineering
    )
    gone = make_user(name="Old Timer", email="old.timer@example.com", department=sales)
    gone.is_active_account = False
    db.session.commit()
    return hr


def test_hr_imports_a_csv_with_one_bad_row_then_fixes_it(page, live_server):
    hr = seed_people()
    login(page, hr.email)
    page.goto("/people")
    page.wait_for_selector("[data-testid=person-row]")
    screenshot(page, "accounts-people-en")
    before = people_count()

    page.goto("/people/import")
    screenshot(page, "accounts-import-en")
    upload(page, BAD_CSV)
    errors = page.locator("[data-testid=import-errors]")
    errors.wait_for()
    assert "Nothing was imported." in errors.inner_text()
    row = page.locator("[data-testid=import-error-row]")
    assert row.count() == 1
    assert "3" in row.locator("td").first.inner_text()
    assert "director" in row.inner_text()
    screenshot(page, "accounts-import-errors-en")
    assert people_count() == before

    upload(page, GOOD_CSV)
    success = page.locator("[data-testid=import-success]")
    success.wait_for()
    assert "3 people were imported." in success.inner_text()
    assert page.locator("[data-testid=imported-row]").count() == 3
    screenshot(page, "accounts-import-success-en")
    assert people_count() == before + 3

    # The directory finds the new people as you type.
    page.goto("/people")
    page.fill("#people-q", "han.meimei")
    expect(page.locator("[data-testid=person-row]")).to_have_count(1)
    assert "韩梅梅" in page.locator("#people-results").inner_text()
    assert "q=han.meimei" in page.url

    # Deactivating swaps the row in place after the confirmation.
    page.fill("#people-q", "zhang.wei")
    row = page.locator("[data-testid=person-row]", has_text="Zhang Wei")
    expect(row).to_have_count(1)
    htmx_settled(page)  # the row came with the search results: its form must be bound first
    page.once("dialog", lambda dialog: dialog.accept())
    row.locator("[data-testid=deactivate]").click()
    expect(row.locator("[data-testid=reactivate]")).to_be_visible()
    expect(page.locator("[data-testid=toast]")).to_contain_text("can no longer log in")
    screenshot(page, "accounts-people-deactivated-en")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/people")
    screenshot(page, "accounts-people-mobile-en")


def test_hr_adds_a_person_who_then_sets_a_password(page, live_server):
    hr = seed_people()
    page.goto("/login")
    screenshot(page, "accounts-login-en")
    page.fill("input[name=email]", hr.email)
    page.fill("input[name=password]", "not-the-password")
    page.click("main form button[type=submit]")
    expect(page.locator(".alert-danger")).to_contain_text("Wrong email or password")
    screenshot(page, "accounts-login-error-en")
    login(page, hr.email)
    page.goto("/people/new")
    screenshot(page, "accounts-new-user-en")
    page.click("main form button[type=submit]")
    expect(page.locator("[data-testid=form-errors]")).to_be_visible()
    screenshot(page, "accounts-new-user-errors-en")
    page.fill("input[name=email]", "Ada@Example.com")
    page.fill("input[name=name]", "Ada Lovelace")
    page.select_option("select[name=department]", label="Engineering")
    page.select_option("select[name=role]", "manager")
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=password-link]")
    screenshot(page, "accounts-password-link-en")
    link = page.input_value("[data-testid=password-link]")

    page.goto("/people/departments")
    screenshot(page, "accounts-departments-en")
    page.goto("/settings")
    screenshot(page, "accounts-settings-en")

    page.context.clear_cookies()
    page.goto(link)
    screenshot(page, "accounts-set-password-en")
    page.fill("input[name=password]", "short")
    page.fill("input[name=confirm]", "short")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".invalid-feedback")
    screenshot(page, "accounts-set-password-error-en")
    page.fill("input[name=password]", "a-long-password")
    page.fill("input[name=confirm]", "a-long-password")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server}/login")
    login(page, "ada@example.com", "a-long-password")
    page.wait_for_url(f"{live_server}/")

    page.goto(link)
    assert "already used" in page.content()
    screenshot(page, "accounts-set-password-used-en")


def test_account_pages_in_chinese(page, live_server):
    hr = seed_people()
    hr.locale = "zh_CN"
    db.session.commit()
    page.goto("/login")
    use_chinese(page)
    screenshot(page, "accounts-login-zh")
    page.fill("input[name=email]", hr.email)
    page.fill("input[name=password]", "not-the-password")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-danger")
    screenshot(page, "accounts-login-error-zh")

    login(page, hr.email)
    page.goto("/people")
    page.wait_for_selector("[data-testid=person-row]")
    screenshot(page, "accounts-people-zh")
    page.goto("/people/new")
    screenshot(page, "accounts-new-user-zh")
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=form-errors]")
    screenshot(page, "accounts-new-user-errors-zh")
    page.fill("input[name=email]", "zhao.min@example.com")
    page.fill("input[name=name]", "赵敏")
    page.select_option("select[name=department]", label="Sales")
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=password-link]")
    screenshot(page, "accounts-password-link-zh")

    page.goto("/people/import")
    screenshot(page, "accounts-import-zh")
    upload(page, BAD_CSV)
    page.wait_for_selector("[data-testid=import-errors]")
    screenshot(page, "accounts-import-errors-zh")
    upload(page, GOOD_CSV)
    page.wait_for_selector("[data-testid=import-success]")
    screenshot(page, "accounts-import-success-zh")
    link = page.locator("[data-testid=password-link]").first.input_value()
    page.goto("/people/departments")
    screenshot(page, "accounts-departments-zh")
    page.goto("/settings")
    screenshot(page, "accounts-settings-zh")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/people")
    page.wait_for_selector("[data-testid=person-row]")
    screenshot(page, "accounts-people-mobile-zh")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.context.clear_cookies()
    page.goto(link)
    use_chinese(page)
    screenshot(page, "accounts-set-password-zh")
    page.fill("input[name=password]", "short")
    page.fill("input[name=confirm]", "short")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".invalid-feedback")
    screenshot(page, "accounts-set-password-error-zh")
