"""`flask seed-demo`: load a believable company once. Running it again changes nothing.

Referrals are written through the referral services, exactly as people would write them, and then
moved back in time (referral, events, notifications) so the demo shows about eight months of
history. `advance_stage(at=...)` dates stage moves itself; the other services always write "now",
so the seed re-dates what each call wrote (found by id) right after the call, before the next one.
"""

from __future__ import annotations

import io
import logging
import random
import string
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from flask import current_app
from sqlalchemy import func, select, update

from community.accounts.models import Department, Role, User
from community.badges import services as badge_services
from community.core.time import add_working_days, company_tz, local_today, to_local, utcnow
from community.demo import data
from community.demo.pictures import perk_picture
from community.extensions import db
from community.jobs.models import Education, Job, JobFamily, JobStatus, hard_requirements
from community.jobs.services import close_job
from community.notifications.models import Notification
from community.payouts import services as payout_services
from community.payouts.models import Payout, PayoutStatus
from community.perks import pictures as perk_pictures
from community.perks import services as perk_services
from community.perks.models import Perk, Redemption
from community.points import queries as points_queries
from community.program.models import DEFAULT_BONUS_SPLIT, DEFAULT_STAGE_POINTS, ProgramRules
from community.program.queries import current_rules
from community.program.services import save_rules
from community.referrals.models import (
    Assessment,
    Candidate,
    EventKind,
    KnownFor,
    Referral,
    ReferralEvent,
    Relationship,
    Stage,
)
from community.referrals.services import (
    ReferralSubmission,
    ResumeUpload,
    advance_stage,
    is_low_match,
    record_left_company,
    submit_referral,
    withdraw_referral,
)
from community.thanks import services as thanks_services
from community.thanks.models import ThanksKind, ThanksPost

logger = logging.getLogger(__name__)

NOTHING_TO_DO = "Demo data already present: nothing to do."

EMPLOYEE_COUNT = 150
HR_LOGIN = "hr@demo.example"
HISTORY_DAYS = 240  # the oldest referral started about eight months ago
RULES_PUBLISHED_DAYS_AGO = 270
# Their per-write INFO lines would bury `make run`'s output the first time: one summary instead.
SERVICE_LOGGERS = (
    "community.referrals.services",
    "community.jobs.services",
    "community.program.services",
    "community.payouts.services",
    "community.thanks.services",
    "community.perks.services",
)


def load(force: bool = False) -> str:
    """Load the demo company unless any user exists already; return a one-line summary of what
    was added.

    With `force` it also loads into a database that has data: only what is missing is added
    (departments by name, people by email, jobs by title, the referrals when no demo candidate
    exists yet), so forcing it again still changes nothing.
    """
    if not force and db.session.scalar(select(func.count(User.id))):
        return NOTHING_TO_DO
    before = _row_counts()
    rng = random.Random(2026)
    now = utcnow()
    departments = _departments()
    users = _users(rng, departments, now)
    jobs = _jobs(departments, users, now)
    db.session.commit()
    hr = next(u for u in users if u.email == HR_LOGIN)
    with _quiet(*SERVICE_LOGGERS):
        _rules(hr, now)
        _referrals(rng, users, jobs, now)
        _close_filled_jobs(jobs, hr, now)
        _announcements(rng, hr, now)
        _perks(hr, users, now)
    added = [after - earlier for after, earlier in zip(_row_counts(), before, strict=True)]
    if not any(added):
        return NOTHING_TO_DO
    return "Loaded demo company: {} departments, {} people, {} jobs, {} referrals.".format(*added)


def _row_counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Department, User, Job, Referral)
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


def _departments() -> dict[str, Department]:
    departments = {}
    for name in data.DEPARTMENTS:
        department = db.session.scalars(select(Department).where(Department.name == name)).first()
        if department is None:
            department = Department(name=name)
            db.session.add(department)
        departments[name] = department
    db.session.flush()
    return departments


