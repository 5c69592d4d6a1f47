"""Issue 11 §20 and §14: the bonus schedule is counted from the hire's start date (not from
HR's click), and "My payouts" shows every share per referral — paid, due, cancelled and still
ahead — with its date and amount, and what is still to come."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from community.accounts.models import Role
from community.core.time import local_today
from community.extensions import db
from community.payouts import services
from community.payouts.models import Payout, PayoutStatus
from community.payouts.schedule import ShareState, schedule_for
from community.program.models import ProgramRules
from community.program.queries import probation_ends_on
from community.referrals import services as referral_services
from community.referrals.models import Stage
from tests.factories import make_job, make_user
from tests.payouts.factories import rules_with_split
from tests.pipeline import advance, walk
from tests.referrals.factories import make_referral

TO_OFFER = (Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER)


def payout_at(referral, stage: Stage) -> Payout:
    db.session.expire_all()
    return db.session.scalars(
        select(Payout).where(Payout.referral_id == referral.id, Payout.stage == stage)
    ).one()


def hired(hr, start: date, bonus_minor: int = 1_000_000, **fields):
    referral = walk(make_referral(job=make_job(bonus_minor=bonus_minor), **fields), hr, *TO_OFFER)
    return advance(referral, Stage.HIRED, hr, start_date=start)


def shares(referral) -> list[tuple[Stage, int, date | None, ShareState]]:
    db.session.expire_all()
    return [(s.stage, s.amount.amount_minor, s.due_on, s.state) for s in schedule_for(referral)]


def rows(html: str) -> list[str]:
    """The share rows of a page, in order."""
    return html.split('data-testid="share"')[1:]


@pytest.mark.parametrize(
    ("start", "months", "ends"),
    [
        (date(2026, 4, 1), 3, date(2026, 7, 1)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),  # the last day of a shorter month
        (date(2027, 11, 30), 3, date(2028, 2, 29)),  # a leap year
        (date(2026, 12, 15), 12, date(2027, 12, 15)),
    ],
)
def test_probation_ends_the_rules_months_after_the_start(start, months, ends):
    assert probation_ends_on(ProgramRules(probation_months=months), start) == ends


def test_payout_dates_follow_the_start_date_not_the_click(hr, time_machine):
    time_machine.move_to("2026-03-10 02:00:00+00:00", tick=False)
    referral = hired(hr, start=date(2026, 4, 1))
    assert payout_at(referral, Stage.HIRED).due_on == date(2026, 4, 1)
    assert shares(referral) == [
        (Stage.HIRED, 300_000, date(2026, 4, 1), ShareState.PENDING),
        (Stage.PROBATION_PASSED, 700_000, date(2026, 7, 1), ShareState.UPCOMING),
    ]
    # HR marks probation passed days late: the share still falls due when probation ended.
    time_machine.move_to("2026-07-09 02:00:00+00:00", tick=False)
    walk(referral, hr, Stage.PROBATION_PASSED)
    assert payout_at(referral, Stage.PROBATION_PASSED).due_on == date(2026, 7, 1)
    assert payout_at(referral, Stage.PROBATION_PASSED).created_at.date() == date(2026, 7, 9)


def test_a_start_date_in_the_past_dates_the_schedule_back(hr, time_machine):
    time_machine.move_to("2026-05-20 02:00:00+00:00", tick=False)
    referral = hired(hr, start=date(2026, 5, 4))  # HR records the hire two weeks late
    assert [due for _stage, _amount, due, _state in shares(referral)] == [
        date(2026, 5, 4),
        date(2026, 8, 4),
    ]


def test_the_rules_probation_length_dates_the_share_after_probation(hr, time_machine):
    time_machine.move_to("2026-03-10 02:00:00+00:00", tick=False)
    rules_with_split(hr, {"hired": 30, "probation_passed": 70}, probation_months=6)
    referral = hired(hr, start=date(2026, 3, 16))
    assert shares(referral)[1][2] == date(2026, 9, 16)


def test_a_later_start_is_not_overdue_before_it_starts(hr, time_machine):
    time_machine.move_to("2026-03-10 02:00:00+00:00", tick=False)
    referral = hired(hr, start=date(2026, 5, 1))
    payout = payout_at(referral, Stage.HIRED)
    time_machine.move_to("2026-04-20 02:00:00+00:00", tick=False)  # 41 days after the click
    assert not payout.is_overdue(14)
    time_machine.move_to("2026-05-20 02:00:00+00:00", tick=False)  # 19 days after it fell due
    assert payout.is_overdue(14)


# My payouts ---------------------------------------------------------------------------------


def test_my_payouts_shows_the_70_stage_ahead_with_its_date_and_amount(
    client, auth, hr, time_machine
):
    time_machine.move_to("2026-03-10 02:00:00+00:00", tick=False)
    referral = hired(hr, start=date(2026, 4, 1), candidate_name="Lin Hua")
    auth.login(referral.referrer)
    page = client.get("/payouts/mine").text
    assert "Nothing left to do" not in page
    assert 'data-testid="referral-schedule"' in page and "Lin Hua" in page
    first, second = rows(page)
    assert 'data-state="pending"' in first and "Apr 1, 2026" in first and "3,000.00" in first
    assert 'data-stage="probation_passed"' in second and 'data-state="upcoming"' in second
    assert "Jul 1, 2026" in second and "7,000.00" in second
    assert "when probation ends" in second
    coming = page.split('data-testid="total-coming"')[1].split("</div>")[0]
    assert "10,000.00" in coming  # everything is still to come
    per_referral = page.split('data-testid="referral-still-to-come"')[1].split("</span>")[0]
    assert "10,000.00" in per_referral


def test_after_the_first_share_is_paid_the_second_still_shows(client, auth, hr, time_machine):
    time_machine.move_to("2026-03-10 02:00:00+00:00", tick=False)
    referral = hired(hr, start=date(2026, 4, 1))
    time_machine.move_to("2026-04-15 02:00:00+00:00", tick=False)
    payout = services.approve_payout(payout_at(referral, Stage.HIRED), hr)
    services.mark_paid(payout, hr, local_today(), "PR-2026-04-0001")
    auth.login(referral.referrer)
    page = client.get("/payouts/mine").text
    first, second = rows(page)
    assert 'data-state="paid"' in first and "PR-2026-04-0001" in first
    assert 'data-state="upcoming"' in second and "Jul 1, 2026" in second and "7,000.00" in second
    paid = page.split('data-testid="total-paid"')[1].split("</div>")[0]
    coming = page.split('data-testid="total-coming"')[1].split("</div>")[0]
    assert "3,000.00" in paid and "7,000.00" in coming and "10,000.00" not in coming
    assert "Nothing left to do" not in page


def test_a_cancelled_second_share_shows_as_cancelled_with_the_reason(
    client, auth, hr, time_machine
):
    time_machine.move_to("2026-03-10 02:00:00+00:00", tick=False)
    referral = hired(hr, start=date(2026, 3, 16))
    time_machine.move_to("2026-05-06 02:00:00+00:00", tick=False)
    referral_services.record_left_company(referral, hr, date(2026, 5, 5))
    cancelled = payout_at(referral, Stage.PROBATION_PASSED)
    assert cancelled.status == PayoutStatus.CANCELLED
    assert cancelled.due_on == date(2026, 6, 16)  # when it would have fallen due
    auth.login(referral.referrer)
    page = client.get("/payouts/mine").text
    first, second = rows(page)
    assert 'data-state="pending"' in first
    assert 'data-state="cancelled"' in second and "7,000.00" in second
    assert "text-decoration-line-through" in second
    assert "the hire left the company on May 5, 2026, before probation passed" in second
    coming = page.split('data-testid="total-coming"')[1].split("</div>")[0]
    assert "3,000.00" in coming and "7,000.00" not in coming


def test_a_share_hr_cancelled_shows_hrs_reason(client, auth, hr):
    referral = hired(hr, start=local_today())
    services.cancel_payout(payout_at(referral, Stage.HIRED), hr, "Duplicate of an agency hire")
    auth.login(referral.referrer)
    first, _second = rows(client.get("/payouts/mine").text)
    assert 'data-state="cancelled"' in first and "Duplicate of an agency hire" in first


def test_nobody_sees_anothers_schedule_and_hr_referrers_have_none(client, auth, hr):
    hired(hr, start=local_today(), candidate_name="Secret Sun")
    other = make_referral()
    auth.login(other.referrer)
    page = client.get("/payouts/mine").text
    assert "Secret Sun" not in page and 'data-testid="payouts-mine-empty"' in page
    auth.logout()
    rita = make_user(role=Role.HR)  # HR staff earn no bonus under the default rules
    hired(hr, start=local_today(), referrer=rita)
    auth.login(rita)
    assert 'data-testid="referral-schedule"' not in client.get("/payouts/mine").text


def test_a_referral_hired_with_nothing_at_hire_shows_what_comes_after_probation(
    client, auth, hr, time_machine
):
    time_machine.move_to("2026-03-10 02:00:00+00:00", tick=False)
    rules_with_split(hr, {"probation_passed": 100})
    referral = hired(hr, start=date(2026, 4, 1))
    auth.login(referral.referrer)
    page = client.get("/payouts/mine").text
    [only] = rows(page)
    assert 'data-state="upcoming"' in only and "Jul 1, 2026" in only and "10,000.00" in only


def test_the_referral_page_shows_the_schedule_to_hr_and_the_referrer(
    client, auth, hr, time_machine
):
    time_machine.move_to("2026-03-10 02:00:00+00:00", tick=False)
    referral = hired(hr, start=date(2026, 4, 1))
    for reader in (hr, referral.referrer):
        auth.login(reader)
        page = client.get(f"/referrals/{referral.id}").text
        panel = page.split('data-testid="referral-payouts"')[1].split("</section>")[0]
        assert "Apr 1, 2026" in panel and "Jul 1, 2026" in panel
        assert 'data-state="upcoming"' in panel and "7,000.00" in panel
        auth.logout()


def test_rejected_referrals_show_nothing_ahead(hr):
    referral = walk(make_referral(job=make_job(bonus_minor=1_000_000)), hr, *TO_OFFER)
    referral_services.advance_stage(referral, Stage.REJECTED, hr, reason_code="position_closed")
    assert schedule_for(referral) == []
