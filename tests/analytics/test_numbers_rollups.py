"""The rollup duty: a stage change shows in the numbers after its next run (the invalidation
rule), it catches up after downtime, running it again changes nothing, and a rebuild gives the
same rows."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import select

from community.analytics import rollups
from community.analytics.freshness import rollups_as_of
from community.analytics.models import PointsDaily, ReferralFacts
from community.analytics.queries import funnel as funnel_q
from community.analytics.scope import scope_for
from community.extensions import db
from community.pipeline import Stage
from community.referrals.services import advance_stage
from community.worker import duties
from tests.analytics.conftest import Q3, TODAY, Corpus, build_corpus


def _facts() -> list[tuple]:
    rows = db.session.scalars(select(ReferralFacts).order_by(ReferralFacts.referral_id)).all()
    return [tuple(getattr(row, c.key) for c in ReferralFacts.__table__.columns) for row in rows]


def _points() -> list[tuple]:
    rows = db.session.execute(
        select(
            PointsDaily.day, PointsDaily.kind, PointsDaily.department_id, PointsDaily.total
        ).order_by(PointsDaily.day, PointsDaily.kind, PointsDaily.department_id)
    ).all()
    return [tuple(row) for row in rows]


def test_a_stage_change_shows_after_the_duty_runs(corpus: Corpus) -> None:
    scope = scope_for(corpus.hr, Q3)
    assert funnel_q.funnel(Q3, scope).count("screened") == 4
    later = TODAY + timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        advance_stage(corpus.r[4], Stage.SCREENING, corpus.hr)
        assert funnel_q.funnel(Q3, scope).count("screened") == 4  # not yet: the rollup's rule
        assert duties.run_due(later)["analytics.rollup"] >= 1  # the event (and its points)
        assert funnel_q.funnel(Q3, scope).count("screened") == 5
        assert rollups_as_of() == later


def test_the_duty_catches_up_and_running_it_again_changes_nothing() -> None:
    assert rollups_as_of() is None
    build_corpus()  # the worker was down all year: nothing rolled up yet
    with time_machine.travel(TODAY, tick=False):
        assert db.session.scalar(select(ReferralFacts.referral_id)) is None
        assert rollups.run(TODAY) > 0
        db.session.commit()
        facts, points = _facts(), _points()
        assert len(facts) == 7 and points
        assert rollups.run(TODAY + timedelta(minutes=1)) == 0  # nothing new
        db.session.commit()
        assert (_facts(), _points()) == (facts, points)
        rollups.rebuild()
        assert (_facts(), _points()) == (facts, points)


def test_a_run_rereads_what_committed_behind_its_mark(corpus: Corpus) -> None:
    """An event whose id lies below the mark (a transaction that committed late) is still read:
    the duty re-reads the last ids below each mark."""
    with time_machine.travel(TODAY, tick=False):
        advance_stage(corpus.r[4], Stage.REJECTED, corpus.hr, reason_code="skills")
        rollups.run(TODAY)
        db.session.commit()
        fact = db.session.get(ReferralFacts, corpus.r[4].id)
        db.session.delete(fact)  # as if the run had not seen it
        db.session.commit()
        rollups.run(TODAY)
        db.session.commit()
        assert db.session.get(ReferralFacts, corpus.r[4].id).closed_stage == Stage.REJECTED


def test_a_job_moved_to_another_department_moves_its_facts(corpus: Corpus) -> None:
    later = TODAY + timedelta(hours=1)
    with time_machine.travel(later, tick=False):
        corpus.fin_job.department_id = corpus.eng.id
        db.session.commit()
        rollups.run(later)
        db.session.commit()
        scope = scope_for(corpus.manager, Q3)
        assert funnel_q.funnel(Q3, scope).count("submitted") == 5


def test_rebuild_command(corpus: Corpus, runner) -> None:  # noqa: ANN001
    before = _facts()
    db.session.execute(ReferralFacts.__table__.delete())
    db.session.commit()
    result = runner.invoke(args=["analytics", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "rebuilt" in result.output
    db.session.expire_all()
    assert _facts() == before
