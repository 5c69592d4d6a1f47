"""The demo's forum moderation, written through the moderation services: a paid-referral spam
reply that three colleagues flagged (hidden, waiting in the review queue), an off-topic reply one
colleague flagged (waiting, still shown), and a reply that shared a candidate's phone number,
hidden by a moderator with the reason its author was told (in the log)."""

from __future__ import annotations

import random
from datetime import datetime

from sqlalchemy import func, select

from community.accounts.models import Role, User
from community.club import membership
from community.extensions import db
from community.forum import posts
from community.forum.models import ForumFlag, ForumTopic
from community.forum.moderation import services


def moderate_forum(rng: random.Random, users: list[User], now: datetime) -> int:
    """Flag and moderate a few demo replies once (nothing when a flag exists or the forum is
    empty). Returns the flags written."""
    if db.session.scalar(select(func.count(ForumFlag.id))):
        return 0
    topics = list(db.session.scalars(select(ForumTopic).order_by(ForumTopic.id)))
    if not topics:
        return 0
    active = [u for u in users if u.is_active_account]
    hr = next(u for u in active if u.role == Role.HR)
    club = membership.roster()
    moderator = next((u for u in active if u.id in club.moderators), hr)
    people = [u for u in active if u.role != Role.HR and u.id != moderator.id]
    spammer, chatter, oversharer, *others = rng.sample(people, len(people))
    flaggers = [u for u in others if u.id not in (spammer.id, chatter.id, oversharer.id)]
    question, discussion = topics[0], topics[min(1, len(topics) - 1)]

    spam = posts.reply(
        spammer, question.id, "加我微信 referral888，内推任何大厂，收费 ¥500，包过！"
    )
    for flagger, reason in zip(flaggers[:3], ("spam", "spam", "abuse"), strict=True):
        services.flag_post(flagger, spam.id, reason)  # the third hides it until reviewed

    chat = posts.reply(chatter, discussion.id, "Anyone up for badminton on Friday evening?")
    services.flag_post(flaggers[3], chat.id, "off_topic")

    leak = posts.reply(
        oversharer, question.id, "我推荐的张伟电话是 138 1234 5678，大家可以直接联系他。"
    )
    services.flag_post(flaggers[4], leak.id, "private_data", "帖子里有候选人的手机号")
    services.hide_post(
        moderator, leak.id, "候选人的联系方式只能通过内推表单提交，不要公开在论坛里。"
    )
    db.session.commit()
    return int(db.session.scalar(select(func.count(ForumFlag.id))) or 0)
