"""The links room for the security tests: the HR-only rows of the role matrix, the pages for
everyone, and whose record a link id names in the id-guessing test. Rows, not `Case`s, so that
this module need not import the test module that reads it."""

from __future__ import annotations

from typing import Any

from community.extensions import db
from community.links import services
from community.links.models import PersonalLink, ReferralCode
from tests.security.conftest import Company


def referrers_code(company: Company) -> int:
    """The referrer's code (made once per test)."""
    if "code_id" not in company.__dict__:
        company.__dict__["code_id"] = services.code_of(company.referrer).id
    return company.__dict__["code_id"]


def referrers_link(company: Company) -> int:
    """The referrer's link for the company's open job (made once per test)."""
    if "link_id" not in company.__dict__:
        code = db.session.get(ReferralCode, referrers_code(company))
        link = services.link_for(code, company.job)
        db.session.commit()
        company.__dict__["link_id"] = link.id
    return company.__dict__["link_id"]


def _code_off(company: Company) -> bool:
    code = db.session.get(ReferralCode, referrers_code(company))
    db.session.refresh(code)
    return not code.active and code.off_by_hr


def _link_off(company: Company) -> bool:
    link = db.session.get(PersonalLink, referrers_link(company))
    db.session.refresh(link)
    return not link.active and link.off_by_hr


def _off(company: Company) -> dict[str, Any]:
    return {"on": "0"}


# (endpoint, method, path, HR's status, data, done) for the role matrix. The code and the link
# are made with the path, before the matrix takes its fingerprint of the database.
LINKS_ROWS = [
    ("links.hr", "GET", lambda c: "/links/hr", 200),
    (
        "links.hr_switch_code",
        "POST",
        lambda c: f"/links/hr/codes/{referrers_code(c)}",
        303,
        _off,
        _code_off,
    ),
    (
        "links.hr_switch_link",
        "POST",
        lambda c: f"/links/hr/links/{referrers_link(c)}",
        303,
        _off,
        _link_off,
    ),
]

LINKS_GETS = {
    "links.mine": lambda c: "/links/mine",
    "links.qr": lambda c: f"/links/mine/qr/{c.job.id}",
}
