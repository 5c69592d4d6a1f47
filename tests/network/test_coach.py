"""The outreach coach: the channel by closeness, the next good moment in the contact's zone, a
personal draft in the chosen language with the job's strong points, the referral's advantages
and the honest challenges; the checklist; and the warnings for a generic message and for words
that oversell."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from community.extensions import db
from community.jobs.models import JobStatus
from community.network import services
from community.network.coach import next_slot, oversold
from community.network.models import Closeness, OutreachSketch
from community.network.rules import NetworkError
from community.network.services import CoachRequest
from tests.factories import make_job
from tests.network.conftest import contact
from tests.security.conftest import db_fingerprint

SHANGHAI = ZoneInfo("Asia/Shanghai")


def utc(year, month, day, hour, minute=0, zone=SHANGHAI) -> datetime:
    """A local moment in `zone` as the naive UTC the app stores."""
    local = datetime(year, month, day, hour, minute, tzinfo=zone)
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


# 2026-03-02 is a Monday.
@pytest.mark.parametrize(
    ("now", "zone", "good_now", "expected"),
    [
        (utc(2026, 3, 2, 11), None, True, "2026-03-02 11:00"),
        (utc(2026, 3, 2, 8), None, False, "2026-03-02 10:00"),
        (utc(2026, 3, 2, 15), None, False, "2026-03-03 10:00"),  # 15:00 is already too late
        (utc(2026, 3, 2, 21), None, False, "2026-03-03 10:00"),  # not in the evening
        (utc(2026, 3, 6, 16), None, False, "2026-03-09 10:00"),  # Friday afternoon → Monday
        (utc(2026, 3, 7, 11), None, False, "2026-03-09 10:00"),  # not at the weekend
        # 11:00 in Shanghai is 03:00 in London: wait for London's 10:00
        (utc(2026, 3, 2, 11), "Europe/London", False, "2026-03-02 10:00"),
    ],
)
def test_the_next_good_moment_is_a_weekday_between_10_and_15_in_their_zone(
    now, zone, good_now, expected
) -> None:
    slot = next_slot(now, zone)
    assert slot.now is good_now
    assert slot.at.strftime("%Y-%m-%d %H:%M") == expected
    assert slot.zone == (zone or "Asia/Shanghai")
    if zone:
        assert slot.at_company.strftime("%H:%M") == "18:00"  # what 10:00 in London is here
    else:
        assert slot.at_company is None


def _coach(user, **values):
    return services.coach(user, CoachRequest(**values), utc(2026, 3, 2, 11))


@pytest.mark.parametrize(
    ("closeness", "opener", "next_step"),
    [
        (Closeness.CLOSE, "Could we talk for ten minutes", "we can go through it together"),
        (
            Closeness.ORDINARY,
            "I hope things are going well.",
            "reply and I'll send you the details",
        ),
        (Closeness.ACQUAINTANCE, "no pressure at all", "there's no need to answer"),
    ],
)
def test_the_draft_follows_the_closeness(cast, closeness, opener, next_step) -> None:
    made = contact(cast.ann, "Wang Wei", closeness=closeness)
    coached = _coach(
        cast.ann,
        job_id=cast.job.id,
        contact_id=made.id,
        reason="You built the payment gateway at Acme",
        language="en",
    )
    message = coached.draft.message
    assert message.startswith("Hi Wang Wei,")
    assert opener in message and next_step in message
    assert "I thought of you because you built the payment gateway at Acme." in message
    assert "Payments backend engineer (Engineering, Shanghai)" in message
    assert "To be honest about what's hard: You join the on-call rota during big sales." in message
    assert "reviewed first" in message and "faster" in message and "follow up" in message
    assert message.endswith("Ann Employee")
    if closeness == Closeness.ACQUAINTANCE:
        assert "What makes it interesting" not in message  # kept short
    else:
        assert "What makes it interesting: High-concurrency system design." in message
    assert coached.draft.why and coached.draft.hard and coached.draft.next_step
    assert coached.draft.oversold == [] and not coached.draft.generic


def test_a_draft_in_chinese_for_someone_not_in_the_network(cast) -> None:
    coached = _coach(
        cast.ann,
        job_id=cast.job.id,
        name="李娜",
        closeness="ordinary",
        timezone="Asia/Tokyo",
        reason="你去年说想做支付方向",
        language="zh",
    )
    message = coached.draft.message
    assert message.startswith("李娜，你好！")
    assert "我想到你，是因为你去年说想做支付方向。" in message
    assert "我们公司在招支付后端工程师" in message
    assert "这个岗位的亮点：高并发系统设计。" in message
    assert "也坦白说说挑战：大促期间需要值班。" in message
    assert "优先筛选" in message
    assert coached.draft.slot.zone == "Asia/Tokyo"
    assert coached.draft.subject == "一个让我想到你的岗位：支付后端工程师"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("You are guaranteed an offer, 100% for sure!", ["guaranteed", "100%", "for sure"]),
        ("It is the best company and a dream job.", ["the best", "best company", "dream job"]),
        ("这个岗位包过，我保证你一定能拿到 offer", ["包过", "一定", "保证"]),
        ("A fair job with real challenges.", []),
        ("Surely the bestseller list", []),  # words, not parts of words
    ],
)
def test_words_that_oversell_are_found_in_both_languages(text, words) -> None:
    assert sorted(oversold(text)) == sorted(words)


def test_a_rewritten_message_is_checked_again(cast) -> None:
    made = contact(cast.ann, "Wang Wei")
    coached = _coach(
        cast.ann,
        job_id=cast.job.id,
        contact_id=made.id,
        reason="you know Kafka",
        language="en",
        message="Hi Wang, great job here, it's guaranteed to be perfect for you.",
    )
    draft = coached.draft
    assert draft.message.startswith("Hi Wang, great job")
    assert (draft.why, draft.hard, draft.next_step) == (False, False, False)
    assert draft.oversold == ["guaranteed", "perfect"]


def test_the_same_message_for_several_people_is_flagged_as_generic(cast) -> None:
    people = [contact(cast.ann, name) for name in ("Wang Wei", "Li Na", "Zhang San")]
    reason = "you are good at Go"
    first = _coach(
        cast.ann, job_id=cast.job.id, contact_id=people[0].id, reason=reason, language="en"
    )
    assert first.draft.similar == 0
    # Drafting again for the same person is not "the same text for several people".
    again = _coach(
        cast.ann, job_id=cast.job.id, contact_id=people[0].id, reason=reason, language="en"
    )
    assert again.draft.similar == 0
    second = _coach(
        cast.ann, job_id=cast.job.id, contact_id=people[1].id, reason=reason, language="en"
    )
    assert second.draft.similar == 1
    third = _coach(cast.ann, job_id=cast.job.id, name="Zhao Liu", reason=reason, language="en")
    assert third.draft.similar == 2
    personal = _coach(
        cast.ann,
        job_id=cast.job.id,
        contact_id=people[2].id,
        reason=(
            "we built the order service together at Acme in 2019, and last spring you told me "
            "you want to move from banking into payments at scale and lead the Kafka migration"
        ),
        language="en",
    )
    assert personal.draft.similar == 0
    # Someone else's drafts are theirs: Bob's identical message is not compared with Ann's.
    bob = _coach(cast.bob, job_id=cast.job.id, name="Wang Wei", reason=reason, language="en")
    assert bob.draft.similar == 0
    kept = db.session.scalar(select(func.count()).select_from(OutreachSketch))
    assert kept == 5  # one per (referrer, person, job), no text


def test_deleting_a_contact_forgets_its_sketches(cast) -> None:
    made = contact(cast.ann, "Wang Wei")
    _coach(cast.ann, job_id=cast.job.id, contact_id=made.id, reason="x", language="en")
    services.delete_contact(cast.ann, made.id)
    assert db.session.scalar(select(func.count()).select_from(OutreachSketch)) == 0


@pytest.mark.parametrize(
    ("values", "field", "status"),
    [
        ({"name": ""}, "name", 422),
        ({"name": "x" * 121}, "name", 422),
        ({"name": "Li", "closeness": "bff"}, "closeness", 422),
        ({"name": "Li", "timezone": "Nowhere/Else"}, "timezone", 422),
        ({"name": "Li", "reason": "r" * 501}, "reason", 422),
        ({"name": "Li", "message": "m" * 5001}, "message", 422),
        ({"name": "Li", "job_id": None}, "job_id", 404),
        ({"name": "Li", "job_id": 987654}, "job_id", 404),
    ],
)
def test_bad_input_to_the_coach_is_refused_and_remembers_nothing(cast, values, field, status):
    before = db_fingerprint()
    with pytest.raises(NetworkError) as refused:
        _coach(cast.ann, **{"job_id": cast.job.id, "language": "en", **values})
    assert (refused.value.field, refused.value.status) == (field, status)
    assert db_fingerprint() == before


@pytest.mark.parametrize("status", [JobStatus.DRAFT, JobStatus.CLOSED])
def test_the_coach_only_drafts_for_an_open_job(cast, status) -> None:
    job = make_job(status=status)
    with pytest.raises(NetworkError) as refused:
        _coach(cast.ann, job_id=job.id, name="Li", language="en")
    assert refused.value.status == 404


def test_the_coach_page_drafts_checks_and_offers_copy_and_mailto(client, auth, cast) -> None:
    made = contact(cast.ann, "Wang Wei", closeness="close", email="wang@example.com")
    auth.login(cast.ann)
    page = client.get(f"/network/coach?contact={made.id}&job={cast.job.id}").get_data(as_text=True)
    assert 'data-testid="coach-contact"' in page and "Wang Wei" in page
    data = {
        "contact_id": str(made.id),
        "job_id": str(cast.job.id),
        "reason": "you built the payment gateway at Acme",
        "language": "en",
        "action": "draft",
    }
    page = client.post("/network/coach", data=data).get_data(as_text=True)
    assert "Call or meet" in page
    assert 'data-testid="talking-points"' in page
    assert "mailto:wang@example.com?subject=A%20job%20that%20made%20me%20think%20of%20you" in page
    assert 'data-copy-from="#message"' in page
    assert page.count('data-done="yes"') == 3
    invitation = f"/invites/new?job_id={cast.job.id}&amp;contact_id={made.id}&amp;locale=en"
    assert f'href="{invitation}" data-testid="send-as-invitation"' in page
    rewritten = dict(data, action="check", message="Hi Wang, this is 100% your dream job!")
    page = client.post("/network/coach", data=rewritten).get_data(as_text=True)
    assert 'data-testid="warning-oversell"' in page and "100%, dream job" in page
    assert page.count('data-done="no"') == 3
    assert "Hi Wang, this is 100% your dream job!" in page


def test_the_coach_page_refuses_bad_input_beside_the_field(client, auth, cast) -> None:
    auth.login(cast.ann)
    response = client.post(
        "/network/coach",
        data={"job_id": str(cast.job.id), "name": "", "language": "en", "action": "draft"},
    )
    assert response.status_code == 422
    assert "Choose a contact or write the person&#39;s name." in response.get_data(as_text=True)
    response = client.post(
        "/network/coach",
        data={"job_id": "", "name": "Li", "language": "en", "action": "draft"},
    )
    assert response.status_code == 422
    assert "There is no such open job." in response.get_data(as_text=True)


def test_the_invitation_form_opens_with_the_coachs_contact_for_its_owner_alone(
    client, auth, cast
) -> None:
    made = contact(cast.ann, "Wang Wei", email="wang@example.com")
    by_phone = contact(cast.ann, "Li Lei", phone="13812345678")
    auth.login(cast.ann)
    page = client.get(f"/invites/new?job_id={cast.job.id}&contact_id={made.id}&locale=zh_CN").text
    assert 'value="wang@example.com"' in page
    assert (
        'checked class="form-check-input" id="locale-0" name="locale" type="radio" value="zh_CN"'
        in page
    )
    page = client.get(f"/invites/new?job_id={cast.job.id}&contact_id={by_phone.id}").text
    assert by_phone.phone and f'value="{by_phone.phone}"' in page
    auth.logout()
    for who in ("bob", "cat", "hr"):  # someone else's contact is not there for anyone else
        auth.login(cast.user(who))
        response = client.get(f"/invites/new?job_id={cast.job.id}&contact_id={made.id}")
        assert response.status_code == 404 and "wang@example.com" not in response.text
        auth.logout()
