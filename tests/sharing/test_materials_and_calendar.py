"""Slides (PDF only, by content; private; for signed-in people), the recording link (after the
start, http(s) only), and the calendar: a person's feed lists what they answered, the token
resets, and a cancelled session stays in it as cancelled."""

from __future__ import annotations

import io
from datetime import timedelta

import time_machine
from flask import Flask

from community.extensions import db
from community.sharing import calendar, materials, services
from community.sharing.models import SharingSession
from tests.security.conftest import login
from tests.sharing.conftest import Cast, make_session

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(client, session_id: int, content: bytes, name: str = "deck.pdf"):  # noqa: ANN001, ANN201
    return client.post(
        f"/sharing/{session_id}/slides",
        data={"slides": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def test_slides_are_a_private_pdf_for_signed_in_people(app: Flask, client, cast: Cast) -> None:
    session = make_session(cast.host)
    login(client, cast.host)
    assert upload(client, session.id, PDF, "../../面试 技巧.pdf").status_code == 302
    db.session.refresh(session)
    assert session.slides_filename == "面试 技巧.pdf"
    path = materials.slides_path(session)
    assert path is not None and "static" not in str(path) and path.read_bytes() == PDF
    login(client, cast.ann)
    response = client.get(f"/sharing/{session.id}/slides")
    assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    client.post("/logout")
    assert client.get(f"/sharing/{session.id}/slides").status_code == 302  # to the login


def test_anything_but_a_pdf_is_refused_and_nothing_is_kept(
    app: Flask, client, cast: Cast, monkeypatch
) -> None:  # noqa: ANN001
    session = make_session(cast.host)
    login(client, cast.host)
    kept = set(materials.FOLDER.path.glob("*")) if materials.FOLDER.path.exists() else set()
    html = upload(client, session.id, b"<html><script>alert(1)</script>", "evil.pdf")
    assert html.status_code == 422 and "Slides must be a PDF" in html.get_data(as_text=True)
    empty = upload(client, session.id, b"")
    assert empty.status_code == 422 and "empty" in empty.get_data(as_text=True)
    monkeypatch.setitem(app.config, "SHARING_SLIDES_MAX_BYTES", 1024 * 1024)
    big = upload(client, session.id, PDF + b"0" * (1024 * 1024))
    assert big.status_code == 422 and "too large" in big.get_data(as_text=True)
    db.session.refresh(session)
    assert session.slides_file is None
    assert (
        set(materials.FOLDER.path.glob("*")) if materials.FOLDER.path.exists() else set()
    ) == kept
    assert client.get(f"/sharing/{session.id}/slides").status_code == 404


def test_replacing_and_removing_slides_leaves_no_file_behind(client, cast: Cast) -> None:
    session = make_session(cast.host)
    login(client, cast.host)
    upload(client, session.id, PDF)
    db.session.refresh(session)
    first = materials.slides_path(session)
    upload(client, session.id, PDF + b"%v2")
    db.session.refresh(session)
    assert first is not None and not first.exists()
    second = materials.slides_path(session)
    client.post(f"/sharing/{session.id}/slides/remove")
    assert second is not None and not second.exists()


def test_the_recording_link_comes_after_the_start_and_is_a_web_link(client, cast: Cast) -> None:
    session = make_session(cast.host)
    login(client, cast.host)
    early = client.post(
        f"/sharing/{session.id}/recording", data={"recording_url": "https://v.example/1"}
    )
    assert early.status_code == 409 and "once the session has started" in early.get_data(
        as_text=True
    )
    with time_machine.travel(session.ends_at + timedelta(hours=1), tick=False):
        bad = client.post(
            f"/sharing/{session.id}/recording", data={"recording_url": "javascript:alert(1)"}
        )
        assert bad.status_code == 422
        good = client.post(
            f"/sharing/{session.id}/recording", data={"recording_url": "https://v.example/1"}
        )
        assert good.status_code == 302
        login(client, cast.ann)
        page = client.get(f"/sharing/{session.id}").get_data(as_text=True)
        assert 'href="https://v.example/1"' in page


def test_the_feed_lists_what_the_person_answered(client, cast: Cast) -> None:
    going = make_session(cast.host, title_en="Going one")
    waiting = make_session(cast.host, capacity=1, title_en="Waiting one")
    services.rsvp(cast.bob, waiting.id)
    other = make_session(cast.host, title_en="Not answered")
    cancelled = make_session(cast.host, title_en="Called off")
    for session in (going, waiting, cancelled):
        services.rsvp(cast.ann, session.id)
    services.cancel_session(cast.host, cancelled.id, "")
    feed = calendar.ensure_feed(cast.ann)
    body = client.get(f"/sharing/calendar/{feed.token}.ics").get_data(as_text=True)
    assert "Going one" in body and "Waiting one" in body and "Not answered" not in body
    assert body.count("BEGIN:VEVENT") == 3 and "STATUS:CANCELLED" in body
    assert "meet.example.com" in body  # the seat's link, for the one with a seat
    assert other.id  # (made, not answered)


def test_the_feed_token_resets_and_the_old_one_stops(client, cast: Cast) -> None:
    old = calendar.ensure_feed(cast.ann).token
    login(client, cast.ann)
    page = client.get("/sharing/calendar").get_data(as_text=True)
    assert f"/sharing/calendar/{old}.ics" in page
    client.post("/sharing/calendar/reset")
    new = calendar.ensure_feed(cast.ann).token
    assert new != old
    client.post("/logout")
    assert client.get(f"/sharing/calendar/{old}.ics").status_code == 404
    assert client.get(f"/sharing/calendar/{new}.ics").status_code == 200


def test_a_deactivated_persons_feed_is_gone(client, cast: Cast) -> None:
    token = calendar.ensure_feed(cast.ann).token
    cast.ann.is_active_account = False
    db.session.commit()
    assert client.get(f"/sharing/calendar/{token}.ics").status_code == 404


def test_the_feed_reads_in_its_owners_language(client, cast: Cast) -> None:
    session = make_session(cast.host)
    services.rsvp(cast.ann, session.id)
    cast.ann.locale = "zh_CN"
    db.session.commit()
    body = client.get(f"/sharing/calendar/{calendar.ensure_feed(cast.ann).token}.ics")
    assert "面试技巧分享" in body.get_data(as_text=True)
    assert db.session.get(SharingSession, session.id) is not None
