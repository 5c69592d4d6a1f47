"""The published rules page and HR's editor."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from community.accounts.models import Role
from community.extensions import db
from community.program.models import ProgramRules
from community.program.queries import current_rules
from community.program.services import save_rules
from tests.factories import make_department, make_user


def form_data(**overrides) -> dict:
    data = {
        "scope": "all",
        "ownership_window_days": "180",
        "review_sla_days": "3",
        "split_offer": "0",
        "split_hired": "30",
        "split_probation_passed": "70",
        "points_submitted": "10",
        "points_screening": "0",
        "points_interviewing": "30",
        "points_offer": "50",
        "points_hired": "100",
        "points_probation_passed": "150",
        "exclude_hr_from_bonus": "y",
        "exclude_hiring_manager_from_bonus": "y",
        "hard_to_fill_multiplier_percent": "150",
    }
    data.update(overrides)
    return data


def versions() -> int:
    return db.session.scalar(select(func.count()).select_from(ProgramRules))


def test_anonymous_visitors_are_sent_to_login(client):
    for path in ("/program/rules", "/program/rules/edit"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER, Role.HR])
def test_every_logged_in_role_reads_the_rules_in_plain_language(client, auth, role):
    auth.login(make_user(role=role))
    response = client.get("/program/rules")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    for text in (
        "Every employee in every department may refer",
        "30% when your candidate is hired",
        "70% after they pass probation",
        "part due after probation is cancelled",
        "owns them for 180 days",
        "within 3 working days",
        "HR staff do not earn referral bonuses",
        "Hiring managers do not earn a bonus for referrals to their own job",
        "tagged to you",
    ):
        assert text in body, text
    assert ("Edit rules" in body) == (role == Role.HR)


def test_rules_page_lists_chosen_departments_and_last_update(client, auth):
    sales = make_department("Sales Team")
    save_rules(
        None,
        all_departments_eligible=False,
        eligible_department_ids=[sales.id],
        ownership_window_days=90,
        bonus_split={"hired": 100},
        stage_points={"submitted": 5},
        review_sla_days=5,
    )
    auth.login(make_user())
    body = client.get("/program/rules").get_data(as_text=True)
    assert "Sales Team" in body
    assert "100% when your candidate is hired" in body
    assert "after probation" not in body
    assert "owns them for 90 days" in body
    assert "Last updated" in body


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER])
def test_only_hr_edits_the_rules(client, auth, role):
    auth.login(make_user(role=role))
    assert client.get("/program/rules/edit").status_code == 403
    assert client.post("/program/rules/edit", data=form_data()).status_code == 403
    assert versions() == 0


def test_edit_form_is_prefilled_from_the_current_rules(client, auth):
    save_rules(
        None,
        all_departments_eligible=True,
        ownership_window_days=120,
        bonus_split={"offer": 10, "hired": 40, "probation_passed": 50},
        stage_points={"submitted": 7},
        review_sla_days=4,
        hard_to_fill_multiplier_percent=175,
    )
    auth.login(make_user(role=Role.HR))
    body = client.get("/program/rules/edit").get_data(as_text=True)
    for name, value in (
        ("ownership_window_days", 120),
        ("split_offer", 10),
        ("points_submitted", 7),
        ("hard_to_fill_multiplier_percent", 175),
    ):
        assert re.search(rf'name="{name}"[^>]*value="{value}"', body), name
    assert re.search(r'value="all"[^>]*checked|checked[^>]*value="all"', body)


def test_hr_publishes_a_new_version(client, auth):
    hr = make_user(role=Role.HR)
    department = make_department()
    auth.login(hr)
    response = client.post(
        "/program/rules/edit",
        data=form_data(
            scope="chosen",
            eligible_department_ids=[str(department.id)],
            ownership_window_days="200",
            split_hired="40",
            split_probation_passed="60",
            exclude_hr_from_bonus="",
            hard_to_fill_multiplier_percent="200",
        ),
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/program/rules")
    rules = current_rules()
    assert rules.id is not None and rules.created_by_id == hr.id
    assert rules.all_departments_eligible is False
    assert rules.eligible_department_ids == [department.id]
    assert rules.ownership_window_days == 200
    assert rules.bonus_split == {"hired": 40, "probation_passed": 60}
    assert rules.exclude_hr_from_bonus is False
    assert rules.hard_to_fill_multiplier_percent == 200
    page = client.get("/program/rules").get_data(as_text=True)
    assert "Referrals to a hard-to-fill job earn 200% of these points." in page
    client.post("/program/rules/edit", data=form_data())
    assert versions() == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"split_hired": "30", "split_probation_passed": "60"}, "must add up to exactly 100%"),
        (
            {"split_hired": "-10", "split_probation_passed": "110"},
            "Enter a percentage from 0 to 100",
        ),
        ({"split_hired": "30.5"}, 'is-invalid" id="split_hired"'),
        ({"ownership_window_days": "0"}, "Enter a number of days from 1 to 730"),
        ({"ownership_window_days": ""}, "Enter the ownership window in days"),
        ({"review_sla_days": "31"}, "from 1 to 30"),
        ({"scope": "chosen"}, "Choose at least one department"),
        ({"points_hired": "-5"}, "Enter points from 0 to 10000"),
        ({"hard_to_fill_multiplier_percent": "99"}, "Enter a percent from 100 to 500"),
        ({"hard_to_fill_multiplier_percent": ""}, "Enter the hard-to-fill multiplier"),
        ({"eligible_department_ids": "abc", "scope": "chosen"}, "is-invalid"),
    ],
)
def test_bad_rules_are_refused_with_422_and_nothing_saved(client, auth, overrides, message):
    auth.login(make_user(role=Role.HR))
    response = client.post("/program/rules/edit", data=form_data(**overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert versions() == 0


def test_post_without_csrf_token_is_refused(client, auth):
    auth.login(make_user(role=Role.HR))
    response = client.post("/program/rules/edit", data=form_data(), csrf=False)
    assert response.status_code == 400
    assert versions() == 0
