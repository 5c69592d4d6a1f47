"""How the perk shop explains its ledger entries on "My points": what a spend bought, and why
a refund came back (`points.causes`)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from community.extensions import db
from community.perks.models import Redemption
from community.points.causes import Cause, register
from community.points.models import PointEntry, PointKind


def describe(entries: list[PointEntry]) -> dict[int, Cause]:
    ids = [e.id for e in entries if e.kind in (PointKind.SPENT, PointKind.REFUNDED)]
    if not ids:
        return {}
    found: dict[int, Cause] = {}
    for redemption in db.session.scalars(
        select(Redemption)
        .options(joinedload(Redemption.perk))
        .where(or_(Redemption.spent_entry_id.in_(ids), Redemption.refund_entry_id.in_(ids)))
    ):
        perk = redemption.perk.name
        if redemption.spent_entry_id in ids:
            found[redemption.spent_entry_id] = Cause(
                "bi-bag-check", _("Redeemed %(perk)s", perk=perk)
            )
        if redemption.refund_entry_id in ids:
            found[redemption.refund_entry_id] = Cause(  # type: ignore[index]
                "bi-arrow-counterclockwise",
                _("Refund: HR rejected your redemption of %(perk)s", perk=perk),
                detail=_("Reason: %(reason)s", reason=redemption.reject_reason or ""),
            )
    return found


def init_app() -> None:
    register(describe)
