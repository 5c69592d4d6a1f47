"""The perk shop: its perks (each of a kind whose illustration it shows) and the redemptions the
demo makes, in every status."""

from __future__ import annotations

# The perk shop: (name_en, name_zh, description_en, description_zh, cost, stock, limit per year,
# HR approves, kind). No picture is uploaded: each shows the illustration drawn for its kind
# (static/img/perks/<kind>.svg).
PERKS = [
    (
        "Extra day of annual leave",
        "额外一天年假",
        "One more paid day off this year. Agree the date with your manager first.",
        "今年额外多一天带薪年假。请先和主管约好日期。",
        300,
        None,
        2,
        True,
        "time_off",
    ),
    (
        "Health check-up package",
        "体检套餐",
        "A full annual check-up at one of our partner clinics, for you or a family member.",
        "在合作体检机构做一次全面年度体检，可给自己或一位家人使用。",
        400,
        30,
        1,
        True,
        "health",
    ),
    (
        "Learning budget",
        "学习基金",
        "¥1,000 towards a course, a conference ticket or books that help you grow.",
        "1000 元学习基金，可用于课程、行业大会门票或专业书籍。",
        250,
        None,
        None,
        True,
        "learning",
    ),
    (
        "Team dinner",
        "团队聚餐",
        "Dinner for your team, on the referral program. Up to ¥200 per person.",
        "由内推计划请你的团队吃一顿饭，人均不超过 200 元。",
        350,
        10,
        1,
        True,
        "food",
    ),
    (
        "Company merchandise",
        "公司周边",
        "A hoodie, a mug and stickers. Picked up at the front desk, no approval needed.",
        "卫衣、马克杯和贴纸一套。前台领取，无需审批。",
        80,
        50,
        None,
        False,
        "merchandise",
    ),
]

# (perk index, outcome, days ago, the demo employee first?) — redemptions in every status.
REDEMPTIONS = [
    (4, "fulfilled", 40.0, True),
    (0, "approved", 28.0, False),
    (2, "rejected", 18.0, False),
    (1, "approved", 12.0, False),
    (3, "pending", 2.0, False),
    (0, "pending", 0.3, True),
    (2, "pending", 1.2, False),
]

REDEMPTION_REJECT_REASON = "本季度学习基金预算已用完，下季度初请再申请，积分已退还。"
