"""The demo's forum: bilingual categories, Chinese and English topics with replies, votes,
answered questions and an open one, a topic about a job, a success story linked to its author's
hire, spread over the last weeks — and its search finds what people would look for."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from community.core.time import utcnow
from community.extensions import db
from community.forum.models import ForumCategory, ForumPost, ForumTopic, ForumVote, TopicKind
from community.pipeline import Stage
from community.referrals.models import Referral
from community.search import queries
from community.search import services as search


def test_the_demo_forum_has_something_of_everything(seeded: str) -> None:
    found = list(db.session.scalars(select(ForumCategory)))
    assert len(found) >= 4 and all(c.name and c.name_en for c in found)
    topics = list(db.session.scalars(select(ForumTopic)))
    assert any(t.title.isascii() for t in topics) and any(not t.title.isascii() for t in topics)
    # Every topic has replies; a session's topic has colleagues' questions.
    assert all(t.reply_count >= 2 for t in topics if t.origin is None)
    assert all(t.reply_count >= 2 for t in topics if t.origin is not None)
    assert db.session.scalar(select(func.count()).select_from(ForumVote)) >= 3
    accepted = [t for t in topics if t.accepted_post_id]
    assert accepted
    answer = db.session.get(ForumPost, accepted[0].accepted_post_id)
    assert answer.author_id != accepted[0].author_id
    assert any(t.job_id for t in topics)
    story = next(t for t in topics if t.referral_id)
    hire = db.session.get(Referral, story.referral_id)
    assert hire.referrer_id == story.author_id and hire.stage == Stage.HIRED


def test_the_forum_pages_open_for_the_demo_hr(seeded: str, client) -> None:
    from community.demo.seed.company import HR_LOGIN

    client.post("/login", data={"email": HR_LOGIN, "password": "demo12345"})
    assert client.get("/forum/").status_code == 200
    for topic in db.session.scalars(select(ForumTopic)):
        assert client.get(f"/forum/t/{topic.id}").status_code == 200


def test_the_demo_forum_feels_lived_in(seeded: str) -> None:
    topics = list(db.session.scalars(select(ForumTopic)))
    english = [t for t in topics if t.title.isascii()]
    chinese = [t for t in topics if not t.title.isascii()]
    assert len(topics) >= 12 and len(english) >= 3 and len(chinese) > len(english)
    questions = [t for t in topics if t.kind == TopicKind.QUESTION]
    answered = [t for t in questions if t.accepted_post_id]
    assert len(answered) >= 2 and len(answered) < len(questions)  # one is still open
    for topic in answered:
        answer = db.session.get(ForumPost, topic.accepted_post_id)
        assert answer.topic_id == topic.id and answer.author_id != topic.author_id
    assert len({t.category_id for t in topics}) >= 4
    # Over the last weeks, not all at once; replies come after their topic's opening post.
    now = utcnow()
    days = {(now - t.created_at).days for t in topics if t.origin is None}
    assert len(days) >= 8 and max(days) >= 14
    for topic in topics:
        moments = list(
            db.session.scalars(
                select(ForumPost.created_at)
                .where(ForumPost.topic_id == topic.id)
                .order_by(ForumPost.number)
            )
        )
        assert moments[0] == topic.created_at and moments[0] <= now
    assert db.session.scalar(select(func.count()).select_from(ForumVote)) >= 20


def test_the_demo_story_links_only_one_hire_of_its_author(seeded: str) -> None:
    stories = [t for t in db.session.scalars(select(ForumTopic)) if t.referral_id]
    assert len(stories) == 1


@pytest.mark.parametrize(
    ("query", "wanted"),
    [("面试技巧", "分享几个面试的技巧"), ("Python 面试", "Python 面试"), ("python", "Python")],
)
def test_the_demo_search_finds_chinese_and_mixed_queries(
    seeded: str, query: str, wanted: str
) -> None:
    results = queries.search(query)
    assert results.total >= 1
    assert any(wanted in _plain(hit.title) for hit in results.hits)


def test_the_demo_search_index_matches_the_posts(seeded: str) -> None:
    assert search.differences() == []


def _plain(markup) -> str:
    return str(markup).replace("<mark>", "").replace("</mark>", "")
