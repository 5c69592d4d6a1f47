"""Every write to the thanks wall: a post when a payout is paid, someone reaches a gold tier or a
challenge names its winners, HR's announcements (which notify every active person), HR hiding a
post, and colleagues' reactions (one each per post).

`thank_payout`, `thank_gold_tier` and `thank_challenge_winners` run inside the transaction of
the event they thank (the payout being paid, the badge being awarded, the challenge being
finalized; see `thanks.listeners`) and never commit, so a
thank-you never announces something that did not happen; each event is thanked once (unique
idempotency key). HR's actions commit themselves. Refusals are `ThanksError`s whose `message`
is in the user's language.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, select

from community import events
from community.accounts.models import User
from community.core.errors import CONFLICT, FORBIDDEN, NOT_FOUND, DomainError
from community.core.permissions import is_hr
from community.core.time import to_local, utcnow
from community.extensions import db
from community.thanks.labels import reaction_label
from community.thanks.models import (
    Reaction,
    ThanksKind,
    ThanksPost,
    ThanksReaction,
    ThanksWinner,
)
from community.thanks.permissions import can_react

if TYPE_CHECKING:
    from community.payouts.models import Payout

logger = logging.getLogger(__name__)

MAX_TITLE = 120
MAX_BODY = 2000
MAX_REASON = 500
MAX_TIER = 40


class ThanksError(DomainError):
    """A thanks-wall action refused; `message` is in the user's language."""


class ThanksNotAllowed(ThanksError):
    status = FORBIDDEN


class ThanksConflict(ThanksError):
    status = CONFLICT


def _existing(key: str) -> ThanksPost | None:
    return db.session.scalars(select(ThanksPost).where(ThanksPost.idempotency_key == key)).first()


def _on_the_wall(post: ThanksPost) -> ThanksPost:
    """Date the post on the wall: its day in the company zone (the wall's cards group by it)."""
    post.wall_day = to_local(post.created_at).date()
    return post


def _add_once(post: ThanksPost) -> ThanksPost:
    """Add `post` unless its event was thanked already (then return that post). Two concurrent
    thank-yous for one event cannot both commit: the unique key fails the second transaction
    (payouts are locked while being paid, so that race does not arise there)."""
    existing = _existing(post.idempotency_key)
    if existing is not None:
        return existing
    db.session.add(_on_the_wall(post))
    db.session.flush()  # the caller gets its id; the caller's commit makes it stick
    events.publish(events.ThanksPosted(post.id, post.kind.value, post.subject_id, post.created_at))
    return post


# Inside the caller's transaction ------------------------------------------------------------


def thank_payout(payout: Payout, at: datetime) -> ThanksPost:
    """Thank the referrer in public for a payout just marked paid: who, which job (its title now)
    and which stage, never the amount. Once per payout; the caller commits."""
    post = ThanksPost(
        kind=ThanksKind.PAYOUT_PAID,
        idempotency_key=f"payout:{payout.id}",
        subject_id=payout.referrer_id,
        payout_id=payout.id,
        stage=payout.stage,
        job_title=payout.referral.job.title,
        created_at=at,
    )
    return _add_once(post)


def thank_gold_tier(user: User, tier: str, at: datetime) -> ThanksPost:
    """Thank `user` in public for reaching the gold `tier` (e.g. "gold") in the year of `at`
    (company zone). Once per person, tier and year: calling it again returns the first post.
    Runs in the caller's transaction (e.g. the badge award); the caller commits."""
    tier = (tier or "").strip().lower()
    if not tier or len(tier) > MAX_TIER:
        raise ValueError(f"a tier name of 1–{MAX_TIER} characters is needed, got {tier!r}")
    year = to_local(at).year
    post = ThanksPost(
        kind=ThanksKind.GOLD_TIER,
        idempotency_key=f"gold:{user.id}:{tier}:{year}",
        subject_id=user.id,
        tier=tier,
        year=year,
        created_at=at,
    )
    return _add_once(post)


def _cut(title: str | None) -> str | None:
    if not title:
        return None
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…"


def thank_challenge_winners(
    challenge_id: int,
    title: str,
    title_en: str | None,
    winners: Iterable[tuple[int, int]],
    at: datetime,
) -> ThanksPost | None:
    """One public post naming a challenge's `winners` ((user id, rank), best first) under the
    challenge's title in both languages (a title longer than the wall's is cut). A person named
    twice keeps their first place. Once per challenge (`challenge:<id>:winners`); None when there
    is nobody to name. Runs in the caller's transaction; the caller commits."""
    named: dict[int, int] = {}
    for user_id, rank in winners:
        named.setdefault(user_id, rank)
    if not named:
        return None
    existing = _existing(f"challenge:{challenge_id}:winners")
    if existing is not None:
        return existing
    post = ThanksPost(
        kind=ThanksKind.CHALLENGE_WINNERS,
        idempotency_key=f"challenge:{challenge_id}:winners",
        challenge_id=challenge_id,
        title=_cut(title),
        title_en=_cut(title_en),
        created_at=at,
        winners=[
            ThanksWinner(user_id=user_id, rank=rank, position=position)
            for position, (user_id, rank) in enumerate(named.items())
        ],
    )
    return _add_once(post)


# HR's actions --------------------------------------------------------------------------------


def _require_hr(actor: User) -> None:
    if not is_hr(actor):
        raise ThanksNotAllowed(_("Only HR can post announcements or hide posts."))


