"""The demo's referral challenges: one live (company-wide, hosted by HR, a multiplier on the
hard-to-fill jobs), one a manager held for their department that is over and final, and one
scheduled for next week; and the referrals written inside their windows so their boards show
people at different scores. Chinese first, English beside it."""

from __future__ import annotations

# Each challenge: title, title_en, description, description_en.
LIVE_CHALLENGE = (
    "难招岗位冲刺赛",
    "Hard-to-fill roles sprint",
    "四周内推冲刺：所有岗位都计分，标记为难招的岗位积分翻倍。第一名获得 500 积分、一天额外年假、"
    "挑战冠军徽章和全员感谢；第二、三名各得 200 积分；累计 100 分以上的每位同事再得 50 积分。",
    "A four-week referral sprint: every job counts, and the jobs marked hard to fill count double. "
    "First place wins 500 points, an extra day of annual leave, the challenge-winner badge and a "
    "thank-you on the wall; second and third win 200 points each; everyone who reaches 100 points "
    "gets 50 more.",
)
FINISHED_CHALLENGE = (
    "技术研发部内推挑战",
    "Engineering referral challenge",
    "技术研发部内部的一个月内推挑战，按内推积分排名，结束后有一周的结算期。第一名 300 积分、"
    "挑战冠军徽章和全员感谢，第二、三名各 100 积分。",
    "A month-long referral challenge inside Engineering, ranked by referral points, with a week "
    "of settlement after it ends. First place wins 300 points, the challenge-winner badge and a "
    "thank-you on the wall; second and third win 100 points each.",
)
SCHEDULED_CHALLENGE = (
    "面试邀约月",
    "Interview month",
    "下周一开始：一个月内，谁推荐的候选人进入面试最多。第一名 300 积分和挑战冠军徽章，"
    "第二到第五名各 100 积分。",
    "Starts next Monday: for a month, who refers the most candidates who get invited to "
    "interview. First place wins 300 points and the challenge-winner badge; second to fifth "
    "win 100 points each.",
)

# The perk first place in the live challenge wins (by its Chinese name), when the shop has it.
PRIZE_PERK = "额外一天年假"

# People referred inside the challenges' windows: name, email, phone, employer, current title,
# the job (by title).
CHALLENGE_CANDIDATES = [
    ("高远航", "yuanhang.gao@example.net", "13900139001", "某云厂商", "高级 Go 工程师", "高级后端工程师（Go）"),
    ("沈嘉禾", "jiahe.shen@example.net", "13900139002", "某 CDN 厂商", "运维开发", "SRE 运维开发工程师"),
    ("唐可", "ke.tang@example.net", "13900139003", "某工业软件公司", "大客户经理", "大客户销售经理"),
    ("陆知行", "zhixing.lu@example.net", "13900139004", "某零售集团", "数据分析师", "数据分析师"),
    ("乔一", "yi.qiao@example.net", "13900139005", "某在线文档公司", "前端工程师", "前端工程师（React）"),
    ("苗苗", "miao.miao@example.net", "13900139006", "某 SaaS 公司", "客户成功经理", "客户成功经理"),
    ("付晨阳", "chenyang.fu@example.net", "13900139007", "某教育科技公司", "增长经理", "增长营销专家"),
    ("季风", "feng.ji@example.net", "13900139008", "某出行平台", "产品经理", "产品经理（移动端）"),
    ("严谨", "jin.yan@example.net", "13900139009", "某物流科技公司", "数据开发工程师", "数据工程师"),
    ("褚云", "yun.chu@example.net", "13900139010", "某云厂商", "SRE", "SRE 运维开发工程师"),
    ("华若琳", "ruolin.hua@example.net", "13900139011", "某内容平台", "前端开发", "前端工程师（React）"),
    ("车晓东", "xiaodong.che@example.net", "13900139012", "某手机厂商", "Android 工程师", "Android 开发工程师"),
    ("宁泽", "ze.ning@example.net", "13900139013", "某短视频公司", "推荐算法工程师", "算法工程师（推荐系统）"),
    ("柏青", "qing.bai@example.net", "13900139014", "某协同软件公司", "销售代表", "销售代表（华东区）"),
]  # fmt: skip

# The referrals inside a window: (who refers: a slot among the people picked for the challenge,
# or a demo login; the candidate's email; the stages after "submitted"; days after the window
# opened when it was submitted; days between one step and the next). Points on the board differ
# from person to person by design (a hard-to-fill job earns 1.5× by the rules, and 2× that in
# the live challenge).
LIVE_REFERRALS = [
    (0, "ke.tang@example.net", ("screening", "interviewing", "offer"), 0.6, (1.0, 2.5, 5.0)),
    (1, "yuanhang.gao@example.net", ("screening", "interviewing"), 1.4, (0.8, 3.0)),
    (1, "jiahe.shen@example.net", ("screening",), 6.2, (1.1,)),
    (2, "zhixing.lu@example.net", ("screening", "interviewing", "offer"), 0.9, (1.2, 2.0, 5.5)),
    (3, "yi.qiao@example.net", ("interviewing",), 3.3, (2.2,)),
    (3, "miao.miao@example.net", ("screening",), 7.4, (0.6,)),
    (4, "chenyang.fu@example.net", ("screening",), 5.1, (1.3,)),
    (5, "feng.ji@example.net", ("screening", "rejected"), 2.0, (0.9, 3.1)),
]
FINISHED_REFERRALS = [
    (0, "jin.yan@example.net", ("screening", "interviewing", "offer", "hired"), 1.5, (1.0, 4.0, 12.0, 26.0)),
    (0, "yun.chu@example.net", ("screening", "interviewing", "rejected"), 6.0, (1.5, 5.0, 6.0)),
    ("employee@demo.example", "ruolin.hua@example.net", ("screening", "interviewing", "offer", "withdrawn"), 3.0, (1.2, 4.5, 11.0, 6.0)),
    ("employee@demo.example", "xiaodong.che@example.net", ("screening", "withdrawn"), 12.0, (1.0, 5.0)),
    (1, "ze.ning@example.net", ("interviewing", "rejected"), 8.0, (2.5, 7.0)),
    (2, "qing.bai@example.net", ("screening", "rejected"), 15.0, (1.0, 4.0)),
]  # fmt: skip
