"""Every domain event, declared once (Indico's signals, on Flask's own blinker).

A room that owns a fact publishes that it happened: `events.publish(StageAdvanced(...))`. The rooms
that care subscribe in their own `init_app` (`events.subscribe(StageAdvanced, award_stage_points)`),
so the publisher never imports its listeners and a new room is added without touching the old.

Rules every listener keeps:
- It runs inside the publisher's transaction, in the publisher's thread, before the commit. It
  adds rows to `db.session` and never commits; if it raises, the publisher rolls back and nothing
  of the event is written. Work that must wait for the commit (Redis) is registered with
  `core.transaction.after_commit`.
- It reads what it needs from the event; an event carries the data its listeners need, so that a
  listener does not reach into the publisher's internals (it may still load a model by its id).
- Listeners of one event run in the order they subscribed (the order of `init_app` calls in
  `create_app`), but none may rely on another having run: each writes only its own rows, and
  what it causes in turn is another event.

Each event below says who publishes it and who listens (docs/architecture.md draws the map).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, MutableSet
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar, TypeVar

from blinker import NamedSignal

from community.pipeline import Stage

E = TypeVar("E", bound="Event")


class _InOrder(MutableSet[Any]):
    """A set that iterates in insertion order: blinker then calls receivers in the order they
    connected (its default `set` calls them in an order that changes from run to run)."""

    def __init__(self, items: Iterable[Any] = ()) -> None:
        self._items = dict.fromkeys(items)

    def __contains__(self, item: object) -> bool:
        return item in self._items

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def add(self, item: Any) -> None:
        self._items[item] = None

    def discard(self, item: Any) -> None:
        self._items.pop(item, None)

    def copy(self) -> _InOrder:
        return _InOrder(self._items)


class _Signal(NamedSignal):
    set_class = _InOrder  # type: ignore[assignment]


class Event:
    """Base of every event: a frozen dataclass with its own signal."""

    signal: ClassVar[_Signal]


def _event(name: str) -> Callable[[type[E]], type[E]]:
    def declare(cls: type[E]) -> type[E]:
        cls = dataclass(frozen=True, slots=True)(cls)
        cls.signal = _Signal(name, doc=cls.__doc__)
        return cls

    return declare


@dataclass(eq=False)
class Cause:
    """The outermost event being published, while its listeners run: every event they publish in
    turn happens inside it (a hire earns points, a badge, a bonus: one cause). `info` keeps what
    a listening room gathers across the whole chain (notifications gather one message per
    person); callbacks given to `when_settled` run once every listener of the chain has run,
    still inside the publisher's transaction, so one that raises rolls everything back."""

    event: Event
    info: dict[str, Any] = field(default_factory=dict)
    settled: dict[str, Callable[[], None]] = field(default_factory=dict)

    def when_settled(self, name: str, callback: Callable[[], None]) -> None:
        """Run `callback()` when the chain is done (once per `name`)."""
        self.settled[name] = callback


_CAUSE: ContextVar[Cause | None] = ContextVar("community_event_cause", default=None)


def cause() -> Cause | None:
    """The outermost event being published now (None outside of any)."""
    return _CAUSE.get()


def publish(event: Event) -> None:
    """Run every listener of `event` now, inside the caller's transaction (see the module notes);
    an exception of a listener propagates to the publisher, which rolls back. Published from a
    listener, it happens inside the outer event's `Cause`; otherwise it is a cause itself and its
    `when_settled` callbacks run after the last listener."""
    if _CAUSE.get() is not None:
        event.signal.send(event)
        return
    outermost = Cause(event)
    token = _CAUSE.set(outermost)
    try:
        event.signal.send(event)
    finally:
        _CAUSE.reset(token)
    for callback in outermost.settled.values():
        callback()


def subscribe(event_type: type[E], listener: Callable[[E], None]) -> None:
    """Call `listener(event)` for every `event_type` published from now on (idempotent)."""
    event_type.signal.connect(listener, weak=False)


def unsubscribe(event_type: type[E], listener: Callable[[E], None]) -> None:
    event_type.signal.disconnect(listener)


def listeners(event_type: type[Event]) -> list[Callable[..., Any]]:
    """The listeners of `event_type`, in the order they run (for docs and tests)."""
    return list(event_type.signal.receivers_for(None))


# The referral spine -------------------------------------------------------------------------


@_event("referral-submitted")
class ReferralSubmitted(Event):
    """An employee referred a candidate (`referrals.services.submit_referral`).

    `reviewer_ids`: the people who may review it (active HR other than the referrer).
    Listeners: badges (first referral, streaks), notifications (tell the reviewers).
    """

    referral_id: int
    referrer_id: int
    referrer_name: str
    job_id: int
    job_title: str
    candidate_name: str
    reviewer_ids: tuple[int, ...]
    at: datetime


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


