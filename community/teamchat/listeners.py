"""Who hears what, per department. Each listener only queues messages (`services.queue`), inside
the transaction of what it tells, and never commits: an announcement that rolls back sends
nothing. The worker posts them (`teamchat.sending`).

- An announcement goes to every robot that takes announcements.
- A thank-you (a bonus paid, a gold-referrer tier) goes to the robots of the thanked person's
  department and the company-wide ones, unless the person keeps off the public boards or has
  left (as the wall leaves them out). One person's thanks of one day share a message while it
  waits. A challenge's winners post is left to the challenge's results below.
- A challenge's results (`ChallengeFinalized`, the frozen standings) go to the company-wide
  robots and those of the departments it ran in: every department for a company challenge,
  the host's for a team challenge. `ChallengeTopThree` is a live board's news, not a result:
  it is not sent.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import or_, select

from community import events
from community.accounts.models import User
from community.challenges.models import Challenge, PeopleScope
from community.extensions import db
from community.teamchat import messages
from community.teamchat.models import ChatRobot, PostKind
from community.teamchat.services import add_to_waiting, queue
from community.thanks.models import ThanksKind, ThanksPost

EVERY_DEPARTMENT = None
THANKED = (ThanksKind.PAYOUT_PAID.value, ThanksKind.GOLD_TIER.value)
_WANTS = {
    PostKind.ANNOUNCEMENT: ChatRobot.sends_announcements,
    PostKind.CHALLENGE: ChatRobot.sends_challenges,
    PostKind.THANKS: ChatRobot.sends_thanks,
}


def robots_for(kind: PostKind, departments: Collection[int | None] | None) -> list[ChatRobot]:
    """The robots that are on and take `kind`: the company-wide ones, and those of
    `departments` (every department's when None)."""
    statement = select(ChatRobot).where(ChatRobot.enabled.is_(True), _WANTS[kind].is_(True))
    if departments is not EVERY_DEPARTMENT:
        wanted = [d for d in departments if d is not None]
        statement = statement.where(
            or_(ChatRobot.department_id.is_(None), ChatRobot.department_id.in_(wanted))
        )
    return list(db.session.scalars(statement.order_by(ChatRobot.id)))


def announcement_posted(event: events.AnnouncementPosted) -> None:
    robots = robots_for(PostKind.ANNOUNCEMENT, EVERY_DEPARTMENT)
    post = db.session.get(ThanksPost, event.post_id)
    if not robots or post is None:
        return
    message = messages.announcement(post)
    for robot in robots:
        queue(robot, PostKind.ANNOUNCEMENT, f"announcement:{post.id}", message, event.at)


def thanks_posted(event: events.ThanksPosted) -> None:
    if event.kind not in THANKED or event.subject_id is None:
        return
    subject = db.session.get(User, event.subject_id)
    if subject is None or not subject.is_active_account or subject.leaderboard_opt_out:
        return
    robots = robots_for(PostKind.THANKS, [subject.department_id])
    post = db.session.get(ThanksPost, event.post_id)
    if not robots or post is None:
        return
    group = f"thanks:{subject.id}:{post.wall_day.isoformat()}"
    message = None
    for robot in robots:
        if add_to_waiting(robot, group, messages.thanks_line(post)):
            continue
        message = message or messages.thanks(post, subject)
        queue(robot, PostKind.THANKS, f"thanks:{post.id}", message, event.at, group_key=group)


def _departments(challenge: Challenge) -> Collection[int | None] | None:
    if challenge.people_scope == PeopleScope.COMPANY:
        return EVERY_DEPARTMENT
    if challenge.people_scope == PeopleScope.DEPARTMENTS:
        return list(challenge.department_ids or [])
    return [challenge.host.department_id]  # a team challenge: the host's reports


def challenge_finalized(event: events.ChallengeFinalized) -> None:
    challenge = db.session.get(Challenge, event.challenge_id)
    if challenge is None:
        return
    robots = robots_for(PostKind.CHALLENGE, _departments(challenge))
    if not robots:
        return
    message = messages.challenge_results(challenge)
    for robot in robots:
        queue(robot, PostKind.CHALLENGE, f"challenge:{challenge.id}:results", message, event.at)


def init_app() -> None:
    events.subscribe(events.AnnouncementPosted, announcement_posted)
    events.subscribe(events.ThanksPosted, thanks_posted)
    events.subscribe(events.ChallengeFinalized, challenge_finalized)
