"""The weak-spot finder on crafted numbers: each rule fires on a weak spot, stays silent on a
healthy one, and never speaks under its sample floor."""

from __future__ import annotations

from fractions import Fraction

from community.analytics import findings
from community.analytics.findings import (
    DepartmentShare,
    Facts,
    Kind,
    OpenJob,
    Reach,
    find,
    for_department,
)


def facts(**values: object) -> Facts:
    return Facts(period="this quarter", **values)  # type: ignore[arg-type]


def company_of_fifty(*departments: DepartmentShare) -> Facts:
    # 9 of 50 people referred: 18%.
    return facts(departments=departments, company_people=50, company_referrers=9)


def test_a_quiet_department_is_named_with_its_share_and_the_companys() -> None:
    finance = DepartmentShare(7, "Finance", people=25, referrers=1)
    [finding] = find(company_of_fifty(finance))
    assert finding.kind == Kind.QUIET_DEPARTMENT
    assert finding.message == "Finance: 4.0% of people referred this quarter, company 18.0%."
    assert finding.department_id == 7
    assert (finding.section, finding.filters) == ("participation", {"department": 7})
    assert finding.action is not None and finding.action.endpoint == "sharing.new"
    assert finding.action.values["title_en"] == "Referral tips for Finance"
    assert finding.action.values["title"] == "Finance内推经验分享"
    assert not finding.action.hr_only


def test_a_department_near_the_company_share_is_not_quiet() -> None:
    sales = DepartmentShare(3, "Sales", people=20, referrers=2)  # 10% against 18%: over half
    assert find(company_of_fifty(sales)) == []


def test_a_small_department_is_never_called_quiet() -> None:
    tiny = DepartmentShare(4, "Legal", people=findings.QUIET_MIN_PEOPLE - 1, referrers=0)
    assert find(company_of_fifty(tiny)) == []
    floor = DepartmentShare(4, "Legal", people=findings.QUIET_MIN_PEOPLE, referrers=0)
    assert [f.kind for f in find(company_of_fifty(floor))] == [Kind.QUIET_DEPARTMENT]


def test_no_share_is_compared_with_a_company_where_nobody_referred() -> None:
    quiet = DepartmentShare(4, "Legal", people=30, referrers=0)
    assert find(facts(departments=(quiet,), company_people=50, company_referrers=0)) == []


def reach(**values: object) -> Facts:
    # 35 of 100 referrals reached an interview: 35%.
    return facts(company_referrals=100, company_interviewed=35, **values)


def test_a_weak_job_family_is_named_with_its_reach_and_the_companys() -> None:
    data = Reach("engineering", "Data", referrals=20, interviewed=2)
    [finding] = find(reach(families=(data,)))
    assert finding.kind == Kind.WEAK_FAMILY
    assert finding.message == "Data jobs: 10.0% of referrals reach interview, company 35.0%."
    assert finding.department_id is None  # company-wide: HR's
    assert finding.filters == {"family": "engineering"}
    assert finding.action is not None and finding.action.endpoint == "jobs.manage"


def test_a_weak_job_links_to_its_profile() -> None:
    job = Reach("12", "Payments Engineer", referrals=10, interviewed=1, department_id=3)
    [finding] = find(reach(jobs=(job,)))
    assert finding.kind == Kind.WEAK_JOB
    assert finding.department_id == 3
    assert finding.action is not None
    assert (finding.action.endpoint, finding.action.values) == ("jobs.edit", {"job_id": 12})


def test_reach_under_the_floor_or_near_the_company_says_nothing() -> None:
    few = Reach("design", "Design", referrals=findings.WEAK_MIN_REFERRALS - 1, interviewed=0)
    fine = Reach("sales", "Sales", referrals=40, interviewed=10)  # 25% against 35%
    assert find(reach(families=(few, fine))) == []
    job = Reach("12", "Payments Engineer", findings.WEAK_MIN_REFERRALS - 1, 0, department_id=3)
    assert find(reach(jobs=(job,))) == []


def test_slow_first_review_against_the_sla() -> None:
    slow = facts(review_median_days=Fraction(6), reviewed=8, sla_days=3, late_share=Fraction(1, 2))
    [finding] = find(slow)
    assert finding.kind == Kind.SLOW_FIRST_REVIEW
    assert finding.message == "Time to first review: 6 days; the SLA is 3 working days."
    assert finding.action is not None and finding.action.endpoint == "referrals.queue"
    half = facts(
        review_median_days=Fraction(7, 2), reviewed=8, sla_days=3, late_share=Fraction(1, 2)
    )
    assert find(half)[0].message == "Time to first review: 3.5 days; the SLA is 3 working days."


def test_review_time_within_the_sla_or_on_few_reviews_says_nothing() -> None:
    assert find(facts(review_median_days=Fraction(3), reviewed=8, sla_days=3)) == []
    few = facts(review_median_days=Fraction(9), reviewed=findings.SLOW_MIN_REVIEWED - 1, sla_days=3)
    assert find(few) == []
    assert find(facts(review_median_days=None, reviewed=0, sla_days=3)) == []
    on_time = facts(
        review_median_days=Fraction(4), reviewed=8, sla_days=3, late_share=Fraction(1, 8)
    )
    assert find(on_time) == []  # over a weekend, mostly within the working-day SLA


def test_a_job_open_long_without_referrals_asks_for_a_bigger_reward() -> None:
    waiting = OpenJob(5, "Tax Specialist", 7, open_days=findings.STALE_JOB_DAYS, referrals=0)
    [finding] = find(facts(open_jobs=(waiting,)))
    assert finding.kind == Kind.STALE_JOB
    assert finding.message == "Tax Specialist: open for 30 days without a referral."
    assert finding.action is not None
    assert (finding.action.endpoint, finding.action.values) == ("jobs.edit", {"job_id": 5})
    assert finding.department_id == 7


def test_a_new_job_or_one_with_referrals_is_not_stale() -> None:
    new = OpenJob(5, "New", 7, open_days=findings.STALE_JOB_DAYS - 1, referrals=0)
    busy = OpenJob(6, "Busy", 7, open_days=90, referrals=1)
    assert find(facts(open_jobs=(new, busy))) == []


def test_a_manager_reads_only_the_findings_about_their_department() -> None:
    finance = DepartmentShare(7, "Finance", people=25, referrers=1)
    legal = DepartmentShare(8, "Legal", people=25, referrers=0)
    every = find(
        facts(
            departments=(finance, legal),
            company_people=50,
            company_referrers=9,
            review_median_days=Fraction(6),
            reviewed=8,
            sla_days=3,
            late_share=Fraction(1, 2),
        )
    )
    assert len(every) == 3
    assert [f.department_id for f in for_department(every, 7)] == [7]
    assert for_department(every, None) == []


def test_findings_speak_chinese(app) -> None:
    from flask_babel import force_locale

    with force_locale("zh_CN"):
        finance = DepartmentShare(7, "财务部", people=25, referrers=1)
        [finding] = find(company_of_fifty(finance))
    assert "财务部" in finding.message
    assert "referred" not in finding.message
