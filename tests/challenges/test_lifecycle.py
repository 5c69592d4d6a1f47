"""The clock's side: a challenge moves from its dates (not from a job firing once), catches up
after a worker was down, sends each notice once and none too late, and is final only once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine

from community import events
from community.accounts.models import Role, User
from community.challenges import lifecycle, services
from community.challenges.models import ChallengeStatus
from community.challenges.rules import ChallengeError
from community.core.time import utcnow
from community.extensions import db
from community.pipeline import Stage
from tests.challenges.factories import make_challenge
from tests.factories import make_department, make_user
from tests.pipeline import advance
from tests.referrals.factories import make_referral

CHALLENGE_EVENTS = (
    events.ChallengeApproved,
    events.ChallengeWentLive,
    events.ChallengeClosingSoon,
    events.ChallengeEnded,
    events.ChallengeTopThree,
    events.ChallengeFinalized,
    events.ChallengePrizeAwarded,
)


@pytest.fixture
def heard() -> Iterator[list[Any]]:
    """Every challenge event published while the test runs."""
    found: list[Any] = []
    listen = found.append  # one bound method: `found.append` is a new object at each access
    for event_type in CHALLENGE_EVENTS:
        events.subscribe(event_type, listen)
    try:
        yield found
    finally:
        for event_type in CHALLENGE_EVENTS:
            events.unsubscribe(event_type, listen)


def names(found: list[Any]) -> list[str]:
    return [type(event).__name__ for event in found]


def test_each_moment_comes_once_from_the_clock(hr: User, heard: list[Any]) -> None:
    start = utcnow() + timedelta(days=1)
    challenge = make_challenge(hr, starts_at=start, ends_at=start + timedelta(days=7))
    assert lifecycle.keep_time(utcnow()) == 0
    assert lifecycle.keep_time(start) == 1
    assert lifecycle.keep_time(start + timedelta(minutes=1)) == 0
    assert lifecycle.keep_time(start + timedelta(days=6, hours=1)) == 1  # 23 hours left
    assert lifecycle.keep_time(start + timedelta(days=6, hours=2)) == 0
    assert lifecycle.keep_time(start + timedelta(days=7)) == 2  # ended; settled at once
    db.session.refresh(challenge)
    assert challenge.status == ChallengeStatus.FINAL
    assert names(heard) == [
        "ChallengeWentLive",
        "ChallengeClosingSoon",
        "ChallengeEnded",
        "ChallengeFinalized",
    ]


def test_a_worker_that_was_down_catches_up_without_stale_notices(
    hr: User, heard: list[Any]
) -> None:
    start = utcnow() + timedelta(hours=1)
    challenge = make_challenge(
        hr, starts_at=start, ends_at=start + timedelta(days=2), settlement_days=1
    )
    assert lifecycle.keep_time(start + timedelta(days=5)) == 3
    db.session.refresh(challenge)
    assert challenge.status == ChallengeStatus.FINAL
    assert names(heard) == ["ChallengeEnded", "ChallengeFinalized"]  # no "it started"


def test_went_live_tells_everyone_in_scope_but_the_host_and_hr(heard: list[Any]) -> None:
    team = make_department()
    host = make_user(role=Role.MANAGER, department=team)
    reports = [make_user(department=team, manager_id=host.id) for _ in range(2)]
    make_user(department=team)  # not a report
    make_user(role=Role.HR, department=team, manager_id=host.id)
    challenge = make_challenge(host, people_scope="team")
    hr = make_user(role=Role.HR)
    services.approve_challenge(hr, challenge.id)
    lifecycle.keep_time(utcnow() + timedelta(minutes=1))
    live = [e for e in heard if isinstance(e, events.ChallengeWentLive)]
    assert live[0].participant_ids == tuple(r.id for r in reports)
    approved = [e for e in heard if isinstance(e, events.ChallengeApproved)]
    assert approved[0].host_id == host.id


def test_top_three_is_heard_once_per_person(hr: User, heard: list[Any]) -> None:
    make_challenge(hr)
    lifecycle.keep_time(utcnow())
    ann = make_user()
    for _ in range(2):
        advance(make_referral(ann), Stage.SCREENING, hr)
    tops = [e for e in heard if isinstance(e, events.ChallengeTopThree)]
    assert [(e.user_id, e.rank) for e in tops] == [(ann.id, 1)]


def test_a_managers_challenge_waits_for_hr_and_an_edit_sends_it_back(
    heard: list[Any],
) -> None:
    team = make_department()
    host = make_user(role=Role.MANAGER, department=team)
    start = utcnow() + timedelta(days=1)
    window = {"starts_at": start, "ends_at": start + timedelta(days=7)}
    challenge = make_challenge(host, people_scope="departments", department_ids=[team.id], **window)
    assert challenge.status == ChallengeStatus.AWAITING_APPROVAL
    with pytest.raises(ChallengeError) as refused:
        services.approve_challenge(host, challenge.id)
    assert refused.value.status == 403
    services.approve_challenge(make_user(role=Role.HR), challenge.id)
    db.session.refresh(challenge)
    assert challenge.status == ChallengeStatus.SCHEDULED
    from tests.challenges.factories import fields

    services.update_challenge(
        host,
        challenge.id,
        fields(title="新标题", people_scope="departments", department_ids=[team.id], **window),
    )
    db.session.refresh(challenge)
    assert challenge.status == ChallengeStatus.AWAITING_APPROVAL


def test_after_going_live_only_the_end_moves_and_prizes_grow(hr: User) -> None:
    from tests.challenges.factories import fields

    challenge = make_challenge(hr)
    lifecycle.keep_time(utcnow())
    with pytest.raises(ChallengeError) as refused:
        services.update_challenge(hr, challenge.id, fields(title="Changed"))
    assert refused.value.status == 409
    end = challenge.ends_at
    with pytest.raises(ChallengeError):
        services.extend_challenge(hr, challenge.id, end - timedelta(days=1))
    with pytest.raises(ChallengeError):
        services.extend_challenge(hr, challenge.id, challenge.starts_at + timedelta(days=100))
    services.extend_challenge(hr, challenge.id, end + timedelta(days=3))
    db.session.refresh(challenge)
    assert challenge.ends_at == end + timedelta(days=3)
    with time_machine.travel(challenge.settles_at + timedelta(hours=1), tick=False):
        lifecycle.keep_time(utcnow())
        with pytest.raises(ChallengeError):
            services.extend_challenge(hr, challenge.id, utcnow() + timedelta(days=1))


def test_an_extension_brings_the_24_hours_notice_back(hr: User, heard: list[Any]) -> None:
    start = utcnow()
    challenge = make_challenge(hr, starts_at=start, ends_at=start + timedelta(hours=30))
    lifecycle.keep_time(start + timedelta(minutes=1))
    with time_machine.travel(start + timedelta(hours=8), tick=False):  # 22 hours left
        lifecycle.keep_time(utcnow())
        services.extend_challenge(hr, challenge.id, start + timedelta(days=3))
        assert lifecycle.keep_time(utcnow()) == 0  # two days left again: nothing yet
    lifecycle.keep_time(start + timedelta(days=2, hours=1))
    assert names(heard).count("ChallengeClosingSoon") == 2
