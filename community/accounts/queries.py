"""Account reads: the people directory and departments."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import String, case, cast, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from community.accounts.models import ChangedField, Department, PersonChange, Role, User
from community.core.params import parse_int
from community.core.sorting import Sort, Sorting, SortKey
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
            department_id=parse_int(department),
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


# HR's people list: what a header click may sort by. By name unless HR asks otherwise.
PEOPLE_SORTING = Sorting(
    keys={
        "name": SortKey(_l("Name"), [func.lower(User.name)]),
        "email": SortKey(_l("Email"), [func.lower(User.email)]),
        "department": SortKey(_l("Department"), [func.lower(Department.name)]),
        "role": SortKey(
            _l("Role"),
            [
                case(
                    {Role.EMPLOYEE.value: 0, Role.MANAGER.value: 1, Role.HR.value: 2},
                    value=cast(User.role, String),
                    else_=3,
                )
            ],
            phrases=(
                _l("employees, then managers, then HR"),
                _l("HR, then managers, then employees"),
            ),
        ),
        "status": SortKey(
            _l("Status"),
            [case((User.is_active_account.is_(True), 0), else_=1)],
            phrases=(_l("active first"), _l("deactivated first")),
        ),
    },
    default="name",
    tiebreak=User.id,
)


def search_people(
    filters: PeopleFilter, page: int, per_page: int, sort: Sort | None = None
) -> Pagination:
    """People matching `filters`, in `sort`'s order (by name without one), one page at a time."""
    stmt = (
        select(User)
        .outerjoin(User.department)
        .options(contains_eager(User.department), joinedload(User.manager))
    )
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
    stmt = (sort or PEOPLE_SORTING.parse({})).apply(stmt)
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


def changes_of(user: User, limit: int = 50) -> list[PersonChange]:
    """HR's changes to a person, newest first, with who made them."""
    return list(
        db.session.scalars(
            select(PersonChange)
            .options(joinedload(PersonChange.actor))
            .where(PersonChange.user_id == user.id)
            .order_by(PersonChange.changed_at.desc(), PersonChange.id.desc())
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class ChangeNames:
    """The departments and people a page of changes names by id, read in two queries."""

    departments: dict[str, str]
    people: dict[str, str]


def names_for_changes(changes: list[PersonChange]) -> ChangeNames:
    department_ids = set()
    person_ids = set()
    for change in changes:
        ids = {v for v in (change.old_value, change.new_value) if v and v.isdigit()}
        if change.field == ChangedField.DEPARTMENT:
            department_ids |= ids
        elif change.field == ChangedField.MANAGER:
            person_ids |= ids
    departments = {}
    if department_ids:
        departments = {
            str(d.id): d.name
            for d in db.session.scalars(
                select(Department).where(Department.id.in_([int(i) for i in department_ids]))
            )
        }
    people = {}
    if person_ids:
        people = {
            str(u.id): u.shown_name
            for u in db.session.scalars(
                select(User).where(User.id.in_([int(i) for i in person_ids]))
            )
        }
    return ChangeNames(departments=departments, people=people)


def active_people() -> list[User]:
    """Everyone who can log in, by name: the choices for a person's manager."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.is_active_account.is_(True))
            .order_by(func.lower(User.name), User.id)
        )
    )
