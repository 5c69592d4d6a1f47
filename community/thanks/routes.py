"""The thanks wall (公开感谢): everyone reads it and reacts to colleagues' cards; HR posts
announcements and hides posts. Thin: parse → service → render."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from community.core.htmx import is_fragment_request, render, toast
from community.core.params import page_arg
from community.core.permissions import hr_required
from community.thanks import labels, queries, services
from community.thanks.forms import AnnouncementForm, HideForm
from community.thanks.models import ThanksPost

bp = Blueprint("thanks", __name__, url_prefix="/thanks")

PER_PAGE = 10


@bp.record_once
def _template_globals(state: Any) -> None:
    state.app.jinja_env.globals.update(
        thanks_headline=labels.headline,
        thanks_card_headline=labels.card_headline,
        thanks_reason=labels.reason,
        thanks_reaction_label=labels.reaction_label,
        thanks_reaction_choices=list(labels.REACTION_ICONS.items()),
        thanks_hide_form=lambda: HideForm(formdata=None),
    )


def _context(form: AnnouncementForm | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "page": queries.card_page(page_arg(), PER_PAGE, current_user.id),
        "form": form or AnnouncementForm(formdata=None),
        **extra,
    }


def _back_to_wall(post: ThanksPost, card: queries.Card | None = None) -> Response:
    page = page_arg()
    anchor = f"thanks-card-{card.key}" if card else f"thanks-{post.id}"
    return redirect(url_for("thanks.index", page=page if page > 1 else None, _anchor=anchor))


@bp.get("/")
def index() -> Response:
    # "Load more" asks htmx for the next page's cards only.
    return render("thanks/index.html", block="posts", **_context())


@bp.post("/announcements")
@hr_required
def announce() -> Response:
    form = AnnouncementForm()
    try:
        services.post_announcement(current_user, form.title.data, form.body.data)
    except services.ThanksError as exc:
        if exc.field in ("title", "body"):
            form[exc.field].errors = [exc.message]
        if is_fragment_request():
            toast(exc.message, "danger")
        else:
            flash(exc.message, "danger")
        return render("thanks/index.html", block="board", status=exc.status, **_context(form))
    message = _("Announcement posted. Everyone has been notified.")
    if is_fragment_request():
        toast(message, "success")
        return render("thanks/index.html", block="board", **_context())
    flash(message, "success")
    return redirect(url_for("thanks.index"))


@bp.post("/<int:post_id>/react")
def react(post_id: int) -> Response:
    """A colleague's reaction to a card (kept on its post `post_id`), or "none" to take it back.
    Refusals (an unknown reaction: 400; one's own thanks: 403; a hidden post: 404) are answered
    by the app's domain-error handler, in the reader's language."""
    post = queries.get_post(post_id)
    services.react(post, current_user, services.parse_reaction(request.form.get("reaction")))
    card = queries.card_of(post, current_user.id)
    if is_fragment_request() and card is not None:
        return render("thanks/_reactions.html", card=card)
    return _back_to_wall(post, card)


@bp.get("/<int:post_id>/hide")
@hr_required
def confirm_hide(post_id: int) -> Response:
    """The confirm step without JavaScript: the post, what hiding does, the reason asked for."""
    post = queries.get_post(post_id)
    return render("thanks/hide.html", post=post, form=HideForm(formdata=None), error=None)


@bp.post("/<int:post_id>/hide")
@hr_required
def hide(post_id: int) -> Response:
    post = queries.get_post(post_id)
    form = HideForm()
    try:
        services.hide_post(post, current_user, form.reason.data)
    except services.ThanksError as exc:
        if not is_fragment_request():
            return render(
                "thanks/hide.html", status=exc.status, post=post, form=form, error=exc.message
            )
        toast(exc.message, "danger")
        card = queries.card_of(post, current_user.id)
        if card is None:  # hidden already, and nothing else on its card: off the wall too
            return Response("", status=exc.status)
        return render(
            "thanks/_card.html",
            status=exc.status,
            card=card,
            wall=True,
            hide_errors={post.id: exc.message},
            hide_forms={post.id: form},
        )
    message = _("Post hidden from the thanks wall.")
    if not is_fragment_request():
        flash(message, "success")
        return redirect(url_for("thanks.index"))
    toast(message, "success")
    card = queries.card_of(post, current_user.id)
    if card is None:
        return Response("", status=200)  # the card disappears from the wall
    return render("thanks/_card.html", card=card, wall=True)  # the rest of the card stays
