"""What a reader of the dashboard may see. HR sees the company (any department); a manager sees
their own department only (the department of the jobs, and of the people, in it); everyone else
sees their own referrals. Nobody sees a person's numbers they could not see elsewhere: the
per-referrer view is HR's alone (the referrals pages show HR every referrer; a manager's hiring
pages show only their own jobs' referrals, never a colleague's record)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

from flask_babel import gettext as _

from community.accounts.models import User
from community.analytics.filters import AnalyticsError, Filters
from community.core.errors import FORBIDDEN
from community.core.roles import Role


class Reach(enum.StrEnum):
    COMPANY = "company"
    DEPARTMENT = "department"
    OWN = "own"


@dataclass(frozen=True)
class Scope:
    """`filters` as the reader may ask them (a manager's department forced in); `referrer_id`
    set when only the reader's own referrals count."""

    reach: Reach
    filters: Filters
    viewer_id: int
    referrer_id: int | None = None

    @property
    def department_id(self) -> int | None:
        return self.filters.department_id

    @property
    def sees_people(self) -> bool:
        """Whether numbers per named referrer may be shown (HR only)."""
        return self.reach == Reach.COMPANY


def scope_for(viewer: User, filters: Filters) -> Scope:
    """The reader's scope for `filters`. A manager asking for another department than their own
    is refused (403) with a message; a manager without a department sees their own referrals."""
    if viewer.role == Role.HR:
        return Scope(Reach.COMPANY, filters, viewer.id)
    if viewer.role == Role.MANAGER and viewer.department_id is not None:
        asked = filters.department_id
        if asked is not None and asked != viewer.department_id:
            raise AnalyticsError(
                _("You can see the numbers of your own department only."),
                field="department",
                status=FORBIDDEN,
            )
        return Scope(
            Reach.DEPARTMENT, replace(filters, department_id=viewer.department_id), viewer.id
        )
    return Scope(Reach.OWN, filters, viewer.id, referrer_id=viewer.id)


def with_filters(scope: Scope, filters: Filters) -> Scope:
    """The same reader over other filters (the previous period): the scope's forced department
    stays forced."""
    if scope.reach == Reach.DEPARTMENT:
        filters = replace(filters, department_id=scope.filters.department_id)
    return replace(scope, filters=filters)
