"""Account reads: the people directory and departments."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, or_, select

from community.accounts.models import Department, Role, User
from community.extensions import db


@dataclass(frozen=True)
class PeopleFilter:
    """What HR searched for on the people page; unknown values are simply ignored."""

    q: str = ""
    department_id: int | None = None
    role: Role | None = None
    status: str = ""  # "", "active" or "deactivated"

    @classmethod
    def from_args(cls, args: dict[str, str]) -> PeopleFilter:
        department = (args.get("department") or "").strip()
        role = (args.get("role") or "").strip()
        status = (args.get("status") or "").strip()
        return cls(
            q=(args.get("q") or "").strip()[:100],
            department_id=int(department) if department.isdigit() else None,
            role=Role(role) if role in {r.value for r in Role} else None,
            status=status if status in ("active", "deactivated") else "",
        )

    def as_args(self) -> dict[str, str]:
        """The filter as query-string arguments (for pagination links)."""
        args = {
            "q": self.q,
            "department": str(self.department_id or ""),
            "role": self.role.value if self.role else "",
            "status": self.status,
        }
        return {key: value for key, value in args.items() if value}

    @property
    def active(self) -> bool:
        return bool(self.as_args())


def search_people(filters: PeopleFilter, page: int, per_page: int) -> Pagination:
    """People matching `filters`, by name, one page at a time."""
    stmt = select(User).outerjoin(User.department)
    if filters.q:
        needle = filters.q.lower()
        stmt = stmt.where(
            or_(
                func.lower(User.name).contains(needle, autoescape=True),
                func.lower(User.display_name).contains(needle, autoescape=True),
                func.lower(User.email).contains(needle, autoescape=True),
            )
        )
    if filters.department_id:
        stmt = stmt.where(User.department_id == filters.department_id)
    if filters.role:
        stmt = stmt.where(User.role == filters.role)
    if filters.status == "active":
        stmt = stmt.where(User.is_active_account.is_(True))
    elif filters.status == "deactivated":
        stmt = stmt.where(User.is_active_account.is_(False))
    stmt = stmt.order_by(func.lower(User.name), User.id)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False, count=True)


def departments() -> list[Department]:
    return list(db.session.scalars(select(Department).order_by(func.lower(Department.name))))


def departments_with_counts() -> list[tuple[Department, int]]:
    """Every department with how many active people it has, by name."""
    active_count = func.count(User.id).filter(User.is_active_account.is_(True))
    stmt = (
        select(Department, active_count)
        .outerjoin(User, User.department_id == Department.id)
        .group_by(Department.id)
        .order_by(func.lower(Department.name))
    )
    return [(department, count) for department, count in db.session.execute(stmt)]


def get_department_or_404(department_id: int) -> Department:
    department = db.session.get(Department, department_id)
    if department is None:
        abort(404)
    return department


def get_user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user
