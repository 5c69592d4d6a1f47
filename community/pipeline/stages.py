"""Stages of a referral and the moves between them."""

from __future__ import annotations

import enum


class Stage(enum.StrEnum):
    SUBMITTED = "submitted"
    SCREENING = "screening"
    INTERVIEWING = "interviewing"
    OFFER = "offer"
    HIRED = "hired"
    PROBATION_PASSED = "probation_passed"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def is_terminal(self) -> bool:
        return self in (Stage.PROBATION_PASSED, Stage.REJECTED, Stage.WITHDRAWN)

    @property
    def is_hired(self) -> bool:
        """Hired (or past probation): the referral can no longer be rejected or withdrawn."""
        return self in (Stage.HIRED, Stage.PROBATION_PASSED)

    @property
    def is_closed_unsuccessfully(self) -> bool:
        return self in (Stage.REJECTED, Stage.WITHDRAWN)


# The forward path; a referral only ever moves right along it (or out to rejected / withdrawn).
PIPELINE: tuple[Stage, ...] = (
    Stage.SUBMITTED,
    Stage.SCREENING,
    Stage.INTERVIEWING,
    Stage.OFFER,
    Stage.HIRED,
    Stage.PROBATION_PASSED,
)
# Stages whose time in the queue is bounded by the review SLA.
SLA_STAGES = frozenset({Stage.SUBMITTED, Stage.SCREENING, Stage.INTERVIEWING, Stage.OFFER})
# Reached the interview or beyond.
INTERVIEWED = frozenset(PIPELINE[PIPELINE.index(Stage.INTERVIEWING) :])
# Still on the way (not past probation, not closed).
IN_FLIGHT: tuple[Stage, ...] = PIPELINE[:-1]


def position(stage: Stage) -> int:
    """Where `stage` lies on the forward path (rejected and withdrawn lie past its end)."""
    return PIPELINE.index(stage) if stage in PIPELINE else len(PIPELINE)


def is_forward(stage: Stage, to_stage: Stage) -> bool:
    """Whether `to_stage` lies further along the forward path than `stage`."""
    return to_stage in PIPELINE and position(to_stage) > position(stage)


def next_stages(stage: Stage, *, left_company: bool = False) -> list[Stage]:
    """The forward stages a referral at `stage` may move to: the next one, and straight to the
    interview from submitted (referrals may skip first screening, the seed's promise). A hire
    who left the company cannot pass probation."""
    if stage.is_terminal or stage not in PIPELINE:
        return []
    following = PIPELINE.index(stage) + 1
    options = [PIPELINE[following]] if following < len(PIPELINE) else []
    if stage == Stage.SUBMITTED:
        options.append(Stage.INTERVIEWING)
    if left_company:
        options = [s for s in options if s != Stage.PROBATION_PASSED]
    return options
