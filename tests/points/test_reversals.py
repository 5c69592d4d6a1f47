"""A referral rejected as a duplicate or a self-referral earned nothing after all: its stage
points are reversed by entries of their own (once), the boards drop at once, the referrer reads
why in their language, and a balance taken below zero is shown as it is."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from community import events
from community.accounts.models import User
from community.badges import registry
from community.badges.services import award_badge
from community.extensions import db
from community.leaderboards import kinds, reads, verify
from community.notifications.models import Notification
from community.notifications.queries import shown
from community.perks import services as perk_services
from community.perks.services import PerkError
from community.pipeline import Stage
from community.pipeline.reasons import VOIDING_CODES, RejectReason, codes_for, kind_wording
from community.points import queries
from community.points.causes import causes_for
from community.points.models import PointEntry, PointKind
from community.points.services import reverse_referral_points
from community.referrals.models import Referral
from community.referrals.services import advance_stage, withdraw_referral
from tests.factories import make_department
from tests.perks.factories import make_perk
from tests.pipeline import walk_to
from tests.referrals.factories import make_referral

EARNED_TO_OFFER = [(Stage.SUBMITTED, 10), (Stage.INTERVIEWING, 30), (Stage.OFFER, 50)]


def entries_of(referral: Referral) -> list[PointEntry]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(PointEntry).where(PointEntry.referral_id == referral.id).order_by(PointEntry.id)
        )
    )


def reversals_of(referral: Referral) -> list[PointEntry]:
    return [e for e in entries_of(referral) if e.reverses_id is not None]


def at_offer(hr: User, **referral: object) -> Referral:
    return walk_to(make_referral(**referral), Stage.OFFER, hr)  # 10 + 30 + 50 earned


def reject(referral: Referral, hr: User, code: str, reason: str | None = None) -> Referral:
    return advance_stage(
        referral, Stage.REJECTED, hr, expected_from=referral.stage, reason_code=code, reason=reason
    )


def company() -> dict[int, int]:
    rows = reads.top(kinds.COMPANY, "all", 25)
    return {row.user_id: row.points for row in rows}  # type: ignore[union-attr]


# The reasons --------------------------------------------------------------------------------


def test_duplicate_and_self_referral_are_reject_reasons_that_void_points() -> None:
    codes = codes_for(Stage.REJECTED)
    assert {"duplicate", "self_referral"} <= set(codes)
    assert codes[-1] == "other"  # "another reason" stays last in the list
    assert {RejectReason.DUPLICATE, RejectReason.SELF_REFERRAL} == VOIDING_CODES
    assert "duplicate" not in codes_for(Stage.WITHDRAWN)
    assert kind_wording("duplicate") == (
        "This candidate was already in our process through another route, so this referral "
        "cannot count."
    )
    assert kind_wording("self_referral") == "A referral of oneself cannot count in the program."


# The reversal -------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["duplicate", "self_referral"])
def test_a_void_rejection_reverses_every_stage_the_referral_earned(hr: User, code: str) -> None:
    referral = at_offer(hr)
    earned = entries_of(referral)
    assert [(e.stage, e.amount) for e in earned] == EARNED_TO_OFFER
    reject(referral, hr, code)

    reversals = reversals_of(referral)
    assert [(e.stage, e.amount) for e in reversals] == [(s, -n) for s, n in EARNED_TO_OFFER]
    for original, reversal in zip(earned, reversals, strict=True):
        assert reversal.reverses_id == original.id
        assert reversal.kind == PointKind.EARNED
        assert reversal.user_id == original.user_id == referral.referrer_id
        assert reversal.referral_id == referral.id
        assert reversal.department_id == original.department_id
        assert reversal.idempotency_key == f"{original.idempotency_key}:reversed"
        assert reversal.reason == f"reversed: {code}"
    assert queries.score(referral.referrer_id) == 0
    assert queries.balance(referral.referrer_id) == 0


@pytest.mark.parametrize(
    ("code", "reason"),
    [("skills", None), ("closer_fit", None), ("position_closed", None), ("other", "Budget cut")],
)
def test_other_rejections_keep_what_was_earned(hr: User, code: str, reason: str | None) -> None:
    referral = reject(at_offer(hr), hr, code, reason)
    assert reversals_of(referral) == []
    assert queries.score(referral.referrer_id) == 90


def test_a_withdrawal_keeps_what_was_earned(hr: User) -> None:
    referral = at_offer(hr)
    withdraw_referral(referral, referral.referrer, None, "mistake")
    assert referral.stage == Stage.WITHDRAWN
    assert reversals_of(referral) == []
    assert queries.score(referral.referrer_id) == 90


def test_a_duplicate_caught_before_acceptance_has_nothing_to_reverse(hr: User) -> None:
    referral = reject(make_referral(), hr, "duplicate")
    assert entries_of(referral) == []


def test_the_same_rejection_published_twice_reverses_once(hr: User) -> None:
    referral = reject(at_offer(hr), hr, "duplicate")
    first = [e.id for e in reversals_of(referral)]
    event = events.StageAdvanced(
        referral_id=referral.id,
        referrer_id=referral.referrer_id,
        actor_id=hr.id,
        job_id=referral.job_id,
        job_title="Backend Engineer",
        job_hard_to_fill=False,
        candidate_name="Ann Li",
        rules_id=referral.rules_id,
        from_stage=Stage.OFFER,
        to_stage=Stage.REJECTED,
        has_feedback=True,
        at=referral.stage_changed_at,
        reason_code="duplicate",
    )
    events.publish(event)
    events.publish(event)
    db.session.commit()
    assert [e.id for e in reversals_of(referral)] == first and len(first) == 3
    # Called directly, it returns the reversals already written and writes nothing.
    again = reverse_referral_points(referral.id, "self_referral", referral.stage_changed_at)
    db.session.commit()
    assert [e.id for e in again] == first
    assert len(entries_of(referral)) == 6
    assert queries.score(referral.referrer_id) == 0


def test_only_voiding_reasons_may_reverse(hr: User) -> None:
    referral = at_offer(hr)
    with pytest.raises(ValueError, match="does not void"):
        reverse_referral_points(referral.id, "skills", referral.stage_changed_at)
    assert reversals_of(referral) == []


def test_badge_points_stand_and_other_referrals_keep_theirs(hr: User) -> None:
    """Only the stage points of the void referral go; a badge it helped earn is not reversed."""
    referral = at_offer(hr)
    other = at_offer(hr, referrer=referral.referrer)
    award_badge(referral.referrer_id, registry.get("honest_matchmaker"), referral=referral)
    db.session.commit()
    assert queries.score(referral.referrer_id) == 90 + 90 + 50
    reject(referral, hr, "duplicate")
    assert queries.score(referral.referrer_id) == 90 + 50
    assert reversals_of(other) == []


def test_a_reversal_leaves_the_department_that_counted_the_points(hr: User) -> None:
    referral = at_offer(hr)
    before = referral.referrer.department_id
    referral.referrer.department_id = make_department().id  # moved since earning the points
    db.session.commit()
    reject(referral, hr, "duplicate")
    assert {e.department_id for e in reversals_of(referral)} == {before}


# What everyone sees ---------------------------------------------------------------------------


def test_the_boards_drop_at_once_and_stay_equal_to_the_ledger(hr: User) -> None:
    referral = at_offer(hr)
    rival = walk_to(make_referral(), Stage.INTERVIEWING, hr)  # 10 + 30
    me, them = referral.referrer_id, rival.referrer_id
    assert company() == {me: 90, them: 40}
    reject(referral, hr, "duplicate")
    reversed_sum = -sum(e.amount for e in reversals_of(referral))
    assert reversed_sum == 90
    assert company() == {me: 90 - reversed_sum, them: 40}
    assert [r.user_id for r in reads.top(kinds.COMPANY, "all", 25)][0] == them  # type: ignore[union-attr]
    department = reads.top(kinds.department_scope(referral.referrer.department_id), "all")
    assert {r.user_id: r.points for r in department}[me] == 0  # type: ignore[union-attr]
    assert verify.verify() == []


def test_the_referrer_reads_the_reason_and_the_points_taken_back(hr: User) -> None:
    referral = at_offer(hr, candidate_name="Ann Li")
    reject(referral, hr, "duplicate")
    db.session.expire_all()
    notice = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == referral.referrer_id)
        .order_by(Notification.id.desc())
    ).first()
    assert notice is not None and notice.kind == "referral_stage"
    with force_locale("en"):
        view = shown(notice)
        assert view.text.startswith("Your referral of Ann Li for")
        assert [line.text for line in view.lines] == ["\u221290 points"]  # one figure, a true minus
        assert ("Reason", str(kind_wording("duplicate"))) in view.quotes
    with force_locale("zh_CN"):
        assert [line.text for line in shown(notice).lines] == ["\u221290 积分"]


@pytest.mark.parametrize(
    ("code", "english", "chinese"),
    [
        (
            "duplicate",
            "Points reversed: the referral was found to be a duplicate",
            "积分已扣回：该内推被认定为重复内推",
        ),
        (
            "self_referral",
            "Points reversed: a referral of oneself does not count",
            "积分已扣回：推荐自己的内推不计入",
        ),
    ],
)
def test_my_points_says_why_points_were_reversed_in_the_readers_language(
    hr: User, code: str, english: str, chinese: str
) -> None:
    referral = reject(at_offer(hr), hr, code)
    entries = entries_of(referral)
    with force_locale("en"):
        causes = causes_for(entries)
        assert {causes[e.id].text for e in entries if e.reverses_id} == {english}
        assert {causes[e.id].text for e in entries if not e.reverses_id} == {
            "Your referral reached"
        }
        assert all(causes[e.id].stage == e.stage for e in entries)
    with force_locale("zh_CN"):
        causes = causes_for(entries)
        assert {causes[e.id].text for e in entries if e.reverses_id} == {chinese}


def test_spent_void_points_leave_the_balance_below_zero_shown_honestly(
    client, auth, hr: User
) -> None:
    referral = at_offer(hr)
    referrer = referral.referrer
    perk = make_perk(name_en="Team lunch", cost_points=60, requires_approval=False)
    perk_services.redeem(referrer, perk.id)
    reject(referral, hr, "self_referral")
    assert queries.score(referrer) == 0 and queries.balance(referrer) == -60

    with pytest.raises(PerkError, match="You need 120 more points for Team lunch."):
        perk_services.redeem(referrer, perk.id)
    auth.login(referrer)
    page = client.get("/points/").text
    assert 'data-testid="balance">-60<' in page
    assert 'data-testid="balance-below-zero"' in page
    assert "Points reversed: a referral of oneself does not count" in page
    shop = client.get("/perks/").text
    assert "-60 points" in shop and "You need 120 more points." in shop
    count = db.session.scalar(select(func.count()).select_from(PointEntry))
    assert count == 3 + 1 + 3  # earned, spent, reversed: the refused redemption wrote nothing
