"""A line of a challenge's change log in words, as one reader may see it.

Everyone reads every change with who made it and when; a disqualification (or reinstatement)
names the person and the reason only for HR and for that person — others read that an entry
was disqualified.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import LazyString, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from community.accounts.models import User
from community.challenges.models import ChallengeChange, ChangeKind
from community.core.i18n import join_names
from community.core.permissions import is_hr


def field_labels() -> dict[str, LazyString]:
    """The fields of a challenge as an edit line names them."""
    return {
        "title": _l("title"),
        "title_en": _l("English title"),
        "description": _l("description"),
        "description_en": _l("English description"),
        "starts_at": _l("start"),
        "ends_at": _l("end"),
        "people_scope": _l("who takes part"),
        "department_ids": _l("departments"),
        "job_ids": _l("jobs"),
        "job_families": _l("job families"),
        "metric": _l("what it ranks by"),
        "quality_min_referrals": _l("minimum referrals"),
        "team_mode": _l("team table"),
        "multiplier_percent": _l("multiplier"),
        "multiplier_job_ids": _l("jobs of the multiplier"),
        "settlement_days": _l("settlement period"),
    }


def _when(value: object) -> str:
    try:
        return format_datetime(datetime.fromisoformat(str(value)), "short")
    except ValueError:
        return ""


def describe(
    change: ChallengeChange, viewer: User, names: dict[int, str], tiers: dict[int, str]
) -> tuple[str, str]:
    """(the line, a reason to show under it or "")."""
    detail = change.detail or {}
    actor = names.get(change.actor_id or 0, _("Someone"))
    kind = change.kind
    if kind == ChangeKind.CREATED:
        return _("%(actor)s created the challenge", actor=actor), ""
    if kind == ChangeKind.EDITED:
        known = field_labels()
        fields = [str(known[name]) for name in detail.get("fields", []) if name in known]
        if not fields:
            return _("%(actor)s edited the challenge", actor=actor), ""
        return _("%(actor)s changed the %(fields)s", actor=actor, fields=join_names(fields)), ""
    if kind == ChangeKind.SUBMITTED:
        return _("%(actor)s sent the challenge to HR for approval", actor=actor), ""
    if kind == ChangeKind.APPROVED:
        return _("%(actor)s approved the challenge", actor=actor), ""
    if kind == ChangeKind.SCHEDULED:
        return _("%(actor)s scheduled the challenge", actor=actor), ""
    if kind == ChangeKind.LIVE:
        return _("The challenge started"), ""
    if kind == ChangeKind.EXTENDED:
        return (
            _(
                "%(actor)s extended the end from %(old)s to %(new)s",
                actor=actor,
                old=_when(detail.get("old")),
                new=_when(detail.get("new")),
            ),
            "",
        )
    if kind == ChangeKind.PRIZE_ADDED:
        tier = tiers.get(change.id)
        if tier:
            return _("%(actor)s added a prize: %(tier)s", actor=actor, tier=tier), ""
        return _("%(actor)s added a prize", actor=actor), ""
    if kind == ChangeKind.PRIZE_REMOVED:
        tier = tiers.get(change.id) or ""
        return _("%(actor)s removed a prize: %(tier)s", actor=actor, tier=tier), ""
    if kind == ChangeKind.ENDED:
        return _("The challenge ended; events of its referrals count until the results"), ""
    if kind == ChangeKind.FINAL:
        return _("The results are final and the prizes awarded"), ""
    if kind == ChangeKind.CANCELLED:
        return _("%(actor)s cancelled the challenge", actor=actor), str(detail.get("reason") or "")
    if kind in (ChangeKind.DISQUALIFIED, ChangeKind.REINSTATED):
        return _entry_line(kind, detail, viewer, actor, names)
    return _("%(actor)s changed the challenge", actor=actor), ""


def _entry_line(
    kind: ChangeKind, detail: dict[str, object], viewer: User, actor: str, names: dict[int, str]
) -> tuple[str, str]:
    person_id = int(str(detail.get("user_id") or 0))
    disqualified = kind == ChangeKind.DISQUALIFIED
    if person_id == viewer.id:
        if disqualified:
            return _("%(actor)s disqualified you", actor=actor), str(detail.get("reason") or "")
        return _("%(actor)s reinstated you", actor=actor), ""
    if is_hr(viewer):
        person = names.get(person_id, _("a former colleague"))
        if disqualified:
            return (
                _("%(actor)s disqualified %(person)s", actor=actor, person=person),
                str(detail.get("reason") or ""),
            )
        return _("%(actor)s reinstated %(person)s", actor=actor, person=person), ""
    if disqualified:
        return _("An entry was disqualified"), ""
    return _("An entry was reinstated"), ""
