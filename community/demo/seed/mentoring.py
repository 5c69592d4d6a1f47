"""The demo's mentoring (老带新), written through the mentoring services: two experienced
referrers offer to mentor (one of them `employee@demo.example` when they have a hire), the
newcomer login (`newcomer@demo.example`, so the mentee's side can be tried) asked one of them,
who accepted; the pair set a goal and wrote a few check-ins (dated over the
last two weeks). Added with the referral history, once (a demo that has a pairing gets none)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from community.accounts.models import Role, User
from community.core.time import local_today
from community.demo.data import NEWCOMER_LOGIN
from community.extensions import db
from community.mentoring import pairings, rules, services
from community.mentoring.models import CheckInNote, Pairing
from community.referrals.models import Referral

PREFERRED_MENTOR = "employee@demo.example"

OFFERS = (
    ("简历打磨, 面试准备, Backend jobs", "推荐过几位后端同事入职，乐意分享**怎么写推荐理由**。"),
    (
        "销售岗位, 人脉拓展, Outreach",
        "I refer people from my sales network — ask me how to reach out kindly.",
    ),
)

NOTES = (
    (
        "mentor",
        13,
        "第一次聊：看了技术研发部开放的岗位，挑了两个和你朋友圈匹配的。\n\n"
        "- 先列出 5 位可能合适的前同事\n- 下次一起看推荐理由怎么写",
    ),
    ("mentee", 9, "列好了名单，其中两位做过 **Python** 后端，打算先联系李工。"),
    (
        "mentor",
        4,
        "Reviewed the fit reason together: quantify results (p99 latency, team size) and be "
        "honest about the on-call load.",
    ),
)


def add_mentoring(now: datetime) -> int:
    """Offers, one pairing with its goal and notes; how many pairings were added (0 or 1)."""
    if db.session.scalar(select(func.count(Pairing.id))):
        return 0
    # Referrers only (an IN, not a DISTINCT join: PostgreSQL orders a DISTINCT by its columns).
    hired = db.session.scalars(
        select(User)
        .where(
            User.id.in_(select(Referral.referrer_id)),
            User.role != Role.HR,
            User.is_active_account.is_(True),
        )
        .order_by((User.email == PREFERRED_MENTOR).desc(), User.id)
    ).all()
    mentors = [user for user in hired if rules.may_mentor(user)][:2]
    if not mentors:
        return 0
    for mentor, (topics, about) in zip(mentors, OFFERS, strict=False):
        services.save_offer(mentor, topics, about, 3)
    newcomer = next(
        (
            user
            for user in db.session.scalars(
                select(User)
                .where(User.role == Role.EMPLOYEE, User.is_active_account.is_(True))
                .order_by((User.email == NEWCOMER_LOGIN).desc(), User.id)
            )
            if user not in mentors and rules.is_newcomer(user)
        ),
        None,
    )
    if newcomer is None:
        return 0
    mentor = mentors[0]
    pairing = services.request_mentor(
        newcomer, mentor.id, "你好！我刚加入不久，还没有推荐过人，想请你带带我。"
    )
    services.accept_request(mentor, pairing.id)
    today = local_today()
    pairings.set_goal(
        mentor,
        pairing.id,
        "30 天内完成第一次内推 (a first referral within 30 days)",
        today + timedelta(days=16),
        today + timedelta(days=76),
    )
    pairings.save_sharing(newcomer, pairing.id, True, True)
    # Services write "now": the request, the start and each check-in are re-dated to the past.
    started = now - timedelta(days=14)
    pairing.requested_at = started - timedelta(days=1)
    pairing.answered_at = pairing.started_at = started
    for who, days_ago, body in NOTES:
        note = pairings.add_note(mentor if who == "mentor" else newcomer, pairing.id, body)
        db.session.get(CheckInNote, note.id).created_at = now - timedelta(days=days_ago, hours=3)
    db.session.commit()
    return 1
