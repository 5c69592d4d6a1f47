"""Mentions: `@name` in a post names a colleague by their display name, their name, or the local
part of their e-mail (`@wang.fang` for wang.fang@corp.com), Chinese names too (`@王芳`).

Chinese is written without spaces, so "谢谢@王芳的帮助" carries the token "王芳的帮助": a token
that names nobody is read as the longest name it starts with. Quoted lines (`> …`) and code are
not read: quoting a post does not mention its people again. A token that names nobody is refused
with its own name in the message, so a typo is never silently dropped.

On the page, `render` links each mention to the person's profile — only a real, active account
(someone who has left is plain text again); the link's text is what the author wrote."""

from __future__ import annotations

import re

from flask import current_app, g, url_for
from flask_babel import ngettext
from markupsafe import Markup
from sqlalchemy import func, literal, or_, select

from community.accounts.models import User
from community.core.errors import BAD_INPUT
from community.core.markup import MENTION, render_markdown
from community.core.transaction import writes
from community.extensions import db
from community.forum.common import ForumError

_MEMO = "forum_mention_links"
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
        for match in MENTION.finditer(_INLINE_CODE.sub(" ", line)):
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
    found = _longest_prefix(token)
    return found[0] if found else None


def _longest_prefix(token: str) -> tuple[User, int] | None:
    """`_prefix`'s person and the length of their name in `token`."""
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
    return (best, best_len) if best is not None else None


def link(token: str) -> tuple[str, int] | None:
    """The profile address of the active person `token` names, and how much of the token is
    their name; None for nobody. Looked up once per token per request (a page repeats names);
    the memo is dropped when the request writes (someone may have just left)."""
    memo = g.get(_MEMO)
    if memo is None or memo[0] != writes():
        memo = (writes(), {})
        setattr(g, _MEMO, memo)
    cache: dict[str, tuple[str, int] | None] = memo[1]
    key = token.casefold()
    if key not in cache:
        person = _exact(token)
        found = (person, len(token)) if person is not None else _longest_prefix(token)
        cache[key] = (url_for("people.profile", user_id=found[0].id), found[1]) if found else None
    return cache[key]


def render(body: str | None) -> Markup:
    """A post's Markdown as safe HTML, its mentions linked to the people they name."""
    return render_markdown(body, ugc=True, mention=link)


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
            ngettext(
                "A post mentions at most %(num)s person.",
                "A post mentions at most %(num)s people.",
                limit,
            ),
            "body",
            status=BAD_INPUT,
        )
    return people
