"""Club members for tests, made the way HR makes them."""

from __future__ import annotations

from community.accounts.models import Role, User
from community.club import services
from tests.factories import make_user

_hr: list[User] = []


def make_member(
    user: User | None = None, *, moderator: bool = False, hr: User | None = None
) -> User:
    """A club member (appointed by HR), a moderator too with `moderator`."""
    user = user or make_user()
    hr = hr or make_user(role=Role.HR)
    services.appoint(hr, user.id)
    if moderator:
        services.set_moderator(hr, user.id, True)
    return user
