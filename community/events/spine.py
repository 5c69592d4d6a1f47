"""Events of the referral spine and of people."""

from __future__ import annotations

from datetime import date, datetime

from community.events.bus import Event, _event
from community.pipeline import Stage

# The referral spine -------------------------------------------------------------------------


@_event("referral-submitted")
class ReferralSubmitted(Event):
    """An employee referred a candidate (`referrals.services.submit_referral`), or a candidate
    applied through an employee's personal link, referral code or invitation and the application
    became a referral the employee owns (`referrals.services.submit_application`).

    `reviewer_ids`: the people who may review it (active HR other than the referrer).
    `source`: how it came (`referrals.models.ReferralSource`: "form", "link", "code", "invite").
    Listeners: badges (first referral, streaks), notifications (tell the reviewers; and the
    referrer, when the candidate applied themselves).
    """

    referral_id: int
    referrer_id: int
    referrer_name: str
    job_id: int
    job_title: str
    candidate_name: str
    reviewer_ids: tuple[int, ...]
    at: datetime
    source: str = "form"


@_event("stage-advanced")
class StageAdvanced(Event):
    """HR (or the referrer, to withdraw) moved a referral to `to_stage`
        (`referrals.services.advance_stage`). The referral row and its history are already written.

        `rules_id`: the program rules the referral was submitted under. `accepted`: the referral left
        "submitted" for the pipeline, which is when its submission earns points. `start_date`: the
        hire's first working day, given by HR with the move to "hired" and carried on every later
        move of a hired referral (None before); the bonus schedule is counted from it. `feedback`
        `reason` and `reason_code` (`pipeline.reasons`): what HR wrote for the referrer and the reason
    chosen from the list (never the internal note), shown in their inbox.
        Listeners: points (stage points), badges (rules), payouts (the stage's bonus share, due on
        a date counted from `start_date`), notifications (tell the referrer, unless they moved it
        themselves).
    """

    referral_id: int
    referrer_id: int
    actor_id: int
    job_id: int
    job_title: str
    job_hard_to_fill: bool
    candidate_name: str
    rules_id: int | None
    from_stage: Stage
    to_stage: Stage
    has_feedback: bool
    at: datetime
    start_date: date | None = None
    feedback: str | None = None
    reason: str | None = None
    reason_code: str | None = None

    @property
    def accepted(self) -> bool:
        return self.from_stage == Stage.SUBMITTED and self.to_stage not in (
            Stage.REJECTED,
            Stage.WITHDRAWN,
        )


@_event("hire-confirmed")
class HireConfirmed(Event):
    """A referral reached "hired" (published with its StageAdvanced, after it). For the rooms
    that count hires rather than stages: challenges and analytics (wave 2). `hired_on`: the day
    HR confirmed the hire; `start_date`: the hire's first working day, as HR gave it."""

    referral_id: int
    referrer_id: int
    job_id: int
    hired_on: date
    at: datetime
    start_date: date | None = None


@_event("hire-left")
class HireLeft(Event):
    """HR recorded that a hired referral left the company on `left_on`
    (`referrals.services.record_left_company`). `start_date`: the hire's first working day.
    Listeners: payouts (cancel the later shares), notifications (tell the referrer)."""

    referral_id: int
    referrer_id: int
    actor_id: int
    job_title: str
    candidate_name: str
    left_on: date
    at: datetime
    start_date: date | None = None


@_event("interview-feedback-added")
class InterviewFeedbackAdded(Event):
    """The job's hiring manager added interview feedback on a referral
    (`referrals.services.add_interview_feedback`). The text itself stays on the referral, for HR.
    `reviewer_ids`: active HR other than the referrer. Listeners: notifications (tell HR)."""

    referral_id: int
    author_name: str
    job_title: str
    candidate_name: str
    reviewer_ids: tuple[int, ...]
    at: datetime


@_event("job-opened")
class JobOpened(Event):
    """HR opened a job: a draft published, or a closed job reopened (`jobs.services.open_job`,
    and `create_job` with `open_now`). `title`, `title_en`: its title in both languages (None
    when it has no English). Listeners: network (scan the referrers' private networks for
    contacts who may fit, on the worker)."""

    job_id: int
    title: str
    title_en: str | None
    actor_id: int | None
    at: datetime


@_event("job-closed")
class JobClosed(Event):
    """HR closed an open job: it takes no more referrals (`jobs.services.close_job`).
    Listeners: invites (its open invitations expire, so nobody is reminded of a closed job)."""

    job_id: int
    actor_id: int | None
    at: datetime


# People -------------------------------------------------------------------------------------

# What of a person the leaderboards show or depend on (`PersonChanged.fields`).
SHOWN_FIELDS = frozenset(
    {"name", "display_name", "department_id", "role", "leaderboard_opt_out", "is_active_account"}
)


@_event("person-changed")
class PersonChanged(Event):
    """A person's name, department, role, opt-out or activation changed (`accounts.services`).
    `fields` names what changed (a subset of SHOWN_FIELDS).
    Listeners: leaderboards (move them between the shown and hidden boards)."""

    user_id: int
    fields: frozenset[str]
    at: datetime
