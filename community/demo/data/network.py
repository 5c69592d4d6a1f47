"""The demo employee's private network (人脉盘点): former colleagues, classmates and people met at
meetups, tagged by skill, industry and what they want next, so that the suggestions and the
outreach coach have someone to work with. Only `employee@demo.example` sees them.

Each: name, how they know them, closeness, skills, industries, career wishes, days since the
last contact (None: not noted), e-mail, phone, time zone (None: the company's), notes."""

from __future__ import annotations

NETWORK_OWNER = "employee@demo.example"

CONTACTS: list[tuple] = [
    ("李强", "前同事，一起做过订单系统（2019–2022）", "close", "Go, Kafka, PostgreSQL", "电商, 金融科技", "带团队, 高并发", 12, "li.qiang@example.com", "13812340001", None, "去年说想做支付方向的架构。"),
    ("周婷", "大学同学", "close", "React, TypeScript", "在线教育", "大厂, 前端架构", 40, "zhou.ting@example.com", "13812340002", None, ""),
    ("Emma Chen", "Met at GopherChina 2025", "ordinary", "Go, Kubernetes", "cloud", "remote work", 75, "emma.chen@example.org", "", "Asia/Singapore", "Speaks at meetups on service meshes."),
    ("陈浩", "前同事（测试组）", "ordinary", "Python, Pytest, 接口自动化", "电商", "测试架构", 120, "chen.hao@example.com", "13812340004", None, ""),
    ("王磊", "朋友介绍认识", "acquaintance", "Kubernetes, Prometheus", "游戏", "稳定性, 北京", 200, "", "13812340005", None, ""),
    ("刘洋", "前公司产品经理", "ordinary", "产品规划, 数据分析", "SaaS, 招聘", "高级产品经理", 30, "liu.yang@example.com", "", None, "做过招聘 SaaS，熟悉 HR 场景。"),
    ("Olivia Wang", "Design meetup, Shanghai", "acquaintance", "Figma, UX research", "e-commerce", "design lead", None, "olivia.w@example.org", "", "Europe/London", ""),
    ("赵敏", "研究生同学", "close", "推荐系统, Python, Spark", "内容社区", "算法专家", 20, "zhao.min@example.com", "13812340008", None, ""),
    ("孙杰", "前同事（数据平台）", "ordinary", "Flink, Spark, SQL", "物流", "数据架构", 90, "", "13812340009", None, ""),
    ("黄静", "客户方对接人", "acquaintance", "大客户销售, 谈判", "企业服务", "换行业", 300, "huang.jing@example.com", "", None, ""),
    ("Jason Xu", "Former teammate in Singapore", "ordinary", "Go, gRPC", "fintech", "move to Shanghai", 150, "jason.xu@example.org", "", "Asia/Singapore", ""),
    ("吴迪", "篮球群认识", "acquaintance", "Android, Kotlin", "出行", "大厂", None, "", "13812340012", None, ""),
]  # fmt: skip

# The open job whose opening the demo employee heard of: "3 of your contacts may fit".
SUGGESTED_JOB = "高级后端工程师（Go）"
