"""The referral pipeline's vocabulary: its stages, their order, which move is allowed, and their
names in the reader's language. A leaf: it imports nothing of the house but `core`, so every room
(referrals, points, badges, payouts, thanks, program, notifications …) may speak of stages."""

from community.pipeline.labels import STAGE_LABELS, stage_label
from community.pipeline.stages import (
    IN_FLIGHT,
    INTERVIEWED,
    PIPELINE,
    SLA_STAGES,
    Stage,
    is_forward,
    next_stages,
    position,
)

__all__ = [
    "IN_FLIGHT",
    "INTERVIEWED",
    "PIPELINE",
    "SLA_STAGES",
    "STAGE_LABELS",
    "Stage",
    "is_forward",
    "next_stages",
    "position",
    "stage_label",
]
