"""The demo's forum: bilingual categories HR sets up (tips, success stories, questions, one for
engineering roles), some fourteen topics — mostly Chinese, several English — with replies,
helpful votes, three answered questions and one still open, a topic about an open job, and a
success story linked to one of its author's own hires.

Everything is written through the forum's services (so the search index and the points follow);
each call is then re-dated to its moment over the last weeks, as the referrals are
(backdating.py): the posts, votes, notifications and moderation log it wrote, and the search
index rows of its posts (the points it paid stay today's, see `_at`)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import ParamSpec, TypeVar

from sqlalchemy import func, select, update

from community.accounts.models import Role, User
from community.club import membership
from community.demo.seed.backdating import at_hour, backdate_since, last_ids
from community.extensions import db
from community.forum import answers, categories, posts, topics, votes
from community.forum.categories import CategoryInput
from community.forum.models import (
    ForumCategory,
    ForumModerationLog,
    ForumPost,
    ForumTopic,
    ForumVote,
)
from community.jobs.models import Job, JobStatus
from community.pipeline import Stage
from community.referrals.models import Referral
from community.search import services as search

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

WAKING_HOURS = (8, 22)  # people post in the evening too


@dataclass(frozen=True)
class Script:
    """One demo topic. Writers: "m" a club member, "n" a newcomer, "p" anyone, "hr", "op" the
    topic's author. `accept` is the index of the accepted reply; `votes` how many colleagues
    found each reply helpful (by index); `job`/`hire` tie the topic to an open job or to one
    of its author's hires."""

    category: str
    author: str
    title: str
    body: str
    days_ago: int
    replies: list[tuple[str, str]]
    accept: int | None = None
    votes: dict[int, int] = field(default_factory=dict)
    pin: bool = False
    job: bool = False
    hire: bool = False


