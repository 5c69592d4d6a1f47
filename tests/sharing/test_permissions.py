"""Who may reach each session page, role by role: anonymous people are sent to log in (but for
the calendar feed, whose token is the key), everyone signed in reads and answers, HR and club
members host, and only a session's host and HR manage it (anyone else: the same 404 as a
missing session)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from community.sharing import calendar
from tests.security.conftest import login
from tests.sharing.conftest import Cast, make_session

MISSING = 987654

HOST_PAGES = [
    ("GET", "/sharing/{id}/edit"),
    ("POST", "/sharing/{id}/edit"),
    ("POST", "/sharing/{id}/cancel"),
    ("POST", "/sharing/{id}/slides"),
    ("POST", "/sharing/{id}/slides/remove"),
    ("POST", "/sharing/{id}/recording"),
    ("GET", "/sharing/{id}/attendance"),
    ("GET", "/sharing/{id}/check-in-code.svg"),
    ("POST", "/sharing/{id}/check-in-code"),
    ("POST", "/sharing/{id}/attendance/{ann}"),
]
READER_PAGES = ["/sharing/", "/sharing/{id}", "/sharing/{id}/invite.ics", "/sharing/calendar"]


def test_anonymous_people_are_sent_to_log_in(client, cast: Cast) -> None:
    session = make_session(cast.host)
    for path in [*READER_PAGES, "/sharing/new"]:
        response = client.get(path.format(id=session.id))
        assert response.status_code == 302 and "/login" in response.location, path
    for method, path in HOST_PAGES:
        response = client.open(path.format(id=session.id, ann=cast.ann.id), method=method)
        assert response.status_code == 302 and "/login" in response.location, path
    response = client.post(f"/sharing/{session.id}/rsvp")
    assert response.status_code == 302 and "/login" in response.location


@pytest.mark.parametrize("who", ["ann", "cat", "member", "host", "hr"])
def test_everyone_signed_in_reads_sessions(client, cast: Cast, who: str) -> None:
    session = make_session(cast.host)
    login(client, cast.user(who))
    for path in READER_PAGES:
        assert client.get(path.format(id=session.id)).status_code == 200, path


@pytest.mark.parametrize(
    ("who", "status"), [("ann", 403), ("cat", 403), ("member", 200), ("host", 200), ("hr", 200)]
)
def test_hr_and_club_members_host(client, cast: Cast, who: str, status: int) -> None:
    login(client, cast.user(who))
    assert client.get("/sharing/new").status_code == status
    assert client.post("/sharing/new", data={"title": "x"}).status_code in (
        (403,) if status == 403 else (422,)
    )
    page = client.get("/sharing/").get_data(as_text=True)
    assert ('data-testid="new-session"' in page) == (status == 200)


@pytest.mark.parametrize(
    ("who", "manages"),
    [("ann", False), ("cat", False), ("member", False), ("host", True), ("hr", True)],
)
def test_only_the_host_and_hr_manage_a_session(client, cast: Cast, who: str, manages: bool) -> None:
    session = make_session(cast.host)
    login(client, cast.user(who))
    with time_machine.travel(session.starts_at + timedelta(minutes=5), tick=False):
        for method, path in HOST_PAGES:
            url = path.format(id=session.id, ann=cast.ann.id)
            response = client.open(url, method=method, data={"reason": "x"})
            missing = client.open(path.format(id=MISSING, ann=cast.ann.id), method=method)
            assert missing.status_code == 404
            if manages:
                assert response.status_code not in (403, 404) or "attendance/" in url, url
            else:
                assert response.status_code == 404, url


def test_the_feed_needs_no_login_but_its_token(client, cast: Cast) -> None:
    feed = calendar.ensure_feed(cast.ann)
    assert client.get(f"/sharing/calendar/{feed.token}.ics").status_code == 200
    assert client.get("/sharing/calendar/guess.ics").status_code == 404
    assert client.get(f"/sharing/calendar/{feed.token[:-1]}x.ics").status_code == 404
