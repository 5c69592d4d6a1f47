"""What the mail room mails by itself: a notification to the people who chose "e-mail now" for
its category (in their language, linking back), announcements and rule changes to everyone who
did not unsubscribe, and what arrives at a real SMTP server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from community import events
from community.accounts.models import Role, User
from community.extensions import db
from community.mail import sending
from community.mail.models import OutboundEmail
from community.notifications import kinds
from community.notifications.categories import Category, Delivery
from community.notifications.kinds import Notice
from community.notifications.models import Notification
from community.notifications.services import deliver, set_delivery
from community.pipeline import Stage
from community.program.services import save_rules
from community.thanks.services import post_announcement
from tests.factories import make_user
from tests.mail.conftest import SmtpServer, body
from tests.pipeline import advance
from tests.program.test_services import rules_input
from tests.referrals.factories import make_referral


def _choose(user: User, category: Category, delivery: Delivery) -> None:
    set_delivery(user.id, category, delivery)
    db.session.commit()


def _mails(to: User | None = None) -> list[OutboundEmail]:
    query = select(OutboundEmail).order_by(OutboundEmail.id)
    if to is not None:
        query = query.where(OutboundEmail.user_id == to.id)
    return list(db.session.scalars(query))


# E-mail now ------------------------------------------------------------------------------------


def test_a_referrer_who_chose_e_mail_now_gets_the_move_in_their_language() -> None:
    hr = make_user(Role.HR)
    referrer = make_user(locale="zh_CN")
    referral = make_referral(referrer)
    _choose(referrer, Category.REFERRALS, Delivery.EMAIL)
    advance(referral, Stage.SCREENING, hr)
    [mail] = _mails(referrer)
    assert (mail.kind, mail.to_address, mail.locale) == ("referrals", referrer.email, "zh_CN")
    note = db.session.scalars(
        select(Notification).where(
            Notification.user_id == referrer.id, Notification.kind == "referral_stage"
        )
    ).one()
    with force_locale("zh_CN"):
        expected = kinds.render(note.kind, note.params)
    assert mail.subject == expected  # the notification's own words, in Chinese
    assert "内推" in mail.subject
    link = f"http://127.0.0.1:5000/referrals/{referral.id}"
    assert link in mail.text_body and f'href="{link}"' in (mail.html_body or "")
    assert mail.headers["List-Unsubscribe"].startswith("<http://127.0.0.1:5000/mail/unsubscribe/")
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = mail.headers["List-Unsubscribe"][1:-1]
    assert unsubscribe in mail.text_body and unsubscribe in (mail.html_body or "")


def test_nobody_else_is_mailed_for_a_notification() -> None:
    hr = make_user(Role.HR)
    in_app, daily, gone = make_user(), make_user(), make_user()
    _choose(daily, Category.REFERRALS, Delivery.DAILY)
    _choose(gone, Category.REFERRALS, Delivery.EMAIL)
    referrals = [make_referral(person) for person in (in_app, daily, gone)]
    gone.is_active_account = False
    db.session.commit()
    for referral in referrals:
        advance(referral, Stage.SCREENING, hr)
    assert _mails() == []  # in the app only, the digest later, and nobody who has left


def test_hr_who_chose_e_mail_hears_of_a_new_referral_at_once() -> None:
    hr = make_user(Role.HR)
    _choose(hr, Category.REFERRALS, Delivery.EMAIL)
    make_referral()
    [mail] = _mails(hr)
    assert "waiting for review" in mail.subject


@pytest.fixture
def club_news() -> Iterator[str]:
    kinds.register("club_test_news", lambda params: f"Club news: {params['what']}")
    yield "club_test_news"
    kinds._KINDS.pop("club_test_news", None)  # noqa: SLF001


def test_a_notice_to_everyone_is_mailed_to_those_who_chose_e_mail(club_news: str) -> None:
    keen, calm, chinese = make_user(), make_user(), make_user(locale="zh_CN")
    for person in (keen, chinese):
        _choose(person, Category.CLUB, Delivery.EMAIL)
    deliver(
        Notice(
            club_news,
            to=select(User.id).where(User.is_active_account.is_(True)),
            params={"what": "a new meetup"},
            link="/club/members",
        )
    )
    db.session.commit()
    mails = _mails()
    assert sorted(mail.user_id for mail in mails) == sorted([keen.id, chinese.id])
    assert {mail.subject for mail in mails} == {"Club news: a new meetup"}
    assert {mail.locale for mail in mails} == {"en", "zh_CN"}
    assert all("http://127.0.0.1:5000/club/members" in mail.text_body for mail in mails)
    assert calm.id not in {mail.user_id for mail in mails}


def test_a_rolled_back_notification_mails_nothing() -> None:
    hr = make_user(Role.HR)
    referrer = make_user()
    referral = make_referral(referrer)
    _choose(referrer, Category.REFERRALS, Delivery.EMAIL)

    def broken(event: events.StageAdvanced) -> None:
        raise RuntimeError("a listener failed")

    events.subscribe(events.StageAdvanced, broken)
    try:
        with pytest.raises(RuntimeError):
            advance(referral, Stage.SCREENING, hr)
    finally:
        events.unsubscribe(events.StageAdvanced, broken)
    db.session.rollback()
    assert _mails() == []


# News for everyone ---------------------------------------------------------------------------


def test_an_announcement_reaches_everyone_by_e_mail_but_who_unsubscribed() -> None:
    hr = make_user(Role.HR)
    everyone = make_user()
    chinese = make_user(locale="zh_CN")
    unsubscribed, off, digest = make_user(), make_user(), make_user()
    _choose(unsubscribed, Category.ANNOUNCEMENTS, Delivery.APP)
    _choose(off, Category.ANNOUNCEMENTS, Delivery.OFF)
    _choose(digest, Category.ANNOUNCEMENTS, Delivery.WEEKLY)
    _choose(everyone, Category.REFERRALS, Delivery.OFF)  # other categories do not matter
    gone = make_user(is_active_account=False)
    post = post_announcement(
        hr, "Spring referral week", "Refer a friend <b>this</b> week.\nPrizes!"
    )
    mails = _mails()
    assert sorted(mail.user_id for mail in mails) == sorted([hr.id, everyone.id, chinese.id])
    assert {mail.kind for mail in mails} == {"announcement"}
    mine = next(mail for mail in mails if mail.user_id == everyone.id)
    assert mine.subject == "Announcement: Spring referral week"
    assert "Refer a friend <b>this</b> week.\nPrizes!" in mine.text_body
    assert "Refer a friend &lt;b&gt;this&lt;/b&gt; week." in (mine.html_body or "")
    assert f"/thanks/#thanks-{post.id}" in mine.text_body
    assert next(m for m in mails if m.user_id == chinese.id).locale == "zh_CN"
    assert gone.id not in {mail.user_id for mail in mails}
    # ... and in the app too, but for who turned it off
    told = set(
        db.session.scalars(select(Notification.user_id).where(Notification.kind == "announcement"))
    )
    assert off.id not in told and {unsubscribed.id, digest.id} <= told


def test_changed_rules_are_mailed_to_everyone_with_what_changed() -> None:
    hr = make_user(Role.HR)
    reader = make_user()
    unsubscribed = make_user()
    _choose(unsubscribed, Category.ANNOUNCEMENTS, Delivery.APP)
    seen: list[events.ProgramRulesChanged] = []
    keep = seen.append  # (one bound method, so that it can be unsubscribed)
    events.subscribe(events.ProgramRulesChanged, keep)
    try:
        save_rules(hr, **rules_input())  # the defaults, written down: nothing changed
        assert seen == [] and _mails() == []
        save_rules(hr, **rules_input(ownership_window_days=90, review_sla_days=5))
    finally:
        events.unsubscribe(events.ProgramRulesChanged, keep)
    [event] = seen
    assert event.changes == (("ownership_window_days", 180, 90), ("review_sla_days", 3, 5))
    mails = _mails()
    assert sorted(mail.user_id for mail in mails) == sorted([hr.id, reader.id])
    mail = next(m for m in mails if m.user_id == reader.id)
    assert mail.kind == "rules_changed"
    assert mail.subject == "The referral program rules changed"
    assert "Ownership window: 180 days → 90 days" in mail.text_body
    assert "Review promise: 3 working days → 5 working days" in mail.text_body
    assert "http://127.0.0.1:5000/program/rules" in mail.text_body
    notes = db.session.scalars(
        select(Notification).where(Notification.kind == "rules_changed")
    ).all()
    assert {note.user_id for note in notes} == {hr.id, reader.id, unsubscribed.id}
    assert "Ownership window: 180 days → 90 days" in kinds.render("rules_changed", notes[0].params)


def test_what_changed_reads_well_for_every_field() -> None:
    from community.mail.notices import change_lines

    lines = change_lines(
        [
            ("all_departments_eligible", True, False),
            ("eligible_department_ids", [], [3]),
            ("bonus_split", {"hired": 30, "probation_passed": 70}, {"offer": 20, "hired": 80}),
            ("stage_points", {"hired": 100, "offer": 50}, {"hired": 120, "offer": 50}),
            ("hard_to_fill_multiplier_percent", 150, 200),
            ("probation_months", 3, 1),
            ("exclude_hr_from_bonus", True, False),
            ("a_field_from_the_future", 1, 2),
        ]
    )
    assert lines == [
        "Who may refer: only the chosen departments",
        "The departments that may refer changed.",
        "Bonus split: Hired 30%, Probation passed 70% → Offer 20%, Hired 80%",
        "Points for Hired: 100 → 120",
        "Hard-to-fill multiplier: ×1.5 → ×2",
        "Probation: 3 months → 1 month",
        "HR staff do not earn referral bonuses: yes → no",
    ]


# Through a real SMTP server ----------------------------------------------------------------


def test_what_arrives_carries_the_one_click_unsubscribe(smtp: SmtpServer) -> None:
    hr = make_user(Role.HR)
    post_announcement(hr, "Hello", "Body")
    assert sending.send_due(db.session.scalar(select(OutboundEmail.created_at))) == 1
    [message] = smtp.messages
    link = str(message["List-Unsubscribe"]).strip()  # (a long header is folded onto a new line)
    assert link.startswith("<http://127.0.0.1:5000/mail/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link[1:-1] in body(message, "plain")
