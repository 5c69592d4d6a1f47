"""In-app notifications: created with the event, shown in the reader's language, own only."""

from __future__ import annotations

from sqlalchemy import select

from community.accounts.models import Role
from community.extensions import db
from community.notifications.models import Notification
from community.notifications.queries import message_for
from community.notifications.services import notify
from community.referrals import services
from community.referrals.models import Stage
from tests.factories import make_user
from tests.referrals.factories import make_referral


def test_a_stage_change_notifies_the_referrer_and_the_nav_shows_the_count(client, auth):
    hr = make_user(role=Role.HR)
    referral = make_referral(candidate_name="Chen Jing")
    auth.login(referral.referrer)
    page = client.get("/referrals/mine")
    assert 'data-testid="unread-count">1<' in page.text  # the "First referral" badge

    services.advance_stage(referral, Stage.SCREENING, hr, feedback="Looks promising")
    services.advance_stage(referral, Stage.INTERVIEWING, hr)
    page = client.get("/referrals/mine")
    assert 'data-testid="unread-count">4<' in page.text  # + two moves and "First interview"

    listing = client.get("/notifications/")
    assert listing.status_code == 200
    assert "Your referral of Chen Jing" in listing.text
    assert "moved to Interviewing" in listing.text
    assert "HR left feedback for you" in listing.text
    assert "You earned the badge First interview." in listing.text
    assert listing.text.count('data-testid="notification-unread"') == 4


def test_hr_hears_about_new_referrals():
    hr = make_user(role=Role.HR)
    make_referral(referrer=make_user(name="Lin Tao"), candidate_name="Sun Li")
    note = db.session.scalars(select(Notification).where(Notification.user_id == hr.id)).one()
    assert message_for(note).startswith("Lin Tao referred Sun Li for")


def test_the_text_is_rendered_in_the_readers_language_at_display_time(app):
    user = make_user()
    note = notify(
        user.id,
        "referral_stage",
        {"candidate": "A", "job": "B", "stage": "offer"},
        "/x",
    )
    db.session.commit()
    assert message_for(note) == "Your referral of A for B moved to Offer."
    assert note.params == {"candidate": "A", "job": "B", "stage": "offer"}  # no text stored


def test_mark_one_read_only_your_own(client, auth):
    me, other = make_user(), make_user()
    mine = notify(me.id, "referral_left", {"candidate": "A", "job": "B"}, "/referrals/1")
    theirs = notify(other.id, "referral_left", {"candidate": "C", "job": "D"})
    db.session.commit()
    auth.login(me)
    assert client.post(f"/notifications/{theirs.id}/read").status_code == 404
    db.session.refresh(theirs)
    assert theirs.read_at is None
    response = client.post(f"/notifications/{mine.id}/read", data={"open": "1"})
    assert response.status_code == 302 and response.headers["Location"] == "/referrals/1"
    db.session.refresh(mine)
    assert mine.read_at is not None
    # Someone else's notifications never show in my list.
    assert "C, whom you referred" not in client.get("/notifications/").text


def test_mark_read_with_htmx_returns_the_item(client, auth):
    me = make_user()
    note = notify(me.id, "referral_left", {"candidate": "A", "job": "B"})
    db.session.commit()
    auth.login(me)
    response = client.post(f"/notifications/{note.id}/read", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<li class="list-group-item')
    assert 'data-testid="notification"' in response.text


def test_mark_all_read_touches_only_mine(client, auth):
    me, other = make_user(), make_user()
    for _ in range(3):
        notify(me.id, "referral_left", {"candidate": "A", "job": "B"})
    theirs = notify(other.id, "referral_left", {"candidate": "C", "job": "D"})
    db.session.commit()
    auth.login(me)
    response = client.post("/notifications/read-all")
    assert response.status_code == 302
    page = client.get("/notifications/")
    assert 'data-testid="unread-count"' not in page.text
    db.session.refresh(theirs)
    assert theirs.read_at is None


def test_notification_posts_need_a_csrf_token(client, auth):
    me = make_user()
    note = notify(me.id, "referral_left", {"candidate": "A", "job": "B"})
    db.session.commit()
    auth.login(me)
    assert client.post(f"/notifications/{note.id}/read", csrf=False).status_code == 400
    assert client.post("/notifications/read-all", csrf=False).status_code == 400


def test_anonymous_is_sent_to_login(client):
    assert client.get("/notifications/").status_code == 302
