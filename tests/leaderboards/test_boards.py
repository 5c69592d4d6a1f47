"""Redis leaderboards: projection after commit, ranking and ties, calendar periods in the company
time zone, who is shown, rebuild and verify, and Redis going away and coming back."""

from __future__ import annotations

import contextvars
import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import redis
from flask import Flask
from sqlalchemy import func, select

from community.accounts.models import Role, User
from community.accounts.services import deactivate_user, update_settings
from community.extensions import db, redis_store
from community.leaderboards import (
    keys,
    kinds,
    reads,
    rebuild,
    recovery,
    scores,
    verify,
    visibility,
)
from community.leaderboards.models import PendingProjection
from community.leaderboards.reads import UNAVAILABLE, Ranked
from community.points import queries
from community.points.models import PointEntry
from community.points.services import adjust_points
from community.referrals.models import Stage
from tests.factories import make_department, make_user
from tests.pipeline import advance, walk_to
from tests.redis_server import RedisServer
from tests.referrals.factories import make_referral

SHANGHAI = ZoneInfo("Asia/Shanghai")


# Frozen dates are in 2037, whose calendar is 2026's: a board expires weeks after its period ends
# by the real Redis clock, so a board written "in" a period long past would be gone at once.
# (2037-W48 expires on 4 January 2038; before then move these to 2043, the next such year.)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)  # type: ignore[misc]


def company(period: str = "all", n: int = 25) -> list[tuple[int, int]]:
    rows = reads.top(kinds.COMPANY, period, n)
    assert rows is not UNAVAILABLE
    return [(row.user_id, row.points) for row in rows]  # type: ignore[union-attr]


def give(hr: User, user: User, amount: int, reason: str = "Hosted the referral workshop") -> None:
    adjust_points(hr, user, amount, reason)


def pending() -> int:
    return db.session.scalar(select(func.count()).select_from(PendingProjection)) or 0


def test_board_updates_when_hr_moves_a_referral(hr: User) -> None:
    referral = walk_to(make_referral(), Stage.OFFER, hr)
    me = referral.referrer_id
    assert company() == [(me, 90)]  # 10 on acceptance + 30 interviewing + 50 offer
    assert company("week") == [(me, 90)]
    dept = reads.top(kinds.department_scope(referral.referrer.department_id), "month")
    assert [(r.user_id, r.points) for r in dept] == [(me, 90)]  # type: ignore[union-attr]
    assert verify.verify() == []


def test_higher_score_first_and_on_a_tie_whoever_got_there_first(
    hr: User, time_machine: object
) -> None:
    alice, bob, carol = make_user(), make_user(), make_user()
    time_machine.move_to(local(2037, 11, 23, 10, 0), tick=False)  # type: ignore[attr-defined]
    give(hr, bob, 30)
    time_machine.move_to(local(2037, 11, 23, 11, 0), tick=False)  # type: ignore[attr-defined]
    give(hr, alice, 20)
    give(hr, carol, 50)
    time_machine.move_to(local(2037, 11, 23, 12, 0), tick=False)  # type: ignore[attr-defined]
    give(hr, alice, 10)  # alice reaches 30 after bob did
    assert company() == [(carol.id, 50), (bob.id, 30), (alice.id, 30)]
    rows = reads.top(kinds.COMPANY, "all")
    assert rows[1].reached_at == datetime(2037, 11, 23, 2, 0)  # type: ignore[index]


def test_rank_and_the_people_around_me(hr: User) -> None:
    people = [make_user() for _ in range(6)]
    for points, person in zip([60, 50, 40, 30, 20, 10], people, strict=True):
        give(hr, person, points)
    standing = reads.rank_and_neighbours(people[3], kinds.COMPANY, "all", around=2)
    assert standing.me == Ranked(4, people[3].id, 30, standing.me.reached_at)  # type: ignore[union-attr]
    assert [r.rank for r in standing.above] == [2, 3]  # type: ignore[union-attr]
    assert [r.user_id for r in standing.below] == [people[4].id, people[5].id]  # type: ignore[union-attr]
    assert not standing.private  # type: ignore[union-attr]
    assert reads.rank_of(make_user(), kinds.COMPANY, "all") is None


