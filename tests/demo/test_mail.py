"""The demo's e-mail: two people with notification choices, and an outbox with sent and queued
mail (announcements to everyone, one person's referral news)."""

from __future__ import annotations

from sqlalchemy import select

from community.accounts.models import User
from community.extensions import db
from community.mail.models import EmailStatus, OutboundEmail
from community.notifications.categories import Category, Delivery
from community.notifications.preferences import choices_for


def _user(email: str) -> User:
    return db.session.scalars(select(User).where(User.email == email)).one()


def test_two_people_chose_how_they_hear_about_things(seeded: str) -> None:
    employee, sales = _user("employee@demo.example"), _user("sales@demo.example")
    assert choices_for(employee.id)[Category.REFERRALS] == Delivery.EMAIL
    assert choices_for(employee.id)[Category.REWARDS] == Delivery.DAILY
    assert choices_for(sales.id)[Category.ANNOUNCEMENTS] == Delivery.APP


def test_the_outbox_has_sent_and_queued_mail(seeded: str) -> None:
    mails = list(db.session.scalars(select(OutboundEmail)))
    statuses = {mail.status for mail in mails}
    assert {EmailStatus.SENT, EmailStatus.QUEUED} <= statuses
    employee, sales = _user("employee@demo.example"), _user("sales@demo.example")
    assert any(m.kind == "referrals" and m.user_id == employee.id for m in mails)
    announced = {m.user_id for m in mails if m.kind == "announcement"}
    assert employee.id in announced and sales.id in announced  # (she unsubscribed since)


def test_hr_opens_the_demo_outbox(seeded: str, client) -> None:
    client.post("/login", data={"email": "hr@demo.example", "password": "demo12345"})
    page = client.get("/mail/outbox")
    assert page.status_code == 200
    assert 'data-testid="outbox-row"' in page.text
