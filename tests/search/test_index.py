"""The index follows every write of the forum in the same transaction, equals a rebuild, and
has the engine's own structures after a migration as after create_all."""

from __future__ import annotations

from datetime import UTC, datetime

import flask_migrate
import pytest
from flask import Flask
from sqlalchemy import inspect, text

from community.core.time import company_tz
from community.extensions import db
from community.search import queries, schema, services
from community.worker import duties
from tests.search.factories import T0, change_post, change_topic, make_topic, opening, reply
from tests.test_migrations import _app_on, empty_database_url  # noqa: F401  (a fixture)

NEWEST_FIRST_PARENT = "5ea1ed7c0b11"  # the revision before SQLite's FTS5 tables read newest first


def titles(q: str) -> list[tuple[int, int]]:
    return [(hit.topic_id, hit.number) for hit in queries.search(q).hits]


def test_an_edit_is_found_by_its_new_words_and_not_its_old(corpus) -> None:
    post = opening(corpus["python"])
    change_post(post, "edited", body="现在招 Golang 工程师", edited_at=T0)
    assert titles("golang") == [(corpus["python"].id, 1)]
    assert titles("欢迎内推") == []
    assert services.differences() == []


def test_delete_hide_and_restore(corpus) -> None:
    topic = corpus["interview"]
    answer = reply(topic, "记得准备 STAR 法则的例子")
    assert titles("STAR") == [(topic.id, 4)]
    change_post(answer, "deleted", deleted_at=T0)
    assert titles("STAR") == []
    change_post(answer, "restored", deleted_at=None)
    assert titles("STAR") == [(topic.id, 4)]
    change_post(answer, "hidden", hidden_at=T0)
    assert titles("STAR") == []
    change_post(answer, "shown", hidden_at=None)
    assert titles("STAR") == [(topic.id, 4)]
    assert services.differences() == []


def test_a_topic_hidden_or_deleted_takes_all_its_posts_out(corpus) -> None:
    topic = corpus["interview"]
    change_topic(topic, hidden_at=T0)
    assert titles("面试技巧") == [] and titles("装饰器") == []
    change_topic(topic, hidden_at=None, deleted_at=T0)
    assert titles("装饰器") == []
    change_topic(topic, deleted_at=None)
    assert titles("装饰器") == [(topic.id, 2)]
    assert services.differences() == []


def test_a_new_title_is_searched_on_the_opening_post_only(corpus) -> None:
    topic = corpus["python"]
    change_topic(topic, title="Golang 后端岗位")
    assert titles("golang") == [(topic.id, 1)]
    assert titles("后端") == [(topic.id, 1)]
    assert services.differences() == []


def test_a_failed_write_leaves_the_index_as_it_was(corpus) -> None:
    post = opening(corpus["python"])
    post.body = "rolledbackword"
    from community import events
    from community.core.time import utcnow

    events.publish(events.ForumPostsChanged(post.topic_id, (post.id,), "edited", utcnow()))
    db.session.rollback()
    assert titles("rolledbackword") == []
    assert services.differences() == []


def _fts_agrees_with_the_documents() -> None:
    """Every token of every document is found by SQLite's two FTS5 tables in exactly the posts
    whose row has it, and nothing else is: a 'delete' given other text than was indexed (the
    tables are contentless) would leave a post found by words it no longer has."""
    rows = db.session.execute(text(f"SELECT post_id, terms, title_terms FROM {schema.TABLE}")).all()
    for table, column in ((schema.FTS, 1), (schema.TITLES, 2)):
        having: dict[str, set[int]] = {}
        for row in rows:
            for token in row[column].split():
                having.setdefault(token, set()).add(row.post_id)
        for token in {*having, "rolledbackword", "欢迎", "golang"}:
            found = db.session.execute(
                text(f"SELECT -rowid FROM {table} WHERE {table} MATCH :token"),
                {"token": f'"{token}"'},
            ).scalars()
            assert set(found) == having.get(token, set()), (table, token)


