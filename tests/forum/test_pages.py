"""The forum's pages: who sees and does what (anonymous, employee, member, moderator, HR, the
author and someone else), and what a refusal reads like."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from community.accounts.models import Role
from community.extensions import db
from community.forum import answers, posts
from community.forum.models import ForumCategory, ForumPost, ForumTopic
from tests.club.factories import make_member
from tests.factories import make_job, make_user
from tests.forum.factories import make_category, make_question, make_topic, reply


def _opening(topic) -> ForumPost:
    return db.session.scalars(
        select(ForumPost).where(ForumPost.topic_id == topic.id, ForumPost.number == 1)
    ).one()


def test_anonymous_is_sent_to_sign_in(client) -> None:
    topic = make_topic()
    for path in ("/forum/", f"/forum/t/{topic.id}", "/forum/new", "/forum/categories"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.location
    assert client.post(f"/forum/t/{topic.id}/reply", data={"body": "x"}).status_code == 302


def test_an_employee_reads_the_index_a_category_and_a_topic(client, auth) -> None:
    member = make_member(make_user(name="Mem Ber"))
    category = make_category(description="技巧", description_en="Tips")
    topic = make_topic(member, category, body="Read [this](https://example.com)")
    reply(topic, body="**很好**")
    auth.login(make_user())
    index = client.get("/forum/").get_data(as_text=True)
    assert category.name_en in index and "1 topic" in index
    listing = client.get(f"/forum/c/{category.slug}").get_data(as_text=True)
    assert topic.title in listing and 'data-testid="new-badge"' in listing
    page = client.get(f"/forum/t/{topic.id}").get_data(as_text=True)
    assert 'rel="nofollow ugc noopener"' in page and "<strong>很好</strong>" in page
    assert 'data-testid="club-mark-member"' in page
    assert "moderator-tools" not in page and 'data-testid="edit-post"' not in page
    listing = client.get(f"/forum/c/{category.slug}").get_data(as_text=True)
    assert 'data-testid="new-badge"' not in listing  # read now


def test_posting_a_topic_and_a_reply_through_the_forms(client, auth) -> None:
    category = make_category("questions")
    job = make_job()
    asker = make_user()
    auth.logout()
    auth.login(asker)
    form = client.get(f"/forum/new?category={category.id}").get_data(as_text=True)
    assert 'name="question"' in form and "checked" in form
    response = client.post(
        "/forum/new",
        data={
            "category_id": category.id,
            "title": "怎么推荐应届生？",
            "body": "求指点",
            "question": "y",
            "job_id": job.id,
        },  # fmt: skip
    )
    assert response.status_code == 303
    topic = db.session.scalars(select(ForumTopic)).one()
    assert topic.job_id == job.id
    page = client.get(f"/forum/t/{topic.id}").get_data(as_text=True)
    assert 'data-testid="job-card"' in page and job.title in page
    response = client.post(f"/forum/t/{topic.id}/reply", data={"body": "补充一下"})
    assert response.status_code == 303 and "post=2" in response.location


def test_bad_input_is_answered_beside_the_field(client, auth) -> None:
    category = make_category()
    auth.login(make_user())
    response = client.post(
        "/forum/new", data={"category_id": category.id, "title": "", "body": "x"}
    )
    assert response.status_code == 422 and "A title has at least" in response.text
    topic = make_topic()
    response = client.post(f"/forum/t/{topic.id}/reply", data={"body": "hi @ghost.person"})
    assert response.status_code == 422 and "@ghost.person" in response.text
    assert "hi @ghost.person" in response.text  # the text stays in the box
    response = client.post(f"/forum/t/{topic.id}/reply", data={"body": "x" * 20001})
    assert response.status_code == 422
    assert db.session.scalars(select(ForumTopic)).all() == [topic]


@pytest.mark.parametrize(
    "path",
    [
        "/forum/t/999999",
        "/forum/p/999999/edit",
        "/forum/p/999999/history",
        "/forum/c/nope",
        "/forum/t/999999/unread",
        "/forum/p/999999",
    ],  # fmt: skip
)
def test_forged_ids_are_404(client, auth, path) -> None:
    auth.login(make_user())
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/forum/p/999999/vote",
        "/forum/p/999999/accept",
        "/forum/p/999999/delete",
        "/forum/t/999999/reply",
        "/forum/t/999999/watch",
        "/forum/t/999999/pin",
    ],  # fmt: skip
)
def test_forged_ids_on_writes_are_404_or_403(client, auth, path) -> None:
    auth.login(make_user())
    assert client.post(path, data={"body": "x", "level": "watching"}).status_code in (403, 404)


def test_someone_elses_post_cannot_be_edited_or_deleted(client, auth) -> None:
    author = make_user()
    post = reply(make_topic(), author, "mine")
    auth.login(make_user())
    assert client.get(f"/forum/p/{post.id}/edit").status_code == 403
    assert client.post(f"/forum/p/{post.id}/edit", data={"body": "x"}).status_code == 403
    assert client.post(f"/forum/p/{post.id}/delete").status_code == 403
    assert client.get(f"/forum/p/{post.id}/history").status_code == 403
    assert post.body == "mine" and post.deleted_at is None


def test_the_author_edits_and_reads_the_history(client, auth) -> None:
    author = make_user()
    post = reply(make_topic(), author, "first words")
    auth.login(author)
    assert client.post(f"/forum/p/{post.id}/edit", data={"body": "second words"}).status_code == 303
    history = client.get(f"/forum/p/{post.id}/history").get_data(as_text=True)
    assert "first words" in history and "second words" in history
    page = client.get(f"/forum/t/{post.topic_id}").get_data(as_text=True)
    assert 'data-testid="edited-mark"' in page


def test_a_deleted_post_shows_a_placeholder_to_others(client, auth) -> None:
    author = make_user()
    post = reply(make_topic(), author, "secret words")
    posts.delete(author, post.id)
    auth.login(make_user())
    page = client.get(f"/forum/t/{post.topic_id}").get_data(as_text=True)
    assert "secret words" not in page and 'data-testid="removed-placeholder"' in page


@pytest.mark.parametrize("who", ["moderator", "hr"])
def test_moderators_and_hr_pin_lock_delete_and_restore(client, auth, who) -> None:
    actor = make_member(moderator=True) if who == "moderator" else make_user(role=Role.HR)
    topic = make_topic()
    post = reply(topic)
    auth.login(actor)
    assert "moderator-tools" in client.get(f"/forum/t/{topic.id}").text
    assert client.post(f"/forum/t/{topic.id}/pin", data={"on": "1"}).status_code == 303
    assert client.post(f"/forum/t/{topic.id}/lock", data={"on": "1"}).status_code == 303
    assert client.post(f"/forum/p/{post.id}/delete").status_code == 303
    assert client.post(f"/forum/p/{post.id}/restore").status_code == 303
    assert client.post(f"/forum/t/{topic.id}/delete").status_code == 303
    assert client.get(f"/forum/t/{topic.id}").status_code == 200  # moderators still see it
    assert client.post(f"/forum/t/{topic.id}/restore").status_code == 303
    assert topic.pinned_at and topic.locked_at and topic.deleted_at is None


@pytest.mark.parametrize("who", ["employee", "member"])
def test_others_cannot_moderate(client, auth, who) -> None:
    actor = make_member() if who == "member" else make_user()
    topic = make_topic()
    auth.login(actor)
    for action in ("pin", "lock", "restore", "move"):
        response = client.post(
            f"/forum/t/{topic.id}/{action}", data={"on": "1", "category_id": "1"}
        )
        assert response.status_code == 403, action
    assert client.post(f"/forum/t/{topic.id}/delete").status_code == 403
    assert topic.pinned_at is None and topic.locked_at is None and topic.deleted_at is None


def test_voting_and_accepting_through_the_pages(client, auth) -> None:
    asker = make_user()
    question = make_question(asker)
    answer = reply(question, make_member())
    auth.login(make_user())
    assert client.post(f"/forum/p/{answer.id}/vote").status_code == 303
    assert client.post(f"/forum/p/{answer.id}/vote").status_code == 409
    assert client.post(f"/forum/p/{answer.id}/accept").status_code == 403
    auth.logout()
    auth.login(asker)
    assert client.post(f"/forum/p/{_opening(question).id}/vote").status_code == 403  # own post
    assert client.post(f"/forum/p/{answer.id}/accept").status_code == 303
    page = client.get(f"/forum/t/{question.id}").get_data(as_text=True)
    assert 'data-testid="accepted-answer"' in page and 'data-testid="answered"' in page


def test_a_deep_link_lands_on_the_posts_page_and_quote_fills_the_box(client, auth, app) -> None:
    app.config["FORUM_POSTS_PER_PAGE"] = 2
    try:
        topic = make_topic()
        replies = [reply(topic, body=f"reply number {i}") for i in range(4)]
        auth.login(make_user())
        page = client.get(f"/forum/t/{topic.id}?post=5").get_data(as_text=True)
        assert "reply number 3" in page and "reply number 0" not in page
        page = client.get(f"/forum/t/{topic.id}?quote={replies[0].id}").get_data(as_text=True)
        assert "&gt; reply number 0" in page and "wrote:" in page
        unread = client.get(f"/forum/t/{topic.id}/unread")
        assert unread.status_code == 302
    finally:
        app.config["FORUM_POSTS_PER_PAGE"] = 20


def test_watching_and_muting_through_the_pages(client, auth) -> None:
    topic = make_topic()
    auth.login(make_user())
    assert client.post(f"/forum/t/{topic.id}/watch", data={"level": "watching"}).status_code == 303
    assert 'data-testid="unwatch-topic"' in client.get(f"/forum/t/{topic.id}").text
    assert client.post(f"/forum/t/{topic.id}/watch", data={"level": "??"}).status_code == 422
    response = client.post(f"/forum/c/{topic.category_id}/watch", data={"level": "watching"})
    assert response.status_code == 303


def test_hr_manages_categories_and_others_may_not(client, auth) -> None:
    auth.login(make_user())
    assert client.get("/forum/categories").status_code == 403
    assert client.post("/forum/categories/new", data={"slug": "x", "name": "X"}).status_code == 403
    auth.logout()
    auth.login(make_user(role=Role.HR))
    response = client.post(
        "/forum/categories/new",
        data={"slug": "tips", "name": "内推技巧", "name_en": "Tips", "kind": "discussion"},
    )
    assert response.status_code == 303
    response = client.post("/forum/categories/new", data={"slug": "tips", "name": "again",
                                                          "kind": "discussion"})  # fmt: skip
    assert response.status_code == 409 and "Another category" in response.text
    response = client.post("/forum/categories/new", data={"slug": "Bad Slug!", "name": "x",
                                                          "kind": "discussion"})  # fmt: skip
    assert response.status_code == 422
    category = db.session.scalars(select(ForumCategory)).one()
    assert (
        client.post(f"/forum/categories/{category.id}/archive", data={"on": "1"}).status_code == 303
    )
    assert category.archived_at is not None


def test_posting_too_fast_is_a_friendly_429(client, auth, app) -> None:
    topic = make_topic()
    auth.login(make_user())
    limit = int(str(app.config["FORUM_POST_RATE_LIMIT"]).split()[0])
    for i in range(limit):
        assert client.post(f"/forum/t/{topic.id}/reply", data={"body": f"r{i}"}).status_code == 303
    response = client.post(f"/forum/t/{topic.id}/reply", data={"body": "one more"})
    assert response.status_code == 429 and "faster than the forum allows" in response.text


def test_accepting_in_someone_elses_question_changes_nothing(client, auth) -> None:
    question = make_question()
    answer = reply(question)
    auth.login(make_user())
    assert client.post(f"/forum/p/{answer.id}/accept").status_code == 403
    assert client.post(f"/forum/t/{question.id}/unaccept").status_code == 403
    answers.accept(question.author, answer.id)
    assert client.post(f"/forum/t/{question.id}/unaccept").status_code == 403
    assert question.accepted_post_id == answer.id
