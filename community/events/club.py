"""Events of the referrer club: membership, forum, sharing sessions and mentoring."""

from __future__ import annotations

from datetime import datetime

from community.events.bus import Event, _event

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
