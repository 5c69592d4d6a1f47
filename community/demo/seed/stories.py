"""How a demo referral unfolds: the named stories (the stages it goes through and how long ago),
the mix of stories dealt out at random, the days between two steps, and the timeline of one
story for one job."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from community.demo.data.referral_texts import (
    DECLINED_OFFER_REASON,
    OFFER_REJECTION_REASON,
    PAUSED_REASON,
)
from community.demo.seed.backdating import OFFICE_HOURS, SUBMISSION_HOURS, at_hour
from community.jobs.models import Job
from community.referrals.models import Stage

HISTORY_DAYS = 240  # the oldest referral started about eight months ago


@dataclass(frozen=True)
class Story:
    """How one referral unfolds: the stages after "submitted", how many days ago the last of them
    happened (a range), whether the hire later left, and a fixed reason for a closing step."""

    path: tuple[Stage, ...]
    last_step_days_ago: tuple[float, float]
    left_company: bool = False
    reason: str | None = None


_SCREEN = (Stage.SCREENING,)
_TO_INTERVIEW = (Stage.SCREENING, Stage.INTERVIEWING)
_TO_OFFER = (*_TO_INTERVIEW, Stage.OFFER)
_TO_HIRE = (*_TO_OFFER, Stage.HIRED)
_FRESH = (0.05, 1.0)  # moved within the last day: still within the review SLA
_OVERDUE = (8.0, 16.0)  # waiting longer than the SLA (3 working days) allows
_PAST = (3.0, 200.0)

STORIES: dict[str, Story] = {
    "submitted_fresh": Story((), _FRESH),
    "submitted_overdue": Story((), _OVERDUE),
    "screening_fresh": Story(_SCREEN, _FRESH),
    "screening_overdue": Story(_SCREEN, _OVERDUE),
    "interviewing_fresh": Story(_TO_INTERVIEW, _FRESH),
    "interviewing_fast_track": Story((Stage.INTERVIEWING,), _FRESH),
    "interviewing_overdue": Story(_TO_INTERVIEW, _OVERDUE),
    "offer_fresh": Story(_TO_OFFER, _FRESH),
    "offer_overdue": Story(_TO_OFFER, _OVERDUE),
    "hired": Story(_TO_HIRE, (8.0, 80.0)),  # still in probation (about three months)
    "hired_then_left": Story(_TO_HIRE, (75.0, 140.0), left_company=True),
    "probation_passed": Story((*_TO_HIRE, Stage.PROBATION_PASSED), (3.0, 100.0)),
    "rejected_on_review": Story((Stage.REJECTED,), _PAST),
    "rejected_at_screening": Story((*_SCREEN, Stage.REJECTED), _PAST),
    "rejected_after_interview": Story((*_TO_INTERVIEW, Stage.REJECTED), _PAST),
    "rejected_at_offer": Story((*_TO_OFFER, Stage.REJECTED), _PAST, reason=OFFER_REJECTION_REASON),
    "withdrawn_early": Story((Stage.WITHDRAWN,), _PAST),
    "withdrawn_at_screening": Story((*_SCREEN, Stage.WITHDRAWN), _PAST),
    "withdrawn_at_interview": Story((*_TO_INTERVIEW, Stage.WITHDRAWN), _PAST),
    "declined_offer": Story((*_TO_OFFER, Stage.WITHDRAWN), _PAST, reason=DECLINED_OFFER_REASON),
    # Withdrawn long enough ago that the same referrer can refer the candidate again.
    "paused_for_project": Story((Stage.WITHDRAWN,), (90.0, 140.0), reason=PAUSED_REASON),
}

# The stories of the candidates SCRIPTED_REFERRALS does not fix, dealt out at random.
STORY_MIX = [
    ("submitted_fresh", 5),
    ("submitted_overdue", 4),
    ("screening_fresh", 3),
    ("screening_overdue", 4),
    ("interviewing_fresh", 2),
    ("interviewing_fast_track", 2),
    ("interviewing_overdue", 4),
    ("offer_fresh", 2),
    ("offer_overdue", 2),
    ("hired", 3),
    ("hired_then_left", 1),
    ("probation_passed", 5),
    ("rejected_on_review", 3),
    ("rejected_at_screening", 4),
    ("rejected_after_interview", 3),
    ("rejected_at_offer", 1),
    ("withdrawn_early", 2),
    ("withdrawn_at_screening", 1),
    ("withdrawn_at_interview", 2),
    ("declined_offer", 2),
]

# Days between two steps (uniform range). Referrals are reviewed first, so screening is quick.
STEP_DAYS = {
    (Stage.SUBMITTED, Stage.SCREENING): (0.1, 2.0),
    (Stage.SUBMITTED, Stage.INTERVIEWING): (1.0, 3.0),
    (Stage.SCREENING, Stage.INTERVIEWING): (2.0, 6.0),
    (Stage.INTERVIEWING, Stage.OFFER): (6.0, 18.0),
    (Stage.OFFER, Stage.HIRED): (14.0, 35.0),  # notice period
    (Stage.HIRED, Stage.PROBATION_PASSED): (88.0, 95.0),  # three months of probation
}
CLOSING_DAYS = {Stage.REJECTED: (1.0, 8.0), Stage.WITHDRAWN: (1.0, 12.0)}


def timeline(
    rng: random.Random, story: Story, job: Job, now: datetime, not_before: datetime | None = None
) -> list[datetime] | None:
    """When each step of `story` happened, oldest first; None when the job is too young for it."""
    gaps = []
    previous = Stage.SUBMITTED
    for stage in story.path:
        low, high = CLOSING_DAYS.get(stage) or STEP_DAYS[(previous, stage)]
        gaps.append(rng.uniform(low, high))
        previous = stage
    total = sum(gaps)
    earliest = max(now - timedelta(days=HISTORY_DAYS), (job.opened_at or now) + timedelta(days=1))
    if not_before is not None:
        earliest = max(earliest, not_before + timedelta(days=1))
    oldest_last_step = (now - earliest).total_seconds() / 86400 - total
    low, high = story.last_step_days_ago
    if oldest_last_step < low:
        return None
    last_step = now - timedelta(days=rng.uniform(low, min(high, oldest_last_step)))
    raw = [last_step - timedelta(days=total)]
    for gap in gaps:
        raw.append(raw[-1] + timedelta(days=gap))
    moments = [at_hour(rng, raw[0], SUBMISSION_HOURS, None, now)]
    for moment in raw[1:]:
        moments.append(at_hour(rng, moment, OFFICE_HOURS, moments[-1], now))
    return moments
