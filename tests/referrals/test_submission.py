"""Section 5: referral submission — the happy path and every refusal."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import func, select

from community import events
from community.accounts.models import Role
from community.core.time import utcnow
from community.extensions import db
from community.jobs.models import JobStatus
from community.notifications.models import Notification
from community.program.models import ProgramRules
from community.referrals import services
from community.referrals.models import Candidate, Referral, ReferralEvent, Stage
from tests.core import office_files
from tests.factories import make_department, make_job, make_user
from tests.referrals.factories import (
    PDF_BYTES,
    docx_bytes,
    form_data,
    make_referral,
    pdf_upload,
    submission_for,
)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def resume_files(app) -> set[str]:
    folder = Path(app.config["UPLOAD_FOLDER"]) / "resumes"
    return {p.name for p in folder.glob("*")} if folder.exists() else set()


def pending_files(app) -> set[str]:
    folder = Path(app.config["UPLOAD_FOLDER"]) / "pending-resumes"
    return {p.name for p in folder.glob("*")} if folder.exists() else set()


# Happy paths --------------------------------------------------------------------------------


def test_submit_with_pdf_stores_everything_in_one_go(app):
    hr = make_user(role=Role.HR)
    referrer = make_user()
    job = make_job(bonus_minor=1200000, bonus_currency="CNY")
    before = utcnow()
    referral = make_referral(referrer, job, email="  Li.Lei@Example.ORG ")

    assert referral.stage == Stage.SUBMITTED
    assert referral.candidate.email == "li.lei@example.org"
    assert referral.consent_confirmed_at >= before
    assert (referral.bonus_minor, referral.bonus_currency) == (1200000, "CNY")
    assert referral.rules_id is not None  # defaults were persisted so the referral keeps them
    assert referral.owned_until - referral.submitted_at == timedelta(days=180)
    assert referral.review_due_at > referral.submitted_at
    assert referral.resume_mimetype == "application/pdf"
    assert referral.resume_filename == "resume.pdf"
    assert referral.resume_file in resume_files(app)
    assert referral.resume_file != "resume.pdf"
    [event] = referral.events
    assert (event.from_stage, event.to_stage, event.actor_id) == (
        None,
        Stage.SUBMITTED,
        referrer.id,
    )
    [note] = db.session.scalars(
        select(Notification).where(Notification.kind != "badge_earned")
    ).all()
    assert (note.user_id, note.kind) == (hr.id, "referral_received")

    # Editing the job's bonus later does not change what the referral was promised.
    job.bonus_minor = 1
    db.session.commit()
    db.session.refresh(referral)
    assert referral.bonus_minor == 1200000


def test_submit_through_the_form_with_a_docx(client, auth):
    referrer = make_user()
    job = make_job()
    auth.login(referrer)
    data = form_data(
        job, resume=(io.BytesIO(docx_bytes()), "简历 Zhang.docx"), phone="138 1234 5678"
    )
    response = client.post(
        f"/referrals/new/{job.id}", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    referral = db.session.scalars(select(Referral)).one()
    assert response.headers["Location"].endswith(f"/referrals/{referral.id}")
    assert referral.resume_mimetype.endswith("wordprocessingml.document")
    assert referral.resume_filename == "简历 Zhang.docx"
    assert referral.candidate.phone == "+8613812345678"
    assert referral.hard_assessment == {
        "education:bachelor": "meets",
        "years:3": "meets",
        "skill:Python": "meets",
        "skill:PostgreSQL": "meets",
    }
    assert referral.soft_ratings == {"Communication": 4, "Resilience": 4}

    page = client.get(f"/referrals/{referral.id}")
    assert page.status_code == 200
    assert "Thank you!" in page.text


def test_a_resume_link_instead_of_a_file_is_accepted():
    job = make_job()
    referral = services.submit_referral(
        make_user(), job, submission_for(job, resume_url="https://drive.example.com/cv"), None
    )
    assert referral.resume_url == "https://drive.example.com/cv"
    assert referral.resume_file is None


def test_form_shows_every_requirement_trait_tip_and_the_consent_text(client, auth):
    job = make_job(certificates=["CKA"], challenges="On-call one week in six.")
    auth.login(make_user())
    page = client.get(f"/referrals/new/{job.id}")
    assert page.status_code == 200
    for text in (
        "Bachelor&#39;s degree or higher",
        "At least 3 years",
        "Skill: Python",
        "Certificate: CKA",
        "Communication",
        "Resilience",
        "personal message",
        "10:00",
        "On-call one week in six.",
        "agreed to be referred",
    ):
        assert text in page.text, text


def test_unknown_job_is_404(client, auth):
    auth.login(make_user())
    assert client.get("/referrals/new/999999").status_code == 404


# Refusals -----------------------------------------------------------------------------------


def test_refused_when_the_department_is_not_eligible(client, auth):
    eligible, other = make_department(), make_department()
    db.session.add(
        ProgramRules(all_departments_eligible=False, eligible_department_ids=[eligible.id])
    )
    db.session.commit()
    job = make_job()
    outsider = make_user(department=other)
    with pytest.raises(services.ReferralError) as exc:
        make_referral(outsider, job)
    assert "not part of the referral program" in exc.value.message

    auth.login(outsider)
    page = client.get(f"/referrals/new/{job.id}")
    assert page.status_code == 403
    assert "not part of the referral program" in page.text
    response = client.post(
        f"/referrals/new/{job.id}", data=form_data(job), content_type="multipart/form-data"
    )
    assert response.status_code == 403
    assert count(Candidate) == 0

    insider = make_user(department=eligible)
    assert make_referral(insider, job).id


@pytest.mark.parametrize("status", [JobStatus.CLOSED, JobStatus.DRAFT])
def test_refused_when_the_job_is_not_open(client, auth, status):
    job = make_job(status=status)
    with pytest.raises(services.ReferralError):
        make_referral(job=job)
    auth.login(make_user())
    response = client.post(
        f"/referrals/new/{job.id}", data=form_data(job), content_type="multipart/form-data"
    )
    if status == JobStatus.DRAFT:  # a draft is HR's alone: to everyone else it does not exist
        assert response.status_code == 404
    else:
        assert response.status_code == 409
        assert "not open for referrals" in response.text
    assert count(Candidate) == 0


def test_duplicate_within_the_window_is_refused_without_revealing_anything(client, auth):
    first = make_user(name="Wang Fang", email="wang.fang@corp.example")
    job = make_job(title="Data Engineer")
    make_referral(first, job, email="ada@example.org", phone="+86 138 0000 1111")
    files_before = resume_files(client.application)

    second = make_user()
    for other_job in (job, make_job()):
        for contact in (
            {"email": "ADA@example.org", "phone": None},
            {"email": None, "phone": "13800001111"},
        ):
            with pytest.raises(services.ReferralError) as exc:
                make_referral(second, other_job, **contact)
            message = exc.value.message
            assert "already been referred" in message
            for secret in ("Wang", "Fang", "wang.fang", "Data Engineer", str(first.id)):
                assert secret not in message

    auth.login(second)
    response = client.post(
        f"/referrals/new/{job.id}",
        data=form_data(job, email="ada@example.org"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 409
    assert "already been referred" in response.text
    assert "Wang Fang" not in response.text and "wang.fang" not in response.text
    assert count(Referral) == 1 and count(Candidate) == 1
    assert resume_files(client.application) == files_before  # the refused file was never kept


def test_the_same_referrer_is_told_they_already_referred_this_candidate():
    referrer, job = make_user(), make_job()
    make_referral(referrer, job, email="ada@example.org")
    with pytest.raises(services.ReferralError) as exc:
        make_referral(referrer, job, email="ada@example.org")
    assert "You have already referred this candidate to this job" in exc.value.message
    # The owner may refer their candidate to another job.
    assert make_referral(referrer, make_job(), email="ada@example.org").id


def test_after_the_ownership_window_another_employee_may_refer():
    make_referral(email="ada@example.org")
    with time_machine.travel(utcnow() + timedelta(days=181), tick=False):
        assert make_referral(email="ada@example.org").id


def test_a_withdrawn_referral_no_longer_owns_the_candidate():
    referral = make_referral(email="ada@example.org")
    services.withdraw_referral(referral, referral.referrer, "Took another offer")
    assert make_referral(email="ada@example.org").id


def test_refused_when_the_candidate_is_an_employee():
    make_user(email="colleague@corp.example")
    with pytest.raises(services.ReferralError):
        make_referral(email="Colleague@Corp.Example")
    assert count(Candidate) == 0


@pytest.mark.parametrize(
    "alias", ["ann+jobs@corp.example", "ANN@Corp.Example", "ann+x@corp-old.example"]
)
def test_self_referral_through_a_mail_alias_is_refused(app, monkeypatch, alias):
    monkeypatch.setitem(app.config, "COMPANY_EMAIL_DOMAINS", "corp.example,corp-old.example")
    ann = make_user(email="ann@corp.example")
    with pytest.raises(services.ReferralError) as exc:
        make_referral(ann, email=alias)
    assert exc.value.field == "email"
    assert "cannot refer yourself" in exc.value.message
    # Someone else referring Ann through the alias learns she works here, not a new candidate.
    with pytest.raises(services.ReferralError) as exc:
        make_referral(make_user(), email=alias)
    assert "already works here" in exc.value.message
    assert count(Candidate) == 0


def test_an_old_company_domain_is_only_an_alias_when_configured(app, monkeypatch):
    make_user(email="ann@corp.example")
    assert make_referral(email="ann@corp-old.example").id  # two domains, two people
    monkeypatch.setitem(app.config, "COMPANY_EMAIL_DOMAINS", "corp.example, corp-old.example")
    with pytest.raises(services.ReferralError, match="already works here"):
        make_referral(email="ann@corp-old.example")


def test_self_referral_through_an_alias_in_the_form_is_a_422_and_nothing_is_stored(client, auth):
    ann = make_user(email="ann@corp.example")
    job = make_job()
    files_before = resume_files(client.application)
    auth.login(ann)
    response = client.post(
        f"/referrals/new/{job.id}",
        data=form_data(job, email="Ann+Friend@corp.example"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "cannot refer yourself" in response.text
    assert count(Candidate) == 0 and count(Referral) == 0
    assert resume_files(client.application) == files_before


def test_a_plus_tag_duplicate_is_detected_for_another_referrer(app, monkeypatch):
    monkeypatch.setitem(app.config, "COMPANY_EMAIL_DOMAINS", "corp.example,corp-old.example")
    first = make_user(name="Wang Fang", email="wang.fang@corp.example")
    owned = make_referral(first, email="Ada.Lovelace+cv@example.org")
    second = make_user()
    for spelling in ("ada.lovelace@example.org", "ADA.LOVELACE+other@Example.org"):
        with pytest.raises(services.ReferralError) as exc:
            make_referral(second, email=spelling)
        assert exc.value.status == 409
        message = exc.value.message
        assert "already been referred" in message
        for secret in ("Wang", "wang.fang", "ada.lovelace", "+cv", str(first.id)):
            assert secret not in message
    # The same referrer is told it is theirs, whatever the spelling.
    with pytest.raises(services.ReferralError, match="already referred this candidate"):
        make_referral(first, owned.job, email="ada.lovelace+again@example.org")
    assert count(Candidate) == 1
    # What the referrer typed is what is kept for display.
    assert db.session.scalars(select(Candidate.email)).one() == "ada.lovelace+cv@example.org"


def test_refused_file_with_pdf_name_but_other_content(client, auth):
    with pytest.raises(services.ReferralError):
        make_referral(resume=pdf_upload("cv.pdf", b"MZ\x90\x00 not a pdf"))
    job = make_job()
    auth.login(make_user())
    response = client.post(
        f"/referrals/new/{job.id}",
        data=form_data(job, resume=(io.BytesIO(b"<html>hi</html>"), "cv.pdf")),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "must be a PDF or a Word" in response.text
    assert 'data-testid="resume-kept"' not in response.text  # a refused file is not kept
    assert count(Candidate) == 0


def test_a_zip_that_is_not_a_word_document_is_refused():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(services.ReferralError):
        make_referral(resume=pdf_upload("cv.docx", buffer.getvalue()))


@pytest.mark.parametrize(
    ("content", "english", "chinese"),
    [
        (
            office_files.docx(("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")),
            "contains macros",
            "包含宏",
        ),
        (office_files.docx(main_type=office_files.DOCM_MAIN), "contains macros", "包含宏"),
        (office_files.docx_with_zeros(20), "unpacks to far more data", "解压后"),
    ],
    ids=["vbaProject", "docm", "zip-bomb"],
)
@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_a_dangerous_word_file_is_refused_on_the_form_and_nothing_is_kept(
    client, auth, content, english, chinese, locale
):
    job = make_job()
    files_before = resume_files(client.application)
    pending_before = pending_files(client.application)
    auth.login(make_user(locale=locale))
    response = client.post(
        f"/referrals/new/{job.id}",
        data=form_data(job, resume=(io.BytesIO(content), "cv.docx")),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert (english if locale == "en" else chinese) in response.text
    assert count(Candidate) == 0 and count(Referral) == 0
    assert resume_files(client.application) == files_before
    assert pending_files(client.application) == pending_before  # a refused file is not kept


def test_refused_file_that_is_too_large(app, monkeypatch):
    monkeypatch.setitem(app.config, "RESUME_MAX_BYTES", 1024)
    with pytest.raises(services.ReferralError) as exc:
        make_referral(resume=pdf_upload(content=PDF_BYTES + b"0" * 2000))
    assert "too large" in exc.value.message
    assert count(Candidate) == 0


def test_a_request_over_the_upload_limit_is_a_friendly_413(client, auth):
    job = make_job()
    auth.login(make_user())
    big = PDF_BYTES + b"0" * (7 * 1024 * 1024)
    response = client.post(
        f"/referrals/new/{job.id}",
        data=form_data(job, resume=(io.BytesIO(big), "cv.pdf")),
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert count(Candidate) == 0


def test_refused_without_consent_and_nothing_is_stored(client, auth):
    with pytest.raises(services.ReferralError):
        make_referral(consent=False)
    job = make_job()
    auth.login(make_user())
    data = form_data(job)
    del data["consent"]
    response = client.post(
        f"/referrals/new/{job.id}", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert "confirm that the candidate agreed" in response.text
    assert count(Candidate) == 0 and count(Referral) == 0


def test_relationship_and_how_long_must_be_chosen(client, auth):
    job = make_job()
    auth.login(make_user())
    page = client.get(f"/referrals/new/{job.id}").text
    assert re.search(r'<option (selected )?value=""( selected)?>Choose…</option>', page)
    response = client.post(
        f"/referrals/new/{job.id}",
        data=form_data(job, relationship="", known_for=""),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Please choose how you know the candidate." in response.text
    assert "Please choose how long you have known them." in response.text
    assert count(Referral) == 0


def test_refused_without_email_and_phone(client, auth):
    with pytest.raises(services.ReferralError):
        make_referral(email=None, phone=None)
    job = make_job()
    auth.login(make_user())
    response = client.post(
        f"/referrals/new/{job.id}",
        data=form_data(job, email="", phone=""),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "email or phone number (at least one)" in response.text


def test_invalid_email_or_phone_is_refused(client, auth):
    job = make_job()
    auth.login(make_user())
    response = client.post(
        f"/referrals/new/{job.id}",
        data=form_data(job, email="not-an-email", phone="12"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "valid email address" in response.text
    assert "valid phone number" in response.text


def test_refused_with_a_short_or_blank_reason(client, auth):
    with pytest.raises(services.ReferralError):
        make_referral(fit_reason="Good guy.")
    job = make_job()
    auth.login(make_user())
    response = client.post(
        f"/referrals/new/{job.id}",
        data=form_data(job, fit_reason="      \n    "),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "why this person fits" in response.text
    assert count(Referral) == 0


def test_refused_without_resume_or_link(client, auth):
    job = make_job()
    auth.login(make_user())
    data = form_data(job)
    del data["resume"]
    response = client.post(
        f"/referrals/new/{job.id}", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert "give a link to it" in response.text
    bad_link = form_data(job, resume_url="javascript:alert(1)")
    del bad_link["resume"]
    response = client.post(
        f"/referrals/new/{job.id}", data=bad_link, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert "http:// or https://" in response.text


def test_missing_assessment_answers_are_refused(client, auth):
    job = make_job()
    auth.login(make_user())
    data = form_data(job)
    del data["hard_0"], data["soft_1"]
    response = client.post(
        f"/referrals/new/{job.id}", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert "Please choose one." in response.text
    assert "Please rate from 1 to 5." in response.text


def test_low_match_warns_first_and_the_referrer_may_confirm(client, auth):
    job = make_job()
    auth.login(make_user())
    data = form_data(job, hard_0="does_not_meet", hard_1="does_not_meet", hard_2="does_not_meet")
    response = client.post(
        f"/referrals/new/{job.id}", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 422
    assert 'data-testid="low-match-warning"' in response.text
    assert "force a referral." in response.text
    assert count(Referral) == 0

    confirmed = form_data(
        job,
        email=data["email"],
        hard_0="does_not_meet",
        hard_1="does_not_meet",
        hard_2="does_not_meet",
        confirm_low_match="y",
    )
    response = client.post(
        f"/referrals/new/{job.id}", data=confirmed, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    assert count(Referral) == 1


def test_low_match_live_check_fragment(client, auth):
    job = make_job()
    auth.login(make_user())
    low = client.get(
        f"/referrals/new/{job.id}/match?hard_0=does_not_meet&hard_1=does_not_meet&hard_2=does_not_meet",
        headers={"HX-Request": "true"},
    )
    assert "low-match-warning" in low.text and "<html" not in low.text
    fine = client.get(
        f"/referrals/new/{job.id}/match?hard_0=does_not_meet", headers={"HX-Request": "true"}
    )
    assert "low-match-warning" not in fine.text


def test_a_failing_listener_leaves_no_file_and_no_candidate(app):
    make_user(role=Role.HR)
    before = resume_files(app)

    def boom(event: events.ReferralSubmitted) -> None:
        raise RuntimeError("database went away")

    events.subscribe(events.ReferralSubmitted, boom)
    try:
        with pytest.raises(RuntimeError):
            make_referral()
    finally:
        events.unsubscribe(events.ReferralSubmitted, boom)
    assert resume_files(app) == before
    assert count(Candidate) == 0 and count(ReferralEvent) == 0
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0


def test_post_without_csrf_token_is_refused(client, auth):
    job = make_job()
    auth.login(make_user())
    response = client.post(
        f"/referrals/new/{job.id}",
        data=form_data(job),
        content_type="multipart/form-data",
        csrf=False,
    )
    assert response.status_code == 400
    assert count(Referral) == 0
