"""The challenge pages everyone reads: who sees which challenge, "count me in", the board at
once after a referral moves, the frozen final, and 404s that read like missing challenges."""

from __future__ import annotations

import re

import pytest

from community.challenges import services
from community.challenges.models import ChallengeEntrant, ChallengeStatus
from community.challenges.rules import PrizeFields
from community.extensions import db
from community.pipeline import Stage
from tests.challenges.conftest import Cast, live, sales_challenge
from tests.challenges.factories import make_challenge
from tests.pipeline import advance
from tests.referrals.factories import make_referral

MISSING = 987654
ROLES = ["member", "outsider", "host", "other_manager", "hr"]


def text(response) -> str:  # noqa: ANN001
    return response.get_data(as_text=True)


def login(auth, user) -> None:  # noqa: ANN001
    """Log in as `user`, whoever was logged in before."""
    auth.logout()
    assert auth.login(user).status_code == 302


def entrant(challenge_id: int, user_id: int) -> ChallengeEntrant | None:
    return (
        db.session.query(ChallengeEntrant)
        .filter_by(challenge_id=challenge_id, user_id=user_id)
        .first()
    )


# Who sees what ------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, cast: Cast) -> None:
    challenge = sales_challenge(cast)
    for path in (
        "/challenges/",
        f"/challenges/{challenge.id}",
        f"/challenges/{challenge.id}/screen",
    ):
        response = client.get(path)
        assert response.status_code == 302 and response.location.startswith("/login?next=")
    response = client.post(f"/challenges/{challenge.id}/join")
    assert response.status_code == 302 and response.location.startswith("/login?next=")
    assert entrant(challenge.id, cast.member.id) is None


