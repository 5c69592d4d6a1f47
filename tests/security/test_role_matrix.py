"""Every HR-only route, for every role: employees, managers (also the job's own hiring manager)
and referrers get 403 and change nothing; HR succeeds and the change happens. Every route open to
any logged-in person answers every role."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from community.accounts.models import Department, PasswordToken, User
from community.badges import queries as badge_queries
from community.challenges import lifecycle
from community.core.time import local_today, utcnow
from community.extensions import db
from community.jobs.models import Job, JobStatus
from community.payouts import services as payout_services
from community.payouts.models import Payout, PayoutStatus
from community.perks import pictures as perk_pictures
from community.perks import services as perk_services
from community.perks.models import Perk, RedemptionStatus
from community.points import queries as points_queries
from community.program.queries import current_rules
from community.referrals import services as referral_services
from community.referrals.models import Stage
from community.thanks.models import ThanksPost
from community.thanks.services import thank_gold_tier
from tests.challenges.factories import make_challenge
from tests.factories import make_user
from tests.jobs.test_routes import job_form
from tests.perks.factories import give_points, make_perk, png_bytes
from tests.program.test_routes import form_data as rules_form
from tests.security import policy
from tests.security.analytics_cases import ANALYTICS_GETS
from tests.security.api_cases import API_ROWS
from tests.security.challenge_cases import CHALLENGE_ROWS
from tests.security.club_cases import CLUB_ROWS
from tests.security.conftest import Company, db_fingerprint, login, methods_of
from tests.security.credentials_cases import CREDENTIALS_ROWS
from tests.security.forum_cases import FORUM_GETS, FORUM_ROWS
from tests.security.forum_moderation_cases import flag_page
from tests.security.invites_cases import INVITES_GETS
from tests.security.links_cases import LINKS_GETS, LINKS_ROWS
from tests.security.mail_cases import MAIL_ROWS
from tests.security.mentoring_cases import MENTORING_GETS, MENTORING_ROWS
from tests.security.network_cases import NETWORK_GETS
from tests.security.teamchat_cases import TEAMCHAT_ROWS
from tests.security.webhooks_cases import WEBHOOKS_ROWS

REFUSED_ROLES = ["employee", "manager", "hiring_manager", "referrer"]


@dataclass
class Case:
    """One HR-only request: where it goes, what it sends, what HR gets and what HR's request did."""

    endpoint: str
    method: str
    path: Callable[[Company], str]
    hr_status: int
    data: Callable[[Company], dict[str, Any]] = field(default=lambda c: {})
    done: Callable[[Company], bool] = field(default=lambda c: True)

    @property
    def id(self) -> str:
        return f"{self.method} {self.endpoint}"


def _user_by_email(email: str) -> User | None:
    return db.session.scalars(select(User).where(User.email == email)).first()


def _deactivated(company: Company) -> int:
    person = make_user(department=company.department, is_active_account=False, name="Former Fei")
    company.__dict__["former"] = person
    return person.id


def _hired(company: Company) -> int:
    referral = company.referral
    for stage in (Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER, Stage.HIRED):
        referral_services.advance_stage(
            referral, stage, company.hr, expected_from=referral.stage, start_date=local_today()
        )
    return referral.id


def _payout(company: Company, approved: bool = False) -> int:
    """The referrer's payout for the company referral walked to "hired" (approved if asked)."""
    _hired(company)
    payout = db.session.scalars(
        select(Payout).where(Payout.referral_id == company.referral.id)
    ).one()
    if approved:
        payout_services.approve_payout(payout, company.hr)
    company.__dict__["payout"] = payout
    return payout.id


def _payout_status(company: Company) -> PayoutStatus:
    return _refreshed(company.__dict__["payout"]).status


def _thanks_post(company: Company) -> int:
    """A gold-tier thank-you for the referrer, for HR to hide."""
    post = thank_gold_tier(company.referrer, "gold", utcnow())
    db.session.commit()
    company.__dict__["thanks_post"] = post
    return post.id


def _perk(company: Company, active: bool = True) -> int:
    perk = make_perk(active=active, cost_points=50)
    company.__dict__["perk"] = perk
    return perk.id