def test_on_sqlite_both_fts_tables_follow_every_write(corpus, runner) -> None:
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL computes its tsvector column itself")
    _fts_agrees_with_the_documents()
    python, interview = corpus["python"], corpus["interview"]
    change_post(opening(python), "edited", body="现在招 Golang 工程师", edited_at=T0)
    _fts_agrees_with_the_documents()
    change_topic(python, title="Golang 后端岗位")
    _fts_agrees_with_the_documents()
    answer = reply(interview, "记得准备 STAR 法则的例子")
    change_post(answer, "deleted", deleted_at=T0)
    _fts_agrees_with_the_documents()
    change_post(answer, "restored", deleted_at=None)
    change_topic(interview, hidden_at=T0)
    _fts_agrees_with_the_documents()
    change_topic(interview, hidden_at=None)
    assert runner.invoke(args=["search", "reindex"]).exit_code == 0
    _fts_agrees_with_the_documents()


def test_a_title_ranks_its_opening_post_first_after_a_retitle(corpus) -> None:
    interview, python = corpus["interview"], corpus["python"]
    # 面试 is in the interview topic's title: its opening post first, then the newest
    assert titles("面试")[0] == (interview.id, 1)
    change_topic(interview, title="分享几个技巧")
    change_topic(python, title="Python 后端岗位面试")
    assert titles("面试")[0] == (python.id, 1)
    assert (interview.id, 1) not in titles("面试")  # its body never had the word


def test_the_incremental_index_equals_a_rebuild(corpus, runner) -> None:
    topic = make_topic("第二个话题", "内容 content")
    change_post(opening(topic), "edited", body="新的内容 new content")
    reply(topic, "回复")
    before = {hit.post_id for hit in queries.search("内容").hits}
    assert services.differences() == []
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0 and "indexed 9 posts" in result.output
    assert {hit.post_id for hit in queries.search("内容").hits} == before
    assert runner.invoke(args=["search", "check"]).exit_code == 0


def test_check_says_when_the_index_differs(corpus, runner) -> None:
    from community.forum.models import ForumPost

    post = opening(corpus["python"])
    db.session.execute(
        ForumPost.__table__.update().where(ForumPost.id == post.id).values(body="变了")
    )  # written behind the forum's back: no event
    db.session.commit()
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1
    assert f"post {post.id}: body, terms, compact out of date" in result.output
    runner.invoke(args=["search", "reindex"])
    assert runner.invoke(args=["search", "check"]).exit_code == 0


def test_the_engine_index_exists_after_create_all() -> None:
    with db.engine.connect() as conn:
        assert schema.present(conn)


def test_the_migration_builds_the_engine_index_too(app: Flask, empty_database_url: str) -> None:  # noqa: F811
    migrated = _app_on(app, empty_database_url)
    with migrated.app_context():
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            assert schema.present(conn)
            assert "forum_search_documents" in inspect(conn).get_table_names()
        db.engine.dispose()


def test_posts_indexed_before_a_migration_are_found_after_it_and_after_its_downgrade(
    app: Flask,
    empty_database_url: str,  # noqa: F811
) -> None:
    """The migration that made SQLite's FTS5 tables newest-first fills them from the documents
    table, and its downgrade fills the earlier table again (PostgreSQL: unchanged by both)."""
    migrated = _app_on(app, empty_database_url)
    with migrated.app_context():
        flask_migrate.upgrade()
        topic = make_topic("Python 面试经验", "准备好项目介绍")
        reply(topic, "Python 面试考了算法")
        topic_id = topic.id
        db.session.remove()
        flask_migrate.downgrade(revision=NEWEST_FIRST_PARENT)
        if db.engine.dialect.name == "sqlite":
            with db.engine.connect() as conn:
                found = conn.execute(
                    text("SELECT rowid FROM forum_search_fts WHERE forum_search_fts MATCH 'python'")
                ).scalars()
                assert len(list(found)) == 2
        flask_migrate.upgrade()
        hits = queries.search("Python 面试").hits
        assert [(hit.topic_id, hit.number) for hit in hits] == [(topic_id, 1), (topic_id, 2)]
        db.session.remove()
        db.engine.dispose()


def _segments(table: str) -> int:
    return db.session.execute(text(f"SELECT count(DISTINCT segid) FROM {table}_idx")).scalar_one()


def _at_local_hour(hour: int) -> datetime:
    """A naive UTC time at `hour` o'clock in the company's zone (how duties are given `now`)."""
    local = datetime(2026, 12, 5, hour, 30, tzinfo=company_tz())
    return local.astimezone(UTC).replace(tzinfo=None)


