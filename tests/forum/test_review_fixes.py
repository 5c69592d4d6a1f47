"""What a review of the club found, each proved fixed: nothing about a removed topic reaches
watchers or My points, a draft job never shows on a topic, a moderator's deletion of a question
comes back whole with its topic, no vote on a removed topic, accepted answers pay a capped number
a day, and an archived sessions category opens no more session topics."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community.accounts.models import Role
from community.core.time import utcnow
from community.extensions import db
from community.forum import answers, posts, topics, votes, watching
from community.forum.common import ForumError
from community.forum.models import ForumPost, ForumTopic
from community.forum.moderation import services as moderation
from community.jobs.models import JobStatus
from community.notifications.models import Notification
from community.points.causes import causes_for
from community.points.models import PointEntry
from community.search.models import SearchDocument
from tests.factories import make_job, make_user
from tests.forum.factories import make_question, make_topic, reply


@pytest.fixture
def hr():
    return make_user(role=Role.HR)


def _notes(user_id: int, kind: str) -> int:
    return db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user_id, Notification.kind == kind
        )
    )


def test_a_reply_in_a_deleted_topic_tells_no_watcher(hr) -> None:
    topic = make_topic()
    watcher = make_user()
    watching.set_topic(watcher, topic.id, "watching")
    topics.delete(hr, topic.id, "违规")
    posts.reply(hr, topic.id, "版主备注")
    assert _notes(watcher.id, "forum_reply") == 0


def test_a_draft_job_is_refused_and_never_shown(client, auth, hr) -> None:
    draft = make_job(status=JobStatus.DRAFT, title="绝密：CFO 接替人选")
    with pytest.raises(ForumError) as refused:
        make_topic(job_id=draft.id)
    assert refused.value.status == 422
    topic = make_topic(job_id=make_job().id)
    db.session.get(ForumTopic, topic.id).job_id = draft.id  # the job went back to draft
    db.session.commit()
    auth.login(make_user())
    assert "CFO" not in client.get(f"/forum/t/{topic.id}").get_data(as_text=True)


def test_restoring_a_topic_a_moderator_deleted_brings_back_its_question(hr) -> None:
    topic = make_topic(title="面试技巧合集", body="分享几个面试的技巧")
    opening = db.session.scalars(
        select(ForumPost).where(ForumPost.topic_id == topic.id, ForumPost.number == 1)
    ).one()
    moderation.delete_post(hr, opening.id, "spam")
    assert db.session.get(ForumTopic, topic.id).deleted_at is not None
    topics.restore(hr, topic.id)
    assert db.session.get(ForumPost, opening.id).visible
    assert db.session.get(SearchDocument, opening.id) is not None


def test_no_vote_on_a_post_of_a_deleted_topic(hr) -> None:
    topic = make_topic()
    answer = reply(topic)
    topics.delete(hr, topic.id, "违规")
    with pytest.raises(ForumError):
        votes.vote(hr, answer.id)


def test_accepted_answers_pay_a_capped_number_a_day(app) -> None:
    app.config["FORUM_ACCEPTED_DAILY_CAP"] = 2
    helper = make_user()
    paid = []
    for _ in range(3):
        question = make_question()
        answer = reply(question, helper, "先看岗位画像，再对照候选人的经历。")
        answers.accept(question.author, answer.id)
        paid.append(
            db.session.scalar(
                select(func.count(PointEntry.id)).where(PointEntry.user_id == helper.id)
            )
        )
    assert paid == [1, 2, 2]


def test_my_points_name_no_removed_topic(hr) -> None:
    question = make_question()
    helper = make_user()
    answers.accept(question.author, reply(question, helper, "答案在这里。").id)
    entry = db.session.scalars(select(PointEntry).where(PointEntry.user_id == helper.id)).one()
    assert causes_for([entry])[entry.id].link_text == question.title
    topics.delete(hr, question.id, "违规")
    assert causes_for([entry])[entry.id].link_text is None


def test_an_archived_sessions_category_opens_no_more_topics(hr) -> None:
    from community.forum.categories import set_archived
    from community.forum.models import ForumCategory
    from tests.sharing.conftest import make_session

    first = make_session(hr)
    category = db.session.scalars(
        select(ForumCategory).where(ForumCategory.slug == "sharing-sessions")
    ).one()
    set_archived(hr, category.id, True)
    second = make_session(hr, starts_at=utcnow().replace(microsecond=0) + timedelta(days=4))
    assert first.forum_topic_id is not None and second.forum_topic_id is None
