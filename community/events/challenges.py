"""Events of referral challenges."""

from __future__ import annotations

from datetime import datetime

from community.events.bus import Event, _event

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
    everyone in scope, the host hears it ended), thanks (one post naming `thanked`), teamchat
    (the frozen top three for the group robots of its departments and the company's)."""

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
