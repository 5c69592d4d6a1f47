from tests.browser.conftest import login, screenshot
from tests.factories import make_user


def test_login_page_renders_and_logs_in(page, live_server):
    user = make_user(email="ada@example.com", name="Ada")
    page.goto("/login")
    screenshot(page, "login-en")
    login(page, user.email)
    page.wait_for_url(f"{live_server}/")
    assert "Ada" in page.content()
