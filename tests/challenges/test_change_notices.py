"""Who hears of a challenge waiting for approval, a cancellation and a disqualification, through
the services that publish them, in both languages."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import force_locale

from community.accounts.models import Role, User
from community.challenges import entries, services
from community.core.time import utcnow
from community.notifications.queries import shown
from community.pipeline import Stage
from tests.challenges.factories import make_challenge
from tests.challenges.test_notices import inbox, read
from tests.factories import make_department, make_user
from tests.pipeline import advance
from tests.referrals.factories import make_referral


def test_hr_hears_a_challenge_waits_for_approval(hr: User) -> None:
    team = make_department()
    host = make_user(role=Role.MANAGER, department=team, name="Mona Manager")
    start = utcnow() + timedelta(days=1)
    make_challenge(host, people_scope="team", starts_at=start, ends_at=start + timedelta(days=3))
    (notice,) = inbox(hr)
    assert read(notice, "en") == (
        "Mona Manager asks you to approve their challenge “December referral sprint”."
    )
    assert read(notice, "zh_CN") == "Mona Manager 请你审批其挑战赛“十二月内推冲刺”。"
    assert notice.link.endswith("/edit")
    assert inbox(host) == []


def test_a_cancellation_reaches_the_entrants_and_the_host_with_the_reason(hr: User) -> None:
    host = make_user(role=Role.MANAGER)
    ann, bob, quiet = make_user(), make_user(), make_user()
    challenge = make_challenge(hr)
    challenge.host_id = host.id  # (HR's challenge, hosted for a manager)
    advance(make_referral(ann), Stage.SCREENING, hr)
    entries.join_challenge(bob, challenge.id)
    services.cancel_challenge(hr, challenge.id, "The hiring freeze came early")
    for person in (ann, bob, host):
        (notice,) = [n for n in inbox(person) if n.kind == "challenge_cancelled"]
        assert read(notice, "en") == "The challenge “December referral sprint” was cancelled."
        with force_locale("zh_CN"):
            assert [text for _label, text in shown(notice).quotes] == [
                "The hiring freeze came early"
            ]
    assert inbox(quiet) == []


def test_a_draft_cancelled_by_its_host_tells_nobody(hr: User) -> None:
    challenge = make_challenge(hr, schedule=False)
    services.cancel_challenge(hr, challenge.id, "Not this year")
    assert inbox(hr) == []


def test_the_person_hears_they_were_disqualified_and_put_back(hr: User) -> None:
    ann = make_user()
    challenge = make_challenge(hr)
    advance(make_referral(ann), Stage.SCREENING, hr)
    entries.set_disqualified(hr, challenge.id, ann.id, True, reason="Referred a relative")
    entries.set_disqualified(hr, challenge.id, ann.id, False)
    out, back = [n for n in inbox(ann) if n.kind.startswith("challenge_")][-2:]
    assert read(out, "en") == "HR took you out of the standings of “December referral sprint”."
    assert read(back, "zh_CN") == "HR 已将你重新计入“十二月内推冲刺”的排名。"
    with force_locale("en"):
        assert [text for _label, text in shown(out).quotes] == ["Referred a relative"]
