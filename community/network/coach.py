"""The outreach coach (the seed's second phase): for one person and one job, the channel their
closeness calls for, the next good moment in their time zone, a personal draft, the checklist
before sending, and the warnings (a message nearly the same as one drafted for someone else;
words that oversell). It reads; `services.coach` runs it and remembers the draft's sketch.

- Channel: close → call or meet; ordinary → a personal WeChat or e-mail message, never a group
  blast; acquaintance → a short, low-pressure note.
- Time: weekdays from NETWORK_OUTREACH_START to NETWORK_OUTREACH_END o'clock in the contact's
  zone (the company's when they have none): now, if that is inside it, else the next start.
- The draft: greeting, an opener by closeness, the referrer's reason, the job, its strong points
  (competencies, else the description's first sentence), its honest challenges, the referral's
  advantages (priority screening, a faster process, someone following up), the next step. The
  words are in `wording`, in the language chosen for the candidate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

from flask import current_app

from community.core.localized import choose, localized, localized_list
from community.core.time import to_local
from community.jobs.models import Job
from community.network import sketches
from community.network.models import Closeness
from community.network.rules import fold, zone_of
from community.network.wording import OUTREACH

# Words that oversell, in both languages: promises nobody can keep and superlatives.
OVERSELL_EN = (
    "guarantee",
    "guaranteed",
    "guarantees",
    "100%",
    "definitely",
    "for sure",
    "certainly",
    "no doubt",
    "the best",
    "best company",
    "perfect",
    "dream job",
    "no-brainer",
    "can't lose",
    "cannot lose",
    "easy offer",
    "sure thing",
    "amazing",
    "incredible",
    "world-class",
    "once-in-a-lifetime",
    "once in a lifetime",
)
OVERSELL_ZH = (
    "包过",
    "一定",
    "保证",
    "肯定",
    "百分百",
    "百分之百",
    "稳过",
    "稳了",
    "稳拿",
    "绝对",
    "最好的",
    "必过",
    "零风险",
    "躺赢",
    "铁定",
    "天花板",
    "神仙公司",
    "闭眼",
)
# What "what happens next" and "what is hard" look like in a message the person rewrote.
NEXT_WORDS = (
    "reply",
    "refer you",
    "details",
    "next step",
    "link",
    "follow up",
    "let me know",
    "回复",
    "内推",
    "详细",
    "下一步",
    "链接",
    "跟进",
    "告诉我",
)
HARD_WORDS = (
    "challenge",
    "hard",
    "pressure",
    "on-call",
    "overtime",
    "honest",
    "挑战",
    "压力",
    "加班",
    "值班",
    "坦白",
    "不容易",
)
# Estimated Jaccard of shingles from which two messages are "nearly the same text": two drafts of
# the coach for one job that differ only in the name reach 1.0, with a short reason each about
# 0.9, with a reason of a sentence or two each about 0.65.
GENERIC_SIMILARITY = 0.8
_FIRST_SENTENCE = re.compile(r"^(.+?[.!?。！？])(\s|$)", re.S)
_MARKDOWN = re.compile(r"[*_#`>]+|\[([^\]]*)\]\([^)]*\)")


@dataclass(frozen=True)
class Slot:
    """The next good moment to reach out, in the contact's zone (`at`), whether it is now, and
    the same moment in the company's zone when that differs."""

    at: datetime
    now: bool
    zone: str
    at_company: datetime | None


@dataclass
class Draft:
    """What the coach offers for one message."""

    language: str
    closeness: Closeness
    subject: str
    message: str
    talking_points: list[str]
    slot: Slot
    why: bool = False
    hard: bool = False
    next_step: bool = False
    oversold: list[str] = field(default_factory=list)
    similar: int = 0  # other people a nearly identical message was drafted for
    sketch: list[int] = field(default_factory=list)

    @property
    def generic(self) -> bool:
        return self.similar > 0

    def mailto(self, address: str | None) -> str:
        """A mailto: link that opens the person's mail program with the draft."""
        return "mailto:{}?subject={}&body={}".format(
            quote(address or "", safe="@"), quote(self.subject), quote(self.message)
        )


def good_hours() -> tuple[int, int]:
    config = current_app.config
    return int(config["NETWORK_OUTREACH_START"]), int(config["NETWORK_OUTREACH_END"])


