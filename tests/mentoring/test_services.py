"""Offers, requests and answers, HR's pairing: who may, what is refused, what is told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community.accounts.models import Role
from community.core.time import local_today
from community.extensions import db
from community.mentoring import queries, rules, services
from community.mentoring.models import OfferStatus, Pairing, PairingStatus
from community.mentoring.services import MentoringError
from tests.factories import make_user
from tests.mentoring.conftest import Cast
from tests.mentoring.factories import give_hire, kinds, make_mentor, make_pairing


def _pairings() -> int:
    return db.session.scalar(select(func.count(Pairing.id)))


def test_only_the_experienced_may_offer(cast: Cast) -> None:
    with pytest.raises(MentoringError) as refused:
        services.save_offer(cast.newcomer, "简历", "", 2)
    assert refused.value.status == 403
    with pytest.raises(MentoringError):
        services.save_offer(cast.hr, "简历", "", 2)
    assert rules.may_mentor(cast.mentor)


def test_a_configured_tier_qualifies_without_a_hire(cast: Cast, app) -> None:  # noqa: ANN001
    from community.badges import registry
    from community.badges.services import award_badge

    person = make_user(name="Tia Tier")
    assert not rules.may_mentor(person)
    award_badge(person.id, registry.get(registry.GOLD_REFERRER), "silver")
    db.session.commit()
    assert rules.may_mentor(person)
    app.config["MENTOR_MIN_TIER"] = "gold"
    try:
        assert not rules.may_mentor(person)
    finally:
        app.config["MENTOR_MIN_TIER"] = "silver"


@pytest.mark.parametrize(
    ("topics", "capacity", "field"),
    [
        ("", 2, "topics"),
        (" , ，", 2, "topics"),
        (",".join(f"t{i}" for i in range(9)), 2, "topics"),
        ("x" * 31, 2, "topics"),
        ("简历", 0, "capacity"),
        ("简历", 6, "capacity"),
        ("简历", None, "capacity"),
    ],
)
def test_bad_offers_are_refused_with_their_field(cast: Cast, topics, capacity, field) -> None:  # noqa: ANN001
    before = services.offer_of(cast.mentor.id).topics
    with pytest.raises(MentoringError) as refused:
        services.save_offer(cast.mentor, topics, "", capacity)
    assert refused.value.field == field
    db.session.expire_all()
    assert services.offer_of(cast.mentor.id).topics == before


def test_topics_split_on_both_commas_and_drop_repeats(cast: Cast) -> None:
    offer = services.save_offer(cast.mentor, "简历，面试、Python, python", "", 3)
    assert offer.topics == ["简历", "面试", "Python"]


def test_a_newcomer_asks_and_the_mentor_accepts(cast: Cast) -> None:
    pairing = services.request_mentor(cast.newcomer, cast.mentor.id, "想学习内推")
    assert pairing.status == PairingStatus.REQUESTED
    assert "mentoring_requested" in kinds(cast.mentor)
    services.accept_request(cast.mentor, pairing.id)
    assert pairing.status == PairingStatus.ACTIVE
    assert pairing.ends_on == local_today() + timedelta(days=90)
    assert "mentoring_accepted" in kinds(cast.newcomer)
    assert queries.directory()[0].free == 1


def test_a_decline_and_a_withdrawal_are_told(cast: Cast) -> None:
    pairing = services.request_mentor(cast.newcomer, cast.mentor.id, "hello")
    services.decline_request(cast.mentor, pairing.id, "Busy this quarter")
    assert pairing.status == PairingStatus.DECLINED
    assert "mentoring_declined" in kinds(cast.newcomer)
    again = services.request_mentor(cast.newcomer, cast.mentor.id, "hello again")
    services.withdraw_request(cast.newcomer, again.id)
    assert again.status == PairingStatus.WITHDRAWN
    assert "mentoring_withdrawn" in kinds(cast.mentor)


def test_requests_refused(cast: Cast) -> None:
    with pytest.raises(MentoringError) as refused:
        services.request_mentor(cast.newcomer, cast.mentor.id, "   ")
    assert refused.value.field == "message"
    with pytest.raises(MentoringError):
        services.request_mentor(cast.newcomer, cast.mentor.id, "x" * 1001)
    with pytest.raises(MentoringError):
        services.request_mentor(cast.newcomer, cast.newcomer.id, "me")
    with pytest.raises(MentoringError) as no_offer:
        services.request_mentor(cast.newcomer, cast.other.id, "you?")
    assert no_offer.value.status == 409
    services.request_mentor(cast.newcomer, cast.mentor.id, "first")
    with pytest.raises(MentoringError) as twice:
        services.request_mentor(cast.newcomer, cast.mentor.id, "second")
    assert twice.value.status == 409
    assert _pairings() == 1


def test_someone_experienced_is_no_newcomer(cast: Cast) -> None:
    second = make_mentor(make_user(name="Sue Second"), cast.hr)
    with pytest.raises(MentoringError) as refused:
        services.request_mentor(cast.mentor, second.id, "hi")
    assert refused.value.status == 403
    with pytest.raises(MentoringError):
        services.request_mentor(cast.hr, cast.mentor.id, "hi")


def test_an_old_hand_without_a_screened_referral_is_still_a_newcomer(cast: Cast) -> None:
    from datetime import datetime

    veteran = make_user(created_at=datetime(2020, 1, 1))
    assert rules.is_newcomer(veteran)
    give_hire(veteran, cast.hr)
    assert not rules.is_newcomer(veteran)


def test_capacity_is_enforced_on_accept_and_on_request(cast: Cast) -> None:
    services.save_offer(cast.mentor, "简历", "", 1)
    second = make_user(name="Sam Second")
    first = services.request_mentor(cast.newcomer, cast.mentor.id, "one")
    waiting = services.request_mentor(second, cast.mentor.id, "two")
    services.accept_request(cast.mentor, first.id)
    with pytest.raises(MentoringError) as full:
        services.accept_request(cast.mentor, waiting.id)
    assert full.value.status == 409
    third = make_user(name="Tom Third")
    with pytest.raises(MentoringError):
        services.request_mentor(third, cast.mentor.id, "three")
    assert queries.directory() == []
    assert queries.directory(with_full=True)[0].free == 0
    with pytest.raises(MentoringError) as lower:
        services.save_offer(cast.mentor, "简历", "", 1)
        services.save_offer(cast.mentor, "简历", "", 0)
    assert lower.value.field == "capacity"


def test_only_the_mentor_answers_and_only_once(cast: Cast) -> None:
    pairing = services.request_mentor(cast.newcomer, cast.mentor.id, "hi")
    for stranger in (cast.other, cast.hr, cast.newcomer):
        with pytest.raises(MentoringError) as refused:
            services.accept_request(stranger, pairing.id)
        assert refused.value.status == 404
    with pytest.raises(MentoringError):
        services.withdraw_request(cast.other, pairing.id)
    services.accept_request(cast.mentor, pairing.id)
    with pytest.raises(MentoringError) as again:
        services.decline_request(cast.mentor, pairing.id, "")
    assert again.value.status == 409
    with pytest.raises(MentoringError):
        services.withdraw_request(cast.newcomer, pairing.id)


def test_a_paused_or_withdrawn_offer_takes_no_request_but_keeps_its_pairings(cast: Cast) -> None:
    pairing = make_pairing(cast.mentor, cast.newcomer)
    services.set_offer_status(cast.mentor, OfferStatus.PAUSED)
    with pytest.raises(MentoringError):
        services.request_mentor(make_user(), cast.mentor.id, "hi")
    assert queries.directory() == []
    services.set_offer_status(cast.mentor, OfferStatus.WITHDRAWN)
    db.session.refresh(pairing)
    assert pairing.status == PairingStatus.ACTIVE
    services.set_offer_status(cast.mentor, OfferStatus.OPEN)
    assert [c.mentor.id for c in queries.directory()] == [cast.mentor.id]
    with pytest.raises(MentoringError) as none:
        services.set_offer_status(cast.other, OfferStatus.PAUSED)
    assert none.value.status == 404


def test_hr_pairs_anyone_with_a_free_mentor(cast: Cast) -> None:
    pairing = services.pair(
        cast.hr, cast.mentor.id, cast.other.id, "First referral", local_today() + timedelta(days=30)
    )
    assert pairing.status == PairingStatus.ACTIVE and pairing.requested_by_id == cast.hr.id
    assert "mentoring_paired" in kinds(cast.mentor)
    assert "mentoring_paired" in kinds(cast.other)
    assert kinds(cast.hr) == [] or "mentoring_paired" not in kinds(cast.hr)
    with pytest.raises(MentoringError) as twice:
        services.pair(cast.hr, cast.mentor.id, cast.other.id, "", None)
    assert twice.value.field == "mentee_id"


@pytest.mark.parametrize(
    ("mentor", "mentee", "field"),
    [
        (None, "newcomer", "mentor_id"),
        ("mentor", None, "mentee_id"),
        ("mentor", "mentor", "mentee_id"),
    ],
)
def test_hr_pairing_bad_input(cast: Cast, mentor, mentee, field) -> None:  # noqa: ANN001
    with pytest.raises(MentoringError) as refused:
        services.pair(
            cast.hr,
            cast.user(mentor).id if mentor else None,
            cast.user(mentee).id if mentee else None,
            "",
            None,
        )
    assert refused.value.field == field
    assert _pairings() == 0


def test_hr_pairing_refusals(cast: Cast) -> None:
    with pytest.raises(MentoringError) as not_hr:
        services.pair(cast.manager, cast.mentor.id, cast.newcomer.id, "", None)
    assert not_hr.value.status == 403
    with pytest.raises(MentoringError) as past:
        services.pair(
            cast.hr, cast.mentor.id, cast.newcomer.id, "", local_today() - timedelta(days=1)
        )
    assert past.value.field == "goal_due_on"
    with pytest.raises(MentoringError):
        services.pair(cast.hr, cast.mentor.id, cast.hr.id, "", None)
    with pytest.raises(MentoringError):
        services.pair(cast.hr, cast.other.id, cast.newcomer.id, "", None)  # no offer
    assert _pairings() == 0


def test_a_deactivated_mentor_leaves_the_directory(cast: Cast) -> None:
    cast.mentor.is_active_account = False
    db.session.commit()
    assert queries.directory() == []


def test_a_manager_with_a_hire_may_mentor_too(cast: Cast) -> None:
    boss = make_mentor(make_user(Role.MANAGER, name="Bo Boss"), cast.hr)
    assert any(card.mentor.id == boss.id for card in queries.directory())
