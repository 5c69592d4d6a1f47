"""The demo company itself: its departments, the demo logins and their password, and the
surnames and given names the other employees are drawn from."""

from __future__ import annotations

DEMO_PASSWORD = "demo12345"

DEPARTMENTS = [
    "技术研发部",
    "产品部",
    "设计部",
    "市场部",
    "销售部",
    "运营部",
    "财务部",
    "人力资源部",
    "客户成功部",
    "数据智能部",
]

# Each department's English name.
DEPARTMENT_NAMES_EN = {
    "技术研发部": "Engineering",
    "产品部": "Product",
    "设计部": "Design",
    "市场部": "Marketing",
    "销售部": "Sales",
    "运营部": "Operations",
    "财务部": "Finance",
    "人力资源部": "Human Resources",
    "客户成功部": "Customer Success",
    "数据智能部": "Data Intelligence",
}

# A newcomer who joined three weeks ago and has referred nobody yet: the mentee side of 老带新.
NEWCOMER_LOGIN = "newcomer@demo.example"
NEWCOMER_JOINED_DAYS_AGO = 21
# The analytics' weak spots, there to be found: a department whose people barely refer (one of
# them does), and a job family whose referrals rarely reach the interview.
QUIET_DEPARTMENT = "财务部"
HARD_FAMILY = "operations"

# (email, name, role, department) — the logins printed by `make run`.
DEMO_ACCOUNTS = [
    ("hr@demo.example", "林晓雯", "hr", "人力资源部"),
    ("manager@demo.example", "陈志远", "manager", "技术研发部"),
    ("employee@demo.example", "王小明", "employee", "技术研发部"),
    ("sales@demo.example", "赵丽娜", "employee", "销售部"),
    (NEWCOMER_LOGIN, "周可欣", "employee", "产品部"),
]
# What a login is there to try, printed after it by `flask demo-logins` (README has the same).
DEMO_TRY = {
    NEWCOMER_LOGIN: "newcomer, no referral yet: mentee of 王小明 (goal, check-ins, what the "
    "mentor sees), ask in the forum, RSVP a session, make a first referral",
}

SURNAMES = [
    ("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"),
    ("黄", "Huang"), ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou"), ("徐", "Xu"), ("孙", "Sun"),
    ("马", "Ma"), ("朱", "Zhu"), ("胡", "Hu"), ("郭", "Guo"), ("何", "He"), ("高", "Gao"),
    ("林", "Lin"), ("罗", "Luo"), ("郑", "Zheng"), ("梁", "Liang"), ("谢", "Xie"), ("宋", "Song"),
]  # fmt: skip

GIVEN_NAMES = [
    ("伟", "Wei"), ("芳", "Fang"), ("娜", "Na"), ("敏", "Min"), ("静", "Jing"), ("强", "Qiang"),
    ("磊", "Lei"), ("洋", "Yang"), ("艳", "Yan"), ("勇", "Yong"), ("杰", "Jie"), ("娟", "Juan"),
    ("涛", "Tao"), ("明", "Ming"), ("超", "Chao"), ("秀英", "Xiuying"), ("霞", "Xia"), ("平", "Ping"),
    ("刚", "Gang"), ("桂英", "Guiying"), ("子涵", "Zihan"), ("欣怡", "Xinyi"), ("浩然", "Haoran"),
    ("宇轩", "Yuxuan"), ("思远", "Siyuan"), ("雨桐", "Yutong"), ("嘉豪", "Jiahao"), ("佳琪", "Jiaqi"),
]  # fmt: skip