@pytest.mark.parametrize("who", ROLES)
def test_every_role_reads_a_published_challenge(client, auth, cast: Cast, who: str) -> None:
    challenge = sales_challenge(cast)
    auth.login(cast.user(who))
    for path in (
        "/challenges/",
        f"/challenges/{challenge.id}",
        f"/challenges/{challenge.id}/screen",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "December referral sprint" in text(response)


@pytest.mark.parametrize(
    ("who", "note"),
    [
        ("member", "Count me in"),
        ("outsider", "You are not in this challenge's scope."),
        ("other_manager", "You are not in this challenge's scope."),
        ("host", "You host this challenge, so you do not compete in it."),
        ("hr", "HR runs the challenges and does not compete in them."),
    ],
)
def test_each_role_reads_where_they_stand(client, auth, cast: Cast, who: str, note: str) -> None:
    challenge = sales_challenge(cast)
    auth.login(cast.user(who))
    page = text(client.get(f"/challenges/{challenge.id}"))
    assert note in page
    assert ('data-testid="join-button"' in page) == (who == "member")


@pytest.mark.parametrize("status", ["draft", "awaiting"])
def test_unpublished_challenges_are_the_hosts_and_hrs_only(
    client, auth, cast: Cast, status: str
) -> None:
    challenge = make_challenge(
        cast.host,
        schedule=status == "awaiting",
        people_scope="departments",
        department_ids=[cast.sales.id],
        title="秘密草稿",
        title_en="Secret draft",
    )
    paths = [f"/challenges/{challenge.id}", f"/challenges/{challenge.id}/screen"]
    for who in ("member", "outsider", "other_manager"):
        login(auth, cast.user(who))
        assert "Secret draft" not in text(client.get("/challenges/"))
        for path in paths:
            theirs = client.get(path)
            missing = client.get(path.replace(str(challenge.id), str(MISSING)))
            assert theirs.status_code == missing.status_code == 404
        assert client.post(f"/challenges/{challenge.id}/join").status_code == 404
        assert entrant(challenge.id, cast.user(who).id) is None
    for who in ("host", "hr"):
        login(auth, cast.user(who))
        listing = text(client.get("/challenges/"))
        assert "Secret draft" in listing and 'data-testid="section-unpublished"' in listing
        page = text(client.get(f"/challenges/{challenge.id}"))
        assert "Only the host and HR see this challenge until it is approved." in page


def test_a_challenge_cancelled_before_approval_stays_hidden(client, auth, cast: Cast) -> None:
    challenge = make_challenge(
        cast.host, people_scope="departments", department_ids=[cast.sales.id], title_en="Dropped"
    )
    services.cancel_challenge(cast.host, challenge.id, "Wrong dates")
    auth.login(cast.member)
    assert client.get(f"/challenges/{challenge.id}").status_code == 404
    assert "Dropped" not in text(client.get("/challenges/"))
    login(auth, cast.host)
    assert "Wrong dates" in text(client.get("/challenges/"))


def test_a_cancelled_challenge_shows_its_reason_to_everyone(client, auth, cast: Cast) -> None:
    challenge = sales_challenge(cast)
    services.cancel_challenge(cast.hr, challenge.id, "The hiring freeze came early")
    auth.login(cast.outsider)
    listing = text(client.get("/challenges/"))
    assert 'data-testid="section-cancelled"' in listing
    assert "The hiring freeze came early" in listing
    page = text(client.get(f"/challenges/{challenge.id}"))
    assert 'data-testid="cancelled-note"' in page and "The hiring freeze came early" in page
    assert "Hana HR cancelled the challenge" in page


@pytest.mark.parametrize(
    "path", [f"/challenges/{MISSING}", f"/challenges/{MISSING}/screen", "/challenges/abc"]
)
def test_unknown_and_forged_ids_are_404(client, auth, cast: Cast, path: str) -> None:
    auth.login(cast.hr)
    assert client.get(path).status_code == 404
    assert client.post(f"/challenges/{MISSING}/join").status_code == 404


# Joining --------------------------------------------------------------------------------------


def test_count_me_in_once_or_twice(client, auth, cast: Cast) -> None:
    challenge = sales_challenge(cast)
    auth.login(cast.member)
    for _ in range(2):
        response = client.post(f"/challenges/{challenge.id}/join")
        assert response.status_code == 302
        assert response.location == f"/challenges/{challenge.id}"
    joined = entrant(challenge.id, cast.member.id)
    assert joined is not None and joined.joined_at is not None
    page = text(client.get(f"/challenges/{challenge.id}"))
    assert "You are in. Every referral you make in the window counts." in page
    assert 'data-testid="join-button"' not in page
    assert "Your first referral that counts puts you on the board." in page


@pytest.mark.parametrize("who", ["outsider", "other_manager", "hr", "host"])
def test_joining_out_of_scope_is_refused_with_a_reason(client, auth, cast: Cast, who) -> None:
    challenge = sales_challenge(cast)
    auth.login(cast.user(who))
    response = client.post(f"/challenges/{challenge.id}/join")
    assert response.status_code == 403
    assert "This challenge is for other people: you are not in its scope." in text(response)
    assert entrant(challenge.id, cast.user(who).id) is None
    htmx = client.post(f"/challenges/{challenge.id}/join", headers={"HX-Request": "true"})
    assert htmx.status_code == 403 and htmx.headers["HX-Reswap"] == "none"
    assert "not in its scope" in htmx.headers["HX-Trigger"]


def test_joining_needs_the_csrf_token(client, auth, cast: Cast) -> None:
    challenge = sales_challenge(cast)
    auth.login(cast.member)
    assert client.post(f"/challenges/{challenge.id}/join", csrf=False).status_code == 400
    assert entrant(challenge.id, cast.member.id) is None


def test_a_final_challenge_takes_no_entries(client, auth, cast: Cast) -> None:
    challenge = sales_challenge(cast)
    from community.challenges import lifecycle

    lifecycle.keep_time(challenge.settles_at)
    db.session.refresh(challenge)
    assert challenge.status == ChallengeStatus.FINAL
    auth.login(cast.member)
    assert "This challenge no longer takes new entries." in text(
        client.get(f"/challenges/{challenge.id}")
    )
    response = client.post(f"/challenges/{challenge.id}/join")
    assert response.status_code == 409 and "not open to join" in text(response)


# The board ------------------------------------------------------------------------------------


def test_a_referral_moved_is_on_the_page_at_once(client, auth, cast: Cast) -> None:
    challenge = sales_challenge(
        cast, prizes=[PrizeFields(kind="threshold", threshold=500, points=50)]
    )
    referral = make_referral(cast.member)
    advance(referral, Stage.SCREENING, cast.hr)
    score = entrant(challenge.id, cast.member.id).score
    assert score > 0
    auth.login(cast.member)
    page = text(client.get(f"/challenges/{challenge.id}"))
    assert re.search(r'data-testid="my-rank-number">#1<', page)
    assert f'data-testid="my-score">{score} points<' in page
    assert re.search(rf'data-testid="board-score">{score}<', page)
    assert f"{score} of 500" in page  # the way to the threshold prize
    login(auth, cast.outsider)
    assert "Mia Member" in text(client.get(f"/challenges/{challenge.id}/screen"))


def test_the_list_shows_my_rank_in_a_running_challenge(client, auth, cast: Cast) -> None:
    challenge = sales_challenge(cast)
    advance(make_referral(cast.member), Stage.SCREENING, cast.hr)
    auth.login(cast.member)
    listing = text(client.get("/challenges/"))
    assert 'data-testid="section-running"' in listing
    assert "My rank: #1" in listing
    assert "People in Sales" in listing
    assert f'href="/challenges/{challenge.id}"' in listing


def test_the_board_fragment_for_htmx(client, auth, cast: Cast) -> None:
    challenge = sales_challenge(cast)
    advance(make_referral(cast.member), Stage.SCREENING, cast.hr)
    auth.login(cast.outsider)
    for path, root in (
        (f"/challenges/{challenge.id}", 'id="challenge-board"'),
        (f"/challenges/{challenge.id}/screen", 'id="screen-board"'),
    ):
        fragment = client.get(path, headers={"HX-Request": "true"})
        body = text(fragment)
        assert fragment.status_code == 200 and body.lstrip().startswith("<section") and root in body
        assert "<html" not in body and "Mia Member" in body
        assert "HX-Request" in fragment.headers["Vary"]


def test_the_screen_refreshes_itself_and_has_no_navigation(client, auth, cast: Cast) -> None:
    challenge = sales_challenge(cast)
    auth.login(cast.member)
    page = text(client.get(f"/challenges/{challenge.id}/screen"))
    assert 'hx-trigger="every 30s"' in page and "<nav" not in page
    assert 'data-testid="countdown"' in page and 'data-testid="screen-prizes"' in page


def test_redis_away_leaves_the_pages_standing(client, auth, cast: Cast, own_redis) -> None:
    challenge = sales_challenge(cast)
    auth.login(cast.member)
    own_redis.stop()
    for path in (
        "/challenges/",
        f"/challenges/{challenge.id}",
        f"/challenges/{challenge.id}/screen",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
    assert 'data-testid="board-unavailable"' in text(client.get(f"/challenges/{challenge.id}"))
    assert "temporarily unavailable" in text(client.get(f"/challenges/{challenge.id}/screen"))


def test_a_scheduled_challenge_counts_down_to_its_start(client, auth, cast: Cast) -> None:
    from datetime import timedelta

    from community.core.time import utcnow

    start = utcnow() + timedelta(days=2, hours=5, minutes=30)
    challenge = make_challenge(cast.hr, starts_at=start, ends_at=start + timedelta(days=7))
    assert live(challenge).status == ChallengeStatus.SCHEDULED
    auth.login(cast.member)
    page = text(client.get(f"/challenges/{challenge.id}"))
    assert "Starts in 2 days 5 hours" in page
    assert "The board opens when the challenge starts." in page
    assert 'data-testid="join-button"' in page
    listing = text(client.get("/challenges/"))
    assert 'data-testid="section-upcoming"' in listing


def test_the_list_names_the_jobs_a_challenge_counts(client, auth, cast: Cast) -> None:
    from tests.factories import make_job

    job = make_job(title="支付工程师", title_en="Payments engineer")
    live(make_challenge(cast.hr, job_ids=[job.id], job_families=["engineering"]))
    auth.login(cast.member)
    listing = text(client.get("/challenges/"))
    assert "Referrals to Payments engineer, in the families Engineering" in listing
