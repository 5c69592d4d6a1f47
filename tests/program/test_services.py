"""Program rules: validation, versioning, and the bonus split in exact money."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from community.accounts.models import Role
from community.core.money import Money
from community.extensions import db
from community.program.models import DEFAULT_BONUS_SPLIT, DEFAULT_STAGE_POINTS, ProgramRules
from community.program.queries import bonus_instalments, current_rules
from community.program.services import RulesError, save_rules
from tests.factories import make_department, make_user


def rules_input(**overrides):
    values = {
        "all_departments_eligible": True,
        "eligible_department_ids": [],
        "ownership_window_days": 180,
        "bonus_split": {"hired": 30, "probation_passed": 70},
        "stage_points": dict(DEFAULT_STAGE_POINTS),
        "review_sla_days": 3,
        "exclude_hr_from_bonus": True,
        "exclude_hiring_manager_from_bonus": True,
    }
    values.update(overrides)
    return values


def versions() -> int:
    return db.session.scalar(select(func.count()).select_from(ProgramRules))


def test_defaults_before_hr_saves_anything():
    rules = current_rules()
    assert rules.id is None
    assert rules.bonus_split == DEFAULT_BONUS_SPLIT
    assert rules.ownership_window_days == 180
    assert rules.review_sla_days == 3


def test_every_save_is_a_new_version_and_the_newest_is_current():
    hr = make_user(role=Role.HR)
    first = save_rules(hr, **rules_input(ownership_window_days=90))
    second = save_rules(hr, **rules_input(ownership_window_days=365))
    assert versions() == 2
    assert second.id > first.id
    assert current_rules().id == second.id
    assert current_rules().ownership_window_days == 365
    assert db.session.get(ProgramRules, first.id).ownership_window_days == 90
    assert second.created_by_id == hr.id


def test_zero_shares_are_dropped_and_offer_may_pay():
    rules = save_rules(
        None, **rules_input(bonus_split={"offer": 20, "hired": 0, "probation_passed": 80})
    )
    assert rules.bonus_split == {"offer": 20, "probation_passed": 80}


@pytest.mark.parametrize(
    "split",
    [
        {"hired": 30, "probation_passed": 60},
        {"hired": 50, "probation_passed": 60},
        {"hired": -10, "probation_passed": 110},
        {"submitted": 50, "hired": 50},
        {"hired": 30.5, "probation_passed": 69.5},
        {},
    ],
)
def test_bonus_split_must_be_whole_non_negative_and_sum_to_100(split):
    with pytest.raises(RulesError) as caught:
        save_rules(None, **rules_input(bonus_split=split))
    assert "bonus_split" in caught.value.errors
    assert versions() == 0


def test_split_message_says_what_it_adds_up_to():
    with pytest.raises(RulesError) as caught:
        save_rules(None, **rules_input(bonus_split={"hired": 30, "probation_passed": 60}))
    assert "exactly 100%" in caught.value.errors["bonus_split"]
    assert "90%" in caught.value.errors["bonus_split"]


@pytest.mark.parametrize("days", [0, -1, 731, None])
def test_ownership_window_is_1_to_730_days(days):
    with pytest.raises(RulesError) as caught:
        save_rules(None, **rules_input(ownership_window_days=days))
    assert "ownership_window_days" in caught.value.errors


@pytest.mark.parametrize("days", [0, 31])
def test_review_sla_is_1_to_30_working_days(days):
    with pytest.raises(RulesError) as caught:
        save_rules(None, **rules_input(review_sla_days=days))
    assert "review_sla_days" in caught.value.errors


@pytest.mark.parametrize("points", [{"submitted": -1}, {"hired": "ten"}, {"offer": 10_001}])
def test_stage_points_are_non_negative_whole_numbers(points):
    with pytest.raises(RulesError) as caught:
        save_rules(None, **rules_input(stage_points={**DEFAULT_STAGE_POINTS, **points}))
    assert "stage_points" in caught.value.errors


def test_chosen_departments_must_not_be_empty_and_must_exist():
    with pytest.raises(RulesError) as caught:
        save_rules(None, **rules_input(all_departments_eligible=False, eligible_department_ids=[]))
    assert "eligible_department_ids" in caught.value.errors
    with pytest.raises(RulesError):
        save_rules(
            None, **rules_input(all_departments_eligible=False, eligible_department_ids=[999])
        )
    sales, ops = make_department("Sales"), make_department("Operations")
    rules = save_rules(
        None,
        **rules_input(all_departments_eligible=False, eligible_department_ids=[ops.id, sales.id]),
    )
    assert rules.eligible_department_ids == sorted([ops.id, sales.id])
    assert rules.is_department_eligible(sales.id)
    assert not rules.is_department_eligible(make_department().id)


def test_all_departments_ignores_a_leftover_list():
    department = make_department()
    rules = save_rules(None, **rules_input(eligible_department_ids=[department.id]))
    assert rules.all_departments_eligible is True
    assert rules.eligible_department_ids == []


def test_every_error_is_reported_at_once_and_nothing_written():
    with pytest.raises(RulesError) as caught:
        save_rules(
            None,
            **rules_input(ownership_window_days=0, review_sla_days=0, bonus_split={"hired": 1}),
        )
    assert set(caught.value.errors) == {"ownership_window_days", "review_sla_days", "bonus_split"}
    assert versions() == 0


def test_bonus_instalments_add_up_exactly():
    rules = current_rules()
    parts = bonus_instalments(rules, Money.parse("100.01", "CNY"))
    assert [(p.stage, p.percent, p.amount.amount_minor) for p in parts] == [
        ("hired", 30, 3000),
        ("probation_passed", 70, 7001),
    ]
    assert sum(p.amount.amount_minor for p in parts) == 10001
    assert Money.parse("8000.50", "CNY").amount_minor == 800050
