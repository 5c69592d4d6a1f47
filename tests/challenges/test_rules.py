"""Bad input to the challenge services: a clear message naming its field, and nothing written."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from community.accounts.models import Role, User
from community.challenges import entries, lifecycle, services
from community.challenges.models import Challenge, ChallengePrize, PrizeKind
from community.challenges.rules import ChallengeError, PrizeFields
from community.core.time import utcnow
from community.extensions import db
from community.perks.models import Perk
from tests.challenges.factories import fields, make_challenge
from tests.factories import make_department, make_user


def count(model: Any) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def refused(call: Any, *args: Any) -> ChallengeError:
    before = (count(Challenge), count(ChallengePrize))
    with pytest.raises(ChallengeError) as error:
        call(*args)
    db.session.rollback()
    assert (count(Challenge), count(ChallengePrize)) == before
    return error.value


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"ends_at": utcnow() - timedelta(days=1)}, "ends_at"),
        ({"ends_at": utcnow() + timedelta(days=93)}, "ends_at"),
        ({"starts_at": utcnow() - timedelta(days=1)}, "starts_at"),
        ({"multiplier_percent": 50}, "multiplier_percent"),
        ({"multiplier_percent": 600}, "multiplier_percent"),
        ({"multiplier_percent": 200, "multiplier_job_ids": [999_999]}, "multiplier_job_ids"),
        ({"settlement_days": 91}, "settlement_days"),
        ({"people_scope": "departments", "department_ids": []}, "department_ids"),
        ({"people_scope": "departments", "department_ids": [999_999]}, "department_ids"),
        ({"job_ids": [999_999]}, "job_ids"),
        ({"job_families": ["astrology"]}, "job_families"),
        ({"metric": "quality", "quality_min_referrals": 0}, "quality_min_referrals"),
        ({"team_mode": "total", "people_scope": "team"}, "team_mode"),
    ],
)
def test_bad_fields_are_refused_by_name(hr: User, overrides: dict[str, Any], field: str) -> None:
    error = refused(services.create_challenge, hr, fields(**overrides))
    assert error.field == field
    assert error.status == 422


def test_the_message_reads_in_the_hosts_language(hr: User) -> None:
    bad = fields(ends_at=utcnow() - timedelta(days=1))
    with force_locale("zh_CN"):
        assert refused(services.create_challenge, hr, bad).message == "结束时间必须晚于开始时间。"
    with force_locale("en"):
        assert refused(services.create_challenge, hr, bad).message == (
            "The end must come after the start."
        )


def test_a_manager_hosts_only_their_department_or_team() -> None:
    mine, other = make_department(), make_department()
    manager = make_user(role=Role.MANAGER, department=mine)
    assert refused(services.create_challenge, manager, fields()).status == 403  # company
    other_scope = fields(people_scope="departments", department_ids=[other.id])
    assert refused(services.create_challenge, manager, other_scope).status == 403
    both = fields(people_scope="departments", department_ids=[mine.id, other.id])
    assert refused(services.create_challenge, manager, both).status == 403
    assert refused(services.create_challenge, make_user(), fields()).status == 403
    services.create_challenge(manager, fields(people_scope="team"))


def test_prizes_refuse_bad_tiers_and_a_perk_out_of_stock(hr: User) -> None:
    challenge = make_challenge(hr, schedule=False)
    perk = Perk(name_zh="年假一天", name_en="A day of leave", cost_points=500, stock=0)
    db.session.add(perk)
    db.session.commit()
    for prize, field in (
        (PrizeFields(rank_from=0, rank_to=1, points=10), "rank_from"),
        (PrizeFields(rank_from=3, rank_to=1, points=10), "rank_from"),
        (PrizeFields(kind=PrizeKind.THRESHOLD, threshold=0, points=10), "threshold"),
        (PrizeFields(rank_from=1, points=-5), "points"),
        (PrizeFields(rank_from=1, points=10**6), "points"),
        (PrizeFields(rank_from=1), "points"),
        (PrizeFields(rank_from=1, perk_id=perk.id), "perk_id"),
        (PrizeFields(rank_from=1, perk_id=999_999), "perk_id"),
    ):
        assert refused(services.add_prize, hr, challenge.id, prize).field == field


def test_a_final_challenge_cannot_be_edited_cancelled_or_given_prizes(hr: User) -> None:
    challenge = make_challenge(hr)
    lifecycle.keep_time(challenge.settles_at)
    assert refused(services.update_challenge, hr, challenge.id, fields()).status == 409
    assert refused(services.cancel_challenge, hr, challenge.id, "Too late").status == 409
    prize = PrizeFields(rank_from=1, points=10)
    assert refused(services.add_prize, hr, challenge.id, prize).status == 409


def test_joining_from_outside_the_scope_and_forged_ids(hr: User) -> None:
    inside, outside = make_department(), make_department()
    challenge = make_challenge(hr, people_scope="departments", department_ids=[inside.id])
    stranger = make_user(department=outside)
    assert refused(entries.join_challenge, stranger, challenge.id).status == 403
    member = make_user(department=inside)
    entries.join_challenge(member, challenge.id)
    entries.join_challenge(member, challenge.id)  # twice is fine
    assert refused(entries.join_challenge, member, 999_999).status == 404
    assert refused(entries.set_disqualified, hr, challenge.id, 999_999, True, "x").status == 404
    assert refused(services.remove_prize, hr, challenge.id, 999_999).status == 404
    assert (
        refused(entries.set_disqualified, member, challenge.id, member.id, True, "x").status == 403
    )
    assert refused(services.cancel_challenge, member, challenge.id, "x").status == 403