def _users(rng: random.Random, departments: dict[str, Department], now: datetime) -> list[User]:
    existing = {user.email: user for user in db.session.scalars(select(User))}
    users: list[User] = []
    created: set[str] = set()
    password_user = User(email="template@demo.example", name="template")
    password_user.set_password(data.DEMO_PASSWORD)
    password_hash = password_user.password_hash  # hashing is slow: hash once, share the result
    taken: set[str] = set()

    def add(email: str, name: str, role: Role, department: Department) -> User:
        # Drawn even for people who exist already, and exactly as the first version of this seed
        # drew it, so that every run (and --force over an older demo) names the same people.
        joined = now - timedelta(days=100 + rng.randint(200, 1500))
        user = existing.get(email)
        if user is None:
            user = User(
                email=email,
                name=name,
                role=role,
                department=department,
                password_hash=password_hash,
                created_at=joined,
            )
            db.session.add(user)
            created.add(email)
        users.append(user)
        taken.add(email)
        return user

    for email, name, role, department in data.DEMO_ACCOUNTS:
        add(email, name, Role(role), departments[department])

    department_list = list(departments.values())
    hr_department = departments["人力资源部"]
    managers_per_department = {d.name: 0 for d in department_list}
    for d in department_list:
        managers_per_department[d.name] = sum(
            1 for u in users if u.department is d and u.role == Role.MANAGER
        )
    n = 0
    while len(users) < EMPLOYEE_COUNT:
        n += 1
        surname, surname_pinyin = rng.choice(data.SURNAMES)
        given, given_pinyin = rng.choice(data.GIVEN_NAMES)
        email = f"{given_pinyin.lower()}.{surname_pinyin.lower()}{n}@demo.example"
        if email in taken:
            continue
        department = department_list[n % len(department_list)]
        if department is hr_department and n % 3 == 0:
            role = Role.HR
        elif managers_per_department[department.name] < 2:
            role = Role.MANAGER
            managers_per_department[department.name] += 1
        else:
            role = Role.EMPLOYEE
        add(email, surname + given, role, department)
    # A couple of people who left the company: their history stays, they cannot log in.
    for user in users[-2:]:
        if user.email in created:
            user.is_active_account = False
            user.deactivated_at = now - timedelta(days=30)
    db.session.flush()
    return users


def _jobs(departments: dict[str, Department], users: list[User], now: datetime) -> list[Job]:
    """The jobs of data.JOBS. A job that ends up closed starts open: it closes once it is filled."""
    existing = {job.title: job for job in db.session.scalars(select(Job))}
    jobs = []
    hr = next(u for u in users if u.email == HR_LOGIN)
    for spec in data.JOBS:
        job = existing.get(spec["title"])
        if job is not None:
            jobs.append(job)
            continue
        department = departments[spec["department"]]
        managers = [u for u in users if u.department is department and u.role == Role.MANAGER]
        age = timedelta(days=spec["opened_days_ago"])
        is_draft = spec.get("status") == "draft"
        job = Job(
            title=spec["title"],
            family=JobFamily(spec["family"]),
            department=department,
            location=spec["location"],
            description=spec["description"],
            competencies=spec["competencies"],
            education=Education(spec["education"]),
            min_years=spec["min_years"],
            skills=spec["skills"],
            certificates=spec["certificates"],
            soft_traits=spec["soft_traits"],
            challenges=spec["challenges"],
            bonus_minor=spec["bonus"] * 100,
            bonus_currency="CNY",
            hard_to_fill=spec["hard_to_fill"],
            hiring_manager=managers[0] if managers else None,
            status=JobStatus.DRAFT if is_draft else JobStatus.OPEN,
            created_by_id=hr.id,
            created_at=now - age if is_draft else now - age - timedelta(days=3),
            opened_at=None if is_draft else now - age,
        )
        db.session.add(job)
        jobs.append(job)
    db.session.flush()
    return jobs


def _rules(hr: User, now: datetime) -> None:
    """Publish the program rules (the defaults) before the first referral, unless HR has."""
    if current_rules().id is not None:
        return
    rules: ProgramRules = save_rules(
        hr,
        all_departments_eligible=True,
        ownership_window_days=180,
        bonus_split=dict(DEFAULT_BONUS_SPLIT),
        stage_points=dict(DEFAULT_STAGE_POINTS),
        review_sla_days=3,
    )
    rules.created_at = now - timedelta(days=RULES_PUBLISHED_DAYS_AGO)
    db.session.commit()


