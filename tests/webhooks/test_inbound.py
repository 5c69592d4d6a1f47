"""An ATS's signed events move referrals through `advance_stage`; every refusal is a clear 4xx
JSON answer with nothing written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from community.extensions import db
from community.pipeline import Stage
from community.points.models import PointEntry
from community.referrals.models import Referral, ReferralEvent
from community.webhooks import services
from community.webhooks.inbound import path
from community.webhooks.models import ApplicationLink, ReceivedEvent, SourceSecret
from tests.referrals.factories import make_referral
from tests.webhooks.conftest import Ats


def _linked(ats: Ats, hr, application_id: str = "gh-1") -> Referral:  # type: ignore[no-untyped-def]
    referral = make_referral()
    services.link_application(hr, ats.source, application_id, referral.id)
    return referral


def _counts() -> tuple[int, int, int]:
    return (
        db.session.scalar(select(func.count()).select_from(ReceivedEvent)) or 0,
        db.session.scalar(select(func.count()).select_from(ReferralEvent)) or 0,
        db.session.scalar(select(func.count()).select_from(ApplicationLink)) or 0,
    )


def _history(referral: Referral) -> list[tuple[Stage | None, int]]:
    rows = db.session.execute(
        select(ReferralEvent.to_stage, ReferralEvent.actor_id)
        .where(ReferralEvent.referral_id == referral.id, ReferralEvent.to_stage.is_not(None))
        .order_by(ReferralEvent.id)
    ).all()
    return [(stage, actor) for stage, actor in rows]


def test_a_signed_event_moves_the_referral_as_the_sources_account(ats: Ats, hr) -> None:  # type: ignore[no-untyped-def]
    referral = _linked(ats, hr)
    response = ats.post("gh-1", "Preliminary Phone Screen")
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"status": "moved", "stage": "screening"}
    db.session.expire_all()
    assert db.session.get(Referral, referral.id).stage == Stage.SCREENING
    assert _history(referral)[-1] == (Stage.SCREENING, ats.source.actor_id)
    # The account never signs in and is not counted among HR.
    assert ats.source.actor.is_active_account is False
    # Listeners ran as for a human move: the referrer earned the accepted referral's points.
    assert db.session.scalar(
        select(func.count())
        .select_from(PointEntry)
        .where(PointEntry.user_id == referral.referrer_id)
    )


def test_a_repeated_event_id_is_already_processed_and_writes_nothing(ats: Ats, hr) -> None:  # type: ignore[no-untyped-def]
    _linked(ats, hr)
    assert ats.post("gh-1", "Application Review", event_id="evt_same").status_code == 200
    before = _counts()
    again = ats.post("gh-1", "Phone Interview", event_id="evt_same")
    assert again.status_code == 200
    assert again.get_json()["status"] == "already_processed"
    assert _counts() == before


@pytest.mark.parametrize(
    ("kwargs", "status", "code"),
    [
        ({"secret": "whsec_" + "QUJD" * 8}, 401, "bad_signature"),
        # (Shifted from the moment the test runs, not from when the suite collected it.)
        ({"at": -timedelta(minutes=6)}, 400, "stale_timestamp"),
        ({"at": timedelta(minutes=6)}, 400, "stale_timestamp"),
        ({"slug": "workday"}, 404, "unknown_source"),
        ({"body": b"{not json"}, 400, "bad_json"),
        ({"body": b"[1, 2]"}, 400, "bad_json"),
    ],
)
def test_refused_requests_answer_4xx_json_and_write_nothing(  # type: ignore[no-untyped-def]
    ats: Ats, hr, kwargs, status, code
) -> None:
    referral = _linked(ats, hr)
    before = _counts()
    if isinstance(kwargs.get("at"), timedelta):
        kwargs = {**kwargs, "at": datetime.now(UTC) + kwargs["at"]}
    response = ats.post("gh-1", "Offer", **kwargs)
    assert response.status_code == status
    assert response.get_json()["error"] == code
    assert response.get_json()["message"]
    assert _counts() == before
    db.session.expire_all()
    assert db.session.get(Referral, referral.id).stage == Stage.SUBMITTED


def test_missing_headers_unknown_stage_and_unknown_application(ats: Ats, hr) -> None:  # type: ignore[no-untyped-def]
    _linked(ats, hr)
    before = _counts()
    bare = ats.client.post("/webhooks/ats/greenhouse", data=b"{}", csrf=False)
    assert (bare.status_code, bare.get_json()["error"]) == (400, "missing_headers")
    unknown_stage = ats.post("gh-1", "Take-home test")
    assert (unknown_stage.status_code, unknown_stage.get_json()["error"]) == (422, "unknown_stage")
    unknown_app = ats.post("gh-404", "Offer")
    assert (unknown_app.status_code, unknown_app.get_json()["error"]) == (
        422,
        "unknown_application",
    )
    long_id = ats.post("gh-1", "Offer", event_id="e" * 121)
    assert (long_id.status_code, long_id.get_json()["error"]) == (400, "bad_payload")
    no_stage = ats.post("gh-1", "")
    assert (no_stage.status_code, no_stage.get_json()["error"]) == (422, "bad_payload")
    assert _counts() == before


def test_our_referral_id_in_the_metadata_links_the_application(ats: Ats) -> None:
    referral = make_referral()
    response = ats.post("gh-77", "Phone Interview", metadata={"referral_id": referral.id})
    assert response.status_code == 200
    link = db.session.scalars(select(ApplicationLink)).one()
    assert (link.application_id, link.referral_id) == ("gh-77", referral.id)
    # Later events name the application alone.
    assert ats.post("gh-77", "Offer").get_json() == {"status": "moved", "stage": "offer"}


@pytest.mark.parametrize("raw", [2**31, "2147483648", 10**30, "²", True, 1.5, [1]])
def test_a_referral_id_that_names_nothing_is_an_unknown_application(ats: Ats, raw: object) -> None:
    make_referral()
    before = _counts()
    response = ats.post("gh-78", "Phone Interview", metadata={"referral_id": raw})
    assert (response.status_code, response.get_json()["error"]) == (422, "unknown_application")
    assert _counts() == before


def test_a_stage_behind_is_recorded_and_never_moves_back(ats: Ats, hr) -> None:  # type: ignore[no-untyped-def]
    referral = _linked(ats, hr)
    assert ats.post("gh-1", "Offer").get_json()["stage"] == "offer"
    late = ats.post("gh-1", "Phone Interview")  # sent before the offer, arrived after it
    assert late.status_code == 200
    assert late.get_json() == {"status": "ignored", "stage": "offer"}
    db.session.expire_all()
    assert db.session.get(Referral, referral.id).stage == Stage.OFFER
    outcomes = db.session.scalars(select(ReceivedEvent.outcome).order_by(ReceivedEvent.id)).all()
    assert [o.value for o in outcomes] == ["moved", "ignored"]


def test_a_skip_forward_moves_through_the_allowed_path(ats: Ats, hr) -> None:  # type: ignore[no-untyped-def]
    referral = _linked(ats, hr)
    response = ats.post("gh-1", "Hired", start_date="2026-12-14")
    assert response.get_json() == {"status": "moved", "stage": "hired"}
    # Submitted may go straight to the interview; every other step is taken in turn.
    assert [stage for stage, actor in _history(referral) if actor == ats.source.actor_id] == [
        Stage.INTERVIEWING,
        Stage.OFFER,
        Stage.HIRED,
    ]
    db.session.expire_all()
    assert db.session.get(Referral, referral.id).start_date.isoformat() == "2026-12-14"


def test_a_rejection_takes_the_mapped_reason_code(ats: Ats, hr) -> None:  # type: ignore[no-untyped-def]
    referral = _linked(ats, hr)
    ats.post("gh-1", "Rejected", reason="Lacking skill(s)/qualification(s)")
    event = db.session.scalars(
        select(ReferralEvent)
        .where(ReferralEvent.referral_id == referral.id)
        .order_by(ReferralEvent.id.desc())
    ).first()
    assert (event.to_stage, event.reason_code) == (Stage.REJECTED, "skills")
    # Closed: a later forward stage is recorded and ignored.
    assert ats.post("gh-1", "Offer").get_json()["status"] == "ignored"


def test_a_plain_rejection_quotes_the_ats_as_the_other_reason(ats: Ats, hr) -> None:  # type: ignore[no-untyped-def]
    referral = _linked(ats, hr)
    assert ats.post("gh-1", "Rejected").status_code == 200
    event = db.session.scalars(
        select(ReferralEvent).where(ReferralEvent.referral_id == referral.id)
    ).all()[-1]
    assert (event.reason_code, event.reason) == ("other", "Greenhouse: Rejected")


def test_a_bad_start_date_is_refused_before_anything_moves(ats: Ats, hr) -> None:  # type: ignore[no-untyped-def]
    _linked(ats, hr)
    before = _counts()
    response = ats.post("gh-1", "Hired", start_date="2020-01-01")  # more than a year ago
    assert response.status_code == 422
    assert response.get_json()["message"]
    assert _counts() == before


def test_rotating_secrets(ats: Ats, hr) -> None:  # type: ignore[no-untyped-def]
    _linked(ats, hr)
    old = ats.secret
    new = services.add_source_secret(hr, ats.source, days=30)
    assert ats.post("gh-1", "Application Review", secret=old).status_code == 200
    assert ats.post("gh-1", "Phone Interview", secret=new).status_code == 200
    old_row = db.session.scalars(
        select(SourceSecret)
        .where(SourceSecret.source_id == ats.source.id)
        .order_by(SourceSecret.id)
    ).first()
    services.retire_source_secret(hr, ats.source, old_row.id)
    assert ats.post("gh-1", "Offer", secret=old).get_json()["error"] == "bad_signature"
    assert ats.post("gh-1", "Offer", secret=new).status_code == 200
    # Past its expiry the new one stops verifying too.
    with time_machine.travel(datetime.now(UTC) + timedelta(days=31), tick=False):
        late = ats.post("gh-1", "Hired", secret=new)
    assert late.get_json()["error"] == "bad_signature"


def test_a_switched_off_source_is_unknown(ats: Ats, hr) -> None:  # type: ignore[no-untyped-def]
    _linked(ats, hr)
    services.switch_source(hr, ats.source, False)
    assert ats.post("gh-1", "Offer").status_code == 404


def test_path() -> None:
    assert path(Stage.SUBMITTED, Stage.OFFER) == [Stage.INTERVIEWING, Stage.OFFER]
    assert path(Stage.SCREENING, Stage.OFFER) == [Stage.INTERVIEWING, Stage.OFFER]
    assert path(Stage.OFFER, Stage.SCREENING) == []
    assert path(Stage.OFFER, Stage.OFFER) == []
    assert path(Stage.HIRED, Stage.REJECTED) == []
    assert path(Stage.REJECTED, Stage.OFFER) == []
    assert path(Stage.SCREENING, Stage.WITHDRAWN) == [Stage.WITHDRAWN]
