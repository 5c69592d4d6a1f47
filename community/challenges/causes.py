"""How a challenge explains its ledger entries on "My points": a multiplier bonus (or its
taking back) and a prize, each naming the challenge in the reader's language
(`points.causes`)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from community.challenges.models import Challenge
from community.core.links import url
from community.core.localized import localized
from community.extensions import db
from community.points.causes import Cause, register
from community.points.models import PointEntry

PREFIX = "challenge:"


def describe(entries: list[PointEntry]) -> dict[int, Cause]:
    ours = {e.id: e for e in entries if e.idempotency_key.startswith(PREFIX)}
    if not ours:
        return {}
    ids = {int(e.idempotency_key.split(":")[1]) for e in ours.values()}
    challenges = {
        c.id: c for c in db.session.scalars(select(Challenge).where(Challenge.id.in_(ids)))
    }
    found: dict[int, Cause] = {}
    for entry in ours.values():
        challenge = challenges.get(int(entry.idempotency_key.split(":")[1]))
        if challenge is None:
            continue
        title = localized(challenge, "title")
        link = url("challenges.detail", challenge_id=challenge.id)
        if ":prize:" in entry.idempotency_key:
            found[entry.id] = Cause(
                "bi-trophy", _("Prize won in a challenge"), link=link, link_text=title
            )
        elif entry.amount > 0:
            found[entry.id] = Cause(
                "bi-lightning-charge",
                _("Challenge bonus (×%(times)s)", times=f"{challenge.multiplier_percent / 100:g}"),
                stage=entry.stage,
                link=link,
                link_text=title,
            )
        else:
            found[entry.id] = Cause(
                "bi-arrow-counterclockwise",
                _("Challenge bonus taken back"),
                detail=_(
                    "The challenge was cancelled, you were disqualified, or the referral's "
                    "points were reversed."
                ),
                link=link,
                link_text=title,
            )
    return found


def init_app() -> None:
    register(describe)
