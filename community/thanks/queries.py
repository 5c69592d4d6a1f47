"""Reading the thanks wall. Who is shown is decided here, when reading, not when writing: a
person who opts out of leaderboards or is deactivated disappears at once, old posts included;
announcements always show; posts HR hid never do (for anyone, HR included; they stay stored).

The wall shows cards, not posts. A card is one person's thanks of one day (in the company
zone), or one announcement, or one challenge's winners (a post naming several people, shown while
it names someone the wall may show; those who opted out or left are left out of it). Why: what repeats on a wall is the same name arriving together. A
payroll run pays several of one referrer's bonuses at once, and the hire that pays a bonus can
also lift them into a new gold tier, so the wall used to say "Thank you, Ann" three times in a
row. A reader wants to see who is being thanked and for what: one card "Thank you, Ann!" with
three lines says that, keeps every fact, and leaves room for the other names. Thanks of another
day are news again (the final bonus of a hire, months after the joining one), so they get their
own card. Grouping by day keeps the cards stable: a card only ever grows during its day, so
colleagues' reactions, which belong to the post the card opened with (its oldest), stay put.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from math import ceil
from typing import Any

from flask import abort
from sqlalchemy import Select, and_, case, desc, func, literal_column, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from community.accounts.models import User
from community.extensions import db
from community.thanks.models import (
    Reaction,
    ThanksKind,
    ThanksPost,
    ThanksReaction,
    ThanksWinner,
)

# Posts that are a card of their own: an announcement, a challenge's winners (several people).
STANDALONE = (ThanksKind.ANNOUNCEMENT, ThanksKind.CHALLENGE_WINNERS)
# Whose card a post is on: the person thanked, or, for a post that stands alone, the post itself
# (as a negative number, so it can never be a person's id). Literals, not bound parameters, so
# that PostgreSQL sees the same expression in SELECT and GROUP BY.
_STANDALONE = [literal_column(f"'{kind.value}'") for kind in STANDALONE]
_OWNER = case((ThanksPost.kind.in_(_STANDALONE), -ThanksPost.id), else_=ThanksPost.subject_id)


def _shown_person(person: Any) -> Any:
    """Whether the wall may name `person` (the User entity or an alias of it)."""
    return and_(person.is_active_account.is_(True), person.leaderboard_opt_out.is_(False))


def _shown(statement: Select[Any]) -> Select[Any]:
    """`statement` (over thanks_posts) narrowed to what the wall shows: a winners post while it
    still names someone the wall may show."""
    subject = aliased(User)
    winner = aliased(User)
    named = (
        select(ThanksWinner.id)
        .join(winner, ThanksWinner.user_id == winner.id)
        .where(ThanksWinner.post_id == ThanksPost.id, _shown_person(winner))
        .exists()
    )
    return statement.outerjoin(subject, ThanksPost.subject_id == subject.id).where(
        ThanksPost.hidden_at.is_(None),
        or_(
            ThanksPost.kind == ThanksKind.ANNOUNCEMENT,
            and_(ThanksPost.kind == ThanksKind.CHALLENGE_WINNERS, named),
            _shown_person(subject),
        ),
    )


def visible_posts() -> Select[Any]:
    """Every post the wall shows, newest first."""
    return (
        _shown(select(ThanksPost))
        .options(
            joinedload(ThanksPost.subject),
            joinedload(ThanksPost.author),
            selectinload(ThanksPost.winners).joinedload(ThanksWinner.user),
        )
        .order_by(ThanksPost.created_at.desc(), ThanksPost.id.desc())
    )


def shown_winners(post: ThanksPost) -> list[ThanksWinner]:
    """The winners a post names that the wall may show now, in rank order."""
    return [winner for winner in post.winners if winner.user and _may_name(winner.user)]


def _may_name(person: User) -> bool:
    return bool(person.is_active_account and not person.leaderboard_opt_out)


@dataclass
class Card:
    """One item of the wall: a person's thanks of one day, or a post that stands alone (an
    announcement, a challenge's winners). `posts` newest first; `reactions` counts each
    reaction on the card, `mine` is the reader's own."""

    owner: int
    day: date
    posts: list[ThanksPost] = field(default_factory=list)
    reactions: dict[str, int] = field(default_factory=dict)
    mine: str | None = None

    @property
    def key(self) -> str:
        """A stable id for the page: the same person and day always make the same card."""
        if self.stands_alone:
            return f"a{-self.owner}"
        return f"p{self.owner}-{self.day:%Y%m%d}"

    @property
    def stands_alone(self) -> bool:
        return self.owner < 0

    @property
    def is_announcement(self) -> bool:
        return self.stands_alone and bool(self.posts) and self.lead.kind == ThanksKind.ANNOUNCEMENT

    @property
    def lead(self) -> ThanksPost:
        return self.posts[0]

    @property
    def anchor(self) -> ThanksPost:
        """The post the card opened with (its oldest): reactions to the card are kept on it."""
        return self.posts[-1]

    @property
    def subject(self) -> User | None:
        return self.lead.subject

    @property
    def total_reactions(self) -> int:
        return sum(self.reactions.values())


