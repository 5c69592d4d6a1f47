"""Who hears what: announcements reach every robot, a thank-you the thanked person's department
and the company's group, a challenge's results the groups of the departments it ran in. Each
is queued inside the transaction of what it tells, in the company's language, with a link back
to the app, and leaves out whoever keeps off the public boards."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from community import events
from community.accounts.models import Department, Role, User
from community.challenges import lifecycle
from community.challenges.models import Metric, PeopleScope
from community.core.time import utcnow
from community.extensions import db
from community.pipeline import Stage
from community.teamchat import sending, services
from community.teamchat.models import ChatDelivery, ChatRobot, DeliveryStatus, Platform, PostKind
from community.thanks.models import ThanksPost
from community.thanks.services import post_announcement, thank_gold_tier
from tests.challenges.factories import make_challenge
from tests.factories import make_department, make_user
from tests.pipeline import advance
from tests.referrals.factories import make_referral
from tests.teamchat.conftest import Receiver, make_robot
from tests.thanks.factories import paid_payout


@pytest.fixture(autouse=True)
def _no_gold_tiers_from_test_hires() -> None:
    """A test hire would also earn a gold-referrer tier (a thank-you of its own): out of reach."""
    from community.badges.models import BadgeSettings

    db.session.add(
        BadgeSettings(gold_bronze_hires=998, gold_silver_hires=999, gold_gold_hires=1000)
    )
    db.session.commit()


@pytest.fixture
def sales() -> Department:
    return make_department("Sales")


@pytest.fixture
def engineering() -> Department:
    return make_department("Engineering")


@pytest.fixture
def robots(hr, receiver: Receiver, sales, engineering) -> dict[str, ChatRobot]:
    """A company-wide group, one per department, and a department robot that only takes thanks."""
    return {
        "company": make_robot(hr, receiver, Platform.WECOM, name="Everyone"),
        "sales": make_robot(hr, receiver, Platform.DINGTALK, sales, name="Sales"),
        "engineering": make_robot(hr, receiver, Platform.FEISHU, engineering, name="Eng"),
        "eng-thanks": make_robot(
            hr,
            receiver,
            Platform.WECOM,
            engineering,
            name="Eng thanks",
            sends_announcements=False,
            sends_challenges=False,
        ),
    }


def deliveries(kind: PostKind | None = None) -> list[ChatDelivery]:
    db.session.expire_all()
    statement = select(ChatDelivery).order_by(ChatDelivery.id)
    if kind is not None:
        statement = statement.where(ChatDelivery.kind == kind)
    return list(db.session.scalars(statement))


def robot_names(found: list[ChatDelivery]) -> set[str]:
    return {delivery.robot.name for delivery in found}


def test_an_announcement_goes_to_every_robot_that_takes_them(hr, robots) -> None:
    services.switch_robot(hr, robots["engineering"].id, False)
    post = post_announcement(hr, "New referral bonus", "From January the bonus is paid at once.")
    found = deliveries(PostKind.ANNOUNCEMENT)
    assert robot_names(found) == {"Everyone", "Sales"}  # off, and thanks only: not these
    message = found[0].message
    assert message["title"] == "Announcement: New referral bonus"
    assert message["lines"] == ["From January the bonus is paid at once."]
    assert message["link"] == f"http://127.0.0.1:5000/thanks/#thanks-{post.id}"
    assert {d.status for d in found} == {DeliveryStatus.QUEUED}


def test_a_long_announcement_is_cut_short_in_the_chat(hr, robots) -> None:
    post_announcement(hr, "Long", "Dear all,\n\n" + "word " * 200 + "\nBye")
    lines = deliveries(PostKind.ANNOUNCEMENT)[0].message["lines"]
    assert lines[0] == "Dear all,"  # its lines kept, the empty one left out
    assert len(lines) == 2 and lines[1].endswith("…")
    assert len("".join(lines)) <= 280


def test_nothing_is_queued_when_the_announcement_rolls_back(hr, robots) -> None:
    def broken(event: events.AnnouncementPosted) -> None:
        raise RuntimeError("a later listener failed")

    events.subscribe(events.AnnouncementPosted, broken)
    try:
        with pytest.raises(RuntimeError):
            post_announcement(hr, "Title", "Body")
    finally:
        events.unsubscribe(events.AnnouncementPosted, broken)
    db.session.rollback()
    assert deliveries() == []
    assert db.session.scalars(select(ThanksPost)).all() == []


def test_a_paid_bonus_is_thanked_in_the_department_and_company_groups(
    hr, robots, engineering
) -> None:
    ann = make_user(Role.EMPLOYEE, engineering, name="Ann")
    paid_payout(hr, ann, title="Payments Engineer")
    found = deliveries(PostKind.THANKS)
    assert robot_names(found) == {"Everyone", "Eng", "Eng thanks"}  # not Sales
    message = found[0].message
    assert message["title"] == "Thank you, Ann!"
    assert message["lines"] == ["for referring our new Payments Engineer — joining bonus paid"]
    assert "10,000" not in str(message) and "10000" not in str(message)  # never the amount
    assert message["link"] == "http://127.0.0.1:5000/thanks/"


def test_nobody_who_keeps_off_the_public_boards_is_thanked_in_a_chat(
    hr, robots, engineering
) -> None:
    private = make_user(Role.EMPLOYEE, engineering, leaderboard_opt_out=True)
    thank_gold_tier(private, "gold", utcnow())
    left = make_user(Role.EMPLOYEE, engineering, is_active_account=False)
    thank_gold_tier(left, "gold", utcnow())
    db.session.commit()
    assert deliveries() == []


def test_one_persons_thanks_of_one_day_share_a_message_while_it_waits(
    hr, robots, engineering, receiver: Receiver
) -> None:
    ann = make_user(Role.EMPLOYEE, engineering, name="Ann")
    thank_gold_tier(ann, "bronze", utcnow())
    thank_gold_tier(ann, "silver", utcnow())
    db.session.commit()
    found = deliveries(PostKind.THANKS)
    assert len(found) == 3  # one per robot
    year = utcnow().year
    assert found[0].message["lines"] == [
        f"for becoming a Bronze referrer of {year}",
        f"for becoming a Silver referrer of {year}",
    ]
    sending.send_due(utcnow())
    thank_gold_tier(ann, "gold", utcnow())  # once sent, the next thanks is a new message
    db.session.commit()
    newest = deliveries(PostKind.THANKS)[-1]
    assert newest.status == DeliveryStatus.QUEUED
    assert newest.message["lines"] == [f"for becoming a Gold referrer of {year}"]


def test_thanks_are_worded_in_the_companys_language(
    app: Flask, hr, robots, engineering, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "DEFAULT_LOCALE", "zh_CN")
    ann = make_user(Role.EMPLOYEE, engineering, name="Ann", locale="en")
    thank_gold_tier(ann, "gold", utcnow())
    db.session.commit()
    message = deliveries(PostKind.THANKS)[0].message
    assert message["title"] == "谢谢 Ann！"
    assert message["locale"] == "zh_CN"
    assert "年度" in message["lines"][0]


def _final_challenge(hr: User, scope: PeopleScope, department_ids: list[int], people: list[User]):
    challenge = make_challenge(
        hr, metric=Metric.SCREENED, people_scope=scope, department_ids=department_ids
    )
    for count, person in zip((3, 2, 1), people, strict=False):
        for _ in range(count):
            advance(make_referral(person), Stage.SCREENING, hr)
    lifecycle.keep_time(challenge.settles_at + timedelta(seconds=1))
    return challenge


def test_challenge_results_reach_the_groups_of_its_departments(hr, robots, sales) -> None:
    mia, max_, private = (make_user(Role.EMPLOYEE, sales, name=n) for n in ("Mia", "Max", "Pia"))
    private.leaderboard_opt_out = True
    db.session.commit()
    challenge = _final_challenge(hr, PeopleScope.DEPARTMENTS, [sales.id], [mia, private, max_])
    found = deliveries(PostKind.CHALLENGE)
    assert robot_names(found) == {"Everyone", "Sales"}
    message = found[0].message
    assert message["title"] == "Results of December referral sprint"
    # Pia came second but keeps off the public boards: left out, the places stay as they were.
    assert message["lines"] == [
        "The challenge is over. Congratulations to the winners!",
        "1st Mia",
        "3rd Max",
    ]
    assert message["link"] == f"http://127.0.0.1:5000/challenges/{challenge.id}"


def test_a_company_challenge_reaches_every_group_that_takes_results(
    hr, robots, sales, engineering
) -> None:
    people = [make_user(Role.EMPLOYEE, engineering, name="Eve")]
    _final_challenge(hr, PeopleScope.COMPANY, [], people)
    assert robot_names(deliveries(PostKind.CHALLENGE)) == {"Everyone", "Sales", "Eng"}


def test_a_challenge_nobody_scored_in_still_says_it_is_over(hr, robots) -> None:
    _final_challenge(hr, PeopleScope.COMPANY, [], [])
    lines = deliveries(PostKind.CHALLENGE)[0].message["lines"]
    assert lines == ["The challenge is over. The final standings are on its page."]
