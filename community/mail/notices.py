"""What changed in the program rules, in words, and the in-app notification that tells every
active person (kind "rules_changed", category announcements). The program room sits below
notifications and cannot register it, so the room that mails the news registers it too; both
read the same words (`change_lines`).

The changes travel as plain values (`events.ProgramRulesChanged.changes`: field, before,
after) and are worded when read, in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from community import events
from community.accounts.models import User
from community.core.links import url
from community.notifications.kinds import Notice, notify_on, register
from community.pipeline import PIPELINE, stage_label

RULES_CHANGED = "rules_changed"


def _yes_no(value: Any) -> str:
    return _("yes") if value else _("no")


def _days(value: Any) -> str:
    return ngettext("%(num)s day", "%(num)s days", int(value))


def _working_days(value: Any) -> str:
    return ngettext("%(num)s working day", "%(num)s working days", int(value))


def _months(value: Any) -> str:
    return ngettext("%(num)s month", "%(num)s months", int(value))


def _stage(stage: str) -> str:
    try:
        return stage_label(stage)
    except ValueError:
        return stage


def _split(value: Any) -> str:
    order = [stage.value for stage in PIPELINE]
    shares = sorted(
        ((str(stage), int(percent)) for stage, percent in dict(value or {}).items() if percent),
        key=lambda item: order.index(item[0]) if item[0] in order else len(order),
    )
    return ", ".join(f"{_stage(stage)} {percent}%" for stage, percent in shares) or "—"


def _multiplier(value: Any) -> str:
    return f"×{int(value) / 100:g}"


def _line(name: str, before: Any, after: Any) -> list[str]:
    """One changed field of the rules, as the lines a person reads."""

    def moved(label: str, shown: Any) -> list[str]:
        return [
            _(
                "%(what)s: %(before)s → %(after)s",
                what=label,
                before=shown(before),
                after=shown(after),
            )
        ]

    if name == "all_departments_eligible":
        return [
            _("Who may refer: everyone, in every department")
            if after
            else _("Who may refer: only the chosen departments")
        ]
    if name == "eligible_department_ids":
        return [_("The departments that may refer changed.")] if before or after else []
    if name == "ownership_window_days":
        return moved(_("Ownership window"), _days)
    if name == "review_sla_days":
        return moved(_("Review promise"), _working_days)
    if name == "bonus_split":
        return moved(_("Bonus split"), _split)
    if name == "stage_points":
        old, new = dict(before or {}), dict(after or {})
        return [
            _(
                "Points for %(stage)s: %(before)s → %(after)s",
                stage=_stage(stage.value),
                before=old.get(stage.value, 0),
                after=new.get(stage.value, 0),
            )
            for stage in PIPELINE
            if old.get(stage.value, 0) != new.get(stage.value, 0)
        ]
    if name == "hard_to_fill_multiplier_percent":
        return moved(_("Hard-to-fill multiplier"), _multiplier)
    if name == "probation_months":
        return moved(_("Probation"), _months)
    if name == "exclude_hr_from_bonus":
        return moved(_("HR staff do not earn referral bonuses"), _yes_no)
    if name == "exclude_hiring_manager_from_bonus":
        return moved(
            _("Hiring managers do not earn a bonus for referrals to their own job"), _yes_no
        )
    if name == "hiring_managers_give_interview_feedback":
        return moved(_("Hiring managers may add interview feedback"), _yes_no)
    return []  # a field added later than this wording


def change_lines(changes: Iterable[Iterable[Any]]) -> list[str]:
    """Every change of the rules as lines, in the reader's language."""
    lines: list[str] = []
    for change in changes:
        name, before, after = list(change)
        lines += _line(str(name), before, after)
    return lines


def _rules_changed(params: dict[str, Any]) -> str:
    lines = change_lines(params.get("changes") or [])
    if not lines:
        return _("HR changed the referral program rules.")
    return _("HR changed the referral program rules: %(changes)s", changes="; ".join(lines))


def rules_changed(event: events.ProgramRulesChanged) -> Notice:
    return Notice(
        RULES_CHANGED,
        to=select(User.id).where(User.is_active_account.is_(True)),
        params={"rules_id": event.rules_id, "changes": [list(change) for change in event.changes]},
        link=url("program.rules"),
        at=event.at,
    )


def init_app() -> None:
    register(RULES_CHANGED, _rules_changed)
    notify_on(events.ProgramRulesChanged, rules_changed)