@dataclass(frozen=True)
class CardPage:
    """One page of cards, shaped like a Flask-SQLAlchemy pagination for the templates."""

    items: list[Card]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None


def _grouped() -> Select[Any]:
    return (
        _shown(
            select(
                _OWNER.label("owner"),
                ThanksPost.wall_day,
                func.max(ThanksPost.created_at).label("newest"),
                func.max(ThanksPost.id).label("last_id"),
            )
        )
        .group_by(literal_column("owner"), ThanksPost.wall_day)
        .order_by(desc("newest"), desc("last_id"))
    )


def card_page(page: int, per_page: int, reader_id: int | None = None) -> CardPage:
    """Page `page` of the wall's cards, newest first (a page past the end is empty), with the
    reactions each card has and, for `reader_id`, their own."""
    total = db.session.scalar(select(func.count()).select_from(_grouped().subquery())) or 0
    rows = db.session.execute(_grouped().limit(per_page).offset((page - 1) * per_page)).all()
    cards = _fill([Card(owner=row.owner, day=row.wall_day) for row in rows], reader_id)
    return CardPage(cards, page, per_page, total)


def latest_posts(limit: int = 5) -> list[ThanksPost]:
    """The newest posts, one by one (the wall and the home page show cards: `card_page`)."""
    return list(db.session.scalars(visible_posts().limit(limit)).unique())


def latest_cards(limit: int = 5) -> list[Card]:
    """The newest cards for the home page."""
    return card_page(1, limit).items


def card_of(post: ThanksPost, reader_id: int | None = None) -> Card | None:
    """The card `post` is on, as the wall shows it now (None when nothing of it shows)."""
    owner = -post.id if post.kind in STANDALONE else post.subject_id
    if owner is None:
        return None
    cards = _fill([Card(owner=owner, day=post.wall_day)], reader_id)
    return cards[0] if cards else None


def _fill(cards: list[Card], reader_id: int | None) -> list[Card]:
    """Load the shown posts of `cards` and their reactions; cards left without a post drop."""
    if not cards:
        return []
    by_key = {(card.owner, card.day): card for card in cards}
    wanted = [
        ThanksPost.id == -card.owner
        if card.stands_alone
        else and_(
            ThanksPost.subject_id == card.owner,
            ThanksPost.wall_day == card.day,
            ThanksPost.kind.not_in(STANDALONE),
        )
        for card in cards
    ]
    for post in db.session.scalars(visible_posts().where(or_(*wanted))).unique():
        owner = -post.id if post.kind in STANDALONE else post.subject_id
        card = by_key.get((owner, post.wall_day))  # type: ignore[arg-type]
        if card is not None:
            card.posts.append(post)
    shown = [card for card in cards if card.posts]
    _count_reactions(shown, reader_id)
    return shown


def _count_reactions(cards: Iterable[Card], reader_id: int | None) -> None:
    by_anchor = {card.anchor.id: card for card in cards}
    if not by_anchor:
        return
    counts = db.session.execute(
        select(ThanksReaction.post_id, ThanksReaction.reaction, func.count())
        .where(ThanksReaction.post_id.in_(by_anchor))
        .group_by(ThanksReaction.post_id, ThanksReaction.reaction)
    )
    for post_id, reaction, count in counts:
        by_anchor[post_id].reactions[Reaction(reaction).value] = int(count)
    if reader_id is None:
        return
    mine = db.session.execute(
        select(ThanksReaction.post_id, ThanksReaction.reaction).where(
            ThanksReaction.post_id.in_(by_anchor), ThanksReaction.user_id == reader_id
        )
    )
    for post_id, reaction in mine:
        by_anchor[post_id].mine = Reaction(reaction).value


def get_post(post_id: int) -> ThanksPost:
    """The post (hidden or not), or 404."""
    post = db.session.get(ThanksPost, post_id)
    if post is None:
        abort(404)
    return post
