"""Sections other rooms add to a referral's page, so that the page shows their part (a bonus
payout, later a challenge's multiplier) without referrals importing them.

A room registers in its `init_app`: `sections.register(Section("aside", "payouts/_x.html",
values))`; `values(referral, viewer)` returns what its template reads as `section.values`, or
None to show nothing. `detail.html` draws the sections of each slot where the slot belongs:
"summary" under the bonus line in the header, "aside" in the right-hand column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from community.accounts.models import User
from community.referrals.models import Referral

SLOTS = ("summary", "aside")


@dataclass(frozen=True)
class Section:
    slot: str
    template: str
    values: Callable[[Referral, User], dict[str, Any] | None]


@dataclass(frozen=True)
class Shown:
    """A section with its values for one page."""

    template: str
    values: dict[str, Any]


_SECTIONS: dict[tuple[str, str], Section] = {}


def register(section: Section) -> None:
    if section.slot not in SLOTS:
        raise ValueError(f"unknown slot {section.slot!r}; one of {SLOTS}")
    _SECTIONS[(section.slot, section.template)] = section


def for_page(referral: Referral, viewer: User) -> dict[str, list[Shown]]:
    """Every slot's sections with their values for `viewer` reading `referral`."""
    shown: dict[str, list[Shown]] = {slot: [] for slot in SLOTS}
    for section in _SECTIONS.values():
        values = section.values(referral, viewer)
        if values is not None:
            shown[section.slot].append(Shown(section.template, values))
    return shown
