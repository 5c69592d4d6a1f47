"""The demo's personal links: codes with visitors, applications through them as referrals with
their source, a link its owner switched off and a code HR switched off."""

from __future__ import annotations

from sqlalchemy import select

from community.extensions import db
from community.links import queries
from community.links.models import PersonalLink, ReferralCode
from community.referrals.models import Referral, ReferralSource


def test_links_with_visitors_and_applications(seeded: str) -> None:
    codes = db.session.scalars(select(ReferralCode)).all()
    assert len(codes) >= 3
    employee = next(c for c in codes if c.user.email == "employee@demo.example")
    mine = queries.my_links(employee)
    assert mine.all_jobs.clicks > 0 and mine.all_jobs.applications == 2
    assert mine.typed_code_applications == 1
    assert any(row.clicks and row.applications for row in mine.jobs)
    applied = db.session.scalars(
        select(Referral).where(Referral.source.in_([ReferralSource.LINK, ReferralSource.CODE]))
    ).all()
    assert len(applied) == 3
    assert all(r.fit_reason == "" and r.candidate.locale for r in applied)


def test_a_link_and_a_code_switched_off(seeded: str) -> None:
    assert db.session.scalars(
        select(PersonalLink).where(
            PersonalLink.active.is_(False), PersonalLink.off_by_hr.is_(False)
        )
    ).first()
    assert db.session.scalars(
        select(ReferralCode).where(ReferralCode.active.is_(False), ReferralCode.off_by_hr)
    ).first()
