"""Translatable labels for the referral form's answers (stage names live in `community.pipeline`)."""

from __future__ import annotations

from flask_babel import LazyString, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from community.core.localized import fill
from community.jobs.models import HardRequirement, RequirementKind
from community.referrals.models import Assessment, KnownFor, ReferralSource, Relationship

RELATIONSHIP_LABELS: dict[Relationship, LazyString] = {
    Relationship.CLOSE_FRIEND: _l("Close friend"),
    Relationship.FORMER_COLLEAGUE: _l("Former colleague"),
    Relationship.CLASSMATE: _l("Classmate"),
    Relationship.INDUSTRY_CONTACT: _l("Industry contact"),
    Relationship.OTHER: _l("Other"),
}

KNOWN_FOR_LABELS: dict[KnownFor, LazyString] = {
    KnownFor.UNDER_1: _l("Less than a year"),
    KnownFor.ONE_TO_3: _l("1–3 years"),
    KnownFor.THREE_TO_5: _l("3–5 years"),
    KnownFor.OVER_5: _l("More than 5 years"),
}

SOURCE_LABELS: dict[ReferralSource, LazyString] = {
    ReferralSource.FORM: _l("Referral form"),
    ReferralSource.LINK: _l("Personal link"),
    ReferralSource.CODE: _l("Referral code"),
    ReferralSource.INVITE: _l("Invitation"),
}

# Shown instead of "why this person fits" while a referral that came by the candidate's own
# application has no word from the referrer yet (`services.add_referrer_reason`).
APPLIED_NOTES: dict[ReferralSource, LazyString] = {
    ReferralSource.LINK: _l(
        "The candidate applied themselves through the referrer's personal link. The referrer has not written their own assessment yet."
    ),
    ReferralSource.CODE: _l(
        "The candidate applied themselves with the referrer's referral code. The referrer has not written their own assessment yet."
    ),
    ReferralSource.INVITE: _l(
        "The candidate accepted the referrer's invitation and applied themselves. The referrer has not written their own assessment yet."
    ),
}

# What a candidate applying through a link, code or invitation agrees to (their own consent,
# shown beside the checkbox and on the referral page).
APPLICANT_CONSENT_STATEMENT = _l(
    "I have read the privacy notice and agree that the company keeps the details and resume I give here to consider me for jobs."
)

ASSESSMENT_LABELS: dict[Assessment, LazyString] = {
    Assessment.MEETS: _l("Meets"),
    Assessment.NOT_SURE: _l("Not sure"),
    Assessment.DOES_NOT_MEET: _l("Does not meet"),
}


EDUCATION_REQUIREMENT_LABELS: dict[str, LazyString] = {
    "associate": _l("Associate degree or higher"),
    "bachelor": _l("Bachelor's degree or higher"),
    "master": _l("Master's degree or higher"),
    "doctorate": _l("Doctorate"),
}


def requirement_label(requirement: HardRequirement) -> Markup:
    """A hard requirement as a referrer reads it ("At least 3 years of experience", "Skill: Python"),
    a skill or certificate in the reader's language, marked with its own when it is not."""
    kind = requirement.kind
    if kind == RequirementKind.EDUCATION:
        return escape(str(EDUCATION_REQUIREMENT_LABELS.get(requirement.value, requirement.value)))
    if kind == RequirementKind.YEARS:
        n = int(requirement.value)
        return escape(
            ngettext(
                "At least %(num)s year of relevant experience",
                "At least %(num)s years of relevant experience",
                n,
            )
        )
    if kind == RequirementKind.SKILL:
        return fill(_("Skill: %(skill)s"), skill=requirement.shown)
    return fill(_("Certificate: %(name)s"), name=requirement.shown)