def next_slot(now: datetime, zone_name: str | None) -> Slot:
    """The next moment inside the good hours (weekdays) in the zone, from `now` (naive UTC)."""
    zone = zone_of(zone_name)
    start, end = good_hours()
    local = to_local(now, zone)
    is_now = local.weekday() < 5 and time(start) <= local.time() < time(end)
    if is_now:
        at = local
    else:
        day = local.date() if local.time() < time(start) else local.date() + timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        at = datetime.combine(day, time(start), tzinfo=zone)
    company = ZoneInfo(current_app.config["COMPANY_TIMEZONE"])
    in_company = at.astimezone(company)
    shown_company = None if in_company.utcoffset() == at.utcoffset() else in_company
    return Slot(at=at, now=is_now, zone=str(zone), at_company=shown_company)


def _sentence(text: str) -> str:
    text = " ".join(_MARKDOWN.sub(r"\1", text or "").split())
    match = _FIRST_SENTENCE.match(text)
    return (match.group(1) if match else text)[:300]


def _ended(text: str, stop: str) -> str:
    text = " ".join((text or "").split())
    return text if not text or text[-1] in ".!?。！？…" else text + stop


def strong_points(job: Job, language: str) -> str:
    words = OUTREACH[language]
    items = [item.text for item in localized_list(job, "competencies", language)][:3]
    if items:
        return str(words["list"]).join(items)
    return _sentence(localized(job, "description", language).text).rstrip(".。!！")


def oversold(message: str) -> list[str]:
    """The words of `message` that oversell, as written in the lists above."""
    folded = fold(message)
    found = []
    for word in OVERSELL_EN:
        if re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", folded):
            found.append(word)
    found += [word for word in OVERSELL_ZH if word in folded]
    # "the best" also finds "best company": say the longer only
    return [w for w in found if not any(w != o and w in o for o in found)]


def draft_message(
    job: Job,
    *,
    name: str,
    closeness: Closeness,
    reason: str,
    language: str,
    sender: str,
) -> tuple[str, str, list[str]]:
    """(subject, message, talking points) for one person, in `language`."""
    words = OUTREACH[language]
    stop = str(words["stop"])
    title = choose(job.title, job.title_en, language).text
    department = localized(job.department, "name", language).text
    location = choose(job.location, job.location_en, language).text
    challenges = localized(job, "challenges", language).text
    points = strong_points(job, language)
    short = closeness == Closeness.ACQUAINTANCE
    parts: list[str] = [str(words["greeting"]).format(name=name)]
    parts.append(str(words["opener"][closeness]))  # type: ignore[index]
    talking = []
    if reason.strip():
        reason = " ".join(reason.split())
        if language == "en" and reason[:1].isupper() and not re.match(r"I\b|I'", reason):
            reason = reason[:1].lower() + reason[1:]  # "…because you mentioned", not "You"
        line = str(words["reason"]).format(reason=_ended(reason, stop))
        parts.append(line)
        talking.append(line)
    line = str(words["job"]).format(title=title, department=department, location=location)
    talking.append(line)
    if points and not short:
        line += ("" if language == "zh" else " ") + str(words["strong"]).format(points=points)
        talking.append(str(words["strong"]).format(points=points))
    parts.append(line)
    if challenges:
        shown = (
            _sentence(challenges) if short else " ".join(_MARKDOWN.sub(r"\1", challenges).split())
        )
        line = str(words["honest"]).format(challenges=_ended(shown, stop))
        parts.append(line)
        talking.append(line)
    line = str(words["advantages_short" if short else "advantages"])
    parts.append(line)
    talking.append(line)
    parts.append(str(words["next"][closeness]))  # type: ignore[index]
    parts.append(str(words["sign"]).format(sender=sender))
    separator = "\n\n"
    message = separator.join(parts)
    subject = str(words["subject"]).format(title=title)
    return subject, message, talking


def checklist(message: str, reason: str, job: Job) -> tuple[bool, bool, bool]:
    """Whether the message says why this person, what is hard about the job, and what happens
    next (read from the text itself, which the person may have rewritten)."""
    folded = fold(message)
    why = bool(reason.strip()) and fold(reason)[:24] in folded
    challenges = [fold(text)[:24] for text in (job.challenges, job.challenges_en) if text]
    hard = any(text and text in folded for text in challenges) or any(
        word in folded for word in HARD_WORDS
    )
    next_step = any(word in folded for word in NEXT_WORDS)
    return why, hard, next_step


def similar_count(mine: list[int], others: list[list[int]]) -> int:
    """How many of the other drafts are nearly the same as this one."""
    return sum(1 for other in others if sketches.similarity(mine, other) >= GENERIC_SIMILARITY)
