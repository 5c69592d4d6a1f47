"""Who may switch a referral code or link: its owner, and HR (whose switch-off only HR undoes:
`services.switch_code`). "My links" is always the reader's own, so it needs no rule."""

from __future__ import annotations

from flask import Flask

from community.core.permissions import Person, expose, is_hr


def can_switch_links_of(user: Person, owner_id: int) -> bool:
    return bool(user and user.is_authenticated and (user.id == owner_id or is_hr(user)))


def can_manage_all_links(user: Person) -> bool:
    return is_hr(user)


def init_app(app: Flask) -> None:
    expose(app, can_switch_links_of, can_manage_all_links)