def test_week_month_and_year_roll_over_in_the_company_time_zone(
    hr: User, time_machine: object
) -> None:
    user = make_user()
    # Sunday 23:30 in Shanghai is still ISO week 48 and November there (15:30 UTC).
    time_machine.move_to(local(2037, 11, 29, 23, 30), tick=False)  # type: ignore[attr-defined]
    give(hr, user, 10)
    # 00:30 on Monday 30 November in Shanghai: week 49, though it is still Sunday in UTC.
    time_machine.move_to(local(2037, 11, 30, 0, 30), tick=False)  # type: ignore[attr-defined]
    give(hr, user, 20)
    assert company("2037-W48") == [(user.id, 10)]
    assert company("2037-W49") == [(user.id, 20)]
    assert company("week") == [(user.id, 20)]
    # 1 December 00:30 in Shanghai is 30 November 16:30 UTC: December, locally.
    time_machine.move_to(local(2037, 12, 1, 0, 30), tick=False)  # type: ignore[attr-defined]
    give(hr, user, 40)
    assert company("2037-11") == [(user.id, 30)]
    assert company("2037-12") == [(user.id, 40)]
    assert company("2037-Q4") == [(user.id, 70)]
    # New Year's Day 00:30 in Shanghai (still 31 December in UTC) starts 2038 and 2038-Q1.
    time_machine.move_to(local(2038, 1, 1, 0, 30), tick=False)  # type: ignore[attr-defined]
    give(hr, user, 80)
    assert company("2037") == [(user.id, 70)]
    assert company("2038") == [(user.id, 80)]
    assert company("2038-Q1") == [(user.id, 80)]
    assert company("2037-W53") == [(user.id, 80)]  # ISO week 53 of 2037 runs into 2038
    assert company("all") == [(user.id, 150)]
    assert company("year") == [(user.id, 80)]
    assert verify.verify() == []


def test_period_keys_expire_and_all_time_does_not(hr: User) -> None:
    give(hr, make_user(), 10)
    client = redis_store.client
    now = datetime.now(UTC).timestamp()
    week_ttl = client.ttl(keys.board(kinds.COMPANY, "week").key)
    month_ttl = client.ttl(keys.board(kinds.COMPANY, "month").key)
    year_ttl = client.ttl(keys.board(kinds.COMPANY, "year").key)
    assert 35 * 86400 <= week_ttl <= 42 * 86400
    assert 400 * 86400 <= month_ttl <= 431 * 86400
    assert 800 * 86400 <= year_ttl <= 1166 * 86400
    assert client.ttl(keys.board(kinds.COMPANY, "all").key) == -1
    assert now  # (times are relative to the real clock Redis uses)


def test_hr_deactivated_and_opted_out_people_are_not_shown(app: Flask, hr: User) -> None:
    shown = make_user()
    staff = make_user(role=Role.HR)
    leaver = make_user()
    private = make_user(leaderboard_opt_out=True)
    for points, person in [(10, shown), (90, staff), (80, leaver), (70, private)]:
        give(hr, person, points)
    deactivate_user(leaver, hr)
    assert company() == [(shown.id, 10)]

    # The opted-out person still sees, privately, where they would stand.
    mine = reads.rank_and_neighbours(private, kinds.COMPANY, "all")
    assert mine.private and mine.me.rank == 1 and mine.me.points == 70  # type: ignore[union-attr]
    assert [r.user_id for r in mine.below] == [shown.id]  # type: ignore[union-attr]
    assert reads.rank_of(shown, kinds.COMPANY, "all").rank == 1  # type: ignore[union-attr]

    # Opting back in shows them at once; opting out again hides them.
    update_settings(private, None, "en", leaderboard_opt_out=False)
    assert company() == [(private.id, 70), (shown.id, 10)]
    update_settings(private, None, "en", leaderboard_opt_out=True)
    assert company() == [(shown.id, 10)]
    assert verify.verify() == []


def test_a_page_reads_the_top_and_the_standing_at_once(hr: User) -> None:
    first, second, third, private = make_user(), make_user(), make_user(), make_user()
    update_settings(private, None, "en", leaderboard_opt_out=True)
    for points, person in [(30, first), (20, second), (10, third), (25, private)]:
        give(hr, person, points)
    nobody = reads.page_reads(kinds.COMPANY, "all", 2)
    assert isinstance(nobody, reads.PageReads)
    assert nobody.standing is None
    assert [(row.user_id, row.points) for row in nobody.rows] == [(first.id, 30), (second.id, 20)]
    # The same standing as rank_and_neighbours gives, shown or private.
    for person in (first, second, third, private):
        found = reads.page_reads(kinds.COMPANY, "all", 2, person.id)
        assert isinstance(found, reads.PageReads)
        assert found.standing == reads.rank_and_neighbours(person, kinds.COMPANY, "all")


