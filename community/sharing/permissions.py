"""Who may do what with sharing sessions, as small named predicates the services, views and
templates share.

Every signed-in person reads sessions, answers them, and downloads their slides. HR and the
members of the referrer club host them; a session is managed by its host and by HR."""

from __future__ import annotations

from typing import Any

from flask import Flask

from community.core.permissions import expose, is_hr
from community.sharing.models import SharingSession


def _club_member(user: Any) -> bool:
    # Until community.club lands on this branch: nobody but HR hosts. Replaced at the merge.
    return False


def can_host_sessions(user: Any) -> bool:
    """HR and club members host sessions."""
    if not (user and user.is_authenticated):
        return False
    return is_hr(user) or _club_member(user)


def can_manage_session(user: Any, session: SharingSession) -> bool:
    """The host (while they still may host) and HR change a session and check attendance."""
    if not (user and user.is_authenticated):
        return False
    return is_hr(user) or session.host_id == user.id


def init_app(app: Flask) -> None:
    expose(app, can_host_sessions, can_manage_session)
