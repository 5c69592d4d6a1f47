"""The demo's forum: bilingual categories, Chinese and English topics with replies, votes, an
accepted answer, a topic about a job and a success story linked to its author's hire."""

from __future__ import annotations

from sqlalchemy import func, select

from community.extensions import db
from community.forum.models import ForumCategory, ForumPost, ForumTopic, ForumVote
from community.pipeline import Stage
from community.referrals.models import Referral


def test_the_demo_forum_has_something_of_everything(seeded: str) -> None:
    found = list(db.session.scalars(select(ForumCategory)))
    assert len(found) >= 4 and all(c.name and c.name_en for c in found)
    topics = list(db.session.scalars(select(ForumTopic)))
    assert any(t.title.isascii() for t in topics) and any(not t.title.isascii() for t in topics)
    assert all(t.reply_count >= 1 for t in topics)
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
