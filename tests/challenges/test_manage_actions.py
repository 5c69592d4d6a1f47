"""Prizes, submit, approve, cancel, extend, disqualify and reinstate over HTTP: plain forms that
redirect, htmx that swaps the part that changed, and refusals with their status, on their
field, writing nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from community.challenges import entries, lifecycle, services
from community.challenges.models import ChallengeStatus, PeopleScope, PrizeKind
from community.challenges.rules import PrizeFields
from community.core.time import utcnow
from tests.challenges.factories import make_challenge
from tests.challenges.hosting import hosting_company, local_text, prize_form, prizes
from tests.challenges.test_manage_form import field_error
from tests.perks.factories import make_perk
from tests.security.conftest import db_fingerprint, login

HTMX = {"HX-Request": "true"}


@pytest.fixture
def co():  # noqa: ANN201
    return hosting_company()


def _draft(co):  # noqa: ANN001, ANN202
    return make_challenge(co.host, schedule=False, people_scope=PeopleScope.TEAM)


def _live(co, **fields):  # noqa: ANN001, ANN003, ANN202
    challenge = make_challenge(co.hr, people_scope=PeopleScope.COMPANY, **fields)
    lifecycle.keep_time(utcnow() + timedelta(minutes=1))
    assert challenge.status == ChallengeStatus.LIVE
    return challenge


# Prizes --------------------------------------------------------------------------------------


def test_a_host_adds_a_first_place_prize_with_a_perk_and_the_badge(client, co) -> None:
    challenge = _draft(co)
    perk = make_perk(name_en="Team dinner", stock=3)
    login(client, co.host)
    page = client.get(f"/challenges/{challenge.id}/edit").text
    assert "Team dinner" in page  # offered: active and in stock
    data = prize_form(points="300", perk_id=str(perk.id), badge="y", thanks="y")
    response = client.post(f"/challenges/{challenge.id}/prizes", data=data)
    assert response.status_code == 302
    assert response.location == f"/challenges/{challenge.id}/edit#prizes"
    (prize,) = challenge.prizes
    assert (prize.kind, prize.rank_from, prize.rank_to, prize.points) == (PrizeKind.RANK, 1, 1, 300)
    assert (prize.perk_id, prize.badge, prize.thanks) == (perk.id, True, True)
    page = client.get(f"/challenges/{challenge.id}/edit").text
    assert "Rank 1" in page and "voucher: Team dinner" in page


def test_with_htmx_the_prizes_card_is_swapped_and_a_toast_says_so(client, co) -> None:
    challenge = _draft(co)
    login(client, co.host)
    data = prize_form(kind="threshold", threshold="50", points="20")
    response = client.post(f"/challenges/{challenge.id}/prizes", data=data, headers=HTMX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section class="card mb-4" id="prizes"')
    assert "Everyone reaching 50" in response.text
    assert "Prize added." in response.headers["HX-Trigger"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"perk_id": "out"}, "perk_id", "out of stock or no longer offered"),
        ({"perk_id": "inactive"}, "perk_id", "out of stock or no longer offered"),
        ({"rank_from": "3", "rank_to": "1"}, "rank_from", "Ranks run from 1 to 100"),
        ({"kind": "threshold", "threshold": ""}, "threshold", "at least 1"),
        ({"points": "0"}, "points", "A prize needs points, a perk"),
        ({"points": "-5"}, "points", "between 0 and 100000"),
        ({"points": "lots"}, "points", "Not a valid integer value."),
    ],
)
def test_a_refused_prize_says_why_on_its_field(client, co, data, field, message) -> None:
    challenge = _draft(co)
    out, inactive = make_perk(stock=0), make_perk(active=False)
    data = {
        k: {"out": str(out.id), "inactive": str(inactive.id)}.get(v, v) for k, v in data.items()
    }
    login(client, co.host)
    before = db_fingerprint()
    for headers in ({}, HTMX):
        response = client.post(
            f"/challenges/{challenge.id}/prizes", data=prize_form(**data), headers=headers
        )
        assert response.status_code == 422
        assert message in field_error(response.text, field)
    assert db_fingerprint() == before


def test_a_prize_comes_off_before_the_start_and_stays_after_it(client, co) -> None:
    challenge = _draft(co)
    prize = services.add_prize(co.host, challenge.id, PrizeFields(rank_from=1, points=100))
    login(client, co.host)
    response = client.post(f"/challenges/{challenge.id}/prizes/{prize.id}/delete", headers=HTMX)
    assert response.status_code == 200 and "Prize removed." in response.headers["HX-Trigger"]
    assert prizes() == 0

    live = _live(co, prizes=[PrizeFields(rank_from=1, points=100)])
    (kept,) = live.prizes
    login(client, co.hr)
    response = client.post(f"/challenges/{live.id}/prizes/{kept.id}/delete")
    assert response.status_code == 409
    assert "prizes can be added, not removed" in response.text
    assert prizes() == 1
    added = client.post(f"/challenges/{live.id}/prizes", data=prize_form(rank_from="2"))
    assert added.status_code == 302
    assert [p.added_after_start for p in live.prizes] == [False, True]


def test_a_prize_of_another_challenge_is_a_404(client, co) -> None:
    mine, other = _draft(co), _draft(co)
    prize = services.add_prize(co.host, other.id, PrizeFields(rank_from=1, points=100))
    login(client, co.host)
    response = client.post(f"/challenges/{mine.id}/prizes/{prize.id}/delete")
    assert response.status_code == 404
    assert prizes() == 1


# Submit, approve, cancel, extend -------------------------------------------------------------


def test_a_managers_challenge_waits_for_hr_who_approves_it_from_the_queue(client, co) -> None:
    challenge = _draft(co)
    services.add_prize(co.host, challenge.id, PrizeFields(rank_from=1, points=100))
    login(client, co.host)
    response = client.post(f"/challenges/{challenge.id}/submit", follow_redirects=True)
    assert "Sent to HR for approval" in response.text
    assert challenge.status == ChallengeStatus.AWAITING_APPROVAL
    assert client.get("/challenges/approvals").status_code == 403
    assert client.post(f"/challenges/{challenge.id}/approve").status_code == 403

    login(client, co.hr)
    queue = client.get("/challenges/approvals").text
    assert "Team referral sprint" not in queue  # (the factory's title)
    assert "December referral sprint" in queue
    assert "Manager Ma's team" in queue and "Rank 1" in queue and "Hosted by Manager Ma" in queue
    response = client.post(f"/challenges/{challenge.id}/approve", headers=HTMX)
    assert response.status_code == 200
    assert 'data-testid="approvals-empty"' in response.text
    assert "is scheduled" in response.headers["HX-Trigger"]
    assert challenge.status == ChallengeStatus.SCHEDULED

    again = client.post(f"/challenges/{challenge.id}/approve")
    assert again.status_code == 409
    assert "not waiting for approval" in again.text


def test_hr_schedules_their_own_challenge_at_once(client, co) -> None:
    challenge = make_challenge(co.hr, schedule=False)
    login(client, co.hr)
    response = client.post(f"/challenges/{challenge.id}/submit", follow_redirects=True)
    assert "The challenge is scheduled" in response.text
    assert challenge.status == ChallengeStatus.SCHEDULED


def test_submitting_twice_is_a_conflict(client, co) -> None:
    challenge = make_challenge(co.host, people_scope=PeopleScope.TEAM)
    login(client, co.host)
    response = client.post(f"/challenges/{challenge.id}/submit")
    assert response.status_code == 409
    assert "Only a draft can be submitted." in response.text


def test_cancelling_needs_a_reason_and_then_everyone_reads_it(client, co) -> None:
    challenge = _draft(co)
    login(client, co.host)
    before = db_fingerprint()
    refused = client.post(f"/challenges/{challenge.id}/cancel", data={"cancel-reason": "  "})
    assert refused.status_code == 422
    assert "Please give a reason." in field_error(refused.text, "cancel-reason")
    assert db_fingerprint() == before
    response = client.post(
        f"/challenges/{challenge.id}/cancel", data={"cancel-reason": "Budget frozen"}
    )
    assert response.status_code == 302
    assert (challenge.status, challenge.cancel_reason) == (
        ChallengeStatus.CANCELLED,
        "Budget frozen",
    )
    again = client.post(f"/challenges/{challenge.id}/cancel", data={"cancel-reason": "Twice"})
    assert again.status_code == 409


def test_a_live_challenge_ends_later_and_never_earlier(client, co) -> None:
    challenge = _live(co)
    end = challenge.ends_at
    login(client, co.hr)
    earlier = local_text(end - timedelta(days=1))
    refused = client.post(f"/challenges/{challenge.id}/extend", data={"extend-ends_at": earlier})
    assert refused.status_code == 422
    assert "later than the current one" in field_error(refused.text, "extend-ends_at")
    too_long = local_text(challenge.starts_at + timedelta(days=93))
    refused = client.post(f"/challenges/{challenge.id}/extend", data={"extend-ends_at": too_long})
    assert "at most a quarter" in field_error(refused.text, "extend-ends_at")
    later = local_text(end + timedelta(days=3))
    response = client.post(f"/challenges/{challenge.id}/extend", data={"extend-ends_at": later})
    assert response.status_code == 302
    assert challenge.ends_at == end.replace(second=0, microsecond=0) + timedelta(days=3)


def test_a_draft_is_edited_not_extended(client, co) -> None:
    challenge = _draft(co)
    login(client, co.host)
    later = local_text(challenge.ends_at + timedelta(days=1))
    response = client.post(f"/challenges/{challenge.id}/extend", data={"extend-ends_at": later})
    assert response.status_code == 409


# Disqualify and reinstate --------------------------------------------------------------------


def test_hr_disqualifies_with_a_reason_and_reinstates_from_the_host_view(client, co) -> None:
    challenge = _live(co)
    entries.join_challenge(co.member, challenge.id)
    login(client, co.hr)
    page = client.get(f"/challenges/{challenge.id}/host").text
    assert "Member Mo" in page and 'data-testid="disqualify"' in page
    path = f"/challenges/{challenge.id}/entrants/{co.member.id}"

    before = db_fingerprint()
    refused = client.post(f"{path}/disqualify", data={"reason": ""}, headers=HTMX)
    assert refused.status_code == 422
    assert 'data-testid="row-error"' in refused.text and "Please give a reason." in refused.text
    assert db_fingerprint() == before

    response = client.post(f"{path}/disqualify", data={"reason": "Referred his own brother"})
    assert response.status_code == 302
    page = client.get(f"/challenges/{challenge.id}/host").text
    assert "Referred his own brother" in page and 'data-testid="reinstate"' in page

    response = client.post(f"{path}/reinstate", headers=HTMX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section class="row')  # the whole host body
    assert 'id="participants"' in response.text
    assert "back in the standings" in response.headers["HX-Trigger"]
    assert 'data-testid="disqualified"' not in response.text


@pytest.mark.parametrize("who", ["host", "other_manager", "employee", "member"])
def test_only_hr_disqualifies(client, co, who) -> None:
    challenge = make_challenge(co.host, people_scope=PeopleScope.TEAM)
    services.approve_challenge(co.hr, challenge.id)
    entries.join_challenge(co.member, challenge.id)
    login(client, co.user(who))
    if who == "host":
        assert 'data-testid="disqualify"' not in client.get(f"/challenges/{challenge.id}/host").text
    before = db_fingerprint()
    path = f"/challenges/{challenge.id}/entrants/{co.member.id}/disqualify"
    assert client.post(path, data={"reason": "No"}).status_code == 403
    assert db_fingerprint() == before


def test_unknown_people_and_challenges_are_404(client, co) -> None:
    challenge = _live(co)
    entries.join_challenge(co.member, challenge.id)
    login(client, co.hr)
    before = db_fingerprint()
    for path in (
        f"/challenges/{challenge.id}/entrants/987654/disqualify",
        f"/challenges/{challenge.id}/entrants/{co.teammate.id}/disqualify",  # not in it
        f"/challenges/987654/entrants/{co.member.id}/disqualify",
        "/challenges/987654/approve",
        "/challenges/987654/submit",
        "/challenges/987654/prizes",
    ):
        assert client.post(path, data={"reason": "x"}).status_code == 404, path
    assert client.get("/challenges/987654/host").status_code == 404
    assert client.get("/challenges/987654/edit").status_code == 404
    assert db_fingerprint() == before


def test_a_cancelled_challenge_takes_no_more_prizes_and_says_so(client, co) -> None:
    challenge = _draft(co)
    services.cancel_challenge(co.host, challenge.id, "Budget frozen")
    login(client, co.host)
    before = db_fingerprint()
    response = client.post(f"/challenges/{challenge.id}/prizes", data=prize_form())
    assert response.status_code == 409
    assert "takes no more prizes" in response.text.split('data-testid="page-error"')[1]
    htmx = client.post(f"/challenges/{challenge.id}/prizes", data=prize_form(), headers=HTMX)
    assert htmx.status_code == 409 and "takes no more prizes" in htmx.headers["HX-Trigger"]
    assert db_fingerprint() == before
