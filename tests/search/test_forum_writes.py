"""The index follows the forum's own services (not only the event contract): a topic, a reply,
an edit of a body and of a title, deletes and restores of posts and topics, a move."""

from __future__ import annotations

from community.accounts.models import Role
from community.forum import posts, topics
from community.search import queries, services
from tests.factories import make_user
from tests.forum.factories import make_category, make_topic, reply


def found(q: str) -> list[tuple[int, int]]:
    return [(hit.topic_id, hit.number) for hit in queries.search(q).hits]


def test_the_index_follows_the_forum(client, auth) -> None:
    hr = make_user(role=Role.HR)  # HR moderates the club
    author = make_user(name="Ann")
    topic = make_topic(author, title="分享几个面试的技巧", body="自我介绍要**简短**。")
    answer = reply(topic, body="Python 面试常问 GIL")
    assert found("面试技巧") == [(topic.id, 1)]
    assert found("Python 面试") == [(topic.id, 2)]

    posts.edit(answer.author, answer.id, "Java 面试常问 JVM")
    assert found("GIL") == [] and found("JVM") == [(topic.id, 2)]

    posts.edit(author, posts_opening(topic.id), "自我介绍要简短。", title="简历怎么写")
    assert found("面试技巧") == [] and found("简历") == [(topic.id, 1)]

    posts.delete(hr, answer.id)
    assert found("JVM") == []
    posts.restore(hr, answer.id)
    assert found("JVM") == [(topic.id, 2)]

    topics.delete(hr, topic.id, "test")
    assert found("JVM") == [] and found("简历") == []
    topics.restore(hr, topic.id)
    assert found("JVM") == [(topic.id, 2)]

    other = make_category(hr=hr)
    topics.move(hr, topic.id, other.id)
    assert [h.category.id for h in queries.search("JVM").hits] == [other.id]
    assert services.differences() == []

    auth.login(author)
    page = client.get("/club/search?q=JVM").get_data(as_text=True)
    assert f'href="/forum/t/{topic.id}?post=2#post-2"' in page


def posts_opening(topic_id: int) -> int:
    from sqlalchemy import select

    from community.extensions import db
    from community.forum.models import ForumPost

    return db.session.scalar(
        select(ForumPost.id).where(ForumPost.topic_id == topic_id, ForumPost.number == 1)
    )
