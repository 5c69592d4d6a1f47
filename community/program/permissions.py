"""Who may change the program rules: HR. Everyone may read them."""

from __future__ import annotations

from flask import Flask

from community.core.permissions import Person, expose, is_hr


def can_edit_rules(user: Person) -> bool:
    return is_hr(user)


def init_app(app: Flask) -> None:
    expose(app, can_edit_rules)
