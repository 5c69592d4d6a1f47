"""The index follows every write of the forum in the same transaction, equals a rebuild, and
has the engine's own structures after a migration as after create_all."""

from __future__ import annotations

import flask_migrate
from flask import Flask
from sqlalchemy import inspect

from community import create_app
from community.extensions import db
from community.search import queries, schema, services
from tests.search.factories import T0, change_post, change_topic, make_topic, opening, reply
from tests.test_migrations import empty_database_url  # noqa: F401  (a fixture)


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
    migrated = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": app.config["SECRET_KEY"],
            "SQLALCHEMY_DATABASE_URI": empty_database_url,
            "REDIS_URL": app.config["REDIS_URL"],
            "EMBEDDED_REDIS_DIR": app.config["EMBEDDED_REDIS_DIR"],
            "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
        }
    )
    with migrated.app_context():
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            assert schema.present(conn)
            assert "forum_search_documents" in inspect(conn).get_table_names()
        db.engine.dispose()
