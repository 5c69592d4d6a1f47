"""Issue 11 §20: what HR writes with a move goes where it belongs and is read by whom it should:
feedback to the referrer (who may pass it on), an internal note for HR alone, and a reason for
not moving forward (required, from a list plus free text, shown to the referrer kindly)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from community.accounts.models import Role
from community.extensions import db
from community.notifications import referral_notices
from community.notifications.models import Notification
from community.notifications.queries import message_for
from community.pipeline import reasons
from community.referrals import services
from community.referrals.models import ReferralEvent, Stage
from tests.factories import make_user
from tests.pipeline import walk
from tests.referrals.factories import make_referral

FEEDBACK = "Strong call: please tell Lin the team loved the migration story."
NOTE = "Comp expectation 45k, above band; keep between us."
KINDLY = "The team was looking for a different mix of skills and experience for this role."


def _events(referral) -> int:
    db.session.expire_all()
    return db.session.scalar(
        select(func.count())
        .select_from(ReferralEvent)
        .where(ReferralEvent.referral_id == referral.id)
    )


def _notifications_of(user) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


def test_each_text_is_stored_in_its_own_place(client, auth, hr):
    referral = make_referral()
    auth.login(hr)
    response = client.post(
        f"/referrals/{referral.id}/advance",
        data={
            "to_stage": "screening",
            "expected_from": "submitted",
            "feedback": FEEDBACK,
            "internal_note": NOTE,
            "reason_code": "skills",
            "reason": "left over from the reject panel",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    event = referral.events[-1]
    assert (event.feedback, event.internal_note) == (FEEDBACK, NOTE)
    assert (event.reason_code, event.reason) == (None, None)  # a forward move has no reason


def test_the_referrer_sees_the_feedback_and_never_the_internal_note(client, auth, hr):
    referral = make_referral()
    services.advance_stage(referral, Stage.SCREENING, hr, feedback=FEEDBACK, internal_note=NOTE)
    # HR reads both, each labelled for who reads it.
    auth.login(hr)
    hr_page = client.get(f"/referrals/{referral.id}").text
    assert FEEDBACK in hr_page and NOTE in hr_page
    assert 'data-testid="internal-note"' in hr_page and "HR only" in hr_page
    assert "Feedback for the referrer" in hr_page
    auth.logout()

    # The referrer: the feedback, not the note — on the page, in the notifications, anywhere.
    auth.login(referral.referrer)
    page = client.get(f"/referrals/{referral.id}").text
    assert FEEDBACK in page and "Feedback from HR" in page
    assert NOTE not in page and 'data-testid="internal-note"' not in page
    for notification in _notifications_of(referral.referrer):
        assert NOTE not in str(notification.params) and NOTE not in message_for(notification)
    inbox = client.get("/notifications/")
    assert inbox.status_code == 200 and NOTE not in inbox.text
    for path in ("/referrals/mine", "/payouts/mine", "/"):
        assert NOTE not in client.get(path, follow_redirects=True).text


def test_an_hr_officer_never_reads_the_note_on_a_referral_they_made(client, auth, hr):
    rita = make_user(role=Role.HR, name="Rita Referrer")
    referral = make_referral(referrer=rita)
    services.advance_stage(referral, Stage.SCREENING, hr, feedback=FEEDBACK, internal_note=NOTE)
    auth.login(rita)
    page = client.get(f"/referrals/{referral.id}").text
    assert FEEDBACK in page and NOTE not in page


def test_the_stage_form_separates_the_three_parts(client, auth, hr):
    referral = make_referral()
    auth.login(hr)
    page = client.get(f"/referrals/{referral.id}").text
    form = page[page.index('data-testid="stage-form"') :]
    feedback, note, reject = (
        form.index('name="feedback"'),
        form.index('name="internal_note"'),
        form.index('data-testid="reject-panel"'),
    )
    assert feedback < note < reject  # the reason sits apart, behind "Not moving forward…"
    assert form.index('name="reason_code"') > reject and form.index('name="reason"') > reject
    assert "the referrer sees this" in form and "HR only" in form
    assert "Never shown to the referrer or the candidate." in form
    for code in reasons.RejectReason:
        assert f'value="{code.value}"' in form


def test_rejecting_without_a_reason_is_refused_and_nothing_is_written(client, auth, hr):
    referral = make_referral()
    before = _events(referral)
    with pytest.raises(services.ReferralError) as exc:
        services.advance_stage(referral, Stage.REJECTED, hr, feedback="Sorry")
    assert exc.value.field == "reason_code"
    auth.login(hr)
    response = client.post(
        f"/referrals/{referral.id}/advance",
        data={"to_stage": "rejected", "expected_from": "submitted", "internal_note": NOTE},
    )
    assert response.status_code == 422
    assert "Please give a reason when a referral does not move forward." in response.text
    assert '<details class="reject-panel mt-3" open' in response.text  # opened at the error
    assert NOTE in response.text  # what was typed is kept
    assert _events(referral) == before
    db.session.expire_all()
    assert referral.stage == Stage.SUBMITTED


@pytest.mark.parametrize(
    ("code", "text", "field", "message"),
    [
        ("other", "", "reason", "Please say in a few words what the reason is."),
        ("other_offer", "", "reason_code", "Please choose one of the reasons in the list."),
        ("nonsense", "x", "reason_code", "Please choose one of the reasons in the list."),
    ],
)
def test_a_reason_outside_the_list_or_other_without_words_is_refused(
    client, auth, hr, code, text, field, message
):
    referral = make_referral()
    with pytest.raises(services.ReferralError) as exc:
        services.advance_stage(referral, Stage.REJECTED, hr, reason_code=code, reason=text)
    assert exc.value.field == field and exc.value.message == message
    auth.login(hr)
    response = client.post(
        f"/referrals/{referral.id}/advance",
        data={
            "to_stage": "rejected",
            "expected_from": "submitted",
            "reason_code": code,
            "reason": text,
        },
    )
    assert response.status_code == 422 and message in response.text
    assert _events(referral) == 1


def test_the_referrer_reads_the_reason_kindly_with_hrs_words(client, auth, hr):
    referral = make_referral()
    auth.login(hr)
    response = client.post(
        f"/referrals/{referral.id}/advance",
        data={
            "to_stage": "rejected",
            "expected_from": "submitted",
            "reason_code": "skills",
            "reason": "The role needs production Go; Lin's is mostly Java.",
            "internal_note": NOTE,
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    event = referral.events[-1]
    assert (event.reason_code, event.internal_note) == ("skills", NOTE)
    auth.logout()
    auth.login(referral.referrer)
    page = client.get(f"/referrals/{referral.id}").text
    assert KINDLY in page
    assert "The role needs production Go; Lin&#39;s is mostly Java." in page
    assert "Skills or experience do not match the role" not in page  # HR's blunt label stays HR's
    assert NOTE not in page
    [stage_notice] = [n for n in _notifications_of(referral.referrer) if n.kind == "referral_stage"]
    assert NOTE not in str(stage_notice.params)


def test_free_text_alone_still_counts_as_another_reason(hr):
    referral = make_referral()
    services.advance_stage(referral, Stage.REJECTED, hr, reason="Budget freeze")
    db.session.expire_all()
    assert (referral.events[-1].reason_code, referral.events[-1].reason) == (
        reasons.OTHER,
        "Budget freeze",
    )


def test_the_referrer_withdraws_with_a_reason_from_the_list(client, auth):
    referral = make_referral()
    auth.login(referral.referrer)
    refused = client.post(f"/referrals/{referral.id}/withdraw", data={"reason": ""})
    assert refused.status_code == 422 and "Please give a reason for withdrawing." in refused.text
    done = client.post(f"/referrals/{referral.id}/withdraw", data={"reason_code": "other_offer"})
    assert done.status_code == 302
    db.session.expire_all()
    assert referral.stage == Stage.WITHDRAWN
    assert referral.events[-1].reason_code == "other_offer"
    page = client.get(f"/referrals/{referral.id}").text
    assert "The candidate accepted another offer. We wish them well!" in page


def test_hr_cannot_reject_a_referral_they_made(hr):
    rita = make_user(role=Role.HR)
    referral = walk(make_referral(referrer=rita), hr, Stage.INTERVIEWING)
    with pytest.raises(services.ReferralError) as exc:
        services.advance_stage(referral, Stage.REJECTED, rita, reason_code="skills")
    assert exc.value.status == 403
    assert _events(referral) == 2


def test_a_reason_from_the_list_alone_reaches_the_referrer_in_its_kind_words(hr):
    referral = make_referral()
    services.advance_stage(referral, Stage.REJECTED, hr, reason_code="position_closed")
    [notice] = [n for n in _notifications_of(referral.referrer) if n.kind == "referral_stage"]
    assert notice.params["has_feedback"] is True
    assert notice.params["reason_code"] == "position_closed"
    quoted = referral_notices._stage_quotes(notice.params)
    assert quoted == [("Reason", "The position has been filled or closed in the meantime.")]
