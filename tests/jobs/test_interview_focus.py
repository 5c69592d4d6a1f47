"""The job profile's interview focus (面试重点): HR writes it in both languages on the job form,
employees read it on the job page, and the follow-up coach turns it into interview tips."""

from __future__ import annotations

from sqlalchemy import select

from community.extensions import db
from community.jobs.models import Job
from tests.factories import make_department, make_user
from tests.jobs.test_routes import job_form


def test_hr_writes_the_interview_focus_and_employees_read_it(client, auth, hr) -> None:
    department = make_department("Marketing")
    auth.login(hr)
    response = client.post(
        "/jobs/new",
        data=job_form(
            department.id,
            title="增长营销专家",
            title_en="Growth marketer",
            interview_focus="一次完整的增长实验",
            interview_focus_en="One growth experiment, end to end",
        ),
    )
    assert response.status_code == 302
    job = db.session.scalars(select(Job).where(Job.title == "增长营销专家")).one()
    assert (job.interview_focus, job.interview_focus_en) == (
        "一次完整的增长实验",
        "One growth experiment, end to end",
    )
    edit = client.get(f"/jobs/{job.id}/edit").get_data(as_text=True)
    assert "One growth experiment, end to end" in edit
    auth.logout()
    auth.login(make_user(department=department))
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert 'data-testid="job-interview-focus"' in page
    assert "One growth experiment, end to end" in page


def test_a_too_long_interview_focus_is_refused(client, auth, hr) -> None:
    department = make_department("Marketing")
    auth.login(hr)
    response = client.post(
        "/jobs/new", data=job_form(department.id, title="Too long", interview_focus="x" * 5001)
    )
    assert response.status_code == 422
    assert 'id="interview_focus-error"' in response.get_data(as_text=True)
    assert db.session.scalars(select(Job).where(Job.title == "Too long")).first() is None
