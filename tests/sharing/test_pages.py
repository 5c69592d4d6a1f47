"""The session pages as people use them: publishing with the form (bad input refused on its field,
nothing written), answering and taking it back (plain POST and htmx), the online link only for
people with a seat, checking in with the code, the host's list, cancelling, the invitation, and
user text that stays text."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from sqlalchemy import func, select

from community.core.time import to_local, utcnow
from community.extensions import db
from community.sharing import attendance, services
from community.sharing.models import RsvpStatus, SharingRsvp, SharingSession
from tests.security.conftest import login
from tests.security.test_user_content import MARKDOWN_ATTACKS, assert_safe_html
from tests.sharing.conftest import Cast, make_session


def form_data(**overrides: str) -> dict[str, str]:
    start = (to_local(utcnow()) + timedelta(days=5)).replace(hour=15, minute=0, second=0)
    data = {
        "title": "内推经验分享",
        "title_en": "Referral stories",
        "description": "**三个**故事",
        "description_en": "**Three** stories",
        "speakers": "Hugo Host",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "location": "Room 5A",
        "online_url": "https://meet.example.com/x",
        "capacity": "20",
    }
    data.update(overrides)
    return data


def count_sessions() -> int:
    return db.session.scalar(select(func.count()).select_from(SharingSession))


def test_a_member_publishes_a_session_in_the_company_zone(client, cast: Cast) -> None:
    login(client, cast.host)
    response = client.post("/sharing/new", data=form_data())
    assert response.status_code == 302
    session = db.session.scalars(select(SharingSession)).one()
    assert session.host_id == cast.host.id and session.capacity == 20
    assert to_local(session.starts_at).hour == 15  # typed in the company's zone, stored in UTC
    page = client.get(response.location).get_data(as_text=True)
    assert "Referral stories" in page and "<strong>Three</strong> stories" in page


def test_bad_input_is_refused_on_its_field_and_nothing_is_written(client, cast: Cast) -> None:
    login(client, cast.host)
    past = (to_local(utcnow()) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    cases = {
        "title": ({"title": "", "title_en": ""}, "Give the session a title."),
        "starts_at": ({"starts_at": past}, "The start must be in the future."),
        "ends_at": ({"ends_at": form_data()["starts_at"]}, "The end must come after the start."),
        "capacity": ({"capacity": "zero"}, "Capacity is a number of seats from 1 to 5000."),
        "capacity0": ({"capacity": "0"}, "Capacity is a number of seats"),
        "online_url": ({"online_url": "javascript:alert(1)"}, "Enter a full web link"),
        "location": ({"location": "", "online_url": ""}, "Say where it happens"),
        "long": ({"title": "x" * 121}, "at most 120 characters"),
        "nul": ({"starts_at": "2026-13-45T99:00"}, "Choose when the session starts."),
    }
    for name, (data, message) in cases.items():
        response = client.post("/sharing/new", data=form_data(**data))
        assert response.status_code == 422, name
        assert message in response.get_data(as_text=True), name
    assert count_sessions() == 0


def test_refusals_read_in_chinese(client, cast: Cast) -> None:
    login(client, cast.host)
    client.post("/language", data={"locale": "zh_CN"})
    response = client.post("/sharing/new", data=form_data(title="", title_en=""))
    assert response.status_code == 422
    assert '<html lang="zh' in response.get_data(as_text=True)  # the page, in the reader's language


def test_answering_and_taking_it_back_plain_and_htmx(client, cast: Cast) -> None:
    session = make_session(cast.host, capacity=1)
    login(client, cast.ann)
    response = client.post(f"/sharing/{session.id}/rsvp", follow_redirects=True)
    assert "You are going." in response.get_data(as_text=True)
    login(client, cast.bob)
    response = client.post(f"/sharing/{session.id}/rsvp", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "You are number 1 on the waitlist." in response.get_data(as_text=True)
    assert "waitlist" in response.headers["HX-Trigger"]
    login(client, cast.ann)
    client.post(f"/sharing/{session.id}/rsvp/cancel")
    answers = {a.user_id: a.status for a in db.session.scalars(select(SharingRsvp))}
    assert answers == {cast.ann.id: RsvpStatus.CANCELLED, cast.bob.id: RsvpStatus.GOING}


def test_answering_after_the_start_says_why_and_writes_nothing(client, cast: Cast) -> None:
    session = make_session(cast.host)
    login(client, cast.ann)
    with time_machine.travel(session.starts_at + timedelta(minutes=1), tick=False):
        response = client.post(f"/sharing/{session.id}/rsvp")
        assert response.status_code == 409
        assert "answers closed at its start" in response.get_data(as_text=True)
        htmx = client.post(f"/sharing/{session.id}/rsvp", headers={"HX-Request": "true"})
        assert htmx.status_code == 409 and htmx.headers["HX-Reswap"] == "none"
    assert db.session.scalar(select(func.count()).select_from(SharingRsvp)) == 0
    assert client.post("/sharing/987654/rsvp").status_code == 404


def test_the_online_link_is_for_people_with_a_seat(client, cast: Cast) -> None:
    session = make_session(cast.host, capacity=1)
    services.rsvp(cast.ann, session.id)
    services.rsvp(cast.bob, session.id)
    link = "https://meet.example.com/abc"
    for who, sees in (
        (cast.ann, True),
        (cast.bob, False),
        (cast.dan, False),
        (cast.host, True),
        (cast.hr, True),
    ):
        login(client, who)
        assert (link in client.get(f"/sharing/{session.id}").get_data(as_text=True)) == sees
        invite = client.get(f"/sharing/{session.id}/invite.ics").get_data(as_text=True)
        assert (link in invite) == sees


def test_the_invitation_is_a_calendar_event_in_utc(client, cast: Cast) -> None:
    session = make_session(cast.host)
    login(client, cast.ann)
    response = client.get(f"/sharing/{session.id}/invite.ics")
    assert response.mimetype == "text/calendar"
    body = response.get_data(as_text=True)
    assert "BEGIN:VEVENT" in body and f"UID:sharing-session-{session.id}@" in body
    assert f"DTSTART:{session.starts_at:%Y%m%dT%H%M%S}Z" in body
    assert "SUMMARY:Interview tips" in body and "STATUS:CONFIRMED" in body


def test_checking_in_with_the_code(client, cast: Cast) -> None:
    session = make_session(cast.host)
    services.rsvp(cast.ann, session.id)
    token = attendance.check_in_token(session)
    login(client, cast.ann)
    with time_machine.travel(session.starts_at + timedelta(minutes=2), tick=False):
        page = client.get(f"/sharing/{session.id}/check-in/{token}")
        assert page.status_code == 200 and 'data-testid="check-in"' in page.get_data(as_text=True)
        bad = client.post(f"/sharing/{session.id}/check-in/forged")
        assert bad.status_code == 404 and "not valid" in bad.get_data(as_text=True)
        assert client.post(f"/sharing/{session.id}/check-in/{token}").status_code == 302
        page = client.get(f"/sharing/{session.id}/check-in/{token}").get_data(as_text=True)
        assert "You are checked in." in page
    login(client, cast.dan)
    with time_machine.travel(session.starts_at + timedelta(minutes=2), tick=False):
        refused = client.post(f"/sharing/{session.id}/check-in/{token}")
        assert refused.status_code == 403 and "no seat" in refused.get_data(as_text=True)


def test_the_host_ticks_the_list_with_htmx(client, cast: Cast) -> None:
    session = make_session(cast.host)
    services.rsvp(cast.ann, session.id)
    login(client, cast.host)
    with time_machine.travel(session.starts_at + timedelta(minutes=2), tick=False):
        page = client.get(f"/sharing/{session.id}/attendance").get_data(as_text=True)
        assert "Ann Employee" in page and 'data-testid="mark-present"' in page
        response = client.post(
            f"/sharing/{session.id}/attendance/{cast.ann.id}",
            data={"present": "1"},
            headers={"HX-Request": "true"},
        )
        assert 'data-testid="mark-absent"' in response.get_data(as_text=True)
        assert "1 checked in" in response.get_data(as_text=True)
        code = client.get(f"/sharing/{session.id}/check-in-code.svg")
        assert code.mimetype == "image/svg+xml" and b"<svg" in code.data


def test_cancelling_shows_the_reason_and_closes_answers(client, cast: Cast) -> None:
    session = make_session(cast.host)
    services.rsvp(cast.ann, session.id)
    login(client, cast.host)
    client.post(f"/sharing/{session.id}/cancel", data={"reason": "Speaker <b>ill</b>"})
    login(client, cast.ann)
    page = client.get(f"/sharing/{session.id}").get_data(as_text=True)
    assert "This session was cancelled" in page and "Speaker &lt;b&gt;ill&lt;/b&gt;" in page
    assert 'data-testid="rsvp"' not in page and 'data-testid="cancel-rsvp"' not in page


def test_user_text_stays_text_on_every_page(client, cast: Cast) -> None:
    attack = "\n\n".join(MARKDOWN_ATTACKS)
    script = "<script>alert('x')</script>"
    session = make_session(
        cast.host,
        title=script,
        title_en="",
        description=attack,
        description_en="",
        speakers=script,
        location=script,
    )
    services.rsvp(cast.ann, session.id)
    login(client, cast.host)
    for path in (
        "/sharing/",
        f"/sharing/{session.id}",
        f"/sharing/{session.id}/edit",
        f"/sharing/{session.id}/attendance",
    ):
        page = client.get(path).get_data(as_text=True)
        assert "<script>alert('x')" not in page, path
    page = client.get(f"/sharing/{session.id}").get_data(as_text=True)
    section = re.search(r'class="job-description"[^>]*>(.*?)</div>\s*</section>', page, re.S)
    assert section is not None
    assert_safe_html(section.group(1))
