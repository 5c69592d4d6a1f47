"""Issue 11 §20: the program rules say how long probation lasts; the share paid after probation
falls due that many months after the hire's start date."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from community.accounts.models import Role
from community.extensions import db
from community.program.models import ProgramRules
from community.program.queries import current_rules
from community.program.services import RulesError, save_rules
from tests.factories import make_user
from tests.program.test_routes import form_data


def _save(**fields):
    return save_rules(
        None,
        all_departments_eligible=True,
        ownership_window_days=180,
        bonus_split={"hired": 30, "probation_passed": 70},
        stage_points={},
        review_sla_days=3,
        **fields,
    )


def test_probation_lasts_three_months_unless_hr_says_otherwise():
    assert current_rules().probation_months == 3
    assert _save().probation_months == 3
    assert _save(probation_months=6).probation_months == 6
    assert _save().probation_months == 6  # None keeps the current length


@pytest.mark.parametrize("months", [0, 13, -1, "3", True])
def test_a_probation_length_out_of_range_is_refused(months):
    with pytest.raises(RulesError) as exc:
        _save(probation_months=months)
    assert "probation_months" in exc.value.errors


def test_hr_sets_the_probation_length_and_everyone_reads_it(client, auth, hr):
    auth.login(hr)
    edit = client.get("/program/rules/edit").text
    assert 'name="probation_months"' in edit
    refused = client.post("/program/rules/edit", data=form_data(probation_months="24"))
    assert refused.status_code == 422 and "from 1 to 12" in refused.text
    saved = client.post("/program/rules/edit", data=form_data(probation_months="6"))
    assert saved.status_code == 302
    assert current_rules().probation_months == 6
    auth.logout()
    auth.login(make_user(role=Role.EMPLOYEE))
    page = client.get("/program/rules").text
    assert "Probation lasts 6 months from the hire's start date" in page


def test_a_form_without_the_field_keeps_the_length(client, auth, hr):
    _save(probation_months=4)
    auth.login(hr)
    assert client.post("/program/rules/edit", data=form_data()).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(ProgramRules)) == 2
    assert current_rules().probation_months == 4
