"""What the home page shows."""

from __future__ import annotations

from typing import Any

from community.accounts.models import User


def dashboard(user: User) -> dict[str, Any]:
    return {}
