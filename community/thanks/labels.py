"""A thanks post's headline in the reader's language, rendered when it is shown."""

from __future__ import annotations

from flask_babel import gettext as _

from community.badges import registry
from community.pipeline import Stage, stage_label
from community.thanks.models import ThanksKind, ThanksPost


def tier_label(tier: str | None) -> str:
    """The medal's own name ("Silver referrer"), as the badge gallery names it."""
    badge = registry.get(registry.GOLD_REFERRER)
    found = badge.tier(tier or "") if badge else None
    return str(found.name) if found else tier or ""


def headline(post: ThanksPost) -> str:
    """What the post says. Never an amount: a bonus is private between the person and HR."""
    if post.kind == ThanksKind.ANNOUNCEMENT:
        return post.title or ""
    name = post.subject.shown_name if post.subject else ""
    if post.kind == ThanksKind.GOLD_TIER:
        return _(
            "%(name)s became a %(tier)s of %(year)s — thank you for bringing great people to the team!",
            name=name,
            tier=tier_label(post.tier),
            year=post.year or "",
        )
    job = post.job_title or ""
    if post.stage == Stage.HIRED:
        return _(
            "Thank you, %(name)s, for referring our new %(job)s — joining bonus paid.",
            name=name,
            job=job,
        )
    if post.stage == Stage.PROBATION_PASSED:
        return _(
            "Thank you, %(name)s, for referring our %(job)s, who has passed probation — final bonus paid.",
            name=name,
            job=job,
        )
    return _(
        "Thank you, %(name)s, for referring our new %(job)s — bonus for reaching %(stage)s paid.",
        name=name,
        job=job,
        stage=stage_label(post.stage) if post.stage else "",
    )