# The game -----------------------------------------------------------------------------------


@_event("points-recorded")
class PointsRecorded(Event):
    """One ledger entry was written (`points.services.record_points`, the only writer).
    Listeners: leaderboards (queue it for the boards and project it after the commit)."""

    entry_id: int
    user_id: int
    amount: int
    kind: str
    department_id: int | None
    at: datetime


@_event("badge-granted")
class BadgeGranted(Event):
    """A person got a badge or a tier of one (`badges.services.award_badge`: rules, HR's hand
    grants, and every other path, so the fact is never missed). `points`: the badge's worth.
    Listeners: points (the badge's points), thanks (a gold-referrer tier is thanked in public),
    notifications (tell the person)."""

    award_id: int
    user_id: int
    badge_key: str
    tier: str
    points: int
    granted_by_id: int | None
    referral_id: int | None
    at: datetime


@_event("levels-changed")
class LevelsChanged(Event):
    """HR replaced the levels (`badges.services.save_levels`): everyone's level may read anew."""

    actor_id: int
    at: datetime


# Rewards ------------------------------------------------------------------------------------


@_event("payout-changed")
class PayoutChanged(Event):
    """A bonus payout was created, approved, paid or cancelled (`payouts.services`).
    `status` is its new status ("pending", "approved", "paid", "cancelled"); `cause` why it was
    cancelled ("hr", "left_company"). Listeners: thanks (a paid payout is thanked in public),
    notifications (tell the referrer)."""

    payout_id: int
    referral_id: int
    referrer_id: int
    status: str
    stage: Stage
    amount_minor: int
    currency: str
    candidate_name: str
    job_title: str
    at: datetime
    paid_on: date | None = None
    cause: str | None = None
    reason: str | None = None
    left_on: date | None = None


@_event("redemption-changed")
class RedemptionChanged(Event):
    """A perk was redeemed ("pending" while it waits for HR in `reviewer_ids`, "fulfilled" when
    it needs no approval), or HR "approved" or "rejected" it (`perks.services`); or won as a
    challenge prize (`perks.vouchers`: 0 points, "fulfilled", or "pending" while HR owes it).
    Listeners: notifications (tell HR, or the person)."""

    redemption_id: int
    user_id: int
    user_name: str
    status: str
    perk_en: str
    perk_zh: str
    points: int
    at: datetime
    reason: str | None = None
    reviewer_ids: tuple[int, ...] = ()


@_event("announcement-posted")
class AnnouncementPosted(Event):
    """HR posted an announcement on the thanks wall (`thanks.services.post_announcement`).
    Listeners: notifications (tell every active person, one INSERT … SELECT)."""

    post_id: int
    author_id: int
    title: str
    at: datetime


# Challenges ---------------------------------------------------------------------------------
# Every challenge event carries its title in both languages (`title`, `title_en`, None when the
# host gave none) so a notice reads in its reader's language.


@_event("challenge-approved")
class ChallengeApproved(Event):
    """HR approved a manager's challenge (`challenges.services.approve`), or a challenge that
    needs no approval was scheduled. Listeners: notifications (tell the host)."""

    challenge_id: int
    title: str
    title_en: str | None
    host_id: int
    actor_id: int
    starts_at: datetime
    at: datetime


@_event("challenge-submitted")
class ChallengeSubmitted(Event):
    """A manager sent their challenge to HR for approval (`challenges.services.submit_challenge`).
    Listeners: notifications (tell the active HR people in `reviewer_ids`)."""

    challenge_id: int
    title: str
    title_en: str | None
    host_id: int
    host_name: str
    reviewer_ids: tuple[int, ...]
    at: datetime


@_event("challenge-cancelled")
class ChallengeCancelled(Event):
    """A challenge was called off before its final, with a reason
    (`challenges.services.cancel_challenge`). `entrant_ids`: who joined it or had credit in it.
    Listeners: notifications (tell them, and the host when someone else cancelled it)."""

    challenge_id: int
    title: str
    title_en: str | None
    host_id: int
    actor_id: int
    entrant_ids: tuple[int, ...]
    reason: str
    at: datetime


@_event("challenge-entry-changed")
class ChallengeEntryChanged(Event):
    """HR disqualified a person from a challenge, with a reason, or reinstated them
    (`challenges.entries.set_disqualified`). Listeners: notifications (tell the person)."""

    challenge_id: int
    title: str
    title_en: str | None
    user_id: int
    disqualified: bool
    reason: str | None
    at: datetime


