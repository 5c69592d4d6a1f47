"""Perk shop services: redeeming, approving, rejecting (with refund), and HR's perks. Balance,
stock and yearly limit are checked against the ledger; spending never lowers the score."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from flask import Flask
from sqlalchemy import func, select

from community.accounts.models import Role, User
from community.core.time import to_local, utcnow
from community.extensions import db
from community.leaderboards import projection, reads, verify
from community.notifications.models import Notification
from community.notifications.queries import message_for
from community.perks import services
from community.perks.models import Perk, Redemption, RedemptionStatus
from community.perks.services import (
    PerkConflict,
    PerkError,
    PerkFields,
    PerkNotAllowed,
    PerkNotFound,
)
from community.points import queries as points_queries
from community.points.models import PointEntry, PointKind
from tests.factories import make_user
from tests.perks.factories import give_points, make_perk
from tests.races import needs_postgresql, race


def notifications(user: User, kind: str | None = None) -> list[Notification]:
    query = select(Notification).where(Notification.user_id == user.id)
    if kind:
        query = query.where(Notification.kind == kind)
    return list(db.session.scalars(query))


def count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def fields(**overrides: object) -> PerkFields:
    values: dict[str, object] = {
        "name_en": "Team dinner",
        "name_zh": "团队聚餐",
        "description_en": "Dinner for your team.",
        "description_zh": "请团队吃饭。",
        "cost_points": 300,
        "stock": 5,
        "limit_per_year": 2,
        "requires_approval": True,
        "active": True,
    }
    values.update(overrides)
    return PerkFields(**values)  # type: ignore[arg-type]


# Redeeming -----------------------------------------------------------------------------------


def test_redeeming_reserves_the_points_and_asks_hr(hr: User, employee: User) -> None:
    other_hr = make_user(role=Role.HR)
    former_hr = make_user(role=Role.HR, is_active_account=False)
    perk = make_perk(cost_points=100, stock=3)
    give_points(employee, 250)

    redemption = services.redeem(employee, perk.id)

    assert redemption.status == RedemptionStatus.PENDING
    assert redemption.cost_points == 100
    assert points_queries.balance(employee) == 150
    assert points_queries.score(employee) == 250  # spending never lowers the score
    entry = db.session.get(PointEntry, redemption.spent_entry_id)
    assert entry.kind == PointKind.SPENT
    assert entry.amount == -100
    assert entry.idempotency_key == f"redemption:{redemption.id}:spent"
    assert db.session.get(Perk, perk.id).stock == 2
    for person in (hr, other_hr):
        (note,) = notifications(person, "redemption_pending")
        assert "Evan Employee" in message_for(note)
        assert "Extra day of annual leave" in message_for(note)
    assert notifications(former_hr) == []


def test_a_perk_without_approval_is_fulfilled_at_once(hr: User, employee: User) -> None:
    perk = make_perk(requires_approval=False, cost_points=40)
    give_points(employee, 40)
    redemption = services.redeem(employee, perk.id)
    assert redemption.status == RedemptionStatus.FULFILLED
    assert redemption.decided_at is not None
    assert points_queries.balance(employee) == 0
    assert notifications(hr) == []


def test_not_enough_points_says_how_many_more_and_writes_nothing(employee: User) -> None:
    perk = make_perk(cost_points=100, stock=1)
    give_points(employee, 70)
    with pytest.raises(PerkError, match="You need 30 more points"):
        services.redeem(employee, perk.id)
    assert count(Redemption) == 0
    assert points_queries.balance(employee) == 70
    assert db.session.get(Perk, perk.id).stock == 1


def test_an_inactive_perk_cannot_be_redeemed(employee: User) -> None:
    perk = make_perk(active=False)
    give_points(employee, 500)
    with pytest.raises(PerkNotFound, match="not offered"):
        services.redeem(employee, perk.id)
    with pytest.raises(PerkNotFound):
        services.redeem(employee, 99999)
    assert points_queries.balance(employee) == 500


def test_the_last_item_goes_and_then_it_is_out_of_stock(employee: User) -> None:
    perk = make_perk(stock=1, cost_points=10, requires_approval=False)
    give_points(employee, 100)
    services.redeem(employee, perk.id)
    assert db.session.get(Perk, perk.id).stock == 0
    with pytest.raises(PerkConflict, match="out of stock"):
        services.redeem(employee, perk.id)
    assert points_queries.balance(employee) == 90


def test_the_yearly_limit_counts_this_calendar_year_and_not_rejections(
    hr: User, employee: User
) -> None:
    perk = make_perk(limit_per_year=1, cost_points=10)
    give_points(employee, 100)
    last_year = datetime(to_local(utcnow()).year - 1, 6, 1, 4, 0)  # the company's year
    services.redeem(employee, perk.id, at=last_year)  # last year's does not count
    first = services.redeem(employee, perk.id)
    with pytest.raises(PerkConflict, match="reached the limit"):
        services.redeem(employee, perk.id)
    services.reject_redemption(hr, first.id, "Leave calendar is full")
    again = services.redeem(employee, perk.id)  # a rejection frees the slot
    assert again.status == RedemptionStatus.PENDING


# Deciding ------------------------------------------------------------------------------------


def test_hr_approves_and_the_employee_is_told(hr: User, employee: User) -> None:
    perk = make_perk(cost_points=100)
    give_points(employee, 100)
    redemption = services.redeem(employee, perk.id)
    services.approve_redemption(hr, redemption.id)
    db.session.expire_all()
    redemption = db.session.get(Redemption, redemption.id)
    assert redemption.status == RedemptionStatus.FULFILLED
    assert redemption.decided_by_id == hr.id
    (note,) = notifications(employee, "redemption_approved")
    assert "approved" in message_for(note)
    assert points_queries.balance(employee) == 0
    with pytest.raises(PerkConflict, match="already decided"):
        services.approve_redemption(hr, redemption.id)
    with pytest.raises(PerkConflict):
        services.reject_redemption(hr, redemption.id, "Too late")


def test_rejecting_refunds_the_points_restores_stock_and_gives_the_reason(
    hr: User, employee: User
) -> None:
    perk = make_perk(cost_points=100, stock=1)
    give_points(employee, 120)
    redemption = services.redeem(employee, perk.id)
    assert points_queries.balance(employee) == 20

    services.reject_redemption(hr, redemption.id, "  The clinic is closed   this month ")

    db.session.expire_all()
    redemption = db.session.get(Redemption, redemption.id)
    assert redemption.status == RedemptionStatus.REJECTED
    assert redemption.reject_reason == "The clinic is closed this month"
    refund = db.session.get(PointEntry, redemption.refund_entry_id)
    assert (refund.kind, refund.amount) == (PointKind.REFUNDED, 100)
    assert refund.idempotency_key == f"redemption:{redemption.id}:refund"
    assert points_queries.balance(employee) == 120
    assert points_queries.score(employee) == 120
    assert db.session.get(Perk, perk.id).stock == 1
    (note,) = notifications(employee, "redemption_rejected")
    assert "The clinic is closed this month" in message_for(note)


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_rejecting_needs_a_reason(hr: User, employee: User, reason: str | None) -> None:
    perk = make_perk(cost_points=10)
    give_points(employee, 10)
    redemption = services.redeem(employee, perk.id)
    with pytest.raises(PerkError, match="Please give a reason"):
        services.reject_redemption(hr, redemption.id, reason)
    db.session.expire_all()
    assert db.session.get(Redemption, redemption.id).status == RedemptionStatus.PENDING
    assert points_queries.balance(employee) == 0


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER])
def test_only_hr_decides_and_manages(role: Role, employee: User) -> None:
    someone = make_user(role=role)
    perk = make_perk(cost_points=10)
    give_points(employee, 10)
    redemption = services.redeem(employee, perk.id)
    with pytest.raises(PerkNotAllowed):
        services.approve_redemption(someone, redemption.id)
    with pytest.raises(PerkNotAllowed):
        services.reject_redemption(someone, redemption.id, "No")
    with pytest.raises(PerkNotAllowed):
        services.create_perk(someone, fields())
    with pytest.raises(PerkNotAllowed):
        services.set_active(someone, perk, False)
    assert count(Perk) == 1
    assert db.session.get(Redemption, redemption.id).status == RedemptionStatus.PENDING


# HR's perks ----------------------------------------------------------------------------------


def test_hr_creates_edits_and_deactivates_a_perk(hr: User) -> None:
    perk = services.create_perk(hr, fields(name_en="  Team   dinner "))
    assert perk.name_en == "Team dinner"
    assert (perk.cost_points, perk.stock, perk.limit_per_year) == (300, 5, 2)
    services.update_perk(hr, perk, fields(cost_points=250, stock=None, limit_per_year=None))
    db.session.expire_all()
    perk = db.session.get(Perk, perk.id)
    assert (perk.cost_points, perk.stock, perk.limit_per_year) == (250, None, None)
    services.set_active(hr, perk, False)
    assert db.session.get(Perk, perk.id).active is False


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"cost_points": 0}, "cost_points"),
        ({"cost_points": -5}, "cost_points"),
        ({"stock": -1}, "stock"),
        ({"limit_per_year": 0}, "limit_per_year"),
        ({"name_en": "  "}, "name_en"),
        ({"name_zh": ""}, "name_zh"),
    ],
)
def test_bad_perk_fields_are_refused(hr: User, bad: dict[str, object], field: str) -> None:
    with pytest.raises(PerkError) as refused:
        services.create_perk(hr, fields(**bad))
    assert refused.value.field == field
    assert count(Perk) == 0


def test_a_redemption_keeps_the_cost_it_was_made_at(hr: User, employee: User) -> None:
    perk = make_perk(cost_points=100)
    give_points(employee, 100)
    redemption = services.redeem(employee, perk.id)
    services.update_perk(hr, perk, fields(cost_points=500))
    services.reject_redemption(hr, redemption.id, "Changed our mind")
    assert points_queries.balance(employee) == 100


# The leaderboard -----------------------------------------------------------------------------


def test_spending_and_refunds_never_move_the_leaderboards(hr: User, employee: User) -> None:
    perk = make_perk(cost_points=60)
    give_points(employee, 100)
    before = reads.rank_of(employee)
    assert before.points == 100
    redemption = services.redeem(employee, perk.id)
    assert reads.rank_of(employee).points == 100
    services.reject_redemption(hr, redemption.id, "Out of season")
    assert reads.rank_of(employee).points == 100
    assert reads.rank_of(employee, period="month").points == 100
    assert projection.pending_count() == 0
    assert verify.verify() == []  # Redis agrees with the ledger's score kinds
    assert points_queries.score(employee) == 100


# Concurrency (PostgreSQL) --------------------------------------------------------------------


def _race(app: Flask, user_ids: list[int], perk_id: int) -> list[str]:
    """Each person redeems the perk at the same moment: "ok" or "refused" each."""

    def redeem_as(user_id: int) -> Callable[[], str]:
        def attempt() -> str:
            try:
                services.redeem(db.session.get(User, user_id), perk_id)
            except PerkError:
                return "refused"
            return "ok"

        return attempt

    return race(app, [redeem_as(uid) for uid in user_ids])


def test_simultaneous_redemptions_never_overdraw_the_balance(app: Flask, employee: User) -> None:
    needs_postgresql()
    perk = make_perk(cost_points=10, requires_approval=False)
    give_points(employee, 75)  # covers 7 of 20
    outcomes = _race(app, [employee.id] * 20, perk.id)
    assert outcomes.count("ok") == 7
    assert outcomes.count("refused") == 13
    assert points_queries.balance(employee) == 5
    assert count(Redemption) == 7


def test_simultaneous_redemptions_never_oversell_the_stock(app: Flask) -> None:
    needs_postgresql()
    perk = make_perk(cost_points=10, stock=3)
    people = [make_user() for _ in range(12)]
    for person in people:
        give_points(person, 10)
    outcomes = _race(app, [p.id for p in people], perk.id)
    assert outcomes.count("ok") == 3
    assert db.session.get(Perk, perk.id).stock == 0
    assert count(Redemption) == 3
    assert sorted(points_queries.balance(p) for p in people) == [0] * 3 + [10] * 9


def test_simultaneous_redemptions_keep_the_yearly_limit(app: Flask, employee: User) -> None:
    needs_postgresql()
    perk = make_perk(cost_points=1, limit_per_year=2)
    give_points(employee, 100)
    outcomes = _race(app, [employee.id] * 10, perk.id)
    assert outcomes.count("ok") == 2
    assert points_queries.balance(employee) == 98


def test_notifications_name_the_perk_in_the_readers_language(hr: User, employee: User) -> None:
    from flask_babel import force_locale

    perk = make_perk(cost_points=10)
    give_points(employee, 10)
    redemption = services.redeem(employee, perk.id)
    services.reject_redemption(hr, redemption.id, "名额已满")
    (note,) = notifications(employee, "redemption_rejected")
    with force_locale("zh_CN"):
        text = message_for(note)
    assert "额外一天年假" in text and "名额已满" in text
    assert "Extra day of annual leave" in message_for(note)
