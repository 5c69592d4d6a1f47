"""Reading the boards: the top of a board, a person's rank, and the people around them, each in
one round trip. When Redis is unreachable, or lost the boards and they are being rebuilt, reads
return UNAVAILABLE instead of raising: pages say the board is away and carry on."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import redis

from community.accounts.models import User
from community.leaderboards import connection, keys, scripts
from community.leaderboards.kinds import COMPANY
from community.leaderboards.recovery import ensure_whole
from community.leaderboards.scores import decode, from_ts

logger = logging.getLogger(__name__)


class Unavailable:
    """Returned instead of a board when Redis cannot be reached; pages say so and carry on."""

    available = False

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "UNAVAILABLE"


UNAVAILABLE = Unavailable()


@dataclass(frozen=True)
class Ranked:
    """One place on a board. `rank` counts only the people shown (1 = first)."""

    rank: int
    user_id: int
    points: int
    reached_at: datetime


@dataclass(frozen=True)
class Standing:
    """A person's place and the people just above and below them. `private` when the person is
    not shown publicly (opted out …): only they see this rank."""

    me: Ranked
    above: list[Ranked]
    below: list[Ranked]
    private: bool


def _ranked(rank: int, member: str, score: float) -> Ranked:
    points, ts = decode(score)
    return Ranked(rank, int(member), points, from_ts(ts))


def top(scope: str = COMPANY, period: str = "all", n: int = 25) -> list[Ranked] | Unavailable:
    """The first `n` people shown on a board (period: "week" … "all" or a period name)."""
    board = keys.board(scope, period)
    found = _read(scripts.TOP, [board.key], [n])
    if isinstance(found, Unavailable):
        return found
    return [_ranked(i + 1, m, float(score)) for i, (m, score) in enumerate(_pairs(found))]


def rank_of(
    user: User | int, scope: str = COMPANY, period: str = "all"
) -> Ranked | None | Unavailable:
    """Where `user` stands (None when they have no points there). Works for hidden people too:
    their rank is where they would be among the people shown."""
    standing = rank_and_neighbours(user, scope, period, around=0)
    return standing if isinstance(standing, Unavailable) else (standing and standing.me)


def rank_and_neighbours(
    user: User | int, scope: str = COMPANY, period: str = "all", around: int = 2
) -> Standing | None | Unavailable:
    """`user`'s place on a board with up to `around` people shown above and below them."""
    member = str(user if isinstance(user, int) else user.id)
    board = keys.board(scope, period)
    # One round trip, whoever asks and whatever `around` is.
    found = _read(scripts.STANDING, [board.key, board.hidden_key], [member, around])
    return found if isinstance(found, Unavailable) else _standing(found, member, around)


def _read(source: str, redis_keys: list[str], args: list[Any]) -> Any:
    """Run the read script `source` (which starts with `_WHOLE`) on `redis_keys` and the built
    marker. UNAVAILABLE when Redis is unreachable, or lost the boards and they are being rebuilt
    (the first reader to notice has them rebuilt: `recovery`)."""
    found = _run_read(source, redis_keys, args)
    # (On a new install the marker is set now: read again.)
    if found == scripts.NOT_WHOLE and ensure_whole() == "whole":
        found = _run_read(source, redis_keys, args)
    return UNAVAILABLE if found == scripts.NOT_WHOLE else found


def _run_read(source: str, redis_keys: list[str], args: list[Any]) -> Any:
    try:
        return connection.script(source)(keys=[*redis_keys, keys.built_key()], args=args)
    except redis.exceptions.RedisError as exc:
        connection.trip(exc)
        logger.warning("leaderboards unavailable: %s", exc)
        return UNAVAILABLE


def _standing(found: Any, member: str, around: int) -> Standing | None:
    if not found:
        return None
    index, score, private, above_rows, below_rows = found
    index = int(index)
    first_below = index if private else index + 1
    start = max(0, index - around)
    return Standing(
        me=_ranked(index + 1, member, float(score)),
        above=[_ranked(start + i + 1, m, float(s)) for i, (m, s) in enumerate(_pairs(above_rows))],
        below=[
            _ranked(first_below + i + 1, m, float(s)) for i, (m, s) in enumerate(_pairs(below_rows))
        ],
        private=bool(private),
    )


def _pairs(flat: list[str]) -> list[tuple[str, str]]:
    return list(zip(flat[::2], flat[1::2], strict=True))


@dataclass(frozen=True)
class PageReads:
    """What a board page reads from Redis at once: the top rows and the viewer's standing (None
    when they have no points there, or nobody was asked about)."""

    rows: list[Ranked]
    standing: Standing | None


def page_reads(
    scope: str, period: str, n: int, user_id: int | None = None, around: int = 2
) -> PageReads | Unavailable:
    """One round trip for a board page: the first `n` people shown and `user_id`'s standing
    with `around` people above and below."""
    board = keys.board(scope, period)
    member = "" if user_id is None else str(user_id)
    found = _read(scripts.PAGE, [board.key, board.hidden_key], [n, member, around])
    if isinstance(found, Unavailable):
        return found
    rows, standing = found
    return PageReads(
        rows=[_ranked(i + 1, m, float(score)) for i, (m, score) in enumerate(_pairs(rows))],
        standing=_standing(standing, member, around) if member else None,
    )
