"""What people write as a referral moves along: why the candidate fits (the referrer), HR's
feedback and internal notes at each stage, the reasons for a rejection or withdrawal, and the
notes HR leaves when a hire leaves or a payout is cancelled."""

from __future__ import annotations

# Why this person fits, by job family: concrete hard skills plus how they work with others.
FIT_REASONS = {
    "engineering": [
        "我们在上一家公司共事三年，他主导过订单系统重构，把接口延迟从 300ms 降到 80ms，和岗位要求的高并发经验高度匹配。",
        "前同事，负责过核心服务的稳定性建设，线上故障复盘写得非常扎实；技术栈和岗位要求基本一致，我已经坦诚说明了值班的挑战。",
        "大学同学，毕业后一直在这个方向深耕，维护着一个多年的开源项目，代码质量和文档都很好，沟通表达清晰。",
        "在技术社区的分享会上认识，后来一起做过开源项目，学习能力很强，遇到难题会主动拉人讨论，团队协作没有问题。",
    ],
    "product": [
        "前同事，从 0 到 1 做过一款 B 端产品，负责过需求调研、原型到上线的完整流程，数据意识强，和研发、设计合作顺畅。",
        "认识五年的朋友，做过日活百万级产品的核心功能，擅长用户访谈，能把模糊的需求讲清楚；她了解我们的业务，也很认同团队。",
        "行业交流活动认识，之后合作过客户项目；他在定制需求与标准化之间的取舍很有章法，跨部门推动能力强。",
    ],
    "design": [
        "共事过两年，主导过公司设计系统从 0 到 1 的搭建，规范和组件库都很完整；作品集里有大量 B 端复杂流程的案例。",
        "大学同学，作品集质量很高，交互细节考虑周到，善于用原型和研发沟通，抗压能力强，我愿意为她背书。",
        "设计社区认识，听过她多次分享，对体验一致性和可用性测试有系统的方法，也愿意深入理解业务流程。",
    ],
    "marketing": [
        "前同事，策划过多场千人规模的行业峰会，媒体和 KOL 资源丰富，预算管理有章法，创意和执行力都很强。",
        "合作过的乙方负责人，投放 ROI 做得很扎实，擅长 A/B 测试和开拓新渠道，想到甲方沉淀自己的方法论。",
        "认识三年的朋友，公众号稳定产出 10 万+ 文章，选题敏锐、文字干净，对我们行业的用户也有了解。",
    ],
    "sales": [
        "前同事，连续三年完成年度业绩，签下过多个 500 强客户，复杂项目推进能力强，出差和业绩压力他都很清楚。",
        "行业会议上认识，之后合作过两个项目，交付非常靠谱，对 HR SaaS 业务有了解，并且明确表示想找这个方向的机会。",
        "大学同学，做销售四年，韧性强、被拒绝也不气馁；我已经和她坦诚说明了拜访量和考核要求，她仍然很感兴趣。",
    ],
    "operations": [
        "前同事，负责过 2000 多家企业客户的分层运营，续约率提升了 8 个百分点，同理心强，处理客户问题很有温度。",
        "前同事，带过 5 人小团队，做事严谨、复盘认真；我已经和他坦诚说明了岗位的挑战，他仍然很感兴趣。",
        "合作过的供应商对接人，流程梳理能力很强，帮我们把对账周期从两周缩短到三天，细致、有责任心。",
    ],
    "finance": [
        "前同事，搭建过集团的经营分析模型，季度预算偏差控制在 3% 以内，严谨，也善于和业务部门沟通。",
        "大学同学，在四大做了四年审计，对内控和核算很熟悉，证书齐全，想转到企业做更贴近业务的工作。",
        "认识多年的朋友，月结从不拖期，税务申报零差错；性格稳重，能扛住月底和季末的节奏。",
    ],
    "people": [
        "前同事，负责过 300 人技术团队的招聘，渠道运营经验丰富，候选人体验做得很好，也很认同内推文化。",
        "行业交流认识，做过多年招聘顾问，面试安排效率高，沟通能力强，想从乙方转到甲方长期发展。",
    ],
}

# Put in front of the fit reason when a candidate who withdrew is referred again.
REREFERRAL_NOTE = "再次推荐：上次因为项目交付期主动撤回，现在项目已经结束，候选人希望继续流程。"

