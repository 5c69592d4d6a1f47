"""The referrer club's membership: earned by a first hire or a level (as configured), appointed
and removed by HR, moderators among the members; who may change it; what people are told."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from community.accounts.models import Role
from community.badges.models import Level
from community.club import membership, services
from community.club.models import ClubMember, MemberSource
from community.extensions import db
from community.notifications.models import Notification
from community.pipeline import Stage
from community.points.models import PointKind
from community.points.services import record_points
from tests.club.factories import make_member
from tests.factories import make_user
from tests.pipeline import walk
from tests.referrals.factories import make_referral


@pytest.fixture
def hr():
    return make_user(role=Role.HR)


def _notices(user_id: int, kind: str) -> int:
    return db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user_id, Notification.kind == kind
        )
    )


def test_a_first_hire_makes_the_referrer_a_member(hr) -> None:
    referral = make_referral()
    referrer_id = referral.referrer_id
    assert not membership.is_member(referrer_id)
    walk(referral, hr, Stage.INTERVIEWING, Stage.OFFER, Stage.HIRED)
    db.session.commit()
    row = db.session.get(ClubMember, referrer_id)
    assert row.source == MemberSource.HIRE and row.referral_id == referral.id
    assert membership.is_member(referrer_id) and membership.mark(referrer_id) == "member"
    # the welcome is a line of the referrer's "hired" notification, not a second one
    hired = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == referrer_id)
        .order_by(Notification.id.desc())
    ).first()
    assert "club_joined" in {detail["kind"] for detail in hired.details or []}


def test_a_second_hire_changes_nothing(hr) -> None:
    first = make_referral()
    walk(first, hr, Stage.INTERVIEWING, Stage.OFFER, Stage.HIRED)
    second = make_referral(referrer=first.referrer)
    walk(second, hr, Stage.INTERVIEWING, Stage.OFFER, Stage.HIRED)
    db.session.commit()
    assert db.session.get(ClubMember, first.referrer_id).referral_id == first.id


def test_hires_make_no_members_when_the_company_chose_otherwise(app, hr) -> None:
    app.config["CLUB_MEMBERSHIP"] = "level"
    referral = walk(make_referral(), hr, Stage.INTERVIEWING, Stage.OFFER, Stage.HIRED)
    db.session.commit()
    assert not membership.is_member(referral.referrer_id)


def test_reaching_the_chosen_level_makes_a_member(app) -> None:
    db.session.add(Level(threshold=7000, name_en="Seven", name_zh="七"))
    db.session.commit()
    ordered = db.session.scalars(select(Level).order_by(Level.threshold)).all()
    second = next(level for level in ordered if level.threshold == 7000)
    app.config.update(CLUB_MEMBERSHIP="hire, level", CLUB_MEMBER_LEVEL=ordered.index(second) + 1)
    person = make_user()
    record_points(person, second.threshold - 1, PointKind.EARNED, idempotency_key="t:1")
    db.session.commit()
    assert not membership.is_member(person.id)
    record_points(person, 1, PointKind.EARNED, idempotency_key="t:2")
    db.session.commit()
    assert db.session.get(ClubMember, person.id).source == MemberSource.LEVEL


def test_spending_points_never_makes_a_member(app) -> None:
    app.config.update(CLUB_MEMBERSHIP="level", CLUB_MEMBER_LEVEL=1)
    person = make_user()
    record_points(person, 5, PointKind.REFUNDED, idempotency_key="t:3")
    db.session.commit()
    assert not membership.is_member(person.id)


def test_hr_appoints_makes_a_moderator_and_takes_out(hr) -> None:
    person = make_user()
    services.appoint(hr, person.id)
    assert membership.mark(person.id) == "member"
    services.set_moderator(hr, person.id, True)
    assert membership.is_moderator(person.id) and membership.mark(person) == "moderator"
    services.remove(hr, person.id, "Left the referral program")
    assert not membership.is_member(person.id) and not membership.is_moderator(person.id)
    assert [
        _notices(person.id, kind) for kind in ("club_joined", "club_moderator", "club_left")
    ] == [1, 1, 1]


def test_someone_taken_out_is_not_brought_back_by_a_hire(hr) -> None:
    referral = make_referral()
    services.appoint(hr, referral.referrer_id)
    services.remove(hr, referral.referrer_id, "Asked to leave")
    walk(referral, hr, Stage.INTERVIEWING, Stage.OFFER, Stage.HIRED)
    db.session.commit()
    assert not membership.is_member(referral.referrer_id)
    services.appoint(hr, referral.referrer_id)  # HR may still bring them back
    assert membership.is_member(referral.referrer_id)


def test_hr_moderates_without_being_a_member(hr) -> None:
    assert membership.is_moderator(hr) and not membership.is_member(hr)


@pytest.mark.parametrize(
    ("action", "status"),
    [
        (lambda hr, m, o: services.appoint(hr, m.id), 409),
        (lambda hr, m, o: services.remove(hr, o.id, "x"), 404),
        (lambda hr, m, o: services.remove(hr, m.id, "  "), 422),
        (lambda hr, m, o: services.remove(hr, m.id, "x" * 301), 422),
        (lambda hr, m, o: services.set_moderator(hr, m.id, False), 409),
        (lambda hr, m, o: services.set_moderator(hr, o.id, True), 404),
        (lambda hr, m, o: services.appoint(hr, 999_999), 404),
        (lambda hr, m, o: services.appoint(m, o.id), 403),
    ],
)
def test_refusals_write_nothing(hr, action, status) -> None:
    member, other = make_member(hr=hr), make_user()
    before = db.session.scalar(select(func.count(Notification.id)))
    with pytest.raises(services.ClubError) as refused:
        action(hr, member, other)
    assert refused.value.status == status
    assert db.session.scalar(select(func.count(Notification.id))) == before
    assert membership.is_member(member.id) and not membership.is_member(other.id)


def test_a_deactivated_colleague_cannot_be_appointed(hr) -> None:
    person = make_user(is_active_account=False)
    with pytest.raises(services.ClubError):
        services.appoint(hr, person.id)
