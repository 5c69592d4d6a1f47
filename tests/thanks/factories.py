"""Thanks factories: a payout walked through the real pipeline and paid by HR."""

from __future__ import annotations

from sqlalchemy import select

from community.accounts.models import User
from community.core.time import local_today
from community.extensions import db
from community.payouts import services as payout_services
from community.payouts.models import Payout
from community.referrals.models import Stage
from tests.factories import make_job, make_user
from tests.payouts.factories import TO_HIRED
from tests.pipeline import walk
from tests.referrals.factories import make_referral


def hired_payout(hr: User, referrer: User | None = None, title: str = "Backend Engineer") -> Payout:
    """The pending "hired" payout of a new referral by `referrer` for a job called `title`."""
    referral = make_referral(referrer or make_user(), make_job(title=title, bonus_minor=1000000))
    walk(referral, hr, *TO_HIRED)
    return db.session.scalars(
        select(Payout).where(Payout.referral_id == referral.id, Payout.stage == Stage.HIRED)
    ).one()


def approved_payout(
    hr: User, referrer: User | None = None, title: str = "Backend Engineer"
) -> Payout:
    payout = hired_payout(hr, referrer, title)
    return payout_services.approve_payout(payout, hr)


def paid_payout(hr: User, referrer: User | None = None, title: str = "Backend Engineer") -> Payout:
    payout = approved_payout(hr, referrer, title)
    return payout_services.mark_paid(payout, hr, local_today(), "PR-1")
