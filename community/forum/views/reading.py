"""Reading: the index, a category's topics, a topic's posts (a page at a time; `?post=N` lands
on the page of post N; `?quote=<post id>` fills the reply box), the jump to the first unread
post, and a post's edit history."""

from __future__ import annotations

from flask import Response, abort, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from community.core.htmx import render
from community.core.params import int_arg, page_arg
from community.extensions import db
from community.forum import common, permissions, posts, queries, watching
from community.forum.forms import ReasonForm, ReplyForm
from community.forum.models import ForumCategory, ForumPost
from community.forum.views import bp


@bp.get("/")
def index() -> Response:
    return render("forum/index.html", rows=queries.index())


@bp.get("/c/<slug>")
def category(slug: str) -> Response:
    found = db.session.scalars(select(ForumCategory).where(ForumCategory.slug == slug)).first()
    if found is None:
        abort(404)
    return render(
        "forum/category.html",
        category=found,
        listing=queries.topics(found, current_user, page_arg()),
        watch=watching.level_of(current_user.id, category_id=found.id),
    )


@bp.get("/t/<int:topic_id>")
def topic(topic_id: int) -> Response:
    return topic_page(topic_id)


def topic_page(topic_id: int, form: ReplyForm | None = None, status: int = 200) -> Response:
    """The topic's page; `form`: a refused reply, shown again with its error and its text."""
    found = common.topic_for(current_user, topic_id)
    number = int_arg("post", 0) or 0
    page = queries.page_of(number) if number > 0 else page_arg()
    listing = queries.posts(found, current_user, page)
    if listing.items:
        watching.read(current_user, found.id, listing.items[-1].post.number)
    form = form or ReplyForm()
    quoted = posts.quote_text(current_user, int_arg("quote", 0))
    if quoted and not form.body.data:
        form.body.data = quoted
    return render(
        "forum/topic.html",
        topic=found,
        listing=listing,
        form=form,
        reason_form=ReasonForm(),
        accepted=queries.accepted_post(found),
        job=queries.job_card(found, current_user),
        hire=queries.hire_card(found),
        watch=watching.level_of(current_user.id, topic_id=found.id),
        categories=queries.categories(include_archived=False),
        status=status,
    )


@bp.get("/t/<int:topic_id>/unread")
def unread(topic_id: int) -> Response:
    found = common.topic_for(current_user, topic_id)
    number = queries.first_unread(found.id, current_user)
    return redirect(
        url_for("forum.topic", topic_id=found.id, post=number, _anchor=f"post-{number}")
    )


@bp.get("/p/<int:post_id>/history")
def history(post_id: int) -> Response:
    post = common.post_for(current_user, post_id)
    if not permissions.can_see_history(current_user, post):
        abort(403)
    return render("forum/history.html", post=post, revisions=queries.revisions(post))


@bp.get("/p/<int:post_id>")
def post_link(post_id: int) -> Response:
    """A permanent link to a post, wherever its page is now."""
    post = common.post_for(current_user, post_id)
    return redirect(url_for("forum.topic", topic_id=post.topic_id, post=post.number,
                            _anchor=f"post-{post.number}"))  # fmt: skip


def back_to(post: ForumPost) -> str:
    return url_for("forum.topic", topic_id=post.topic_id, post=post.number,
                   _anchor=f"post-{post.number}")  # fmt: skip


__all__ = ["back_to", "request"]
