"""The mentoring pages over HTTP: who sees and does what (anonymous, employee, mentor, mentee,
another employee, the mentee's manager, HR), bad input answered in the reader's language with
nothing written, and user text rendered safely."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community.core.time import local_today
from community.extensions import db
from community.mentoring import pairings, services
from community.mentoring.models import CheckInNote, MentorOffer, Pairing, PairingStatus
from tests.factories import make_user
from tests.mentoring.conftest import Cast
from tests.mentoring.factories import make_pairing
from tests.security.test_user_content import IMG_NAME, MARKDOWN_ATTACKS, assert_safe_html

SECRET = "Secret check-in about 张三's interview"


@pytest.fixture
def auth(auth):  # noqa: ANN001, ANN201
    """Log in as someone else: the login page turns a signed-in person away, so sign out first."""
    login = auth.login

    def switch(user):  # noqa: ANN001, ANN202
        auth.logout()
        return login(user)

    auth.login = switch
    return auth


def _count(model) -> int:  # noqa: ANN001
    return db.session.scalar(select(func.count(model.id)))


@pytest.fixture
def pairing(cast: Cast) -> Pairing:
    pairing = make_pairing(cast.mentor, cast.newcomer)
    pairings.add_note(cast.mentor, pairing.id, SECRET)
    return pairing


def test_anonymous_is_sent_to_log_in(client, pairing: Pairing) -> None:  # noqa: ANN001
    for path in (
        "/mentoring/",
        f"/mentoring/pairings/{pairing.id}",
        "/mentoring/hr",
        "/mentoring/offer",
    ):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.post(
        f"/mentoring/pairings/{pairing.id}/notes", data={"body": "x"}
    ).status_code in (302, 401)
    assert _count(CheckInNote) == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [("mentor", 200), ("newcomer", 200), ("hr", 200), ("other", 404), ("manager", 404)],
)
def test_the_pairing_page_is_the_pairs_and_hrs(
    client, auth, cast: Cast, pairing: Pairing, who, status
) -> None:  # noqa: ANN001
    auth.login(cast.user(who))
    response = client.get(f"/mentoring/pairings/{pairing.id}")
    assert response.status_code == status
    assert (SECRET in response.text) == (status == 200)
    missing = client.get("/mentoring/pairings/987654")
    assert missing.status_code == 404
    if status == 404:
        assert "Mei Mentor" not in response.text and "Nina Newcomer" not in response.text


@pytest.mark.parametrize("who", ["other", "manager", "hr"])
def test_only_the_pair_write_check_ins(client, auth, cast: Cast, pairing: Pairing, who) -> None:  # noqa: ANN001
    auth.login(cast.user(who))
    response = client.post(f"/mentoring/pairings/{pairing.id}/notes", data={"body": "peek"})
    assert response.status_code == (403 if who == "hr" else 404)
    assert _count(CheckInNote) == 1


def test_a_check_in_through_htmx_returns_the_notes(
    client, auth, cast: Cast, pairing: Pairing
) -> None:  # noqa: ANN001
    auth.login(cast.newcomer)
    response = client.post(
        f"/mentoring/pairings/{pairing.id}/notes",
        data={"body": "Next: **tailor** the résumé"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "<strong>tailor</strong>" in response.text and 'id="notes-block"' in response.text
    assert "<html" not in response.text
    empty = client.post(
        f"/mentoring/pairings/{pairing.id}/notes",
        data={"body": " "},
        headers={"HX-Request": "true"},
    )
    assert empty.status_code == 422 and "Please fill this in." in empty.text
    assert _count(CheckInNote) == 2


def test_the_mentor_sees_only_what_the_mentee_shares(
    client, auth, cast: Cast, pairing: Pairing
) -> None:  # noqa: ANN001
    auth.login(cast.mentor)
    assert 'data-testid="progress-hidden"' in client.get(f"/mentoring/pairings/{pairing.id}").text
    assert (
        client.post(
            f"/mentoring/pairings/{pairing.id}/sharing", data={"share_stages": "y"}
        ).status_code
        == 403
    )
    auth.login(cast.newcomer)
    client.post(f"/mentoring/pairings/{pairing.id}/sharing", data={"share_stages": "y"})
    auth.login(cast.mentor)
    page = client.get(f"/mentoring/pairings/{pairing.id}").text
    assert 'data-testid="progress-stages"' in page and 'data-testid="progress-count"' not in page


def test_a_newcomer_asks_through_the_pages_and_the_mentor_accepts(client, auth, cast: Cast) -> None:  # noqa: ANN001
    auth.login(cast.newcomer)
    assert 'data-testid="ask-mentor"' in client.get("/mentoring/").text
    empty = client.post(f"/mentoring/mentors/{cast.mentor.id}", data={"message": ""})
    assert empty.status_code == 422 and "Please fill this in." in empty.text
    assert _count(Pairing) == 0
    sent = client.post(f"/mentoring/mentors/{cast.mentor.id}", data={"message": "我想学内推"})
    assert sent.status_code == 302
    pairing = db.session.scalars(select(Pairing)).one()
    assert client.post(f"/mentoring/pairings/{pairing.id}/accept").status_code == 404
    auth.login(cast.mentor)
    assert "我想学内推" in client.get("/mentoring/").text
    assert client.post(f"/mentoring/pairings/{pairing.id}/accept").status_code == 302
    db.session.refresh(pairing)
    assert pairing.status == PairingStatus.ACTIVE
    assert client.post(f"/mentoring/pairings/{pairing.id}/accept").status_code == 409


def test_an_employee_without_experience_cannot_offer(client, auth, cast: Cast) -> None:  # noqa: ANN001
    auth.login(cast.other)
    assert 'data-testid="not-eligible"' in client.get("/mentoring/offer").text
    response = client.post("/mentoring/offer", data={"topics": "简历", "capacity": "2"})
    assert response.status_code == 403
    assert _count(MentorOffer) == 1  # the cast's mentor's own


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"topics": "", "capacity": "2"}, "Name at least one topic"),
        ({"topics": "简历", "capacity": "abc"}, "Capacity is a whole number"),
        ({"topics": "简历", "capacity": "99"}, "Capacity is a whole number"),
        ({"topics": "简历", "capacity": "2", "about": "x" * 2001}, "Too long"),
    ],
)
def test_bad_offers_say_what_is_wrong(client, auth, cast: Cast, data, message) -> None:  # noqa: ANN001
    auth.login(cast.mentor)
    response = client.post("/mentoring/offer", data=data)
    assert response.status_code == 422 and message in response.text
    assert services.offer_of(cast.mentor.id).topics == ["简历", "Interviews"]


def test_offer_status_and_a_bad_status(client, auth, cast: Cast) -> None:  # noqa: ANN001
    auth.login(cast.mentor)
    assert client.post("/mentoring/offer/status", data={"status": "paused"}).status_code == 302
    assert client.post("/mentoring/offer/status", data={"status": "bogus"}).status_code == 422
    db.session.expire_all()
    assert services.offer_of(cast.mentor.id).status == "paused"


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        (
            {"goal": "", "goal_due_on": "2099-01-01", "ends_on": "2099-02-01"},
            422,
            "Please fill this in.",
        ),
        (
            {"goal": "ok", "goal_due_on": "not a date", "ends_on": "2099-02-01"},
            422,
            "Give the goal a due date.",
        ),
        (
            {"goal": "ok", "goal_due_on": "2099-03-01", "ends_on": "2099-02-01"},
            422,
            "after the pairing ends",
        ),
        ({"goal": "ok", "goal_due_on": "2099-01-01", "ends_on": "2000-01-01"}, 422, "after today"),
    ],
)
def test_bad_goals_say_what_is_wrong(
    client, auth, cast: Cast, pairing: Pairing, data, status, message
) -> None:  # noqa: ANN001
    auth.login(cast.mentor)
    response = client.post(f"/mentoring/pairings/{pairing.id}/goal", data=data)
    assert response.status_code == status and message in response.text
    db.session.refresh(pairing)
    assert pairing.goal == ""


@pytest.mark.parametrize(
    ("who", "status"),
    [("mentor", 302), ("newcomer", 302), ("hr", 302), ("other", 404), ("manager", 404)],
)
def test_marking_the_goal_reached_is_the_pairs_and_hrs(
    client, auth, cast: Cast, pairing: Pairing, who, status
) -> None:  # noqa: ANN001
    path = f"/mentoring/pairings/{pairing.id}/goal-reached"
    auth.login(cast.mentor)
    no_goal = client.post(path)
    assert no_goal.status_code == 409 and "Set a goal first." in no_goal.text
    today = local_today()
    pairings.set_goal(
        cast.mentor, pairing.id, "A first referral", today, today + timedelta(days=30)
    )
    auth.login(cast.user(who))
    assert client.post(path).status_code == status
    db.session.refresh(pairing)
    assert (pairing.goal_reached_at is not None) == (status == 302)
    if status == 302:
        again = client.post(path)
        assert again.status_code == 409 and "The goal is already reached." in again.text
    assert client.post("/mentoring/pairings/987654/goal-reached").status_code == 404


def test_ending_through_the_page(client, auth, cast: Cast, pairing: Pairing) -> None:  # noqa: ANN001
    auth.login(cast.manager)
    assert (
        client.post(
            f"/mentoring/pairings/{pairing.id}/end", data={"outcome": "stopped"}
        ).status_code
        == 404
    )
    auth.login(cast.mentor)
    bad = client.post(f"/mentoring/pairings/{pairing.id}/end", data={"outcome": "bogus"})
    assert bad.status_code == 422 and "Choose how it went." in bad.text
    assert (
        client.post(
            f"/mentoring/pairings/{pairing.id}/end", data={"outcome": "completed"}
        ).status_code
        == 302
    )
    page = client.get(f"/mentoring/pairings/{pairing.id}").text
    assert 'data-testid="ended-card"' in page and 'data-testid="note-form"' not in page


@pytest.mark.parametrize("who", ["newcomer", "mentor", "manager", "other"])
def test_the_hr_page_is_hrs(client, auth, cast: Cast, who) -> None:  # noqa: ANN001
    auth.login(cast.user(who))
    assert client.get("/mentoring/hr").status_code == 403
    assert (
        client.post(
            "/mentoring/hr/pair", data={"mentor_id": cast.mentor.id, "mentee_id": cast.other.id}
        ).status_code
        == 403
    )
    assert _count(Pairing) == 0


def test_hr_pairs_through_the_page(client, auth, cast: Cast) -> None:  # noqa: ANN001
    auth.login(cast.hr)
    page = client.get("/mentoring/hr").text
    assert "Mei Mentor" in page and "Nina Newcomer" in page
    bad = client.post(
        "/mentoring/hr/pair", data={"mentor_id": "", "mentee_id": str(cast.newcomer.id)}
    )
    assert bad.status_code == 422 and "Choose a mentor." in bad.text
    forged = client.post(
        "/mentoring/hr/pair", data={"mentor_id": "987654", "mentee_id": str(cast.newcomer.id)}
    )
    assert forged.status_code == 409
    assert _count(Pairing) == 0
    ok = client.post(
        "/mentoring/hr/pair",
        data={
            "mentor_id": str(cast.mentor.id),
            "mentee_id": str(cast.newcomer.id),
            "goal": "First referral",
        },
    )
    assert ok.status_code == 302
    assert db.session.scalars(select(Pairing)).one().goal == "First referral"


def test_user_text_is_safe_on_every_mentoring_page(client, auth, cast: Cast) -> None:  # noqa: ANN001
    attack = "\n\n".join(MARKDOWN_ATTACKS)
    villain = make_user(name="Villain", display_name=IMG_NAME)
    services.save_offer(cast.mentor, "<script>x</script>, 简历", attack[:2000], 3)
    pairing = services.request_mentor(villain, cast.mentor.id, IMG_NAME)
    services.accept_request(cast.mentor, pairing.id)
    pairings.set_goal(
        cast.mentor,
        pairing.id,
        "<script>alert(1)</script>",
        local_today(),
        local_today().replace(year=2099),
    )
    for body in MARKDOWN_ATTACKS:
        pairings.add_note(villain, pairing.id, body)
    auth.login(cast.mentor)
    for path in (
        "/mentoring/",
        f"/mentoring/pairings/{pairing.id}",
        f"/mentoring/mentors/{cast.mentor.id}",
    ):
        page = client.get(path).text
        assert "<script>alert" not in page and "<script>x" not in page
        assert "<img src=x" not in page and "<svg" not in page and "<iframe" not in page
    page = client.get(f"/mentoring/pairings/{pairing.id}").text
    for note in re.findall(r'data-testid="note">(.*?)</li>', page, re.S):
        assert_safe_html(note.split('<div class="text-break">', 1)[1].rsplit("</div>", 1)[0])
    auth.login(cast.hr)
    assert "<img src=x" not in client.get("/mentoring/hr").text
