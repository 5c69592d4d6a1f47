"""The demo's referral challenges, written through the challenge services: one live (company-wide,
hosted by HR, the hard-to-fill jobs counting double), one a manager held for Engineering that is
final with its prizes paid, and one scheduled for next week.

The services write "now" and refuse a start in the past, so the seed creates each challenge with
today's start and re-dates what the calls wrote right after them (its window, creation and
approval, its prizes and log lines), as it does for the referrals. The challenges exist before
the referral history is written, so the referrals inside their windows count in them by the real
code path (`challenges.credits`); scripted referrals (`data/challenges.py`) make sure each board
has people at different scores. After the history, the clock moves through
`lifecycle.keep_time` at the moments it would have: the finished challenge goes live, ends and
is finalized (standings frozen, prizes awarded once), the live one goes live.

The challenges come with the referral history: added when the referrals are (a demo loaded
without them, or with them already, gets none, so loading again changes nothing).
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy import func, select, update

from community.accounts.models import Role, User
from community.challenges import lifecycle, services
from community.challenges.models import (
    Challenge,
    ChallengeChange,
    ChallengePrize,
    ChangeKind,
    Metric,
    PeopleScope,
    PrizeKind,
)
from community.challenges.rules import ChallengeFields, PrizeFields
from community.core.time import company_tz, local_today, utcnow
from community.demo.data.challenges import (
    CHALLENGE_CANDIDATES,
    FINISHED_CHALLENGE,
    FINISHED_REFERRALS,
    LIVE_CHALLENGE,
    LIVE_REFERRALS,
    PRIZE_PERK,
    SCHEDULED_CHALLENGE,
)
from community.demo.data.company import DEMO_ACCOUNTS
from community.demo.seed.backdating import (
    OFFICE_HOURS,
    SUBMISSION_HOURS,
    at_hour,
    backdate_since,
    last_ids,
    naive_utc,
)
from community.demo.seed.company import HR_LOGIN
from community.demo.seed.referrals import Plan, history_present, may_refer
from community.demo.seed.stories import Story
from community.extensions import db
from community.jobs.models import Job
from community.perks.models import Perk
from community.perks.queries import perk_available
from community.pipeline import Stage

logger = logging.getLogger(__name__)

MANAGER_LOGIN = "manager@demo.example"
LIVE_STARTED_DAYS_AGO = 12
LIVE_DAYS = 28
FINISHED_STARTED_DAYS_AGO = 100
FINISHED_DAYS = 30
SETTLEMENT_DAYS = 7
SCHEDULED_DAYS = 30
PEOPLE_SEED = 2027  # the people picked to refer in the windows (apart from the history's draw)


@dataclass
class DemoChallenges:
    """What `add_challenges` scheduled, and the referrals to write inside their windows."""

    live: Challenge | None = None
    finished: Challenge | None = None
    scheduled: Challenge | None = None
    plans: list[Plan] = field(default_factory=list)


def _at(day_offset: int, hour: int) -> datetime:
    """Naive UTC of `hour` o'clock (company time) `day_offset` days from today."""
    day = local_today() + timedelta(days=day_offset)
    return naive_utc(datetime.combine(day, time(hour), company_tz()))


def add_challenges(users: list[User], jobs: list[Job], now: datetime) -> DemoChallenges:
    """Schedule the three demo challenges and plan the referrals inside their windows; nothing
    when the demo's referral history exists already or a challenge of the same title does."""
    titles = [LIVE_CHALLENGE[0], FINISHED_CHALLENGE[0], SCHEDULED_CHALLENGE[0]]
    if history_present() or db.session.scalar(
        select(func.count(Challenge.id)).where(Challenge.title.in_(titles))
    ):
        logger.info("demo challenges: the referral history is there already: none added")
        return DemoChallenges()
    by_email = {u.email: u for u in users}
    hr, manager = by_email[HR_LOGIN], by_email[MANAGER_LOGIN]
    hard = [job.id for job in jobs if job.hard_to_fill and job.is_open]
    perk = db.session.scalars(select(Perk).where(Perk.name_zh == PRIZE_PERK)).first()
    perk_id = perk.id if perk is not None and perk_available(perk.id) else None

    start = _at(-LIVE_STARTED_DAYS_AGO, 9)
    live = _host(
        hr,
        LIVE_CHALLENGE,
        (start, start + timedelta(days=LIVE_DAYS)),
        created=start - timedelta(days=6) + timedelta(hours=1, minutes=30),
        prizes=[
            PrizeFields(rank_from=1, points=500, perk_id=perk_id, badge=True, thanks=True),
            PrizeFields(rank_from=2, rank_to=3, points=200),
            PrizeFields(kind=PrizeKind.THRESHOLD, threshold=100, points=50),
        ],
        multiplier_percent=200,
        multiplier_job_ids=hard,
    )
    start = _at(-FINISHED_STARTED_DAYS_AGO, 9)
    engineering = manager.department_id
    finished = _host(
        manager,
        FINISHED_CHALLENGE,
        (start, start + timedelta(days=FINISHED_DAYS)),
        created=start - timedelta(days=12) + timedelta(hours=2),
        prizes=[
            PrizeFields(rank_from=1, points=300, badge=True, thanks=True),
            PrizeFields(rank_from=2, rank_to=3, points=100),
        ],
        approver=hr,
        people_scope=PeopleScope.DEPARTMENTS,
        department_ids=[engineering] if engineering else [],
        settlement_days=SETTLEMENT_DAYS,
    )
    monday = 7 - local_today().weekday()  # next week's Monday
    start = _at(monday, 9)
    scheduled = _host(
        hr,
        SCHEDULED_CHALLENGE,
        (start, start + timedelta(days=SCHEDULED_DAYS)),
        created=_at(-2, 10),
        prizes=[
            PrizeFields(rank_from=1, points=300, badge=True),
            PrizeFields(rank_from=2, rank_to=5, points=100),
        ],
        metric=Metric.INTERVIEWS,
        moved=False,
    )
    rng = random.Random(PEOPLE_SEED)
    by_title = {job.title: job for job in jobs}
    people = _referrers(users)
    in_engineering = [u for u in people if u.department_id == engineering]
    plans = _plans(rng, live, LIVE_REFERRALS, rng.sample(people, 6), by_email, by_title, now)
    plans += _plans(
        rng, finished, FINISHED_REFERRALS, rng.sample(in_engineering, 3), by_email, by_title, now
    )
    return DemoChallenges(live, finished, scheduled, plans)


