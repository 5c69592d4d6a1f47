"""The follow-up coach (the seed's third phase): when HR moves a referral, the referrer gets a
message to pass on to the candidate, either way — interview tips from the job's interview focus
(its core competencies when HR wrote none) when they go forward, a kind note with the reason's
kind wording (`pipeline.reasons`) when they do not. Only the referral's referrer reads it: for
anyone else, HR included, it is as missing as a referral that never was.

It reads the referral's latest move (`ReferralEvent`); HR's internal note never shows, nor HR's
free words for "other" (they were written for the referrer, who reads them beside the draft)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from community.accounts.models import User
from community.core.errors import NOT_FOUND
from community.core.localized import choose, localized, localized_list
from community.extensions import db
from community.network.rules import NetworkError
from community.network.wording import FOLLOW_UP, LANGUAGES, OUTREACH
from community.pipeline import Stage, reasons
from community.referrals.models import EventKind, Referral, ReferralEvent


@dataclass
class FollowUp:
    referral: Referral
    stage: Stage
    language: str
    forward: bool
    subject: str
    message: str
    focus_from_competencies: bool
    reason_code: str | None
    reason_words: str | None  # HR's free words, for the referrer only

    @property
    def voided(self) -> bool:
        """Closed as a duplicate or a self-referral: there is no one to send a note to."""
        return self.reason_code in reasons.VOIDING_CODES


def own_referral(user: User, referral_id: int) -> Referral:
    """The referral if `user` referred it; the same 404 refusal for anyone else's and none."""
    referral = db.session.get(Referral, referral_id)
    if referral is None or referral.referrer_id != user.id:
        raise NetworkError(_("There is no such referral of yours."), status=NOT_FOUND)
    return referral


def _latest_move(referral: Referral) -> ReferralEvent | None:
    return db.session.scalars(
        select(ReferralEvent)
        .where(
            ReferralEvent.referral_id == referral.id,
            ReferralEvent.kind == EventKind.STAGE_CHANGE,
        )
        .order_by(ReferralEvent.created_at.desc(), ReferralEvent.id.desc())
    ).first()


def _focus(referral: Referral, language: str) -> tuple[str, bool]:
    job = referral.job
    focus = localized(job, "interview_focus", language).text.strip()
    if focus:
        return " ".join(focus.split()), False
    items = [item.text for item in localized_list(job, "competencies", language)]
    return str(OUTREACH[language]["list"]).join(items), True


def _kind_words(code: str | None, language: str) -> str:
    if not code or code in reasons.VOIDING_CODES:
        return ""  # a duplicate or a self-referral is about the referral, not the candidate
    with force_locale("zh_CN" if language == "zh" else "en"):
        return reasons.kind_wording(code)


def first_name(name: str) -> str:
    """What to call someone in a note: the given name of a Latin name, the whole Chinese name."""
    parts = name.split()
    return parts[0] if len(parts) > 1 else name


def follow_up(user: User, referral_id: int, language: str | None = None) -> FollowUp:
    """The message for the candidate of the user's own referral, in `language`."""
    referral = own_referral(user, referral_id)
    language = language if language in LANGUAGES else "zh"
    words = FOLLOW_UP[language]
    job = referral.job
    title = choose(job.title, job.title_en, language).text
    stage = referral.stage
    move = _latest_move(referral)
    forward = not stage.is_closed_unsuccessfully
    parts = [words["greeting"].format(name=first_name(referral.candidate.name))]
    from_competencies = False
    code = move.reason_code if move and not forward else None
    if forward:
        key = stage.value if stage.value in words else "screening"
        parts.append(words[key].format(title=title))
        if stage in (Stage.SUBMITTED, Stage.SCREENING, Stage.INTERVIEWING):
            focus, from_competencies = _focus(referral, language)
            if focus:
                template = words["focus"] if stage == Stage.INTERVIEWING else words["focus_ahead"]
                stop = str(OUTREACH[language]["stop"])
                ended = focus if focus[-1] in ".!?。！？…" else focus + stop
                parts.append(template.format(focus=ended))
                parts.append(words["prepare"])
    else:
        parts.append(words["not_forward"].format(title=title))
        kind = _kind_words(code, language)
        if kind:
            parts.append(kind)
        parts.append(words["kind_end"])
    parts.append(words["sign"].format(sender=user.shown_name))
    return FollowUp(
        referral=referral,
        stage=stage,
        language=language,
        forward=forward,
        subject=words["subject"].format(title=title),
        message="\n\n".join(parts),
        focus_from_competencies=from_competencies,
        reason_code=code,
        reason_words=(move.reason if move and not forward else None),
    )
