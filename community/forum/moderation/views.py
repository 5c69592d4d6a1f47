"""Moderation's pages under /club/moderation: flagging a post (anyone signed in), the review
queue and the log (the club's moderators and HR). Thin: parse → `services` → render. A refusal
the page can show beside its form is shown there with its 4xx status; any other is answered by
the app's domain-error handler."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from community.core.htmx import is_fragment_request, render, toast
from community.core.links import safe_redirect
from community.core.params import page_arg
from community.extensions import db
from community.forum.models import ForumFlag, ForumPost
from community.forum.moderation import labels, queries, services
from community.forum.moderation.forms import FlagForm, ReasonForm
from community.forum.moderation.notices import post_link
from community.forum.moderation.permissions import can_moderate_forum, moderator_required

bp = Blueprint("forum_moderation", __name__, url_prefix="/club/moderation")

PER_PAGE = 20


@bp.record_once
def _template_globals(state: Any) -> None:
    state.app.jinja_env.globals.update(
        forum_flag_reason=labels.reason_label,
        forum_moderation_action=labels.action_label,
        forum_flag_url=lambda post: url_for("forum_moderation.flag", post_id=post.id),
    )


# Flagging -------------------------------------------------------------------------------------


def _readable_post(post_id: int) -> ForumPost:
    """The post, if the person may read it (a deleted one, or one in a hidden topic, is only
    for moderators): else the same 404 as for a post that does not exist."""
    post = db.session.get(ForumPost, post_id)
    if post is None:
        abort(404)
    gone = post.deleted_at is not None or post.topic.deleted_at is not None
    if (gone or post.topic.hidden_at is not None) and not can_moderate_forum(current_user):
        abort(404)
    return post


def _flag_page(
    post: ForumPost, form: FlagForm, status: int = 200, error: str | None = None
) -> Response:
    mine = db.session.scalar(
        select(ForumFlag).where(
            ForumFlag.post_id == post.id, ForumFlag.flagger_id == current_user.id
        )
    )
    # A hidden post's text is for its author and moderators only (the forum's rule), here too.
    show_text = post.hidden_at is None or post.author_id == current_user.id
    return render(
        "forum/moderation/flag.html",
        block="flag_box",
        status=status,
        post=post,
        show_text=show_text or can_moderate_forum(current_user),
        form=form,
        my_flag=mine,
        error=error,
        back=safe_redirect(request.values.get("next"), post_link(post) or ""),
    )


@bp.route("/posts/<int:post_id>/flag", methods=["GET", "POST"])
def flag(post_id: int) -> Response:
    post = _readable_post(post_id)
    if request.method == "GET":
        status = 403 if post.author_id == current_user.id else 200
        return _flag_page(post, FlagForm(formdata=None), status)
    form = FlagForm()
    try:
        outcome = services.flag_post(current_user, post.id, form.reason_code.data, form.note.data)
    except services.ModerationError as exc:
        if exc.status == 404:
            raise
        if exc.field in ("reason_code", "note"):
            form[exc.field].errors = [exc.message]
        if is_fragment_request():
            toast(exc.message, "danger")
        db.session.expire_all()
        return _flag_page(post, form, exc.status, exc.message)
    message = (
        _(
            "Thank you. Enough colleagues flagged this post: it is hidden until a moderator reviews it."
        )
        if outcome.hid_post
        else _("Thank you. The moderators will look at this post.")
    )
    if is_fragment_request():
        toast(message)
        return _flag_page(db.session.get(ForumPost, post.id), FlagForm(formdata=None))
    flash(message, "success")
    target = safe_redirect(
        request.form.get("next"), url_for("forum_moderation.flag", post_id=post.id)
    )
    return redirect(target, code=303)


# The review queue -----------------------------------------------------------------------------


def _queue_context() -> dict[str, Any]:
    show = "hidden" if request.values.get("show") == "hidden" else "flagged"
    page = page_arg()
    context: dict[str, Any] = {"show": show, "reason_form": ReasonForm(formdata=None)}
    if show == "hidden":
        context["pagination"] = queries.hidden_posts(page, PER_PAGE)
        context["flagged"] = []
    else:
        context["pagination"], context["flagged"] = queries.queue(page, PER_PAGE)
    context["waiting"] = queries.open_flag_total()
    return context


@bp.get("/")
@moderator_required
def queue() -> Response:
    return render("forum/moderation/queue.html", block="queue", **_queue_context())


def _decided(message: str) -> Response:
    if is_fragment_request():
        toast(message)
        return render("forum/moderation/queue.html", block="queue", **_queue_context())
    flash(message, "success")
    back = url_for(
        "forum_moderation.queue",
        show="hidden" if request.values.get("show") == "hidden" else None,
        page=page_arg() if page_arg() > 1 else None,
    )
    return redirect(back, code=303)


def _refused(exc: services.ModerationError) -> Response:
    if is_fragment_request():
        raise exc  # the app's handler: a toast, nothing swapped
    flash(exc.message, "danger")
    db.session.expire_all()
    return render("forum/moderation/queue.html", status=exc.status, **_queue_context())


@bp.post("/posts/<int:post_id>/dismiss")
@moderator_required
def dismiss(post_id: int) -> Response:
    try:
        services.dismiss_flags(current_user, post_id)
    except services.ModerationError as exc:
        return _refused(exc)
    return _decided(_("Flags dismissed: the post stays."))


@bp.post("/posts/<int:post_id>/hide")
@moderator_required
def hide(post_id: int) -> Response:
    try:
        services.hide_post(current_user, post_id, ReasonForm().reason.data)
    except services.ModerationError as exc:
        return _refused(exc)
    return _decided(_("The post is hidden. Its author has been told why."))


@bp.post("/posts/<int:post_id>/delete")
@moderator_required
def delete(post_id: int) -> Response:
    try:
        services.delete_post(current_user, post_id, ReasonForm().reason.data)
    except services.ModerationError as exc:
        return _refused(exc)
    return _decided(_("The post is deleted."))


@bp.post("/posts/<int:post_id>/restore")
@moderator_required
def restore(post_id: int) -> Response:
    try:
        services.restore_post(current_user, post_id)
    except services.ModerationError as exc:
        return _refused(exc)
    return _decided(_("The post is visible again."))


# The log --------------------------------------------------------------------------------------


@bp.get("/log")
@moderator_required
def log() -> Response:
    actions = queries.log_actions()
    action = request.args.get("action") or None
    if action not in actions:
        action = None  # an unknown filter shows everything rather than failing
    pagination = queries.log_page(page_arg(), PER_PAGE, action)
    rows = list(pagination.items)
    return render(
        "forum/moderation/log.html",
        block="log",
        pagination=pagination,
        rows=rows,
        action=action,
        actions=actions,
        topics=queries.topics_by_id({row.topic_id for row in rows if row.topic_id}),
        posts=queries.posts_by_id({row.post_id for row in rows if row.post_id}),
    )
