"""The demo company speaks both languages: every job, department and profile item has its Chinese
and its English, and an English reader meets no Chinese on the jobs pages."""

from __future__ import annotations

from sqlalchemy import select

from community.accounts.models import Department
from community.core.localized import language_of, localized, localized_list
from community.extensions import db
from community.jobs.models import Job

LISTS = ("competencies", "skills", "certificates", "soft_traits")


def test_every_demo_department_has_both_names(seeded: str) -> None:
    departments = db.session.scalars(select(Department)).all()
    assert len(departments) >= 10
    for department in departments:
        assert language_of(department.name) == "zh", department.name
        assert department.name_en and language_of(department.name_en) == "en", department.name


def test_every_demo_job_and_profile_item_has_both_languages(seeded: str) -> None:
    jobs = db.session.scalars(select(Job)).all()
    assert len(jobs) >= 25
    for job in jobs:
        assert language_of(job.title) == "zh" and job.title_en, job.title
        for field in ("title", "location", "description", "challenges"):
            assert language_of(localized(job, field, "en")) == "en", (job.title, field)
            assert language_of(localized(job, field, "zh")) == "zh", (job.title, field)
        for field in LISTS:
            # Every item reads in English; a name like "Go" is the same in both languages.
            for item in localized_list(job, field, "en"):
                assert language_of(item) == "en", (job.title, field, item)


def test_an_english_reader_meets_no_chinese_on_the_jobs_pages(seeded: str, client) -> None:
    from community.accounts.models import User

    user = db.session.scalars(select(User).where(User.email == "employee@demo.example")).one()
    client.post("/login", data={"email": user.email, "password": "demo12345"})
    client.post("/language", data={"locale": "en", "next": "/"})
    listing = client.get("/jobs/").get_data(as_text=True)
    assert "Senior backend engineer (Go)" in listing
    job = db.session.scalars(select(Job).where(Job.title == "高级后端工程师（Go）")).one()
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "High-concurrency system design" in page and "Engineering" in page
    assert "Shanghai" in page
    for body in (listing, page):
        assert 'lang="zh"' not in body
