"""What a challenge tells whom: the host of its approval, start, end and results; everyone in
scope of its start, its last 24 hours and its results; a person of entering the top three; a
winner of what they won. Each in the reader's language, the title too, moments in the company's
time zone, linking to the challenge."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from community import events
from community.accounts.models import User
from community.extensions import db
from community.notifications.models import Notification
from community.notifications.queries import shown
from tests.challenges.events import finalized, prize
from tests.factories import make_user
from tests.perks.factories import make_perk

TITLES = {"title": "春季内推冲刺", "title_en": "Spring referral sprint"}
EVENING = datetime(2026, 12, 12, 10, 0)  # 18:00 in Shanghai, the company's zone
AT = datetime(2026, 12, 1, 2, 0)


def publish(event: events.Event) -> None:
    """Publish as the challenge room does: inside its transaction, then commit."""
    events.publish(event)
    db.session.commit()
    db.session.expire_all()


def inbox(user: User) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    )


def read(notification: Notification, locale: str) -> str:
    with force_locale(locale):
        return shown(notification).text.replace("\u202f", " ")


def lines(notification: Notification, locale: str) -> list[str]:
    with force_locale(locale):
        return [line.text for line in shown(notification).lines]


@pytest.fixture
def host() -> User:
    return make_user(name="Mia Manager")


@pytest.fixture
def crowd() -> Iterator[list[User]]:
    yield [make_user(name=f"Player {n}") for n in range(3)]


# The host ------------------------------------------------------------------------------------


def test_the_host_hears_their_challenge_was_approved(host, hr):
    publish(
        events.ChallengeApproved(
            challenge_id=77, host_id=host.id, actor_id=hr.id, starts_at=EVENING, at=AT, **TITLES
        )
    )
    (notice,) = inbox(host)
    assert notice.kind == "challenge_approved" and notice.link == "/challenges/77"
    assert read(notice, "en") == (
        "Your challenge “Spring referral sprint” was approved and starts on Dec 12, 2026 6:00 PM."
    )
    assert read(notice, "zh_CN") == (
        "你的挑战赛“春季内推冲刺”已获批准，将于 2026年12月12日 18:00 开始。"
    )
    assert inbox(hr) == []


def test_hr_scheduling_their_own_challenge_is_not_told_of_it(hr):
    publish(
        events.ChallengeApproved(
            challenge_id=77, host_id=hr.id, actor_id=hr.id, starts_at=EVENING, at=AT, **TITLES
        )
    )
    assert inbox(hr) == []


def test_the_host_hears_it_ended_and_when_results_are_final(host):
    publish(
        events.ChallengeEnded(challenge_id=77, host_id=host.id, settles_at=EVENING, at=AT, **TITLES)
    )
    (notice,) = inbox(host)
    assert read(notice, "en") == (
        "Your challenge “Spring referral sprint” has ended; its results are final on "
        "Dec 12, 2026 6:00 PM."
    )
    assert read(notice, "zh_CN") == (
        "你的挑战赛“春季内推冲刺”已结束，结果将于 2026年12月12日 18:00 最终确定。"
    )


def test_an_english_reader_gets_the_base_title_when_there_is_no_english(host):
    publish(
        events.ChallengeEnded(
            challenge_id=77,
            host_id=host.id,
            settles_at=EVENING,
            at=AT,
            title="年终挑战",
            title_en=None,
        )
    )
    assert "Your challenge “年终挑战” has ended" in read(inbox(host)[0], "en")


# Everyone in scope ---------------------------------------------------------------------------


def went_live(host: User, participants: list[User]) -> events.ChallengeWentLive:
    return events.ChallengeWentLive(
        challenge_id=77,
        host_id=host.id,
        participant_ids=tuple(p.id for p in participants),
        ends_at=EVENING,
        at=AT,
        **TITLES,
    )


def test_everyone_in_scope_hears_it_started_and_the_host_that_it_is_live(host, crowd):
    gone = make_user(is_active_account=False)
    publish(went_live(host, [*crowd, host, gone]))
    for person in crowd:
        (notice,) = inbox(person)
        assert notice.kind == "challenge_live" and notice.link == "/challenges/77"
        assert read(notice, "en") == (
            "The challenge “Spring referral sprint” has started. It ends on Dec 12, 2026 6:00 PM."
        )
        assert read(notice, "zh_CN") == (
            "挑战赛“春季内推冲刺”已开始，将于 2026年12月12日 18:00 结束。"
        )
    (own,) = inbox(host)  # their own version only, not the participants' too
    assert own.kind == "challenge_live_host"
    assert read(own, "en") == (
        "Your challenge “Spring referral sprint” is live. It ends on Dec 12, 2026 6:00 PM."
    )
    assert read(own, "zh_CN") == "你的挑战赛“春季内推冲刺”已上线，将于 2026年12月12日 18:00 结束。"
    assert inbox(gone) == []  # a deactivated account hears nothing


def test_many_participants_are_written_slice_by_slice(host, monkeypatch):
    from community.challenges import notices

    monkeypatch.setattr(notices, "SLICE", 2)
    many = [make_user() for _ in range(5)]
    publish(went_live(host, many))
    assert [len(inbox(person)) for person in many] == [1, 1, 1, 1, 1]


def test_everyone_in_scope_hears_24_hours_are_left(crowd):
    publish(
        events.ChallengeClosingSoon(
            challenge_id=77,
            participant_ids=tuple(p.id for p in crowd),
            ends_at=EVENING,
            at=AT,
            **TITLES,
        )
    )
    for person in crowd:
        (notice,) = inbox(person)
        assert read(notice, "en") == (
            "24 hours left in “Spring referral sprint”: it ends on Dec 12, 2026 6:00 PM."
        )
        assert (
            read(notice, "zh_CN") == "“春季内推冲刺”还剩 24 小时，将于 2026年12月12日 18:00 结束。"
        )


def test_a_person_entering_the_top_three_hears_their_place(crowd):
    publish(events.ChallengeTopThree(challenge_id=77, user_id=crowd[0].id, rank=2, at=AT, **TITLES))
    (notice,) = inbox(crowd[0])
    assert read(notice, "en") == "You are #2 in “Spring referral sprint”."
    assert read(notice, "zh_CN") == "你在“春季内推冲刺”中排名第 2。"
    assert inbox(crowd[1]) == []


def test_results_reach_everyone_but_the_winners_and_the_host_hears_how_many_won(host, crowd):
    first, second, rest = crowd
    publish(
        finalized(
            ((first.id, 1), (second.id, 2)),
            host.id,
            participant_ids=(first.id, second.id, rest.id, host.id),
            thanked=(),
        )
    )
    assert inbox(first) == [] and inbox(second) == []  # each hears what they won instead
    (results,) = inbox(rest)
    assert read(results, "en") == "The results of “Spring referral sprint” are in."
    assert read(results, "zh_CN") == "“春季内推冲刺”的结果出炉了。"
    (own,) = inbox(host)
    assert (
        read(own, "en") == "Your challenge “Spring referral sprint” is final: 2 people won prizes."
    )
    assert read(own, "zh_CN") == "你的挑战赛“春季内推冲刺”结果已确定：2 人获奖。"


def test_the_host_of_a_challenge_nobody_won_hears_so(host, crowd):
    publish(finalized((), host.id, participant_ids=tuple(p.id for p in crowd)))
    (own,) = inbox(host)
    assert (
        read(own, "en") == "Your challenge “Spring referral sprint” is final; nobody won a prize."
    )
    assert read(own, "zh_CN") == "你的挑战赛“春季内推冲刺”结果已确定，无人获奖。"


# The winner ----------------------------------------------------------------------------------


def test_a_winner_hears_what_they_won_with_the_badge_as_a_line(crowd):
    winner = crowd[0]
    perk = make_perk(stock=None)
    publish(prize(winner.id, rank=1, points=500, perk_id=perk.id, badge=True, at=AT))
    (notice,) = inbox(winner)
    assert notice.kind == "challenge_prize" and notice.link == "/challenges/77"
    assert read(notice, "en") == (
        "You won 1st place in “Spring referral sprint”: 500 points and Extra day of annual leave."
    )
    assert read(notice, "zh_CN") == "你在“春季内推冲刺”中获得第1名：500 积分和额外一天年假。"
    assert lines(notice, "en") == ["New badge: Challenge winner"]
    assert lines(notice, "zh_CN") == ["新徽章：挑战赛获胜者"]


@pytest.mark.parametrize(
    ("fields", "english", "chinese"),
    [
        (
            {"rank": 3, "points": 1},
            "You won 3rd place in “Spring referral sprint”: 1 point.",
            "你在“春季内推冲刺”中获得第3名：1 积分。",
        ),
        (
            {"rank": 2, "points": 0},
            "You won 2nd place in “Spring referral sprint”.",
            "你在“春季内推冲刺”中获得第2名。",
        ),
        (
            {"rank": None, "points": 50},
            "You won a prize in “Spring referral sprint”: 50 points.",
            "你在“春季内推冲刺”中赢得了奖品：50 积分。",
        ),
        (
            {"rank": None, "points": 0},
            "You won a prize in “Spring referral sprint”.",
            "你在“春季内推冲刺”中赢得了奖品。",
        ),
    ],
)
def test_each_kind_of_prize_reads_in_both_languages(crowd, fields, english, chinese):
    publish(prize(crowd[0].id, **fields))
    (notice,) = inbox(crowd[0])
    assert read(notice, "en") == english
    assert read(notice, "zh_CN") == chinese
