"""A finalized challenge whose prizes ask for it thanks its winners in public: one post naming
them by their shown names in rank order ("1st"/"第1名"), linking to the challenge, once per
challenge; people the wall may not show are left out of it, and a winner cannot applaud it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community import events
from community.core.time import utcnow
from community.extensions import db
from community.thanks import queries, services
from community.thanks.models import ThanksKind, ThanksPost, ThanksWinner
from tests.challenges.events import finalized
from tests.factories import make_user


def finalize(event: events.ChallengeFinalized) -> None:
    """Publish as the challenge room does: inside its transaction, then commit."""
    events.publish(event)
    db.session.commit()
    db.session.expire_all()


def posts() -> list[ThanksPost]:
    return list(db.session.scalars(select(ThanksPost).order_by(ThanksPost.id)))


@pytest.fixture
def podium(hr):
    """Three winners, best first; the second goes by a display name."""
    return (
        make_user(name="Ann Li"),
        make_user(name="Robert Brown", display_name="Bob"),
        make_user(name="Cy Wu"),
    )


def test_one_post_names_the_winners_in_rank_order_once(hr, podium):
    ann, bob, cy = podium
    event = finalized(((ann.id, 1), (bob.id, 2), (cy.id, 3)), hr.id)
    finalize(event)
    finalize(event)  # published again
    (post,) = posts()
    assert post.kind == ThanksKind.CHALLENGE_WINNERS
    assert post.idempotency_key == "challenge:77:winners"
    assert (post.challenge_id, post.title, post.title_en) == (
        77,
        "春季内推冲刺",
        "Spring referral sprint",
    )
    assert [(w.user_id, w.rank) for w in post.winners] == [(ann.id, 1), (bob.id, 2), (cy.id, 3)]
    assert post.subject_id is None and post.created_at == event.at


def test_no_post_unless_asked_and_someone_won(hr, podium):
    ann = podium[0]
    finalize(finalized(((ann.id, 1),), hr.id, thanked=()))
    finalize(finalized((), hr.id, challenge_id=78))
    assert posts() == []
    assert services.thank_challenge_winners(79, "T", None, [], utcnow()) is None


def test_a_person_named_twice_keeps_their_best_place(hr, podium):
    ann, bob, _cy = podium
    finalize(finalized(((ann.id, 1), (bob.id, 2), (ann.id, 4)), hr.id))
    (post,) = posts()
    assert [(w.user_id, w.rank, w.position) for w in post.winners] == [
        (ann.id, 1, 0),
        (bob.id, 2, 1),
    ]
    assert db.session.scalar(select(func.count()).select_from(ThanksWinner)) == 2


@pytest.mark.parametrize(
    ("locale", "headline"),
    [
        (
            "en",
            "Congratulations to the winners of Spring referral sprint: "
            "1st Ann Li, 2nd Bob, and 3rd Cy Wu!",
        ),
        ("zh_CN", "恭喜“春季内推冲刺”的获奖者：第1名 Ann Li、第2名 Bob和第3名 Cy Wu！"),
    ],
)
def test_the_wall_shows_it_in_the_readers_language(client, auth, hr, podium, locale, headline):
    ann, bob, cy = podium
    finalize(finalized(((ann.id, 1), (bob.id, 2), (cy.id, 3)), hr.id))
    reader = make_user(locale=locale)
    auth.login(reader)
    page = client.get("/thanks/").text
    assert headline in page
    assert 'data-kind="challenge_winners"' in page
    assert 'href="/challenges/77"' in page and 'data-testid="thanks-challenge-link"' in page
    home = client.get("/").text
    assert headline in home


def test_english_readers_fall_back_to_the_base_title(client, auth, hr, podium):
    finalize(finalized(((podium[0].id, 1),), hr.id, title="年度挑战", title_en=None))
    auth.login(make_user(locale="en"))
    assert "Congratulations to the winners of 年度挑战: 1st Ann Li!" in client.get("/thanks/").text


def test_ranks_past_the_podium_read_as_ordinals(app, hr):
    from flask_babel import force_locale

    from community.core.places import place_label

    with app.test_request_context(), force_locale("en"):
        assert [place_label(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111)] == [
            "1st",
            "2nd",
            "3rd",
            "4th",
            "11th",
            "12th",
            "13th",
            "21st",
            "22nd",
            "23rd",
            "101st",
            "111th",
        ]
    with app.test_request_context(), force_locale("zh_CN"):
        assert [place_label(n) for n in (1, 2, 11)] == ["第1名", "第2名", "第11名"]


def test_the_winners_post_is_a_card_of_its_own(hr, podium):
    ann, bob, _cy = podium
    services.thank_gold_tier(ann, "bronze", utcnow() - timedelta(minutes=1))
    db.session.commit()
    finalize(finalized(((ann.id, 1), (bob.id, 2)), hr.id))
    cards = queries.card_page(1, 10).items
    assert [[p.kind.value for p in card.posts] for card in cards] == [
        ["challenge_winners"],
        ["gold_tier"],
    ]
    assert cards[0].stands_alone and not cards[0].is_announcement


def test_people_the_wall_may_not_show_are_left_out(client, auth, hr, podium):
    ann, bob, cy = podium
    finalize(finalized(((ann.id, 1), (bob.id, 2), (cy.id, 3)), hr.id))
    bob.leaderboard_opt_out = True
    cy.is_active_account = False
    db.session.commit()
    auth.login(make_user())
    page = client.get("/thanks/").text
    assert "Congratulations to the winners of Spring referral sprint: 1st Ann Li!" in page
    assert "Bob" not in page and "Cy Wu" not in page
    ann.leaderboard_opt_out = True
    db.session.commit()
    assert queries.card_page(1, 10).items == []  # nobody left to name: off the wall
    assert "Spring referral sprint" not in client.get("/thanks/").text


def test_a_winner_cannot_applaud_it_but_a_colleague_can(client, auth, hr, podium):
    ann, bob, _cy = podium
    finalize(finalized(((ann.id, 1), (bob.id, 2)), hr.id))
    (post,) = posts()
    auth.login(bob)
    refused = client.post(f"/thanks/{post.id}/react", data={"reaction": "applause"})
    assert refused.status_code == 403
    auth.logout()
    auth.login(make_user())
    assert client.post(f"/thanks/{post.id}/react", data={"reaction": "applause"}).status_code == 302
    (card,) = queries.card_page(1, 10).items
    assert card.reactions == {"applause": 1}


def test_hr_hides_it_like_any_post(client, auth, hr, podium):
    finalize(finalized(((podium[0].id, 1),), hr.id))
    (post,) = posts()
    services.hide_post(post, hr, "Announced twice")
    assert queries.card_page(1, 10).items == []
