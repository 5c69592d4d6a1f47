"""A candidate's own application through a referrer's link, code or invitation
(`services.submit_application`): recorded honestly as the referrer's referral, refused by the
form's rules, and a duplicate that tells nobody anything."""

from __future__ import annotations

import io
from typing import Any

import pytest
from sqlalchemy import func, select

from community.accounts.models import Role
from community.extensions import db
from community.jobs.models import JobStatus
from community.notifications.models import Notification
from community.notifications.queries import message_for
from community.referrals import services
from community.referrals.models import (
    Candidate,
    KnownFor,
    Referral,
    ReferralSource,
    Relationship,
    Stage,
)
from tests.factories import make_job, make_user
from tests.referrals.factories import FIT_REASON, make_referral, pdf_upload


def application(**overrides: Any) -> services.Application:
    values: dict[str, Any] = {
        "name": "Wang Fang",
        "email": "wang.fang@example.org",
        "phone": None,
        "consent": True,
        "resume": pdf_upload(),
        "locale": "zh_CN",
    }
    values.update(overrides)
    return services.Application(**values)


def count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def notes_of(user_id: int) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification).where(
                Notification.user_id == user_id, Notification.kind != "badge_earned"
            )
        )
    )


def test_an_application_becomes_the_referrers_referral_with_its_source():
    hr = make_user(role=Role.HR)
    referrer = make_user()
    job = make_job()
    referral = services.submit_application(
        referrer, job, application(phone="138 1234 5678"), ReferralSource.LINK
    )
    assert referral.referrer_id == referrer.id
    assert referral.source == ReferralSource.LINK
    assert referral.stage == Stage.SUBMITTED
    # The referrer assessed nothing, and the referral says so.
    assert referral.relationship_kind == Relationship.OTHER
    assert referral.known_for == KnownFor.UNDER_1
    assert referral.fit_reason == ""
    assert referral.hard_assessment == {} and referral.soft_ratings == {}
    assert referral.candidate.locale == "zh_CN"
    assert referral.candidate.phone == "+8613812345678"
    assert referral.resume_mimetype == "application/pdf"
    [event] = referral.events
    assert event.actor_id is None  # the candidate took the step, not the referrer
    assert [n.kind for n in notes_of(hr.id)] == ["referral_received"]
    [note] = notes_of(referrer.id)
    assert note.kind == "referral_applied"
    assert "through your personal link" in message_for(note)


def test_a_code_application_tells_the_referrer_it_came_by_their_code():
    referrer = make_user()
    services.submit_application(referrer, make_job(), application(), ReferralSource.CODE)
    [note] = notes_of(referrer.id)
    assert "with your referral code" in message_for(note)


def test_the_referral_page_says_the_candidate_applied_themselves(client, auth):
    referrer = make_user()
    referral = services.submit_application(referrer, make_job(), application(), ReferralSource.LINK)
    auth.login(referrer)
    page = client.get(f"/referrals/{referral.id}")
    assert page.status_code == 200
    assert "applied themselves through the referrer's personal link" in page.text
    assert "Personal link" in page.text
    assert "The candidate agreed to the privacy notice themselves" in page.text
    assert "Consent confirmed by the referrer" not in page.text


