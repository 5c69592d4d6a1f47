"""In-app notifications: what one event causes is one notification with its lines; HR's words
for the referrer show inline (never the internal note); rendered in the reader's language when
shown; paged; read one by one or all at once, only one's own."""

from __future__ import annotations

import re

from flask_babel import force_locale
from sqlalchemy import func, select

from community.accounts.models import Role
from community.badges import services as badge_services
from community.core.time import to_local, utcnow
from community.extensions import db
from community.notifications.models import Notification
from community.notifications.queries import message_for, shown
from community.notifications.services import notify
from community.payouts import services as payout_services
from community.payouts.models import Payout
from community.points.models import PointEntry
from community.points.services import adjust_points
from community.referrals import services
from community.referrals.models import Stage
from tests.factories import make_job, make_user
from tests.pipeline import walk
from tests.referrals.factories import make_referral


def inbox(user_id: int) -> list[Notification]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(Notification.id.desc())
        )
    )


def points_of(user_id: int) -> int:
    return int(
        db.session.scalar(select(func.sum(PointEntry.amount)).where(PointEntry.user_id == user_id))
        or 0
    )


def hired(hr, **move):
    """A referral walked to an offer, then hired with `move`'s feedback / note; returns it with
    the referrer's notifications and points from before the hire."""
    referral = walk(
        make_referral(
            job=make_job(title="Backend Engineer", bonus_minor=1000000), candidate_name="Ann Li"
        ),
        hr,
        Stage.INTERVIEWING,
        Stage.OFFER,
    )
    before, points = len(inbox(referral.referrer_id)), points_of(referral.referrer_id)
    move.setdefault("start_date", to_local(utcnow()).date())  # a hire needs its first day
    services.advance_stage(referral, Stage.HIRED, hr, expected_from=Stage.OFFER, **move)
    return referral, before, points


def test_a_hire_is_one_notification_with_points_badge_and_bonus_lines():
    hr = make_user(role=Role.HR)
    referral, before, points = hired(hr)
    notes = inbox(referral.referrer_id)
    assert len(notes) == before + 1  # one, where there used to be about seven
    earned = points_of(referral.referrer_id) - points
    with force_locale("en"):
        view = shown(notes[0])
    assert view.text == "Your referral of Ann Li for Backend Engineer moved to Hired."
    lines = [line.text for line in view.lines]
    assert f"+{earned} points" in lines  # the stage's points and the badge's, as one figure
    assert "New badge: First hire" in lines
    assert "Bonus of CN¥3,000.00 for reaching Hired; HR approves it next." in lines
    assert lines[0] == f"+{earned} points"  # in the order they happened
    # Kept structured, rendered when read: the same row reads in Chinese for a Chinese reader.
    assert {d["kind"] for d in notes[0].details} >= {"points_earned", "badge_earned"}
    with force_locale("zh_CN"):
        chinese = [line.text for line in shown(notes[0]).lines]
    assert any(text.startswith("新徽章") for text in chinese)
    assert f"+{earned} 积分" in chinese


def test_the_notification_page_shows_the_lines(client, auth):
    hr = make_user(role=Role.HR)
    referral, before, _ = hired(hr)
    auth.login(referral.referrer)
    page = client.get("/notifications/").text
    newest = page.split('data-testid="notification-unread"')[1]  # the first item, to the next
    assert "moved to Hired" in newest
    assert "New badge: First hire" in newest and "Bonus of CN¥3,000.00" in newest
    assert newest.count('data-testid="notification-line"') >= 3
    assert page.count('data-testid="notification-unread"') == before + 1


def test_an_unrelated_second_event_makes_a_second_notification():
    hr = make_user(role=Role.HR)
    referral, before, _ = hired(hr)
    payout = db.session.scalars(select(Payout).where(Payout.referral_id == referral.id)).one()
    payout_services.approve_payout(payout, hr)
    notes = inbox(referral.referrer_id)
    assert len(notes) == before + 2
    assert notes[0].kind == "payout_approved" and not notes[0].details
    assert "HR approved your bonus of CN¥3,000.00" in message_for(notes[0])


def test_hr_feedback_shows_inline_and_the_internal_note_never(client, auth):
    hr = make_user(role=Role.HR)
    referral, _, _ = hired(
        hr,
        feedback="Great interviews: tell Ann the team loved her system design.",
        internal_note="Salary above band; approved by the VP.",
    )
    note = inbox(referral.referrer_id)[0]
    assert "Salary above band" not in str(note.params) + str(note.details)
    auth.login(referral.referrer)
    page = client.get("/notifications/").text
    assert "Feedback from HR" in page
    assert "Great interviews: tell Ann the team loved her system design." in page
    assert "Salary above band" not in page
    assert "HR left feedback for you" not in page  # the feedback itself is there


