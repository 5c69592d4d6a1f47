"""Demo e-mail, written through the mail room: two people's notification choices, the mails the
app would have sent them, HR's announcements by e-mail (queued by the mail room's listener when
`rewards.post_announcements` posted them) dated with their posts, and the outbox sent by the
worker's own sending (`mail.sending.send_due`: in development files under instance/outbox) up to
the last few mails, which stay queued so HR's outbox page shows both.

- employee@demo.example (王小明): referral progress by e-mail at once, rewards in a daily
  digest, club and forum in a weekly digest; his latest referral news were mailed to him.
- sales@demo.example (赵丽娜): unsubscribed from announcements (in the app only), challenges by
  e-mail at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import force_locale
from sqlalchemy import select

from community.accounts.models import User
from community.extensions import db
from community.mail import listeners, outbox, sending
from community.mail.models import OutboundEmail
from community.notifications.categories import Category, Delivery, kinds_in
from community.notifications.kinds import registered
from community.notifications.models import Notification, NotificationPreference
from community.notifications.services import set_delivery
from community.thanks.models import ThanksKind, ThanksPost

CHOICES = {
    "employee@demo.example": {
        Category.REFERRALS: Delivery.EMAIL,
        Category.REWARDS: Delivery.DAILY,
        Category.CLUB: Delivery.WEEKLY,
    },
    "sales@demo.example": {
        Category.ANNOUNCEMENTS: Delivery.APP,
        Category.CHALLENGES: Delivery.EMAIL,
    },
}
CHOSEN_DAYS_AGO = 60
MAILED_NOTICES = 4  # the employee's latest referral notifications, mailed to him
LEFT_QUEUED = 3  # the newest mails the worker has not sent yet


def _person(email: str) -> User | None:
    return db.session.scalars(select(User).where(User.email == email)).first()


def add_mail(now: datetime) -> None:
    """The demo's notification choices and outbox, unless someone chose already."""
    if db.session.scalar(select(NotificationPreference.id).limit(1)) is not None:
        return
    chosen_at = now - timedelta(days=CHOSEN_DAYS_AGO)
    for email, choices in CHOICES.items():
        person = _person(email)
        if person is None:
            continue
        for category, delivery in choices.items():
            set_delivery(person.id, category, delivery)
        db.session.flush()
        for row in db.session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id == person.id)
        ):
            row.updated_at = chosen_at
    _mail_latest_referral_news(_person("employee@demo.example"))
    _date_announcement_mails()
    db.session.commit()
    _send_all_but_the_newest(now)


def _mail_latest_referral_news(person: User | None) -> None:
    """The mails "e-mail now" wrote for his latest referral news (he chose it long before)."""
    if person is None:
        return
    notes = list(
        db.session.scalars(
            select(Notification)
            .where(
                Notification.user_id == person.id,
                Notification.kind.in_(kinds_in({Category.REFERRALS}, registered())),
            )
            .order_by(Notification.created_at.desc())
            .limit(MAILED_NOTICES)
        )
    )
    locale = person.locale or "zh_CN"
    for note in reversed(notes):
        subject, text, html = listeners._notification_mail(note, locale)  # noqa: SLF001
        with force_locale(locale):
            mail = outbox.add(
                person.email, subject, text, html, kind=Category.REFERRALS.value, user_id=person.id
            )
        mail.created_at = mail.next_attempt_at = note.created_at


def _date_announcement_mails() -> None:
    """The announcements' mails were queued when they were posted: on the posts' days."""
    posts = db.session.scalars(select(ThanksPost).where(ThanksPost.kind == ThanksKind.ANNOUNCEMENT))
    for post in posts:
        for mail in db.session.scalars(
            select(OutboundEmail).where(
                OutboundEmail.kind == "announcement",
                OutboundEmail.subject.contains(post.title or ""),
            )
        ):
            mail.created_at = mail.next_attempt_at = post.created_at


def _send_all_but_the_newest(now: datetime) -> None:
    moments = list(
        db.session.scalars(
            select(OutboundEmail.next_attempt_at).order_by(OutboundEmail.next_attempt_at)
        )
    )
    if len(moments) <= LEFT_QUEUED:
        return
    cutoff = min(moments[-LEFT_QUEUED - 1], now)
    for moment in sorted({moment for moment in moments if moment <= cutoff}):
        sending.send_due(moment + timedelta(minutes=1))  # the worker's tick after it was queued
