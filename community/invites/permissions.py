"""Who may do what with an invitation. It is its referrer's alone: nobody else — HR included —
sees that it exists, its contact or its status (HR sees only how many are pending)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from community.core.permissions import expose
from community.invites.models import Invitation


def owns_invitation(user: Any, invitation: Invitation) -> bool:
    return bool(user and user.is_authenticated and user.id == invitation.referrer_id)


def init_app(app: Flask) -> None:
    expose(app, owns_invitation)