def test_hr_can_be_shown_when_configured(app: Flask, hr: User) -> None:
    staff = make_user(role=Role.HR)
    app.config["LEADERBOARD_EXCLUDE_HR"] = False
    try:
        give(hr, staff, 40)
        assert company() == [(staff.id, 40)]
        assert verify.verify() == []
    finally:
        app.config["LEADERBOARD_EXCLUDE_HR"] = True
    assert verify.verify()  # with HR excluded again, the board is out of date …
    rebuild.rebuild()
    assert company() == []  # … until it is rebuilt


def test_rebuild_restores_every_board_and_verify_finds_corruption(runner: object, hr: User) -> None:
    first = walk_to(make_referral(), Stage.HIRED, hr)
    second = walk_to(make_referral(), Stage.INTERVIEWING, hr)
    give(hr, second.referrer, 5)
    before = {
        key: redis_store.client.zrange(key, 0, -1, withscores=True)
        for key in redis_store.client.scan_iter(f"{keys.prefix()}:board:*")
    }
    assert before and verify.verify() == []

    redis_store.client.zincrby(keys.board(kinds.COMPANY, "month").key, 1, str(first.referrer_id))
    drift = verify.verify()
    assert len(drift) == 1 and f"user {first.referrer_id}" in drift[0]
    result = runner.invoke(args=["leaderboards", "verify"])  # type: ignore[attr-defined]
    assert result.exit_code == 1 and "difference" in result.output

    redis_store.client.flushdb()
    assert verify.verify()
    result = runner.invoke(args=["leaderboards", "rebuild"])  # type: ignore[attr-defined]
    assert result.exit_code == 0, result.output
    after = {
        key: redis_store.client.zrange(key, 0, -1, withscores=True)
        for key in redis_store.client.scan_iter(f"{keys.prefix()}:board:*")
    }
    assert after == before
    assert redis_store.client.ttl(keys.board(kinds.COMPANY, "all").key) == -1
    assert 0 < redis_store.client.ttl(keys.board(kinds.COMPANY, "week").key) <= 42 * 86400
    assert not list(redis_store.client.scan_iter(f"{keys.prefix()}:staging:*"))
    result = runner.invoke(args=["leaderboards", "verify"])  # type: ignore[attr-defined]
    assert result.exit_code == 0 and "equal" in result.output
    # A rebuilt board does not count an entry again when it is projected once more.
    db.session.add_all(
        PendingProjection(entry_id=e.id) for e in db.session.scalars(select(PointEntry))
    )
    db.session.commit()
    recovery.sync_pending()
    assert verify.verify() == []


def test_entries_are_projected_right_after_commit(hr: User) -> None:
    referral = make_referral()
    advance(referral, Stage.INTERVIEWING, hr)
    # Projected after commit, so nothing is left pending when Redis is up.
    assert db.session.scalar(select(func.count()).select_from(PendingProjection)) == 0
    assert len(list(db.session.scalars(select(PointEntry)))) == 2  # submitted + interviewing


def test_projection_applies_an_entry_only_once(hr: User) -> None:
    user = make_user()
    give(hr, user, 25)
    entry = queries.history(user)[0]
    db.session.add(PendingProjection(entry_id=entry.id))
    db.session.commit()
    assert recovery.sync_pending() == 1
    assert company() == [(user.id, 25)]


def test_redis_down_points_recorded_and_boards_catch_up(
    app: Flask, client: object, auth: object, hr: User, own_redis: RedisServer, runner: object
) -> None:
    referral = make_referral()
    advance(referral, Stage.INTERVIEWING, hr)
    assert company() == [(referral.referrer_id, 40)]

    own_redis.stop()
    advance(referral, Stage.OFFER, hr)  # committed, though Redis is gone
    assert queries.score(referral.referrer_id) == 90
    assert pending() == 1
    started = time.monotonic()
    assert reads.top(kinds.COMPANY, "all") is UNAVAILABLE
    assert time.monotonic() - started < 0.5  # Redis failed a moment ago: not waited on again
    assert reads.rank_and_neighbours(referral.referrer, kinds.COMPANY, "all") is UNAVAILABLE
    assert reads.rank_of(referral.referrer, kinds.COMPANY, "all") is UNAVAILABLE
    assert visibility.refresh_visibility(referral.referrer_id) == 0
    second = make_referral()
    advance(second, Stage.INTERVIEWING, hr)
    assert pending() == 3  # the offer, and the second referral's submitted + interviewing
    auth.login(referral.referrer)  # type: ignore[attr-defined]
    assert client.get("/").status_code == 200  # type: ignore[attr-defined]
    result = runner.invoke(args=["leaderboards", "sync"])  # type: ignore[attr-defined]
    assert result.exit_code == 1 and "3 still pending" in result.output

    own_redis.start()  # an empty server: everything it held is gone, so sync rebuilds
    result = runner.invoke(args=["leaderboards", "sync"])  # type: ignore[attr-defined]
    assert result.exit_code == 0, result.output
    assert "Redis had lost the boards: rebuilt them from the ledger" in result.output
    assert "0 still pending" in result.output and pending() == 0
    assert verify.verify() == []
    assert company() == [(referral.referrer_id, 90), (second.referrer_id, 40)]


