"""Translatable labels for job enums and hard requirements, shared by templates and other domains."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from community.core.localized import fill
from community.jobs.models import Education, HardRequirement, JobFamily, JobStatus, RequirementKind


def job_status_labels() -> dict[JobStatus, LazyString]:
    return {
        JobStatus.DRAFT: _l("Draft"),
        JobStatus.OPEN: _l("Open"),
        JobStatus.CLOSED: _l("Closed"),
    }


def job_family_labels() -> dict[JobFamily, LazyString]:
    return {
        JobFamily.ENGINEERING: _l("Engineering"),
        JobFamily.PRODUCT: _l("Product"),
        JobFamily.DESIGN: _l("Design"),
        JobFamily.MARKETING: _l("Marketing"),
        JobFamily.SALES: _l("Sales"),
        JobFamily.OPERATIONS: _l("Operations"),
        JobFamily.FINANCE: _l("Finance"),
        JobFamily.PEOPLE: _l("People & HR"),
        JobFamily.OTHER: _l("Other"),
    }


def education_labels() -> dict[Education, LazyString]:
    return {
        Education.NONE: _l("No formal requirement"),
        Education.ASSOCIATE: _l("Associate degree"),
        Education.BACHELOR: _l("Bachelor's degree"),
        Education.MASTER: _l("Master's degree"),
        Education.DOCTORATE: _l("Doctorate"),
    }


def job_status_label(status: JobStatus | str) -> str:
    return str(job_status_labels()[JobStatus(status)])


def job_family_label(family: JobFamily | str) -> str:
    return str(job_family_labels()[JobFamily(family)])


def education_label(education: Education | str) -> str:
    return str(education_labels()[Education(education)])


def requirement_label(requirement: HardRequirement) -> Markup:
    """A hard requirement as one readable line, e.g. "At least 3 years of relevant experience";
    a skill or certificate in the reader's language, marked with its own when it is not."""
    from flask_babel import gettext as _
    from flask_babel import ngettext

    if requirement.kind == RequirementKind.EDUCATION:
        return fill(_("%(level)s or higher"), level=education_label(requirement.value))
    if requirement.kind == RequirementKind.YEARS:
        n = int(requirement.value)
        return escape(
            ngettext(
                "At least %(num)s year of relevant experience",
                "At least %(num)s years of relevant experience",
                n,
            )
        )
    if requirement.kind == RequirementKind.SKILL:
        return fill(_("Skill: %(skill)s"), skill=requirement.shown)
    return fill(_("Certificate: %(certificate)s"), certificate=requirement.shown)


TEMPLATE_GLOBALS = {
    "job_status_label": job_status_label,
    "job_family_label": job_family_label,
    "education_label": education_label,
    "requirement_label": requirement_label,
}
