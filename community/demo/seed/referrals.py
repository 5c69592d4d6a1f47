"""The demo referrals: every candidate gets a job, a story, a timeline and a referrer, and each
referral is written through the referral services and walked through its story, every step
backdated. Badges are then replayed over the re-dated history and the payouts settled."""

from __future__ import annotations

import io
import logging
import random
import string
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from community.accounts.models import Role, User
from community.badges import services as badge_services
from community.core.time import add_working_days, company_tz, local_today, to_local, utcnow
from community.demo.data.candidates import CANDIDATES, SCRIPTED_REFERRALS
from community.demo.data.company import DEMO_ACCOUNTS, HARD_FAMILY, QUIET_DEPARTMENT
from community.demo.data.referral_texts import (
    FEEDBACK,
    FIT_REASONS,
    INTERNAL_NOTES,
    LEFT_COMPANY_NOTE,
    REASON_CODES,
    REJECTION_REASONS,
    REREFERRAL_NOTE,
    WITHDRAWAL_REASONS,
)
from community.demo.resume_pdf import resume_pdf
from community.demo.seed.backdating import (
    backdate_since,
    last_ids,
    naive_utc,
    read_old_notifications,
)
from community.demo.seed.company import HR_LOGIN
from community.demo.seed.rewards import settle_payouts
from community.demo.seed.stories import STORIES, STORY_MIX, Story, timeline
from community.extensions import db
from community.jobs.models import Job, hard_requirements
from community.notifications.models import Notification
from community.program.queries import current_rules
from community.referrals.models import (
    Assessment,
    Candidate,
    KnownFor,
    Referral,
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

logger = logging.getLogger(__name__)

HR_MAIN_SHARE = 0.8  # the demo HR login makes most moves; the other recruiters the rest


@dataclass
class Plan:
    candidate: tuple[str, str, str, str, str, str]
    job: Job
    story: Story
    moments: list[datetime]  # the submission, then one per step of story.path
    referrer: User
    referred_before: bool = False


def history_present() -> bool:
    """Whether the demo's referrals were written already (any of its candidates exists)."""
    emails = [candidate[1] for candidate in CANDIDATES]
    return bool(
        db.session.scalar(select(func.count(Candidate.id)).where(Candidate.email.in_(emails)))
    )


def add_referrals(
    rng: random.Random,
    users: list[User],
    jobs: list[Job],
    now: datetime,
    more: list[Plan] | None = None,
) -> int:
    """Referrals in every stage, with histories, written through the referral services; `more`
    are planned elsewhere (the challenges') and written among them in time order."""
    if history_present():
        logger.info("demo referrals already present: none added")
        return 0
    rules = current_rules()
    hr = next(u for u in users if u.email == HR_LOGIN)
    other_hr = [u for u in users if u.role == Role.HR and u.is_active_account and u is not hr]
    logins = {email for email, *_ in DEMO_ACCOUNTS}
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
    # The quiet department: one of its people refers (drawn after the regulars, so the rest of
    # the demo's random draws stay as they were).
    quiet = [u for u in referrers if u.department and u.department.name == QUIET_DEPARTMENT]
    referrers = [u for u in referrers if u not in quiet[1:]]
    regulars = [u for u in regulars if u not in quiet]
    by_email = {u.email: u for u in users}
    plans = _plan(rng, {job.title: job for job in jobs}, by_email, referrers, regulars, now)
    plans += more or []
    plans.sort(key=lambda plan: plan.moments[0])  # ids follow the order things happened in
    first_notification = db.session.scalar(select(func.max(Notification.id))) or 0
    with badge_services.deferred():  # badges follow the re-dated history, replayed in order
        for plan in plans:
            _write(rng, plan, hr, other_hr)
        db.session.commit()
    badge_services.replay_history(announced_before=now - timedelta(days=3))
    settle_payouts(rng, hr, now)
    read_old_notifications(rng, first_notification, now)
    logger.info("demo: %s referrals written", len(plans))
    return len(plans)


def _plan(
    rng: random.Random,
    jobs: dict[str, Job],
    by_email: dict[str, User],
    referrers: list[User],
    regulars: list[User],
    now: datetime,
) -> list[Plan]:
    """Give every candidate a job, a story that fits the job's age, a timeline and a referrer."""
    scripted: dict[str, list[tuple[str | None, str]]] = {}
    for login, email, story_name in SCRIPTED_REFERRALS:
        scripted.setdefault(email, []).append((login, story_name))
    pool = [name for name, count in STORY_MIX for _ in range(count)]
    rng.shuffle(pool)
    candidates = [c for c in CANDIDATES if c[5] in jobs and jobs[c[5]].is_open]
    # The youngest jobs choose first: they can only hold short stories.
    candidates.sort(key=lambda c: jobs[c[5]].opened_at or now, reverse=True)
    plans: list[Plan] = []
    for candidate in candidates:
        job = jobs[candidate[5]]
        previous: Plan | None = None
        for login, story_name in scripted.get(candidate[1], [(None, "")]):
            if previous and previous.story.path[-1:] != (Stage.WITHDRAWN,):
                break  # the first referral still owns the candidate: no second one
            not_before = previous.moments[-1] if previous else None
            story, moments = None, None
            # A scripted story, or the first story left in the pool that fits the job's age; a
            # fresh submission when none does (a job opened recently).
            names = [story_name] if story_name else _fitting(pool, job)
            for name in [*names, "submitted_fresh"]:
                moments = timeline(rng, STORIES[name], job, now, not_before)
                if moments:
                    story = STORIES[name]
                    if not story_name and name in pool:
                        pool.remove(name)
                    break
            if story is None or moments is None:
                logger.warning("demo: no story fits %s for job %s", candidate[1], job.title)
                continue
            referrer = by_email.get(login) if login else None
            if referrer is None or not may_refer(referrer, job, moments[0]):
                referrer = _pick_referrer(rng, job, moments[0], referrers, regulars)
            if referrer is None:
                continue
            plan = Plan(candidate, job, story, moments, referrer, previous is not None)
            plans.append(plan)
            previous = plan
    return plans


def _fitting(pool: list[str], job: Job) -> list[str]:
    """The stories left to deal, in the order to try them: a job of the hard family tries the
    ones that end before the interview first (its referrals rarely fit: a finding to show)."""
    if job.family.value != HARD_FAMILY:
        return list(pool)
    early = [n for n in pool if not set(STORIES[n].path) & {Stage.INTERVIEWING, Stage.OFFER}]
    return early + [n for n in pool if n not in early]


def may_refer(user: User, job: Job, when: datetime) -> bool:
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


def _write(rng: random.Random, plan: Plan, hr: User, other_hr: list[User]) -> Referral:
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
    reasons = FIT_REASONS.get(job.family.value) or FIT_REASONS["engineering"]
    fit_reason = rng.choice(reasons)
    if plan.referred_before:
        fit_reason = f"{REREFERRAL_NOTE}\n\n{fit_reason}"
    resume_url, resume = None, None
    if rng.random() < 0.2:
        resume = ResumeUpload(io.BytesIO(resume_pdf(plan.candidate, job)), f"{name}-简历.pdf")
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
    mark = last_ids()
    referral = submit_referral(plan.referrer, job, submission, resume)
    rules = referral.rules or current_rules()
    referral.submitted_at = referral.stage_changed_at = submitted
    referral.consent_confirmed_at = submitted
    referral.review_due_at = add_working_days(submitted, rules.review_sla_days)
    referral.owned_until = submitted + timedelta(days=rules.ownership_window_days)
    referral.candidate.created_at = submitted
    backdate_since(mark, submitted)

    hired_at = None
    for stage, moment in zip(story.path, plan.moments[1:], strict=True):
        actor = hr if rng.random() < HR_MAIN_SHARE or not other_hr else rng.choice(other_hr)
        mark = last_ids()
        if stage == Stage.WITHDRAWN:
            # Usually the referrer passes on the candidate's decision; sometimes HR records it.
            withdrawer = plan.referrer if rng.random() < 0.6 else actor
            why = story.reason or rng.choice(WITHDRAWAL_REASONS)
            withdraw_referral(referral, withdrawer, why, REASON_CODES.get(why))
            referral.stage_changed_at = moment
        else:
            reason = None
            if stage == Stage.REJECTED:
                reason = story.reason or rng.choice(REJECTION_REASONS)
            feedback = rng.choice(FEEDBACK[stage.value])
            if stage == Stage.REJECTED and rng.random() < 0.5:
                feedback = None
            notes = INTERNAL_NOTES.get(stage.value)
            note = rng.choice(notes) if notes and rng.random() < 0.5 else None
            advance_stage(
                referral,
                stage,
                actor,
                internal_note=note,
                feedback=feedback,
                reason=reason,
                reason_code=REASON_CODES.get(reason or ""),
                start_date=to_local(moment).date() if stage == Stage.HIRED else None,
                expected_from=referral.stage,
                at=moment,
            )
            if stage == Stage.HIRED:
                hired_at = moment
        backdate_since(mark, moment)

    if story.left_company and hired_at is not None:
        left_on = to_local(hired_at).date() + timedelta(days=rng.randint(25, 60))
        left_on = min(left_on, local_today() - timedelta(days=1))
        recorded = naive_utc(datetime.combine(left_on + timedelta(days=1), time(10), company_tz()))
        recorded += timedelta(minutes=rng.randint(0, 300))
        mark = last_ids()
        record_left_company(referral, hr, left_on, note=LEFT_COMPANY_NOTE)
        backdate_since(mark, min(recorded, utcnow() - timedelta(minutes=5)))
    return referral  # the next service call commits the re-dating, or add_referrals at the end