def _close_filled_jobs(jobs: list[Job], hr: User, now: datetime) -> None:
    """Close the jobs data.JOBS marks closed, the day after their last referral moved."""
    for spec, job in zip(data.JOBS, jobs, strict=True):
        if spec.get("status") != "closed" or job.status != JobStatus.OPEN:
            continue
        last_move = db.session.scalar(
            select(func.max(ReferralEvent.created_at))
            .join(Referral, ReferralEvent.referral_id == Referral.id)
            .where(Referral.job_id == job.id)
        )
        close_job(hr, job)
        closed_at = (last_move or now - timedelta(days=6)) + timedelta(days=1)
        job.closed_at = min(closed_at, now - timedelta(hours=1))
        db.session.commit()


# Referrals ----------------------------------------------------------------------------------


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
    "rejected_at_offer": Story(
        (*_TO_OFFER, Stage.REJECTED), _PAST, reason=data.OFFER_REJECTION_REASON
    ),
    "withdrawn_early": Story((Stage.WITHDRAWN,), _PAST),
    "withdrawn_at_screening": Story((*_SCREEN, Stage.WITHDRAWN), _PAST),
    "withdrawn_at_interview": Story((*_TO_INTERVIEW, Stage.WITHDRAWN), _PAST),
    "declined_offer": Story(
        (*_TO_OFFER, Stage.WITHDRAWN), _PAST, reason=data.DECLINED_OFFER_REASON
    ),
    # Withdrawn long enough ago that the same referrer can refer the candidate again.
    "paused_for_project": Story((Stage.WITHDRAWN,), (90.0, 140.0), reason=data.PAUSED_REASON),
}

# The stories of the candidates data.SCRIPTED_REFERRALS does not fix, dealt out at random.
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
SUBMISSION_HOURS = (8, 22)  # referrers write in the evening too
OFFICE_HOURS = (9, 18)  # HR moves referrals during the working day
HR_MAIN_SHARE = 0.8  # the demo HR login makes most moves; the other recruiters the rest


@dataclass
class _Plan:
    candidate: tuple[str, str, str, str, str, str]
    job: Job
    story: Story
    moments: list[datetime]  # the submission, then one per step of story.path
    referrer: User
    referred_before: bool = False


def _referrals(rng: random.Random, users: list[User], jobs: list[Job], now: datetime) -> int:
    """Referrals in every stage, with histories, written through the referral services."""
    emails = [candidate[1] for candidate in data.CANDIDATES]
    if db.session.scalar(select(func.count(Candidate.id)).where(Candidate.email.in_(emails))):
        logger.info("demo referrals already present: none added")
        return 0
    rules = current_rules()
    hr = next(u for u in users if u.email == HR_LOGIN)
    other_hr = [u for u in users if u.role == Role.HR and u.is_active_account and u is not hr]
    logins = {email for email, *_ in data.DEMO_ACCOUNTS}
    # Who may refer: active, not HR (HR earns no bonus), in a department the rules let refer.
    referrers = [
        u
        for u in users
        if u.role != Role.HR
        and u.is_active_account
        and u.email not in logins  # the demo logins get exactly their scripted referrals
        and rules.is_department_eligible(u.department_id)
    ]
    regulars = rng.sample(referrers, 8)  # the keen few who refer again and again
    by_email = {u.email: u for u in users}
    plans = _plan(rng, {job.title: job for job in jobs}, by_email, referrers, regulars, now)
    plans.sort(key=lambda plan: plan.moments[0])  # ids follow the order things happened in
    first_notification = db.session.scalar(select(func.max(Notification.id))) or 0
    with badge_services.deferred():  # badges follow the re-dated history, replayed in order
        for plan in plans:
            _write(rng, plan, hr, other_hr)
        db.session.commit()
    badge_services.replay_history(announced_before=now - timedelta(days=3))
    _payouts(rng, hr, now)
    _read_old_notifications(rng, first_notification, now)
    logger.info("demo: %s referrals written", len(plans))
    return len(plans)


