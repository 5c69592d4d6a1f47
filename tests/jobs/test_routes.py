"""Job pages: who sees what, search and filters, htmx fragments, HR's editor."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from community.accounts.models import Role
from community.extensions import db
from community.jobs.models import Job, JobStatus
from tests.factories import make_department, make_job, make_user

HTMX = {"HX-Request": "true"}


@pytest.fixture
def employee():
    return make_user(role=Role.EMPLOYEE)


def job_form(department_id: int, **overrides) -> dict[str, str]:
    data = {
        "title": "Growth Marketer",
        "department_id": str(department_id),
        "location": "Beijing",
        "family": "marketing",
        "hiring_manager_id": "",
        "description": "Run **campaigns** end to end.",
        "competencies": "Creative planning\nData-driven iteration",
        "education": "bachelor",
        "min_years": "2",
        "skills": "SEO\nCopywriting\nSEO",
        "certificates": "",
        "soft_traits": "Communication\nResilience",
        "challenges": "Quarterly targets are aggressive.",
        "bonus_amount": "6000.50",
        "bonus_currency": "CNY",
        "hard_to_fill": "y",
        "action": "open",
    }
    data.update(overrides)
    return data


def job_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Job))


# Who sees what ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/jobs/", "/jobs/manage", "/jobs/new", "/jobs/{id}", "/jobs/{id}/edit"]
)
def test_anonymous_visitors_are_sent_to_login(client, path):
    job = make_job()
    response = client.get(path.format(id=job.id))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER])
def test_only_hr_manages_jobs(client, auth, role):
    job = make_job(status=JobStatus.OPEN)
    draft = make_job(status=JobStatus.DRAFT)
    auth.login(make_user(role=role))
    assert client.get("/jobs/manage").status_code == 403
    assert client.get("/jobs/new").status_code == 403
    assert client.post("/jobs/new", data=job_form(job.department_id)).status_code == 403
    assert client.get(f"/jobs/{job.id}/edit").status_code == 403
    assert client.post(f"/jobs/{job.id}/close").status_code == 403
    assert client.post(f"/jobs/{draft.id}/open").status_code == 403
    db.session.expire_all()
    assert db.session.get(Job, job.id).status == JobStatus.OPEN
    assert db.session.get(Job, draft.id).status == JobStatus.DRAFT
    assert job_count() == 2


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER])
def test_employees_and_managers_see_open_jobs_but_never_drafts(client, auth, role):
    open_job = make_job(title="Visible Role", status=JobStatus.OPEN)
    draft = make_job(title="Secret Draft", status=JobStatus.DRAFT)
    closed = make_job(title="Filled Role", status=JobStatus.CLOSED)
    auth.login(make_user(role=role))
    listing = client.get("/jobs/").get_data(as_text=True)
    assert "Visible Role" in listing
    assert "Secret Draft" not in listing
    assert "Filled Role" not in listing
    assert client.get(f"/jobs/{open_job.id}").status_code == 200
    assert client.get(f"/jobs/{draft.id}").status_code == 404
    page = client.get(f"/jobs/{closed.id}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "no longer accepting referrals" in body
    assert f"/referrals/new/{closed.id}" not in body


def test_hr_sees_every_job_and_the_draft_page(client, auth, hr):
    make_job(title="Open One", status=JobStatus.OPEN)
    draft = make_job(title="Draft One", status=JobStatus.DRAFT)
    make_job(title="Closed One", status=JobStatus.CLOSED)
    auth.login(hr)
    manage = client.get("/jobs/manage").get_data(as_text=True)
    for title in ("Open One", "Draft One", "Closed One"):
        assert title in manage
    drafts_only = client.get("/jobs/manage?status=draft").get_data(as_text=True)
    assert "Draft One" in drafts_only and "Open One" not in drafts_only
    assert client.get(f"/jobs/{draft.id}").status_code == 200


def test_unknown_job_is_404(client, auth, employee):
    auth.login(employee)
    assert client.get("/jobs/999999").status_code == 404


# The job page ----------------------------------------------------------------------------------


def test_job_page_shows_profile_strong_referral_bonus_split_and_refer_button(
    client, auth, employee
):
    manager = make_user(role=Role.MANAGER, name="Grace Hopper")
    job = make_job(
        title="Platform Engineer",
        skills=["Go", "Kubernetes"],
        certificates=["CKA"],
        competencies=["Distributed systems"],
        soft_traits=["Calm under pressure"],
        challenges="Pager duty one week in five.",
        bonus_minor=800000,
        hiring_manager_id=manager.id,
    )
    auth.login(employee)
    body = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    for text in (
        "Platform Engineer",
        "Distributed systems",
        "Bachelor&#39;s degree or higher",
        "At least 3 years of relevant experience",
        "Skill: Kubernetes",
        "Certificate: CKA",
        "Calm under pressure",
        "Pager duty one week in five.",
        "What a strong referral looks like",
        "Grace Hopper",
        f'href="/referrals/new/{job.id}"',
    ):
        assert text in body, text
    # Default rules: 30% at hire, 70% after probation, exact minor units.
    assert "2,400.00" in body and "5,600.00" in body and "8,000.00" in body
    assert "part due after probation is cancelled" in body


def test_markdown_in_the_description_is_sanitized(client, auth, employee):
    job = make_job(
        description='Hello **team**\n\n<script>alert("x")</script>\n\n[link](javascript:alert(1))',
        challenges="<img src=x onerror=alert(1)>",
    )
    auth.login(employee)
    body = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "<strong>team</strong>" in body
    assert '<script>alert("x")</script>' not in body
    assert "&lt;script&gt;" in body
    assert "javascript:alert" not in body
    assert "<img" not in body


def test_hiring_manager_is_told_they_earn_no_bonus_on_their_own_job(client, auth):
    manager = make_user(role=Role.MANAGER)
    job = make_job(hiring_manager_id=manager.id)
    auth.login(manager)
    body = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "You are the hiring manager for this job" in body


# Search and filters ----------------------------------------------------------------------------


@pytest.fixture
def catalogue():
    eng = make_department("Engineering")
    mkt = make_department("Marketing")
    return {
        "backend": make_job(
            title="Backend Engineer", department=eng, location="Shanghai", skills=["Rust"]
        ),
        "brand": make_job(
            title="Brand Manager",
            department=mkt,
            location="Beijing",
            skills=["Storytelling"],
            description="Own our voice in the **FMCG** market.",
            hard_to_fill=True,
        ),
        "data": make_job(
            title="数据分析师", department=eng, location="Beijing", skills=["SQL", "数据建模"]
        ),
        "draft": make_job(title="Hidden Rust Job", department=eng, status=JobStatus.DRAFT),
    }


def titles(response) -> set[str]:
    body = response.get_data(as_text=True)
    return {
        name
        for name in ("Backend Engineer", "Brand Manager", "数据分析师", "Hidden Rust Job")
        if name in body
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=backend", {"Backend Engineer"}),
        ("q=rust", {"Backend Engineer"}),  # skill; the draft stays hidden
        ("q=fmcg", {"Brand Manager"}),  # description text
        ("q=数据建模", {"数据分析师"}),  # non-ASCII skill
        ("q=100%25", set()),  # LIKE wildcards are literal
        ("location=Beijing", {"Brand Manager", "数据分析师"}),
        ("hard_to_fill=1", {"Brand Manager"}),
        ("location=Beijing&q=sql", {"数据分析师"}),
    ],
)
def test_search_and_filters(client, auth, employee, catalogue, query, expected):
    auth.login(employee)
    assert titles(client.get(f"/jobs/?{query}")) == expected


def test_department_filter(client, auth, employee, catalogue):
    auth.login(employee)
    department = catalogue["brand"].department_id
    assert titles(client.get(f"/jobs/?department={department}")) == {"Brand Manager"}
    assert titles(client.get("/jobs/?department=abc")) == {
        "Backend Engineer",
        "Brand Manager",
        "数据分析师",
    }


def test_htmx_request_returns_only_the_results_block(client, auth, employee, catalogue):
    auth.login(employee)
    response = client.get("/jobs/?q=brand", headers=HTMX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    assert body.lstrip().startswith('<div id="job-results"')
    assert '<nav class="navbar' not in body and "<html" not in body
    assert "Brand Manager" in body and "Backend Engineer" not in body
    full = client.get("/jobs/?q=brand")
    assert "<html" in full.get_data(as_text=True)
    assert "HX-Request" in full.headers["Vary"]


def test_listing_is_paginated(client, auth, employee):
    department = make_department()
    for n in range(14):
        make_job(title=f"Role number {n:02d}", department=department)
    auth.login(employee)
    first = client.get("/jobs/").get_data(as_text=True)
    second = client.get("/jobs/?page=2").get_data(as_text=True)
    assert first.count('data-testid="job-card"') == 12
    assert second.count('data-testid="job-card"') == 2
    assert "14 open jobs" in first
    assert client.get("/jobs/?page=99").status_code == 200


# HR's editor -----------------------------------------------------------------------------------


def test_hr_creates_and_opens_a_job(client, auth, hr):
    department = make_department()
    manager = make_user(role=Role.MANAGER)
    auth.login(hr)
    assert client.get("/jobs/new").status_code == 200
    response = client.post(
        "/jobs/new", data=job_form(department.id, hiring_manager_id=str(manager.id))
    )
    assert response.status_code == 302
    job = db.session.scalars(select(Job)).one()
    assert response.headers["Location"].endswith(f"/jobs/{job.id}")
    assert job.status == JobStatus.OPEN and job.opened_at is not None
    assert job.bonus_minor == 600050 and job.bonus_currency == "CNY"
    assert job.skills == ["SEO", "Copywriting"]
    assert job.hard_to_fill is True
    assert job.hiring_manager_id == manager.id
    assert job.created_by_id == hr.id


def test_hr_saves_a_draft(client, auth, hr):
    auth.login(hr)
    client.post("/jobs/new", data=job_form(make_department().id, action="draft"))
    assert db.session.scalars(select(Job)).one().status == JobStatus.DRAFT


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"bonus_amount": "abc"}, "Enter the bonus as a number"),
        ({"bonus_amount": "-5"}, "cannot be negative"),
        ({"bonus_amount": "12.345"}, "at most 2 decimal places"),
        ({"department_id": ""}, "Choose a department."),
        ({"title": ""}, "Enter the job title in Chinese, in English, or both."),
        ({"min_years": "99"}, "between 0 and 50"),
        ({"min_years": "two"}, "between 0 and 50"),
        ({"hiring_manager_id": "123456"}, "active manager or HR"),
        ({"bonus_currency": "XXX"}, 'is-invalid" id="bonus_currency"'),
    ],
)
def test_bad_job_input_is_refused_with_422_and_nothing_saved(client, auth, hr, overrides, message):
    auth.login(hr)
    response = client.post("/jobs/new", data={**job_form(make_department().id), **overrides})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert job_count() == 0


def test_hr_edits_a_job_with_a_prefilled_form(client, auth, hr):
    job = make_job(title="Old Title", skills=["Python", "SQL"], bonus_minor=800050)
    auth.login(hr)
    form = client.get(f"/jobs/{job.id}/edit").get_data(as_text=True)
    assert 'value="Old Title"' in form
    assert "Python\nSQL" in form
    assert 'value="8000.50"' in form
    response = client.post(
        f"/jobs/{job.id}/edit", data=job_form(job.department_id, title="New Title")
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Job, job.id).title == "New Title"


def test_bad_edit_changes_nothing(client, auth, hr):
    job = make_job(title="Keep Me")
    auth.login(hr)
    response = client.post(
        f"/jobs/{job.id}/edit", data=job_form(job.department_id, title="X", bonus_amount="-1")
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Job, job.id).title == "Keep Me"


def test_open_and_close_with_plain_forms(client, auth, hr):
    job = make_job(status=JobStatus.DRAFT)
    auth.login(hr)
    response = client.post(f"/jobs/{job.id}/open")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Job, job.id).status == JobStatus.OPEN
    response = client.post(f"/jobs/{job.id}/close", data={"next": "manage"})
    assert response.status_code == 302 and "/jobs/manage" in response.headers["Location"]
    db.session.expire_all()
    closed = db.session.get(Job, job.id)
    assert closed.status == JobStatus.CLOSED and closed.closed_at is not None
    client.post(f"/jobs/{job.id}/open")
    db.session.expire_all()
    assert db.session.get(Job, job.id).status == JobStatus.OPEN


def test_open_and_close_in_place_with_htmx(client, auth, hr):
    job = make_job(title="Live Toggle", status=JobStatus.OPEN)
    auth.login(hr)
    response = client.post(f"/jobs/{job.id}/close", headers=HTMX, data={"status_filter": ""})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="manage-results"')
    assert "<html" not in body
    toast = json.loads(response.headers["HX-Trigger"])["toast"][0]
    assert "Live Toggle" in toast["message"]
    db.session.expire_all()
    assert db.session.get(Job, job.id).status == JobStatus.CLOSED


def test_closing_a_draft_is_refused_politely(client, auth, hr):
    job = make_job(status=JobStatus.DRAFT)
    auth.login(hr)
    response = client.post(f"/jobs/{job.id}/close", headers=HTMX)
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(Job, job.id).status == JobStatus.DRAFT


def test_post_without_csrf_token_is_refused(client, auth, hr):
    job = make_job(status=JobStatus.OPEN)
    auth.login(hr)
    response = client.post(f"/jobs/{job.id}/close", csrf=False)
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Job, job.id).status == JobStatus.OPEN


def test_every_problem_is_shown_at_once(client, auth, hr):
    auth.login(hr)
    response = client.post(
        "/jobs/new", data={**job_form(make_department().id), "title": "", "bonus_amount": "abc"}
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter the job title in Chinese, in English, or both." in body
    assert "Enter the bonus as a number" in body
    assert body.count("Enter the job title in Chinese, in English, or both.") == 1


# Issue 11 §26 and §21: sorting the jobs lists ---------------------------------------------------


def titles_in(text: str, titles: list[str]) -> list[str]:
    found = {t: text.find(t) for t in titles}
    return [t for t in sorted(found, key=found.__getitem__) if found[t] >= 0]


@pytest.fixture
def three_jobs():
    from datetime import timedelta

    from community.core.time import utcnow

    now = utcnow()
    return [
        make_job(
            title="Alpha Analyst",
            department=make_department("Zeta Sales"),
            bonus_minor=500000,
            opened_at=now - timedelta(days=3),
            hard_to_fill=True,
        ),
        make_job(
            title="Beta Builder",
            department=make_department("Alpha Engineering"),
            bonus_minor=900000,
            opened_at=now - timedelta(days=1),
        ),
        make_job(
            title="Gamma Guide",
            department=make_department("Mid Support"),
            bonus_minor=100000,
            opened_at=now - timedelta(days=2),
        ),
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Alpha Analyst", "Beta Builder", "Gamma Guide"]),  # hard to fill first, then newest
        ("sort=newest", ["Beta Builder", "Gamma Guide", "Alpha Analyst"]),
        ("sort=bonus", ["Beta Builder", "Alpha Analyst", "Gamma Guide"]),
        ("sort=department", ["Beta Builder", "Gamma Guide", "Alpha Analyst"]),
        ("sort=salary", ["Alpha Analyst", "Beta Builder", "Gamma Guide"]),  # unknown: default
    ],
)
def test_employees_sort_open_jobs(client, auth, employee, three_jobs, query, expected):
    auth.login(employee)
    response = client.get(f"/jobs/?{query}")
    assert response.status_code == 200
    titles = [job.title for job in three_jobs]
    assert titles_in(response.text, titles) == expected
    assert 'data-testid="sort-note"' in response.text


def test_sorting_works_with_htmx_search_and_the_pager(client, auth, employee, three_jobs, app):
    auth.login(employee)
    fragment = client.get("/jobs/?q=a&sort=bonus", headers=HTMX)
    assert fragment.text.lstrip().startswith('<div id="job-results"')
    assert titles_in(fragment.text, [j.title for j in three_jobs]) == [
        "Beta Builder",
        "Alpha Analyst",
        "Gamma Guide",
    ]
    for _ in range(10):  # thirteen open jobs with an "a": two pages of twelve
        make_job()
    page = client.get("/jobs/?q=a&sort=bonus", headers=HTMX)
    assert "q=a&amp;sort=bonus&amp;dir=desc&amp;page=2" in page.text  # the pager keeps both


def test_hr_sorts_and_filters_the_jobs_list(client, auth, hr, three_jobs):
    auth.login(hr)
    titles = [job.title for job in three_jobs]
    page = client.get("/jobs/manage").text
    assert "Sorted by last changed, most recently changed first (the default order)." in page
    by_bonus = client.get("/jobs/manage?sort=bonus&dir=asc").text
    assert titles_in(by_bonus, titles) == ["Gamma Guide", "Alpha Analyst", "Beta Builder"]
    by_title = client.get("/jobs/manage?sort=title&dir=desc").text
    assert titles_in(by_title, titles) == ["Gamma Guide", "Beta Builder", "Alpha Analyst"]
    department = three_jobs[2].department_id
    only = client.get(f"/jobs/manage?department={department}").text
    assert titles_in(only, titles) == ["Gamma Guide"]
    searched = client.get("/jobs/manage?q=builder").text
    assert titles_in(searched, titles) == ["Beta Builder"]
    odd = client.get("/jobs/manage?sort=secret&dir=x&department=abc&page=99999999999999")
    assert odd.status_code == 200


def test_hr_list_actions_keep_filters_sort_and_page(client, auth, hr, three_jobs):
    auth.login(hr)
    job = three_jobs[0]
    response = client.post(
        f"/jobs/{job.id}/close?status=open&sort=bonus&dir=asc", data={"next": "manage"}
    )
    assert response.headers["Location"] == "/jobs/manage?status=open&sort=bonus&dir=asc"
    fragment = client.post(f"/jobs/{job.id}/open?sort=title", headers=HTMX, data={"next": "manage"})
    assert fragment.status_code == 200
    assert 'aria-sort="ascending"' in fragment.text and 'data-testid="sort-title"' in fragment.text
