"""Personal links and the referral code (内推码): each employee's code, a link for all open jobs
and one per job (short URLs and QR codes), the public job pages where a candidate applies with
their consent — the application becoming the employee's referral through the referral spine
(`referrals.services.submit_application`) — and the abuse rules around them: rate limits per
link and per visitor, a honeypot, links their owner or HR switch off, visitors counted without
keeping an address (`links.counting`)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from community.links import permissions
    from community.links.views import bp

    app.register_blueprint(bp)
    permissions.init_app(app)
