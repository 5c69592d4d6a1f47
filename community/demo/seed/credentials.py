"""The demo's Open Badges credentials (community/credentials), written through the services: the
demo employee exported their newest badge (in Chinese, with their name), so its public page and
the verify form can be tried; another colleague exported one whose badge HR then revoked (it
had been awarded by mistake), so a revoked credential can be seen too. Added once (a demo with any credential gets
none)."""

from __future__ import annotations

from sqlalchemy import func, select

from community.accounts.models import User
from community.badges import queries as badge_queries
from community.badges import services as badge_services
from community.credentials import services
from community.credentials.models import IssuedCredential
from community.demo.data.company import DEMO_ACCOUNTS
from community.extensions import db

EXPORTER = "employee@demo.example"
REVOKE_REASON = "授予有误：该候选人的入职记录已撤回。"


def _user(email: str) -> User | None:
    return db.session.scalars(select(User).where(User.email == email)).first()


def add_credentials(hr: User) -> int:
    """One valid and one revoked credential; how many credentials were added."""
    if db.session.scalar(select(func.count(IssuedCredential.id))):
        return 0
    added = 0
    exporter = _user(EXPORTER)
    awards = badge_queries.badges_of(exporter) if exporter else []
    if exporter is not None and awards:
        services.issue_credential(exporter, awards[0], "zh_CN", show_name=True)
        added += 1
    logins = {email for email, *_ in DEMO_ACCOUNTS}
    for colleague in db.session.scalars(
        select(User).where(User.email.not_in(logins), User.is_active_account).order_by(User.id)
    ):
        found = badge_queries.badges_of(colleague)
        if found:
            services.issue_credential(colleague, found[-1], "both")
            badge_services.revoke_badge(hr, found[-1], REVOKE_REASON)
            added += 1
            break
    return added
