"""The session pages: what everyone does (`pages`: the list, a session, answering, the
invitation, the slides, checking in, one's calendar feed) and what hosts and HR do (`host`: the
form, cancelling, the attendance list and its check-in code, slides and recording). One
blueprint, `sharing`."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("sharing", __name__, url_prefix="/sharing")

from community.sharing.views import host, pages  # noqa: E402,F401  (routes on bp)
