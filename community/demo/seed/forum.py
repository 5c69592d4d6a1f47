"""The demo's forum: bilingual categories HR sets up (tips, success stories, questions, one per
job family that has open jobs), Chinese and English topics with replies, helpful votes, an
accepted answer, a topic about a job, and a success story linked to its author's own hire —
all written through the forum's services, then spread over the last weeks."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from community.accounts.models import Role, User
from community.club import membership
from community.extensions import db
from community.forum import answers, categories, posts, topics, votes
from community.forum.categories import CategoryInput
from community.forum.models import ForumCategory, ForumPost, ForumTopic
from community.jobs.models import Job, JobStatus
from community.pipeline import Stage
from community.referrals.models import Referral

CATEGORIES = [
    CategoryInput("tips", "内推技巧", "Referral tips", "怎样找到合适的人、写好推荐理由。",
                  "Finding the right people and writing a good recommendation."),
    CategoryInput("stories", "成功故事", "Success stories", "你推荐的人入职了？讲讲经过。",
                  "Someone you referred was hired? Tell us how it went."),
    CategoryInput("questions", "问与答", "Questions", "关于内推流程和奖金的问题。",
                  "Questions about the referral process and bonuses.", "questions"),
    CategoryInput("engineering", "工程岗位", "Engineering roles", "工程类岗位的内推交流。",
                  "Referring engineers."),
]  # fmt: skip


def add_forum(rng: random.Random, users: list[User], now: datetime) -> int:
    """Write the demo forum once (nothing when a category exists). Returns the topics written."""
    if db.session.scalar(select(func.count(ForumCategory.id))):
        return 0
    hr = next(u for u in users if u.role == Role.HR and u.is_active_account)
    made = {c.slug: categories.create(hr, c) for c in CATEGORIES}
    people = [u for u in users if u.is_active_account and u.role != Role.HR]
    members = [u for u in people if membership.is_member(u)] or people[:3]
    newcomers = [u for u in people if not membership.is_member(u)] or people[3:6]
    pick = rng.choice

    asker = pick(newcomers)
    question = topics.start(
        asker,
        category_id=made["questions"].id,
        title="第一次内推，推荐理由应该写什么？",
        body="我想推荐以前的同事，但不知道推荐理由写多详细合适。HR 最看重哪些内容？",
    )
    first = posts.reply(pick(members), question.id,
                        "写**具体的事**：你们一起做过什么项目、他解决过什么难题。\n\n"
                        "- 共事多久\n- 他最强的一点\n- 为什么适合这个岗位")  # fmt: skip
    second = posts.reply(pick(members), question.id, "另外，先和候选人确认他愿意被推荐。")
    for voter in rng.sample(people, 3):
        if voter.id != first.author_id:
            votes.vote(voter, first.id)
    answers.accept(asker, first.id)
    if second.author_id != asker.id:
        votes.vote(asker, second.id)

    english = topics.start(
        pick(members),
        category_id=made["tips"].id,
        title="How I find people worth referring",
        body="Three habits that worked for me:\n\n1. Keep a short list of people you'd hire "
        "again.\n2. Read the job's *must-haves* before you call anyone.\n3. Ask them first.",
    )
    posts.reply(pick(people), english.id, "Great list — the second point saved me an awkward call.")
    posts.reply(pick(newcomers), english.id, "谢谢分享，很实用！")
    topics.set_pinned(hr, english.id, True)

    job = db.session.scalars(
        select(Job).where(Job.status == JobStatus.OPEN).order_by(Job.id)
    ).first()
    if job is not None:
        about_job = topics.start(
            pick(members),
            category_id=made["engineering"].id,
            title=f"{job.title}：谁认识合适的人？",
            body="这个岗位招了一段时间了，大家有合适的人选可以一起讨论。",
            job_id=job.id,
        )
        posts.reply(pick(people), about_job.id, "我有一个前同事可能合适，先去问问他。")

    hire = db.session.scalars(
        select(Referral).where(Referral.stage == Stage.HIRED).order_by(Referral.id)
    ).first()
    if hire is not None:
        story = topics.start(
            hire.referrer,
            category_id=made["stories"].id,
            title="我的第一次成功内推",
            body="从推荐到入职大约一个月。关键是提前和候选人聊清楚岗位要求。",
            referral_id=hire.id,
        )
        posts.reply(pick(people), story.id, "恭喜！🎉")
    _spread(rng, now)
    db.session.commit()
    return int(db.session.scalar(select(func.count(ForumTopic.id))) or 0)


def _spread(rng: random.Random, now: datetime) -> None:
    """Date each topic some days back and its replies hours after it, in order."""
    for topic in db.session.scalars(select(ForumTopic).order_by(ForumTopic.id)):
        start = now - timedelta(days=rng.randint(2, 20), hours=rng.randint(0, 8))
        last = start
        for post in db.session.scalars(
            select(ForumPost).where(ForumPost.topic_id == topic.id).order_by(ForumPost.number)
        ):
            moment = start + timedelta(hours=3 * (post.number - 1), minutes=rng.randint(0, 50))
            db.session.execute(
                update(ForumPost).where(ForumPost.id == post.id).values(created_at=moment)
            )
            last = moment
        topic.created_at, topic.last_post_at = start, last
