"""Topics, replies, edits with history, soft deletes, locks and pins: the services' behaviour."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from community import events
from community.accounts.models import Role
from community.core.markup import render_markdown
from community.extensions import db
from community.forum import posts, topics
from community.forum.common import ForumError
from community.forum.models import (
    ForumModerationLog,
    ForumPost,
    ForumPostRevision,
    ForumTopic,
    TopicKind,
)
from tests.club.factories import make_member
from tests.factories import make_user
from tests.forum.factories import make_category, make_question, make_topic, reply


@pytest.fixture
def changes():
    seen: list[events.ForumPostsChanged] = []
    events.subscribe(events.ForumPostsChanged, seen.append)
    yield seen
    events.unsubscribe(events.ForumPostsChanged, seen.append)


def _count(model) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)))


def test_a_topic_opens_with_post_one_and_replies_follow(changes) -> None:
    author = make_user()
    topic = make_topic(author)
    first = reply(topic)
    second = reply(topic)
    assert [p.number for p in db.session.scalars(select(ForumPost).order_by(ForumPost.number))] == [
        1, 2, 3,
    ]  # fmt: skip
    assert topic.reply_count == 2 and topic.last_post_at == second.created_at
    assert [c.change for c in changes] == ["created"] * 3
    assert changes[1].post_ids == (first.id,)


def test_a_questions_category_makes_questions_unless_told_otherwise() -> None:
    assert make_question().kind == TopicKind.QUESTION
    category = make_category("questions")
    assert make_topic(category=category, question=False).kind == TopicKind.DISCUSSION
    assert make_topic().kind == TopicKind.DISCUSSION


def test_an_edit_keeps_the_text_before_and_marks_the_post(changes) -> None:
    author = make_user()
    topic = make_topic(author, body="原文")
    post = db.session.scalars(select(ForumPost).where(ForumPost.topic_id == topic.id)).one()
    posts.edit(author, post.id, "新的文字", title="新的标题很好")
    assert post.body == "新的文字" and post.edit_count == 1 and post.edited_at is not None
    revision = db.session.scalars(select(ForumPostRevision)).one()
    assert revision.body == "原文" and revision.title == "如何写好推荐理由"
    assert topic.title == "新的标题很好"
    assert changes[-1].change == "topic"  # the title changed: every post of the topic


def test_someone_else_cannot_edit_but_a_moderator_can_and_is_logged() -> None:
    topic = make_topic()
    post = db.session.scalars(select(ForumPost).where(ForumPost.topic_id == topic.id)).one()
    with pytest.raises(ForumError) as refused:
        posts.edit(make_user(), post.id, "hijack")
    assert refused.value.status == 403 and post.body != "hijack"
    moderator = make_member(moderator=True)
    posts.edit(moderator, post.id, "moderated text")
    assert db.session.scalars(select(ForumModerationLog.action)).all() == ["edit_post"]


def test_delete_leaves_a_placeholder_and_the_numbers(changes) -> None:
    author = make_user()
    topic = make_topic()
    post = reply(topic, author)
    later = reply(topic)
    posts.delete(author, post.id)
    assert post.deleted_at is not None and topic.reply_count == 1
    assert later.number == 3
    assert changes[-1].change == "deleted"
    posts.restore(author, post.id)
    assert post.deleted_at is None and topic.reply_count == 2
    assert changes[-1].change == "restored"


def test_an_author_cannot_restore_what_a_moderator_deleted() -> None:
    author = make_user()
    post = reply(make_topic(), author)
    moderator = make_member(moderator=True)
    posts.delete(moderator, post.id, "off topic")
    with pytest.raises(ForumError) as refused:
        posts.restore(author, post.id)
    assert refused.value.status == 403
    posts.restore(moderator, post.id)
    actions = db.session.scalars(select(ForumModerationLog.action).order_by(ForumModerationLog.id))
    assert list(actions) == ["delete_post", "restore_post"]


def test_a_locked_topic_takes_no_reply_but_from_a_moderator() -> None:
    topic = make_topic()
    hr = make_user(role=Role.HR)
    topics.set_locked(hr, topic.id, True, "讨论结束")
    with pytest.raises(ForumError) as refused:
        reply(topic)
    assert refused.value.status == 409
    assert reply(topic, hr).number == 2  # HR moderates too


def test_only_moderators_pin_lock_and_move() -> None:
    topic = make_topic()
    member = make_member()
    for act in (
        lambda who: topics.set_pinned(who, topic.id, True),
        lambda who: topics.set_locked(who, topic.id, True),
        lambda who: topics.move(who, topic.id, make_category().id),
    ):
        with pytest.raises(ForumError) as refused:
            act(member)
        assert refused.value.status == 403
    topics.set_pinned(make_member(moderator=True), topic.id, True)
    assert topic.pinned_at is not None


def test_an_author_deletes_their_topic_only_while_nobody_replied(changes) -> None:
    author = make_user()
    lonely = make_topic(author)
    topics.delete(author, lonely.id)
    assert lonely.deleted_at is not None and changes[-1].change == "topic"
    busy = make_topic(author)
    reply(busy)
    with pytest.raises(ForumError) as refused:
        topics.delete(author, busy.id)
    assert refused.value.status == 409 and busy.deleted_at is None


def test_a_deleted_topic_is_a_404_for_others() -> None:
    author = make_user()
    topic = make_topic(author)
    topics.delete(author, topic.id)
    with pytest.raises(ForumError) as refused:
        reply(topic)
    assert refused.value.status == 404


@pytest.mark.parametrize(
    ("title", "body", "field"),
    [
        ("", "text", "title"),
        ("   ", "text", "title"),
        ("abc", "text", "title"),
        ("x" * 201, "text", "title"),
        ("A fine title", "", "body"),
        ("A fine title", "   \n ", "body"),
        ("A fine title", "x" * 20001, "body"),
    ],
)
def test_bad_topics_are_refused_and_write_nothing(title, body, field) -> None:
    category = make_category()
    author = make_user()
    with pytest.raises(ForumError) as refused:
        topics.start(author, category_id=category.id, title=title, body=body)
    assert refused.value.field == field and refused.value.status == 422
    assert _count(ForumTopic) == 0 and _count(ForumPost) == 0


def test_an_archived_or_unknown_category_takes_no_topic() -> None:
    hr = make_user(role=Role.HR)
    category = make_category(hr=hr)
    from community.forum import categories

    categories.set_archived(hr, category.id, True)
    for category_id in (category.id, 999999, None):
        with pytest.raises(ForumError):
            topics.start(make_user(), category_id=category_id, title="A title", body="text")
    assert _count(ForumTopic) == 0


def test_a_story_links_only_a_hire_of_the_authors_own() -> None:
    from community.core.time import local_today
    from community.pipeline import Stage
    from community.referrals import services as referral_services
    from tests.referrals.factories import make_referral

    hr = make_user(role=Role.HR)
    mine = make_referral()
    with pytest.raises(ForumError):  # not hired yet
        make_topic(mine.referrer, referral_id=mine.id)
    for stage in (Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER, Stage.HIRED):
        referral_services.advance_stage(
            mine, stage, hr, expected_from=mine.stage, start_date=local_today()
        )
    with pytest.raises(ForumError):  # someone else's hire
        make_topic(make_user(), referral_id=mine.id)
    topic = make_topic(mine.referrer, referral_id=mine.id)
    assert topic.referral_id == mine.id


def test_markdown_links_in_posts_are_user_generated_content() -> None:
    html = str(render_markdown("[x](https://example.com) <script>alert(1)</script>", ugc=True))
    assert 'rel="nofollow ugc noopener"' in html and "<script>" not in html
    assert "ugc" not in str(render_markdown("[x](https://example.com)"))


def test_quote_text_names_the_author_and_quotes_every_line() -> None:
    author = make_user(display_name="王芳")
    topic = make_topic(author, body="第一行\n第二行")
    post = db.session.scalars(select(ForumPost).where(ForumPost.topic_id == topic.id)).one()
    assert posts.quote_text(make_user(), post.id) == "> @王芳 wrote:\n> 第一行\n> 第二行\n\n"
    assert posts.quote_text(make_user(), 999999) == ""
