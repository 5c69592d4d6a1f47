"""The figures every page's layout shows the signed-in person: unread notifications and toasts for
new badges, counted in one query, their own only."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from flask_login import login_user
from sqlalchemy import event, update

from community.badges import registry
from community.badges.services import award_badge
from community.core import viewer
from community.extensions import db
from community.notifications.models import Notification
from community.notifications.services import notify
from tests.factories import make_user


@contextmanager
def statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def record(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _notify(user, n: int) -> None:  # type: ignore[no-untyped-def]
    for i in range(n):
        notify(user.id, "referral_left", {"candidate": f"C{i}", "job": "J"})
    db.session.commit()


def test_one_query_counts_both_figures_and_only_mine(client, auth) -> None:
    me, other = make_user(), make_user()
    _notify(me, 2)
    _notify(other, 5)
    award_badge(other.id, registry.BY_KEY["first_referral"])
    db.session.commit()
    auth.login(me)
    with statements() as seen:
        page = client.get("/settings").text
    assert 'data-testid="unread-count">2<' in page
    assert 'id="page-toasts"' not in page  # the other person's badge is theirs
    layout = [s for s in seen if "FROM notifications" in s or "FROM user_badges" in s]
    assert len(layout) == 1, layout  # no badge pending: not even the toast list is read
    assert "FROM notifications" in layout[0] and "FROM user_badges" in layout[0]


def test_a_new_badge_toasts_once_and_the_bell_counts_its_notification(client, auth) -> None:
    me = make_user()
    auth.login(me)
    assert 'data-testid="unread-count"' not in client.get("/settings").text
    award_badge(me.id, registry.BY_KEY["first_referral"])
    db.session.commit()
    page = client.get("/settings").text
    assert 'id="page-toasts"' in page and "First referral" in page
    assert 'data-testid="unread-count">1<' in page
    assert 'id="page-toasts"' not in client.get("/settings").text  # shown once


def test_reading_everything_clears_the_bell_and_the_button(client, auth) -> None:
    me = make_user()
    _notify(me, 3)
    auth.login(me)
    page = client.post("/notifications/read-all", follow_redirects=True).text
    assert 'data-testid="unread-count"' not in page
    assert 'data-testid="mark-all-read"' not in page


def test_signed_out_pages_count_nothing(client) -> None:
    with statements() as seen:
        page = client.get("/login").text
    assert 'data-testid="unread-count"' not in page
    assert not [s for s in seen if "FROM notifications" in s or "FROM user_badges" in s]


def test_a_page_reads_the_person_and_the_figures_in_one_query(client, auth) -> None:
    me = make_user()
    _notify(me, 2)
    auth.login(me)
    page: dict[str, str] = {}
    # A thread of its own has no app context: the request gets a fresh one, as in production
    # (the tests' shared context would keep the person loaded from an earlier request).
    with statements() as seen:
        worker = threading.Thread(target=lambda: page.update(text=client.get("/settings").text))
        worker.start()
        worker.join()
    assert 'data-testid="unread-count">2<' in page["text"]
    layout = [s for s in seen if "FROM notifications" in s or "FROM user_badges" in s]
    assert len(layout) == 1 and "FROM users" in layout[0], layout


def test_figures_read_with_the_person_are_counted_again_after_a_write(app: Flask) -> None:
    me = make_user()
    _notify(me, 3)
    with app.test_request_context():
        login_user(me)
        viewer.preload({"unread_notifications": 7, "new_badges": 0})
        assert viewer.counts()["unread_notifications"] == 7  # as read with the person
        _notify(me, 1)  # the request writes: what was read before may be stale
        assert viewer.counts()["unread_notifications"] == 4
        viewer.preload({"unread_notifications": 7, "new_badges": 0})
        db.session.execute(update(Notification).values(read_at=db.func.now()))  # a bulk write
        assert viewer.counts()["unread_notifications"] == 0
        viewer.preload({"unread_notifications": 7, "new_badges": 0})
    with app.test_request_context():  # another request never sees them
        login_user(me)
        assert viewer.counts()["unread_notifications"] == 0


def test_the_notifications_page_offers_mark_all_read_from_the_same_count(client, auth) -> None:
    me = make_user()
    _notify(me, 2)
    auth.login(me)
    page: dict[str, str] = {}
    with statements() as seen:  # a fresh app context, as in production (see above)
        worker = threading.Thread(
            target=lambda: page.update(text=client.get("/notifications/").text)
        )
        worker.start()
        worker.join()
    assert 'data-testid="mark-all-read"' in page["text"]
    assert 'data-testid="unread-count">2<' in page["text"]
    counts = [
        s
        for s in seen
        if "count(" in s.lower() and "FROM notifications" in s and "read_at IS NULL" in s
    ]
    assert len(counts) == 1, counts  # the page and the bell share the unread figure
