"""Helpful votes, accepted answers, mentions and watching: points within their limits, and who
hears what."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from flask import current_app
from sqlalchemy import select

from community.accounts.models import Role
from community.extensions import db
from community.forum import answers, posts, votes, watching
from community.forum.causes import describe
from community.forum.common import ForumError
from community.forum.models import ForumPost, ForumVote
from community.notifications.models import Notification
from community.points import queries as points_queries
from community.points.models import PointEntry
from tests.club.factories import make_member
from tests.factories import make_user
from tests.forum.factories import make_category, make_question, make_topic, reply


def _notes(user, kind=None) -> list[Notification]:
    query = select(Notification).where(Notification.user_id == user.id)
    if kind:
        query = query.where(Notification.kind == kind)
    return list(db.session.scalars(query.order_by(Notification.id)))


def _opening(topic) -> ForumPost:
    return db.session.scalars(
        select(ForumPost).where(ForumPost.topic_id == topic.id, ForumPost.number == 1)
    ).one()


# Votes --------------------------------------------------------------------------------------


def test_a_vote_pays_the_author_once_and_never_twice() -> None:
    author = make_user()
    post = reply(make_topic(), author)
    voter = make_user()
    votes.vote(voter, post.id)
    assert points_queries.score(author) == current_app.config["FORUM_VOTE_POINTS"]
    with pytest.raises(ForumError) as refused:
        votes.vote(voter, post.id)
    assert refused.value.status == 409
    votes.unvote(voter, post.id)  # no points back
    votes.vote(voter, post.id)  # the same key: no second payment
    assert points_queries.score(author) == current_app.config["FORUM_VOTE_POINTS"]
    assert db.session.get(ForumVote, (post.id, voter.id)) is not None


def test_posting_alone_earns_nothing() -> None:
    # No points for merely posting (so nobody posts for points): only votes and accepted answers.
    author = make_user()
    topic = make_topic(author)
    for n in range(3):
        reply(topic, author, f"补充第 {n + 1} 点")
    reply(make_question(), author, "我的回答")
    assert points_queries.score(author) == 0
    assert db.session.scalar(select(PointEntry.id).where(PointEntry.user_id == author.id)) is None


def test_nobody_votes_for_themself() -> None:
    author = make_user()
    post = reply(make_topic(), author)
    with pytest.raises(ForumError) as refused:
        votes.vote(author, post.id)
    assert refused.value.status == 403 and points_queries.score(author) == 0


def test_one_colleague_pays_one_author_once_a_day_and_the_cap_holds(app) -> None:
    app.config.update(FORUM_VOTE_POINTS=5, FORUM_VOTE_POINTS_DAILY_CAP=12)
    try:
        author = make_user()
        topic = make_topic()
        mine = [reply(topic, author) for _ in range(3)]
        friend = make_user()
        with time_machine.travel(datetime(2026, 3, 2, 2, 0), tick=False):
            for post in mine:
                votes.vote(friend, post.id)
            assert points_queries.score(author) == 5  # distinct colleagues only
            for _ in range(3):
                votes.vote(make_user(), mine[0].id)
            assert points_queries.score(author) == 12  # 5 + 5 + 2: the daily cap
        with time_machine.travel(datetime(2026, 3, 3, 2, 0), tick=False):
            votes.vote(make_user(), mine[1].id)
            assert points_queries.score(author) == 17  # a new day
    finally:
        app.config.update(FORUM_VOTE_POINTS=2, FORUM_VOTE_POINTS_DAILY_CAP=20)


def test_votes_are_one_notification_per_post_that_counts_them() -> None:
    author = make_user()
    post = reply(make_topic(), author)
    for _ in range(3):
        votes.vote(make_user(), post.id)
    notes = _notes(author, "forum_votes")
    assert len(notes) == 1 and notes[0].params["count"] == 3


def test_a_deleted_post_takes_no_vote() -> None:
    author = make_user()
    post = reply(make_topic(), author)
    posts.delete(author, post.id)
    with pytest.raises(ForumError):
        votes.vote(make_user(), post.id)


# Accepted answers ---------------------------------------------------------------------------


def test_the_asker_accepts_and_the_answerer_earns_once() -> None:
    asker = make_user()
    question = make_question(asker)
    answerer, other = make_member(), make_user()
    answer = reply(question, answerer, "先看岗位要求")
    second = reply(question, other, "另一种看法")
    answers.accept(asker, answer.id)
    points = current_app.config["FORUM_ACCEPTED_POINTS"]
    assert question.accepted_post_id == answer.id
    assert points_queries.score(answerer) == points
    note = _notes(answerer, "forum_accepted")[0]
    assert "points_earned" in {d["kind"] for d in note.details}
    answers.accept(asker, second.id)  # a change of mind: the mark moves, no second payment
    assert question.accepted_post_id == second.id
    assert points_queries.score(other) == 0 and points_queries.score(answerer) == points
    assert _notes(other, "forum_accepted")


def test_only_the_asker_or_a_moderator_accepts_and_never_the_askers_own() -> None:
    asker = make_user()
    question = make_question(asker)
    answer = reply(question, make_user())
    own = reply(question, asker)
    for who in (make_user(), make_member(), answer.author):
        with pytest.raises(ForumError) as refused:
            answers.accept(who, answer.id)
        assert refused.value.status == 403
    with pytest.raises(ForumError):
        answers.accept(asker, own.id)
    with pytest.raises(ForumError):
        answers.accept(asker, _opening(question).id)
    answers.accept(make_user(role=Role.HR), answer.id)
    assert question.accepted_post_id == answer.id


def test_a_moderator_does_not_accept_their_own_answer() -> None:
    moderator = make_member(moderator=True)
    question = make_question()
    own = reply(question, moderator)
    with pytest.raises(ForumError) as refused:
        answers.accept(moderator, own.id)
    assert refused.value.status == 403 and question.accepted_post_id is None
    assert points_queries.score(moderator) == 0


def test_a_discussion_has_no_accepted_answer() -> None:
    asker = make_user()
    topic = make_topic(asker)
    with pytest.raises(ForumError) as refused:
        answers.accept(asker, reply(topic).id)
    assert refused.value.status == 422


def test_my_points_explains_forum_entries() -> None:
    asker = make_user()
    question = make_question(asker)
    answerer = make_user()
    answer = reply(question, answerer)
    votes.vote(make_user(), answer.id)
    answers.accept(asker, answer.id)
    entries = list(db.session.scalars(select(PointEntry).where(PointEntry.user_id == answerer.id)))
    causes = describe(entries)
    assert len(causes) == 2
    assert {c.link_text for c in causes.values()} == {question.title}


# Mentions -----------------------------------------------------------------------------------


def test_mentions_by_name_email_and_inside_chinese_text() -> None:
    wang = make_user(display_name="王芳", email="wang.fang@example.com")
    li = make_user(name="Li Lei", email="lilei@example.com")
    topic = make_topic()
    reply(topic, body="谢谢@王芳的帮助，也问问 @lilei 和 @wang.fang")
    assert len(_notes(wang, "forum_mention")) == 1  # once, though named twice
    assert len(_notes(li, "forum_mention")) == 1


def test_a_mention_right_after_chinese_text_notifies() -> None:
    # Chinese puts no space before the @: "谢谢@王芳" mentions 王芳 (an address still does not).
    wang = make_user(display_name="王芳", email="wang.fang@example.com")
    reply(make_topic(), body="谢谢@王芳的帮助，邮件发到 wang.fang@example.com 了")
    assert len(_notes(wang, "forum_mention")) == 1


def test_an_unknown_mention_is_refused_by_name_and_writes_nothing() -> None:
    topic = make_topic()
    before = topic.reply_count
    with pytest.raises(ForumError) as refused:
        reply(topic, body="问问 @nobody.here 吧")
    assert "@nobody.here" in refused.value.message and refused.value.field == "body"
    assert topic.reply_count == before
    assert db.session.scalar(select(ForumPost.id).where(ForumPost.number == 2)) is None


def test_quotes_code_and_addresses_are_not_mentions() -> None:
    topic = make_topic()
    post = reply(topic, body="> @Someone Unknown wrote:\n> hi\n\nmail ann@corp.com `@code`")
    assert post.number == 2


def test_too_many_mentions_are_refused(app) -> None:
    people = [make_user(email=f"m{i}@example.com") for i in range(3)]
    app.config["FORUM_MAX_MENTIONS"] = 2
    try:
        with pytest.raises(ForumError) as refused:
            reply(make_topic(), body=" ".join(f"@m{i}" for i in range(3)))
        assert "2" in refused.value.message
    finally:
        app.config["FORUM_MAX_MENTIONS"] = 10
    assert people


def test_an_edit_tells_only_the_newly_mentioned() -> None:
    a = make_user(email="aa@example.com")
    b = make_user(email="bb@example.com")
    author = make_user()
    post = reply(make_topic(), author, "hi @aa")
    posts.edit(author, post.id, "hi @aa and @bb")
    assert len(_notes(a, "forum_mention")) == 1 and len(_notes(b, "forum_mention")) == 1


# Watching -----------------------------------------------------------------------------------


def test_the_author_watches_their_topic_and_hears_replies() -> None:
    author = make_user()
    topic = make_topic(author)
    replier = make_user()
    reply(topic, replier)
    assert len(_notes(author, "forum_reply")) == 1
    assert not _notes(replier, "forum_reply")  # nobody hears of their own post


def test_muting_silences_and_category_watchers_hear_new_topics() -> None:
    author = make_user()
    category = make_category()
    fan = make_user()
    watching.set_category(fan, category.id, "watching")
    topic = make_topic(author, category)
    assert len(_notes(fan, "forum_topic")) == 1
    watching.set_topic(author, topic.id, "muted")
    reply(topic)
    assert not _notes(author, "forum_reply")
    assert len(_notes(fan, "forum_reply")) == 1
    with pytest.raises(ForumError):
        watching.set_topic(fan, topic.id, "loud")


def test_read_marks_move_forward_only() -> None:
    from community.forum import queries

    reader = make_user()
    topic = make_topic()
    for _ in range(3):
        reply(topic)
    assert queries.first_unread(topic.id, reader) == 1
    watching.read(reader, topic.id, 3)
    watching.read(reader, topic.id, 2)
    assert queries.first_unread(topic.id, reader) == 4
    rows = queries.topics(topic.category, reader).items
    assert rows[0].unread == 1 and not rows[0].new
