"""Helpers for the hosting pages' tests: a small company where a manager hosts, and the form a
browser would post."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from community.accounts.models import Department, Role, User
from community.challenges.models import Challenge, ChallengePrize
from community.core.time import to_local, utcnow
from community.extensions import db
from tests.factories import PASSWORD, make_department, make_user

FAST_PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


@dataclass
class Hosting:
    sales: Department
    research: Department
    hr: User
    host: User  # a manager in sales with a team of two
    member: User
    teammate: User
    other_manager: User  # a manager in research
    employee: User  # in sales, not on the host's team

    def user(self, who: str) -> User:
        return getattr(self, who)


def _person(role: Role, department: Department, name: str, **fields: Any) -> User:
    return make_user(
        role, department, name=name, password=None, password_hash=FAST_PASSWORD_HASH, **fields
    )


def hosting_company() -> Hosting:
    sales, research = make_department("销售部"), make_department("研发中心")
    host = _person(Role.MANAGER, sales, "Manager Ma")
    return Hosting(
        sales=sales,
        research=research,
        hr=_person(Role.HR, research, "Hana HR"),
        host=host,
        member=_person(Role.EMPLOYEE, sales, "Member Mo", manager_id=host.id),
        teammate=_person(Role.EMPLOYEE, sales, "Teammate Tian", manager_id=host.id),
        other_manager=_person(Role.MANAGER, research, "Other Manager Ou"),
        employee=_person(Role.EMPLOYEE, sales, "Employee Eve"),
    )


def local_text(moment: datetime) -> str:
    """A naive-UTC moment as the browser's datetime-local field writes it (company zone)."""
    return to_local(moment).strftime("%Y-%m-%dT%H:%M")


def challenge_form(**overrides: Any) -> dict[str, Any]:
    """A valid form for a manager's challenge for their team, starting in a day."""
    start = utcnow() + timedelta(days=1)
    form: dict[str, Any] = {
        "title": "团队内推冲刺",
        "title_en": "Team referral sprint",
        "description": "两周内推荐最多的人获胜。",
        "description_en": "Whoever refers most in two weeks wins.",
        "people_scope": "team",
        "metric": "points",
        "quality_min_referrals": "3",
        "multiplier_percent": "100",
        "starts_at": local_text(start),
        "ends_at": local_text(start + timedelta(days=14)),
        "settlement_days": "0",
    }
    form.update(overrides)
    return {key: value for key, value in form.items() if value is not None}


def prize_form(**overrides: Any) -> dict[str, Any]:
    form: dict[str, Any] = {"kind": "rank", "rank_from": "1", "rank_to": "", "points": "200"}
    form.update(overrides)
    return form


def challenges() -> int:
    return int(db.session.scalar(select(func.count()).select_from(Challenge)) or 0)


def prizes() -> int:
    return int(db.session.scalar(select(func.count()).select_from(ChallengePrize)) or 0)


def only_challenge() -> Challenge:
    return db.session.scalars(select(Challenge)).one()
