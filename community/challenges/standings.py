"""A challenge's standings as its pages show them: the top of the board and a person's place with
the people around them, the department table of team mode, and a person's way to the first
threshold prize.

Before the final the board is the `challenge:<id>` board in Redis (one round trip; when Redis is
away the page says so and shows the rest). A final challenge is read from the frozen SQL
standings (`final_rank`, `final_score`) only, so a later reversal that moves a running tally
changes nothing shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from community.accounts.models import Department, User
from community.challenges.models import (
    COUNTING,
    Challenge,
    ChallengeEntrant,
    ChallengeStatus,
    PrizeKind,
    TeamMode,
)
from community.challenges.scope import participants
from community.core.localized import Localized, localized
from community.core.permissions import is_hr
from community.extensions import db
from community.leaderboards import queries as board_queries
from community.leaderboards import reads
from community.leaderboards.visibility import hidden_user_ids

BOARD_SIZE = 10
AROUND = 2


@dataclass(frozen=True)
class Place:
    rank: int
    user_id: int
    score: int


@dataclass(frozen=True)
class Standing:
    """A person's place and up to AROUND people above and below; `private` when only they see
    it (they are hidden from the boards, or were disqualified)."""

    me: Place
    above: list[Place]
    below: list[Place]
    private: bool = False


@dataclass
class Board:
    """What a challenge page shows of the standings. `available` is False when the live board
    could not be read; `final` when it comes from the frozen results."""

    available: bool
    final: bool
    rows: list[Place]
    standing: Standing | None
    people: dict[int, board_queries.Shown] = field(default_factory=dict)
    masked: set[int] = field(default_factory=set)  # hidden people on a final board

    def name(self, user_id: int) -> str | None:
        """The name to show, None for someone who keeps their rank private."""
        if user_id in self.masked:
            return None
        person = self.people.get(user_id)
        return person.name if person else ""

    def department(self, user_id: int) -> str:
        person = self.people.get(user_id)
        return person.department if person and user_id not in self.masked else ""


def shows_final(challenge: Challenge) -> bool:
    return challenge.status == ChallengeStatus.FINAL


def board(
    challenge: Challenge, viewer: User | None, size: int = BOARD_SIZE, around: int = AROUND
) -> Board:
    """The top `size` and `viewer`'s standing (None for the office screen)."""
    if shows_final(challenge):
        return _final_board(challenge, viewer, size, around)
    if challenge.status not in COUNTING:  # a draft, or cancelled: no board to show
        return Board(available=True, final=False, rows=[], standing=None)
    viewer_id = viewer.id if viewer is not None else None
    found = reads.page_reads(challenge.scope, "all", size, viewer_id, around)
    if not isinstance(found, reads.PageReads):
        return Board(available=False, final=False, rows=[], standing=None)
    rows = [Place(r.rank, r.user_id, r.points) for r in found.rows]
    standing = None
    if found.standing is not None:
        s = found.standing
        standing = Standing(
            me=Place(s.me.rank, s.me.user_id, s.me.points),
            above=[Place(r.rank, r.user_id, r.points) for r in s.above],
            below=[Place(r.rank, r.user_id, r.points) for r in s.below],
            private=s.private,
        )
    return _named(Board(True, False, rows, standing), viewer)


def _final_board(challenge: Challenge, viewer: User | None, size: int, around: int) -> Board:
    ranked = ChallengeEntrant.final_rank
    base = select(
        ChallengeEntrant.final_rank, ChallengeEntrant.user_id, ChallengeEntrant.final_score
    )
    base = base.where(ChallengeEntrant.challenge_id == challenge.id, ranked.is_not(None))
    rows = [
        Place(int(r), int(u), int(s or 0))
        for r, u, s in db.session.execute(base.where(ranked <= size).order_by(ranked))
    ]
    standing = None
    mine = None
    if viewer is not None:
        mine = db.session.scalars(
            select(ChallengeEntrant).where(
                ChallengeEntrant.challenge_id == challenge.id,
                ChallengeEntrant.user_id == viewer.id,
            )
        ).first()
    if mine is not None and mine.final_rank is not None:
        rank = mine.final_rank
        near = [
            Place(int(r), int(u), int(s or 0))
            for r, u, s in db.session.execute(
                base.where(ranked.between(rank - around, rank + around)).order_by(ranked)
            )
        ]
        standing = Standing(
            me=Place(rank, mine.user_id, int(mine.final_score or 0)),
            above=[p for p in near if p.rank < rank],
            below=[p for p in near if p.rank > rank],
        )
    return _named(Board(True, True, rows, standing), viewer)


