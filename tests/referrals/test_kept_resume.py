"""Issue 11 §23: a resume chosen on a referral form that was not accepted is kept for the next
try (a short-lived token bound to the referrer), said so on the page, used once, and swept."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import time_machine
from sqlalchemy import func, select

from community.core.time import utcnow
from community.extensions import db
from community.referrals import resumes
from community.referrals.models import Candidate, Referral
from tests.factories import make_job, make_user
from tests.referrals.factories import PDF_BYTES, form_data


def a_pdf(text: str) -> bytes:
    return PDF_BYTES + f"% {text}\n".encode()


CV = a_pdf("Ada Lovelace - Resume")


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def held_files(app) -> set[str]:
    folder = Path(app.config["UPLOAD_FOLDER"]) / "pending-resumes"
    return {p.name for p in folder.iterdir() if p.is_file()} if folder.exists() else set()


def kept_token(html: str) -> str:
    match = re.search(r'name="kept_resume" type="hidden" value="([^"]*)"', html)
    assert match, "the form carries no kept_resume field"
    return match.group(1)


def post(client, job, **overrides):
    return client.post(
        f"/referrals/new/{job.id}",
        data=form_data(job, **overrides),
        content_type="multipart/form-data",
    )


def fail_with_resume(client, job, content: bytes = CV, filename: str = "Ada CV.pdf") -> str:
    """Submit with a resume and a missing name: refused, the resume kept; returns its token."""
    response = post(client, job, candidate_name="", resume=(io.BytesIO(content), filename))
    assert response.status_code == 422
    assert "Please enter the candidate" in response.text
    return kept_token(response.text)


def test_the_resume_is_kept_across_a_failed_submit_and_used_on_the_next(client, auth):
    job = make_job()
    auth.login(make_user())
    held_before = held_files(client.application)
    response = post(client, job, candidate_name="", resume=(io.BytesIO(CV), "Ada CV.pdf"))
    assert response.status_code == 422
    assert "Resume kept:" in response.text and "Ada CV.pdf" in response.text
    assert "choose another file to replace it" in response.text
    token = kept_token(response.text)
    assert token and "Ada CV.pdf" not in token
    [held] = held_files(client.application) - held_before
    assert count(Referral) == 0 and count(Candidate) == 0

    response = post(client, job, candidate_name="Ada Lovelace", resume=None, kept_resume=token)
    assert response.status_code == 302
    referral = db.session.scalars(select(Referral)).one()
    assert referral.candidate.name == "Ada Lovelace"
    assert referral.resume_filename == "Ada CV.pdf"
    assert resumes.resume_path(referral.resume_file).read_bytes() == CV
    assert held not in held_files(client.application)  # used up

    # Used once: the same token again is refused, and nothing is written.
    response = post(client, job, candidate_name="Bo", resume=None, kept_resume=token)
    assert response.status_code == 422
    assert "no longer available" in response.text
    assert count(Referral) == 1


def test_a_refusal_after_the_checks_keeps_the_resume_too(client, auth):
    """The low-match question comes from the service, after the form was valid."""
    job = make_job()
    auth.login(make_user())
    answers = {f"hard_{i}": "does_not_meet" for i in range(4)}
    response = post(client, job, resume=(io.BytesIO(CV), "cv.pdf"), **answers)
    assert response.status_code == 422
    assert "Please confirm that you still want" in response.text
    token = kept_token(response.text)
    response = post(client, job, resume=None, kept_resume=token, confirm_low_match="y", **answers)
    assert response.status_code == 302
    assert db.session.scalars(select(Referral)).one().resume_filename == "cv.pdf"


def test_a_kept_resume_expires_after_the_keeping_time(client, auth, app):
    job = make_job()
    auth.login(make_user())
    assert app.config["RESUME_KEEP_MINUTES"] == 60
    start = utcnow()
    with time_machine.travel(start, tick=False):
        token = fail_with_resume(client, job)
    with time_machine.travel(start + timedelta(minutes=59), tick=False):
        response = post(client, job, candidate_name="", resume=None, kept_resume=token)
        assert "Resume kept:" in response.text  # still there within the hour
    held = held_files(app)
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        response = post(client, job, resume=None, kept_resume=token)
    assert response.status_code == 422
    assert "kept for a limited time only" in response.text
    assert "Resume kept:" not in response.text
    assert kept_token(response.text) == ""
    assert count(Referral) == 0
    assert len(held_files(app)) == len(held) - 1  # the expired file went with it


def test_another_persons_token_is_refused_and_their_file_is_left_alone(client, auth, app):
    job = make_job()
    owner, other = make_user(), make_user()
    auth.login(owner)
    token = fail_with_resume(client, job)
    held = held_files(app)

    auth.logout()
    auth.login(other)
    response = post(client, job, resume=None, kept_resume=token)
    assert response.status_code == 422
    assert "no longer available" in response.text
    assert "Ada CV.pdf" not in response.text
    assert count(Referral) == 0
    assert held_files(app) == held

    auth.logout()
    auth.login(owner)
    assert post(client, job, resume=None, kept_resume=token).status_code == 302


def test_a_tampered_token_is_refused(client, auth):
    job = make_job()
    auth.login(make_user())
    token = fail_with_resume(client, job)
    for forged in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "nonsense", "x.y.z"):
        response = post(client, job, resume=None, kept_resume=forged)
        assert response.status_code == 422
        assert "no longer available" in response.text
    assert count(Referral) == 0


def test_a_new_file_replaces_the_kept_one_and_a_bad_one_does_not(client, auth, app):
    job = make_job()
    auth.login(make_user())
    first = fail_with_resume(client, job, filename="old.pdf")
    held = held_files(app)

    # A file that is not a resume: said so, and the one kept before stays.
    response = post(
        client,
        job,
        candidate_name="",
        resume=(io.BytesIO(b"MZ\x90"), "virus.pdf"),
        kept_resume=first,
    )
    assert "must be a PDF or a Word" in response.text
    assert "old.pdf" in response.text and kept_token(response.text) == first
    assert held_files(app) == held

    second = fail_with_resume(client, job, content=a_pdf("New"), filename="new.pdf")
    response = post(
        client,
        job,
        candidate_name="",
        resume=(io.BytesIO(a_pdf("Newer")), "newer.pdf"),
        kept_resume=second,
    )
    third = kept_token(response.text)
    assert "newer.pdf" in response.text and third not in (first, second)
    assert post(client, job, resume=None, kept_resume=third).status_code == 302
    assert db.session.scalars(select(Referral)).one().resume_filename == "newer.pdf"


def test_do_not_use_this_file_removes_it(client, auth, app):
    job = make_job()
    auth.login(make_user())
    token = fail_with_resume(client, job)
    held = held_files(app)
    response = post(client, job, resume=None, kept_resume=token, forget_resume="y")
    assert response.status_code == 422  # now neither a file nor a link
    assert "Please upload the candidate's resume" in response.text
    assert len(held_files(app)) == len(held) - 1
    token = fail_with_resume(client, job)
    response = post(
        client,
        job,
        resume=None,
        kept_resume=token,
        forget_resume="y",
        resume_url="https://drive.example.com/cv",
    )
    assert response.status_code == 302
    referral = db.session.scalars(select(Referral)).one()
    assert (referral.resume_file, referral.resume_url) == (None, "https://drive.example.com/cv")


def test_stale_files_are_swept_by_the_next_upload_and_by_the_worker(client, auth, app, runner):
    job = make_job()
    auth.login(make_user())
    start = utcnow()
    with time_machine.travel(start, tick=False):
        fail_with_resume(client, job)
        stale = held_files(app)
    with time_machine.travel(start + timedelta(minutes=90), tick=False):
        fail_with_resume(client, job)  # someone's next upload sweeps what is older than an hour
        assert not stale & held_files(app)
        fresh = held_files(app)
    with time_machine.travel(start + timedelta(minutes=200), tick=False):
        result = runner.invoke(args=["worker", "tick"])
    assert result.exit_code == 0
    assert re.search(r"referrals.sweep-resumes: [1-9]", result.output)
    assert not fresh & held_files(app)


def test_nothing_is_kept_without_the_candidates_consent(client, auth, app):
    """A candidate's resume is personal data: it is held only once consent is confirmed."""
    job = make_job()
    auth.login(make_user())
    held = held_files(app)
    response = post(client, job, consent=None, resume=(io.BytesIO(CV), "Ada CV.pdf"))
    assert response.status_code == 422
    assert "we keep no resume without it" in response.text
    assert "Resume kept:" not in response.text and kept_token(response.text) == ""
    assert held_files(app) == held

    # Held with consent, then consent unticked: the held file goes.
    token = fail_with_resume(client, job)
    response = post(client, job, consent=None, resume=None, kept_resume=token)
    assert response.status_code == 422
    assert "we keep no resume without it" in response.text
    assert held_files(app) == held
    assert count(Referral) == 0
