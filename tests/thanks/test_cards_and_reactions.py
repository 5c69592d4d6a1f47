"""Issue 11 §19: the wall shows one card per person and day (announcements on their own),
colleagues react once each (held by a unique pair under double submits), and HR hides a post
with a labelled control and a confirm step; a hidden post leaves the wall for everyone and
stays in the database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from community.accounts.models import User
from community.core.time import utcnow
from community.extensions import db
from community.thanks import queries, services
from community.thanks.models import Reaction, ThanksPost, ThanksReaction
from tests.factories import make_user
from tests.races import race
from tests.thanks.factories import paid_payout

NOON = datetime(2026, 11, 10, 4, 0)  # 12:00 in Shanghai


def tiers(person: User, at: datetime = NOON, *names: str) -> list[ThanksPost]:
    posts = [
        services.thank_gold_tier(person, name, at + timedelta(minutes=i))
        for i, name in enumerate(names)
    ]
    db.session.commit()
    return posts


def reactions() -> list[tuple[int, int, str]]:
    db.session.expire_all()
    return [
        (r.post_id, r.user_id, r.reaction.value)
        for r in db.session.scalars(select(ThanksReaction).order_by(ThanksReaction.id))
    ]


@pytest.fixture
def colleague() -> User:
    return make_user(name="Cora Colleague")


# Cards ----------------------------------------------------------------------------------------


def test_one_persons_thanks_of_one_day_are_one_card():
    ann, bo = make_user(name="Ann Li"), make_user(name="Bo Chen")
    first, second = tiers(ann, NOON, "bronze", "silver")
    other = tiers(bo, NOON + timedelta(hours=1), "bronze")[0]
    older = tiers(ann, NOON - timedelta(days=1), "gold")[0]  # the day before: news of its own
    page = queries.card_page(1, 10)
    assert [[p.id for p in card.posts] for card in page.items] == [
        [other.id],
        [second.id, first.id],  # newest first; the card opened with the first
        [older.id],
    ]
    assert page.total == 3 and not page.has_next
    card = page.items[1]
    assert card.anchor.id == first.id and card.key == f"p{ann.id}-20261110"


def test_the_day_is_the_company_zones():
    ann = make_user()
    late = tiers(ann, datetime(2026, 11, 10, 15, 30), "bronze")[0]  # 23:30 in Shanghai
    after_midnight = tiers(ann, datetime(2026, 11, 10, 16, 30), "silver")[0]  # 00:30 next day
    assert [[p.id for p in c.posts] for c in queries.card_page(1, 10).items] == [
        [after_midnight.id],
        [late.id],
    ]


def test_an_announcement_is_a_card_of_its_own(hr):
    first = services.post_announcement(hr, "One", "Body", at=NOON)
    second = services.post_announcement(hr, "Two", "Body", at=NOON + timedelta(minutes=5))
    cards = queries.card_page(1, 10).items
    assert [[p.id for p in card.posts] for card in cards] == [[second.id], [first.id]]
    assert all(card.is_announcement for card in cards)


def test_the_wall_shows_a_card_with_a_line_per_thanks(client, auth, hr, colleague):
    ann = make_user(name="Ann Li")
    paid_payout(hr, ann, title="Backend Engineer")
    paid_payout(hr, ann, title="Product Designer")
    auth.login(colleague)
    page = client.get("/thanks/").text
    assert page.count('data-testid="thanks-post"') == 1
    assert "Thank you, Ann Li!" in page and "2 thank-yous" in page
    assert page.count('data-testid="thanks-line"') == 2
    assert "for referring our new Backend Engineer — joining bonus paid" in page
    assert "for referring our new Product Designer — joining bonus paid" in page
    home = client.get("/").text
    assert home.count('data-testid="thanks-post"') == 1 and "Thank you, Ann Li!" in home


def test_the_card_in_chinese(client, auth, hr):
    ann = make_user(name="李安")
    tiers(ann, utcnow(), "bronze", "silver")
    auth.login(make_user(locale="zh_CN"))
    page = client.get("/thanks/").text
    assert "谢谢 李安！" in page and "2 条感谢" in page
    assert "荣获" in page and "年度" in page


def test_a_hidden_post_leaves_its_card_and_stays_stored(hr):
    ann = make_user()
    first, second = tiers(ann, NOON, "bronze", "silver")
    services.hide_post(second, hr, "Announced twice")
    [card] = queries.card_page(1, 10).items
    assert [p.id for p in card.posts] == [first.id]
    services.hide_post(first, hr, "Asked to")
    assert queries.card_page(1, 10).items == []
    assert db.session.scalar(select(func.count(ThanksPost.id))) == 2  # both kept


# Reactions ------------------------------------------------------------------------------------


def test_a_colleague_reacts_once_changes_and_takes_it_back(client, auth, colleague):
    post = tiers(make_user(name="Ann Li"), utcnow(), "bronze")[0]
    auth.login(colleague)
    first = client.post(f"/thanks/{post.id}/react", data={"reaction": "applause"})
    assert first.status_code == 302
    assert first.headers["Location"].endswith(
        f"/thanks/#thanks-card-p{post.subject_id}-{post.wall_day:%Y%m%d}"
    )
    client.post(f"/thanks/{post.id}/react", data={"reaction": "applause"})  # sent twice
    assert reactions() == [(post.id, colleague.id, "applause")]
    page = client.get("/thanks/").text
    assert 'aria-pressed="true"' in page and 'name="reaction" value="none"' in page
    client.post(f"/thanks/{post.id}/react", data={"reaction": "heart"})
    assert reactions() == [(post.id, colleague.id, "heart")]
    client.post(f"/thanks/{post.id}/react", data={"reaction": "none"})
    assert reactions() == []


def test_reacting_with_htmx_answers_the_counts(client, auth, colleague):
    post = tiers(make_user(), utcnow(), "bronze")[0]
    db.session.add(
        ThanksReaction(post_id=post.id, user_id=make_user().id, reaction=Reaction.APPLAUSE)
    )
    db.session.commit()
    auth.login(colleague)
    response = client.post(
        f"/thanks/{post.id}/react", data={"reaction": "applause"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and "<html" not in response.text
    assert response.text.lstrip().startswith('<div class="thanks-reactions')
    assert 'data-testid="react-applause"' in response.text
    applause = next(b for b in response.text.split("<button") if "react-applause" in b)
    assert 'aria-pressed="true"' in applause and ">2</span>" in applause


def test_a_card_keeps_its_reactions_on_the_post_it_opened_with(client, auth, colleague):
    ann = make_user()
    first, second = tiers(ann, utcnow() - timedelta(minutes=5), "bronze", "silver")
    auth.login(colleague)
    page = client.get("/thanks/").text
    assert f'action="/thanks/{first.id}/react"' in page
    assert f"/thanks/{second.id}/react" not in page
    client.post(f"/thanks/{first.id}/react", data={"reaction": "celebrate"})
    [card] = queries.card_page(1, 10, colleague.id).items
    assert card.reactions == {"celebrate": 1} and card.mine == "celebrate"


def test_nobody_reacts_to_their_own_thanks_or_announcement(client, auth, hr):
    ann = make_user()
    post = tiers(ann, utcnow(), "bronze")[0]
    db.session.add(ThanksReaction(post_id=post.id, user_id=hr.id, reaction=Reaction.HEART))
    db.session.commit()
    news = services.post_announcement(hr, "News", "Body")
    auth.login(ann)
    refused = client.post(f"/thanks/{post.id}/react", data={"reaction": "applause"})
    assert refused.status_code == 403 and "You cannot react to your own thanks." in refused.text
    page = client.get("/thanks/").text
    own = page.split(f'id="thanks-card-p{ann.id}-')[1]
    assert 'data-testid="reaction-counts"' in own.split("</article>")[0]  # counts, no buttons
    assert f'action="/thanks/{post.id}/react"' not in page
    auth.logout()
    auth.login(hr)
    assert client.post(f"/thanks/{news.id}/react", data={"reaction": "heart"}).status_code == 403
    assert reactions() == [(post.id, hr.id, "heart")]


def test_anonymous_visitors_cannot_react(client):
    post = tiers(make_user(), utcnow(), "bronze")[0]
    response = client.post(f"/thanks/{post.id}/react", data={"reaction": "applause"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert reactions() == []


@pytest.mark.parametrize("value", ["thumbs-down", "", "APPLAUSE ", "<b>x</b>", None])
def test_an_unknown_reaction_is_a_clear_400(client, auth, colleague, value):
    post = tiers(make_user(), utcnow(), "bronze")[0]
    auth.login(colleague)
    data = {} if value is None else {"reaction": value}
    if value == "APPLAUSE ":
        # case and spaces are forgiven: it is the same choice
        assert client.post(f"/thanks/{post.id}/react", data=data).status_code == 302
        return
    for headers in ({}, {"HX-Request": "true"}):
        response = client.post(f"/thanks/{post.id}/react", data=data, headers=headers)
        assert response.status_code == 400
        message = "Unknown reaction. Choose one of: Applause, Celebrate, Love it."
        assert message in (response.text + response.headers.get("HX-Trigger", ""))
    assert reactions() == []


def test_an_unknown_reaction_in_chinese(client, auth):
    post = tiers(make_user(), utcnow(), "bronze")[0]
    auth.login(make_user(locale="zh_CN"))
    response = client.post(f"/thanks/{post.id}/react", data={"reaction": "meh"})
    assert response.status_code == 400 and "未知的表情" in response.text


def test_no_reaction_to_a_hidden_or_missing_post(client, auth, hr, colleague):
    post = tiers(make_user(), utcnow(), "bronze")[0]
    services.hide_post(post, hr, "Duplicate")
    auth.login(colleague)
    assert client.post(f"/thanks/{post.id}/react", data={"reaction": "heart"}).status_code == 404
    assert client.post("/thanks/987654/react", data={"reaction": "heart"}).status_code == 404
    assert reactions() == []


def test_reacting_needs_csrf(client, auth, colleague):
    post = tiers(make_user(), utcnow(), "bronze")[0]
    auth.login(colleague)
    response = client.post(f"/thanks/{post.id}/react", data={"reaction": "heart"}, csrf=False)
    assert response.status_code == 400 and reactions() == []


def test_the_database_holds_one_reaction_per_person_and_post(colleague):
    post = tiers(make_user(), utcnow(), "bronze")[0]
    db.session.add(ThanksReaction(post_id=post.id, user_id=colleague.id, reaction=Reaction.HEART))
    db.session.commit()
    db.session.add(
        ThanksReaction(post_id=post.id, user_id=colleague.id, reaction=Reaction.APPLAUSE)
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize("choices", [["applause"] * 6, ["applause", "heart", "celebrate"] * 2])
def test_a_double_submit_leaves_one_reaction(app: Flask, colleague, choices):
    """Simultaneous submits of one person (a double click, two tabs) never make two rows nor
    fail: the unique pair and the upsert on it hold."""
    post = tiers(make_user(), utcnow(), "bronze")[0]
    post_id, user_id = post.id, colleague.id  # plain ids: the threads never touch this session

    def react(choice: str) -> Callable[[], str]:
        def attempt() -> str:
            services.react(
                db.session.get(ThanksPost, post_id),
                db.session.get(User, user_id),
                Reaction(choice),
            )
            return "ok"  # any failure is the bug this test looks for: it fails the test

        return attempt

    outcomes = race(app, [react(choice) for choice in choices])
    assert outcomes == ["ok"] * len(choices)
    rows = reactions()
    assert len(rows) == 1 and rows[0][:2] == (post_id, user_id) and rows[0][2] in choices


# Hiding ---------------------------------------------------------------------------------------


def test_the_hide_control_is_labelled_and_asks_to_confirm(client, auth, hr):
    post = tiers(make_user(), utcnow(), "bronze")[0]
    auth.login(hr)
    page = client.get("/thanks/").text
    control = page.split('data-testid="open-hide"')[0].rsplit("<a ", 1)[1]
    assert f'href="/thanks/{post.id}/hide"' in control  # without JavaScript: the confirm page
    assert ">Hide</a>" in page.split('data-testid="open-hide"')[1][:200]
    form = page.split('data-testid="hide-form"')[0].rsplit("<form", 1)[1]
    assert 'hx-confirm="Hide this post from the wall for everyone?' in form


def test_hiding_without_javascript_goes_through_a_confirm_page(client, auth, hr, colleague):
    post = tiers(make_user(name="Ann Li"), utcnow(), "bronze")[0]
    auth.login(hr)
    confirm = client.get(f"/thanks/{post.id}/hide")
    assert confirm.status_code == 200
    assert "Ann Li became a Bronze referrer" in confirm.text
    assert 'data-testid="hide-confirm-form"' in confirm.text and "Cancel" in confirm.text
    refused = client.post(f"/thanks/{post.id}/hide", data={"reason": " "})
    assert refused.status_code == 422
    assert 'data-testid="hide-confirm-form"' in refused.text
    assert "Please give a reason for hiding this post." in refused.text
    done = client.post(f"/thanks/{post.id}/hide", data={"reason": "Asked to"})
    assert done.status_code == 302
    assert "Ann Li" not in client.get("/thanks/").text  # HR does not see it either
    again = client.get(f"/thanks/{post.id}/hide")
    assert 'data-testid="already-hidden"' in again.text
    auth.logout()
    auth.login(colleague)
    assert "Ann Li" not in client.get("/thanks/").text
    assert db.session.get(ThanksPost, post.id).hidden_reason == "Asked to"


def test_only_hr_opens_the_confirm_page(client, auth, colleague):
    post = tiers(make_user(), utcnow(), "bronze")[0]
    assert client.get(f"/thanks/{post.id}/hide").status_code == 302  # to log in
    auth.login(colleague)
    assert client.get(f"/thanks/{post.id}/hide").status_code == 403
    assert 'data-testid="open-hide"' not in client.get("/thanks/").text


def test_hiding_one_line_with_htmx_answers_the_rest_of_the_card(client, auth, hr):
    ann = make_user(name="Ann Li")
    first, second = tiers(ann, utcnow() - timedelta(minutes=5), "bronze", "silver")
    auth.login(hr)
    response = client.post(
        f"/thanks/{second.id}/hide", data={"reason": "Twice"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith("<article")
    assert (
        f'id="thanks-{first.id}"' in response.text
        and f'id="thanks-{second.id}"' not in response.text
    )
    refused = client.post(
        f"/thanks/{first.id}/hide", data={"reason": ""}, headers={"HX-Request": "true"}
    )
    assert refused.status_code == 422
    assert 'data-testid="hide-error"' in refused.text
