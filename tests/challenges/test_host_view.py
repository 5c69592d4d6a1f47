"""The host's view: who takes part, referrals per day against the days before the window (the
data table the chart reads), what the challenge paid out, and the participant table."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import time_machine

from community.challenges import entries, lifecycle, services
from community.challenges import host as reads
from community.challenges.models import Metric, PeopleScope
from community.challenges.rules import PrizeFields
from community.core.time import utcnow
from community.extensions import db
from community.jobs.models import JobFamily
from community.pipeline import Stage
from tests.challenges.factories import make_challenge
from tests.challenges.hosting import hosting_company
from tests.factories import make_job
from tests.perks.factories import make_perk
from tests.pipeline import advance, walk_to
from tests.referrals.factories import make_referral
from tests.security.conftest import login

# 10:00 in Shanghai on a Monday.
T0 = datetime(2031, 3, 10, 2, 0)


def at(moment: datetime) -> time_machine.travel:
    return time_machine.travel(moment.isoformat() + "Z", tick=False)


def test_participation_counts_people_in_scope_joined_and_with_credit(client) -> None:
    co = hosting_company()
    challenge = make_challenge(co.host, people_scope=PeopleScope.TEAM)
    services.approve_challenge(co.hr, challenge.id)
    entries.join_challenge(co.member, challenge.id)
    advance(make_referral(co.teammate), Stage.SCREENING, co.hr)
    found = reads.participation(challenge)
    assert (found.in_scope, found.joined, found.with_credit) == (2, 1, 1)
    assert found.share(found.joined) == 50
    login(client, co.host)
    page = client.get(f"/challenges/{challenge.id}/host").text
    assert re.search(r'data-testid="in-scope">\s*2<', page)
    assert "50% of the people in scope" in page


def test_referrals_per_day_in_the_window_against_the_days_before_it(client) -> None:
    co = hosting_company()
    engineering = make_job(family=JobFamily.ENGINEERING)
    sales_job = make_job(family=JobFamily.SALES)
    with at(T0 - timedelta(days=2)):
        make_referral(co.member, engineering)  # two days before: "Before", day 1
    with at(T0 - timedelta(hours=1)):
        make_referral(co.member, engineering)  # the first day, before the start: neither
    with at(T0):
        challenge = make_challenge(co.hr, job_families=["engineering"])
    with at(T0 + timedelta(hours=1)):
        make_referral(co.member, engineering)
        make_referral(co.teammate, engineering)
        make_referral(co.member, sales_job)  # another family: not the challenge's jobs
        make_referral(co.hr, engineering)  # HR never competes
    with at(T0 + timedelta(days=1)):
        make_referral(co.teammate, engineering)

    now = T0 + timedelta(days=1, hours=2)
    daily = reads.daily_referrals(challenge, now)
    assert [str(day) for day in daily.days] == ["2031-03-10", "2031-03-11"]
    assert (daily.window, daily.before) == ([2, 1], [1, 0])
    assert daily.change == 200

    with at(now):
        login(client, co.hr)
        page = client.get(f"/challenges/{challenge.id}/host").text
    figure = page.split('data-testid="daily-chart">', 1)[1].split("</figure>")[0]
    assert "<canvas" in figure
    head = figure.split("<thead>")[1].split("</thead>")[0]
    assert re.findall(r"<th[^>]*>([^<]*)</th>", head)[1:] == ["This window", "Before"]
    rows = re.findall(
        r'<th scope="row"[^>]*>([^<]*)</th>\s*<td[^>]* data-value="(\d+)">.*?</td>\s*'
        r'<td[^>]* data-value="(\d+)">',
        figure,
        re.S,
    )
    assert rows == [("Mar 10", "2", "1"), ("Mar 11", "1", "0")]


def test_before_the_start_there_are_no_days_yet(client) -> None:
    co = hosting_company()
    challenge = make_challenge(co.hr, starts_at=utcnow() + timedelta(days=2))
    assert reads.daily_referrals(challenge).days == []
    login(client, co.hr)
    assert "The window has not started yet" in client.get(f"/challenges/{challenge.id}/host").text


def test_what_a_final_challenge_paid_out(client) -> None:
    co = hosting_company()
    perk = make_perk(name_en="Team dinner", stock=5)
    challenge = make_challenge(
        co.hr,
        multiplier_percent=200,
        prizes=[
            PrizeFields(rank_from=1, points=300, perk_id=perk.id, badge=True),
            PrizeFields(rank_from=2, rank_to=5, points=50),
        ],
    )
    lifecycle.keep_time(utcnow() + timedelta(minutes=1))
    first, second = make_referral(co.member), make_referral(co.teammate)
    advance(first, Stage.SCREENING, co.hr)
    advance(make_referral(co.member), Stage.SCREENING, co.hr)
    advance(second, Stage.SCREENING, co.hr)
    bonus = reads.payouts(challenge).bonus_points
    assert bonus > 0  # the multiplier paid the stage points once more

    lifecycle.keep_time(challenge.settles_at + timedelta(minutes=1))
    db.session.refresh(challenge)
    paid = reads.payouts(challenge)
    assert paid.bonus_points == bonus
    assert paid.prize_points == 350
    assert [(t.awarded, t.points) for t in paid.tiers] == [(1, 300), (1, 50)]
    assert [(p.name_en, n) for p, n in paid.vouchers] == [("Team dinner", 1)]

    login(client, co.hr)
    page = client.get(f"/challenges/{challenge.id}/host").text
    assert f'data-testid="bonus-points">{bonus} pts<' in page
    assert 'data-testid="prize-points">350 pts<' in page
    assert "Team dinner × 1" in page
    assert 'data-testid="disqualify"' not in page  # final: the standings no longer change
    rows = re.findall(r'<tr data-testid="participant"', page)
    assert len(rows) == 2
    assert page.index("Member Mo") < page.index("Teammate Tian")  # the winner first
    assert "Rank 1" in page and "Rank 2" in page


def test_the_participant_table_shows_scores_referrals_and_disqualifications(client) -> None:
    co = hosting_company()
    challenge = make_challenge(co.hr, metric=Metric.INTERVIEWS)
    lifecycle.keep_time(utcnow() + timedelta(minutes=1))
    for _ in range(2):
        walk_to(make_referral(co.member), Stage.INTERVIEWING, co.hr)
    entries.join_challenge(co.teammate, challenge.id)
    entries.set_disqualified(co.hr, challenge.id, co.teammate.id, True, "Referred himself")
    rows = reads.participant_rows(challenge)
    assert [(r.user.name, r.score, r.referrals) for r in rows] == [
        ("Member Mo", 2, 2),
        ("Teammate Tian", 0, 0),
    ]
    login(client, co.hr)
    page = client.get(f"/challenges/{challenge.id}/host").text
    assert "销售部" in page and "Referred himself" in page
    assert 'data-testid="reinstate"' in page and 'data-testid="disqualify"' in page
