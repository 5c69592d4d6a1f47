"""One-click unsubscribe: every e-mail to a person carries a signed link (in its footer and in
the `List-Unsubscribe` header, RFC 8058) that turns that kind of e-mail off without signing in.

A link names a person and a *scope*: a category of notifications (`Category`: its e-mails
stop, the person keeps seeing it in the app, i.e. their choice becomes "in the app only"), or a
digest ("daily", "weekly": every category they get in that digest goes back to the app only).
Which scope an e-mail's `kind` belongs to is `KIND_SCOPES`; a room that e-mails people with an
account registers its kind first (`register_kind`).

The link is itsdangerous-signed with SECRET_KEY (salt "mail-unsubscribe") and works
MAIL_UNSUBSCRIBE_DAYS; what it changes can be undone from the page it opens (`resubscribe`).
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from community.accounts.models import User
from community.core.errors import GONE, DomainError
from community.core.transaction import committed
from community.extensions import db
from community.mail.links import app_url
from community.notifications.categories import BY_EMAIL, Category, Delivery, category_label
from community.notifications.preferences import choices_for
from community.notifications.services import set_delivery

DIGEST_SCOPES = (Delivery.DAILY.value, Delivery.WEEKLY.value)
SALT = "mail-unsubscribe"

# The mail kinds this room writes, and the scope each one's link turns off.
KIND_SCOPES: dict[str, str] = {
    **{category.value: category.value for category in Category},  # "e-mail now", per category
    "announcement": Category.ANNOUNCEMENTS.value,
    "rules_changed": Category.ANNOUNCEMENTS.value,
    "digest_daily": Delivery.DAILY.value,
    "digest_weekly": Delivery.WEEKLY.value,
}


class UnsubscribeError(DomainError):
    """A link that cannot be used (forged, broken, too old, or someone who left)."""


def register_kind(kind: str, category: Category) -> None:
    """Say which category's e-mails a room's own mail `kind` (to people with an account) is,
    so its unsubscribe link turns those off."""
    KIND_SCOPES[kind] = category.value


def scope_of(kind: str) -> str | None:
    return KIND_SCOPES.get(kind)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_for(user_id: int, scope: str) -> str:
    return _serializer().dumps([user_id, scope])


def unsubscribe_url(user_id: int, scope: str) -> str:
    """The absolute one-click link for `user_id` and `scope`."""
    return app_url("mail.unsubscribe", token=token_for(user_id, scope))


def read_token(token: str) -> tuple[User, str]:
    """The person and scope a link names; UnsubscribeError (400, or 410 when it is too old)."""
    max_age = int(current_app.config["MAIL_UNSUBSCRIBE_DAYS"]) * 86400
    try:
        user_id, scope = _serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        raise UnsubscribeError(
            _(
                "This unsubscribe link is too old. Sign in and choose which e-mails you get in "
                "your notification settings."
            ),
            status=GONE,
            code="expired",
        ) from None
    except (BadSignature, ValueError, TypeError):
        raise _broken() from None
    if not isinstance(user_id, int) or scope not in set(KIND_SCOPES.values()):
        raise _broken()
    user = db.session.scalars(
        select(User).where(User.id == user_id, User.is_active_account.is_(True))
    ).first()
    if user is None:
        raise _broken()
    return user, scope


def _broken() -> UnsubscribeError:
    return UnsubscribeError(
        _(
            "This unsubscribe link is not valid. Copy the whole link from the e-mail, or sign in "
            "and choose which e-mails you get in your notification settings."
        ),
        status=400,
        code="invalid",
    )


def categories_of(scope: str, choices: Mapping[Category, Delivery]) -> list[Category]:
    """The categories a scope's e-mails come from, for a person with these choices."""
    if scope in DIGEST_SCOPES:
        return [category for category, delivery in choices.items() if delivery.value == scope]
    return [Category(scope)]


def would_change(user: User, scope: str) -> bool:
    """Whether unsubscribing would stop any e-mail the person gets now (the page asks first)."""
    return any(delivery in BY_EMAIL for delivery in _in_scope(user, scope).values())


def _in_scope(user: User, scope: str) -> dict[Category, Delivery]:
    before = choices_for(user.id)
    return {category: before[category] for category in categories_of(scope, before)}


def unsubscribe(user: User, scope: str) -> dict[Category, Delivery]:
    """Stop the scope's e-mails to the person (their choice becomes "in the app only");
    returns what each changed category was before (empty when nothing was sent by e-mail)."""
    changed = {
        category: delivery
        for category, delivery in _in_scope(user, scope).items()
        if delivery in BY_EMAIL
    }
    with committed():
        for category in changed:
            set_delivery(user.id, category, Delivery.APP)
    return changed


def resubscribe(user: User, scope: str, restored: Mapping[str, str]) -> list[Category]:
    """Undo `unsubscribe`: put back the e-mail choices the page carried (category → delivery).
    Only categories of the link's scope, back to an e-mail choice that scope stands for; nothing
    is written when one is out of place."""
    wanted: dict[Category, Delivery] = {}
    for raw_category, raw_delivery in restored.items():
        try:
            category, delivery = Category(raw_category), Delivery(raw_delivery)
        except ValueError:
            raise _out_of_place() from None
        fits = (
            delivery.value == scope
            if scope in DIGEST_SCOPES
            else category.value == scope and delivery in BY_EMAIL
        )
        if not fits:
            raise _out_of_place()
        wanted[category] = delivery
    if not wanted:
        raise _out_of_place()
    with committed():
        for category, delivery in wanted.items():
            set_delivery(user.id, category, delivery)
    return list(wanted)


def _out_of_place() -> UnsubscribeError:
    return UnsubscribeError(
        _("That cannot be undone from this link. Choose in your notification settings instead."),
        status=422,
    )


def scope_label(scope: str) -> str:
    """What a scope's e-mails are, in the reader's language."""
    if scope == Delivery.DAILY.value:
        return _("the daily digest")
    if scope == Delivery.WEEKLY.value:
        return _("the weekly digest")
    return _("e-mails about “%(category)s”", category=category_label(scope))