def _perk_with_picture(company: Company) -> int:
    perk = make_perk(cost_points=50)
    checked = perk_pictures.check_picture(io.BytesIO(png_bytes()))
    perk.picture_file = perk_pictures.store_picture(checked)
    perk.picture_mimetype = checked.mimetype
    db.session.commit()
    return perk.id


def _challenge(company: Company) -> int:
    """A live challenge HR hosts for the whole company (made once per test)."""
    if "challenge_id" not in company.__dict__:
        challenge = make_challenge(company.hr)
        lifecycle.keep_time(utcnow())
        company.__dict__["challenge_id"] = challenge.id
    return company.__dict__["challenge_id"]


def _redemption(company: Company) -> int:
    """The referrer's pending redemption of a perk that needs approval."""
    perk = make_perk(cost_points=50)
    give_points(company.referrer, 50)
    redemption = perk_services.redeem(company.referrer, perk.id)
    company.__dict__["redemption"] = redemption
    return redemption.id


def _redemption_status(company: Company) -> RedemptionStatus:
    return _refreshed(company.__dict__["redemption"]).status


def _perk_named(name: str) -> Perk | None:
    return db.session.scalars(select(Perk).where(Perk.name_en == name)).first()


def _perk_form(**overrides: str) -> dict[str, str]:
    form = {
        "name_en": "Matrix perk",
        "name_zh": "矩阵福利",
        "description_en": "",
        "description_zh": "",
        "cost_points": "120",
        "stock": "",
        "limit_per_year": "",
        "requires_approval": "y",
        "active": "y",
    }
    form.update(overrides)
    return form


def _refreshed(obj: Any) -> Any:
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


