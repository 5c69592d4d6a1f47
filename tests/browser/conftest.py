"""Browser fixtures: the app served on a local port, driven by Debian's Chromium through Playwright."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = chromium_path()
    if not executable:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required for browser tests in CI (apt-get install chromium).")
        pytest.skip("Chromium is not installed (apt-get install chromium).")
    from playwright.sync_api import expect, sync_playwright

    # CI runs two workers, each with its own Chromium, on two cores: give assertions the same
    # patience as actions (a page that never shows what is expected still fails, after 10 s).
    expect.set_options(timeout=10_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object, live_server: str) -> Iterator[object]:
    context = browser.new_context(
        base_url=live_server, viewport={"width": 1280, "height": 900}, locale="en-US"
    )  # type: ignore[attr-defined]
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def screenshot(page: object, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/screenshots for a person to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


def lang_screenshot(page: object, name: str, locale: str) -> Path:
    """`screenshot` with the language as a suffix: name-zh / name-en."""
    return screenshot(page, f"{name}-{'zh' if locale == 'zh_CN' else 'en'}")


@pytest.fixture
def open_page(browser: object, live_server: str) -> Iterator[object]:
    """Open another signed-out browser window (its own cookies) at a given locale and size."""
    contexts = []

    def _open(locale: str, viewport: dict[str, int] | None = None) -> object:
        context = browser.new_context(  # type: ignore[attr-defined]
            base_url=live_server,
            viewport=viewport or {"width": 1280, "height": 900},
            locale="zh-CN" if locale == "zh_CN" else "en-US",
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield _open
    for context in contexts:
        context.close()


def login(page: object, email: str, password: str = "password123") -> None:
    page.goto("/login")  # type: ignore[attr-defined]
    page.fill("input[name=email]", email)  # type: ignore[attr-defined]
    page.fill("input[name=password]", password)  # type: ignore[attr-defined]
    page.click(
        "form button[type=submit]:has-text('Log in'), form button[type=submit]:has-text('登录')"
    )  # type: ignore[attr-defined]


def htmx_settled(page: object) -> None:
    """Wait until the page is loaded and htmx has finished any swap. Swapped-in content is
    visible a moment (the settle delay) before htmx binds its triggers, so acting on it at once
    would miss them: a change event on a new select would do nothing. It also waits for a Bootstrap
    panel to finish opening (`.collapsing`): a click on a button that is still moving is lost."""
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => document.readyState === 'complete' && !!window.htmx && !document.querySelector("
        "'.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added, .collapsing')"
    )


def open_menu(page: object, name: str) -> None:
    """Open the navigation bar's menu `name` ("HR", a person's name) once the page's scripts
    are loaded: a click on the toggle before Bootstrap binds it opens nothing, and the item
    inside stays hidden (seen under load, right after a login's redirect)."""
    from playwright.sync_api import expect

    htmx_settled(page)
    toggle = page.get_by_role("button", name=name, exact=True)  # type: ignore[attr-defined]
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
