"""The demo gives every analytics chart something to show, and the weak spots to find: a quiet
department and a job family whose referrals rarely reach the interview."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from community.accounts.models import Department, Role, User
from community.analytics.filters import Filters
from community.analytics.freshness import rollups_as_of
from community.analytics.models import ReferralFacts
from community.analytics.queries import funnel, participation, quality, retention, rewards, timing
from community.analytics.scope import scope_for
from community.core.time import local_today
from community.demo.data.company import HARD_FAMILY, QUIET_DEPARTMENT
from community.demo.seed.company import HR_LOGIN
from community.extensions import db
from community.referrals.models import Referral


def _everything() -> tuple[Filters, object]:
    today = local_today()
    f = Filters(start=today - timedelta(days=365), end=today)
    hr = db.session.scalar(select(User).where(User.email == HR_LOGIN))
    assert hr is not None and hr.role == Role.HR
    return f, scope_for(hr, f)


def test_the_rollups_are_current_after_seeding(seeded: str) -> None:
    assert rollups_as_of() is not None
    facts = db.session.scalar(select(func.count(ReferralFacts.referral_id)))
    assert facts == db.session.scalar(select(func.count(Referral.id)))


def test_every_chart_has_numbers(seeded: str) -> None:
    f, scope = _everything()
    whole = funnel.funnel(f, scope)
    assert all(step.count > 0 for step in whole.steps), whole
    assert len(funnel.funnel_by(f, scope, "department")) >= 4
    spent = timing.timing(f, scope)
    assert all(stage.spread.count > 0 for stage in spent.stages)
    assert spent.time_to_hire.count > 0
    assert timing.sla(f, scope).breaches > 0
    kept = retention.retention(f, scope)
    assert sum(c.hires for c in kept.cohorts) >= 3 and any(c.left for c in kept.cohorts)
    money = rewards.rewards(f, scope)
    assert money.paid and money.points_issued > 0 and money.cost_per_hire
    assert any(row.interview_rate is not None for row in quality.by_job(f, scope).rows)


def test_a_quiet_department_and_a_hard_job_family(seeded: str) -> None:
    f, scope = _everything()
    shares = participation.participation(f, scope)
    quiet = db.session.scalar(select(Department).where(Department.name == QUIET_DEPARTMENT))
    row = next(d for d in shares.departments if d.department_id == quiet.id)
    assert row.participation.referrers == 1
    assert row.participation.share < shares.company.share / 2
    whole = funnel.funnel(f, scope).step("interviewed").overall
    hard = next(r for r in funnel.funnel_by(f, scope, "family") if r.key == HARD_FAMILY)
    assert hard.funnel.count("submitted") >= 3
    assert hard.funnel.step("interviewed").overall < whole / 2
