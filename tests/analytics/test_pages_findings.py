"""The weak spots on the dashboard: HR reads them all with their one-click actions, a manager
those about their own department, an employee none; the sharing session form takes the
suggested title."""

from __future__ import annotations

from datetime import timedelta

from community.accounts.models import Role
from community.analytics import rollups
from community.core.time import utcnow
from community.extensions import db
from tests.conftest import AuthActions
from tests.factories import make_department, make_job, make_user
from tests.referrals.factories import make_referral


def quiet_company() -> dict:
    """Finance: six people, nobody referred. Engineering: six people, four referred. A Finance
    job open for 40 days without a referral."""
    finance, engineering = make_department("Finance"), make_department("Engineering")
    people = {
        "hr": make_user(Role.HR, engineering, name="Hana HR"),
        "fin_manager": make_user(Role.MANAGER, finance, name="Fiona Manager"),
        "eng_manager": make_user(Role.MANAGER, engineering, name="Eddie Manager"),
        "employee": make_user(department=engineering, name="Emma Employee"),
    }
    for n in range(5):
        make_user(department=finance, name=f"Quiet {n}")
    referrers = [people["employee"]] + [
        make_user(department=engineering, name=f"Keen {n}") for n in range(3)
    ]
    for n in range(1):
        make_user(department=engineering, name=f"Other {n}")
    eng_job = make_job(engineering, title="Backend Engineer")
    for referrer in referrers:
        make_referral(referrer, eng_job)
    stale = make_job(finance, title="Tax Specialist", opened_at=utcnow() - timedelta(days=40))
    rollups.run(utcnow())
    db.session.commit()
    return people | {"finance": finance, "engineering": engineering, "stale": stale}


def test_hr_reads_every_weak_spot_with_its_action(client, auth: AuthActions) -> None:
    company = quiet_company()
    auth.login(company["hr"])
    page = client.get("/analytics/")
    assert page.status_code == 200
    assert 'data-testid="finding-quiet_department"' in page.text
    assert "Finance: 0.0% of people referred this quarter, company" in page.text
    assert 'data-testid="finding-stale_job"' in page.text
    assert "Tax Specialist: open for 40 days without a referral." in page.text
    assert f'href="/jobs/{company["stale"].id}/edit"' in page.text  # raise the reward
    assert 'href="/sharing/new?title=' in page.text  # offer a session
    assert f"department={company['finance'].id}" in page.text  # its numbers


def test_a_manager_reads_the_weak_spots_of_their_department_only(client, auth: AuthActions) -> None:
    company = quiet_company()
    auth.login(company["fin_manager"])
    page = client.get("/analytics/")
    assert "Tax Specialist: open for 40 days" in page.text
    assert "Finance: 0.0% of people referred" in page.text
    assert "/jobs/" not in page.text.split('id="findings"')[1].split("</section>")[0]  # HR's
    auth.logout()
    auth.login(company["eng_manager"])
    page = client.get("/analytics/")
    assert 'data-testid="findings"' not in page.text
    assert "Tax Specialist" not in page.text.split('id="analytics-content"')[1]


def test_an_employee_reads_no_weak_spots(client, auth: AuthActions) -> None:
    company = quiet_company()
    auth.login(company["employee"])
    page = client.get("/analytics/")
    assert page.status_code == 200
    assert 'data-testid="findings"' not in page.text


def test_the_sharing_form_takes_the_suggested_title(client, auth: AuthActions) -> None:
    hr = make_user(Role.HR, name="Hana HR")
    auth.login(hr)
    page = client.get(
        "/sharing/new?title=Finance内推经验分享&title_en=Referral+tips+for+Finance"
        "&description=x&speakers=Mallory&capacity=999"
    )
    assert page.status_code == 200
    assert 'value="Finance内推经验分享"' in page.text
    assert 'value="Referral tips for Finance"' in page.text
    assert 'value="Mallory"' not in page.text  # only the words are suggested, nothing else
    long = client.get("/sharing/new?title=" + "x" * 500)
    assert 'value="' + "x" * 120 + '"' in long.text
    assert 'value="' + "x" * 121 not in long.text
