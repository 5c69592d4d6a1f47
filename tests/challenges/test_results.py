"""What a challenge page shows of its results: the frozen final (never moved by a later
reversal), winners with their prizes, the team table's numbers, and the change log with a
disqualification's reason for HR and the person only."""

from __future__ import annotations

import re
from datetime import timedelta

from community.accounts.models import Role
from community.challenges import entries, lifecycle, services
from community.challenges.models import ChallengeEntrant, ChallengeStatus, Metric, TeamMode
from community.challenges.rules import PrizeFields
from community.extensions import db
from community.pipeline import Stage
from community.referrals.services import advance_stage
from tests.challenges.conftest import Cast, live, sales_challenge
from tests.challenges.factories import make_challenge
from tests.challenges.test_pages import login, text
from tests.factories import make_user
from tests.pipeline import advance, walk_to
from tests.referrals.factories import make_referral


def rows(page: str, testid: str) -> list[str]:
    return re.findall(rf'data-testid="{testid}">([^<]*)<', page)


def test_a_final_challenge_shows_its_frozen_results(client, auth, cast: Cast) -> None:
    challenge = make_challenge(
        cast.hr,
        prizes=[
            PrizeFields(rank_from=1, rank_to=1, points=500, badge=True),
            PrizeFields(rank_from=2, rank_to=3, points=100),
        ],
    )
    live(challenge)
    first = walk_to(make_referral(cast.member), Stage.INTERVIEWING, cast.hr)
    advance(make_referral(cast.outsider), Stage.SCREENING, cast.hr)
    lifecycle.keep_time(challenge.settles_at + timedelta(minutes=1))
    db.session.refresh(challenge)
    assert challenge.status == ChallengeStatus.FINAL
    mine = db.session.query(ChallengeEntrant).filter_by(user_id=cast.member.id).one()
    frozen = mine.final_score
    assert mine.final_rank == 1 and frozen

    # HR finds the first referral was a duplicate: its points go back, the running tally drops.
    advance_stage(
        first, Stage.REJECTED, cast.hr, expected_from=first.stage, reason_code="duplicate"
    )
    db.session.refresh(mine)
    assert mine.score < frozen and mine.final_score == frozen

    login(auth, cast.outsider)
    page = text(client.get(f"/challenges/{challenge.id}"))
    assert "Final results" in page and 'hx-trigger="every 60s"' not in page
    assert rows(page, "board-score")[0] == f"{frozen:,}"
    assert re.search(r'data-testid="my-rank-number">#2<', page)
    winners = page[page.index('data-testid="winners"') :]
    assert "1st" in winners and "2nd–3rd" in winners and "Mia Member" in winners
    assert "500 points" in page and "The challenge winner badge" in page
    screen = text(client.get(f"/challenges/{challenge.id}/screen"))
    assert f"{frozen:,}" in screen and "Mia Member" in screen
    listing = text(client.get("/challenges/"))
    past = listing[listing.index('data-testid="section-past"') :]
    assert "December referral sprint" in past and "Mia Member" in past


def test_a_final_board_keeps_a_private_persons_name_to_themselves(client, auth, cast: Cast) -> None:
    challenge = live(make_challenge(cast.hr))
    cast.member.leaderboard_opt_out = True
    db.session.commit()
    advance(make_referral(cast.member), Stage.SCREENING, cast.hr)
    lifecycle.keep_time(challenge.settles_at + timedelta(minutes=1))
    login(auth, cast.outsider)
    page = text(client.get(f"/challenges/{challenge.id}"))
    assert "Private entry" in page and "Mia Member" not in page
    login(auth, cast.member)
    assert "Mia Member" in text(client.get(f"/challenges/{challenge.id}"))


def _team_challenge(cast: Cast, mode: TeamMode):  # noqa: ANN202
    """Sales: four people in scope, Mia with 3 interviews; Engineering: two (HR hosts and does
    not count), Otto with 2."""
    make_user(department=cast.sales, name="Sam Sales")
    make_user(department=cast.sales, name="Sue Sales")
    challenge = live(make_challenge(cast.hr, metric=Metric.INTERVIEWS, team_mode=mode))
    for person, count in ((cast.member, 3), (cast.outsider, 2)):
        for _ in range(count):
            walk_to(make_referral(person), Stage.INTERVIEWING, cast.hr)
    return challenge


def test_the_team_table_ranks_departments_by_their_total(client, auth, cast: Cast) -> None:
    challenge = _team_challenge(cast, TeamMode.TOTAL)
    login(auth, cast.member)
    page = text(client.get(f"/challenges/{challenge.id}"))
    table = page[page.index('data-testid="team-table"') :]
    assert table.index("Sales") < table.index("Engineering")
    assert rows(table, "team-total")[:2] == ["3", "2"]
    assert rows(table, "team-people")[:2] == ["4", "2"]
    assert rows(table, "team-per-head")[:2] == ["0.8", "1.0"]  # 3 / 4 and 2 / 2


