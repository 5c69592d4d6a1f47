"""Mentions: `@name` in a post names a colleague by their display name, their name, or the local
part of their e-mail (`@wang.fang` for wang.fang@corp.com), Chinese names too (`@王芳`).

Chinese is written without spaces, so "谢谢@王芳的帮助" carries the token "王芳的帮助": a token
that names nobody is read as the longest name it starts with. Quoted lines (`> …`) and code are
not read: quoting a post does not mention its people again. A token that names nobody is refused
with its own name in the message, so a typo is never silently dropped."""

from __future__ import annotations

import re

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, literal, or_, select

from community.accounts.models import User
from community.core.errors import BAD_INPUT
from community.extensions import db
from community.forum.common import ForumError

# Not after a letter or digit: "ann@corp.com" is an address, not a mention.
_MENTION = re.compile(r"(?<![\w@])@([\w][\w.\-]{0,63})")
_FENCE = re.compile(r"^(```|~~~)")
_INLINE_CODE = re.compile(r"`[^`]*`")


def tokens(body: str) -> list[str]:
    """The `@` tokens of `body`, in order, once each, outside quotes and code."""
    found: list[str] = []
    in_fence = False
    for line in body.splitlines():
        stripped = line.lstrip()
        if _FENCE.match(stripped):
            in_fence = not in_fence
            continue
        if in_fence or stripped.startswith(">") or line.startswith(("    ", "\t")):
            continue
        for match in _MENTION.finditer(_INLINE_CODE.sub(" ", line)):
            token = match.group(1).rstrip(".-")
            if token and token.casefold() not in {t.casefold() for t in found}:
                found.append(token)
    return found


def _exact(token: str) -> User | None:
    key = token.casefold()
    local = func.lower(func.substr(User.email, 1, func.instr(User.email, "@") - 1))
    if db.session.get_bind().dialect.name == "postgresql":
        local = func.lower(func.split_part(User.email, "@", 1))
    return db.session.scalars(
        select(User)
        .where(
            User.is_active_account.is_(True),
            or_(
                func.lower(User.display_name) == key,
                func.lower(User.name) == key,
                local == key,
            ),
        )
        .order_by(User.id)
    ).first()


def _prefix(token: str) -> User | None:
    """The person whose name (or display name) is the longest start of `token` (CJK only)."""
    if not re.search(r"[\u3400-\u9fff]", token):
        return None
    best: User | None = None
    best_len = 0
    for column in (User.display_name, User.name):
        rows = db.session.scalars(
            select(User).where(
                User.is_active_account.is_(True),
                column.is_not(None),
                func.length(column) >= 2,
                literal(token).like(column + "%"),
            )
        ).all()
        for person in rows:
            name = getattr(person, column.key) or ""
            if len(name) > best_len:
                best, best_len = person, len(name)
    return best


def resolve(body: str, *, author_id: int | None = None) -> list[User]:
    """The people `body` mentions (not its author), in order; refused when a token names nobody
    or when there are more than FORUM_MAX_MENTIONS."""
    people: list[User] = []
    unknown: list[str] = []
    for token in tokens(body):
        person = _exact(token) or _prefix(token)
        if person is None:
            unknown.append(token)
        elif person.id != author_id and person not in people:
            people.append(person)
    if unknown:
        names = ", ".join(f"@{token}" for token in unknown)
        raise ForumError(
            ngettext(
                "Nobody here is called %(names)s: check the name, or write it without the @.",
                "Nobody here is called %(names)s: check the names, or write them without the @.",
                len(unknown),
                names=names,
            ),
            "body",
            status=BAD_INPUT,
        )
    limit = int(current_app.config["FORUM_MAX_MENTIONS"])
    if len(people) > limit:
        raise ForumError(
            _("A post mentions at most %(n)s people.", n=limit), "body", status=BAD_INPUT
        )
    return people
