"""Invitations sent at the same moment on PostgreSQL: one person is invited to one job once, a
referrer's daily limit holds, and an invitation cannot slip past a "never again" said at once."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from community.accounts.models import Role, User
from community.extensions import db
from community.invites import answers, services, tokens
from community.invites.errors import InviteError
from community.invites.models import Invitation, InvitationStatus
from tests.factories import make_job, make_user
from tests.invites.conftest import Cast, invite
from tests.races import needs_postgresql, race


def _sends(referrer_ids: list[int], job_id: int, contacts: list[str]):  # noqa: ANN202
    def attempt(referrer_id: int, contact: str):  # noqa: ANN202
        def run() -> str:
            try:
                services.send_invitation(
                    db.session.get(User, referrer_id), job_id, contact, "en", ""
                )
            except InviteError as refused:
                return str(refused.status)
            return "sent"

        return run

    return [attempt(r, c) for r, c in zip(referrer_ids, contacts, strict=True)]


def test_five_referrers_invite_one_person_to_one_job_at_once(app: Flask, cast: Cast) -> None:
    needs_postgresql()
    referrers = [make_user(Role.EMPLOYEE, cast.job.department).id for _ in range(5)]
    outcomes = race(app, _sends(referrers, cast.job.id, ["li.lei@example.org"] * 5))
    assert sorted(outcomes) == ["409"] * 4 + ["sent"]
    assert db.session.scalar(select(func.count(Invitation.id))) == 1


def test_the_daily_limit_holds_when_a_referrer_sends_at_once(app: Flask, cast: Cast) -> None:
    needs_postgresql()
    app.config["INVITATIONS_PER_DAY"] = 3
    try:
        contacts = [f"person{n}@example.org" for n in range(6)]
        outcomes = race(app, _sends([cast.referrer.id] * 6, cast.job.id, contacts))
    finally:
        app.config["INVITATIONS_PER_DAY"] = 10
    assert sorted(outcomes) == ["429"] * 3 + ["sent"] * 3
    assert db.session.scalar(select(func.count(Invitation.id))) == 3


def test_no_invitation_slips_past_a_never_again_said_at_once(app: Flask, cast: Cast) -> None:
    needs_postgresql()
    first = invite(cast, "li.lei@example.org")
    token = tokens.token_for(first)
    jobs = [make_job(cast.job.department).id for _ in range(3)]
    referrer_id = cast.colleague.id

    def never_again() -> str:
        answers.decline_invitation(token, never_again=True)
        return "declined"

    def send(job_id: int):  # noqa: ANN202
        def run() -> str:
            try:
                services.send_invitation(
                    db.session.get(User, referrer_id), job_id, "li.lei@example.org", "en", ""
                )
            except InviteError as refused:
                return str(refused.status)
            return "sent"

        return run

    race(app, [never_again, *(send(job_id) for job_id in jobs)])
    open_ones = db.session.scalar(
        select(func.count(Invitation.id)).where(
            Invitation.status.in_((InvitationStatus.PENDING, InvitationStatus.OPENED))
        )
    )
    assert open_ones == 0  # each was refused, or sent first and then declined with the rest
