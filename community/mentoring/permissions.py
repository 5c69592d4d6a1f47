"""Who may do what with a pairing, as named predicates for the services, views and templates.

A pairing is private to its two people and HR: nobody else — a manager included — sees that it
exists, so every other person gets a 404 for it, never a 403.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from community.core.permissions import expose, is_hr
from community.mentoring.models import Pairing, PairingStatus


def _signed_in(user: Any) -> bool:
    return bool(user and user.is_authenticated)


def in_pair(user: Any, pairing: Pairing) -> bool:
    return _signed_in(user) and user.id in (pairing.mentor_id, pairing.mentee_id)


def can_view_pairing(user: Any, pairing: Pairing) -> bool:
    """The pair and HR; nobody else (managers neither)."""
    return in_pair(user, pairing) or is_hr(user)


def can_read_notes(user: Any, pairing: Pairing) -> bool:
    return can_view_pairing(user, pairing)


def can_write_note(user: Any, pairing: Pairing) -> bool:
    """Check-ins are the pair's own, while the pairing runs."""
    return in_pair(user, pairing) and pairing.status == PairingStatus.ACTIVE


def can_answer_request(user: Any, pairing: Pairing) -> bool:
    return (
        _signed_in(user)
        and user.id == pairing.mentor_id
        and pairing.status == PairingStatus.REQUESTED
    )


def can_withdraw_request(user: Any, pairing: Pairing) -> bool:
    return (
        _signed_in(user)
        and user.id == pairing.mentee_id
        and pairing.status == PairingStatus.REQUESTED
    )


def can_steer_pairing(user: Any, pairing: Pairing) -> bool:
    """Set the goal and the end date, mark the goal reached, end it: the pair or HR."""
    return can_view_pairing(user, pairing) and pairing.status == PairingStatus.ACTIVE


def can_choose_sharing(user: Any, pairing: Pairing) -> bool:
    """What of the mentee's progress the mentor sees is the mentee's choice alone."""
    return _signed_in(user) and user.id == pairing.mentee_id


def sees_progress(user: Any, pairing: Pairing) -> bool:
    """The mentee and HR see the mentee's progress; the mentor what the mentee shares."""
    if not _signed_in(user):
        return False
    if user.id == pairing.mentee_id or is_hr(user):
        return True
    return user.id == pairing.mentor_id and (pairing.share_referral_count or pairing.share_stages)


def init_app(app: Flask) -> None:
    expose(
        app,
        can_view_pairing,
        can_read_notes,
        can_write_note,
        can_answer_request,
        can_withdraw_request,
        can_steer_pairing,
        can_choose_sharing,
    )
