"""Who the wall shows is decided when reading: opt-out and deactivation hide a person at once,
old posts included; announcements always show; hidden posts never do."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import force_locale

from community.core.time import utcnow
from community.extensions import db
from community.notifications.models import Notification
from community.notifications.queries import message_for
from community.referrals.models import Stage
from community.thanks import queries, services
from community.thanks.labels import headline
from community.thanks.models import ThanksKind, ThanksPost
from tests.factories import make_user
from tests.thanks.factories import paid_payout


def wall() -> list[int]:
    db.session.expire_all()
    return [p.id for p in db.session.scalars(queries.visible_posts()).unique()]


def gold(user, days_ago: int = 0) -> ThanksPost:
    post = services.thank_gold_tier(user, "gold", utcnow() - timedelta(days=days_ago))
    db.session.commit()
    return post


def test_newest_first_and_home_takes_five(hr):
    people = [make_user() for _ in range(7)]
    made = [gold(p, days_ago=10 - i) for i, p in enumerate(people)]
    assert wall() == [p.id for p in reversed(made)]
    assert [p.id for p in queries.latest_posts(5)] == [p.id for p in reversed(made)][:5]


def test_opting_out_hides_old_posts_at_once_and_opting_in_brings_them_back(hr):
    person, other = make_user(), make_user()
    old = gold(person, days_ago=300)
    kept = gold(other)
    person.leaderboard_opt_out = True
    db.session.commit()
    assert wall() == [kept.id]
    person.leaderboard_opt_out = False
    db.session.commit()
    assert wall() == [kept.id, old.id]


def test_a_deactivated_person_is_off_the_wall(hr):
    person = make_user(name="Former Fei")
    payout = paid_payout(hr, person)
    assert len(wall()) == 1
    person.is_active_account = False
    db.session.commit()
    assert wall() == []
    assert payout.id  # the post itself stays
    assert db.session.query(ThanksPost).count() == 1


def test_announcements_always_show_even_when_the_author_opted_out(hr):
    hr.leaderboard_opt_out = True
    db.session.commit()
    post = services.post_announcement(hr, "Rules changed", "Read them.")
    assert wall() == [post.id]


def test_hidden_posts_do_not_show(hr):
    shown, hidden = gold(make_user()), gold(make_user())
    news = services.post_announcement(hr, "News", "Body")
    services.hide_post(hidden, hr, "duplicate")
    services.hide_post(news, hr, "typo")
    assert wall() == [shown.id]


def test_headlines_in_both_languages_without_amounts(hr):
    referrer = make_user(name="Zhang San")
    payout = paid_payout(hr, referrer, title="Backend Engineer")
    [post] = db.session.scalars(queries.visible_posts()).unique()
    with force_locale("en"):
        english = headline(post)
    with force_locale("zh_CN"):
        chinese = headline(post)
    assert english == (
        "Thank you, Zhang San, for referring our new Backend Engineer — joining bonus paid."
    )
    assert chinese == "谢谢 Zhang San 推荐了 Backend Engineer 的同事 — 入职奖金已发放。"
    for text in (english, chinese):
        assert "3,000" not in text and "3000" not in text and "¥" not in text
    assert payout.amount_minor == 300000


def test_probation_and_gold_headlines():
    person = make_user(name="Li Lei")
    probation = ThanksPost(
        kind=ThanksKind.PAYOUT_PAID,
        idempotency_key="x",
        subject=person,
        stage=Stage.PROBATION_PASSED,
        job_title="Designer",
    )
    with force_locale("zh_CN"):
        assert (
            headline(probation)
            == "谢谢 Li Lei 推荐了 Designer 的同事，新同事已顺利转正 — 转正奖金已发放。"
        )
    post = gold(person)
    with force_locale("en"):
        assert headline(post).startswith("Li Lei became a Gold referrer of ")
    with force_locale("zh_CN"):
        assert "金牌内推人" in headline(post)


def test_the_announcement_notification_reads_in_the_readers_language(hr):
    make_user()
    services.post_announcement(hr, "年度规则更新", "正文")
    notification = db.session.query(Notification).filter_by(kind="announcement").first()
    with force_locale("en"):
        assert (
            message_for(notification)
            == "HR posted an announcement on the thanks wall: 年度规则更新"
        )
    with force_locale("zh_CN"):
        assert message_for(notification) == "HR 在感谢墙发布了公告：年度规则更新"
