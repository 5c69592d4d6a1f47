"""The one-click unsubscribe every e-mail to a person carries: the footer link opens a page
(no sign-in) whose one button stops that kind of e-mail and offers to undo it — opening the link
alone changes nothing, since mail scanners open every link; the mail client's one-click POST
needs no session; forged, broken and expired links are refused with a clear message."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from flask_babel import force_locale
from itsdangerous import URLSafeTimedSerializer

from community.accounts.models import User
from community.core.time import utcnow
from community.extensions import db
from community.mail import outbox, unsubscribe
from community.notifications.categories import Category, Delivery
from community.notifications.preferences import choices_for
from community.notifications.services import set_delivery
from tests.factories import make_user


def _choose(user: User, **chosen: str) -> None:
    for category, delivery in chosen.items():
        set_delivery(user.id, Category(category), Delivery(delivery))
    db.session.commit()


def _link(user: User, kind: str = "referrals") -> str:
    """The unsubscribe path of a mail of `kind` queued for `user`, as its footer carries it."""
    mail = outbox.queue(user.email, "Hello", "Text", "<p>HTML</p>", kind=kind, user_id=user.id)
    db.session.commit()
    found = re.search(r"http://127\.0\.0\.1:5000(/mail/unsubscribe/\S+)", mail.text_body)
    assert found is not None
    return found.group(1)


def test_opening_the_link_only_asks_so_a_mail_scanner_unsubscribes_nobody(client) -> None:
    person = make_user()
    _choose(person, referrals="email")
    path = _link(person)
    page = client.get(path)
    assert page.status_code == 200
    assert "Stop getting e-mails about “Referral progress”?" in page.text
    assert f'<form method="post" action="{path}"' in page.text
    assert choices_for(person.id)[Category.REFERRALS] == Delivery.EMAIL


def test_the_footer_link_stops_that_kind_of_mail_without_signing_in(client) -> None:
    person = make_user()
    _choose(person, referrals="email", rewards="email")
    page = client.post(_link(person))
    assert page.status_code == 200
    assert "You will no longer get e-mails about “Referral progress”." in page.text
    assert "Your choice was: E-mail now." in page.text
    assert choices_for(person.id)[Category.REFERRALS] == Delivery.APP  # still in the app
    assert choices_for(person.id)[Category.REWARDS] == Delivery.EMAIL  # only that kind
    again = client.get(_link(person))
    assert "You already get no e-mails about “Referral progress”." in again.text
    assert "confirm-unsubscribe" not in again.text


def test_the_page_offers_to_undo_it(client) -> None:
    person = make_user()
    _choose(person, referrals="email")
    path = _link(person)
    page = client.post(path)
    assert f'<form method="post" action="{path}/undo"' in page.text
    assert 'name="referrals" value="email"' in page.text
    undone = client.post(f"{path}/undo", data={"referrals": "email"})
    assert undone.status_code == 200
    assert "You will get e-mails about “Referral progress” again" in undone.text
    assert choices_for(person.id)[Category.REFERRALS] == Delivery.EMAIL


def test_the_mail_clients_one_click_post_needs_no_session_and_no_csrf_token(client) -> None:
    person = make_user()  # announcements come by e-mail by default
    path = _link(person, "announcement")
    response = client.post(path, data={"List-Unsubscribe": "One-Click"}, csrf=False)
    assert response.status_code == 200
    assert choices_for(person.id)[Category.ANNOUNCEMENTS] == Delivery.APP


def test_a_digests_link_stops_that_digest_for_every_category_in_it(client) -> None:
    person = make_user()
    _choose(person, referrals="daily", club="daily", badges="weekly")
    path = _link(person, "digest_daily")
    assert "the daily digest" in client.get(path).text
    assert choices_for(person.id)[Category.REFERRALS] == Delivery.DAILY
    client.post(path)
    chosen = choices_for(person.id)
    assert (chosen[Category.REFERRALS], chosen[Category.CLUB]) == (Delivery.APP, Delivery.APP)
    assert chosen[Category.BADGES] == Delivery.WEEKLY
    client.post(f"{path}/undo", data={"referrals": "daily", "club": "daily"})
    assert choices_for(person.id)[Category.CLUB] == Delivery.DAILY


@pytest.mark.parametrize(
    "restored",
    [
        {"rewards": "email"},  # another category than the link's
        {"referrals": "off"},  # not an e-mail choice
        {"referrals": "loud"},
        {"nonsense": "email"},
        {},
    ],
)
def test_an_undo_out_of_the_links_scope_writes_nothing(client, restored: dict[str, str]) -> None:
    person = make_user()
    _choose(person, referrals="email")
    path = _link(person)
    client.post(path)
    before = choices_for(person.id)
    response = client.post(f"{path}/undo", data=restored)
    assert response.status_code == 422
    assert "cannot be undone from this link" in response.text
    assert choices_for(person.id) == before


def test_the_undo_keeps_its_csrf_token(client) -> None:
    person = make_user()
    path = _link(person)
    assert client.post(f"{path}/undo", data={"referrals": "email"}, csrf=False).status_code == 400


def test_a_forged_or_broken_link_is_refused_and_changes_nothing(app, client) -> None:
    person = make_user()
    _choose(person, referrals="email")
    real = _link(person).rsplit("/", 1)[1]
    forged = URLSafeTimedSerializer("not-our-secret", salt=unsubscribe.SALT).dumps(
        [person.id, "referrals"]
    )
    other_scope = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=unsubscribe.SALT).dumps(
        [person.id, "everything"]
    )
    for token in (forged, real[:-3] + "abc", "not-a-token", other_scope):
        response = client.get(f"/mail/unsubscribe/{token}")
        assert response.status_code == 400
        assert "This unsubscribe link is not valid." in response.text
        assert client.post(f"/mail/unsubscribe/{token}", csrf=False).status_code == 400
    assert choices_for(person.id)[Category.REFERRALS] == Delivery.EMAIL


def test_an_expired_link_says_so(app, client) -> None:
    person = make_user()
    _choose(person, referrals="email")
    path = _link(person)
    days = app.config["MAIL_UNSUBSCRIBE_DAYS"]
    with time_machine.travel(utcnow() + timedelta(days=days, hours=1), tick=False):
        response = client.get(path)
    assert response.status_code == 410
    assert "This unsubscribe link is too old." in response.text
    assert choices_for(person.id)[Category.REFERRALS] == Delivery.EMAIL


def test_the_link_of_someone_who_left_does_nothing(client) -> None:
    person = make_user()
    path = _link(person)
    person.is_active_account = False
    db.session.commit()
    assert client.get(path).status_code == 400


def test_the_page_speaks_the_language_of_the_person_whose_mail_it_was(client) -> None:
    person = make_user(locale="zh_CN")
    _choose(person, referrals="email")
    page = client.get(_link(person), headers={"Accept-Language": "en"})
    assert '<html lang="zh-CN">' in page.text


def test_a_mail_of_a_kind_nobody_registered_cannot_go_to_a_person() -> None:
    person = make_user()
    with pytest.raises(ValueError, match="register_kind"):
        outbox.queue(person.email, "Hi", "Text", kind="surprise", user_id=person.id)
    outbox.register_kind("surprise", Category.CLUB)
    try:
        mail = outbox.queue(person.email, "Hi", "Text", kind="surprise", user_id=person.id)
        assert "List-Unsubscribe" in mail.headers
    finally:
        unsubscribe.KIND_SCOPES.pop("surprise", None)
    assert outbox.queue("candidate@example.org", "Hi", "Text", kind="surprise").headers == {}


def test_each_person_gets_their_own_link_in_a_footer_written_once(app, monkeypatch) -> None:
    ann, bob, wei = make_user(), make_user(), make_user(locale="zh_CN")
    rendered: list[str] = []
    original = outbox.render_template

    def counting(name: str, **context: object) -> str:
        rendered.append(name)
        return original(name, **context)

    monkeypatch.setattr(outbox, "render_template", counting)
    mails = [
        outbox.queue(
            person.email, "News", "Text", "<p>x</p>", kind="announcement", user_id=person.id
        )
        for person in (ann, bob)
    ]
    with force_locale("zh_CN"):
        chinese = outbox.queue(wei.email, "消息", "正文", kind="announcement", user_id=wei.id)
    links = [mail.headers["List-Unsubscribe"][1:-1] for mail in (*mails, chinese)]
    assert len(set(links)) == 3  # each person's own
    for mail, link in zip((*mails, chinese), links, strict=True):
        assert link in mail.text_body
        assert "__unsubscribe_link__" not in mail.text_body + (mail.html_body or "")
    assert links[0] in (mails[0].html_body or "") and links[1] not in (mails[0].html_body or "")
    assert rendered.count("mail/_unsubscribe.txt") == 2  # once for English, once for Chinese
