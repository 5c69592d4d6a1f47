"""The HR-only club routes for the role matrix (tests/security/test_role_matrix.py), as rows:
(endpoint, method, path, HR's status, data, done)."""

from __future__ import annotations

from typing import Any

from community.club import membership, services
from tests.security.conftest import Company


def _member(company: Company) -> int:
    """The employee, appointed to the club by HR."""
    services.appoint(company.hr, company.employee.id)
    return company.employee.id


CLUB_ROWS: list[tuple[Any, ...]] = [
    (
        "club.appoint",
        "POST",
        lambda c: f"/club/members/{c.employee.id}/appoint",
        303,
        lambda c: {},
        lambda c: membership.is_member(c.employee.id),
    ),
    (
        "club.moderator",
        "POST",
        lambda c: f"/club/members/{_member(c)}/moderator",
        303,
        lambda c: {"on": "1"},
        lambda c: membership.is_moderator(c.employee.id),
    ),
    (
        "club.remove",
        "POST",
        lambda c: f"/club/members/{_member(c)}/remove",
        303,
        lambda c: {"reason": "Asked to leave"},
        lambda c: not membership.is_member(c.employee.id),
    ),
]