CASES = [
    Case("people.index", "GET", lambda c: "/people", 200),
    Case("people.new", "GET", lambda c: "/people/new", 200),
    Case(
        "people.new",
        "POST",
        lambda c: "/people/new",
        200,
        data=lambda c: {
            "email": "matrix.new@example.com",
            "name": "Matrix New",
            "department": str(c.department.id),
            "role": "hr",
        },
        done=lambda c: _user_by_email("matrix.new@example.com") is not None,
    ),
    Case("people.import_csv", "GET", lambda c: "/people/import", 200),
    Case(
        "people.import_csv",
        "POST",
        lambda c: "/people/import",
        200,
        data=lambda c: {
            "file": (
                io.BytesIO(b"email,name,department,role\nmatrix.csv@example.com,Csv,Ops,hr\n"),
                "people.csv",
            )
        },
        done=lambda c: _user_by_email("matrix.csv@example.com") is not None,
    ),
    Case("people.departments", "GET", lambda c: "/people/departments", 200),
    Case(
        "people.departments",
        "POST",
        lambda c: "/people/departments",
        302,
        data=lambda c: {"name": "Matrix Department"},
        done=lambda c: (
            db.session.scalars(
                select(Department).where(Department.name == "Matrix Department")
            ).first()
            is not None
        ),
    ),
    Case(
        "people.edit_department",
        "GET",
        lambda c: f"/people/departments/{c.employee.department_id}/edit",
        200,
    ),
    Case(
        "people.edit_department",
        "POST",
        lambda c: f"/people/departments/{c.employee.department_id}/edit",
        302,
        data=lambda c: {"name": "矩阵部", "name_en": "Matrix renamed"},
        done=lambda c: (
            db.session.get(Department, c.employee.department_id).name_en == "Matrix renamed"
        ),
    ),
    Case(
        "people.update_account",
        "POST",
        lambda c: f"/people/{c.employee.id}/account",
        302,
        data=lambda c: {
            "role": "manager",
            "department": str(c.employee.department_id),
            "manager": "",
        },
        done=lambda c: _refreshed(c.employee).role.value == "manager",
    ),
    Case(
        "people.deactivate",
        "POST",
        lambda c: f"/people/{c.employee.id}/deactivate",
        302,
        done=lambda c: not _refreshed(c.employee).is_active_account,
    ),
    Case(
        "people.reactivate",
        "POST",
        lambda c: f"/people/{_deactivated(c)}/reactivate",
        302,
        done=lambda c: _refreshed(c.__dict__["former"]).is_active_account,
    ),
    Case(
        "people.password_link",
        "POST",
        lambda c: f"/people/{c.employee.id}/password-link",
        200,
        done=lambda c: (
            db.session.scalars(
                select(PasswordToken).where(PasswordToken.user_id == c.employee.id)
            ).first()
            is not None
        ),
    ),
    Case("jobs.manage", "GET", lambda c: "/jobs/manage", 200),
    Case("jobs.new", "GET", lambda c: "/jobs/new", 200),
    Case(
        "jobs.new",
        "POST",
        lambda c: "/jobs/new",
        302,
        data=lambda c: job_form(c.department.id, title="Matrix Job"),
        done=lambda c: (
            db.session.scalars(select(Job).where(Job.title == "Matrix Job")).first() is not None
        ),
    ),
    Case("jobs.edit", "GET", lambda c: f"/jobs/{c.job.id}/edit", 200),
    Case(
        "jobs.edit",
        "POST",
        lambda c: f"/jobs/{c.job.id}/edit",
        302,
        data=lambda c: job_form(c.department.id, title="Renamed By Matrix"),
        done=lambda c: _refreshed(c.job).title == "Renamed By Matrix",
    ),
    Case(
        "jobs.open",
        "POST",
        lambda c: f"/jobs/{c.draft_job.id}/open",
        302,
        done=lambda c: _refreshed(c.draft_job).status == JobStatus.OPEN,
    ),
    Case(
        "jobs.close",
        "POST",
        lambda c: f"/jobs/{c.job.id}/close",
        302,
        done=lambda c: _refreshed(c.job).status == JobStatus.CLOSED,
    ),
    Case("program.edit_rules", "GET", lambda c: "/program/rules/edit", 200),
    Case(
        "program.edit_rules",
        "POST",
        lambda c: "/program/rules/edit",
        302,
        data=lambda c: rules_form(ownership_window_days="91"),
        done=lambda c: current_rules().ownership_window_days == 91,
    ),
    Case("referrals.queue", "GET", lambda c: "/referrals/queue", 200),
    Case(
        "referrals.advance",
        "POST",
        lambda c: f"/referrals/{c.referral.id}/advance",
        302,
        data=lambda c: {"to_stage": "interviewing", "expected_from": "submitted"},
        done=lambda c: _refreshed(c.referral).stage == Stage.INTERVIEWING,
    ),
    Case(
        "referrals.left_company",
        "POST",
        lambda c: f"/referrals/{_hired(c)}/left",
        302,
        data=lambda c: {"left_on": local_today().isoformat()},
        done=lambda c: _refreshed(c.referral).left_company_on == local_today(),
    ),
    Case("payouts.index", "GET", lambda c: "/payouts/", 200),
    Case("payouts.export", "GET", lambda c: "/payouts/export.csv", 200),
    Case(
        "payouts.approve",
        "POST",
        lambda c: f"/payouts/{_payout(c)}/approve",
        302,
        done=lambda c: _payout_status(c) == PayoutStatus.APPROVED,
    ),
    Case(
        "payouts.pay",
        "POST",
        lambda c: f"/payouts/{_payout(c, approved=True)}/pay",
        302,
        data=lambda c: {"paid_on": local_today().isoformat(), "payroll_reference": "M-1"},
        done=lambda c: _payout_status(c) == PayoutStatus.PAID,
    ),
    Case(
        "payouts.cancel",
        "POST",
        lambda c: f"/payouts/{_payout(c)}/cancel",
        302,
        data=lambda c: {"reason": "Matrix says no"},
        done=lambda c: _payout_status(c) == PayoutStatus.CANCELLED,
    ),
    Case(
        "payouts.bulk",
        "POST",
        lambda c: f"/payouts/bulk?p={_payout(c)}",
        302,
        data=lambda c: {"payout_ids": [str(c.__dict__["payout"].id)], "action": "approve"},
        done=lambda c: _payout_status(c) == PayoutStatus.APPROVED,
    ),
    Case(
        "thanks.announce",
        "POST",
        lambda c: "/thanks/announcements",
        302,
        data=lambda c: {"title": "Matrix news", "body": "Read the new rules."},
        done=lambda c: (
            db.session.scalars(select(ThanksPost).where(ThanksPost.title == "Matrix news")).first()
            is not None
        ),
    ),
    Case("thanks.confirm_hide", "GET", lambda c: f"/thanks/{_thanks_post(c)}/hide", 200),
    Case(
        "thanks.hide",
        "POST",
        lambda c: f"/thanks/{_thanks_post(c)}/hide",
        302,
        data=lambda c: {"reason": "Matrix moderation"},
        done=lambda c: _refreshed(c.__dict__["thanks_post"]).hidden_at is not None,
    ),
    Case("perks.manage", "GET", lambda c: "/perks/manage", 200),
    Case("perks.new", "GET", lambda c: "/perks/new", 200),
    Case(
        "perks.new",
        "POST",
        lambda c: "/perks/new",
        302,
        data=lambda c: _perk_form(),
        done=lambda c: _perk_named("Matrix perk") is not None,
    ),
    Case("perks.edit", "GET", lambda c: f"/perks/{_perk(c)}/edit", 200),
    Case(
        "perks.edit",
        "POST",
        lambda c: f"/perks/{_perk(c)}/edit",
        302,
        data=lambda c: _perk_form(name_en="Matrix edited"),
        done=lambda c: _refreshed(c.__dict__["perk"]).name_en == "Matrix edited",
    ),
    Case(
        "perks.activate",
        "POST",
        lambda c: f"/perks/{_perk(c, active=False)}/activate",
        302,
        done=lambda c: _refreshed(c.__dict__["perk"]).active is True,
    ),
    Case(
        "perks.deactivate",
        "POST",
        lambda c: f"/perks/{_perk(c)}/deactivate",
        302,
        done=lambda c: _refreshed(c.__dict__["perk"]).active is False,
    ),
    Case("perks.redemptions", "GET", lambda c: "/perks/redemptions", 200),
    Case(
        "perks.approve",
        "POST",
        lambda c: f"/perks/redemptions/{_redemption(c)}/approve",
        302,
        done=lambda c: _redemption_status(c) == RedemptionStatus.FULFILLED,
    ),
    Case(
        "perks.reject",
        "POST",
        lambda c: f"/perks/redemptions/{_redemption(c)}/reject",
        302,
        data=lambda c: {"reason": "Matrix says no"},
        done=lambda c: _redemption_status(c) == RedemptionStatus.REJECTED,
    ),
    Case("badges.levels", "GET", lambda c: "/badges/levels", 200),
    Case(
        "badges.levels",
        "POST",
        lambda c: "/badges/levels",
        302,
        data=lambda c: {
            "rows-0-threshold": "0",
            "rows-0-name_en": "Starter",
            "rows-0-name_zh": "起步",
            "rows-1-threshold": "50",
            "rows-1-name_en": "Scout",
            "rows-1-name_zh": "伯乐",
        },
        done=lambda c: [lv.threshold for lv in badge_queries.levels()] == [0, 50],
    ),
    Case(
        "badges.gold_thresholds",
        "POST",
        lambda c: "/badges/gold",
        302,
        data=lambda c: {"bronze": "2", "silver": "4", "gold": "6"},
        done=lambda c: badge_queries.gold_thresholds() == {"bronze": 2, "silver": 4, "gold": 6},
    ),
    Case(
        "people.grant_badge",
        "POST",
        lambda c: f"/people/{c.employee.id}/badges",
        302,
        data=lambda c: {"badge": "gold_referrer:silver", "reason": "Mentored five new referrers"},
        done=lambda c: ("gold_referrer", "silver") in badge_queries.held(c.employee.id),
    ),
    Case(
        "people.adjust_points",
        "POST",
        lambda c: f"/people/{c.employee.id}/points",
        302,
        data=lambda c: {"amount": "25", "reason": "Spoke at the referral meetup"},
        done=lambda c: points_queries.score(c.employee) == 25,
    ),
    *(Case(*row) for row in CHALLENGE_ROWS),
    *(Case(*row) for row in MENTORING_ROWS),
    *(Case(*row) for row in CLUB_ROWS),
    *(Case(*row) for row in FORUM_ROWS),
    *(Case(*row) for row in TEAMCHAT_ROWS),
    *(Case(*row) for row in LINKS_ROWS),
    *(Case(*row) for row in MAIL_ROWS),
    *(Case(*row) for row in CREDENTIALS_ROWS),
    *(Case(*row) for row in WEBHOOKS_ROWS),
    *(Case(*row) for row in API_ROWS),
]


