"""How each person hears about each category: every kind falls in a category, the defaults,
"off" writes nothing (one by one, gathered under a cause, and for everyone at once), every
delivery is published, and the settings page (one's own, bad input refused)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from community import events
from community.accounts.models import Role
from community.extensions import db
from community.notifications import kinds, services
from community.notifications.categories import (
    DEFAULTS,
    FALLBACK,
    PREFIXES,
    Category,
    Delivery,
    category_of,
)
from community.notifications.models import Notification, NotificationPreference
from community.notifications.preferences import choices_for
from community.pipeline import Stage
from community.thanks.services import post_announcement
from tests.factories import make_user
from tests.pipeline import advance, walk
from tests.referrals.factories import make_referral


@pytest.fixture
def delivered() -> Iterator[list[events.NotificationsDelivered]]:
    seen: list[events.NotificationsDelivered] = []
    keep = seen.append  # (one bound method, so that it can be unsubscribed)
    events.subscribe(events.NotificationsDelivered, keep)
    yield seen
    events.unsubscribe(events.NotificationsDelivered, keep)


def _kinds_of(user_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(Notification.kind)
            .where(Notification.user_id == user_id)
            .order_by(Notification.id)
        )
    )


def test_every_registered_kind_falls_in_a_category_by_its_name() -> None:
    unplaced = [
        kind for kind in kinds.registered() if not any(kind.startswith(p) for p in PREFIXES)
    ]
    assert unplaced == [], f"add their start to notifications.categories.PREFIXES: {unplaced}"
    assert category_of("referral_stage") == Category.REFERRALS
    assert category_of("payout_paid") == Category.REWARDS
    assert category_of("badge_earned") == Category.BADGES
    assert category_of("challenge_live") == Category.CHALLENGES
    assert category_of("sharing_reminder_day") == Category.CLUB
    assert category_of("announcement") == category_of("rules_changed") == Category.ANNOUNCEMENTS
    assert category_of("something_new") == FALLBACK


def test_in_the_app_unless_chosen_and_announcements_by_e_mail() -> None:
    person = make_user()
    assert choices_for(person.id) == DEFAULTS
    assert DEFAULTS[Category.ANNOUNCEMENTS] == Delivery.EMAIL
    assert {DEFAULTS[c] for c in Category if c != Category.ANNOUNCEMENTS} == {Delivery.APP}


def test_a_category_turned_off_is_not_written_for_that_person(delivered) -> None:
    hr = make_user(Role.HR)
    referral = make_referral()
    referrer = referral.referrer
    before = _kinds_of(referrer.id)  # (a first referral's badge)
    services.save_preferences(
        referrer.id, {c.value: "app" for c in Category} | {"referrals": "off"}
    )
    advance(referral, Stage.SCREENING, hr)
    assert _kinds_of(referrer.id) == before
    assert "referral_received" in _kinds_of(hr.id)  # HR's own choice is the default
    services.save_preferences(referrer.id, {c.value: "app" for c in Category})
    advance(referral, Stage.INTERVIEWING, hr)
    assert _kinds_of(referrer.id) == [*before, "referral_stage"]
    assert delivered[-1].notification_ids  # one by one: the rows are named


def test_a_line_of_a_category_turned_off_is_dropped_and_the_rest_stays() -> None:
    hr = make_user(Role.HR)
    referral = make_referral()
    referrer = referral.referrer
    walk(referral, hr, Stage.INTERVIEWING, Stage.OFFER)
    db.session.execute(Notification.__table__.delete())
    db.session.commit()
    services.save_preferences(
        referrer.id, {c.value: "app" for c in Category} | {"badges": "off", "rewards": "off"}
    )
    control = walk(
        make_referral(), hr, Stage.INTERVIEWING, Stage.OFFER
    )  # someone who chose nothing
    db.session.execute(Notification.__table__.delete())
    db.session.commit()
    advance(referral, Stage.HIRED, hr)  # the move, with points, a badge and a bonus under it
    advance(control, Stage.HIRED, hr)
    [hire] = db.session.scalars(select(Notification).where(Notification.user_id == referrer.id))
    assert hire.kind == "referral_stage"
    assert {detail["kind"] for detail in hire.details or []}.isdisjoint(
        {"badge_earned", "points_earned", "payout_created"}
    )
    [theirs] = db.session.scalars(
        select(Notification).where(Notification.user_id == control.referrer_id)
    )
    assert {"points_earned", "payout_created"} <= {d["kind"] for d in theirs.details or []}


def test_a_notice_to_everyone_leaves_out_whoever_turned_it_off(delivered) -> None:
    hr = make_user(Role.HR)
    quiet, reader = make_user(), make_user()
    services.set_delivery(quiet.id, Category.ANNOUNCEMENTS, Delivery.OFF)
    db.session.commit()
    post_announcement(hr, "Spring referral week", "Refer a friend this week.")
    assert _kinds_of(quiet.id) == []
    assert _kinds_of(reader.id) == ["announcement"]
    news = [event for event in delivered if event.kind == "announcement"]
    assert len(news) == 1 and news[0].notification_ids == ()  # to everyone: the SELECT travels
    got = set(db.session.scalars(news[0].recipients))
    assert reader.id in got and quiet.id not in got


def test_saving_changes_only_what_changed_and_one_row_per_category() -> None:
    person = make_user()
    chosen = {c.value: DEFAULTS[c].value for c in Category} | {"club": "weekly"}
    assert services.save_preferences(person.id, chosen) == [Category.CLUB]
    assert services.save_preferences(person.id, chosen) == []
    services.save_preferences(person.id, chosen | {"club": "daily"})
    rows = db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id == person.id)
    ).all()
    assert [(row.category, row.delivery) for row in rows] == [(Category.CLUB, Delivery.DAILY)]


@pytest.mark.parametrize(
    "bad",
    [{"referrals": "sometimes"}, {"referrals": ""}, {"referrals": None}, {"badges": "EMAIL"}],
)
def test_a_bad_choice_writes_nothing(bad: dict[str, str | None]) -> None:
    person = make_user()
    chosen = {c.value: "email" for c in Category}
    chosen.update({k: v for k, v in bad.items() if v is not None})
    for key, value in bad.items():
        if value is None:
            del chosen[key]
    with pytest.raises(services.PreferenceError) as refused:
        services.save_preferences(person.id, chosen)
    assert refused.value.field == next(iter(bad))
    assert db.session.scalar(select(func.count()).select_from(NotificationPreference)) == 0


# The settings page -----------------------------------------------------------------------------


def _form(**changes: str) -> dict[str, str]:
    return {c.value: DEFAULTS[c].value for c in Category} | changes


def test_a_person_chooses_on_their_settings_page(client, auth) -> None:
    person = make_user()
    auth.login(person)
    assert 'href="/notifications/settings"' in client.get("/settings").text
    page = client.get("/notifications/settings")
    assert page.status_code == 200
    assert 'id="pref-announcements-email" value="email" checked' in page.text
    assert 'id="pref-referrals-app" value="app" checked' in page.text
    response = client.post("/notifications/settings", data=_form(referrals="email", club="off"))
    assert response.status_code == 302
    assert choices_for(person.id)[Category.REFERRALS] == Delivery.EMAIL
    assert choices_for(person.id)[Category.CLUB] == Delivery.OFF
    assert "Your notification settings are saved." in client.get("/notifications/settings").text


def test_bad_input_on_the_page_is_refused_with_a_message_and_nothing_written(client, auth) -> None:
    person = make_user()
    auth.login(person)
    response = client.post("/notifications/settings", data=_form(badges="loud", club="off"))
    assert response.status_code == 422
    assert "Choose how you want to hear about “Badges and levels”." in response.text
    assert db.session.scalar(select(func.count()).select_from(NotificationPreference)) == 0
    missing = _form()
    del missing["rewards"]
    assert client.post("/notifications/settings", data=missing).status_code == 422


def test_the_page_speaks_the_readers_language(client, auth) -> None:
    person = make_user(locale="zh_CN")
    auth.login(person)
    response = client.post("/notifications/settings", data=_form(badges="loud"))
    assert response.status_code == 422
    assert '<html lang="zh-CN">' in response.text  # (the new words' Chinese comes with the catalog)
    assert "通知" in response.text


def test_nobody_changes_someone_elses_choices(client, auth) -> None:
    person, other = make_user(), make_user()
    auth.login(person)
    client.post("/notifications/settings", data=_form(referrals="off") | {"user_id": str(other.id)})
    assert choices_for(other.id) == DEFAULTS
    assert choices_for(person.id)[Category.REFERRALS] == Delivery.OFF
    assert client.get(f"/notifications/settings?user_id={other.id}").status_code == 200
    assert (
        client.post(
            f"/notifications/settings?user_id={other.id}", data=_form(club="off")
        ).status_code
        == 302
    )
    assert choices_for(other.id) == DEFAULTS
