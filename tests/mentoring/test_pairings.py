"""A running pairing: goal and dates, check-ins, the mentee's sharing, the end and its badge."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community.badges.models import UserBadge
from community.core.time import local_today
from community.extensions import db
from community.mentoring import pairings, queries
from community.mentoring.models import CheckInNote, Outcome, PairingStatus
from community.mentoring.services import MentoringError
from tests.mentoring.conftest import Cast
from tests.mentoring.factories import accept_referral, kinds, make_pairing
from tests.referrals.factories import make_referral


def _notes() -> int:
    return db.session.scalar(select(func.count(CheckInNote.id)))


def test_the_pair_and_hr_set_the_goal(cast: Cast) -> None:
    pairing = make_pairing(cast.mentor, cast.newcomer)
    due, end = local_today() + timedelta(days=30), local_today() + timedelta(days=60)
    for who in (cast.mentor, cast.newcomer, cast.hr):
        pairings.set_goal(who, pairing.id, "第一次内推 within 30 days", due, end)
    assert (pairing.goal, pairing.goal_due_on, pairing.ends_on) == (
        "第一次内推 within 30 days",
        due,
        end,
    )
    for outsider, status in ((cast.other, 404), (cast.manager, 404)):
        with pytest.raises(MentoringError) as refused:
            pairings.set_goal(outsider, pairing.id, "mine", due, end)
        assert refused.value.status == status


@pytest.mark.parametrize(
    ("goal", "due", "end", "field"),
    [
        ("", 10, 20, "goal"),
        ("x" * 201, 10, 20, "goal"),
        ("ok", None, 20, "goal_due_on"),
        ("ok", -1, 20, "goal_due_on"),
        ("ok", 10, 0, "ends_on"),
        ("ok", 10, None, "ends_on"),
        ("ok", 30, 20, "goal_due_on"),
    ],
)
def test_bad_goals_are_refused(cast: Cast, goal, due, end, field) -> None:  # noqa: ANN001
    pairing = make_pairing(cast.mentor, cast.newcomer)
    today = local_today()
    with pytest.raises(MentoringError) as refused:
        pairings.set_goal(
            cast.mentor,
            pairing.id,
            goal,
            today + timedelta(days=due) if due is not None else None,
            today + timedelta(days=end) if end is not None else None,
        )
    assert refused.value.field == field
    db.session.refresh(pairing)
    assert pairing.goal == ""


def test_check_ins_are_the_pairs_own(cast: Cast) -> None:
    pairing = make_pairing(cast.mentor, cast.newcomer)
    pairings.add_note(cast.mentor, pairing.id, "Talked about **JD** tailoring")
    pairings.add_note(cast.newcomer, pairing.id, "下周推荐一位朋友")
    with pytest.raises(MentoringError) as hr_writes:
        pairings.add_note(cast.hr, pairing.id, "HR here")
    assert hr_writes.value.status == 403
    for outsider in (cast.other, cast.manager):
        with pytest.raises(MentoringError) as refused:
            pairings.add_note(outsider, pairing.id, "peek")
        assert refused.value.status == 404
    with pytest.raises(MentoringError) as empty:
        pairings.add_note(cast.mentor, pairing.id, "  ")
    assert empty.value.field == "body"
    with pytest.raises(MentoringError):
        pairings.add_note(cast.mentor, pairing.id, "x" * 4001)
    assert _notes() == 2


def test_only_the_mentee_chooses_what_the_mentor_sees(cast: Cast) -> None:
    pairing = make_pairing(cast.mentor, cast.newcomer)
    referral = make_referral(cast.newcomer)
    accept_referral(referral, cast.hr)
    assert queries.progress(pairing, cast.mentor) is None
    mine = queries.progress(pairing, cast.newcomer)
    assert (mine.submitted, mine.passed_screening) == (1, 1)
    for who in (cast.mentor, cast.hr, cast.other):
        with pytest.raises(MentoringError):
            pairings.save_sharing(who, pairing.id, True, True)
    pairings.save_sharing(cast.newcomer, pairing.id, True, False)
    seen = queries.progress(pairing, cast.mentor)
    assert seen.shows_count and not seen.shows_stages
    assert queries.progress(pairing, cast.other) is None
    assert queries.progress(pairing, cast.manager) is None
    assert queries.progress(pairing, cast.hr).shows_stages


def test_the_goal_reached_tells_the_other(cast: Cast) -> None:
    pairing = make_pairing(cast.mentor, cast.newcomer)
    with pytest.raises(MentoringError):
        pairings.mark_goal_reached(cast.newcomer, pairing.id)  # no goal yet
    pairings.set_goal(
        cast.mentor,
        pairing.id,
        "A referral",
        local_today() + timedelta(days=5),
        local_today() + timedelta(days=9),
    )
    pairings.mark_goal_reached(cast.newcomer, pairing.id)
    assert "mentoring_goal_reached" in kinds(cast.mentor)
    assert "mentoring_goal_reached" not in kinds(cast.newcomer)
    with pytest.raises(MentoringError) as twice:
        pairings.mark_goal_reached(cast.mentor, pairing.id)
    assert twice.value.status == 409


def test_ending_a_pairing(cast: Cast) -> None:
    pairing = make_pairing(cast.mentor, cast.newcomer)
    with pytest.raises(MentoringError) as bad:
        pairings.end_pairing(cast.newcomer, pairing.id, "nonsense", "")
    assert bad.value.field == "outcome"
    with pytest.raises(MentoringError):
        pairings.end_pairing(cast.other, pairing.id, "stopped", "")
    pairings.end_pairing(cast.newcomer, pairing.id, "stopped", "Moved teams")
    assert (pairing.status, pairing.outcome, pairing.ended_by_id) == (
        PairingStatus.ENDED,
        Outcome.STOPPED,
        cast.newcomer.id,
    )
    assert "mentoring_ended" in kinds(cast.mentor)
    with pytest.raises(MentoringError) as ended:
        pairings.add_note(cast.mentor, pairing.id, "late")
    assert ended.value.status == 409
    with pytest.raises(MentoringError):
        pairings.end_pairing(cast.hr, pairing.id, "stopped", "")
    # A place is free again, and no badge: no referral passed screening during it.
    assert queries.directory()[0].free == 2
    assert db.session.scalar(select(UserBadge.id).where(UserBadge.badge_key == "mentor")) is None


def test_the_mentor_badge_comes_with_the_end_of_a_rewarded_pairing(cast: Cast) -> None:
    pairing = make_pairing(cast.mentor, cast.newcomer)
    accept_referral(make_referral(cast.newcomer), cast.hr)
    pairings.end_pairing(cast.hr, pairing.id, "goal_reached", "")
    badge = db.session.scalar(select(UserBadge).where(UserBadge.badge_key == "mentor"))
    assert badge is not None and badge.user_id == cast.mentor.id
    assert "mentoring_ended" in kinds(cast.mentor) and "mentoring_ended" in kinds(cast.newcomer)
