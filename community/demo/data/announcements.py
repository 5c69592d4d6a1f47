"""HR's announcements on the thanks wall."""

from __future__ import annotations

# HR's announcements on the thanks wall: (days ago, title, body).
ANNOUNCEMENTS = [
    (
        45,
        "内推规则更新：奖金分两次发放",
        "从本季度起，内推奖金分两次发放：\n"
        "· 候选人入职后发放 30%\n"
        "· 通过试用期后发放其余 70%\n"
        "详细规则请查看「内推规则」页面，有疑问随时找 HR。",
    ),
    (
        2,
        "急招：高级 SRE 工程师",
        "技术研发部急需一位有大规模线上系统经验的 SRE，本岗位为急招岗位，内推奖金上浮。\n"
        "如果你身边有合适的朋友，欢迎在「开放职位」里直接推荐。",
    ),
]
