"""A place in a ranking as the reader says it: "1st", "2nd", "23rd" in English, "第1名" in
Chinese. One message per English suffix, so each language chooses its own form."""

from __future__ import annotations

from flask_babel import gettext as _


def place_label(rank: int) -> str:
    """`rank` (1 = first) as an ordinal place in the reader's language."""
    if rank % 100 in (11, 12, 13):
        return _("%(num)sth", num=rank)
    last = rank % 10
    if last == 1:
        return _("%(num)sst", num=rank)
    if last == 2:
        return _("%(num)snd", num=rank)
    if last == 3:
        return _("%(num)srd", num=rank)
    return _("%(num)sth", num=rank)