def test_a_rejection_reason_shows_inline(client, auth):
    hr = make_user(role=Role.HR)
    referral = make_referral(candidate_name="Bo Chen")
    services.advance_stage(referral, Stage.REJECTED, hr, reason="The role was filled internally.")
    auth.login(referral.referrer)
    page = client.get("/notifications/").text
    assert "moved to Not moving forward" in page
    assert "Reason" in page and "The role was filled internally." in page


def test_a_reason_chosen_from_the_list_shows_in_its_kind_words(client, auth):
    hr = make_user(role=Role.HR)
    referral = make_referral(candidate_name="Bo Chen")
    services.advance_stage(referral, Stage.REJECTED, hr, reason_code="closer_fit")
    auth.login(referral.referrer)
    page = client.get("/notifications/").text
    assert "Another candidate was a slightly closer fit for this opening." in page
    assert "In HR&#39;s words" not in page and "In HR's words" not in page

    second = make_referral(referrer=referral.referrer, candidate_name="Cy Lin")
    services.advance_stage(second, Stage.REJECTED, hr, reason_code="salary", reason="Asked 40k.")
    page = client.get("/notifications/").text
    assert "meet the candidate&#39;s salary expectations" in page
    assert "Asked 40k." in page


def test_feedback_is_escaped(client, auth):
    hr = make_user(role=Role.HR)
    referral = make_referral()
    services.advance_stage(referral, Stage.SCREENING, hr, feedback="<script>alert(1)</script>")
    auth.login(referral.referrer)
    page = client.get("/notifications/").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


def test_notifications_written_before_grouping_still_read(client, auth):
    """Rows from before: no details (None), a feedback flag but not its text."""
    me = make_user()
    old = notify(
        me.id,
        "referral_stage",
        {"candidate": "A", "job": "B", "stage": "offer", "has_feedback": True},
    )
    db.session.flush()
    old.details = None
    db.session.commit()
    auth.login(me)
    page = client.get("/notifications/")
    assert page.status_code == 200
    assert "Your referral of A for B moved to Offer. HR left feedback for you." in page.text
    assert shown(old).lines == []


def test_a_stage_change_notifies_the_referrer_and_the_nav_shows_the_count(client, auth):
    hr = make_user(role=Role.HR)
    referral = make_referral(candidate_name="Chen Jing")
    auth.login(referral.referrer)
    page = client.get("/referrals/mine")
    assert 'data-testid="unread-count">1<' in page.text  # the "First referral" badge

    services.advance_stage(referral, Stage.SCREENING, hr, feedback="Looks promising")
    services.advance_stage(referral, Stage.INTERVIEWING, hr)
    page = client.get("/referrals/mine")
    assert 'data-testid="unread-count">3<' in page.text  # + two moves ("First interview" in one)

    listing = client.get("/notifications/")
    assert listing.status_code == 200
    assert "Your referral of Chen Jing" in listing.text
    assert "moved to Interviewing" in listing.text
    assert "Looks promising" in listing.text
    assert "New badge: First interview" in listing.text
    assert listing.text.count('data-testid="notification-unread"') == 3


def test_points_alone_make_no_notification():
    """An HR adjustment is not announced (nor was it before): "+N points" is only ever a line."""
    hr, employee = make_user(role=Role.HR), make_user()
    adjust_points(hr, employee, 40, "Ran the referral workshop")
    assert inbox(employee.id) == []


def test_a_badge_granted_by_hand_leads_its_own_notification_with_its_points():
    hr, employee = make_user(role=Role.HR), make_user()
    badge_services.grant_badge(hr, employee, "honest_matchmaker", "Every referral fit")
    [note] = inbox(employee.id)
    assert message_for(note) == "HR granted you the badge Honest matchmaker."
    lines = [line.text for line in shown(note).lines]
    assert all(re.fullmatch(r"\+\d+ points?", text) for text in lines)


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


# Pages ----------------------------------------------------------------------------------------


