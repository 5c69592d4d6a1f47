"""Why a referral did not move forward (rejected) or was withdrawn: a short list HR or the
referrer chooses from, each with the plain label the chooser reads and the kind wording the
referrer reads on their referral (and may pass on to the candidate).

The chosen code is stored on the history event (`ReferralEvent.reason_code`) beside the free
text in the chooser's own words (`ReferralEvent.reason`); "other" needs the free text. A
rejection for one of `VOIDING_CODES` (a duplicate, a self-referral) also takes back the points
the referral earned.
"""

from __future__ import annotations

import enum

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from community.pipeline import Stage


class RejectReason(enum.StrEnum):
    SKILLS = "skills"
    SENIORITY = "seniority"
    INTERVIEW = "interview"
    CLOSER_FIT = "closer_fit"
    POSITION_CLOSED = "position_closed"
    SALARY = "salary"
    DUPLICATE = "duplicate"
    SELF_REFERRAL = "self_referral"
    OTHER = "other"


# Reasons that void what the referral earned: its stage points are reversed (`points`).
VOIDING_CODES: frozenset[str] = frozenset({RejectReason.DUPLICATE, RejectReason.SELF_REFERRAL})


class WithdrawReason(enum.StrEnum):
    OTHER_OFFER = "other_offer"
    NOT_INTERESTED = "not_interested"
    DECLINED_OFFER = "declined_offer"
    UNREACHABLE = "unreachable"
    MISTAKE = "mistake"
    OTHER = "other"


OTHER = "other"

# What the person choosing reads in the list.
CHOICE_LABELS: dict[str, LazyString] = {
    RejectReason.SKILLS: _l("Skills or experience do not match the role"),
    RejectReason.SENIORITY: _l("Seniority does not fit (too junior or too senior)"),
    RejectReason.INTERVIEW: _l("Did not pass the interviews"),
    RejectReason.CLOSER_FIT: _l("Another candidate was a closer fit"),
    RejectReason.POSITION_CLOSED: _l("The position was filled or closed"),
    RejectReason.SALARY: _l("Salary expectations could not be met"),
    RejectReason.DUPLICATE: _l("Duplicate: the candidate was already referred or in process"),
    RejectReason.SELF_REFERRAL: _l("Self-referral: the referrer referred themselves"),
    WithdrawReason.OTHER_OFFER: _l("The candidate accepted another offer"),
    WithdrawReason.NOT_INTERESTED: _l("The candidate is no longer interested"),
    WithdrawReason.DECLINED_OFFER: _l("The candidate declined our offer"),
    WithdrawReason.UNREACHABLE: _l("The candidate could not be reached"),
    WithdrawReason.MISTAKE: _l("Referred by mistake"),
    OTHER: _l("Another reason (say which below)"),
}

# What the referrer reads on their referral: kind, and fit to pass on to the candidate.
KIND_WORDING: dict[str, LazyString] = {
    RejectReason.SKILLS: _l(
        "The team was looking for a different mix of skills and experience for this role."
    ),
    RejectReason.SENIORITY: _l("This role needed a different level of seniority this time."),
    RejectReason.INTERVIEW: _l(
        "After the interviews the team felt this role is not the right match this time."
    ),
    RejectReason.CLOSER_FIT: _l("Another candidate was a slightly closer fit for this opening."),
    RejectReason.POSITION_CLOSED: _l("The position has been filled or closed in the meantime."),
    RejectReason.SALARY: _l(
        "We could not meet the candidate's salary expectations for this role this time."
    ),
    RejectReason.DUPLICATE: _l(
        "This candidate was already in our process through another route, so this referral "
        "cannot count."
    ),
    RejectReason.SELF_REFERRAL: _l("A referral of oneself cannot count in the program."),
    WithdrawReason.OTHER_OFFER: _l("The candidate accepted another offer. We wish them well!"),
    WithdrawReason.NOT_INTERESTED: _l(
        "The candidate decided not to continue with this application."
    ),
    WithdrawReason.DECLINED_OFFER: _l("The candidate decided not to accept the offer."),
    WithdrawReason.UNREACHABLE: _l("We could not reach the candidate to continue."),
    WithdrawReason.MISTAKE: _l("The referral was withdrawn because it was made by mistake."),
}


def codes_for(stage: Stage) -> tuple[str, ...]:
    """The reasons one may choose when moving a referral to `stage` (rejected or withdrawn)."""
    if stage == Stage.REJECTED:
        return tuple(RejectReason)
    if stage == Stage.WITHDRAWN:
        return tuple(WithdrawReason)
    return ()


def kind_wording(code: str | None) -> str:
    """The referrer's wording of a reason code; empty for "other" (the free text says it)."""
    wording = KIND_WORDING.get(code or "")
    return str(wording) if wording is not None else ""
