"""Section 9: nobody but the referrer and HR sees a referral, its candidate or its resume."""

from __future__ import annotations

import pytest

from community.accounts.models import Role
from community.extensions import db
from community.referrals.models import Stage
from tests.factories import make_user
from tests.referrals.factories import make_referral


@pytest.fixture
def referral():
    return make_referral(
        referrer=make_user(name="Referrer Rita"), email="secret.candidate@example.org"
    )


def as_role(auth, role_name, referral):
    """Log in as one of: referrer, other employee, manager, hr, anonymous."""
    if role_name == "anonymous":
        return None
    user = {
        "referrer": lambda: referral.referrer,
        "other": lambda: make_user(),
        "manager": lambda: make_user(role=Role.MANAGER),
        "hr": lambda: make_user(role=Role.HR),
    }[role_name]()
    auth.login(user)
    return user


VIEW_EXPECTED = {"referrer": 200, "other": 404, "manager": 404, "hr": 200}


@pytest.mark.parametrize("who", ["referrer", "other", "manager", "hr", "anonymous"])
def test_detail_page(client, auth, referral, who):
    as_role(auth, who, referral)
    response = client.get(f"/referrals/{referral.id}")
    if who == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
        return
    assert response.status_code == VIEW_EXPECTED[who]
    if response.status_code == 404:
        assert "secret.candidate" not in response.text
    else:
        assert "secret.candidate@example.org" in response.text
    # Internal notes and stage actions are for HR only.
    assert ('data-testid="stage-actions"' in response.text) == (who == "hr")


@pytest.mark.parametrize("who", ["referrer", "other", "manager", "hr", "anonymous"])
def test_resume_download(client, auth, referral, who):
    as_role(auth, who, referral)
    response = client.get(f"/referrals/{referral.id}/resume")
    if who == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == VIEW_EXPECTED[who]
    if response.status_code == 200:
        assert response.data.startswith(b"%PDF-")
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert "resume.pdf" in response.headers["Content-Disposition"]
        assert response.mimetype == "application/pdf"


def test_a_missing_referral_looks_the_same_as_someone_elses(client, auth, referral):
    auth.login(make_user())
    assert client.get("/referrals/999999").status_code == 404
    assert client.get("/referrals/999999/resume").status_code == 404


@pytest.mark.parametrize(
    "who,expected",
    [("referrer", 403), ("other", 403), ("manager", 403), ("hr", 302), ("anonymous", 302)],
)
def test_advance(client, auth, referral, who, expected):
    as_role(auth, who, referral)
    response = client.post(
        f"/referrals/{referral.id}/advance",
        data={"to_stage": "screening", "expected_from": "submitted"},
    )
    assert response.status_code == expected
    db.session.refresh(referral)
    assert referral.stage == (Stage.SCREENING if who == "hr" else Stage.SUBMITTED)


@pytest.mark.parametrize(
    "who,expected",
    [("referrer", 403), ("other", 403), ("manager", 403), ("hr", 200), ("anonymous", 302)],
)
def test_queue(client, auth, referral, who, expected):
    as_role(auth, who, referral)
    response = client.get("/referrals/queue")
    assert response.status_code == expected


@pytest.mark.parametrize(
    "who,expected", [("referrer", 403), ("other", 403), ("manager", 403), ("anonymous", 302)]
)
def test_left_company_is_hr_only(client, auth, referral, who, expected):
    as_role(auth, who, referral)
    response = client.post(f"/referrals/{referral.id}/left", data={"left_on": "2020-01-01"})
    assert response.status_code == expected


@pytest.mark.parametrize(
    "who,expected_status,withdrawn",
    [
        ("referrer", 302, True),
        ("other", 404, False),
        ("manager", 404, False),
        ("hr", 302, True),
        ("anonymous", 302, False),
    ],
)
def test_withdraw(client, auth, referral, who, expected_status, withdrawn):
    as_role(auth, who, referral)
    response = client.post(
        f"/referrals/{referral.id}/withdraw", data={"reason": "Accepted another offer"}
    )
    assert response.status_code == expected_status
    db.session.refresh(referral)
    assert (referral.stage == Stage.WITHDRAWN) is withdrawn


def test_withdraw_without_reason_is_422(client, auth, referral):
    auth.login(referral.referrer)
    response = client.post(f"/referrals/{referral.id}/withdraw", data={"reason": " "})
    assert response.status_code == 422
    assert "give a reason" in response.text


def test_my_referrals_lists_only_my_own(client, auth, referral):
    mine = make_referral(referrer=make_user(), email="mine@example.org")
    auth.login(mine.referrer)
    page = client.get("/referrals/mine")
    assert page.status_code == 200
    assert mine.candidate.name in page.text
    assert referral.candidate.name not in page.text


def test_state_changes_without_csrf_token_are_refused(client, auth, referral):
    auth.login(make_user(role=Role.HR))
    for path, data in (
        (f"/referrals/{referral.id}/advance", {"to_stage": "screening"}),
        (f"/referrals/{referral.id}/withdraw", {"reason": "x"}),
        (f"/referrals/{referral.id}/left", {"left_on": "2020-01-01"}),
    ):
        assert client.post(path, data=data, csrf=False).status_code == 400
    db.session.refresh(referral)
    assert referral.stage == Stage.SUBMITTED