def test_the_inbox_is_paged(client, auth):
    me = make_user()
    for n in range(25):
        notify(me.id, "referral_left", {"candidate": f"Person {n:02d}", "job": "B"})
    db.session.commit()
    auth.login(me)
    first = client.get("/notifications/").text
    assert first.count('data-testid="notification-unread"') == 20
    assert "Person 24" in first and "Person 04" not in first
    assert 'href="/notifications/?page=2"' in first
    second = client.get("/notifications/?page=2").text
    assert second.count('data-testid="notification-unread"') == 5 and "Person 00" in second
    fragment = client.get("/notifications/?page=2", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and 'id="notifications-board"' in fragment.text
    assert fragment.text.count('data-testid="notification-unread"') == 5
    past = client.get("/notifications/?page=9")
    assert past.status_code == 200 and 'data-testid="notifications-empty"' in past.text
    for bad in ("abc", "0", "-1", "99999999999999999999"):
        page = client.get(f"/notifications/?page={bad}")
        assert page.status_code == 200 and "Person 24" in page.text


def test_mark_one_read_only_your_own(client, auth):
    me, other = make_user(), make_user()
    mine = notify(me.id, "referral_left", {"candidate": "A", "job": "B"}, "/referrals/1")
    theirs = notify(other.id, "referral_left", {"candidate": "C", "job": "D"})
    db.session.commit()
    auth.login(me)
    assert client.post(f"/notifications/{theirs.id}/read").status_code == 404
    htmx = client.post(f"/notifications/{theirs.id}/read", headers={"HX-Request": "true"})
    assert htmx.status_code == 404
    db.session.refresh(theirs)
    assert theirs.read_at is None
    response = client.post(f"/notifications/{mine.id}/read", data={"open": "1"})
    assert response.status_code == 302 and response.headers["Location"] == "/referrals/1"
    db.session.refresh(mine)
    assert mine.read_at is not None
    # Someone else's notifications never show in my list.
    assert "C, whom you referred" not in client.get("/notifications/").text


def test_mark_one_read_without_javascript_returns_to_the_page(client, auth):
    me = make_user()
    note = notify(me.id, "referral_left", {"candidate": "A", "job": "B"})
    db.session.commit()
    auth.login(me)
    response = client.post(f"/notifications/{note.id}/read?page=2")
    assert response.status_code == 302 and response.headers["Location"] == "/notifications/?page=2"
    assert 'data-testid="unread-count"' not in client.get("/notifications/").text


def test_mark_read_with_htmx_returns_the_item_and_the_bell(client, auth):
    me = make_user()
    note = notify(me.id, "referral_left", {"candidate": "A", "job": "B"})
    notify(me.id, "referral_left", {"candidate": "C", "job": "D"})
    db.session.commit()
    auth.login(me)
    response = client.post(f"/notifications/{note.id}/read", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<li class="list-group-item')
    assert 'data-testid="notification"' in response.text
    # The navigation bar's count follows, out of band: 2 → 1.
    assert 'id="nav-bell"' in response.text and 'hx-swap-oob="true"' in response.text
    assert 'data-testid="unread-count">1<' in response.text
    again = client.post(f"/notifications/{note.id}/read", headers={"HX-Request": "true"})
    assert again.status_code == 200 and 'data-testid="unread-count">1<' in again.text


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
    assert 'data-testid="notification-unread"' not in page.text
    db.session.refresh(theirs)
    assert theirs.read_at is None


def test_mark_all_read_with_htmx_answers_the_list_and_the_bell(client, auth):
    me, other = make_user(), make_user()
    for _ in range(2):
        notify(me.id, "referral_left", {"candidate": "A", "job": "B"})
    theirs = notify(other.id, "referral_left", {"candidate": "C", "job": "D"})
    db.session.commit()
    auth.login(me)
    response = client.post("/notifications/read-all", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in response.text
    assert 'id="notifications-board"' in response.text
    assert 'data-testid="notification-unread"' not in response.text
    assert response.text.count('data-testid="notification"') == 2
    assert 'id="nav-bell"' in response.text and 'data-testid="unread-count"' not in response.text
    assert "All notifications marked as read." in response.headers["HX-Trigger"]
    again = client.post("/notifications/read-all", headers={"HX-Request": "true"})
    assert "No unread notifications." in again.headers["HX-Trigger"]
    db.session.refresh(theirs)
    assert theirs.read_at is None


def test_another_user_cannot_mark_mine(client, auth):
    me, other = make_user(), make_user()
    mine = notify(me.id, "referral_left", {"candidate": "A", "job": "B"})
    db.session.commit()
    auth.login(other)
    assert client.post(f"/notifications/{mine.id}/read").status_code == 404
    assert client.post("/notifications/read-all").status_code == 302  # theirs only: none
    db.session.refresh(mine)
    assert mine.read_at is None


def test_notification_posts_need_a_csrf_token(client, auth):
    me = make_user()
    note = notify(me.id, "referral_left", {"candidate": "A", "job": "B"})
    db.session.commit()
    auth.login(me)
    assert client.post(f"/notifications/{note.id}/read", csrf=False).status_code == 400
    assert client.post("/notifications/read-all", csrf=False).status_code == 400


def test_anonymous_is_sent_to_login(client):
    assert client.get("/notifications/").status_code == 302
    assert client.post("/notifications/read-all").status_code in (302, 401)
