"""The challenge form over HTTP: a manager and HR host with the choices their role allows, times
typed in the company zone are stored in UTC, and every refusal shows on its field with its
status and writes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from community.challenges import lifecycle
from community.challenges.models import ChallengeStatus, Metric, PeopleScope, TeamMode
from community.core.time import to_local, utcnow
from community.extensions import db
from tests.challenges.factories import make_challenge
from tests.challenges.hosting import (
    challenge_form,
    challenges,
    hosting_company,
    local_text,
    only_challenge,
)
from tests.factories import make_job
from tests.security.conftest import db_fingerprint, login


@pytest.fixture
def co():  # noqa: ANN201
    return hosting_company()


def field_error(page: str, field: str) -> str:
    """The text of the error shown under `field`."""
    marker = f'id="{field}-error"'
    assert marker in page, f"no error under {field}"
    return page.split(marker, 1)[1].split("</div>", 2)[0]


def test_a_manager_hosts_a_draft_for_their_team(client, co) -> None:
    login(client, co.host)
    form = client.get("/challenges/new").text
    assert 'value="company"' not in form  # only HR hosts for the whole company
    assert "My team (direct reports)" in form and "My department" in form
    assert co.research.name not in form  # a manager is offered their own department only
    assert 'name="team_mode"' not in form
    assert "Asia/Shanghai (UTC+08:00)" in form

    tomorrow = to_local(utcnow()).date() + timedelta(days=1)
    data = challenge_form(starts_at=f"{tomorrow}T09:00", ends_at=f"{tomorrow}T18:00")
    response = client.post("/challenges/new", data=data)
    challenge = only_challenge()
    assert response.status_code == 302
    assert response.location == f"/challenges/{challenge.id}/edit#prizes"  # prizes next
    assert challenge.status == ChallengeStatus.DRAFT
    assert challenge.host_id == co.host.id
    assert challenge.people_scope == PeopleScope.TEAM
    assert challenge.title_en == "Team referral sprint"
    # 09:00 in Shanghai is 01:00 UTC, stored naive.
    assert (challenge.starts_at.hour, challenge.ends_at.hour) == (1, 10)


def test_a_manager_may_choose_their_own_department(client, co) -> None:
    login(client, co.host)
    data = challenge_form(people_scope="departments", department_ids=[str(co.sales.id)])
    assert client.post("/challenges/new", data=data).status_code == 302
    challenge = only_challenge()
    assert (challenge.people_scope, challenge.department_ids) == (
        PeopleScope.DEPARTMENTS,
        [co.sales.id],
    )


def test_hr_hosts_departments_against_each_other_with_a_multiplier(client, co) -> None:
    hard, plain = make_job(hard_to_fill=True), make_job()
    login(client, co.hr)
    form = client.get("/challenges/new").text
    assert 'value="company"' in form and 'name="team_mode"' in form
    assert f'<option selected value="{hard.id}">' in form  # hard-to-fill: suggested for the bonus
    assert f'<option value="{plain.id}">' in form
    data = challenge_form(
        people_scope="departments",
        department_ids=[str(co.sales.id), str(co.research.id)],
        team_mode="per_head",
        metric="hires",
        settlement_days="60",
        multiplier_percent="300",
        multiplier_job_ids=[str(hard.id)],
        job_families=["engineering"],
    )
    assert client.post("/challenges/new", data=data).status_code == 302
    challenge = only_challenge()
    assert challenge.team_mode == TeamMode.PER_HEAD
    assert challenge.metric == Metric.HIRES and challenge.settlement_days == 60
    assert (challenge.multiplier_percent, challenge.multiplier_job_ids) == (300, [hard.id])
    assert challenge.job_families == ["engineering"]


BAD_INPUTS = [
    # (form overrides, who, status, field, message)
    ({"ends_at": "start"}, "host", 422, "ends_at", "The end must come after the start."),
    ({"ends_at": "+93d"}, "host", 422, "ends_at", "at most a quarter (92 days)"),
    ({"starts_at": "-1d"}, "host", 422, "starts_at", "The start cannot be in the past."),
    ({"people_scope": "company"}, "host", 403, "people_scope", "Only HR can host a challenge"),
    ({"people_scope": "departments", "department_ids": "research"}, "host", 403,
     "department_ids", "your own department or your team only"),
    ({"multiplier_percent": "0"}, "host", 422, "multiplier_percent", "between 1× and 5×"),
    ({"multiplier_percent": "600"}, "host", 422, "multiplier_percent", "between 1× and 5×"),
    ({"multiplier_percent": "abc"}, "host", 422, "multiplier_percent", "Invalid Choice"),
    ({"settlement_days": "91"}, "host", 422, "settlement_days", "between 0 and 90 days"),
    ({"title": "  "}, "host", 422, "title", "Please give the challenge a title."),
    ({"people_scope": "everyone"}, "host", 422, "people_scope", "Choose one of the options."),
    ({"starts_at": "tomorrow"}, "host", 422, "starts_at", "Not a valid datetime value."),
    ({"team_mode": "total", "people_scope": "departments", "department_ids": "sales"}, "hr",
     422, "team_mode", "at least two departments"),
]  # fmt: skip


def _resolve(co, overrides: dict) -> dict:  # noqa: ANN001
    start = utcnow() + timedelta(days=1)
    values = {}
    for key, value in overrides.items():
        if value == "start":
            value = local_text(start)
        elif value in ("+93d", "-1d"):
            value = local_text(
                start + timedelta(days=93) if value == "+93d" else utcnow() - timedelta(days=1)
            )
        elif value in ("research", "sales"):
            value = str(getattr(co, value).id)
        values[key] = value
    return values


@pytest.mark.parametrize(("overrides", "who", "status", "field", "message"), BAD_INPUTS)
def test_a_refused_form_says_why_on_its_field_and_writes_nothing(
    client, co, overrides, who, status, field, message
) -> None:
    login(client, co.user(who))
    before = db_fingerprint()
    response = client.post("/challenges/new", data=challenge_form(**_resolve(co, overrides)))
    assert response.status_code == status
    assert message in field_error(response.text, field)
    assert 'data-testid="form-errors"' in response.text  # the summary links to the field
    assert db_fingerprint() == before


def test_the_refusal_speaks_the_hosts_language(client, co) -> None:
    co.host.locale = "zh_CN"
    db.session.commit()
    login(client, co.host)
    response = client.post("/challenges/new", data=challenge_form(people_scope="company"))
    assert response.status_code == 403
    assert "只有 HR" in field_error(response.text, "people_scope")


def test_a_form_without_its_csrf_token_is_refused(client, co) -> None:
    login(client, co.host)
    response = client.post("/challenges/new", data=challenge_form(), csrf=False)
    assert response.status_code == 400
    assert challenges() == 0


def test_editing_a_draft_keeps_the_form_in_the_company_zone(client, co) -> None:
    challenge = make_challenge(co.host, schedule=False, people_scope=PeopleScope.TEAM)
    login(client, co.host)
    page = client.get(f"/challenges/{challenge.id}/edit").text
    assert f'value="{to_local(challenge.starts_at).strftime("%Y-%m-%dT%H:%M")}"' in page
    data = challenge_form(
        title="新的名字", ends_at=local_text(challenge.ends_at + timedelta(days=2))
    )
    data["starts_at"] = local_text(challenge.starts_at + timedelta(hours=1))
    response = client.post(f"/challenges/{challenge.id}/edit", data=data)
    assert response.status_code == 302
    assert challenge.title == "新的名字"
    assert challenge.status == ChallengeStatus.DRAFT


def test_a_managers_change_to_a_scheduled_challenge_goes_back_to_hr(client, co) -> None:
    start = utcnow() + timedelta(days=1)  # (once its start has passed, it is live by its dates)
    challenge = make_challenge(
        co.host, people_scope=PeopleScope.TEAM, starts_at=start, ends_at=start + timedelta(days=7)
    )
    from community.challenges import services

    services.approve_challenge(co.hr, challenge.id)
    login(client, co.host)
    data = challenge_form(starts_at=local_text(challenge.starts_at + timedelta(hours=1)))
    response = client.post(f"/challenges/{challenge.id}/edit", data=data, follow_redirects=True)
    assert "The challenge waits for HR&#39;s approval again." in response.text
    assert challenge.status == ChallengeStatus.AWAITING_APPROVAL


@pytest.mark.parametrize("state", ["live", "final", "cancelled"])
def test_after_it_goes_live_the_form_is_gone_and_a_post_changes_nothing(client, co, state) -> None:
    challenge = make_challenge(co.hr, people_scope=PeopleScope.COMPANY)
    later = challenge.ends_at + timedelta(days=1) if state == "final" else utcnow()
    if state == "cancelled":
        from community.challenges import services

        services.cancel_challenge(co.hr, challenge.id, "Budget frozen")
    else:
        lifecycle.keep_time(later + timedelta(minutes=1))
    login(client, co.hr)
    page = client.get(f"/challenges/{challenge.id}/edit")
    assert page.status_code == 200
    assert 'data-testid="challenge-form"' not in page.text
    assert ('data-testid="extend-card"' in page.text) == (state == "live")
    before = db_fingerprint()
    response = client.post(f"/challenges/{challenge.id}/edit", data=challenge_form())
    assert response.status_code == 409
    assert 'data-testid="page-error"' in response.text
    assert db_fingerprint() == before
