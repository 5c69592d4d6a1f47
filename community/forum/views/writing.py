"""Writing: a new topic, a reply, an edit, deleting and restoring one's post, helpful votes,
accepting an answer, and watching. Posting and replying are rate-limited per person
(FORUM_POST_RATE_LIMIT); only posts that went through count."""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import TooManyRequests
from wtforms import SelectChoice

from community.core.errors import handle_domain_error
from community.core.htmx import render
from community.core.localized import localized
from community.core.params import int_arg
from community.extensions import limiter
from community.forum import answers, common, permissions, posts, queries, topics, votes, watching
from community.forum.common import ForumError
from community.forum.forms import EditForm, ReplyForm, TopicForm
from community.forum.models import CategoryKind
from community.forum.views import bp
from community.forum.views.reading import back_to


def _limit() -> str:
    return str(current_app.config["FORUM_POST_RATE_LIMIT"])


def _person() -> str:
    return f"forum:{current_user.id}" if current_user.is_authenticated else "anonymous"


def _went_through(response: Response) -> bool:
    return response.status_code in (302, 303)


@bp.errorhandler(429)
def too_fast(error: TooManyRequests) -> Response:
    return handle_domain_error(
        ForumError(
            _(
                "You are posting faster than the forum allows. Take a breath and try again in a "
                "minute — your text is still in the box."
            ),  # fmt: skip
            status=429,
        )
    )


def _topic_form() -> TopicForm:
    form = TopicForm()
    open_categories = queries.categories(include_archived=False)
    form.category_id.choices = [
        SelectChoice(c.id, str(localized(c, "name"))) for c in open_categories
    ]
    none = SelectChoice("", "—")
    form.job_id.choices = [none, *(SelectChoice(i, t) for i, t in queries.open_jobs())]
    form.referral_id.choices = [
        none,
        *(SelectChoice(i, t) for i, t in queries.my_hires(current_user)),
    ]
    if request.method == "GET":
        chosen = int_arg("category", 0)
        form.category_id.data = chosen or None
        category = next((c for c in open_categories if c.id == chosen), None)
        form.question.data = bool(category and category.kind == CategoryKind.QUESTIONS)
        form.job_id.data = int_arg("job", 0) or None
    return form


@bp.route("/new", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"], key_func=_person, deduct_when=_went_through)
def new_topic() -> Response:
    form = _topic_form()
    if form.validate_on_submit():
        try:
            topic = topics.start(
                current_user,
                category_id=form.category_id.data,
                title=form.title.data,
                body=form.body.data,
                question=form.question.data,
                job_id=form.job_id.data,
                referral_id=form.referral_id.data,
            )
        except ForumError as error:
            if error.status not in (422, 409) or not error.field:
                raise
            getattr(form, error.field).errors.append(error.message)
            return render("forum/new.html", form=form, status=error.status)
        flash(_("Your topic is posted."), "success")
        return redirect(url_for("forum.topic", topic_id=topic.id), code=303)
    return render("forum/new.html", form=form, status=422 if form.errors else 200)


@bp.post("/t/<int:topic_id>/reply")
@limiter.limit(_limit, key_func=_person, deduct_when=_went_through)
def reply(topic_id: int) -> Response:
    form = ReplyForm()
    if not form.validate_on_submit():
        raise ForumError(_("Your form expired. Please reload the page and try again."))
    try:
        post = posts.reply(current_user, topic_id, form.body.data)
    except ForumError as error:
        if error.field != "body":
            raise
        from community.forum.views.reading import topic as topic_page

        form.body.errors.append(error.message)
        response = topic_page(topic_id)
        response.status_code = error.status
        return response
    return redirect(back_to(post), code=303)


@bp.route("/p/<int:post_id>/edit", methods=["GET", "POST"])
def edit(post_id: int) -> Response:
    post = common.post_for(current_user, post_id)
    if not permissions.can_edit_post(current_user, post):
        raise ForumError(_("You cannot edit this post."), status=403)
    form = EditForm()
    if request.method == "GET":
        form.body.data = post.body
        form.title.data = post.topic.title
    elif form.validate_on_submit():
        try:
            posts.edit(current_user, post.id, form.body.data,
                       form.title.data if post.number == 1 else None)  # fmt: skip
        except ForumError as error:
            if not error.field:
                raise
            getattr(form, error.field).errors.append(error.message)
            return render("forum/edit.html", form=form, post=post, status=error.status)
        return redirect(back_to(post), code=303)
    return render("forum/edit.html", form=form, post=post)


@bp.post("/p/<int:post_id>/delete")
def delete_post(post_id: int) -> Response:
    post = posts.delete(current_user, post_id, request.form.get("reason"))
    flash(_("The post is deleted."), "success")
    return redirect(back_to(post), code=303)


@bp.post("/p/<int:post_id>/restore")
def restore_post(post_id: int) -> Response:
    post = posts.restore(current_user, post_id)
    flash(_("The post is back."), "success")
    return redirect(back_to(post), code=303)


@bp.post("/p/<int:post_id>/vote")
def vote(post_id: int) -> Response:
    if request.form.get("undo") == "1":
        post = votes.unvote(current_user, post_id)
    else:
        post = votes.vote(current_user, post_id)
    return redirect(back_to(post), code=303)


@bp.post("/p/<int:post_id>/accept")
def accept(post_id: int) -> Response:
    post = answers.accept(current_user, post_id)
    flash(_("The answer is accepted."), "success")
    return redirect(back_to(post), code=303)


@bp.post("/t/<int:topic_id>/unaccept")
def unaccept(topic_id: int) -> Response:
    answers.unaccept(current_user, topic_id)
    return redirect(url_for("forum.topic", topic_id=topic_id), code=303)


@bp.post("/t/<int:topic_id>/watch")
def watch_topic(topic_id: int) -> Response:
    topic = watching.set_topic(current_user, topic_id, request.form.get("level"))
    flash(_("Your notifications for this topic are changed."), "success")
    return redirect(url_for("forum.topic", topic_id=topic.id), code=303)


@bp.post("/c/<int:category_id>/watch")
def watch_category(category_id: int) -> Response:
    category = watching.set_category(current_user, category_id, request.form.get("level"))
    flash(_("Your notifications for this category are changed."), "success")
    return redirect(url_for("forum.category", slug=category.slug), code=303)
