"""The people and helpers of the invitation tests: a referrer, a colleague, HR, an open job, and
the way an invited person finds their link (in the e-mail outbox or the queued text message)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from community.accounts.models import Role, User
from community.extensions import db
from community.invites import services
from community.invites.models import Invitation, TextMessage
from community.jobs.models import Job
from community.mail.models import OutboundEmail
from tests.factories import make_department, make_job, make_user

TOKEN = re.compile(r"/i/([A-Za-z0-9_.\-]+)")


@dataclass
class Cast:
    hr: User
    referrer: User
    colleague: User  # an employee who invites nobody here
    job: Job

    def user(self, who: str) -> User:
        return getattr(self, who)


@pytest.fixture
def cast() -> Cast:
    engineering = make_department("Engineering")
    return Cast(
        hr=make_user(Role.HR, engineering, name="Hana HR", email="hana@corp.example"),
        referrer=make_user(
            Role.EMPLOYEE, engineering, name="Wei Zhang", email="wei@corp.example", locale="en"
        ),
        colleague=make_user(Role.EMPLOYEE, engineering, name="Otto Other"),
        job=make_job(engineering, title="后端工程师", title_en="Backend Engineer"),
    )


@pytest.fixture(autouse=True)
def sms_outbox(app: Flask, tmp_path: Path) -> Iterator[Path]:
    """OutboxSMS writes into a folder of the test's own."""
    before = app.config["SMS_OUTBOX_PATH"]
    app.config["SMS_OUTBOX_PATH"] = str(tmp_path / "sms")
    yield tmp_path / "sms"
    app.config["SMS_OUTBOX_PATH"] = before


def invite(
    cast: Cast,
    contact: str = "li.lei@example.org",
    *,
    locale: str = "en",
    note: str = "",
    referrer: User | None = None,
    job: Job | None = None,
) -> Invitation:
    return services.send_invitation(
        referrer or cast.referrer, (job or cast.job).id, contact, locale, note
    )


def mails_to(address: str) -> list[OutboundEmail]:
    return list(
        db.session.scalars(
            select(OutboundEmail)
            .where(OutboundEmail.to_address == address)
            .order_by(OutboundEmail.id)
        )
    )


def texts_to(number: str) -> list[TextMessage]:
    return list(
        db.session.scalars(
            select(TextMessage).where(TextMessage.to_number == number).order_by(TextMessage.id)
        )
    )


def token_in(text: str) -> str:
    found = TOKEN.search(text)
    assert found, f"no invitation link in {text!r}"
    return found.group(1)


def link_of(address: str) -> str:
    """The path of the personal link in the last e-mail to `address`."""
    return "/i/" + token_in(mails_to(address)[-1].text_body)