def _payouts(rng: random.Random, hr: User, now: datetime) -> None:
    """Take the payouts the stage moves created through HR's payout services, dated sensibly:
    older ones approved within days and paid with a monthly payroll, one cancelled by HR, a few
    recent ones still pending (one of them overdue), so the demo shows every status."""
    overdue_days = current_app.config["PAYOUT_OVERDUE_DAYS"]
    payouts = list(
        db.session.scalars(select(Payout).order_by(Payout.created_at, Payout.id)).unique()
    )
    for payout in payouts:
        if payout.status == PayoutStatus.CANCELLED:
            # Cancelled when the hire left: date it with the "left the company" record.
            left = db.session.scalar(
                select(func.max(ReferralEvent.created_at)).where(
                    ReferralEvent.referral_id == payout.referral_id,
                    ReferralEvent.kind == EventKind.LEFT_COMPANY,
                )
            )
            payout.created_at = payout.cancelled_at = left or payout.created_at
    db.session.commit()
    pending = [p for p in payouts if p.status == PayoutStatus.PENDING]
    cancelled_one = False
    # The newest payout older than the overdue limit was forgotten, so the overdue flag shows.
    forgotten = next(
        (p for p in reversed(pending) if now - p.created_at > timedelta(days=overdue_days)), None
    )
    for payout in pending:
        age = now - payout.created_at
        if age < timedelta(days=overdue_days + 3) or payout is forgotten:
            continue  # recent: HR has not got to it yet
        if not cancelled_one and age > timedelta(days=60):
            mark = _last_ids()
            payout_services.cancel_payout(
                payout, hr, data.PAYOUT_CANCEL_REASON, at=payout.created_at + timedelta(days=2)
            )
            _backdate_since(mark, payout.created_at + timedelta(days=2))
            cancelled_one = True
            continue
        approved_at = payout.created_at + timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 5))
        mark = _last_ids()
        payout_services.approve_payout(payout, hr, at=approved_at)
        _backdate_since(mark, approved_at)
        # Paid with the payroll of the 10th of the month after approval, when that has passed.
        local = to_local(approved_at)
        payday = (local.replace(day=1) + timedelta(days=32)).replace(day=10).date()
        if payday < local_today() - timedelta(days=1):
            paid_at = _utc(datetime.combine(payday, time(16), company_tz()))
            mark = _last_ids()
            payout_services.mark_paid(
                payout, hr, payday, f"PR-{payday:%Y%m}-{payout.id:04d}", at=paid_at
            )
            _backdate_since(mark, paid_at)
    # Of the recent ones, HR approved the oldest already: it waits for the next payroll.
    recent = [p for p in pending if p.status == PayoutStatus.PENDING and p is not forgotten]
    if len(recent) >= 2:
        approved_at = min(recent[0].created_at + timedelta(days=1), now - timedelta(hours=1))
        mark = _last_ids()
        payout_services.approve_payout(recent[0], hr, at=approved_at)
        _backdate_since(mark, approved_at)
    db.session.commit()


def _announcements(rng: random.Random, hr: User, now: datetime) -> None:
    """HR's announcements on the thanks wall, posted (and everyone notified) through the thanks
    service. The paid payouts were thanked by `mark_paid` itself, on their payment dates."""
    if db.session.scalar(
        select(func.count(ThanksPost.id)).where(ThanksPost.kind == ThanksKind.ANNOUNCEMENT)
    ):
        return
    for days_ago, title, body in data.ANNOUNCEMENTS:
        after = db.session.scalar(select(func.max(Notification.id))) or 0
        at = _at_hour(rng, now - timedelta(days=days_ago), OFFICE_HOURS, None, now)
        thanks_services.post_announcement(hr, title, body, at=at)
        _read_old_notifications(rng, after, now)


