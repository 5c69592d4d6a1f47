"""What everyone reads of the challenges: the list, a challenge (its rules, prizes, board, my
standing, team table and change log), the office screen, and "count me in". Thin: load the
challenge the reader may see (else the same 404 as a missing one) → read → render."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.routing import BuildError

from community.challenges import entries, explain, labels, queries, standings
from community.challenges.models import Challenge, ChallengeEntrant, ChallengeStatus, TeamMode
from community.challenges.permissions import is_host_or_hr
from community.challenges.rules import ChallengeError, can_host
from community.challenges.scope import is_person_in_scope
from community.challenges.views import bp
from community.core.htmx import is_fragment_request, render, toast
from community.core.localized import localized
from community.core.params import page_arg
from community.core.permissions import is_hr
from community.core.time import utcnow
from community.leaderboards.queries import shown_people

OPEN_TO_JOIN = (ChallengeStatus.SCHEDULED, ChallengeStatus.LIVE)


def load(challenge_id: int) -> Challenge:
    """The challenge the reader may see, or a 404 that reads like a missing one."""
    challenge = queries.visible(current_user, challenge_id)
    if challenge is None:
        abort(404)
    return challenge


def optional_url(endpoint: str, **values: Any) -> str | None:
    """A link to a page of the hosts' side when it exists (it is built beside these pages)."""
    if endpoint not in current_app.view_functions:
        return None
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def _block(name: str) -> str | None:
    # A history-restore request wants the whole page even though it comes from htmx.
    return None if request.headers.get("HX-History-Restore-Request") else name


def _common(challenge: Challenge) -> dict[str, Any]:
    """What every view of one challenge shows: title, status, metric and the countdown."""
    now = utcnow()
    return {
        "challenge": challenge,
        "title": localized(challenge, "title"),
        "status_label": labels.status_label(challenge.status),
        "status_tone": labels.STATUS_TONES[challenge.status],
        "metric_label": labels.metric_label(challenge.metric),
        "countdown": labels.countdown(challenge, now),
        "unit_forms": labels.unit_forms(),
        "now": now,
        "score_number": lambda score: labels.number(score, challenge.metric),
        "score_amount": lambda score: labels.amount(score, challenge.metric),
        "per_head_number": lambda value: labels.per_head_number(value, challenge.metric),
        "ordinal": labels.ordinal,
    }


@bp.get("/")
def index() -> Response:
    lists = queries.challenge_lists(current_user, page_arg())
    now = utcnow()
    podium_ids = [user_id for places in lists.podiums.values() for _rank, user_id in places]
    return render(
        "challenges/list.html",
        lists=lists,
        people=shown_people(podium_ids),
        hidden=standings.masked_for(current_user, podium_ids),
        status_labels=labels.status_labels(),
        status_tones=labels.STATUS_TONES,
        metric_labels=labels.metric_labels(),
        people_in_words=explain.people_in_words,
        jobs_in_words=explain.jobs_in_words,
        countdown=lambda challenge: labels.countdown(challenge, now),
        now=now,
        unit_forms=labels.unit_forms(),
        new_url=optional_url("challenges.new") if can_host(current_user) else None,
        approvals_url=optional_url("challenges.approvals") if is_hr(current_user) else None,
    )


def participation(challenge: Challenge, entrant: ChallengeEntrant | None) -> str:
    """Where the reader stands with the challenge: "host", "hr", "disqualified", "in",
    "join" (may say "count me in"), "closed" (in scope, but too late) or "out"."""
    if challenge.host_id == current_user.id:
        return "host"
    if is_hr(current_user):
        return "hr"
    if entrant is not None and entrant.disqualified_at is not None:
        return "disqualified"
    if entrant is not None:
        return "in"
    if not is_person_in_scope(challenge, current_user, current_user.department_id):
        return "out"
    return "join" if challenge.status in OPEN_TO_JOIN else "closed"


def _detail_context(challenge: Challenge) -> dict[str, Any]:
    prizes = queries.prize_rows(challenge)
    entrant = queries.entrant_of(challenge, current_user.id)
    context = _board_context(challenge, current_user)
    awards = queries.award_rows(challenge, prizes) if standings.shows_final(challenge) else []
    winners = [user_id for award in awards for _rank, user_id in award.winners]
    standings.name_people(context["board"], winners, current_user)
    return context | {
        "rules": explain.rule_lines(challenge),
        "prizes": prizes,
        "awards": awards,
        "entrant": entrant,
        "progress": standings.progress(challenge, entrant),
        "participation": participation(challenge, entrant),
        "changes": queries.change_lines(challenge, current_user, prizes),
        "manages": is_host_or_hr(current_user, challenge),
        "manage_url": optional_url("challenges.host", challenge_id=challenge.id),
        "description": localized(challenge, "description"),
        "error": None,
    }


def _board_context(challenge: Challenge, viewer: Any) -> dict[str, Any]:
    return _common(challenge) | {
        "board": standings.board(challenge, viewer),
        "team": standings.team_table(challenge),
        "per_head": challenge.team_mode == TeamMode.PER_HEAD,
    }


@bp.get("/<int:challenge_id>")
def detail(challenge_id: int) -> Response:
    challenge = load(challenge_id)
    block = _block("board")
    if block and is_fragment_request():  # the board's own refresh: the board alone
        return render(
            "challenges/detail.html", block=block, **_board_context(challenge, current_user)
        )
    return render("challenges/detail.html", **_detail_context(challenge))


@bp.get("/<int:challenge_id>/screen")
def screen(challenge_id: int) -> Response:
    """The office screen; its htmx refresh gets the board fragment alone."""
    challenge = load(challenge_id)
    context = _board_context(challenge, None) | {"prizes": queries.prize_rows(challenge)}
    return render("challenges/screen.html", block=_block("screen_board"), **context)


@bp.post("/<int:challenge_id>/join")
def join(challenge_id: int) -> Response:
    challenge = load(challenge_id)
    try:
        entries.join_challenge(current_user, challenge.id)
    except ChallengeError as refused:
        if is_fragment_request():
            toast(refused.message, "danger")
            response = Response(refused.message, status=refused.status)
            response.headers["HX-Reswap"] = "none"
            return response
        context = _detail_context(challenge) | {"error": refused.message}
        return render("challenges/detail.html", status=refused.status, **context)
    flash(_("You are in. Every referral you make in the window counts."), "success")
    return redirect(url_for("challenges.detail", challenge_id=challenge.id))
