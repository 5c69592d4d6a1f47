"""Every write of the links room: an employee's code made on first need, links switched off and
on (by their owner, or by HR for good), a visitor counted, and a candidate's application passed
on to the referral spine (`referrals.services.submit_application`)."""

from __future__ import annotations

import logging

from flask_babel import gettext as _
from sqlalchemy import select, update

from community.accounts.models import User
from community.core.errors import CONFLICT, FORBIDDEN, DomainError
from community.core.permissions import is_hr
from community.core.time import utcnow
from community.core.transaction import insert_once
from community.extensions import db
from community.jobs.models import Job
from community.links import codes, counting
from community.links.models import PersonalLink, ReferralCode
from community.referrals.models import Referral, ReferralSource
from community.referrals.services import Application, submit_application

logger = logging.getLogger(__name__)

_CODE_TRIES = 8


class LinkError(DomainError):
    """A switch refused: not the person's link, or HR switched it off."""


def code_of(user: User) -> ReferralCode:
    """`user`'s referral code, made (and committed) the first time it is asked for. Two first
    asks at once make one code; a drawn code that is taken is drawn again."""
    found = db.session.scalars(select(ReferralCode).where(ReferralCode.user_id == user.id)).first()
    if found is not None:
        return found
    for _try in range(_CODE_TRIES):
        code = codes.new_code()
        if db.session.scalar(select(ReferralCode.id).where(ReferralCode.code == code)):
            continue  # taken: draw again (the unique index still decides a race)
        made = insert_once(
            ReferralCode,
            {"user_id": user.id, "code": code, "active": True, "created_at": utcnow()},
            ["user_id"],
        )
        db.session.commit()
        if made is not None:
            logger.info("referral code made for user %s", user.id)
        return db.session.scalars(select(ReferralCode).where(ReferralCode.user_id == user.id)).one()
    raise RuntimeError("no free referral code after several draws")  # 32⁸ codes: never


def _may_switch(actor: User, code: ReferralCode, on: bool, off_by_hr: bool) -> None:
    if not (actor.id == code.user_id or is_hr(actor)):
        raise LinkError(_("This is not your link."), status=FORBIDDEN)
    if on and off_by_hr and not is_hr(actor):
        raise LinkError(
            _("HR switched this link off. Please talk to HR to switch it on again."),
            status=CONFLICT,
        )


def switch_code(actor: User, code: ReferralCode, on: bool) -> ReferralCode:
    """Switch a whole code on or off: off, none of its owner's links works and the typed code is
    refused. The owner switches their own; HR any, and HR's switch-off only HR undoes."""
    _may_switch(actor, code, on, code.off_by_hr)
    code.active = on
    code.off_by_hr = not on and is_hr(actor) and actor.id != code.user_id
    code.switched_at = utcnow()
    code.switched_by_id = actor.id
    db.session.commit()
    logger.info("referral code %s switched %s by user %s", code.id, "on" if on else "off", actor.id)
    return code


def renew_code(actor: User, code: ReferralCode) -> ReferralCode:
    """Give the owner a new code in place of one that went too far (posted in a public group,
    say): every old link and the old typed code stop working at once; the links' counts stay.
    Only the owner renews; a code HR switched off stays off until HR switches it on."""
    if actor.id != code.user_id:
        raise LinkError(_("This is not your link."), status=FORBIDDEN)
    if code.off_by_hr:
        raise LinkError(
            _("HR switched this link off. Please talk to HR to switch it on again."),
            status=CONFLICT,
        )
    old = code.code
    for _try in range(_CODE_TRIES):
        drawn = codes.new_code()
        if drawn != old and not db.session.scalar(
            select(ReferralCode.id).where(ReferralCode.code == drawn)
        ):
            break
    else:
        raise RuntimeError("no free referral code after several draws")  # 32⁸ codes: never
    code.code = drawn
    code.active = True
    code.switched_at = utcnow()
    code.switched_by_id = actor.id
    db.session.commit()
    logger.info("referral code %s renewed by its owner", code.id)
    return code


def link_for(code: ReferralCode, job: Job) -> PersonalLink:
    """The row of `code`'s link for `job`, made (not committed) when there is none yet."""
    insert_once(
        PersonalLink,
        {"code_id": code.id, "job_id": job.id, "active": True, "created_at": utcnow()},
        ["code_id", "job_id"],
    )
    return db.session.scalars(
        select(PersonalLink).where(PersonalLink.code_id == code.id, PersonalLink.job_id == job.id)
    ).one()


def switch_link(actor: User, code: ReferralCode, job: Job, on: bool) -> PersonalLink:
    """Switch `code`'s link for one job on or off (the same rules as `switch_code`)."""
    existing = db.session.scalars(
        select(PersonalLink).where(PersonalLink.code_id == code.id, PersonalLink.job_id == job.id)
    ).first()
    _may_switch(actor, code, on, bool(existing and existing.off_by_hr))
    link = existing or link_for(code, job)
    link.active = on
    link.off_by_hr = not on and is_hr(actor) and actor.id != code.user_id
    link.switched_at = utcnow()
    link.switched_by_id = actor.id
    db.session.commit()
    logger.info("personal link %s switched %s by user %s", link.id, "on" if on else "off", actor.id)
    return link


def count_click(code: ReferralCode, job: Job | None, address: str | None) -> bool:
    """Count a visit of `code`'s link (for `job`, or for all open jobs): once per visitor and
    day (`address` is hashed, never kept). True when counted. The pages do not count the
    owner's own visits."""
    target = f"code:{code.id}" if job is None else f"job:{code.id}:{job.id}"
    if not counting.first_visit_today(target, address):
        return False
    if job is None:
        db.session.execute(
            update(ReferralCode)
            .where(ReferralCode.id == code.id)
            .values(clicks=ReferralCode.clicks + 1)
        )
    else:
        link = link_for(code, job)
        db.session.execute(
            update(PersonalLink)
            .where(PersonalLink.id == link.id)
            .values(clicks=PersonalLink.clicks + 1)
        )
    db.session.commit()
    return True


def apply_through(
    code: ReferralCode, job: Job, application: Application, typed_code: bool
) -> Referral:
    """A candidate's application through `code`'s link for `job` (or with the code typed in):
    the referral the code's owner gets, source "link" or "code". Raises ReferralError as
    `submit_application` does (a duplicate with code "duplicate": show a thank-you)."""
    source = ReferralSource.CODE if typed_code else ReferralSource.LINK
    return submit_application(code.user, job, application, source)