def _perks(hr: User, users: list[User], now: datetime) -> None:
    """The perk shop with pictures drawn here, and redemptions in every status by people whose
    balances cover them, written through the perk services and dated in the past."""
    existing = set(db.session.scalars(select(Perk.name_zh)))
    perks: list[Perk] = []
    for (
        name_en,
        name_zh,
        desc_en,
        desc_zh,
        cost,
        stock,
        limit,
        approval,
        colours,
        motif,
    ) in data.PERKS:
        if name_zh in existing:
            perks.append(db.session.scalars(select(Perk).where(Perk.name_zh == name_zh)).one())
            continue
        picture = perk_pictures.check_picture(io.BytesIO(perk_picture(*colours, motif)))
        fields = perk_services.PerkFields(
            name_en, name_zh, desc_en, desc_zh, cost, stock, limit, approval, True
        )
        perks.append(perk_services.create_perk(hr, fields, picture))
    if db.session.scalar(select(func.count(Redemption.id))):
        return
    employee = next(u for u in users if u.email == data.DEMO_ACCOUNTS[2][0])
    others = [u for u in users if u.role != Role.HR and u.is_active_account and u is not employee]
    others.sort(key=lambda u: (-points_queries.balance(u.id), u.id))
    first_notification = db.session.scalar(select(func.max(Notification.id))) or 0
    used: set[int] = set()
    for index, outcome, days_ago, demo_first in data.REDEMPTIONS:
        perk = perks[index]
        at = now - timedelta(days=days_ago)
        candidates = ([employee] if demo_first else []) + [u for u in others if u.id not in used]
        person = next(
            (u for u in candidates if points_queries.balance(u.id) >= perk.cost_points), None
        )
        if person is None:
            continue
        if person is not employee:
            used.add(person.id)
        mark = _last_ids()
        redemption = perk_services.redeem(person, perk.id, at=at)
        _backdate_since(mark, at)
        decided = min(at + timedelta(days=1, hours=2), now - timedelta(hours=1))
        if outcome in ("approved", "rejected"):
            mark = _last_ids()
            if outcome == "approved":
                perk_services.approve_redemption(hr, redemption.id, at=decided)
            else:
                perk_services.reject_redemption(
                    hr, redemption.id, data.REDEMPTION_REJECT_REASON, at=decided
                )
            _backdate_since(mark, decided)
        db.session.commit()
    _read_old_notifications(random.Random(4), first_notification, now)


def _plan(
    rng: random.Random,
    jobs: dict[str, Job],
    by_email: dict[str, User],
    referrers: list[User],
    regulars: list[User],
    now: datetime,
) -> list[_Plan]:
    """Give every candidate a job, a story that fits the job's age, a timeline and a referrer."""
    scripted: dict[str, list[tuple[str | None, str]]] = {}
    for login, email, story_name in data.SCRIPTED_REFERRALS:
        scripted.setdefault(email, []).append((login, story_name))
    pool = [name for name, count in STORY_MIX for _ in range(count)]
    rng.shuffle(pool)
    candidates = [c for c in data.CANDIDATES if c[5] in jobs and jobs[c[5]].is_open]
    # The youngest jobs choose first: they can only hold short stories.
    candidates.sort(key=lambda c: jobs[c[5]].opened_at or now, reverse=True)
    plans: list[_Plan] = []
    for candidate in candidates:
        job = jobs[candidate[5]]
        previous: _Plan | None = None
        for login, story_name in scripted.get(candidate[1], [(None, "")]):
            if previous and previous.story.path[-1:] != (Stage.WITHDRAWN,):
                break  # the first referral still owns the candidate: no second one
            not_before = previous.moments[-1] if previous else None
            story, moments = None, None
            # A scripted story, or the first story left in the pool that fits the job's age; a
            # fresh submission when none does (a job opened recently).
            names = [story_name] if story_name else list(pool)
            for name in [*names, "submitted_fresh"]:
                moments = _timeline(rng, STORIES[name], job, now, not_before)
                if moments:
                    story = STORIES[name]
                    if not story_name and name in pool:
                        pool.remove(name)
                    break
            if story is None or moments is None:
                logger.warning("demo: no story fits %s for job %s", candidate[1], job.title)
                continue
            referrer = by_email.get(login) if login else None
            if referrer is None or not _may_refer(referrer, job, moments[0]):
                referrer = _pick_referrer(rng, job, moments[0], referrers, regulars)
            if referrer is None:
                continue
            plan = _Plan(candidate, job, story, moments, referrer, previous is not None)
            plans.append(plan)
            previous = plan
    return plans


def _may_refer(user: User, job: Job, when: datetime) -> bool:
    # A hiring manager referring into their own requisition earns no bonus: the demo avoids it.
    return (
        user.is_active_account
        and user.role != Role.HR
        and user.id != job.hiring_manager_id
        and user.created_at < when
        and current_rules().is_department_eligible(user.department_id)
    )


