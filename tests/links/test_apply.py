"""A candidate opens a referrer's link and applies: the public pages, the application that becomes
the referrer's referral, and every way it is refused without writing anything or leaking who
else referred them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from community.accounts.models import Role
from community.extensions import db
from community.jobs.models import JobStatus
from community.links import services
from community.notifications.models import Notification
from community.referrals.models import Candidate, Referral, ReferralSource
from tests.factories import make_job, make_user
from tests.links.factories import apply_data, make_code
from tests.referrals.factories import make_referral


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def notes_of(user) -> int:
    return db.session.scalar(
        select(func.count(Notification.id)).where(Notification.user_id == user.id)
    )


def stored_files(app) -> set[str]:
    root = Path(app.config["UPLOAD_FOLDER"])
    return {p.name for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def job():
    return make_job(
        title="后端工程师",
        title_en="Backend engineer",
        description="负责支付系统。",
        description_en="You build the payments system.",
        challenges="发布期间需要加班。",
        challenges_en="Release weeks run late.",
        bonus_minor=1234500,
    )


@pytest.fixture
def code():
    return make_code(make_user(name="王小明", email="xiaoming@example.com"))


# The public pages ---------------------------------------------------------------------------


def test_the_job_page_shows_the_job_the_referrer_and_why_a_referral_helps(client, code, job):
    page = client.get(f"/r/{code.code}/{job.id}")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "private, no-store"
    assert "Backend engineer" in page.text
    assert "You build the payments system." in page.text
    assert "Release weeks run late." in page.text  # the honest challenges
    assert "小明 is referring you" in page.text
    assert "王小明" not in page.text  # the first name only
    for point in ("Priority screening", "A faster process", "Someone following up"):
        assert point in page.text
    assert "12,345" not in page.text and "bonus" not in page.text.lower()  # never the bonus
    assert 'name="website"' in page.text  # the honeypot is there, hidden
    assert "/candidates/privacy" in page.text


def test_the_candidate_switches_the_page_to_chinese(client, code, job):
    path = f"/r/{code.code}/{job.id}"
    client.post("/language", data={"locale": "zh_CN", "next": path})
    page = client.get(path)
    assert "后端工程师" in page.text and "负责支付系统。" in page.text
    assert "小明" in page.text


def test_the_all_jobs_link_lists_the_open_jobs(client, code, job):
    closed = make_job(title="Closed one", status=JobStatus.CLOSED)
    page = client.get(f"/r/{code.code}")
    assert page.status_code == 200
    assert "Backend engineer" in page.text and "Closed one" not in page.text
    assert f"/r/{code.code}/{job.id}" in page.text
    assert closed.title not in page.text


def test_a_lower_case_or_dashed_code_leads_to_the_page(client, code, job):
    shown = f"{code.code[:4]}-{code.code[4:]}".lower()
    response = client.get(f"/r/{shown}/{job.id}")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/r/{code.code}/{job.id}")


@pytest.mark.parametrize("how", ["forged", "unknown", "switched off", "owner left", "job closed"])
def test_a_link_that_does_not_work_is_a_kind_404(client, code, job, how):
    path = f"/r/{code.code}/{job.id}"
    if how == "forged":
        path = f"/r/{code.code[:7]}0/{job.id}"
    elif how == "unknown":
        path = f"/r/ABCD2345/{job.id}"
    elif how == "switched off":
        services.switch_link(code.user, code, job, False)
    elif how == "owner left":
        code.user.is_active_account = False
        db.session.commit()
    else:
        job.status = JobStatus.CLOSED
        db.session.commit()
    page = client.get(path)
    assert page.status_code == 404
    assert "This referral link does not work" in page.text
    assert "王小明" not in page.text
    client.post("/language", data={"locale": "zh_CN", "next": path})
    assert client.get(path).status_code == 404


def test_the_public_jobs_page_takes_a_code(client, code, job):
    page = client.get("/careers")
    assert page.status_code == 200 and "Backend engineer" in page.text
    response = client.get("/careers", query_string={"code": code.code.lower()})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/r/{code.code}?via=code")
    wrong = client.get("/careers", query_string={"code": "ZZZZ-ZZZZ"})
    assert wrong.status_code == 404
    assert "We do not know this referral code" in wrong.text


def test_the_privacy_notice_says_what_is_kept_how_long_and_who_sees_it(client):
    page = client.get("/candidates/privacy")
    assert page.status_code == 200
    for words in (
        "What we keep",
        "Who sees it",
        "For how long",
        "Invitations",
        "14 days",
        "30 days",
    ):
        assert words in page.text
    assert "never to be invited again" in page.text


# Applying -----------------------------------------------------------------------------------


def test_a_candidate_applies_and_the_referrer_gets_the_referral(client, code, job):
    hr = make_user(role=Role.HR)
    response = client.post(
        f"/r/{code.code}/{job.id}",
        data=apply_data(name="Wang Fang", email="wang.fang@example.org"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/candidates/thanks")
    referral = db.session.scalars(select(Referral)).one()
    assert referral.referrer_id == code.user_id
    assert referral.source == ReferralSource.LINK
    assert referral.candidate.name == "Wang Fang"
    assert referral.candidate.locale == "en"
    assert referral.resume_mimetype == "application/pdf"
    kinds = {
        (n.user_id, n.kind)
        for n in db.session.scalars(select(Notification).where(Notification.kind != "badge_earned"))
    }
    assert kinds == {(hr.id, "referral_received"), (code.user_id, "referral_applied")}
    thanks = client.get("/candidates/thanks")
    assert "we have received your application" in thanks.text


def test_an_application_with_the_typed_code_comes_by_code(client, code, job):
    page = client.get(f"/r/{code.code}/{job.id}?via=code")
    assert 'name="via" type="hidden" value="code"' in page.text
    client.post(
        f"/r/{code.code}/{job.id}",
        data=apply_data(via="code"),
        content_type="multipart/form-data",
    )
    assert db.session.scalars(select(Referral)).one().source == ReferralSource.CODE


def test_hr_sees_where_the_application_came_from(client, auth, code, job):
    client.post(f"/r/{code.code}/{job.id}", data=apply_data(), content_type="multipart/form-data")
    hr = make_user(role=Role.HR)
    auth.login(hr)
    queue = client.get("/referrals/queue")
    assert "Personal link" in queue.text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"consent": None}, "Please agree to the privacy notice"),
        ({"name": "  "}, "Please enter your name."),
        ({"email": "not an address"}, "Please enter a valid email address."),
        ({"email": "", "phone": "12345"}, "Please enter a valid phone number."),
        ({"email": "", "phone": ""}, "Please give your email or phone number"),
        ({"resume": None}, "Please upload your resume"),
        ({"resume": (io.BytesIO(b"just text"), "cv.pdf")}, "must be a PDF or a Word"),
        ({"resume": None, "resume_url": "javascript:alert(1)"}, "must be a web address"),
    ],
)
def test_bad_input_is_refused_in_the_form_and_writes_nothing(
    app, client, code, job, overrides, message
):
    before = stored_files(app)
    response = client.post(
        f"/r/{code.code}/{job.id}",
        data=apply_data(**overrides),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert message in response.text
    assert count(Referral) == count(Candidate) == 0
    if overrides.get("consent", "y") is None:
        assert stored_files(app) == before  # without consent not even the resume is held


def test_a_resume_is_kept_for_the_next_try_when_something_else_was_wrong(client, code, job):
    first = client.post(
        f"/r/{code.code}/{job.id}",
        data=apply_data(email="bad@", name="Kept Resume"),
        content_type="multipart/form-data",
    )
    assert first.status_code == 422
    assert "Resume kept:" in first.text
    token = first.text.split('name="kept_resume" type="hidden" value="')[1].split('"')[0]
    second = client.post(
        f"/r/{code.code}/{job.id}",
        data=apply_data(resume=None, kept_resume=token, name="Kept Resume"),
        content_type="multipart/form-data",
    )
    assert second.status_code == 302
    assert db.session.scalars(select(Referral)).one().resume_filename == "cv.pdf"


def test_the_referrer_cannot_apply_through_their_own_link(client, code, job):
    response = client.post(
        f"/r/{code.code}/{job.id}",
        data=apply_data(email="XiaoMing@example.com"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 403
    assert "You cannot apply through your own referral link." in response.text
    assert count(Referral) == 0


def test_an_employee_cannot_apply_through_a_link(client, code, job):
    make_user(email="colleague@example.com")
    response = client.post(
        f"/r/{code.code}/{job.id}",
        data=apply_data(email="colleague@example.com"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 403
    assert "cannot apply through a referral link" in response.text
    assert count(Referral) == 0


def test_a_candidate_someone_referred_sees_the_same_thank_you_and_nobody_learns_anything(
    client, code, job
):
    hr = make_user(role=Role.HR)
    owner = make_user(name="Zhou Owner")
    make_referral(owner, job, email="taken@example.org")
    notes = {who.id: notes_of(who) for who in (hr, owner, code.user)}
    fresh = client.post(
        f"/r/{code.code}/{job.id}", data=apply_data(), content_type="multipart/form-data"
    )
    taken = client.post(
        f"/r/{code.code}/{job.id}",
        data=apply_data(email="TAKEN@example.org"),
        content_type="multipart/form-data",
    )
    assert (taken.status_code, taken.headers["Location"]) == (
        fresh.status_code,
        fresh.headers["Location"],
    )
    assert count(Referral) == 2  # the first owner's, and the fresh candidate's
    assert (
        db.session.scalar(
            select(func.count(Referral.id)).where(Referral.referrer_id == code.user_id)
        )
        == 1
    )
    # The fresh application told HR and the referrer once each; the duplicate told nobody.
    assert notes_of(hr) == notes[hr.id] + 1
    assert notes_of(code.user) == notes[code.user.id] + 1
    assert notes_of(owner) == notes[owner.id]
    thanks = client.get(taken.headers["Location"])
    assert "Zhou" not in thanks.text


def test_a_filled_honeypot_pretends_success_and_writes_nothing(app, client, code, job):
    before = stored_files(app)
    response = client.post(
        f"/r/{code.code}/{job.id}",
        data=apply_data(website="http://spam.example"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/candidates/thanks")
    assert count(Referral) == count(Candidate) == count(Notification) == 0
    assert stored_files(app) == before


def test_an_application_needs_its_csrf_token(client, code, job):
    response = client.post(
        f"/r/{code.code}/{job.id}",
        data=apply_data(),
        content_type="multipart/form-data",
        csrf=False,
    )
    assert response.status_code == 400
    assert count(Referral) == 0
