"""The demo's perk shop: five perks, each of its own kind and shown with that kind's illustration,
and redemptions in every status by people whose balances cover them."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from community.accounts.models import User
from community.extensions import db
from community.leaderboards import verify
from community.perks import pictures
from community.perks.models import Perk, PerkCategory, Redemption, RedemptionStatus
from community.points import queries as points_queries
from community.points.models import PointEntry, PointKind

EMPLOYEE_LOGIN = "employee@demo.example"
STATIC = Path(__file__).resolve().parents[2] / "static"


def test_the_shop_has_the_five_perks_each_with_its_own_illustration(seeded: str) -> None:
    perks = db.session.scalars(select(Perk)).all()
    assert {p.name_zh for p in perks} == {
        "额外一天年假",
        "体检套餐",
        "学习基金",
        "团队聚餐",
        "公司周边",
    }
    assert len({p.category for p in perks}) == len(perks)
    for perk in perks:
        assert perk.category != PerkCategory.OTHER, perk.name_en
        assert (STATIC / pictures.illustration(perk)).is_file()
        assert perk.active and perk.cost_points > 0
    assert any(not p.requires_approval for p in perks)


def test_redemptions_in_every_status_and_nobody_overdrawn(seeded: str) -> None:
    redemptions = db.session.scalars(select(Redemption)).all()
    assert {r.status for r in redemptions} == set(RedemptionStatus)
    for redemption in redemptions:
        assert points_queries.balance(redemption.user_id) >= 0
        spent = db.session.get(PointEntry, redemption.spent_entry_id)
        assert (spent.kind, spent.amount) == (PointKind.SPENT, -redemption.cost_points)
        if redemption.status == RedemptionStatus.REJECTED:
            assert redemption.reject_reason
            assert db.session.get(PointEntry, redemption.refund_entry_id).amount > 0
        if redemption.decided_at:
            assert redemption.decided_at >= redemption.created_at
    employee = db.session.scalars(select(User).where(User.email == EMPLOYEE_LOGIN)).one()
    assert any(r.user_id == employee.id for r in redemptions)


def test_spending_left_the_leaderboards_alone(seeded: str) -> None:
    assert verify.verify() == []
    someone = db.session.scalars(select(Redemption)).first()
    assert points_queries.score(someone.user_id) > points_queries.balance(someone.user_id)