def _pick_referrer(
    rng: random.Random, job: Job, when: datetime, referrers: list[User], regulars: list[User]
) -> User | None:
    anyone = [u for u in referrers if u.id != job.hiring_manager_id and u.created_at < when]
    keen = [u for u in regulars if u in anyone]
    colleagues = [u for u in anyone if u.department_id == job.department_id]
    roll = rng.random()
    group = keen if roll < 0.35 else colleagues if roll < 0.7 else anyone
    group = group or anyone
    return rng.choice(group) if group else None


def _timeline(
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
    moments = [_at_hour(rng, raw[0], SUBMISSION_HOURS, None, now)]
    for moment in raw[1:]:
        moments.append(_at_hour(rng, moment, OFFICE_HOURS, moments[-1], now))
    return moments


def _at_hour(
    rng: random.Random,
    moment: datetime,
    hours: tuple[int, int],
    after: datetime | None,
    now: datetime,
) -> datetime:
    """`moment` moved to a plausible time: within `hours` (local time) of its day, or of the next
    working day when that day has no room left, always after `after` and before now."""
    earliest = after + timedelta(minutes=10) if after else None
    local_day = to_local(moment).date()
    for offset in range(4):
        day = local_day + timedelta(days=offset)
        if hours == OFFICE_HOURS and day.weekday() >= 5:
            continue
        start = _utc(datetime.combine(day, time(hours[0]), company_tz()))
        end = _utc(datetime.combine(day, time(hours[1], 59), company_tz()))
        low = max(start, earliest) if earliest else start
        high = min(end, now - timedelta(minutes=1))
        if low < high:
            return low + timedelta(seconds=rng.randint(0, int((high - low).total_seconds())))
    # No room in office hours before now (a step minutes ago): keep the moment, in order.
    moment = moment.replace(microsecond=0)
    if earliest is None or earliest < moment:
        return moment
    return after + (now - after) / 2 if after else moment


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None, microsecond=0)


def _write(rng: random.Random, plan: _Plan, hr: User, other_hr: list[User]) -> Referral:
    """Submit the referral and walk it through its story, backdating each step."""
    name, email, phone, employer, title, _job_title = plan.candidate
    job, story = plan.job, plan.story
    # Referrers mostly judge well: the hard requirements of those who go on to be rejected were
    # more often "not sure" or "does not meet".
    weights = (5, 3, 2) if Stage.REJECTED in story.path else (12, 2, 0.3)
    hard = {
        req.key: rng.choices(list(Assessment), weights=weights)[0].value
        for req in hard_requirements(job)
    }
    reasons = data.FIT_REASONS.get(job.family.value) or data.FIT_REASONS["engineering"]
    fit_reason = rng.choice(reasons)
    if plan.referred_before:
        fit_reason = f"{data.REREFERRAL_NOTE}\n\n{fit_reason}"
    resume_url, resume = None, None
    if rng.random() < 0.2:
        resume = ResumeUpload(io.BytesIO(_resume_pdf(plan.candidate, job)), f"{name}-简历.pdf")
    else:
        token = "".join(rng.choices(string.ascii_letters + string.digits, k=12))
        resume_url = rng.choice(
            [f"https://pan.example.com/s/{token}", f"https://drive.example.com/file/{token}/view"]
        )
    submission = ReferralSubmission(
        candidate_name=name,
        email=email,
        phone=phone,
        current_employer=employer,
        current_title=title,
        relationship=rng.choices(list(Relationship), weights=(2, 5, 2, 3, 1))[0],
        known_for=rng.choices(list(KnownFor), weights=(1, 3, 3, 2))[0],
        fit_reason=fit_reason,
        consent=True,
        hard_assessment=hard,
        soft_ratings={trait: rng.randint(3, 5) for trait in job.soft_traits or []},
        resume_url=resume_url,
        confirm_low_match=is_low_match(job, hard),
    )

    submitted = plan.moments[0]
    mark = _last_ids()
    referral = submit_referral(plan.referrer, job, submission, resume)
    rules = referral.rules or current_rules()
    referral.submitted_at = referral.stage_changed_at = submitted
    referral.consent_confirmed_at = submitted
    referral.review_due_at = add_working_days(submitted, rules.review_sla_days)
    referral.owned_until = submitted + timedelta(days=rules.ownership_window_days)
    referral.candidate.created_at = submitted
    _backdate_since(mark, submitted)

    hired_at = None
    for stage, moment in zip(story.path, plan.moments[1:], strict=True):
        actor = hr if rng.random() < HR_MAIN_SHARE or not other_hr else rng.choice(other_hr)
        mark = _last_ids()
        if stage == Stage.WITHDRAWN:
            # Usually the referrer passes on the candidate's decision; sometimes HR records it.
            withdrawer = plan.referrer if rng.random() < 0.6 else actor
            withdraw_referral(
                referral, withdrawer, story.reason or rng.choice(data.WITHDRAWAL_REASONS)
            )
            referral.stage_changed_at = moment
        else:
            reason = None
            if stage == Stage.REJECTED:
                reason = story.reason or rng.choice(data.REJECTION_REASONS)
            feedback = rng.choice(data.FEEDBACK[stage.value])
            if stage == Stage.REJECTED and rng.random() < 0.5:
                feedback = None
            notes = data.INTERNAL_NOTES.get(stage.value)
            note = rng.choice(notes) if notes and rng.random() < 0.5 else None
            advance_stage(
                referral,
                stage,
                actor,
                internal_note=note,
                feedback=feedback,
                reason=reason,
                expected_from=referral.stage,
                at=moment,
            )
            if stage == Stage.HIRED:
                hired_at = moment
        _backdate_since(mark, moment)

    if story.left_company and hired_at is not None:
        left_on = to_local(hired_at).date() + timedelta(days=rng.randint(25, 60))
        left_on = min(left_on, local_today() - timedelta(days=1))
        recorded = _utc(datetime.combine(left_on + timedelta(days=1), time(10), company_tz()))
        recorded += timedelta(minutes=rng.randint(0, 300))
        mark = _last_ids()
        record_left_company(referral, hr, left_on, note=data.LEFT_COMPANY_NOTE)
        _backdate_since(mark, min(recorded, utcnow() - timedelta(minutes=5)))
    return referral  # the next service call commits the re-dating, or _referrals at the end


