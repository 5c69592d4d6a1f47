"""Who may search the forum: every signed-in person (the forum is open to every employee to
read). Search shows only what everyone may read, so HR and moderators see nothing more here:
what they may see besides (hidden posts, the review queue) is on the forum's own pages."""

from __future__ import annotations

from typing import Any


def can_search(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated)