SCRIPTS = [
    # The first two are the moderation demo's question and discussion (moderation.py).
    Script("questions", "n", "第一次内推，推荐理由应该写什么？",
           "我想推荐以前的同事，但不知道推荐理由写多详细合适。HR 最看重哪些内容？", 24,
           [("m", "写**具体的事**：你们一起做过什么项目、他解决过什么难题。\n\n"
                  "- 共事多久\n- 他最强的一点\n- 为什么适合这个岗位"),
            ("m", "另外，先和候选人确认他愿意被推荐。"),
            ("op", "明白了，我先和他聊一下，谢谢两位！")],
           accept=0, votes={0: 4, 1: 2}),
    Script("tips", "m", "How I find people worth referring",
           "Three habits that worked for me:\n\n1. Keep a short list of people you'd hire "
           "again.\n2. Read the job's *must-haves* before you call anyone.\n3. Ask them first.",
           27,
           [("p", "Great list — the second point saved me an awkward call."),
            ("n", "谢谢分享，很实用！"),
            ("p", "Number 3 matters most. I once referred someone who had just accepted an "
                  "offer elsewhere…")],
           votes={0: 2, 2: 1}, pin=True),
    Script("tips", "m", "分享几个面试的技巧",
           "最近帮三位朋友准备内推后的面试，总结了几点：\n\n"
           "1. 提前了解团队在做什么，看看公司的技术博客和产品。\n"
           "2. 讲项目用 STAR：情境、任务、行动、结果，结果尽量有数字。\n"
           "3. 准备两三个问面试官的问题，别只问加班多不多。\n\n"
           "大家还有什么面试技巧，欢迎补充。", 21,
           [("p", "补充一点：面试前把简历上每个项目都过一遍，面试官一定会追问细节。"),
            ("n", "STAR 这个方法很好用，上次面试就靠它讲清楚了。"),
            ("m", "Also: ask the recruiter what the loop looks like — 有几轮、每轮考什么，"
                  "准备起来心里有数。"),
            ("p", "收藏了，转给我推荐的朋友。")],
           votes={0: 3, 2: 2}),
    Script("questions", "n", "Python 面试一般考什么？",
           "我想推荐一位做数据的朋友去面后端岗位，他主要写 Python。"
           "我们这边的 Python 面试偏算法还是偏工程？", 18,
           [("m", "算法题不多，更多是实际问题：生成器、异步、写一个小服务再聊怎么测试。"),
            ("m", "We also do a short pairing session in Python. 面试官更看重思路和沟通，"
                  "不是背 API。"),
            ("op", "太好了，我把这些发给他了。"),
            ("p", "可以让他先看看 `pytest` 和类型标注，面试里经常聊到。")],
           accept=0, votes={0: 3, 1: 2, 3: 1}),
    Script("stories", "hire", "我的第一次成功内推",
           "从推荐到入职大约一个月。关键是提前和候选人聊清楚岗位要求，"
           "推荐理由里写了我们一起做过的项目，HR 说这很有帮助。", 16,
           [("p", "恭喜！这个经验很有用。"),
            ("m", "推荐理由写具体的事，确实是最有用的一条。"),
            ("n", "羡慕，希望我的第一次也能这么顺利。")],
           votes={1: 2}, hire=True),
    Script("engineering", "m", "", "这个岗位招了一段时间了，大家有合适的人选可以一起讨论。"
           "团队希望找有线上系统经验的人。", 14,
           [("p", "我有一个前同事可能合适，先去问问他。"),
            ("m", "我问过团队，远程面试也可以，外地的候选人也能推。"),
            ("op", "好消息，谢谢！")],
           votes={1: 2}, job=True),
    Script("questions", "n", "Can I refer someone who interviewed here last year?",
           "A friend interviewed with us about a year ago and was not hired. "
           "Can I refer her for a different role now?", 13,
           [("m", "Yes — I did exactly that in the spring. 不过最好在推荐理由里说明上次的情况。"),
            ("hr", "You can. After six months a candidate may apply again, and a referral for "
                   "a different role is welcome. Mention the earlier interview so we can read "
                   "its notes."),
            ("op", "Thanks, that's clear. Submitting today.")],
           accept=1, votes={0: 1, 1: 3}),
    Script("tips", "m", "推荐理由模板（欢迎修改）",
           "写推荐理由时我一般按这个顺序：\n\n"
           "> 我和他在 **某项目** 共事两年，他负责……\n"
           "> 他最强的是……，比如……\n"
           "> 我推荐他做这个岗位，因为……\n\n"
           "三段话就够了，HR 一眼能看到重点。", 11,
           [("n", "这个模板太及时了，正在写第一份推荐。"),
            ("p", "建议再加一句：候选人目前的状态（在职/看机会/什么时候能入职）。"),
            ("op", "好建议，已补充到我的草稿里。")],
           votes={1: 3}),
    Script("engineering", "p", "Referring senior engineers: where do you find them?",
           "Most of the senior people I know are not looking. How do you start the "
           "conversation without being pushy?", 9,
           [("m", "I never open with the job. I ask what they're working on and whether "
                  "they're learning anything — the job comes up naturally."),
            ("p", "我一般看给我们开源项目提过 PR 的人，聊起来有共同话题。"),
            ("n", "Good point about open source, I hadn't thought of that."),
            ("m", "And be honest about the team's problems. Senior people respect that.")],
           votes={0: 3, 1: 2}),
    Script("tips", "p", "候选人没通过，怎么跟他说？",
           "我推荐的朋友二面没过，HR 已经通知他了。我想自己也跟他聊聊，"
           "但不知道怎么开口比较好。", 7,
           [("m", "先谢谢他愿意来试，再问问他的感受，别急着分析原因。"),
            ("n", "同感，我上次也遇到过，最后请他吃了顿饭。"),
            ("m", "如果有合适的其他岗位，可以过段时间再推，很多人第二次就过了。")],
           votes={0: 2, 2: 1}),
    Script("stories", "m", "What I'd do differently on my next referral",
           "My referral was hired last quarter, but it took longer than it should have. "
           "Next time I will send the résumé in the format HR asks for, and tell the "
           "candidate how long each stage usually takes.", 5,
           [("p", "The timeline part is so important — candidates get nervous after a week."),
            ("n", "收藏了，很实用。")],
           votes={0: 2}),
    Script("engineering", "n", "前端岗位的面试流程最近变了吗？",
           "听说前端岗位加了一轮现场编程，有人知道具体怎么安排吗？", 4,
           [("m", "是的，从上个月开始，现场编程大概一小时，可以用自己熟悉的框架。"),
            ("p", "我推荐的人上周刚面完，说题目很贴近实际工作。")],
           votes={0: 2}),
    Script("tips", "m", "A checklist before you hit submit",
           "- The candidate agreed to be referred\n- The résumé is current\n"
           "- Your reason names one concrete thing they did\n- You picked the right job",
           3,
           [("p", "I'd add: check they are not already in the pipeline."),
            ("hr", "Good list. The form warns you about duplicates, but asking first is "
                   "kinder.")],
           votes={0: 2, 1: 1}),
    Script("questions", "n", "内推奖金什么时候发？试用期没过还算吗？",
           "我推荐的人下个月入职，想问一下奖金是入职就发，还是要等试用期结束？", 2,
           [("p", "我记得是入职满三个月后发，具体可以看内推规则页面。"),
            ("n", "同问，我也想知道试用期没过的情况。")],
           votes={0: 1}),
]  # fmt: skip

