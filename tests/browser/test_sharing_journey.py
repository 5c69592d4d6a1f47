"""Browser journey of a sharing session: a club member answers a full session and joins the
waitlist, the person going cancels and the seat moves to the member at once (they are told), and
the host opens the attendance list with its check-in code and ticks the member present. In
English and in Chinese, on a laptop and a phone, with screenshots."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from community.accounts.models import Role
from community.club import services as club
from community.core.time import utcnow
from community.extensions import db
from community.sharing import services
from community.sharing.models import RsvpStatus, SharingRsvp
from tests.browser.conftest import htmx_settled, lang_screenshot, login
from tests.factories import make_user
from tests.sharing.conftest import fields

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_a_member_answers_the_waitlist_promotes_and_the_host_takes_attendance(
    open_page, lang: str
) -> None:
    hr = make_user(Role.HR, name="Hana HR")
    host = make_user(Role.EMPLOYEE, name="Hugo Host", email=f"host-{lang}@example.com")
    member = make_user(Role.EMPLOYEE, name="Mia Member", email=f"mia-{lang}@example.com")
    ann = make_user(Role.EMPLOYEE, name="Ann Early", email=f"ann-{lang}@example.com")
    for person in (host, member):
        club.appoint(hr, person.id)
    start = utcnow().replace(microsecond=0) + timedelta(minutes=20)
    session = services.create_session(host, fields(starts_at=start, capacity=1))
    services.rsvp(ann, session.id)
    path = f"/sharing/{session.id}"

    # The member finds the session full and joins the waitlist (htmx swaps the card).
    mia: Page = open_page(lang)  # type: ignore[assignment]
    login(mia, member.email)
    mia.goto("/sharing/")
    lang_screenshot(mia, "sharing-list", lang)
    mia.get_by_test_id("session-card").first.get_by_role("link").click()
    expect(mia.get_by_test_id("rsvp")).to_be_visible()
    mia.get_by_test_id("rsvp").click()
    htmx_settled(mia)
    expect(mia.get_by_test_id("my-answer")).to_contain_text("1")
    expect(mia.get_by_test_id("online-link")).to_have_count(0)  # no seat, no link
    lang_screenshot(mia, "sharing-waitlisted", lang)

    # Ann can no longer come: her seat goes to the member in the same click.
    ann_page: Page = open_page(lang)  # type: ignore[assignment]
    login(ann_page, ann.email)
    ann_page.goto(path)
    ann_page.get_by_test_id("cancel-rsvp").click()
    htmx_settled(ann_page)
    expect(ann_page.get_by_test_id("rsvp")).to_be_visible()
    db.session.expire_all()
    answer = db.session.query(SharingRsvp).filter_by(session_id=session.id, user_id=member.id).one()
    assert answer.status == RsvpStatus.GOING

    mia.goto(path)
    expect(mia.get_by_test_id("online-link")).to_be_visible()
    expect(mia.get_by_test_id("cancel-rsvp")).to_be_visible()
    expect(mia.get_by_test_id("answer-badge")).to_have_count(0)
    lang_screenshot(mia, "sharing-promoted", lang)
    mia.goto("/notifications/")
    expect(mia.locator("body")).to_contain_text(
        "Interview tips" if lang == "en" else "面试技巧分享"
    )

    # The host takes attendance on a phone: the code to show, then a tick on the list.
    phone: Page = open_page(lang, PHONE)  # type: ignore[assignment]
    login(phone, host.email)
    phone.goto(path)
    phone.get_by_test_id("attendance-link").click()
    expect(phone.get_by_test_id("qr")).to_be_visible()
    line = phone.get_by_test_id("roster-line").filter(has_text="Mia Member")
    line.get_by_test_id("mark-present").click()
    htmx_settled(phone)
    expect(line.get_by_test_id("mark-absent")).to_be_visible()
    expect(phone.get_by_test_id("attended-count")).to_contain_text("1")
    lang_screenshot(phone, "sharing-attendance-phone", lang)
    db.session.expire_all()
    answer = db.session.query(SharingRsvp).filter_by(session_id=session.id, user_id=member.id).one()
    assert answer.attended_at is not None and answer.points == 10
    phone.goto("/sharing/new")
    expect(phone.get_by_test_id("session-form")).to_be_visible()
    lang_screenshot(phone, "sharing-new-phone", lang)
    phone.goto(f"{path}/edit")
    expect(phone.get_by_test_id("materials-form")).to_be_visible()
    lang_screenshot(phone, "sharing-host-edit-phone", lang)

    mia.set_viewport_size(PHONE)
    mia.goto(path)
    lang_screenshot(mia, "sharing-session-phone", lang)