def _host(
    host: User,
    text: tuple[str, str, str, str],
    window: tuple[datetime, datetime],
    *,
    created: datetime,
    prizes: list[PrizeFields],
    approver: User | None = None,
    moved: bool = True,
    **settings: object,
) -> Challenge:
    """Host a challenge through the services (HR's is scheduled at once, a manager's waits for
    `approver`), then date it: its window (today's, when `moved` is False), its creation, prizes,
    submission and approval."""
    title, title_en, description, description_en = text
    start, end = window
    opened = utcnow() if moved else start  # the services refuse a start in the past
    fields = ChallengeFields(
        title=title,
        title_en=title_en,
        description=description,
        description_en=description_en,
        starts_at=opened,
        ends_at=opened + (end - start),
        **settings,  # type: ignore[arg-type]
    )
    mark, change = last_ids(), _last_change_id()
    challenge = services.create_challenge(host, fields)
    for prize in prizes:
        services.add_prize(host, challenge.id, prize)
    services.submit_challenge(host, challenge.id)
    if approver is not None:
        services.approve_challenge(approver, challenge.id)
    approved = created + (timedelta(days=1) if approver else timedelta(minutes=12))
    challenge.starts_at, challenge.ends_at = start, end
    challenge.created_at, challenge.approved_at = created, approved
    db.session.execute(
        update(ChallengePrize)
        .where(ChallengePrize.challenge_id == challenge.id)
        .values(created_at=created + timedelta(minutes=5))
    )
    moments = {
        ChangeKind.CREATED: created,
        ChangeKind.PRIZE_ADDED: created + timedelta(minutes=5),
        ChangeKind.SUBMITTED: created + timedelta(minutes=10),
    }
    for line in db.session.scalars(
        select(ChallengeChange).where(
            ChallengeChange.challenge_id == challenge.id, ChallengeChange.id > change
        )
    ):
        line.at = moments.get(line.kind, approved)
    backdate_since(mark, approved)
    db.session.commit()
    return challenge


def _last_change_id() -> int:
    return db.session.scalar(select(func.max(ChallengeChange.id))) or 0


def _referrers(users: list[User]) -> list[User]:
    """Employees who may refer and are not demo logins (those refer only what is scripted)."""
    logins = {email for email, *_ in DEMO_ACCOUNTS}
    return sorted(
        (
            u
            for u in users
            if u.role == Role.EMPLOYEE and u.is_active_account and u.email not in logins
        ),
        key=lambda u: u.id,
    )


def _plans(
    rng: random.Random,
    challenge: Challenge,
    referrals: list[tuple[int | str, str, tuple[str, ...], float, tuple[float, ...]]],
    picked: list[User],
    by_email: dict[str, User],
    by_title: dict[str, Job],
    now: datetime,
) -> list[Plan]:
    """The scripted referrals inside `challenge`'s window, each step at a plausible hour."""
    candidates = {c[1]: c for c in CHALLENGE_CANDIDATES}
    plans = []
    for who, email, path, offset, gaps in referrals:
        candidate = candidates[email]
        job = by_title[candidate[5]]
        referrer = by_email[who] if isinstance(who, str) else picked[who]
        submitted = challenge.starts_at + timedelta(days=offset)
        moments = [at_hour(rng, submitted, SUBMISSION_HOURS, challenge.starts_at, now)]
        for gap in gaps:
            step = moments[-1] + timedelta(days=gap)
            moments.append(at_hour(rng, step, OFFICE_HOURS, moments[-1], now))
        if not may_refer(referrer, job, moments[0]) or moments[-1] >= now:
            logger.warning("demo challenges: %s cannot refer %s then", referrer.email, email)
            continue
        story = Story(tuple(Stage(stage) for stage in path), (0.0, 0.0))
        plans.append(Plan(candidate, job, story, moments, referrer))
    return plans


def finish_challenges(demo: DemoChallenges) -> None:
    """Move the clock through each moment the demo's past holds, in order, by the worker's own
    duty (`lifecycle.keep_time`), dating what each move wrote at its moment: the finished
    challenge goes live, ends, and is final once its settlement is over (prizes awarded once);
    the live one goes live."""
    moments = []
    if demo.finished is not None:
        finished = demo.finished
        moments += [finished.starts_at, finished.ends_at, finished.settles_at]
    if demo.live is not None:
        moments.append(demo.live.starts_at)
    for moment in sorted(moments):
        mark, change = last_ids(), _last_change_id()
        lifecycle.keep_time(moment)
        db.session.execute(
            update(ChallengeChange).where(ChallengeChange.id > change).values(at=moment)
        )
        backdate_since(mark, moment)
        db.session.commit()
