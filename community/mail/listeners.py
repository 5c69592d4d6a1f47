"""E-mail for what happened: this room listens and queues mail in the publisher's transaction
(never commits; a rollback sends nothing).

- `NotificationsDelivered`: the people who chose "e-mail now" for the category of what they
  were told get it by e-mail as well, in their language, with a link back to the app. One by
  one the rows are read in one query; a delivery to many (an INSERT … SELECT) is joined by its
  SELECT, and the mail is written once per language.
- `AnnouncementPosted` and `ProgramRulesChanged`: news for everyone, mailed with its whole text
  (the announcement) or what changed (the rules) to every active person whose announcements
  choice is "e-mail now" (the default: only unsubscribing or choosing otherwise stops it).
  Their in-app notifications are left out of the first path, so nobody gets both mails.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import Row, select

from community import events
from community.accounts.models import User
from community.core.links import url
from community.extensions import db
from community.mail import outbox
from community.mail.links import absolute_url
from community.mail.notices import change_lines
from community.notifications.categories import Category, Delivery, category_label, category_of
from community.notifications.models import Notification
from community.notifications.preferences import choices_of, chooses
from community.notifications.queries import shown
from community.thanks.models import ThanksPost

SUBJECT_LENGTH = 120


def _locale(user_locale: str | None) -> str:
    return user_locale or str(current_app.config["DEFAULT_LOCALE"])


def _notification_mail(notification: Notification, locale: str) -> tuple[str, str, str | None]:
    """(subject, text, html) of one notification, in `locale`."""
    with force_locale(locale):
        seen = shown(notification)
        subject = (
            seen.text if len(seen.text) <= SUBJECT_LENGTH else seen.text[: SUBJECT_LENGTH - 1] + "…"
        )
        return outbox.render(
            "notification",
            locale,
            subject=subject,
            shown=seen,
            category=category_label(category_of(notification.kind)),
            link=absolute_url(notification.link or url("notifications.index")),
        )


def _people(condition: Any) -> list[Row[tuple[int, str, str | None]]]:
    return list(
        db.session.execute(
            select(User.id, User.email, User.locale)
            .where(User.is_active_account.is_(True), condition)
            .order_by(User.id)
        )
    )


def _mail_each(
    people: Iterable[Row[tuple[int, str, str | None]]],
    kind: str,
    write: Any,
) -> int:
    """Queue `write(locale)`'s mail to each person, written once per language."""
    written: dict[str, tuple[str, str, str | None]] = {}
    count = 0
    for user_id, email, user_locale in people:
        locale = _locale(user_locale)
        if locale not in written:
            written[locale] = write(locale)
        subject, text, html = written[locale]
        with force_locale(locale):
            outbox.add(email, subject, text, html, kind=kind, user_id=user_id)
        count += 1
    return count


def notifications_delivered(event: events.NotificationsDelivered) -> None:
    if event.recipients is not None:
        category = category_of(event.kind)
        if category == Category.ANNOUNCEMENTS:
            return  # mailed by their own listeners, with the whole text
        sample = Notification(
            kind=event.kind, params=dict(event.params or {}), link=event.link, details=[]
        )
        _mail_each(
            _people(User.id.in_(event.recipients) & chooses(User.id, category, {Delivery.EMAIL})),
            category.value,
            lambda locale: _notification_mail(sample, locale),
        )
        return
    rows = db.session.execute(
        select(Notification, User.email, User.locale)
        .join(User, User.id == Notification.user_id)
        .where(Notification.id.in_(event.notification_ids), User.is_active_account.is_(True))
        .order_by(Notification.id)
    ).all()
    choices = choices_of(notification.user_id for notification, _email, _locale in rows)
    for notification, email, user_locale in rows:
        category = category_of(notification.kind)
        if category == Category.ANNOUNCEMENTS:
            continue
        if choices[notification.user_id][category] != Delivery.EMAIL:
            continue
        locale = _locale(user_locale)
        subject, text, html = _notification_mail(notification, locale)
        with force_locale(locale):
            outbox.add(
                email, subject, text, html, kind=category.value, user_id=notification.user_id
            )


def _for_everyone() -> list[Row[tuple[int, str, str | None]]]:
    return _people(chooses(User.id, Category.ANNOUNCEMENTS, {Delivery.EMAIL}))


def announcement_posted(event: events.AnnouncementPosted) -> None:
    post = db.session.get(ThanksPost, event.post_id)
    body = (post.body if post is not None else "") or ""
    link = absolute_url(url("thanks.index", _anchor=f"thanks-{event.post_id}"))
    _mail_each(
        _for_everyone(),
        "announcement",
        lambda locale: outbox.render(
            "announcement", locale, title=event.title, body=body, link=link
        ),
    )


def rules_changed(event: events.ProgramRulesChanged) -> None:
    link = absolute_url(url("program.rules"))

    def write(locale: str) -> tuple[str, str, str | None]:
        with force_locale(locale):
            lines = change_lines(event.changes)
        return outbox.render("rules_changed", locale, lines=lines, link=link)

    _mail_each(_for_everyone(), "rules_changed", write)


def init_app() -> None:
    events.subscribe(events.NotificationsDelivered, notifications_delivered)
    events.subscribe(events.AnnouncementPosted, announcement_posted)
    events.subscribe(events.ProgramRulesChanged, rules_changed)