def _plain(text: str | None) -> str:
    """Plain text as typed: line breaks kept (one kind), surrounding space trimmed."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def check_announcement(title: str | None, body: str | None) -> tuple[str, str]:
    """The cleaned title and body, or a `ThanksError` naming the field that is wrong."""
    title = " ".join(_plain(title).split())
    body = _plain(body)
    if not title:
        raise ThanksError(_("Please give the announcement a title."), field="title")
    if len(title) > MAX_TITLE:
        raise ThanksError(
            ngettext(
                "The title can have at most %(num)s character.",
                "The title can have at most %(num)s characters.",
                MAX_TITLE,
            ),
            field="title",
        )
    if not body:
        raise ThanksError(_("Please write the announcement."), field="body")
    if len(body) > MAX_BODY:
        raise ThanksError(
            ngettext(
                "The announcement can have at most %(num)s character.",
                "The announcement can have at most %(num)s characters.",
                MAX_BODY,
            ),
            field="body",
        )
    return title, body


def post_announcement(
    author: User, title: str | None, body: str | None, *, at: datetime | None = None
) -> ThanksPost:
    """Post HR's announcement on the thanks wall (HR only) and publish
    `events.AnnouncementPosted`: every active person is notified in the same transaction."""
    _require_hr(author)
    title, body = check_announcement(title, body)
    now = at or utcnow()
    post = ThanksPost(
        kind=ThanksKind.ANNOUNCEMENT,
        idempotency_key=f"announcement:{uuid.uuid4().hex}",
        author_id=author.id,
        title=title,
        body=body,
        created_at=now,
    )
    db.session.add(_on_the_wall(post))
    db.session.flush()
    events.publish(events.AnnouncementPosted(post.id, author.id, title, now))
    db.session.commit()
    logger.info("announcement %s posted by user %s", post.id, author.id)
    return post


def hide_post(
    post: ThanksPost, actor: User, reason: str | None, *, at: datetime | None = None
) -> ThanksPost:
    """Hide a post from the wall with a reason (HR only). Nothing is deleted."""
    _require_hr(actor)
    reason = " ".join(_plain(reason).split())
    if not reason:
        raise ThanksError(_("Please give a reason for hiding this post."), field="reason")
    if len(reason) > MAX_REASON:
        raise ThanksError(
            ngettext(
                "The reason can have at most %(num)s character.",
                "The reason can have at most %(num)s characters.",
                MAX_REASON,
            ),
            field="reason",
        )
    locked = db.session.scalars(
        select(ThanksPost)
        .where(ThanksPost.id == post.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if locked is None:
        raise ThanksConflict(_("This post no longer exists."))
    if locked.hidden_at is not None:
        db.session.rollback()
        raise ThanksConflict(_("This post is already hidden."))
    locked.hidden_at = at or utcnow()
    locked.hidden_by_id = actor.id
    locked.hidden_reason = reason
    db.session.commit()
    logger.info("thanks post %s hidden by user %s", locked.id, actor.id)
    return locked


# Colleagues' reactions -----------------------------------------------------------------------

NO_REACTION = "none"


def parse_reaction(value: str | None) -> Reaction | None:
    """The reaction a form sent: one of `Reaction`, or None for "take mine back" ("none").
    Anything else is refused with a 400 naming the choices."""
    text = (value or "").strip().lower()
    if text == NO_REACTION:
        return None
    try:
        return Reaction(text)
    except ValueError:
        choices = ", ".join(reaction_label(choice) for choice in Reaction)
        raise ThanksError(
            _("Unknown reaction. Choose one of: %(choices)s.", choices=choices),
            field="reaction",
            status=400,
        ) from None


def react(
    post: ThanksPost, person: User, reaction: Reaction | None, *, at: datetime | None = None
) -> Reaction | None:
    """Set `person`'s reaction to `post`, replacing the one they had, or take it back (None).
    One reaction per person and post: the unique (post, person) pair holds it however many
    times the form is sent at once, and sending the same choice twice leaves one reaction.
    Not on a hidden post (404) nor on one's own thanks or announcement (403). Commits."""
    if post.hidden_at is not None:
        raise ThanksError(_("This post is no longer on the wall."), status=NOT_FOUND)
    if not can_react(person, post):
        raise ThanksNotAllowed(_("You cannot react to your own thanks."))
    if reaction is None:
        db.session.execute(
            delete(ThanksReaction).where(
                ThanksReaction.post_id == post.id, ThanksReaction.user_id == person.id
            )
        )
    else:
        _set_reaction(post.id, person.id, reaction, at or utcnow())
    db.session.commit()
    return reaction


def _set_reaction(post_id: int, user_id: int, reaction: Reaction, at: datetime) -> None:
    """INSERT … ON CONFLICT (post, person) DO UPDATE: a concurrent first reaction of the same
    person cannot make a second row, nor fail this one."""
    values = {"post_id": post_id, "user_id": user_id, "reaction": reaction, "created_at": at}
    if db.session.get_bind().dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # PostgreSQL, the other engine the app runs on
        from sqlalchemy.dialects.postgresql import insert  # type: ignore[assignment]
    statement = insert(ThanksReaction).values(**values)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["post_id", "user_id"],
            set_={
                "reaction": statement.excluded.reaction,
                "created_at": statement.excluded.created_at,
            },
        )
    )
