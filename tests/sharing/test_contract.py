"""What other rooms rely on: the forum hears `SharingSessionScheduled` with what it needs to open
the session's topic, and the page links to the topic once the forum wrote its id; the month that
caps attendance points is the company's month."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from community import events
from community.extensions import db
from community.sharing import attendance
from community.sharing.models import SharingSession
from tests.security.conftest import login
from tests.sharing.conftest import Cast, make_session


def test_publishing_a_session_tells_the_forum(cast: Cast) -> None:
    heard: list[events.SharingSessionScheduled] = []

    def forum(event: events.SharingSessionScheduled) -> None:
        heard.append(event)

    events.subscribe(events.SharingSessionScheduled, forum)
    try:
        session = make_session(cast.host)
    finally:
        events.unsubscribe(events.SharingSessionScheduled, forum)
    assert len(heard) == 1
    event = heard[0]
    assert (event.session_id, event.host_id, event.title, event.title_en) == (
        session.id,
        cast.host.id,
        "面试技巧分享",
        "Interview tips",
    )
    assert event.description == session.description and event.starts_at == session.starts_at


def test_each_session_gets_its_forum_topic_once(client, cast: Cast) -> None:
    """The forum opens the session's topic as it hears of it: in the sharing-sessions category,
    by the host, linking back to the session; the session page links to it."""
    from community.forum.models import ForumCategory, ForumPost, ForumTopic

    first = make_session(cast.host)
    second = make_session(cast.host)
    topics = [db.session.get(ForumTopic, s.forum_topic_id) for s in (first, second)]
    assert [t.origin for t in topics] == [
        f"sharing-session:{first.id}",
        f"sharing-session:{second.id}",
    ]
    assert {t.category_id for t in topics} == {
        db.session.scalars(
            select(ForumCategory.id).where(ForumCategory.slug == "sharing-sessions")
        ).one()
    }
    assert topics[0].author_id == cast.host.id and topics[0].title == "面试技巧分享"
    opening = db.session.scalars(
        select(ForumPost).where(ForumPost.topic_id == topics[0].id, ForumPost.number == 1)
    ).one()
    assert f"/sharing/{first.id}" in opening.body
    login(client, cast.ann)
    page = client.get(f"/sharing/{first.id}").get_data(as_text=True)
    assert f'href="/forum/t/{topics[0].id}"' in page
    topic_page = client.get(f"/forum/t/{topics[0].id}").get_data(as_text=True)
    assert f'href="/sharing/{first.id}"' in topic_page


def test_the_points_month_is_the_companys_month() -> None:
    # 20:00 UTC on 31 December is 04:00 on 1 January in Shanghai.
    session = SharingSession(starts_at=datetime(2026, 12, 31, 20, 0))
    start, end = attendance.month_of(session)
    assert start == datetime(2026, 12, 31, 16, 0) and end == datetime(2027, 1, 31, 16, 0)
