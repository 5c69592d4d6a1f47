"""Issue 11 §16: a hiring manager follows the referrals to the jobs they hire for (read-only) and
adds interview feedback for HR where the program rules allow; nothing outside their jobs, and
never on a referral they made themselves."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from community.accounts.models import Role
from community.extensions import db
from community.notifications.models import Notification
from community.notifications.queries import message_for
from community.program.models import DEFAULT_STAGE_POINTS
from community.program.services import save_rules
from community.referrals import services
from community.referrals.models import InterviewFeedback, Referral, Stage
from tests.factories import make_job, make_user
from tests.referrals.factories import make_referral


def hiring_ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'id="hiring-referral-(\d+)"', html)]


def feedback_count() -> int:
    return db.session.scalar(select(func.count()).select_from(InterviewFeedback))


def set_feedback_rule(hr, allowed: bool) -> None:
    save_rules(
        hr,
        all_departments_eligible=True,
        ownership_window_days=180,
        bonus_split={"hired": 30, "probation_passed": 70},
        stage_points=dict(DEFAULT_STAGE_POINTS),
        review_sla_days=3,
        hiring_managers_give_interview_feedback=allowed,
    )


@pytest.fixture
def manager():
    return make_user(role=Role.MANAGER, name="Mona Manager")


@pytest.fixture
def own_job(manager):
    return make_job(title="Payments Engineer", hiring_manager=manager)


@pytest.fixture
def referral(own_job, hr) -> Referral:
    """A referral to the manager's job, with HR's feedback to the referrer and an internal note."""
    referral = make_referral(
        referrer=make_user(name="Rita Referrer"),
        job=own_job,
        candidate_name="Carla Candidate",
        email="carla@mail.example",
    )
    services.advance_stage(
        referral,
        Stage.INTERVIEWING,
        hr,
        feedback="Strong profile, interviews next week.",
        internal_note="Salary expectations above band.",
    )
    return referral


def test_a_manager_sees_exactly_the_referrals_to_their_jobs(client, auth, hr, manager, own_job):
    second_job = make_job(title="Risk Analyst", hiring_manager=manager)
    mine = [make_referral(job=own_job), make_referral(job=second_job)]
    other_manager = make_user(role=Role.MANAGER)
    elsewhere = make_referral(job=make_job(hiring_manager=other_manager))
    unassigned = make_referral(job=make_job())
    own_referral = make_referral(referrer=manager, job=own_job)
    rejected = make_referral(job=own_job)
    services.advance_stage(rejected, Stage.REJECTED, hr, reason="Not a fit")

    auth.login(manager)
    page = client.get("/referrals/hiring")
    assert page.status_code == 200
    assert sorted(hiring_ids(page.text)) == sorted(r.id for r in mine)
    for hidden in (elsewhere, unassigned, own_referral, rejected):
        assert hidden.candidate.name not in page.text
    # Closed ones are a filter away, and only their own jobs can be chosen.
    assert hiring_ids(client.get("/referrals/hiring?stage=rejected").text) == [rejected.id]
    assert hiring_ids(client.get(f"/referrals/hiring?job={second_job.id}").text) == [mine[1].id]
    other_job = elsewhere.job_id
    assert sorted(hiring_ids(client.get(f"/referrals/hiring?job={other_job}").text)) == sorted(
        r.id for r in mine
    )
    # Another manager sees theirs only.
    auth.logout()
    auth.login(other_manager)
    assert hiring_ids(client.get("/referrals/hiring").text) == [elsewhere.id]


def test_a_manager_without_jobs_is_told_how_they_get_some(client, auth, manager):
    make_referral()
    auth.login(manager)
    page = client.get("/referrals/hiring")
    assert page.status_code == 200
    assert 'data-testid="hiring-no-jobs"' in page.text and hiring_ids(page.text) == []


def test_an_employee_gets_403_even_if_still_named_on_a_job(client, auth):
    employee = make_user()
    job = make_job(hiring_manager=employee)  # named before a change of role
    referral = make_referral(job=job)
    auth.login(employee)
    assert client.get("/referrals/hiring").status_code == 403
    assert client.get(f"/referrals/{referral.id}").status_code == 404
    assert 'data-testid="nav-hiring"' not in client.get("/jobs/").text


def test_hr_is_unaffected(client, auth, hr, referral):
    auth.login(hr)
    assert client.get("/referrals/queue").status_code == 200
    page = client.get(f"/referrals/{referral.id}")
    assert 'data-testid="stage-actions"' in page.text
    assert 'data-testid="internal-note"' in page.text
    assert 'data-testid="interview-feedback-form"' not in page.text  # HR is not the hiring manager
    assert 'data-testid="nav-hiring"' not in page.text


def test_the_manager_follows_a_referral_read_only(client, auth, manager, referral):
    auth.login(manager)
    page = client.get(f"/referrals/{referral.id}")
    assert page.status_code == 200
    text = page.text
    assert "Carla Candidate" in text and "carla@mail.example" in text
    assert 'data-testid="stage-badge"' in text and 'data-testid="timeline"' in text
    assert "Strong profile, interviews next week." in text  # HR's feedback, meant to be shared
    assert "Salary expectations above band." not in text  # HR's internal note is not
    for hr_only in ("stage-actions", "stage-form", "withdraw-form", "referral-payouts"):
        assert f'data-testid="{hr_only}"' not in text
    assert "Follow the bonus payouts" not in text
    # The breadcrumb leads back to their list.
    assert '<li class="breadcrumb-item"><a href="/referrals/hiring">' in text
    assert 'data-testid="interview-feedback-form"' in text
    assert client.get(f"/referrals/{referral.id}/resume").status_code == 200


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("advance", {"to_stage": "offer", "expected_from": "interviewing"}),
        ("withdraw", {"reason": "Because"}),
        ("left", {"left_on": "2026-01-01"}),
    ],
)
def test_the_manager_never_moves_a_referral(client, auth, manager, referral, path, data):
    auth.login(manager)
    response = client.post(f"/referrals/{referral.id}/{path}", data=data)
    assert response.status_code == 403
    db.session.refresh(referral)
    assert referral.stage == Stage.INTERVIEWING


def test_nothing_outside_their_jobs(client, auth, manager, own_job):
    other = make_referral(job=make_job(hiring_manager=make_user(role=Role.MANAGER)))
    unassigned = make_referral(job=make_job())
    auth.login(manager)
    for referral in (other, unassigned):
        assert client.get(f"/referrals/{referral.id}").status_code == 404
        assert client.get(f"/referrals/{referral.id}/resume").status_code == 404
        response = client.post(
            f"/referrals/{referral.id}/interview-feedback", data={"body": "Sneaky"}
        )
        assert response.status_code == 404
    assert feedback_count() == 0


def test_their_own_referral_is_seen_as_its_referrer_only(client, auth, manager, own_job):
    referral = make_referral(referrer=manager, job=own_job, candidate_name="Friend Fang")
    auth.login(manager)
    page = client.get(f"/referrals/{referral.id}")
    assert page.status_code == 200
    assert '<li class="breadcrumb-item"><a href="/referrals/mine">' in page.text
    assert 'data-testid="interview-feedback"' not in page.text
    assert "Friend Fang" not in client.get("/referrals/hiring").text
    response = client.post(
        f"/referrals/{referral.id}/interview-feedback", data={"body": "My friend is great"}
    )
    assert response.status_code == 403
    assert "You referred this person" in response.text
    assert feedback_count() == 0


def test_interview_feedback_reaches_hr_and_not_the_referrer(client, auth, hr, manager, referral):
    auth.login(manager)
    response = client.post(
        f"/referrals/{referral.id}/interview-feedback",
        data={"body": "  Solid system design; hesitant on SQL.  "},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/referrals/{referral.id}#interview-feedback")
    page = client.get(response.headers["Location"])
    assert "HR can read your feedback" in page.text
    assert "Solid system design; hesitant on SQL." in page.text
    note = db.session.scalars(select(InterviewFeedback)).one()
    assert note.body == "Solid system design; hesitant on SQL." and note.author_id == manager.id
    auth.logout()

    auth.login(hr)
    page = client.get(f"/referrals/{referral.id}")
    assert "Solid system design; hesitant on SQL." in page.text
    assert "Mona Manager" in page.text.split('data-testid="interview-feedback"')[1]
    auth.logout()

    auth.login(referral.referrer)
    page = client.get(f"/referrals/{referral.id}")
    assert "Solid system design" not in page.text
    assert 'data-testid="interview-feedback"' not in page.text


def test_hr_is_told_of_new_interview_feedback_and_nobody_else(auth, hr, manager, referral):
    services.add_interview_feedback(referral, manager, "Strong on trade-offs.")
    [told] = db.session.scalars(
        select(Notification).where(Notification.kind == "referral_interview_feedback")
    ).all()
    assert told.user_id == hr.id
    assert message_for(told) == (
        f"Mona Manager added interview feedback on {referral.candidate.name} for "
        f"{referral.job.title}."
    )
    assert told.link == f"/referrals/{referral.id}"
    assert "Strong on trade-offs" not in str(told.params)  # the text stays on the referral


def test_htmx_feedback_answers_with_the_section_and_a_toast(client, auth, manager, referral):
    auth.login(manager)
    response = client.post(
        f"/referrals/{referral.id}/interview-feedback",
        data={"body": "Great <b>communicator</b>"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith(
        '<section class="card shadow-sm mb-4" id="interview-feedback"'
    )
    assert "Great &lt;b&gt;communicator&lt;/b&gt;" in response.text  # escaped, never markup
    assert json.loads(response.headers["HX-Trigger"])["toast"][0]["category"] == "success"
    # The form comes back empty for the next note.
    assert "></textarea>" in response.text


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Please write your feedback first."),
        ("   \n  ", "Please write your feedback first."),
        ("x" * 4001, "Please keep your feedback under 4000 characters."),
    ],
)
def test_bad_feedback_is_refused_beside_the_field(client, auth, manager, referral, body, message):
    auth.login(manager)
    plain = client.post(f"/referrals/{referral.id}/interview-feedback", data={"body": body})
    assert plain.status_code == 422
    assert message in plain.text and 'data-testid="interview-feedback-error"' in plain.text
    fragment = client.post(
        f"/referrals/{referral.id}/interview-feedback",
        data={"body": body},
        headers={"HX-Request": "true"},
    )
    assert fragment.status_code == 422 and message in fragment.text
    assert "<html" not in fragment.text
    assert feedback_count() == 0


def test_the_program_rule_can_turn_interview_feedback_off(client, auth, hr, manager, referral):
    set_feedback_rule(hr, False)
    auth.login(manager)
    page = client.get(f"/referrals/{referral.id}")
    assert 'data-testid="interview-feedback-form"' not in page.text
    assert 'data-testid="interview-feedback-off"' in page.text
    response = client.post(
        f"/referrals/{referral.id}/interview-feedback",
        data={"body": "Good"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 403
    assert "program rules" in json.loads(response.headers["HX-Trigger"])["toast"][0]["message"]
    assert feedback_count() == 0

    set_feedback_rule(hr, True)
    response = client.post(f"/referrals/{referral.id}/interview-feedback", data={"body": "Good"})
    assert response.status_code == 302 and feedback_count() == 1


def test_no_feedback_once_the_referral_is_decided(client, auth, hr, manager, referral):
    services.advance_stage(referral, Stage.REJECTED, hr, reason="Chose another candidate")
    auth.login(manager)
    page = client.get(f"/referrals/{referral.id}")
    assert page.status_code == 200 and 'data-testid="interview-feedback-closed"' in page.text
    response = client.post(f"/referrals/{referral.id}/interview-feedback", data={"body": "Late"})
    assert response.status_code == 409
    assert "can no longer be added" in response.text
    assert feedback_count() == 0


def test_hr_turns_the_rule_off_in_the_rules_editor(client, auth, hr):
    auth.login(hr)
    rules_page = client.get("/program/rules")
    assert 'data-testid="rules-interview-feedback"' in rules_page.text  # on by default
    edit = client.get("/program/rules/edit")
    assert re.search(
        r'<input [^>]*checked[^>]*id="hiring_managers_give_interview_feedback"', edit.text
    )
    data = {
        "scope": "all",
        "ownership_window_days": "180",
        "review_sla_days": "3",
        "split_offer": "0",
        "split_hired": "30",
        "split_probation_passed": "70",
        **{f"points_{stage}": str(points) for stage, points in DEFAULT_STAGE_POINTS.items()},
        "hard_to_fill_multiplier_percent": "150",
    }
    assert client.post("/program/rules/edit", data=data).status_code == 302
    assert 'data-testid="rules-interview-feedback"' not in client.get("/program/rules").text


def test_the_manager_searches_their_list_only(client, auth, manager, own_job):
    mine = make_referral(job=own_job, candidate_name="Ling Search")
    make_referral(
        job=make_job(hiring_manager=make_user(role=Role.MANAGER)), candidate_name="Ling Other"
    )
    auth.login(manager)
    page = client.get("/referrals/hiring?q=ling")
    assert hiring_ids(page.text) == [mine.id]
    assert "Ling Other" not in page.text
    empty = client.get("/referrals/hiring?q=nobody&stage=offer")
    assert 'href="/referrals/hiring?stage=offer" data-testid="clear-search-empty"' in empty.text
    fragment = client.get("/referrals/hiring?q=ling", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<div id="hiring-results">')
    long = client.get("/referrals/hiring", query_string={"q": "ling" + "y" * 3000})
    assert long.status_code == 200 and 'data-testid="search-trimmed"' in long.text


def test_managers_find_their_page_in_the_menu(client, auth, manager, referral):
    auth.login(manager)
    page = client.get("/jobs/")
    assert 'data-testid="nav-hiring"' in page.text
    detail = client.get(f"/referrals/{referral.id}")
    assert re.search(r'nav-link active" href="/referrals/hiring"', detail.text)