T = TypeVar("T")
P = ParamSpec("P")


def add_forum(rng: random.Random, users: list[User], now: datetime) -> int:
    """Write the demo forum once (nothing when a category exists). Returns the topics written."""
    if db.session.scalar(select(func.count(ForumCategory.id))):
        return 0
    hr = next(u for u in users if u.role == Role.HR and u.is_active_account)
    made = {c.slug: categories.create(hr, c) for c in CATEGORIES}
    people = [u for u in users if u.is_active_account and u.role != Role.HR]
    members = [u for u in people if membership.is_member(u)] or people[:3]
    newcomers = [u for u in people if not membership.is_member(u)] or people[3:6]
    pools = {"m": members, "n": newcomers, "p": people, "hr": [hr]}
    job = db.session.scalars(
        select(Job).where(Job.status == JobStatus.OPEN).order_by(Job.id)
    ).first()
    hire = next(
        (
            r
            for r in db.session.scalars(
                select(Referral).where(Referral.stage == Stage.HIRED).order_by(Referral.id)
            )
            if r.referrer.is_active_account
        ),
        None,
    )
    for script in SCRIPTS:
        if (script.job and job is None) or (script.hire and hire is None):
            continue
        author = hire.referrer if script.hire and hire else rng.choice(pools[script.author])
        moment = at_hour(rng, now - timedelta(days=script.days_ago), WAKING_HOURS, None, now)
        topic = _at(
            moment,
            topics.start,
            author,
            category_id=made[script.category].id,
            title=f"{job.title}：谁认识合适的人？" if script.job and job else script.title,
            body=script.body,
            job_id=job.id if script.job and job else None,
            referral_id=hire.id if script.hire and hire else None,
        )
        if script.pin:
            _at(moment, topics.set_pinned, hr, topic.id, True)
        written: list[ForumPost] = []
        for who, body in script.replies:
            writer = author if who == "op" else _someone(rng, pools[who], author)
            moment = at_hour(
                rng, moment + timedelta(hours=rng.randint(1, 20)), WAKING_HOURS, moment, now
            )
            written.append(_at(moment, posts.reply, writer, topic.id, body))
        for index, count in script.votes.items():
            post = written[index]
            others = [u for u in people if u.id != post.author_id]
            for voter in rng.sample(others, min(count, len(others))):
                later = moment + timedelta(minutes=rng.randint(5, 300))
                _at(min(later, now), votes.vote, voter, post.id)
                db.session.execute(
                    update(ForumVote)
                    .where(ForumVote.post_id == post.id, ForumVote.voter_id == voter.id)
                    .values(created_at=min(later, now))
                )
        if script.accept is not None:
            answer = written[script.accept]
            if answer.author_id != author.id:
                _at(moment, answers.accept, author, answer.id)
    db.session.commit()
    return int(db.session.scalar(select(func.count(ForumTopic.id))) or 0)


def _someone(rng: random.Random, pool: list[User], author: User) -> User:
    """Someone from `pool` other than the topic's author (people rarely answer themselves)."""
    return rng.choice([u for u in pool if u.id != author.id] or pool)


def _at(moment: datetime, call: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run one forum service call, then date what it wrote at `moment`: its posts (and their
    topic's times and search rows), notifications and moderation log entries. The points it paid
    keep today's date: the leaderboards counted them in today's periods, and moving the ledger
    entries alone would leave the boards out of step with it."""
    mark = last_ids()
    last_post = db.session.scalar(select(func.max(ForumPost.id))) or 0
    last_log = db.session.scalar(select(func.max(ForumModerationLog.id))) or 0
    result = call(*args, **kwargs)
    backdate_since(mark, moment)
    db.session.execute(
        update(ForumModerationLog).where(ForumModerationLog.id > last_log).values(created_at=moment)
    )
    new_posts = list(db.session.scalars(select(ForumPost).where(ForumPost.id > last_post)))
    for post in new_posts:
        post.created_at = moment
        topic = post.topic
        if post.number == 1:
            topic.created_at = moment
        topic.last_post_at = moment
    if isinstance(result, ForumTopic) and result.pinned_at is not None:
        result.pinned_at = moment
    search.index_posts(post.id for post in new_posts)
    db.session.commit()
    return result
