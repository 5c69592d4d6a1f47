"""The challenge-winner badge: a prize that gives it grants it once per challenge won (worth no
points of its own), never by HR's hand; a person who won several challenges sees it once, with
how many times."""

from __future__ import annotations

from flask_babel import force_locale
from sqlalchemy import func, select

from community import events
from community.accounts.models import User
from community.badges import queries, registry
from community.badges.forms import badge_choices
from community.badges.models import UserBadge
from community.extensions import db
from community.points.models import PointEntry
from tests.challenges.events import prize
from tests.factories import make_user


def award(event: events.ChallengePrizeAwarded) -> None:
    """Publish as the challenge room does: inside its transaction, then commit."""
    events.publish(event)
    db.session.commit()
    db.session.expire_all()


def wins_of(user: User) -> list[UserBadge]:
    return list(
        db.session.scalars(
            select(UserBadge)
            .where(UserBadge.user_id == user.id, UserBadge.badge_key == registry.CHALLENGE_WINNER)
            .order_by(UserBadge.id)
        )
    )


def test_a_prize_that_gives_the_badge_grants_it_once_per_challenge() -> None:
    winner = make_user()
    event = prize(winner.id, badge=True, challenge_id=31)
    award(event)
    award(event)  # published again
    award(prize(winner.id, badge=True, challenge_id=31, prize_id=6))  # a second prize of it
    (win,) = wins_of(winner)
    assert win.tier == "challenge:31" == registry.challenge_tier(31)
    assert win.earned_at == event.at
    # The badge is worth nothing itself: the prize's points are the challenge's to write.
    assert db.session.scalar(select(func.count()).where(PointEntry.user_id == winner.id)) == 0


def test_a_prize_without_the_badge_grants_none() -> None:
    winner = make_user()
    award(prize(winner.id, badge=False))
    assert wins_of(winner) == []


def test_each_challenge_won_is_an_award_of_its_own() -> None:
    winner = make_user()
    for challenge_id in (1, 2, 3):
        award(prize(winner.id, badge=True, challenge_id=challenge_id))
    assert [win.tier for win in wins_of(winner)] == ["challenge:1", "challenge:2", "challenge:3"]
    (listed,) = queries.badges_of(winner)  # listed once, as the newest, with the count
    assert (listed.tier, listed.times) == ("challenge:3", 3)
    assert len(queries.badges_of(winner, folded=False)) == 3


def test_the_badge_reads_in_both_languages(app) -> None:
    badge = registry.get(registry.CHALLENGE_WINNER)
    with app.test_request_context(), force_locale("en"):
        assert badge.label("challenge:9") == "Challenge winner"
    with app.test_request_context(), force_locale("zh_CN"):
        assert badge.label("challenge:9") == "挑战赛获胜者"


def test_profile_and_gallery_show_it_once_with_the_count(client, auth) -> None:
    winner = make_user(name="Wen Winner")
    for challenge_id in (1, 2):
        award(prize(winner.id, badge=True, challenge_id=challenge_id))
    auth.login(winner)
    profile = client.get(f"/people/{winner.id}/profile").text
    assert profile.count('data-badge="challenge_winner:challenge:') == 1
    assert 'data-testid="badge-times">×2<' in profile
    assert "Earned 2 times" in profile  # the count's tooltip
    gallery = client.get("/badges/").text
    card = gallery[gallery.index('data-badge="challenge_winner"') :]
    assert "Earned 2 times, last on" in card[: card.index("</div>")]
    home = client.get("/").text
    assert home.count('data-badge="challenge_winner:') == 1


def test_one_win_shows_no_count(client, auth) -> None:
    winner = make_user()
    award(prize(winner.id, badge=True))
    auth.login(winner)
    profile = client.get(f"/people/{winner.id}/profile").text
    assert 'data-badge="challenge_winner:challenge:77"' in profile
    assert 'data-testid="badge-times"' not in profile


def test_hr_cannot_grant_it_by_hand(client, auth, hr) -> None:
    assert all(not value.startswith(registry.CHALLENGE_WINNER) for value, _ in badge_choices())
    person = make_user()
    auth.login(hr)
    response = client.post(
        f"/people/{person.id}/badges", data={"badge": "challenge_winner", "reason": "Great"}
    )
    assert response.status_code == 422
    assert "cannot be granted by hand" in response.text
    assert wins_of(person) == []


def test_the_winner_is_told_of_the_badge() -> None:
    """On its own here; under the prize's own notice once the challenge notices are wired
    (tests/challenges/test_notices.py)."""
    from community.notifications.models import Notification

    winner = make_user()
    award(prize(winner.id, badge=True))
    notes = list(db.session.scalars(select(Notification).where(Notification.user_id == winner.id)))
    told = [n.params for n in notes if n.kind == "badge_earned"] + [
        d["params"] for n in notes for d in n.details or [] if d["kind"] == "badge_earned"
    ]
    assert told == [{"badge": "challenge_winner", "tier": "challenge:77", "granted": False}]
