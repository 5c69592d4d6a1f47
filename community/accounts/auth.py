"""Flask-Login wiring."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from sqlalchemy import Select, bindparam, select

from community.accounts.models import User
from community.core import viewer
from community.extensions import db

_statements: dict[tuple[str, ...], Select[Any]] = {}


def _load_statement() -> Select[Any]:
    """The person and the figures their page layout shows (core.viewer), in one query; built once
    per set of figures, so each request only binds the id."""
    figures = viewer.names()
    if figures not in _statements:
        _statements[figures] = select(User, *viewer.columns(User.id)).where(
            User.id == bindparam("user_id")
        )
    return _statements[figures]


def load_user(session_id: str) -> User | None:
    """The user behind a session's "id:version", if that session has not been ended since."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    row = db.session.execute(_load_statement(), {"user_id": int(user_id)}).one_or_none()
    if row is None:
        return None
    user, *figures = row
    if not user.is_active or user.session_version != int(version):
        return None
    viewer.preload(
        {name: int(value or 0) for name, value in zip(viewer.names(), figures, strict=True)}
    )
    return user


def init_login(app: Flask, login_manager: LoginManager) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to continue.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)
