"""Job writes: validation, exact money, status changes."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from community.accounts.models import Role
from community.core.money import Money
from community.extensions import db
from community.jobs.models import Education, Job, JobFamily, JobStatus
from community.jobs.services import (
    MAX_LIST_ITEMS,
    JobError,
    JobFields,
    clean_lines,
    close_job,
    create_job,
    open_job,
    parse_bonus,
    update_job,
)
from tests.factories import make_department, make_job, make_user


def fields(**overrides) -> JobFields:
    values = {
        "title": "Data Engineer",
        "department_id": make_department().id,
        "location": "Hangzhou",
        "family": JobFamily.ENGINEERING,
        "description": "Own the **data platform**.",
        "competencies": "Data modelling\nOwnership",
        "education": Education.BACHELOR,
        "min_years": 3,
        "skills": "Python\nSpark",
        "soft_traits": "Communication",
        "challenges": "On-call one week in six.",
        "bonus_amount": "8000.50",
        "bonus_currency": "CNY",
    }
    values.update(overrides)
    return JobFields(**values)


def job_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Job))


def test_create_job_saves_a_draft_with_the_full_profile():
    hr = make_user(role=Role.HR)
    job = create_job(hr, fields())
    assert job.status == JobStatus.DRAFT
    assert job.opened_at is None
    assert job.created_by_id == hr.id
    assert job.competencies == ["Data modelling", "Ownership"]
    assert job.skills == ["Python", "Spark"]
    assert job.bonus_minor == 800050
    assert job.bonus == Money(800050, "CNY")


def test_create_job_can_open_at_once():
    job = create_job(make_user(role=Role.HR), fields(), open_now=True)
    assert job.status == JobStatus.OPEN
    assert job.opened_at is not None


def test_list_fields_are_stripped_deduplicated_and_capped():
    assert clean_lines("  Python \n\npython\n  SQL  \n\t\nGo  lang") == ["Python", "SQL", "Go lang"]
    too_many = "\n".join(f"Skill {n}" for n in range(MAX_LIST_ITEMS + 1))
    with pytest.raises(JobError) as caught:
        create_job(None, fields(skills=too_many))
    assert "skills" in caught.value.errors
    with pytest.raises(JobError) as caught:
        create_job(None, fields(competencies="x" * 121))
    assert "competencies" in caught.value.errors


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [("8000.50", "CNY", 800050), ("8,000", "CNY", 800000), ("0", "USD", 0), ("5000", "JPY", 5000)],
)
def test_bonus_is_parsed_exactly(text, currency, minor):
    money = parse_bonus(text, currency)
    assert money == Money(minor, currency)
    assert parse_bonus(money.plain(), currency) == money  # round trip through the form


@pytest.mark.parametrize(
    ("text", "currency", "fragment"),
    [
        ("abc", "CNY", "as a number"),
        ("-5", "CNY", "cannot be negative"),
        ("12.345", "CNY", "at most 2 decimal places"),
        ("12.5", "JPY", "whole numbers"),
        ("NaN", "CNY", "as a number"),
        ("1e999999", "CNY", "cannot be more than"),
        ("5000000", "CNY", "cannot be more than"),
    ],
)
def test_bad_bonus_is_refused_with_a_clear_message(text, currency, fragment):
    with pytest.raises(JobError) as caught:
        create_job(None, fields(bonus_amount=text, bonus_currency=currency))
    assert fragment in caught.value.errors["bonus_amount"]
    assert job_count() == 0


def test_unknown_currency_is_refused():
    with pytest.raises(JobError) as caught:
        create_job(None, fields(bonus_currency="XYZ"))
    assert "bonus_currency" in caught.value.errors


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"title": "   "}, "title"),
        ({"department_id": None}, "department_id"),
        ({"department_id": 999_999}, "department_id"),
        ({"location": ""}, "location"),
        ({"min_years": 51}, "min_years"),
        ({"min_years": -1}, "min_years"),
        ({"education": "kindergarten"}, "education"),
        ({"family": "astronaut"}, "family"),
    ],
)
def test_required_and_ranged_fields(override, field):
    with pytest.raises(JobError) as caught:
        create_job(None, fields(**override))
    assert field in caught.value.errors
    assert job_count() == 0


def test_hiring_manager_must_be_an_active_manager_or_hr():
    manager = make_user(role=Role.MANAGER)
    hr = make_user(role=Role.HR)
    employee = make_user(role=Role.EMPLOYEE)
    gone = make_user(role=Role.MANAGER, is_active_account=False)
    assert create_job(None, fields(hiring_manager_id=manager.id)).hiring_manager_id == manager.id
    assert create_job(None, fields(hiring_manager_id=hr.id)).hiring_manager_id == hr.id
    for user in (employee, gone):
        with pytest.raises(JobError) as caught:
            create_job(None, fields(hiring_manager_id=user.id))
        assert "hiring_manager_id" in caught.value.errors


def test_update_job_replaces_the_profile_but_not_the_status():
    job = make_job(status=JobStatus.OPEN)
    update_job(None, job, fields(title="Senior Data Engineer", skills="Scala"))
    db.session.expire_all()
    assert job.title == "Senior Data Engineer"
    assert job.skills == ["Scala"]
    assert job.status == JobStatus.OPEN


def test_failed_update_writes_nothing():
    job = make_job(title="Original")
    with pytest.raises(JobError):
        update_job(None, job, fields(title="Changed", bonus_amount="-1"))
    db.session.rollback()
    assert db.session.get(Job, job.id).title == "Original"


def test_open_close_and_reopen_stamp_the_times():
    job = make_job(status=JobStatus.DRAFT)
    open_job(None, job)
    assert job.status == JobStatus.OPEN and job.opened_at is not None
    first_opened = job.opened_at
    close_job(None, job)
    assert job.status == JobStatus.CLOSED and job.closed_at is not None
    open_job(None, job)
    assert job.status == JobStatus.OPEN
    assert job.closed_at is None
    assert job.opened_at >= first_opened


def test_repeated_open_and_close_are_harmless_but_a_draft_cannot_be_closed():
    job = make_job(status=JobStatus.OPEN)
    opened_at = job.opened_at
    open_job(None, job)
    assert job.opened_at == opened_at
    draft = make_job(status=JobStatus.DRAFT)
    with pytest.raises(JobError):
        close_job(None, draft)
    assert draft.status == JobStatus.DRAFT
