"""Stage names in the reader's language, for pages, notifications and the thanks wall."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from community.pipeline.stages import Stage

STAGE_LABELS: dict[Stage, LazyString] = {
    Stage.SUBMITTED: _l("Submitted"),
    Stage.SCREENING: _l("Screening"),
    Stage.INTERVIEWING: _l("Interviewing"),
    Stage.OFFER: _l("Offer"),
    Stage.HIRED: _l("Hired"),
    Stage.PROBATION_PASSED: _l("Probation passed"),
    Stage.REJECTED: _l("Not moving forward"),
    Stage.WITHDRAWN: _l("Withdrawn"),
}


def stage_label(stage: Stage | str) -> str:
    """The stage's name now, in the reader's language (ValueError for an unknown stage)."""
    return str(STAGE_LABELS[Stage(stage)])