@_event("challenge-went-live")
class ChallengeWentLive(Event):
    """The clock reached a scheduled challenge's start (the worker's `challenges.keep-time`).
    `participant_ids`: everyone in scope who competes. Listeners: notifications (tell everyone
    in scope, and the host)."""

    challenge_id: int
    title: str
    title_en: str | None
    host_id: int
    participant_ids: tuple[int, ...]
    ends_at: datetime
    at: datetime


@_event("challenge-closing-soon")
class ChallengeClosingSoon(Event):
    """A live challenge has 24 hours left (the worker, once per challenge). Listeners:
    notifications (tell everyone in scope)."""

    challenge_id: int
    title: str
    title_en: str | None
    participant_ids: tuple[int, ...]
    ends_at: datetime
    at: datetime


@_event("challenge-ended")
class ChallengeEnded(Event):
    """A live challenge's window closed; it settles until `settles_at` (the worker).
    Listeners: notifications (tell the host)."""

    challenge_id: int
    title: str
    title_en: str | None
    host_id: int
    settles_at: datetime
    at: datetime


@_event("challenge-top-three")
class ChallengeTopThree(Event):
    """A person entered the top 3 of a live challenge's board (`challenges.credits`, at most once
    per person and challenge). Listeners: notifications (tell them)."""

    challenge_id: int
    title: str
    title_en: str | None
    user_id: int
    rank: int
    at: datetime


@_event("challenge-finalized")
class ChallengeFinalized(Event):
    """A challenge's standings were frozen and its prizes awarded (the worker, once).
    `winners`: (user id, rank) of everyone who won a prize, best first; `thanked`: those of
    them whose prize tier asks for a public thanks. Listeners: notifications (results to
    everyone in scope, the host hears it ended), thanks (one post naming `thanked`)."""

    challenge_id: int
    title: str
    title_en: str | None
    host_id: int
    participant_ids: tuple[int, ...]
    winners: tuple[tuple[int, int], ...]
    thanked: tuple[tuple[int, int], ...]
    at: datetime


@_event("challenge-prize-awarded")
class ChallengePrizeAwarded(Event):
    """One person won one prize tier of a final challenge (`challenges.prizes`, once per prize
    and person: its points are already on the ledger). `perk_id`: a perk voucher to issue;
    `badge`: whether the tier gives the challenge-winner badge. Listeners: perks (issue the
    voucher, at most once), badges (grant the badge), notifications (tell the winner)."""

    award_id: int
    challenge_id: int
    title: str
    title_en: str | None
    prize_id: int
    user_id: int
    rank: int | None
    points: int
    perk_id: int | None
    badge: bool
    at: datetime


# The referrer club ---------------------------------------------------------------------------


@_event("club-membership-changed")
class ClubMembershipChanged(Event):
    """Someone joined the referrer club, left it, or became or stopped being a moderator
    (`club.services`). `change`: "joined", "left", "moderator" or "not-moderator"; `source`: how
    they joined ("hire", "level", "appointed"); `actor_id`: HR who did it, None when a hire or a
    level earned it; `reason`: HR's words when they left. Listeners: notifications (tell them)."""

    user_id: int
    change: str
    source: str
    actor_id: int | None
    at: datetime
    reason: str | None = None


# The club's forum -----------------------------------------------------------------------------


@_event("forum-posts-changed")
class ForumPostsChanged(Event):
    """Forum posts were written, edited, deleted, restored, hidden or shown, or their topic's
    title, category or visibility changed (the forum's writes, and `forum.moderation.services`
    when colleagues' flags or a moderator hide, show or delete a post). `post_ids`:
    every post whose searchable text or visibility may differ now (all of a topic's posts when
    the topic changed). `change`: what happened ("created", "edited", "deleted", "restored",
    "hidden", "shown", "topic"). Listeners: search (re-index those posts, same transaction)."""

    topic_id: int
    post_ids: tuple[int, ...]
    change: str
    at: datetime


# Sharing sessions ---------------------------------------------------------------------------
# Every sharing event carries the session's title in both languages (`title`, `title_en`, None
# when the host gave none) and its start (naive UTC), so a notice reads in its reader's language
# and zone.


@_event("sharing-session-scheduled")
class SharingSessionScheduled(Event):
    """A sharing session was published (`sharing.services.create_session`, once per session).
    Listeners: the forum opens the session's topic for questions and writes its id back to the
    session's `forum_topic_id` (wired when the forum lands)."""

    session_id: int
    title: str
    title_en: str | None
    description: str
    starts_at: datetime
    host_id: int
    at: datetime


@_event("sharing-session-changed")
class SharingSessionChanged(Event):
    """The time or the place of a session changed (`sharing.services.update_session`).
    `people`: everyone going or on its waitlist. Listeners: notifications (tell them)."""

    session_id: int
    title: str
    title_en: str | None
    starts_at: datetime
    people: tuple[int, ...]
    at: datetime


