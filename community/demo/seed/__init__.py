"""`flask seed-demo`: load a believable company once. Running it again changes nothing.

Referrals are written through the referral services, exactly as people would write them, and then
moved back in time (referral, events, notifications) so the demo shows about eight months of
history. `advance_stage(at=...)` dates stage moves itself; the other services always write "now",
so the seed re-dates what each call wrote (found by id) right after the call, before the next one.

The seed is split by concern:

- company: departments, people, jobs, the program rules, closing the filled jobs
- stories: how a referral unfolds, and its timeline
- referrals: planning and writing the referrals through the referral services
- challenges: a live, a final and a scheduled referral challenge, and the referrals in their
  windows
- rewards: payouts, HR's announcements on the thanks wall, the perk shop and redemptions
- mentoring: two mentors' offers and the newcomer login's pairing with its goal and check-ins
- sharing: a past sharing session with attendance, and an upcoming one with a waitlist
- teamchat: the group robots (WeCom, DingTalk, Feishu) that post results, announcements, thanks
- network: the demo employee's private network with tags, and a suggestion for an open job
- invites: a pending e-mail invitation and an accepted one by text message (the outboxes)
- webhooks: a Greenhouse-like ATS source with linked referrals and received events, and an
  outbound endpoint whose deliveries fail visibly (its address never resolves)
- links: referral codes and personal links with visitors, applications through them, switches
- forum: the club forum's categories, topics, replies, votes and an accepted answer
- moderation: flagged replies waiting in the review queue, one hidden by a moderator
- mail: two people's notification choices, and the outbox (sent and queued)
- credentials: the demo employee's badge exported as an Open Badges credential, and a
  colleague's credential whose badge HR revoked
- api_tokens: HR's API tokens (an ATS sync in use, a payroll export revoked); no secret kept
- backdating: re-dating what each service call wrote, at plausible hours

Two weak spots are planted for the analytics to find: a quiet department (one of its people
refers) and a job family whose referrals mostly end before the interview (`data.company`); the
rollups are brought up to date at the end, as the worker's first tick would.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import func, select

from community.accounts.models import Department, User
from community.analytics import rollups
from community.challenges.models import Challenge
from community.core.time import utcnow
from community.demo.seed.api_tokens import add_api_tokens
from community.demo.seed.challenges import add_challenges, finish_challenges
from community.demo.seed.company import (
    HR_LOGIN,
    add_departments,
    add_jobs,
    add_newcomer,
    add_people,
    close_filled_jobs,
    publish_rules,
)
from community.demo.seed.credentials import add_credentials
from community.demo.seed.forum import add_forum
from community.demo.seed.invites import add_invitations
from community.demo.seed.links import add_links
from community.demo.seed.mail import add_mail
from community.demo.seed.mentoring import add_mentoring
from community.demo.seed.moderation import moderate_forum
from community.demo.seed.network import add_network
from community.demo.seed.referrals import add_referrals
from community.demo.seed.rewards import open_perk_shop, post_announcements, stock_perk_shop
from community.demo.seed.sharing import add_sharing_sessions
from community.demo.seed.teamchat import add_chat_robots
from community.demo.seed.webhooks import add_webhooks
from community.extensions import db
from community.jobs.models import Job
from community.referrals.models import Referral

NOTHING_TO_DO = "Demo data already present: nothing to do."

# The services' per-write INFO lines (some 110 badge grants alone) would bury `make run`'s output
# the first time: one summary line instead, the details with `flask seed-demo --verbose`.
QUIET_LOGGER = "community"


def load(force: bool = False, verbose: bool = False) -> str:
    """Load the demo company unless any user exists already; return a one-line summary of what
    was added.

    With `force` it also loads into a database that has data: only what is missing is added
    (departments by name, people by email, jobs by title, the referrals and the challenges
    together when no demo candidate exists yet), so forcing it again still changes nothing. The services' log lines are held
    back unless `verbose`.
    """
    if not force and db.session.scalar(select(func.count(User.id))):
        return NOTHING_TO_DO
    before = _row_counts()
    rng = random.Random(2026)
    now = utcnow()
    with _quiet(*([] if verbose else [QUIET_LOGGER])):
        departments = add_departments()
        users = add_people(rng, departments, now)
        add_newcomer(departments, now)  # not in `users`: they have no history to draw from
        jobs = add_jobs(departments, users, now)
        db.session.commit()
        hr = next(u for u in users if u.email == HR_LOGIN)
        publish_rules(hr, now)
        stock_perk_shop(hr)
        challenges = add_challenges(users, jobs, now)
        add_chat_robots(hr)  # before the thanks, results and announcements its robots post
        add_referrals(rng, users, jobs, now, more=challenges.plans)
        finish_challenges(challenges)
        close_filled_jobs(jobs, hr, now)
        post_announcements(rng, hr, now)
        open_perk_shop(hr, users, now)
        add_forum(rng, users, now)  # before the sessions, which open a topic each
        moderate_forum(rng, users, now)
        add_mentoring(now)
        add_sharing_sessions(users, now)
        add_network(now)
        add_invitations(now)
        add_links(hr)
        add_mail(now)
        add_credentials(hr)
        add_webhooks(hr)  # last: its events move referrals and queue outbound deliveries
        add_api_tokens(hr, now)
        # The dashboard's rollups, as the worker's first tick would bring them up to date.
        rollups.run(utcnow())
        db.session.commit()
    added = [after - earlier for after, earlier in zip(_row_counts(), before, strict=True)]
    if not any(added):
        return NOTHING_TO_DO
    return (
        "Loaded demo company: {} departments, {} people, {} jobs, {} referrals, {} challenges."
    ).format(*added)


def _row_counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Department, User, Job, Referral, Challenge)
    )


@contextmanager
def _quiet(*names: str) -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in names]
    levels = [log.level for log in loggers]
    for log in loggers:
        log.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for log, level in zip(loggers, levels, strict=True):
            log.setLevel(level)
