"""Who may do what with sharing sessions, as small named predicates the services, views and
templates share.

Every signed-in person reads sessions, answers them, and downloads their slides. HR and the
members of the referrer club host them; a session is managed by its host and by HR."""

from __future__ import annotations

from typing import Any

from flask import Flask

from community.club.membership import is_member
from community.core.permissions import expose, is_hr
from community.sharing.models import SharingSession


def can_host_sessions(user: Any) -> bool:
    """HR and club members host sessions."""
    if not (user and user.is_authenticated):
        return False
    return is_hr(user) or is_member(user)


def can_manage_session(user: Any, session: SharingSession) -> bool:
    """The host and HR change a session and take attendance (a host who has left the club
    still looks after the sessions they announced)."""
    if not (user and user.is_authenticated):
        return False
    return is_hr(user) or session.host_id == user.id


def init_app(app: Flask) -> None:
    expose(app, can_host_sessions, can_manage_session)