def _last_ids() -> tuple[int, int]:
    """The newest event and notification ids: what a service call writes next comes after them."""
    return (
        db.session.scalar(select(func.max(ReferralEvent.id))) or 0,
        db.session.scalar(select(func.max(Notification.id))) or 0,
    )


def _backdate_since(mark: tuple[int, int], moment: datetime) -> None:
    """Date the events and notifications written since `mark` at `moment` (uncommitted)."""
    last_event, last_notification = mark
    db.session.execute(
        update(ReferralEvent).where(ReferralEvent.id > last_event).values(created_at=moment)
    )
    db.session.execute(
        update(Notification).where(Notification.id > last_notification).values(created_at=moment)
    )


def _read_old_notifications(rng: random.Random, after_id: int, now: datetime) -> None:
    """People read what reached them days ago; only the last few days stay unread."""
    cutoff = now - timedelta(days=3)
    old = db.session.scalars(
        select(Notification).where(
            Notification.id > after_id,
            Notification.read_at.is_(None),
            Notification.created_at < cutoff,
        )
    )
    for notification in old:
        read = notification.created_at + timedelta(hours=rng.uniform(0.2, 30.0))
        notification.read_at = min(read, now)
    db.session.commit()


def _resume_pdf(candidate: tuple[str, ...], job: Job) -> bytes:
    """A small, valid one-page PDF standing in for the candidate's resume (ASCII text only)."""
    email, phone = candidate[1], candidate[2]
    english_name = " ".join(part.capitalize() for part in email.split("@")[0].split("."))
    lines = [
        english_name,
        "Resume",
        f"Email: {email}",
        f"Phone: +86 {phone}",
        f"Years of experience: {job.min_years + 2}",
    ]

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = ["BT", "/F1 20 Tf", "72 760 Td", f"({escape(lines[0])}) Tj", "/F1 11 Tf"]
    for line in lines[1:]:
        ops += ["0 -22 Td", f"({escape(line)}) Tj"]
    ops.append("ET")
    content = "\n".join(ops).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        pdf += b"%010d 00000 n \n" % offset
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(pdf)