def test_the_worker_tidies_the_sqlite_index_into_one_segment_in_the_quiet_hour(corpus) -> None:
    before = {q: titles(q) for q in ("面试", "python", "interview*", "内推 OR 面试官", "面")}
    if db.engine.dialect.name != "sqlite":
        assert services.tidy_duty(_at_local_hour(services.TIDY_HOUR)) == 0  # GIN tidies itself
        return
    assert "search.tidy-index" in [duty.name for duty in duties.registered()]
    for n in range(64):  # a segment per write; FTS5 merges them four at a time
        if min(_segments(schema.FTS), _segments(schema.TITLES)) > services.TIDY_ABOVE:
            break
        make_topic(f"话题 {n}", f"第 {n} 个")
    assert min(_segments(schema.FTS), _segments(schema.TITLES)) > services.TIDY_ABOVE
    assert services.tidy_duty(_at_local_hour(services.TIDY_HOUR - 1)) == 0  # not the hour
    assert _segments(schema.FTS) > services.TIDY_ABOVE
    assert services.tidy_duty(_at_local_hour(services.TIDY_HOUR)) == 2
    db.session.commit()
    assert _segments(schema.FTS) == 1 and _segments(schema.TITLES) == 1
    assert services.tidy_duty(_at_local_hour(services.TIDY_HOUR)) == 0  # nothing left to do
    assert {q: titles(q) for q in before} == before  # the same posts, in the same order
    reply(corpus["python"], "面试 written after the tidy")  # and writes go on as before
    assert titles("written") == [(corpus["python"].id, 3)]
    _fts_agrees_with_the_documents()


def test_a_rebuild_leaves_the_sqlite_index_tidy(corpus, runner) -> None:
    assert runner.invoke(args=["search", "reindex"]).exit_code == 0
    if db.engine.dialect.name == "sqlite":
        assert _segments(schema.FTS) == 1 and _segments(schema.TITLES) == 1
    assert services.tidy_index() == 0


def _behind_the_triggers(statement: str) -> None:
    """A write to the documents table with the triggers missing (as during a batch migration's
    copy of the table), the triggers made again after it."""
    for trigger in ("insert", "delete", "update"):
        db.session.execute(text(f"DROP TRIGGER {schema.FTS}_{trigger}"))
    db.session.execute(text(statement))
    for created in schema.SQLITE:
        db.session.execute(text(created))
    db.session.commit()


def test_on_sqlite_check_sees_a_full_text_entry_no_trigger_removes_and_reindex_clears_it(
    corpus, runner
) -> None:
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL computes its tsvector column itself")
    post = opening(corpus["python"])
    _behind_the_triggers(
        f"UPDATE {schema.TABLE} SET terms = ' golang ', body = 'golang' WHERE post_id = {post.id}"
    )
    # the contentless table still holds the old words: its delete would name the new ones
    assert runner.invoke(args=["search", "check"]).exit_code == 1
    assert any("'欢迎' indexed in 1 posts, in 0" in line for line in services.differences())
    assert runner.invoke(args=["search", "reindex"]).exit_code == 0
    assert services.differences() == []
    assert titles("欢迎") == [(corpus["python"].id, 1)]  # the post's own words, once
    _fts_agrees_with_the_documents()


def test_a_full_text_entry_without_its_document_is_left_out_not_an_error(corpus, caplog) -> None:
    if db.engine.dialect.name != "sqlite":
        pytest.skip("on PostgreSQL the index is a column of the document itself")
    answer = reply(corpus["python"], "orphanword 在这里")
    _behind_the_triggers(f"DELETE FROM {schema.TABLE} WHERE post_id = {answer.id}")
    assert titles("orphanword") == []
    assert "orphanword" not in str(queries.search("orphanword OR 内推").hits)
    assert f"posts [{answer.id}] are found but not visible" in caplog.text


def test_the_tidy_leaves_a_tidy_index_alone_after_a_few_writes(corpus) -> None:
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL has nothing to tidy")
    quiet_hour = _at_local_hour(services.TIDY_HOUR)
    services.tidy_index()
    db.session.commit()
    for n in range(2):
        reply(corpus["interview"], f"夜里的回复 {n}")
    assert 1 < _segments(schema.FTS) <= services.TIDY_ABOVE
    assert services.tidy_duty(quiet_hour) == 0  # a write at night is no reason to rewrite it