def name_people(found: Board, user_ids: list[int], viewer: User | None) -> None:
    """Also name `user_ids` (a final's winners further down than the board shows)."""
    missing = [user_id for user_id in user_ids if user_id not in found.people]
    if missing:
        found.people |= board_queries.shown_people(missing)
        found.masked |= masked_for(viewer, missing)


def _named(found: Board, viewer: User | None) -> Board:
    """Names and departments of everyone shown; on a final board the people hidden from the
    boards are masked for everyone but themselves and HR."""
    ids = [p.user_id for p in found.rows]
    if found.standing:
        ids += [p.user_id for p in (*found.standing.above, *found.standing.below)]
    found.people = board_queries.shown_people(ids)
    if found.final:
        found.masked = masked_for(viewer, ids)
    return found


def masked_for(viewer: User | None, user_ids: list[int]) -> set[int]:
    """Whose names a frozen result does not show `viewer`: the people hidden from the boards
    (opted out, deactivated), except the viewer themself; HR sees everyone."""
    if not user_ids or is_hr(viewer):
        return set()
    hidden = hidden_user_ids(db.session, user_ids)
    return hidden - ({viewer.id} if viewer is not None else set())


# Team mode ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamRow:
    rank: int
    department_id: int | None
    name: Localized | str
    total: int
    people: int  # in scope in that department (the divisor of "per head")
    per_head: float  # total / people, in the metric's units (thousandths for quality)


def team_table(challenge: Challenge) -> list[TeamRow]:
    """Departments ranked by their entrants' total (or the total per person in scope), from the
    SQL tallies (frozen ones once final); disqualified entries left out."""
    if challenge.team_mode == TeamMode.NONE:
        return []
    score = ChallengeEntrant.final_score if shows_final(challenge) else ChallengeEntrant.score
    totals = {
        department_id: int(total or 0)
        for department_id, total in db.session.execute(
            select(ChallengeEntrant.department_id, func.sum(score))
            .where(
                ChallengeEntrant.challenge_id == challenge.id,
                ChallengeEntrant.disqualified_at.is_(None),
            )
            .group_by(ChallengeEntrant.department_id)
        )
    }
    who = participants(challenge).order_by(None).subquery()
    heads = {
        department_id: int(count)
        for department_id, count in db.session.execute(
            select(User.department_id, func.count())
            .where(User.id.in_(select(who.c.id)))
            .group_by(User.department_id)
        )
    }
    ids = [d for d in set(totals) | set(heads) if d is not None]
    departments = {
        d.id: localized(d, "name")
        for d in db.session.scalars(select(Department).where(Department.id.in_(ids or [-1])))
    }
    rows = []
    for department_id in set(totals) | set(heads):
        if department_id is None and not totals.get(None):
            continue  # people without a department and no score: no row to show
        total = totals.get(department_id, 0)
        people = heads.get(department_id, 0)
        per_head = total / people if people else float(total)
        name = departments.get(department_id or 0) or ""
        rows.append((department_id, name, total, people, per_head))
    by_head = challenge.team_mode == TeamMode.PER_HEAD
    rows.sort(key=lambda r: (-(r[4] if by_head else r[2]), str(r[1])))
    return [TeamRow(i + 1, *row) for i, row in enumerate(rows)]


# Progress to the first threshold prize --------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    score: int
    threshold: int

    @property
    def reached(self) -> bool:
        return self.score >= self.threshold

    @property
    def percent(self) -> int:
        return min(100, max(0, self.score * 100 // max(1, self.threshold)))


def progress(challenge: Challenge, entrant: ChallengeEntrant | None) -> Progress | None:
    """How far the person is from the lowest threshold prize (None when there is none)."""
    thresholds = [
        p.threshold for p in challenge.prizes if p.kind == PrizeKind.THRESHOLD and p.threshold
    ]
    if not thresholds:
        return None
    score = 0
    if entrant is not None and entrant.disqualified_at is None:
        frozen = shows_final(challenge) and entrant.final_score is not None
        score = int(entrant.final_score if frozen else entrant.score)  # type: ignore[arg-type]
    return Progress(max(0, score), min(thresholds))
