"""A thanks post's headline in the reader's language, rendered when it is shown; the lines of a
card that thanks one person for several things; the reactions' names."""

from __future__ import annotations

from flask_babel import gettext as _

from community.badges import registry
from community.core.i18n import join_names
from community.core.localized import choose
from community.core.places import place_label
from community.pipeline import Stage, stage_label
from community.thanks.models import Reaction, ThanksKind, ThanksPost
from community.thanks.queries import shown_winners


def tier_label(tier: str | None) -> str:
    """The medal's own name ("Silver referrer"), as the badge gallery names it."""
    badge = registry.get(registry.GOLD_REFERRER)
    found = badge.tier(tier or "") if badge else None
    return str(found.name) if found else tier or ""


def winners_headline(post: ThanksPost) -> str:
    """A challenge's winners by their shown names in rank order ("1st Ann, 2nd Bob and 3rd
    Cy"), under the challenge's title in the reader's language."""
    named = [
        _("%(place)s %(name)s", place=place_label(winner.rank), name=winner.user.shown_name)
        for winner in shown_winners(post)
    ]
    return _(
        "Congratulations to the winners of %(challenge)s: %(winners)s!",
        challenge=choose(post.title, post.title_en).text,
        winners=join_names(named),
    )


def headline(post: ThanksPost) -> str:
    """What the post says. Never an amount: a bonus is private between the person and HR."""
    if post.kind == ThanksKind.ANNOUNCEMENT:
        return post.title or ""
    if post.kind == ThanksKind.CHALLENGE_WINNERS:
        return winners_headline(post)
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


def card_headline(name: str) -> str:
    """The headline of a card that thanks one person for several things (its lines say what)."""
    return _("Thank you, %(name)s!", name=name)


def reason(post: ThanksPost) -> str:
    """What one post of such a card thanks the person for, as a line under the headline."""
    if post.kind == ThanksKind.CHALLENGE_WINNERS:  # a card of its own: never such a line
        return winners_headline(post)
    if post.kind == ThanksKind.GOLD_TIER:
        return _(
            "for becoming a %(tier)s of %(year)s",
            tier=tier_label(post.tier),
            year=post.year or "",
        )
    job = post.job_title or ""
    if post.stage == Stage.HIRED:
        return _("for referring our new %(job)s — joining bonus paid", job=job)
    if post.stage == Stage.PROBATION_PASSED:
        return _("for referring our %(job)s, who has passed probation — final bonus paid", job=job)
    return _(
        "for referring our new %(job)s — bonus for reaching %(stage)s paid",
        job=job,
        stage=stage_label(post.stage) if post.stage else "",
    )


# The reactions a colleague can choose from, in the order the wall shows them, with their
# Bootstrap icon (an icon, not an emoji: not every machine has an emoji font).
REACTION_ICONS = {
    Reaction.APPLAUSE: "hand-thumbs-up",
    Reaction.CELEBRATE: "balloon",
    Reaction.HEART: "heart",
}


def reaction_label(reaction: Reaction | str) -> str:
    labels = {
        Reaction.APPLAUSE: _("Applause"),
        Reaction.CELEBRATE: _("Celebrate"),
        Reaction.HEART: _("Love it"),
    }
    return labels.get(Reaction(reaction), str(reaction))