def test_per_head_puts_the_smaller_department_first(client, auth, cast: Cast) -> None:
    challenge = _team_challenge(cast, TeamMode.PER_HEAD)
    login(auth, cast.outsider)
    page = text(client.get(f"/challenges/{challenge.id}"))
    table = page[page.index('data-testid="team-table"') :]
    assert table.index("Engineering") < table.index("Sales")
    assert rows(table, "team-per-head")[:2] == ["1.0", "0.8"]
    screen = text(client.get(f"/challenges/{challenge.id}/screen"))
    assert 'data-testid="screen-team"' in screen and "Engineering" in screen


def test_a_disqualified_entry_leaves_the_team_table(client, auth, cast: Cast) -> None:
    challenge = _team_challenge(cast, TeamMode.TOTAL)
    entries.set_disqualified(cast.hr, challenge.id, cast.member.id, True, "Referred a relative")
    login(auth, cast.outsider)
    table = text(client.get(f"/challenges/{challenge.id}"))
    table = table[table.index('data-testid="team-table"') :]
    assert table.index("Engineering") < table.index("Sales")
    assert rows(table, "team-total")[:2] == ["2", "0"]


def test_the_change_log_keeps_a_disqualification_private(client, auth, cast: Cast) -> None:
    challenge = sales_challenge(cast)
    advance(make_referral(cast.member), Stage.SCREENING, cast.hr)
    entries.set_disqualified(cast.hr, challenge.id, cast.member.id, True, "Referred a relative")
    services.extend_challenge(cast.host, challenge.id, challenge.ends_at + timedelta(days=3))
    services.add_prize(cast.host, challenge.id, PrizeFields(rank_from=1, rank_to=1, points=300))

    login(auth, cast.member)
    page = text(client.get(f"/challenges/{challenge.id}"))
    assert "Hana HR disqualified you" in page and "Referred a relative" in page
    assert "You were disqualified from this challenge." in page

    login(auth, cast.hr)
    page = text(client.get(f"/challenges/{challenge.id}"))
    assert "Hana HR disqualified Mia Member" in page and "Referred a relative" in page

    for who in ("host", "outsider"):
        login(auth, cast.user(who))
        page = text(client.get(f"/challenges/{challenge.id}"))
        assert "An entry was disqualified" in page
        assert "Referred a relative" not in page and "Mia Member" not in page
        assert "Hugo Host extended the end from" in page
        assert "Hugo Host added a prize: 1st" in page
        assert "Hana HR approved the challenge" in page
        assert "The challenge started" in page
        assert "Added after the start" in page


def test_a_quality_challenge_reads_interviews_per_referral(client, auth, cast: Cast) -> None:
    challenge = live(make_challenge(cast.hr, metric=Metric.QUALITY, quality_min_referrals=3))
    referrals = [make_referral(cast.member) for _ in range(3)]
    for referral in referrals[:2]:
        walk_to(referral, Stage.INTERVIEWING, cast.hr)
    advance(referrals[2], Stage.SCREENING, cast.hr)  # counted once HR accepts it
    login(auth, cast.member)
    page = text(client.get(f"/challenges/{challenge.id}"))
    assert "0.67 interviews per referral" in page
    assert "Ranked by interviews per referral, from 3 referrals on." in page
    assert rows(page, "board-score") == ["0.67"]


def test_hr_never_appears_on_a_board_it_runs(client, auth, cast: Cast) -> None:
    challenge = live(make_challenge(cast.hr))
    other_hr = make_user(Role.HR, cast.sales, name="Henry HR")
    advance(make_referral(other_hr), Stage.SCREENING, cast.hr)
    login(auth, cast.member)
    assert "Henry HR" not in text(client.get(f"/challenges/{challenge.id}"))


def test_threshold_winners_below_the_top_ten_are_named(client, auth, cast: Cast) -> None:
    from tests.factories import make_department

    challenge = live(
        make_challenge(cast.hr, prizes=[PrizeFields(kind="threshold", threshold=1, points=5)])
    )
    team = make_department("Support")
    people = [make_user(department=team, name=f"Person {n:02d}") for n in range(11)]
    for person in people:
        advance(make_referral(person), Stage.SCREENING, cast.hr)
    lifecycle.keep_time(challenge.settles_at + timedelta(minutes=1))
    login(auth, cast.outsider)
    page = text(client.get(f"/challenges/{challenge.id}"))
    winners = page[page.index('data-testid="winners"') :]
    assert len(re.findall('data-testid="award-winner"', winners)) == 11
    assert "Former colleague" not in winners
    for person in people:
        assert person.name in winners
