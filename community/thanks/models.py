"""Public thanks (公开感谢): posts on the thanks wall.

A post stores facts (who, which payout, which stage, the job title as it was), never text: the
wall renders each post in the reader's language when it is shown (see `thanks.labels`). Bonus
amounts are private between the person and HR, so a post never stores or shows one. A challenge's
winners are one post naming several people (`ThanksWinner`, in rank order), with the challenge's
title in both languages as it was.

`wall_day` is the day of the post in the company's zone: the wall shows one card per person per
day (see `thanks.queries`). Colleagues react to a post (`ThanksReaction`), one reaction each.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.accounts.models import User
from community.core.enums import enum_column
from community.core.time import utcnow
from community.extensions import db
from community.referrals.models import Stage


class ThanksKind(enum.StrEnum):
    PAYOUT_PAID = "payout_paid"  # a referral bonus (one stage of it) was paid
    GOLD_TIER = "gold_tier"  # someone reached a gold tier (金牌内推人) for a year
    ANNOUNCEMENT = "announcement"  # HR's own words: a rule change, a hard-to-fill job
    CHALLENGE_WINNERS = "challenge_winners"  # the winners of a referral challenge, in rank order


class ThanksPost(db.Model):
    """One post on the thanks wall. `idempotency_key` makes each event thanked once:
    `payout:<id>`, `gold:<user>:<tier>:<year>`, `announcement:<uuid>`, or
    `challenge:<id>:winners`. `title` is an announcement's title or a challenge's (base, Chinese
    wording; `title_en` its English, None when there is none)."""

    __tablename__ = "thanks_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ThanksKind] = mapped_column(enum_column(ThanksKind))
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    payout_id: Mapped[int | None] = mapped_column(ForeignKey("payouts.id"))
    stage: Mapped[Stage | None] = mapped_column(enum_column(Stage))
    job_title: Mapped[str | None] = mapped_column(String(160))  # as it was when thanked
    tier: Mapped[str | None] = mapped_column(String(40))
    year: Mapped[int | None]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str | None] = mapped_column(String(120))
    title_en: Mapped[str | None] = mapped_column(String(120))
    challenge_id: Mapped[int | None] = mapped_column(ForeignKey("challenges.id"))
    body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    wall_day: Mapped[date] = mapped_column(index=True)  # created_at's day in the company zone
    hidden_at: Mapped[datetime | None]
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    hidden_reason: Mapped[str | None] = mapped_column(Text)

    subject: Mapped[User | None] = relationship(foreign_keys=[subject_id])
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    hidden_by: Mapped[User | None] = relationship(foreign_keys=[hidden_by_id])
    winners: Mapped[list[ThanksWinner]] = relationship(
        order_by="ThanksWinner.position", cascade="all, delete-orphan"
    )

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class ThanksWinner(db.Model):
    """One person named by a challenge-winners post, at `position` (0 = first named) with the
    place they won (`rank`). Once per post and person."""

    __tablename__ = "thanks_winners"
    __table_args__ = (UniqueConstraint("post_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("thanks_posts.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    rank: Mapped[int]
    position: Mapped[int]

    user: Mapped[User] = relationship()


class Reaction(enum.StrEnum):
    """The few ways a colleague can cheer a post: enough to say something, too few to argue."""

    APPLAUSE = "applause"
    CELEBRATE = "celebrate"
    HEART = "heart"


class ThanksReaction(db.Model):
    """One colleague's reaction to a post: at most one per person and post (the unique pair
    holds under double submits); choosing another replaces it, choosing none removes it."""

    __tablename__ = "thanks_reactions"
    __table_args__ = (UniqueConstraint("post_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("thanks_posts.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reaction: Mapped[Reaction] = mapped_column(enum_column(Reaction))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
