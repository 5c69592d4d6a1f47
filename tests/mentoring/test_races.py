"""Real races on PostgreSQL: the mentor's last place taken twice at once, a newcomer asking two
mentors at once, two rewards of one mentor at the cap at once."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from community.accounts.models import User
from community.extensions import db
from community.mentoring import services
from community.mentoring.models import MentorReward, Pairing, PairingStatus
from community.mentoring.services import MentoringError
from community.referrals.models import Referral
from tests.factories import make_user
from tests.mentoring.conftest import Cast
from tests.mentoring.factories import make_mentor, make_pairing
from tests.pipeline import walk
from tests.races import needs_postgresql, race
from tests.referrals.factories import make_referral


def _accept(mentor_id: int, pairing_id: int):  # noqa: ANN202
    def attempt() -> str:
        try:
            services.accept_request(db.session.get(User, mentor_id), pairing_id)
        except MentoringError as refused:
            return f"refused {refused.status}"
        return "accepted"

    return attempt


def test_the_last_place_is_taken_once(app: Flask, cast: Cast) -> None:
    needs_postgresql()
    services.save_offer(cast.mentor, "简历", "", 1)
    first = services.request_mentor(cast.newcomer, cast.mentor.id, "one")
    second = services.request_mentor(make_user(name="Sam"), cast.mentor.id, "two")
    outcomes = race(app, [_accept(cast.mentor.id, first.id), _accept(cast.mentor.id, second.id)])
    assert sorted(outcomes) == ["accepted", "refused 409"]
    active = db.session.scalar(
        select(func.count(Pairing.id)).where(Pairing.status == PairingStatus.ACTIVE)
    )
    assert active == 1


def test_a_newcomer_has_one_open_request_however_fast_they_click(app: Flask, cast: Cast) -> None:
    needs_postgresql()
    second = make_mentor(make_user(name="Sue Second"), cast.hr)

    def ask(mentor_id: int):  # noqa: ANN202
        def attempt() -> str:
            try:
                services.request_mentor(db.session.get(User, cast.newcomer.id), mentor_id, "hi")
            except MentoringError as refused:
                return f"refused {refused.status}"
            return "asked"

        return attempt

    outcomes = race(app, [ask(cast.mentor.id), ask(second.id)])
    assert sorted(outcomes) == ["asked", "refused 409"]


def test_two_rewards_at_the_cap_at_once_give_one(app: Flask, cast: Cast) -> None:
    needs_postgresql()
    app.config["MENTORING_REWARD_CAP"] = 1
    try:
        services.save_offer(cast.mentor, "简历", "", 2)
        other_mentee = make_user(name="Mo")
        make_pairing(cast.mentor, cast.newcomer)
        make_pairing(cast.mentor, other_mentee)
        referrals = [make_referral(cast.newcomer).id, make_referral(other_mentee).id]
        hr_id = cast.hr.id

        def accept(referral_id: int):  # noqa: ANN202
            def attempt() -> str:
                from community.pipeline import Stage

                walk(
                    db.session.get(Referral, referral_id),
                    db.session.get(User, hr_id),
                    Stage.SCREENING,
                )
                return "moved"

            return attempt

        assert race(app, [accept(r) for r in referrals]) == ["moved", "moved"]
        assert db.session.scalar(select(func.count(MentorReward.id))) == 1
    finally:
        app.config["MENTORING_REWARD_CAP"] = 3
