"""Money, markdown, working days and the embedded Redis server."""

from __future__ import annotations

import multiprocessing
from datetime import datetime

import pytest
import redis

from community.core.embedded_redis import ensure_embedded_redis, stop_embedded_redis
from community.core.markup import render_markdown
from community.core.money import Money
from community.core.time import add_working_days


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [("8000", "CNY", 800000), ("8,000.50", "CNY", 800050), ("0", "USD", 0), ("1200", "JPY", 1200)],
)
def test_money_parses_exactly(text: str, currency: str, minor: int) -> None:
    assert Money.parse(text, currency).amount_minor == minor


@pytest.mark.parametrize("text", ["abc", "-5", "12.345", "", "NaN", "1e400"])
def test_money_refuses_bad_amounts(text: str) -> None:
    with pytest.raises(ValueError):
        Money.parse(text, "CNY")


def test_money_formats_in_locale() -> None:
    assert Money(800050, "CNY").format("en") == "CN¥8,000.50"
    assert Money(800000, "CNY").plain() == "8000"


def test_markdown_is_escaped_and_sanitized() -> None:
    html = render_markdown("**bold** <script>alert(1)</script> [x](javascript:alert(1))")
    assert "<strong>bold</strong>" in html
    assert "<script>" not in html
    assert "javascript:" not in html


def test_working_days_skip_weekends(app) -> None:
    # Friday 2026-11-27 10:00 in Shanghai is 02:00 UTC; 3 working days later is Wednesday.
    friday = datetime(2026, 11, 27, 2, 0)
    assert add_working_days(friday, 3) == datetime(2026, 12, 2, 2, 0)
    # A Saturday submission counts from Monday 09:00 Shanghai (01:00 UTC).
    saturday = datetime(2026, 11, 28, 2, 0)
    assert add_working_days(saturday, 1) == datetime(2026, 12, 1, 1, 0)


def _ping_from_child(directory: str, queue: multiprocessing.Queue) -> None:
    sock = ensure_embedded_redis(directory, persist=False)
    client = redis.Redis(unix_socket_path=str(sock), decode_responses=True)
    queue.put(client.get("shared"))


def test_embedded_redis_is_shared_by_processes(tmp_path) -> None:
    directory = str(tmp_path / "redis")
    sock = ensure_embedded_redis(directory, persist=False)
    try:
        redis.Redis(unix_socket_path=str(sock)).set("shared", "yes")
        queue: multiprocessing.Queue = multiprocessing.get_context("fork").Queue()
        child = multiprocessing.get_context("fork").Process(
            target=_ping_from_child, args=(directory, queue)
        )
        child.start()
        child.join(10)
        assert queue.get(timeout=5) == "yes"
        # The server outlives the child process that connected to it.
        assert redis.Redis(unix_socket_path=str(sock)).ping()
    finally:
        stop_embedded_redis(directory)


def test_messages_outside_a_request_use_the_default_language(app) -> None:
    from flask_babel import force_locale, gettext

    from community.core.i18n import select_locale, selected_locale

    assert selected_locale() == app.config["DEFAULT_LOCALE"]
    assert str(select_locale()) == app.config["DEFAULT_LOCALE"]
    with force_locale("zh_CN"):
        assert gettext("Log in") == "登录"
