"""What caused each ledger entry, in words, for the person's "My points" page.

The ledger knows a cause by its columns (a referral and stage, a badge key, an HR adjustment);
the rooms above it know their own causes better and register a describer
(`perks` names the perk an entry spent on, `badges` the badge by its name). A describer gets one
page of entries and returns a Cause for those it knows, in a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from community.core.links import url
from community.core.localized import localized
from community.extensions import db
from community.pipeline import Stage
from community.pipeline.reasons import RejectReason
from community.points.models import REVERSED, PointEntry, PointKind
from community.referrals.models import Referral


@dataclass(frozen=True)
class Cause:
    """An entry's cause: an icon, a line of text, optionally a stage badge after it, a detail
    line, and a link (with a note beside it)."""

    icon: str
    text: str
    stage: Stage | None = None
    detail: str | None = None
    link: str | None = None
    link_text: str | None = None
    link_note: str | None = None


Describer = Callable[[list[PointEntry]], dict[int, Cause]]
_DESCRIBERS: list[Describer] = []


def register(describer: Describer) -> None:
    """Add a describer; later ones win for the entries they describe."""
    if describer not in _DESCRIBERS:
        _DESCRIBERS.append(describer)


# Why a referral's points were reversed, by the reject reason code its reversals keep.
_REVERSED_BECAUSE: dict[str, LazyString] = {
    RejectReason.DUPLICATE: _l("Points reversed: the referral was found to be a duplicate"),
    RejectReason.SELF_REFERRAL: _l("Points reversed: a referral of oneself does not count"),
}


def _referral_text(entry: PointEntry) -> str:
    if entry.reverses_id is None:
        return _("Your referral reached")
    code = (entry.reason or "").removeprefix(REVERSED)
    because = _REVERSED_BECAUSE.get(code)
    return str(because) if because is not None else _("Points reversed")


def _referrals(entries: list[PointEntry]) -> dict[int, Cause]:
    ids = {e.referral_id for e in entries if e.referral_id}
    if not ids:
        return {}
    referrals = {
        r.id: r
        for r in db.session.scalars(
            select(Referral)
            .options(joinedload(Referral.candidate), joinedload(Referral.job))
            .where(Referral.id.in_(ids))
        )
    }
    found: dict[int, Cause] = {}
    for entry in entries:
        referral = referrals.get(entry.referral_id or 0)
        if referral is not None:
            found[entry.id] = Cause(
                "bi-person-plus" if entry.reverses_id is None else "bi-arrow-counterclockwise",
                _referral_text(entry),
                stage=entry.stage,
                link=url("referrals.detail", referral_id=referral.id),
                link_text=referral.candidate.name,
                link_note=localized(referral.job, "title"),
            )
    return found


def _adjustment(entry: PointEntry) -> Cause:
    name = entry.actor.shown_name if entry.actor else _("HR")
    detail = _("Reason: %(reason)s", reason=entry.reason) if entry.reason else None
    return Cause("bi-sliders", _("Adjusted by %(name)s (HR)", name=name), detail=detail)


def causes_for(entries: list[PointEntry]) -> dict[int, Cause]:
    """Each entry's cause (entries without a known one fall back to their reason)."""
    found: dict[int, Cause] = {}
    for entry in entries:
        if entry.kind == PointKind.ADJUSTMENT:
            found[entry.id] = _adjustment(entry)
        elif entry.badge_key:
            found[entry.id] = Cause("bi-award", _("Badge earned: %(badge)s", badge=entry.badge_key))
    found.update(_referrals(entries))
    for describer in _DESCRIBERS:
        found.update(describer(entries))
    return found
