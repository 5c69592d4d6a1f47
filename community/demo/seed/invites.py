"""The demo's one-click invitations, written through the invites services: `employee@demo.example`
invited a former classmate by e-mail (in Chinese, with a note) three days ago, still pending, the
e-mail in the outbox; and a former colleague by text message last week, who opened the link,
consented and applied (a referral with source "invite"). The text message went through the
development backend, so it is a file in instance/sms-outbox. Added once (a demo that has an
invitation gets none)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from community.accounts.models import User
from community.core.links import url
from community.core.time import utcnow
from community.extensions import db
from community.invites import answers, services, sms, tokens
from community.invites.models import Invitation
from community.jobs.models import Job, JobStatus
from community.mail.models import OutboundEmail
from community.notifications.models import Notification
from community.referrals.models import Referral, ReferralEvent
from community.referrals.services import ResumeUpload
from community.referrals.services.applications import Application

REFERRER = "employee@demo.example"

PENDING = ("chen.jing@example.net", "zh_CN", "陈静，我们组在招后端，记得你做过支付系统，很合适！")
ACCEPTED = ("+86 139 1234 5678", "zh_CN", "老同事，这个岗位和你上一份工作很像，来聊聊？")
APPLICANT = Application(
    name="孙悦",
    consent=True,
    email="yue.sun@example.net",
    phone="+86 139 1234 5678",
    current_employer="星河科技",
    current_title="高级后端工程师",
    locale="zh_CN",
)
# A one-page PDF standing in for the applicant's resume.
RESUME = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _dated(invitation: Invitation, sent: datetime) -> None:
    """Move an invitation (and what it wrote) back to when it was sent."""
    shift = sent - invitation.created_at
    invitation.created_at = sent
    invitation.expires_at += shift
    if invitation.opened_at:
        invitation.opened_at += shift
    if invitation.answered_at:
        invitation.answered_at += shift
    if invitation.email_ids:
        db.session.execute(
            update(OutboundEmail)
            .where(OutboundEmail.id.in_(invitation.email_ids))
            .values(created_at=sent, next_attempt_at=sent)
        )


def add_invitations(now: datetime) -> int:
    """The two invitations, once; how many were added."""
    if db.session.scalar(select(func.count(Invitation.id))):
        return 0
    referrer = db.session.scalars(select(User).where(User.email == REFERRER)).first()
    if referrer is None:
        return 0
    jobs = db.session.scalars(
        select(Job)
        .where(Job.status == JobStatus.OPEN, Job.department_id == referrer.department_id)
        .order_by(Job.id)
    ).all()
    if len(jobs) < 2:
        return 0
    contact, locale, note = PENDING
    pending = services.send_invitation(referrer, jobs[0].id, contact, locale, note)
    _dated(pending, now - timedelta(days=3))
    db.session.commit()

    contact, locale, note = ACCEPTED
    accepted = services.send_invitation(referrer, jobs[1].id, contact, locale, note)
    sms.send_due(utcnow())  # the development backend writes it to instance/sms-outbox
    token = tokens.token_for(accepted)
    _reading, opened = answers.locate(token)
    answers.mark_opened(opened)
    application = replace(APPLICANT, resume=ResumeUpload(io.BytesIO(RESUME), "孙悦-简历.pdf"))
    referral = answers.accept_invitation(token, application)
    db.session.refresh(accepted)
    sent = now - timedelta(days=6)
    _dated(accepted, sent)
    if referral is not None:
        applied = sent + timedelta(days=1, hours=2)
        db.session.execute(
            update(Referral)
            .where(Referral.id == referral.id)
            .values(submitted_at=applied, stage_changed_at=applied, consent_confirmed_at=applied)
        )
        db.session.execute(
            update(ReferralEvent)
            .where(ReferralEvent.referral_id == referral.id)
            .values(created_at=applied)
        )
        # What the application told HR and the referrer, dated when it came.
        db.session.execute(
            update(Notification)
            .where(Notification.link == url("referrals.detail", referral_id=referral.id))
            .values(created_at=applied)
        )
        accepted.opened_at = accepted.answered_at = applied
    db.session.commit()
    return 2
