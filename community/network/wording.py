"""The words of the messages the coaches draft, in the language the referrer chooses for the
candidate — which may not be the page's. So they are kept here side by side in both languages
(like the demo's data), not in the catalogs: a draft in Chinese reads the same whatever the
referrer's own language, and a page's catalog never decides what a candidate reads. The page
around them (labels, advice, warnings) goes through gettext as everything else.

Each entry is a format string; `{name}`, `{title}` … are filled in by `coach` and `followup`."""

from __future__ import annotations

from community.network.models import Closeness

LANGUAGES = ("zh", "en")

OUTREACH: dict[str, dict[str, object]] = {
    "en": {
        "greeting": "Hi {name},",
        "opener": {
            Closeness.CLOSE: "There's something I'd love to tell you about. Could we talk for "
            "ten minutes this week, on the phone or over a coffee?",
            Closeness.ORDINARY: "I hope things are going well.",
            Closeness.ACQUAINTANCE: "A quick note, and no pressure at all.",
        },
        "reason": "I thought of you because {reason}",
        "job": "We're hiring a {title} ({department}, {location}).",
        "strong": "What makes it interesting: {points}.",
        "honest": "To be honest about what's hard: {challenges}",
        "advantages": "If I refer you, your résumé is marked as a referral and reviewed first, "
        "the process is usually faster, and I follow up with HR and keep you posted.",
        "advantages_short": "A referral means your résumé is reviewed first, the process is "
        "faster, and I can follow up for you.",
        "next": {
            Closeness.CLOSE: "If it sounds interesting, we can go through it together and I'll "
            "send you the details afterwards.",
            Closeness.ORDINARY: "If it sounds interesting, reply and I'll send you the details "
            "and refer you. If not, no worries at all.",
            Closeness.ACQUAINTANCE: "If you'd like to know more, just reply. If not, there's no "
            "need to answer.",
        },
        "sign": "Best,\n{sender}",
        "subject": "A job that made me think of you: {title}",
        "stop": ".",
        "list": ", ",
    },
    "zh": {
        "greeting": "{name}，你好！",
        "opener": {
            Closeness.CLOSE: "有个机会想跟你聊聊，这周方便打个电话，或者一起喝杯咖啡吗？",
            Closeness.ORDINARY: "最近工作还顺利吧？",
            Closeness.ACQUAINTANCE: "冒昧打扰一下，简单说件事，不必有压力。",
        },
        "reason": "我想到你，是因为{reason}",
        "job": "我们公司在招{title}（{department}，{location}）。",
        "strong": "这个岗位的亮点：{points}。",
        "honest": "也坦白说说挑战：{challenges}",
        "advantages": "如果走我的内推，你的简历会被标记为内推、优先筛选，流程通常更快，"
        "我也会帮你跟进进度，及时告诉你结果。",
        "advantages_short": "走内推的话简历会优先被查看，流程更快，我也能帮你跟进。",
        "next": {
            Closeness.CLOSE: "如果你感兴趣，我们见面细聊，之后我把详细信息发给你。",
            Closeness.ORDINARY: "如果感兴趣，回复我一下，我把详细信息发你并帮你内推；不合适也完全没关系。",
            Closeness.ACQUAINTANCE: "想了解更多的话回我一句就好，不感兴趣也不用回复。",
        },
        "sign": "{sender}",
        "subject": "一个让我想到你的岗位：{title}",
        "stop": "。",
        "list": "、",
    },
}

FOLLOW_UP: dict[str, dict[str, str]] = {
    "en": {
        "greeting": "Hi {name},",
        "screening": "Good news: your résumé for {title} is now with the team for screening. "
        "I'll keep you posted.",
        "interviewing": "Good news: you're invited to interview for {title}!",
        "offer": "Great news: the team would like to make you an offer for {title}! HR will be "
        "in touch about the details. Ask me anything, I'm happy to help.",
        "hired": "Welcome aboard! I'm really glad we'll be working at the same company. Tell me "
        "if there's anything I can help with before your first day.",
        "focus": "The interviews focus on: {focus}",
        "focus_ahead": "If you're invited to interview, they look closely at: {focus}",
        "prepare": "It helps to prepare a concrete example for each point: what you did, how, "
        "and the result, with numbers where you can.",
        "not_forward": "Thank you for your interest in {title}, and for your time.",
        "reason": "{reason}",
        "kind_end": "This says nothing about what you can do. When a role fits you better, "
        "I'll let you know.",
        "sign": "Best,\n{sender}",
        "subject": "About {title}",
    },
    "zh": {
        "greeting": "{name}，你好！",
        "screening": "好消息：你投递的{title}简历已经进入筛选阶段，有进展我会第一时间告诉你。",
        "interviewing": "好消息：{title}邀请你参加面试了！",
        "offer": "好消息：团队准备给你发{title}的 offer！HR 会联系你沟通细节，有任何问题随时问我。",
        "hired": "欢迎加入！很高兴以后能成为同事，入职前有什么需要帮忙的尽管说。",
        "focus": "面试会重点考察：{focus}",
        "focus_ahead": "如果进入面试，面试官会重点考察：{focus}",
        "prepare": "建议每一点都准备一个具体案例：你做了什么、怎么做的、结果如何，尽量用数字说明。",
        "not_forward": "谢谢你对{title}的关注，也谢谢你花的时间。",
        "reason": "{reason}",
        "kind_end": "这并不代表你的能力不行，之后有更合适的岗位我会再推荐你。",
        "sign": "{sender}",
        "subject": "关于{title}",
    },
}