# Feedback HR leaves for the referrer at each stage (the referrer may pass it on to the candidate).
FEEDBACK = {
    "screening": [
        "简历已进入筛选，预计 2 个工作日内给出结果。",
        "已收到推荐，内推简历优先筛选，本周内给你答复。",
        "简历已转给用人经理评估，有进展第一时间同步。",
    ],
    "interviewing": [
        "简历通过！业务面试安排在下周二，面试官会重点考察项目经验，可以提前准备一个项目案例。",
        "初筛通过，一面已经约好，请提醒候选人留意邮件里的面试链接。",
        "内推直通面试：用人经理对简历很感兴趣，面试安排在本周四下午。",
    ],
    "offer": [
        "面试全部通过，正在准备 Offer，感谢你的优质推荐！",
        "终面反馈很好，薪酬方案在审批中，预计本周发出 Offer。",
    ],
    "hired": [
        "候选人已接受 Offer 并入职，欢迎新同事！第一部分内推奖金将随下月工资发放。",
        "新同事今天正式入职，感谢你的推荐！",
    ],
    "probation_passed": [
        "候选人已顺利通过试用期，感谢你为团队带来优秀的伙伴。剩余奖金将随下月工资发放。",
        "转正答辩顺利通过，用人经理评价很高，再次感谢！",
    ],
    "rejected": [
        "这次没有匹配上，但候选人的沟通给面试官留下了很好的印象，后续有合适岗位会优先联系。",
        "感谢推荐！建议候选人关注我们后续开放的岗位。",
    ],
}

# Why a referral did not move forward (the referrer sees this, so it stays polite and specific).
REJECTION_REASONS = [
    "岗位更偏向有大规模系统经验的候选人，这次没有匹配上。",
    "工作年限与岗位要求差距较大。",
    "薪资期望与岗位预算差距较大，双方沟通后暂不推进。",
    "业务面试中项目深度未达到岗位要求。",
    "岗位已有更匹配的候选人进入终面。",
]
OFFER_REJECTION_REASON = "该岗位编制调整，暂停发放 Offer，非常抱歉。"

WITHDRAWAL_REASONS = [
    "候选人接受了其他机会，主动撤回。",
    "候选人现公司给出了留任方案，决定暂不换工作。",
    "候选人因家庭原因暂时不考虑换城市。",
    "候选人考虑后认为岗位方向与职业规划不一致。",
]
DECLINED_OFFER_REASON = "候选人拒绝了 Offer：选择了另一家公司更高的薪资方案。"
PAUSED_REASON = "候选人正处于项目交付期，希望项目结束后再看机会，先撤回。"

# The reason chosen from the list (`referrals.reasons`) beside each text above; the referrer reads
# it in a kind wording with the text below it.
REASON_CODES = {
    REJECTION_REASONS[0]: "skills",
    REJECTION_REASONS[1]: "seniority",
    REJECTION_REASONS[2]: "salary",
    REJECTION_REASONS[3]: "interview",
    REJECTION_REASONS[4]: "closer_fit",
    OFFER_REJECTION_REASON: "position_closed",
    WITHDRAWAL_REASONS[0]: "other_offer",
    WITHDRAWAL_REASONS[1]: "not_interested",
    WITHDRAWAL_REASONS[2]: "not_interested",
    WITHDRAWAL_REASONS[3]: "not_interested",
    DECLINED_OFFER_REASON: "declined_offer",
    PAUSED_REASON: "not_interested",
}

# HR-only notes on some moves.
INTERNAL_NOTES = {
    "screening": ["内推优先：已转用人经理。", "简历匹配度高，重点核实项目规模。"],
    "interviewing": ["一面：用人经理 + 团队骨干。", "电话初筛沟通顺畅，期望薪资在预算内。"],
    "offer": ["终面通过，薪酬按职级中位数。", "背调已发起。"],
    "hired": ["入职手续已完成，试用期 3 个月。"],
    "probation_passed": ["转正评估：超出预期。"],
    "rejected": ["面试记录已归档。"],
}
LEFT_COMPANY_NOTE = "试用期内因个人原因离职（家庭搬迁）。"
PAYOUT_CANCEL_REASON = "该候选人同时通过猎头渠道投递，按规则不重复计发内推奖金。"