def test_a_form_source_is_not_an_application():
    with pytest.raises(ValueError):
        services.submit_application(make_user(), make_job(), application(), ReferralSource.FORM)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"consent": False}, "consent"),
        ({"name": "   "}, "name"),
        ({"email": "not-an-address"}, "email"),
        ({"email": None, "phone": "12345"}, "phone"),
        ({"email": "", "phone": ""}, "email"),
        ({"resume": None}, "resume"),
        ({"resume": services.ResumeUpload(io.BytesIO(b"hello"), "cv.pdf")}, "resume"),
        ({"resume": None, "resume_url": "ftp://example.org/cv"}, "resume_url"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(overrides, field):
    referrer = make_user()
    with pytest.raises(services.ReferralError) as refused:
        services.submit_application(
            referrer, make_job(), application(**overrides), ReferralSource.LINK
        )
    assert refused.value.field == field
    assert count(Referral) == count(Candidate) == 0
    assert notes_of(referrer.id) == []


def test_a_resume_link_is_enough():
    referral = services.submit_application(
        make_user(),
        make_job(),
        application(resume=None, resume_url="https://drive.example.com/cv"),
        ReferralSource.LINK,
    )
    assert referral.resume_url == "https://drive.example.com/cv"


def test_the_referrer_cannot_apply_through_their_own_link():
    referrer = make_user(email="li.ming@example.com")
    with pytest.raises(services.ReferralError) as refused:
        services.submit_application(
            referrer, make_job(), application(email="Li.Ming+x@Example.com"), ReferralSource.LINK
        )
    assert refused.value.field == "email"
    assert "your own referral link" in refused.value.message
    assert count(Referral) == 0


def test_an_employee_cannot_apply_through_a_link():
    make_user(email="colleague@example.com")
    with pytest.raises(services.ReferralError) as refused:
        services.submit_application(
            make_user(), make_job(), application(email="colleague@example.com"), ReferralSource.CODE
        )
    assert "cannot apply through a referral link" in refused.value.message
    assert count(Referral) == 0


@pytest.mark.parametrize("owner_is", ["another referrer", "the same referrer"])
def test_a_candidate_already_owned_reads_a_thank_you_and_nothing_is_written(owner_is):
    referrer = make_user()
    first = make_user(name="Zhou Owner") if owner_is == "another referrer" else referrer
    job = make_job()
    make_referral(first, job, email="owned@example.org")
    notes_before = {u.id: len(notes_of(u.id)) for u in (referrer, first)}

    with pytest.raises(services.ReferralError) as refused:
        services.submit_application(
            referrer, job, application(email="OWNED@example.org"), ReferralSource.LINK
        )
    assert refused.value.code == "duplicate"
    assert refused.value.message == services.received_message()
    assert "Zhou" not in refused.value.message
    assert count(Referral) == 1 and count(Candidate) == 1
    # Neither the referrer nor the owner hears of it.
    assert {u.id: len(notes_of(u.id)) for u in (referrer, first)} == notes_before


def test_an_owned_phone_is_a_duplicate_too():
    job = make_job()
    make_referral(make_user(), job, email=None, phone="13812345678")
    with pytest.raises(services.ReferralError) as refused:
        services.submit_application(
            make_user(),
            make_job(),
            application(email=None, phone="+86 138 1234 5678"),
            ReferralSource.INVITE,
        )
    assert refused.value.code == "duplicate"


def test_a_withdrawn_referral_does_not_keep_the_candidate():
    referrer = make_user()
    job = make_job()
    old = make_referral(make_user(), job, email="free@example.org")
    services.withdraw_referral(old, old.referrer, "They took another offer.")
    referral = services.submit_application(
        referrer, job, application(email="free@example.org"), ReferralSource.LINK
    )
    assert referral.referrer_id == referrer.id


@pytest.mark.parametrize("why", ["job closed", "referrer left", "department out"])
def test_a_link_that_cannot_take_applications_is_refused(why):
    referrer = make_user()
    job = make_job(status=JobStatus.CLOSED if why == "job closed" else JobStatus.OPEN)
    if why == "referrer left":
        referrer.is_active_account = False
        db.session.commit()
    if why == "department out":
        _exclude_department(referrer.department_id)
    with pytest.raises(services.ReferralError) as refused:
        services.submit_application(referrer, job, application(), ReferralSource.LINK)
    assert refused.value.code == "closed"
    assert count(Referral) == 0


def _exclude_department(department_id: int | None) -> None:
    from community.program.queries import current_rules

    rules = current_rules()
    rules.all_departments_eligible = False
    rules.eligible_department_ids = [d for d in [department_id + 1000] if department_id]
    db.session.add(rules)
    db.session.commit()


# The referrer's own reason, afterwards ------------------------------------------------------


def test_the_referrer_adds_their_reason_once():
    referrer = make_user()
    referral = services.submit_application(referrer, make_job(), application(), ReferralSource.LINK)
    services.add_referrer_reason(referrer, referral, "former_colleague", "3_5", FIT_REASON)
    assert referral.relationship_kind == Relationship.FORMER_COLLEAGUE
    assert referral.fit_reason == FIT_REASON
    with pytest.raises(services.ReferralError) as again:
        services.add_referrer_reason(referrer, referral, "classmate", "1_3", FIT_REASON + "!")
    assert again.value.status == 409
    db.session.refresh(referral)
    assert referral.relationship_kind == Relationship.FORMER_COLLEAGUE


def test_only_the_referrer_adds_a_reason_and_only_a_real_one():
    referrer = make_user()
    referral = services.submit_application(referrer, make_job(), application(), ReferralSource.LINK)
    with pytest.raises(services.ReferralError) as other:
        services.add_referrer_reason(make_user(), referral, "other", "1_3", FIT_REASON)
    assert other.value.status == 403
    with pytest.raises(services.ReferralError) as short:
        services.add_referrer_reason(referrer, referral, "other", "1_3", "great")
    assert short.value.field == "fit_reason"
    with pytest.raises(services.ReferralError):
        services.add_referrer_reason(referrer, referral, "best_friend", "1_3", FIT_REASON)
    db.session.refresh(referral)
    assert referral.fit_reason == ""


def test_a_form_referral_takes_no_added_reason():
    referrer = make_user()
    referral = make_referral(referrer)
    with pytest.raises(services.ReferralError) as refused:
        services.add_referrer_reason(referrer, referral, "other", "1_3", FIT_REASON)
    assert refused.value.status == 409
