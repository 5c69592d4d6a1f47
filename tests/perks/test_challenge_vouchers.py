"""A perk won as a challenge prize: a voucher costing the winner nothing, handed over at once
when the perk is offered and in stock, owed (pending for HR, who is told) when it ran out or was
taken out of the shop, never twice for one award, and shown on "My redemptions" as the prize of
its challenge in the reader's language."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from community import events
from community.accounts.models import User
from community.extensions import db
from community.notifications.models import Notification
from community.notifications.queries import shown
from community.perks import services
from community.perks.models import OwedReason, Perk, Redemption, RedemptionStatus
from community.perks.queries import perk_available
from community.points import queries as points_queries
from community.points.models import PointEntry
from tests.challenges.events import prize
from tests.factories import make_user
from tests.perks.factories import give_points, make_perk


def award(event: events.ChallengePrizeAwarded) -> None:
    """Publish as the challenge room does: inside its transaction, then commit."""
    events.publish(event)
    db.session.commit()
    db.session.expire_all()


def vouchers_of(user: User) -> list[Redemption]:
    return list(db.session.scalars(select(Redemption).where(Redemption.user_id == user.id)))


def entries_of(user: User) -> int:
    return int(db.session.scalar(select(func.count()).where(PointEntry.user_id == user.id)) or 0)


def notices_of(user: User) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


def login(client, user: User) -> None:
    client.post("/logout")
    client.post("/login", data={"email": user.email, "password": "password123"})


# Handed over at once -------------------------------------------------------------------------


@pytest.mark.parametrize("requires_approval", [False, True])
def test_a_perk_in_stock_is_handed_over_at_once_for_nothing(employee, requires_approval):
    perk = make_perk(stock=3, cost_points=400, requires_approval=requires_approval)
    award(prize(employee.id, perk_id=perk.id, rank=2))
    (voucher,) = vouchers_of(employee)
    assert voucher.is_prize and voucher.perk_id == perk.id
    assert voucher.status == RedemptionStatus.FULFILLED and voucher.decided_at is not None
    assert voucher.cost_points == 0 and voucher.spent_entry_id is None
    assert voucher.owed_reason is None and voucher.prize_rank == 2
    assert (voucher.challenge_id, voucher.challenge_title, voucher.challenge_title_en) == (
        77,
        "春季内推冲刺",
        "Spring referral sprint",
    )
    assert entries_of(employee) == 0  # no ledger entry: the prize's points are the challenge's
    assert db.session.get(Perk, perk.id).stock == 2  # one from stock, like a redemption


def test_the_same_award_published_twice_issues_one_voucher(employee):
    perk = make_perk(stock=5)
    event = prize(employee.id, perk_id=perk.id)
    award(event)
    award(event)
    assert len(vouchers_of(employee)) == 1
    assert db.session.get(Perk, perk.id).stock == 4


def test_the_database_refuses_a_second_voucher_for_one_award(employee):
    perk = make_perk()
    award(prize(employee.id, perk_id=perk.id, award_id=4242))
    db.session.add(
        Redemption(perk_id=perk.id, user_id=employee.id, cost_points=0, challenge_award_id=4242)
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_two_prizes_of_one_person_are_two_vouchers(employee):
    perk = make_perk(stock=None)
    award(prize(employee.id, perk_id=perk.id))
    award(prize(employee.id, perk_id=perk.id, challenge_id=78))
    assert len(vouchers_of(employee)) == 2


def test_a_prize_without_a_perk_or_with_a_missing_one_issues_nothing(employee):
    award(prize(employee.id))
    award(prize(employee.id, perk_id=987654))
    assert vouchers_of(employee) == []


def test_a_long_challenge_title_is_cut_not_refused(employee):
    perk = make_perk()
    award(prize(employee.id, perk_id=perk.id, title="长" * 300, title_en=None))
    (voucher,) = vouchers_of(employee)
    assert len(voucher.challenge_title) == 120 and voucher.challenge_title.endswith("…")
    assert voucher.challenge_title_en is None


def test_a_voucher_does_not_use_up_the_yearly_limit(employee):
    perk = make_perk(limit_per_year=1, cost_points=100, requires_approval=False)
    award(prize(employee.id, perk_id=perk.id))
    give_points(employee, 100)
    bought = services.redeem(employee, perk.id)
    assert bought.status == RedemptionStatus.FULFILLED
    assert points_queries.balance(employee.id) == 0


# Owed: out of stock, or out of the shop ------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "reason"),
    [({"stock": 0}, OwedReason.OUT_OF_STOCK), ({"active": False}, OwedReason.NOT_OFFERED)],
)
def test_a_perk_that_cannot_be_handed_over_is_owed_and_hr_is_told(employee, hr, fields, reason):
    perk = make_perk(**fields)
    award(prize(employee.id, perk_id=perk.id, badge=True))
    (voucher,) = vouchers_of(employee)
    assert voucher.status == RedemptionStatus.PENDING and voucher.owed_reason == reason
    assert voucher.decided_at is None
    assert db.session.get(Perk, perk.id).stock == fields.get("stock")  # nothing taken
    # The rest of the award stands: the badge the same event gives was granted.
    from community.badges.queries import held

    assert ("challenge_winner", "challenge:77") in held(employee.id)
    (notice,) = notices_of(hr)
    assert notice.kind == "prize_voucher_owed"
    assert notice.link == "/perks/redemptions?status=pending"
    with force_locale("en"):
        text = shown(notice).text
    assert "Evan Employee won Extra day of annual leave in Spring referral sprint" in text
    assert ("out of stock" if reason == OwedReason.OUT_OF_STOCK else "no longer offered") in text
    with force_locale("zh_CN"):
        chinese = shown(notice).text
    assert "Evan Employee 在“春季内推冲刺”中赢得了额外一天年假" in chinese


def test_hr_hands_over_an_owed_voucher_once_restocked(employee, hr):
    perk = make_perk(stock=0)
    award(prize(employee.id, perk_id=perk.id))
    (voucher,) = vouchers_of(employee)
    with pytest.raises(services.PerkConflict, match="out of stock"):
        services.approve_redemption(hr, voucher.id)
    db.session.get(Perk, perk.id).stock = 2
    db.session.commit()
    services.approve_redemption(hr, voucher.id)
    db.session.expire_all()
    assert db.session.get(Redemption, voucher.id).status == RedemptionStatus.FULFILLED
    assert db.session.get(Perk, perk.id).stock == 1
    (notice,) = [n for n in notices_of(employee) if n.kind.startswith("prize_voucher")]
    assert notice.kind == "prize_voucher_handed"
    with force_locale("en"):
        assert shown(notice).text == (
            "HR handed over your prize from Spring referral sprint: Extra day of annual leave. "
            "Enjoy!"
        )
    with force_locale("zh_CN"):
        assert "春季内推冲刺" in shown(notice).text and "额外一天年假" in shown(notice).text


def test_a_perk_out_of_the_shop_is_still_handed_over_when_in_stock(employee, hr):
    perk = make_perk(active=False, stock=None)
    award(prize(employee.id, perk_id=perk.id))
    (voucher,) = vouchers_of(employee)
    services.approve_redemption(hr, voucher.id)
    db.session.expire_all()
    assert db.session.get(Redemption, voucher.id).status == RedemptionStatus.FULFILLED


def test_hr_rejecting_an_owed_voucher_refunds_nothing_and_gives_no_stock_back(employee, hr):
    perk = make_perk(stock=0)
    award(prize(employee.id, perk_id=perk.id))
    (voucher,) = vouchers_of(employee)
    services.reject_redemption(hr, voucher.id, "Discontinued; we sent a hoodie instead")
    db.session.expire_all()
    rejected = db.session.get(Redemption, voucher.id)
    assert rejected.status == RedemptionStatus.REJECTED and rejected.refund_entry_id is None
    assert entries_of(employee) == 0
    assert db.session.get(Perk, perk.id).stock == 0
    (notice,) = [n for n in notices_of(employee) if n.kind.startswith("prize_voucher")]
    with force_locale("en"):
        assert shown(notice).text.endswith("Reason: Discontinued; we sent a hoodie instead")
    with force_locale("zh_CN"):
        assert "原因：Discontinued" in shown(notice).text


# perk_available ------------------------------------------------------------------------------


def test_perk_available_means_offered_and_in_stock():
    assert perk_available(make_perk(stock=None).id)
    assert perk_available(make_perk(stock=1).id)
    assert not perk_available(make_perk(stock=0).id)
    assert not perk_available(make_perk(active=False).id)
    assert not perk_available(987654)


# Pages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "title", "place", "note"),
    [
        ("en", "Spring referral sprint", "Prize for 1st place in", "Yours since"),
        ("zh_CN", "春季内推冲刺", "第1名的奖品", "起归你所有"),
    ],
)
def test_my_redemptions_show_the_prize_of_its_challenge(client, locale, title, place, note):
    winner = make_user(locale=locale)
    perk = make_perk(stock=None)
    award(prize(winner.id, perk_id=perk.id))
    login(client, winner)
    page = client.get("/perks/").text
    row = page.split('data-testid="my-redemption"')[1]
    assert title in row and place in row and note in row
    assert 'href="/challenges/77"' in row
    assert 'data-testid="prize-pill"' in row


def test_english_falls_back_to_the_base_title(client):
    winner = make_user(locale="en")
    award(prize(winner.id, perk_id=make_perk().id, title="年终挑战", title_en=None, rank=None))
    login(client, winner)
    row = client.get("/perks/").text.split('data-testid="my-redemption"')[1]
    assert "Prize won in" in row and "年终挑战" in row


def test_an_owed_voucher_waits_in_hrs_queue_with_why(client, hr, employee):
    perk = make_perk(stock=0, name_en="Concert tickets")
    award(prize(employee.id, perk_id=perk.id))
    login(client, hr)
    page = client.get("/perks/redemptions?status=pending").text
    assert "Concert tickets" in page and "Spring referral sprint" in page
    assert "The perk was out of stock when it was won." in page
    assert "Why the prize cannot be handed over" in page
    login(client, employee)
    mine = client.get("/perks/").text.split('data-testid="my-redemption"')[1]
    assert "HR owes you this prize" in mine


def test_hr_hands_an_owed_prize_over_from_the_queue(client, hr, employee):
    perk = make_perk(active=False, stock=None)
    award(prize(employee.id, perk_id=perk.id))
    (voucher,) = vouchers_of(employee)
    login(client, hr)
    page = client.get("/perks/redemptions?status=pending").text
    assert "Prize owed" in page and "Hand over" in page
    assert "The perk was no longer offered in the shop when it was won." in page
    response = client.post(
        f"/perks/redemptions/{voucher.id}/approve", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "Prize handed over; the winner is told." in response.headers["HX-Trigger"]
    assert "as a prize" not in response.text and "by Hana HR" in response.text
    db.session.expire_all()
    assert db.session.get(Redemption, voucher.id).status == RedemptionStatus.FULFILLED
