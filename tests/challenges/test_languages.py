"""A challenge in words, in both languages: the countdown, the rules, prize tiers and scores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from flask_babel import force_locale

from community.challenges import labels, lifecycle
from community.challenges.models import ChallengePrize, Metric, PrizeKind
from community.challenges.rules import PrizeFields
from community.pipeline import Stage
from tests.challenges.conftest import Cast
from tests.challenges.factories import make_challenge
from tests.challenges.test_pages import login, text
from tests.factories import make_job
from tests.pipeline import advance
from tests.referrals.factories import make_referral

START = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("seconds", "english", "chinese"),
    [
        (3 * 86400 + 4 * 3600 + 59, "3 days 4 hours", "3 天 4 小时"),
        (86400 + 120, "1 day", "1 天"),
        (3600 + 60, "1 hour 1 minute", "1 小时 1 分钟"),
        (125, "2 minutes 5 seconds", "2 分钟 5 秒"),
        (1, "1 second", "1 秒"),
    ],
)
def test_a_duration_shows_its_two_largest_units(app, seconds, english, chinese) -> None:
    with force_locale("en"):
        assert labels.duration_text(seconds) == english
    with force_locale("zh_CN"):
        assert labels.duration_text(seconds) == chinese


def test_the_script_gets_each_units_patterns(app) -> None:
    with force_locale("en"):
        assert labels.unit_forms()["day"] == ["%(num)s day", "%(num)s days"]
    with force_locale("zh_CN"):
        assert labels.unit_forms()["hour"] == ["%(num)s 小时", "%(num)s 小时"]


@pytest.mark.parametrize(
    ("tier", "metric", "english", "chinese"),
    [
        ({"rank_from": 1, "rank_to": 1}, Metric.POINTS, "1st", "第 1 名"),
        ({"rank_from": 2, "rank_to": 3}, Metric.POINTS, "2nd–3rd", "第 2 名至第 3 名"),
        ({"rank_from": 11, "rank_to": 12}, Metric.POINTS, "11th–12th", "第 11 名至第 12 名"),
        ({"rank_from": 1, "rank_to": 10}, Metric.POINTS, "Top 10", "前 10 名"),
        (
            {"kind": PrizeKind.THRESHOLD, "threshold": 5},
            Metric.HIRES,
            "Everyone with at least 5 hires",
            "成绩达到 5 人入职的所有人",
        ),
        (
            {"kind": PrizeKind.THRESHOLD, "threshold": 1},
            Metric.POINTS,
            "Everyone with at least 1 point",
            "成绩达到 1 积分的所有人",
        ),
        (
            {"kind": PrizeKind.THRESHOLD, "threshold": 500},
            Metric.QUALITY,
            "Everyone with at least 0.50 interviews per referral",
            "成绩达到 每次推荐 0.50 次面试的所有人",
        ),
    ],
)
def test_prize_tiers_in_words(app, tier, metric, english, chinese) -> None:
    prize = ChallengePrize(**{"kind": PrizeKind.RANK, **tier})
    with force_locale("en"):
        assert labels.tier_label(prize, metric) == english
    with force_locale("zh_CN"):
        assert labels.tier_label(prize, metric) == chinese


def test_scores_in_words(app) -> None:
    with force_locale("en"):
        assert labels.amount(1, Metric.HIRES) == "1 hire"
        assert labels.amount(1200, Metric.POINTS) == "1,200 points"
        assert labels.amount(667, Metric.QUALITY) == "0.67 interviews per referral"
        assert labels.amount(2, Metric.SCREENED) == "2 screenings passed"
    with force_locale("zh_CN"):
        assert labels.amount(3, Metric.INTERVIEWS) == "3 次面试"


def _live_challenge_with_a_score(cast: Cast):  # noqa: ANN202
    hard = make_job(title="支付工程师", title_en="Payments engineer")
    with time_machine.travel(START, tick=False):
        challenge = make_challenge(
            cast.hr,
            starts_at=START.replace(tzinfo=None),
            ends_at=(START + timedelta(days=14)).replace(tzinfo=None),
            settlement_days=7,
            multiplier_percent=200,
            multiplier_job_ids=[hard.id],
            prizes=[PrizeFields(rank_from=1, rank_to=1, points=500, thanks=True)],
        )
        lifecycle.keep_time(START.replace(tzinfo=None))
        advance(make_referral(cast.member, hard), Stage.SCREENING, cast.hr)
    return challenge


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_the_detail_page_in_both_languages(client, auth, cast: Cast, language: str) -> None:
    challenge = _live_challenge_with_a_score(cast)
    cast.member.locale = language
    from community.extensions import db

    db.session.commit()
    with time_machine.travel(START + timedelta(days=10, hours=20), tick=False):
        login(auth, cast.member)
        page = text(client.get(f"/challenges/{challenge.id}"))
    expected = {
        "en": [
            "December referral sprint",
            "3 days 4 hours left",
            "Ranked by the points referrals earn as they move forward.",
            "2× stage points for referrals to Payments engineer, at most 2000 bonus points per "
            "person.",
            "Submissions count at most 3 times a day per person",
            "On equal scores, whoever reached the score first ranks higher.",
            "Everyone in the company",
            "1st",
            "500 points",
            "A thank-you on the thanks wall",
            ">Challenges<",
            "My standing",
        ],
        "zh_CN": [
            "十二月内推冲刺",
            "还剩 3 天 4 小时",
            "按推荐推进过程中获得的积分排名。",
            "推荐到支付工程师的阶段积分按 2 倍计算，每人加成最多 2000 积分。",
            "每人每天最多计入 3 次提交",
            "成绩相同时，先达到该成绩的人排名靠前。",
            "全公司所有人",
            "第 1 名",
            "500 积分",
            "感谢墙上的公开感谢",
            ">挑战赛<",
            "我的成绩",
        ],
    }[language]
    for words in expected:
        assert words in page, words
    assert 'data-testid="countdown"' in page and "<time" in page
    assert "2026-12-15T02:00:00Z" in page  # the end, for the script


def test_the_countdown_follows_the_status(app, cast: Cast) -> None:
    with time_machine.travel(START, tick=False):
        challenge = make_challenge(
            cast.hr,
            starts_at=(START + timedelta(hours=3)).replace(tzinfo=None),
            ends_at=(START + timedelta(days=2)).replace(tzinfo=None),
            settlement_days=1,
        )
    now = START.replace(tzinfo=None)
    with force_locale("en"):
        assert labels.countdown(challenge, now).text == "Starts in 3 hours"
        lifecycle.keep_time(now + timedelta(hours=3))
        assert labels.countdown(challenge, now + timedelta(hours=4)).text.endswith("hours left")
        lifecycle.keep_time(now + timedelta(days=2, minutes=1))
        later = now + timedelta(days=2, hours=1)
        assert labels.countdown(challenge, later).text == "Final results in 23 hours"
        lifecycle.keep_time(now + timedelta(days=3, minutes=1))
        assert labels.countdown(challenge, later) is None
