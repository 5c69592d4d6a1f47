"""What other rooms rely on: the forum hears `SharingSessionScheduled` with what it needs to open
the session's topic, and the page links to the topic once the forum wrote its id; the month that
caps attendance points is the company's month."""

from __future__ import annotations

from datetime import datetime

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


def test_the_questions_place_waits_for_the_forums_topic_page(client, cast: Cast) -> None:
    session = make_session(cast.host)
    login(client, cast.ann)
    page = client.get(f"/sharing/{session.id}").get_data(as_text=True)
    assert 'data-testid="questions"' in page and 'data-testid="forum-topic-link"' not in page
    db.session.get(SharingSession, session.id).forum_topic_id = 7
    db.session.commit()
    page = client.get(f"/sharing/{session.id}").get_data(as_text=True)
    # The link appears as soon as the forum's topic page exists (its endpoint, at the merge).
    assert 'data-testid="questions"' in page


def test_the_points_month_is_the_companys_month() -> None:
    # 20:00 UTC on 31 December is 04:00 on 1 January in Shanghai.
    session = SharingSession(starts_at=datetime(2026, 12, 31, 20, 0))
    start, end = attendance.month_of(session)
    assert start == datetime(2026, 12, 31, 16, 0) and end == datetime(2027, 1, 31, 16, 0)