def test_the_matrix_covers_every_hr_only_route(app: Flask) -> None:
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint in policy.HR_ONLY
        for method in methods_of(rule)
    }
    assert routes == {(case.endpoint, case.method) for case in CASES}


@pytest.mark.parametrize("who", REFUSED_ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_hr_only_routes_refuse_everyone_else(client, company, case: Case, who: str) -> None:
    path = case.path(company)
    login(client, company.user(who))
    before = db_fingerprint()
    response = client.open(path, method=case.method, data=case.data(company))
    assert response.status_code == 403
    assert "Secret Candidate" not in response.text
    htmx = client.open(
        path, method=case.method, data=case.data(company), headers={"HX-Request": "true"}
    )
    assert htmx.status_code == 403
    assert htmx.headers["HX-Reswap"] == "none"  # the refusal is a toast, never swapped in
    assert db_fingerprint() == before


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_hr_may_use_every_hr_only_route(client, company, case: Case) -> None:
    path = case.path(company)
    login(client, company.hr)
    response = client.open(path, method=case.method, data=case.data(company))
    assert response.status_code == case.hr_status, response.text[:500]
    assert case.done(company)


# Routes for every logged-in person ----------------------------------------------------------


ANY_USER_GETS = {
    "jobs.index": lambda c: "/jobs/",
    "jobs.detail": lambda c: f"/jobs/{c.job.id}",
    "leaderboards.index": lambda c: "/leaderboard/",
    "leaderboards.screen": lambda c: "/leaderboard/screen",
    "notifications.index": lambda c: "/notifications/",
    "notifications.preferences": lambda c: "/notifications/settings",
    "program.rules": lambda c: "/program/rules",
    "referrals.mine": lambda c: "/referrals/mine",
    "payouts.mine": lambda c: "/payouts/mine",
    "perks.shop": lambda c: "/perks/",
    "perks.picture": lambda c: f"/perks/{_perk_with_picture(c)}/picture",
    "points.mine": lambda c: "/points/",
    "referrals.new": lambda c: f"/referrals/new/{c.job.id}",
    "referrals.match_check": lambda c: f"/referrals/new/{c.job.id}/match",
    "accounts.settings": lambda c: "/settings",
    "thanks.index": lambda c: "/thanks/",
    "badges.gallery": lambda c: "/badges/",
    "people.profile": lambda c: f"/people/{c.referrer.id}/profile",
    "challenges.index": lambda c: "/challenges/",
    "challenges.detail": lambda c: f"/challenges/{_challenge(c)}",
    "challenges.screen": lambda c: f"/challenges/{_challenge(c)}/screen",
    **MENTORING_GETS,
    **NETWORK_GETS,
    **INVITES_GETS,
    "club.members": lambda c: "/club/members",
    "sharing.index": lambda c: "/sharing/",
    "sharing.my_calendar": lambda c: "/sharing/calendar",
    **FORUM_GETS,
    "forum_moderation.flag": flag_page,
    "search.results": lambda c: "/club/search?q=面试",
    **LINKS_GETS,
    **ANALYTICS_GETS,
}


def test_every_any_user_page_is_listed(app: Flask) -> None:
    pages = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint in policy.ANY_USER and "GET" in methods_of(rule)
    }
    assert pages == set(ANY_USER_GETS)


@pytest.mark.parametrize("who", ["employee", "manager", "hiring_manager", "referrer", "hr"])
def test_every_role_reaches_the_pages_for_everyone(client, company, who: str) -> None:
    login(client, company.user(who))
    for endpoint, path in ANY_USER_GETS.items():
        # Some pages are jumps (the forum's first unread post, a post's permanent link).
        response = client.get(path(company), follow_redirects=True)
        assert response.status_code == 200, endpoint
    assert client.get("/").status_code == 200


def test_a_referral_of_a_closed_job_still_has_its_owners_and_nobody_else(client, company) -> None:
    """Closing the job changes nothing about who sees its referrals."""
    company.job.status = JobStatus.CLOSED
    company.job.closed_at = None
    db.session.commit()
    login(client, company.employee)
    assert client.get(f"/referrals/{company.referral.id}").status_code == 404
    login(client, company.referrer)
    assert client.get(f"/referrals/{company.referral.id}").status_code == 200
