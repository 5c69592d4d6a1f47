"""The demo's personal links: who shares theirs, how many people opened them, and the candidates
who applied through them (name, email, phone, employer, title, the job by title, the language
they applied in, whether they typed the code)."""

from __future__ import annotations

# (referrer's email, [(job title, visitors)], visitors of the all-jobs link)
SHARED_LINKS = [
    ("employee@demo.example", [("高级后端工程师（Go）", 14), ("SRE 运维开发工程师", 6)], 9),
    ("sales@demo.example", [("大客户销售经理", 11), ("销售代表（华东区）", 4)], 5),
]

APPLICANTS = [
    ("孔令辉", "linghui.kong@example.net", "13600136001", "某支付公司", "Go 工程师", "高级后端工程师（Go）", "employee@demo.example", "zh_CN", False),
    ("Lena Fischer", "lena.fischer@example.net", "13600136002", "Cloud GmbH", "Site reliability engineer", "SRE 运维开发工程师", "employee@demo.example", "en", True),
    ("毛思远", "siyuan.mao@example.net", "13600136003", "某工业软件公司", "客户经理", "大客户销售经理", "sales@demo.example", "zh_CN", False),
]  # fmt: skip

# Someone whose code HR switched off (it was posted on a job board with a made-up "guarantee").
SWITCHED_OFF_BY_HR = 7  # the n-th active employee without a demo login, by id