@_event("sharing-session-cancelled")
class SharingSessionCancelled(Event):
    """A session was cancelled by its host or HR (`sharing.services.cancel_session`). `people`:
    everyone who was going or on its waitlist. Listeners: notifications (tell them, with the
    reason)."""

    session_id: int
    title: str
    title_en: str | None
    starts_at: datetime
    reason: str
    people: tuple[int, ...]
    at: datetime


@_event("sharing-seat-given")
class SharingSeatGiven(Event):
    """A person on a session's waitlist got a seat, in the transaction of the cancellation or
    capacity raise that freed it (`sharing.services`). Listeners: notifications (tell them)."""

    session_id: int
    title: str
    title_en: str | None
    starts_at: datetime
    user_id: int
    at: datetime


@_event("sharing-reminder-due")
class SharingReminderDue(Event):
    """A session starts in about `hours` (24 or 1) and these `people` who are going were not yet
    reminded (`sharing.reminders`, the worker; once per person and reminder). Listeners:
    notifications (remind them)."""

    session_id: int
    title: str
    title_en: str | None
    starts_at: datetime
    hours: int
    people: tuple[int, ...]
    at: datetime


# The forum (community/forum) ----------------------------------------------------------------


@_event("forum-post-written")
class ForumPostWritten(Event):
    """A forum post was written (a new topic's opening post, number 1, or a reply), or edited so
    that it mentions people it did not before (`forum.topics`, `forum.posts`). `mentioned_ids`:
    the people newly mentioned (at most FORUM_MAX_MENTIONS). `edited`: an edit, where only the
    mentions are news. Listeners: forum (tell the topic's or the category's watchers and the
    mentioned, `forum.notices`)."""

    topic_id: int
    post_id: int
    author_id: int
    number: int
    mentioned_ids: tuple[int, ...]
    edited: bool
    at: datetime


@_event("forum-answer-accepted")
class ForumAnswerAccepted(Event):
    """The asker (or a moderator) accepted an answer to a question (`forum.answers.accept`).
    `first`: no answer of this question was accepted before (only then are points paid).
    Listeners: forum (the answer's author gets points once per question, and is told)."""

    topic_id: int
    post_id: int
    answerer_id: int
    accepter_id: int
    first: bool
    at: datetime


@_event("forum-post-voted")
class ForumPostVoted(Event):
    """A colleague found a post helpful (`forum.votes.vote`). Listeners: forum (points to the
    author within the daily cap, and one notification per post that counts the votes)."""

    topic_id: int
    post_id: int
    author_id: int
    voter_id: int
    at: datetime


ALL_EVENTS: tuple[type[Event], ...] = (
    ReferralSubmitted,
    StageAdvanced,
    HireConfirmed,
    HireLeft,
    InterviewFeedbackAdded,
    PersonChanged,
    PointsRecorded,
    BadgeGranted,
    LevelsChanged,
    PayoutChanged,
    RedemptionChanged,
    AnnouncementPosted,
    ChallengeApproved,
    ChallengeSubmitted,
    ChallengeCancelled,
    ChallengeEntryChanged,
    ChallengeWentLive,
    ChallengeClosingSoon,
    ChallengeEnded,
    ChallengeTopThree,
    ChallengeFinalized,
    ChallengePrizeAwarded,
    ClubMembershipChanged,
    ForumPostsChanged,
    SharingSessionScheduled,
    SharingSessionChanged,
    SharingSessionCancelled,
    SharingSeatGiven,
    SharingReminderDue,
    ForumPostWritten,
    ForumAnswerAccepted,
    ForumPostVoted,
)


# Mentoring (老带新) ---------------------------------------------------------------------------


@_event("mentorship-changed")
class MentorshipChanged(Event):
    """Something happened to a mentoring pairing (`mentoring.services`, `mentoring.pairings`,
    `mentoring.rewards`, the worker's `mentoring.keep-time`). `change` is one of
    `mentoring.notices.CHANGES`: requested, accepted, declined, withdrawn, expired, paired (by HR),
    goal_reached, goal_due (its day came, not reached), ended, rewarded, reward_reversed.
    `actor_id`: who did it (None for the clock); `points`: a reward's (or reversal's) points.
    Listeners: mentoring (`mentoring.notices` tells the other of the pair, or both)."""

    pairing_id: int
    change: str
    mentor_id: int
    mentee_id: int
    mentor_name: str
    mentee_name: str
    actor_id: int | None
    at: datetime
    points: int = 0


ALL_EVENTS = (*ALL_EVENTS, MentorshipChanged)
