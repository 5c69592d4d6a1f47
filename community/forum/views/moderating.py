"""A moderator's acts on a topic: pin, lock, move, delete and restore (an author also deletes
their own topic while nobody has replied). Each is one line of the moderation log."""

from __future__ import annotations

from flask import Response, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from community.core.params import parse_int
from community.forum import topics
from community.forum.views import bp


def _back(topic_id: int, message: str) -> Response:
    flash(message, "success")
    return redirect(url_for("forum.topic", topic_id=topic_id), code=303)


@bp.post("/t/<int:topic_id>/pin")
def pin(topic_id: int) -> Response:
    on = request.form.get("on") == "1"
    topics.set_pinned(current_user, topic_id, on)
    return _back(topic_id, _("The topic is pinned.") if on else _("The topic is unpinned."))


@bp.post("/t/<int:topic_id>/lock")
def lock(topic_id: int) -> Response:
    on = request.form.get("on") == "1"
    topics.set_locked(current_user, topic_id, on, request.form.get("reason"))
    return _back(topic_id, _("The topic is locked.") if on else _("The topic is open again."))


@bp.post("/t/<int:topic_id>/move")
def move(topic_id: int) -> Response:
    topics.move(current_user, topic_id, parse_int(request.form.get("category_id")))
    return _back(topic_id, _("The topic is moved."))


@bp.post("/t/<int:topic_id>/delete")
def delete_topic(topic_id: int) -> Response:
    topic = topics.delete(current_user, topic_id, request.form.get("reason"))
    flash(_("The topic is deleted."), "success")
    return redirect(url_for("forum.category", slug=topic.category.slug), code=303)


@bp.post("/t/<int:topic_id>/restore")
def restore_topic(topic_id: int) -> Response:
    topics.restore(current_user, topic_id)
    return _back(topic_id, _("The topic is back."))
