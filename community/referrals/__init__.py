"""Referrals: submission, the pipeline HR moves them through, and what the referrer follows."""

from __future__ import annotations

from datetime import datetime

from flask import Flask


def sweep_held_resumes_duty(now: datetime) -> int:
    """The worker's minute: résumés held from forms that were not accepted go once stale."""
    from community.referrals import resumes

    return resumes.sweep_held_resumes()


def init_app(app: Flask) -> None:
    from community.worker import duties

    duties.register(
        duties.Duty(
            "referrals.sweep-resumes",
            sweep_held_resumes_duty,
            "remove résumés held from referral forms that were not accepted, once older than "
            "RESUME_KEEP_MINUTES",
        )
    )
