"""The demo's group robots: the company's WeCom group, Engineering's DingTalk group and Sales'
Feishu group (switched off). Their addresses have the platforms' shapes with made-up tokens: in
development messages go to the outbox folder (TEAMCHAT_OUTBOX), never to a real group."""

from __future__ import annotations

# (name, platform, department (Chinese name) or None for the whole company, webhook, secret,
#  announcements, challenge results, thanks, on)
ROBOTS = [
    (
        "全公司内推群",
        "wecom",
        None,
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=demo0000-1111-2222-3333-444455556666",
        "",
        True,
        True,
        False,
        True,
    ),
    (
        "技术研发部内推群",
        "dingtalk",
        "技术研发部",
        "https://oapi.dingtalk.com/robot/send?access_token=demo5e1f0c2b7a9d4e8f6a3b1c0d9e8f7a6b5c4d3e2f",
        "SECdemo8f3a1c9e7b5d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f",
        True,
        True,
        True,
        True,
    ),
    (
        "销售部飞书群",
        "feishu",
        "销售部",
        "https://open.feishu.cn/open-apis/bot/v2/hook/demo7c1e-2b3a-4d5c-8e9f-0a1b2c3d4e5f",
        "demoFeishuSignSecret42",
        True,
        True,
        True,
        False,
    ),
]
