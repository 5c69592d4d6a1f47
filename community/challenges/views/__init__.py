"""The challenge pages: what everyone reads (`pages`: the list, a challenge, the office screen,
joining) and what hosts and HR do (`manage`: the form, prizes, approval, cancel, extend,
disqualify, the host's view). One blueprint, `challenges`."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("challenges", __name__, url_prefix="/challenges")

from community.challenges.views import manage, pages  # noqa: E402,F401  (routes on bp)
