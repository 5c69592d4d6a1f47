"""The thanks wall's pages: everyone logged in reads it (home block and /thanks/), only HR posts
announcements and hides posts, bad input gets a clear 4xx, and no amount is ever shown."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from community.accounts.models import Role
from community.core.time import utcnow
from community.extensions import db
from community.notifications.models import Notification
from community.thanks import services
from community.thanks.models import ThanksPost
from tests.factories import make_user
from tests.thanks.factories import paid_payout


@pytest.fixture
def employee():
    return make_user(name="Evan Employee")


def posts() -> list[ThanksPost]:
    db.session.expire_all()
    return list(db.session.scalars(select(ThanksPost).order_by(ThanksPost.id)))


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/thanks/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = client.post("/thanks/announcements", data={"title": "t", "body": "b"})
    assert response.status_code in (302, 401, 403)
    assert posts() == []


def test_everyone_reads_the_wall_and_home_block_without_amounts(client, auth, hr, employee):
    referrer = make_user(name="Zhang San")
    paid_payout(hr, referrer, title="Backend Engineer")
    for who in (employee, hr, referrer):
        auth.login(who)
        for path in ("/", "/thanks/"):
            page = client.get(path)
            assert page.status_code == 200
            assert "Thank you, Zhang San, for referring our new Backend Engineer" in page.text
            assert "3,000" not in page.text and "10,000" not in page.text
        auth.logout()


def test_the_wall_in_chinese(client, auth, hr):
    reader = make_user(locale="zh_CN")
    paid_payout(hr, make_user(name="张三"), title="后端工程师")
    auth.login(reader)
    page = client.get("/thanks/")
    assert "谢谢 张三 推荐了 后端工程师 的同事 — 入职奖金已发放。" in page.text
    assert "感谢墙" in page.text
    assert "谢谢 张三" in client.get("/").text


def test_home_shows_the_five_newest_and_a_link_to_all(client, auth, employee):
    people = [make_user(name=f"Person {i}") for i in range(7)]
    for i, person in enumerate(people):
        services.thank_gold_tier(person, "gold", utcnow() - timedelta(days=10 - i))
    db.session.commit()
    auth.login(employee)
    home = client.get("/").text
    assert home.count('data-testid="thanks-post"') == 5
    assert "Person 6 became a Gold referrer" in home and "Person 1 became" not in home
    assert 'href="/thanks/"' in home


def test_empty_wall_says_so(client, auth, employee):
    auth.login(employee)
    assert 'data-testid="thanks-empty"' in client.get("/thanks/").text
    assert 'data-testid="thanks-empty"' in client.get("/").text


def test_load_more_returns_only_the_next_posts(client, auth, employee):
    for i in range(12):
        services.thank_gold_tier(make_user(name=f"P{i:02d}"), "gold", utcnow() - timedelta(hours=i))
    db.session.commit()
    auth.login(employee)
    first = client.get("/thanks/").text
    assert first.count('data-testid="thanks-post"') == 10
    assert 'data-testid="load-more"' in first and "page=2" in first
    more = client.get("/thanks/?page=2", headers={"HX-Request": "true"})
    assert more.status_code == 200 and "<html" not in more.text
    assert more.text.count('data-testid="thanks-post"') == 2
    assert "P10 became" in more.text and 'data-testid="load-more"' not in more.text
    plain = client.get("/thanks/?page=2").text  # without JavaScript: a full page of older posts
    assert "<html" in plain and plain.count('data-testid="thanks-post"') == 2


def test_only_hr_sees_the_announcement_form_and_hide_buttons(client, auth, hr, employee):
    services.thank_gold_tier(make_user(), "gold", utcnow())
    db.session.commit()
    auth.login(employee)
    page = client.get("/thanks/").text
    assert 'data-testid="announce-form"' not in page and 'data-testid="hide-form"' not in page
    auth.logout()
    auth.login(hr)
    page = client.get("/thanks/").text
    assert 'data-testid="announce-form"' in page and 'data-testid="hide-form"' in page


def test_hr_announces_and_everyone_is_notified(client, auth, hr, employee):
    gone = make_user(is_active_account=False)
    auth.login(hr)
    response = client.post(
        "/thanks/announcements",
        data={"title": "Hard-to-fill: SRE", "body": "We need an SRE.\nDouble bonus <b>now</b>!"},
    )
    assert response.status_code == 302
    [post] = posts()
    assert post.body == "We need an SRE.\nDouble bonus <b>now</b>!"
    notified = {
        n.user_id
        for n in db.session.scalars(select(Notification).where(Notification.kind == "announcement"))
    }
    assert notified == {hr.id, employee.id} and gone.id not in notified
    auth.logout()
    auth.login(employee)
    page = client.get("/thanks/").text
    assert "Hard-to-fill: SRE" in page
    assert "Double bonus &lt;b&gt;now&lt;/b&gt;!" in page and "<b>now</b>" not in page
    assert "text-pre-line" in page
    bell = client.get("/notifications/").text
    assert "HR posted an announcement on the thanks wall: Hard-to-fill: SRE" in bell


def test_announcing_with_htmx_answers_the_board_and_a_toast(client, auth, hr):
    auth.login(hr)
    response = client.post(
        "/thanks/announcements",
        data={"title": "News", "body": "Body"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="thanks-board"' in response.text
    assert "News" in response.text and "toast" in response.headers["HX-Trigger"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "body": "Body"}, "Please give the announcement a title."),
        ({"title": "Title", "body": "  "}, "Please write the announcement."),
        ({"title": "x" * 121, "body": "Body"}, "The title can have at most 120 characters."),
        ({"title": "T", "body": "y" * 2001}, "The announcement can have at most 2000 characters."),
        ({}, "Please give the announcement a title."),
    ],
)
def test_a_bad_announcement_gets_a_clear_422(client, auth, hr, data, message):
    auth.login(hr)
    for headers in ({}, {"HX-Request": "true"}):
        response = client.post("/thanks/announcements", data=data, headers=headers)
        assert response.status_code == 422
        assert message in response.text
    assert posts() == []


def test_a_bad_announcement_in_chinese(client, auth):
    hr = make_user(role=Role.HR, locale="zh_CN")
    auth.login(hr)
    response = client.post("/thanks/announcements", data={"title": "", "body": "内容"})
    assert response.status_code == 422 and "请填写公告标题。" in response.text


def test_announcing_needs_csrf(client, auth, hr):
    auth.login(hr)
    response = client.post("/thanks/announcements", data={"title": "T", "body": "B"}, csrf=False)
    assert response.status_code == 400
    assert posts() == []


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER])
def test_only_hr_announces_or_hides(client, auth, role):
    post = services.thank_gold_tier(make_user(), "gold", utcnow())
    db.session.commit()
    auth.login(make_user(role=role))
    assert client.post("/thanks/announcements", data={"title": "T", "body": "B"}).status_code == 403
    assert client.post(f"/thanks/{post.id}/hide", data={"reason": "r"}).status_code == 403
    assert [p.hidden_at for p in posts()] == [None]


def test_hr_hides_a_post(client, auth, hr, employee):
    post = services.thank_gold_tier(make_user(name="Hide Me"), "gold", utcnow())
    db.session.commit()
    auth.login(hr)
    response = client.post(
        f"/thanks/{post.id}/hide", data={"reason": "Asked"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and response.text == ""
    assert posts()[0].hidden_reason == "Asked"
    again = client.post(
        f"/thanks/{post.id}/hide", data={"reason": "Asked"}, headers={"HX-Request": "true"}
    )
    assert again.status_code == 409
    auth.logout()
    auth.login(employee)
    assert "Hide Me" not in client.get("/thanks/").text
    assert "Hide Me" not in client.get("/").text


def test_hiding_without_a_reason_is_a_clear_422(client, auth, hr):
    post = services.thank_gold_tier(make_user(), "gold", utcnow())
    db.session.commit()
    auth.login(hr)
    htmx = client.post(
        f"/thanks/{post.id}/hide", data={"reason": ""}, headers={"HX-Request": "true"}
    )
    assert htmx.status_code == 422
    assert "Please give a reason for hiding this post." in htmx.text
    plain = client.post(f"/thanks/{post.id}/hide", data={"reason": " "})
    assert plain.status_code == 422
    assert "Please give a reason for hiding this post." in plain.text
    assert posts()[0].hidden_at is None


def test_hiding_a_missing_post_is_404(client, auth, hr):
    auth.login(hr)
    assert client.post("/thanks/987654/hide", data={"reason": "r"}).status_code == 404
