"""Section 4 (payouts): the referrer is told when a payout is created, approved, paid or
cancelled, in their own language, with the amount."""

from __future__ import annotations

import pytest

from community.accounts.models import Role
from community.core.time import local_today
from community.extensions import db
from community.notifications.models import Notification
from community.payouts import services
from community.payouts.models import Payout
from community.referrals import services as referral_services
from community.referrals.models import Stage
from tests.factories import make_job, make_user
from tests.payouts.factories import TO_HIRED
from tests.pipeline import walk
from tests.referrals.factories import make_referral


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (
            "en",
            [
                "Bonus of CN¥2,400.00 for reaching Hired",  # a line of "moved to Hired"
                "HR approved your bonus of CN¥2,400.00",
                "was paid on",
                "has left the company",
                "The Probation passed bonus of CN¥5,600.00 is cancelled.",  # a line of it
                "HR cancelled your bonus of CN¥1,500.00",
                "Reason: Counted twice",
            ],
        ),
        (
            "zh_CN",
            [
                "到达“已入职”的奖金 ¥2,400.00",
                "HR 已审批你推荐",
                "已于",
                "已离职",
                "阶段的奖金 ¥5,600.00 已取消。",
                "HR 取消了你推荐",
                "原因：Counted twice",
            ],
        ),
    ],
)
def test_every_payout_step_reaches_the_referrer_in_their_language(
    client, auth, hr, locale, expected
):
    referrer = make_user(locale=locale)
    first = make_referral(referrer=referrer, job=make_job(bonus_minor=800000, title="Payments"))
    walk(first, hr, *TO_HIRED)
    payout = db.session.query(Payout).filter_by(referral_id=first.id).one()
    services.approve_payout(payout, hr)
    services.mark_paid(payout, hr, local_today(), "PR-9")
    referral_services.record_left_company(first, hr, local_today())
    second = make_referral(referrer=referrer, job=make_job(bonus_minor=500000))
    walk(second, hr, *TO_HIRED)
    other = db.session.query(Payout).filter_by(referral_id=second.id).one()
    services.cancel_payout(other, hr, "Counted twice")
    auth.login(referrer)
    page = client.get("/notifications/").text
    for text in expected:
        assert text in page, text


def test_no_payout_news_for_an_excluded_referrer(hr):
    manager = make_user(role=Role.MANAGER)
    referral = make_referral(referrer=manager, job=make_job(hiring_manager_id=manager.id))
    walk(referral, hr, *TO_HIRED, Stage.PROBATION_PASSED)
    kinds = {n.kind for n in db.session.query(Notification).filter_by(user_id=manager.id)}
    assert not any(kind.startswith("payout") for kind in kinds)