def test_pending_entries_are_applied_on_the_next_write_and_lost_boards_on_the_next_read(
    app: Flask, hr: User, own_redis: RedisServer
) -> None:
    user = make_user()
    own_redis.stop()
    give(hr, user, 10)
    give(hr, user, 15)
    assert pending() == 2
    own_redis.start()
    give(hr, make_user(), 1)  # the next write applies what is pending, oldest first
    assert pending() == 0
    assert company()[0] == (user.id, 25)
    assert verify.verify() == []

    own_redis.stop()
    give(hr, user, 5)
    own_redis.start()  # a fresh server: applying the entry alone would rank Bo by 5 points
    # (a process starting now would rebuild at once: tests/leaderboards/test_start.py)
    assert pending() == 1
    assert reads.top(kinds.COMPANY, "all") is UNAVAILABLE  # the first reader has them rebuilt
    recovery.wait_for_recovery(30)
    assert pending() == 0
    assert company()[0] == (user.id, 30)
    assert verify.verify() == []


# Lost boards: Redis came back empty -----------------------------------------------------------


def test_a_new_install_projects_without_a_rebuild(hr: User) -> None:
    """No built marker and nothing projected yet: nothing was lost, so the marker is set and the
    first entry goes straight onto the boards."""
    assert not redis_store.client.exists(keys.built_key())
    user = make_user()
    give(hr, user, 10)
    assert pending() == 0 and company() == [(user.id, 10)]
    assert redis_store.client.get(keys.built_key()) == "new"  # (a rebuild writes its count)
    assert recovery.ensure_whole() == "whole"


def test_entries_wait_for_the_rebuild_of_lost_boards(hr: User) -> None:
    """Redis lost the boards while another process rebuilds them: a new entry is not applied to
    the empty boards (it would rank its person by that entry alone), it waits for the rebuild."""
    ada, bo = make_user(), make_user()
    give(hr, ada, 40)
    redis_store.client.flushdb()
    redis_store.client.set(keys.recovery_lock_key(), "another process")
    give(hr, bo, 5)
    assert pending() == 1
    assert redis_store.client.zcard(keys.board(kinds.COMPANY, "all").key) == 0
    assert reads.top(kinds.COMPANY, "all") is UNAVAILABLE  # not an empty board: away
    assert reads.rank_of(bo, kinds.COMPANY, "all") is UNAVAILABLE
    assert recovery.ensure_whole() == "rebuilding"

    redis_store.client.delete(keys.recovery_lock_key())  # that process died: the lock expired
    give(hr, bo, 1)  # the next write rebuilds, in the background
    recovery.wait_for_recovery(30)
    assert pending() == 0
    assert company() == [(ada.id, 40), (bo.id, 6)]
    assert redis_store.client.get(keys.built_key()) == "3"
    assert not redis_store.client.exists(keys.recovery_lock_key())
    assert verify.verify() == []


def test_sync_rebuilds_lost_boards_even_with_nothing_pending(hr: User, runner: object) -> None:
    ada = make_user()
    give(hr, ada, 40)
    redis_store.client.flushdb()
    result = runner.invoke(args=["leaderboards", "sync"])  # type: ignore[attr-defined]
    assert result.exit_code == 0 and "rebuilt them from the ledger" in result.output
    assert company() == [(ada.id, 40)]
    result = runner.invoke(args=["leaderboards", "sync"])  # type: ignore[attr-defined]
    assert result.exit_code == 0 and "rebuilt" not in result.output


def test_a_command_that_finds_the_boards_lost_rebuilds_them_at_once(app: Flask, hr: User) -> None:
    """Outside a request (a `flask` command such as seed-demo) there is nobody to finish a
    background rebuild: the write that finds the boards lost rebuilds them before it returns."""
    ada = make_user()
    give(hr, ada, 40)
    redis_store.client.flushdb()
    ids = hr.id, ada.id

    def as_a_command() -> None:
        with app.app_context():
            staff, person = db.session.get(User, ids[0]), db.session.get(User, ids[1])
            thread = recovery._recovery["thread"]
            give(staff, person, 2)  # type: ignore[arg-type]
            assert recovery._recovery["thread"] is thread  # no background thread was started
            assert company() == [(ids[1], 42)]

    contextvars.Context().run(as_a_command)  # no request, no app context: as a command starts
    assert pending() == 0


