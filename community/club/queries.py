"""Reading the club: its current members, moderators first, then by who joined first."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from community.accounts.models import User
from community.club.models import ClubMember
from community.extensions import db


def members() -> list[ClubMember]:
    """Every current member with their person and department loaded (active people only)."""
    return list(
        db.session.scalars(
            select(ClubMember)
            .join(User, User.id == ClubMember.user_id)
            .where(ClubMember.ended_at.is_(None), User.is_active_account.is_(True))
            .options(selectinload(ClubMember.user).selectinload(User.department))
            .order_by(ClubMember.moderator.desc(), ClubMember.joined_at, ClubMember.user_id)
        )
    )


def membership_of(user_id: int) -> ClubMember | None:
    """The person's membership row, current or ended (None if they were never in)."""
    return db.session.get(ClubMember, user_id)
