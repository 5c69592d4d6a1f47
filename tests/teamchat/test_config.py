"""Where team chat messages go by default: an outbox folder in development (the demo's robots
never reach a real group), the platforms in production, and the local receiver in tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from community.config import load_config


def test_development_writes_to_the_outbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COMMUNITY_ENV", raising=False)
    monkeypatch.delenv("TEAMCHAT_OUTBOX", raising=False)
    assert load_config(tmp_path)["TEAMCHAT_OUTBOX"] == str(tmp_path / "teamchat-outbox")
    assert load_config(tmp_path, {"TESTING": True})["TEAMCHAT_OUTBOX"] == ""
    monkeypatch.setenv("TEAMCHAT_OUTBOX", "")  # posting for real from a developer's machine
    assert load_config(tmp_path)["TEAMCHAT_OUTBOX"] == ""


def test_production_posts_to_the_platforms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMUNITY_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("TEAMCHAT_OUTBOX", raising=False)
    config = load_config(tmp_path)
    assert config["TEAMCHAT_OUTBOX"] == ""
    assert config["APP_BASE_URL"] == "http://127.0.0.1:5000"  # set it to the real address
