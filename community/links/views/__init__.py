"""The links room's pages: what candidates open without an account (`candidates`: the public
jobs page, a referrer's all-jobs and job pages, applying, the thank-you and the privacy notice)
and what employees and HR do (`employees`: "My links" with QR codes, switching links off and on,
HR's list of codes). One blueprint, `links`."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("links", __name__)

from community.links.views import candidates, employees  # noqa: E402,F401  (routes on bp)