def test_a_failed_rebuild_of_lost_boards_is_told_and_tried_again_later(
    hr: User, runner: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    ada = make_user()
    give(hr, ada, 40)
    redis_store.client.flushdb()
    calls = []

    def failing() -> None:
        calls.append(1)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(recovery, "rebuild", failing)
    result = runner.invoke(args=["leaderboards", "sync"])  # type: ignore[attr-defined]
    assert result.exit_code == 1 and "rebuilding them failed" in result.output
    assert not redis_store.client.exists(keys.built_key())
    assert 0 < redis_store.client.ttl(keys.recovery_lock_key()) <= recovery.RECOVERY_RETRY_SECONDS
    for _ in range(3):  # readers meanwhile: told the board is away, no rebuild after rebuild
        assert reads.top(kinds.COMPANY, "all") is UNAVAILABLE
    assert len(calls) == 1

    result = runner.invoke(args=["leaderboards", "sync"])  # type: ignore[attr-defined]
    assert result.exit_code == 1 and "another process is rebuilding" in result.output
    monkeypatch.undo()
    redis_store.client.delete(keys.recovery_lock_key())  # (expired)
    result = runner.invoke(args=["leaderboards", "sync"])  # type: ignore[attr-defined]
    assert result.exit_code == 0 and "rebuilt them" in result.output
    assert company() == [(ada.id, 40)]


def test_a_rebuild_whose_staged_boards_went_away_swaps_nothing(
    hr: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Redis flushed or restarted between loading the staged boards and swapping them in: the
    swap would rename what is left and mark the boards whole. It refuses instead."""
    ada = make_user()
    give(hr, ada, 40)
    before = company()
    finish = rebuild._Loader.finish

    def finish_then_lose_one(loader: rebuild._Loader) -> None:
        finish(loader)
        staged = sorted(redis_store.client.scan_iter(f"{keys.prefix()}:staging:*"))
        redis_store.client.delete(staged[0])

    monkeypatch.setattr(rebuild._Loader, "finish", finish_then_lose_one)
    with pytest.raises(redis.exceptions.WatchError):
        rebuild.rebuild()
    assert company() == before
    assert redis_store.client.get(keys.built_key()) == "new"  # not marked rebuilt


def test_scores_stay_exact_near_the_limit(hr: User) -> None:
    user = make_user()
    big = scores.MAX_POINTS - 1
    assert scores.decode(scores.encode(big, scores.MAX_TS)) == (big, scores.MAX_TS)
    assert scores.decode(scores.encode(-big, 0)) == (-big, 0)
    assert abs(scores.encode(big, 0)) < 2**53
    with pytest.raises(OverflowError):
        scores.encode(scores.MAX_POINTS, 0)
    for _ in range(3):
        give(hr, user, 100_000)
    assert company() == [(user.id, 300_000)]
    assert verify.verify() == []


def test_rebuild_agrees_in_a_half_hour_time_zone(
    app: Flask, hr: User, time_machine: object
) -> None:
    user = make_user()
    app.config["COMPANY_TIMEZONE"] = "Asia/Kolkata"  # UTC+5:30: weeks turn at hh:30 UTC
    try:
        time_machine.move_to(datetime(2037, 11, 29, 18, 15, tzinfo=UTC), tick=False)  # type: ignore[attr-defined]
        give(hr, user, 10)  # Sunday 23:45 in Kolkata: week 48
        time_machine.move_to(datetime(2037, 11, 29, 18, 45, tzinfo=UTC), tick=False)  # type: ignore[attr-defined]
        give(hr, user, 20)  # Monday 00:15 in Kolkata: week 49
        assert company("2037-W48") == [(user.id, 10)]
        assert company("2037-W49") == [(user.id, 20)]
        assert verify.verify() == []
    finally:
        app.config["COMPANY_TIMEZONE"] = "Asia/Shanghai"


def test_every_leaderboard_key_is_in_one_redis_cluster_slot(hr: User) -> None:
    """Each script and the rebuild's swap touch several keys at once; on Redis Cluster they work
    only if those keys share a slot, which the hash-tagged prefix gives them."""
    from redis.crc import key_slot

    person = make_user(department=make_department())
    give(hr, person, 10)
    update_settings(person, None, "en", leaderboard_opt_out=True)  # hidden sets too
    rebuild.rebuild()
    found = list(redis_store.client.scan_iter(f"{keys.prefix()}:*"))
    assert len(found) > 5
    assert {key_slot(key.encode()) for key in found} == {key_slot(keys.built_key().encode())}
