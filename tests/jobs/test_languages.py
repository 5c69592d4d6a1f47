"""Jobs and departments in two languages: each reader sees their own, and the other one marked
with its `lang` when theirs is missing; HR writes both; search finds either."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from community.accounts import services as account_services
from community.accounts.errors import AccountError
from community.accounts.models import Department, Role
from community.core.localized import (
    choose,
    language_of,
    localized,
    localized_item,
    localized_list,
    paired_lines,
    paired_text,
)
from community.extensions import db
from community.jobs.models import Job, hard_requirements
from tests.factories import make_department, make_job, make_user


@pytest.fixture
def english_reader():
    return make_user(role=Role.EMPLOYEE, locale="en")


@pytest.fixture
def chinese_reader():
    return make_user(role=Role.EMPLOYEE, locale="zh_CN")


@pytest.fixture
def hr():
    return make_user(role=Role.HR, locale="en")


def bilingual_job(**fields):
    department = make_department("技术研发部")
    department.name_en = "Engineering"
    db.session.commit()
    values = {
        "title": "后端工程师",
        "title_en": "Backend engineer",
        "skills": ["Go", "分布式系统"],
        "skills_en": ["", "Distributed systems"],
        "soft_traits": ["沟通能力", "抗压能力"],
        "soft_traits_en": ["Communication", "Resilience"],
        "competencies": ["高并发系统设计"],
        "competencies_en": ["High-concurrency system design"],
        "description": "负责核心服务。",
        "description_en": "Own the core services.",
    }
    values.update(fields)
    return make_job(department=department, **values)


def h1(body: str) -> str:
    return re.search(r"<h1[^>]*data-testid=\"job-title\"[^>]*>.*?</h1>", body, re.S).group(0)


# The helper -------------------------------------------------------------------------------------


def test_language_is_read_from_the_script():
    assert language_of("后端工程师（Go）") == "zh"
    assert language_of("Backend engineer") == "en"
    assert language_of("") == "en"


def test_each_reader_gets_their_language_and_the_other_as_a_fallback():
    assert choose("后端工程师", "Backend engineer", "en") == "Backend engineer"
    assert not choose("后端工程师", "Backend engineer", "en").foreign
    assert choose("后端工程师", "Backend engineer", "zh") == "后端工程师"
    fallback = choose("后端工程师", "", "en")
    assert (fallback.text, fallback.lang, fallback.foreign) == ("后端工程师", "zh", True)
    assert str(fallback.__html__()) == '<span lang="zh">后端工程师</span>'
    assert str(fallback.lang_attr) == ' lang="zh"'
    # An English-only wording is English for a Chinese reader, and marked as such.
    only = choose("Backend engineer", None, "zh")
    assert (only.lang, only.foreign) == ("en", True)
    assert str(choose("A & B", "", "en").__html__()) == "A &amp; B"
    assert str(choose("甲<乙>", "", "en").__html__()) == '<span lang="zh">甲&lt;乙&gt;</span>'


def test_lists_are_aligned_line_by_line(app):
    job = bilingual_job()
    assert localized_list(job, "skills", "en") == ["Go", "Distributed systems"]
    assert localized_list(job, "skills", "zh") == ["Go", "分布式系统"]
    assert localized_item(job, "soft_traits", "抗压能力", "en") == "Resilience"
    assert localized_item(job, "soft_traits", "gone", "en") == "gone"


def test_side_by_side_lines_pair_up_and_keep_their_positions():
    base, english = paired_lines(
        "沟通能力\n\n抗压能力\n沟通能力", "Communication\nTeamwork\n\nAgain"
    )
    assert base == ["沟通能力", "Teamwork", "抗压能力"]
    assert english == ["Communication", "", ""]
    assert paired_lines("", "Python\nSQL") == (["Python", "SQL"], [])
    assert paired_text("", " Backend engineer ") == ("Backend engineer", "")
    assert paired_text("后端", "后端") == ("后端", "")


def test_hard_requirement_keys_stay_the_base_wording_whatever_the_reader(app):
    job = bilingual_job()
    with app.test_request_context(headers={"Accept-Language": "en"}):
        requirements = hard_requirements(job)
    assert [r.key for r in requirements][-2:] == ["skill:Go", "skill:分布式系统"]
    assert requirements[-1].shown == "Distributed systems"


# Readers ----------------------------------------------------------------------------------------


def test_an_english_reader_sees_the_english_title_department_and_profile(
    client, auth, english_reader
):
    job = bilingual_job()
    auth.login(english_reader)
    listing = client.get("/jobs/").get_data(as_text=True)
    assert "Backend engineer" in listing and "后端工程师" not in listing
    assert "Engineering" in listing and "技术研发部" not in listing
    assert "Distributed systems" in listing
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Backend engineer" in h1(page) and "lang=" not in h1(page)
    assert "<title>Backend engineer ·" in page
    for text in ("High-concurrency system design", "Resilience", "Own the core services."):
        assert text in page
    assert "Skill: Distributed systems" in page
    assert "分布式系统" not in page


def test_a_missing_english_title_falls_back_to_chinese_marked_lang_zh(client, auth, english_reader):
    job = bilingual_job(title_en=None, skills_en=[], soft_traits_en=[])
    job.department.name_en = None
    db.session.commit()
    auth.login(english_reader)
    listing = client.get("/jobs/").get_data(as_text=True)
    assert '<span lang="zh">后端工程师</span>' in listing
    assert '<span lang="zh">技术研发部</span>' in listing
    assert (
        '<span class="badge rounded-pill bg-body-secondary text-body-emphasis fw-normal" lang="zh">分布式系统</span>'
        in listing
    )
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert 'lang="zh">后端工程师</h1>' in h1(page)
    assert '<li lang="zh">抗压能力</li>' in page
    assert 'Skill: <span lang="zh">分布式系统</span>' in page
    assert "<title>后端工程师 ·" in page  # no markup inside <title>


def test_a_chinese_reader_sees_chinese(client, auth, chinese_reader):
    job = bilingual_job()
    auth.login(chinese_reader)
    listing = client.get("/jobs/").get_data(as_text=True)
    assert "后端工程师" in listing and "Backend engineer" not in listing
    assert "技术研发部" in listing and 'lang="zh"' not in listing
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "后端工程师" in h1(page) and "lang=" not in h1(page)
    assert "抗压能力" in page and "Resilience" not in page
    # "Go" has no Chinese of its own: it is English, and says so.
    assert 'fw-normal" lang="en">Go</span>' in listing


def test_an_english_only_job_is_plain_english_for_an_english_reader(client, auth, english_reader):
    job = make_job(title="Data engineer")
    auth.login(english_reader)
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert 'data-testid="job-title">Data engineer</h1>' in page


def test_the_referral_form_asks_about_skills_and_traits_in_the_readers_language(
    client, auth, english_reader
):
    job = bilingual_job()
    auth.login(english_reader)
    form = client.get(f"/referrals/new/{job.id}").get_data(as_text=True)
    assert "Skill: Distributed systems" in form
    assert "Resilience" in form and "抗压能力" not in form


# Search -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q", ["Backend", "后端", "distributed", "分布式", "concurrency", "core services"]
)
def test_search_matches_either_language(client, auth, english_reader, q):
    job = bilingual_job()
    make_job(title="Sales lead", skills=["CRM"])
    auth.login(english_reader)
    body = client.get("/jobs/", query_string={"q": q}).get_data(as_text=True)
    assert f'href="/jobs/{job.id}"' in body
    assert "Sales lead" not in body


# HR's form --------------------------------------------------------------------------------------


def job_form(department_id: int, **overrides) -> dict[str, str]:
    data = {
        "title": "增长营销专家",
        "title_en": "Growth marketer",
        "department_id": str(department_id),
        "location": "北京",
        "family": "marketing",
        "education": "bachelor",
        "min_years": "2",
        "skills": "SEO\n\n文案写作",
        "skills_en": "\nFirst aid\nCopywriting",
        "soft_traits": "沟通能力",
        "soft_traits_en": "Communication",
        "description": "负责增长。",
        "description_en": "Drive growth.",
        "bonus_amount": "6000",
        "bonus_currency": "CNY",
        "action": "open",
    }
    data.update(overrides)
    return data


def test_hr_writes_a_job_in_both_languages(client, auth, hr):
    auth.login(hr)
    response = client.post("/jobs/new", data=job_form(make_department().id))
    assert response.status_code == 302
    job = db.session.scalars(select(Job)).one()
    assert (job.title, job.title_en) == ("增长营销专家", "Growth marketer")
    assert job.skills == ["SEO", "First aid", "文案写作"]
    assert job.skills_en == ["", "", "Copywriting"]
    assert (job.soft_traits, job.soft_traits_en) == (["沟通能力"], ["Communication"])
    assert (job.description, job.description_en) == ("负责增长。", "Drive growth.")
    form = client.get(f"/jobs/{job.id}/edit").get_data(as_text=True)
    assert 'name="title_en"' in form and 'value="Growth marketer"' in form
    assert 'lang="zh"' in form and 'lang="en"' in form


def test_a_job_written_only_in_english_keeps_it_as_its_wording(client, auth, hr):
    auth.login(hr)
    data = job_form(make_department().id, title="", skills="", soft_traits="", description="")
    assert client.post("/jobs/new", data=data).status_code == 302
    job = db.session.scalars(select(Job)).one()
    assert (job.title, job.title_en) == ("Growth marketer", None)
    assert job.skills == ["First aid", "Copywriting"] and job.skills_en == []
    # Edited again, the English wording is back in the English fields.
    form = client.get(f"/jobs/{job.id}/edit").get_data(as_text=True)
    assert re.search(r'name="title_en"[^>]*value="Growth marketer"', form)
    assert re.search(r'name="title"[^>]*value=""', form)


def test_a_job_needs_a_title_in_at_least_one_language(client, auth, hr):
    auth.login(hr)
    response = client.post("/jobs/new", data=job_form(make_department().id, title=" ", title_en=""))
    assert response.status_code == 422
    assert "Enter the job title in Chinese, in English, or both." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Job)) == 0


def test_the_chinese_form_says_so_in_chinese(client, auth):
    auth.login(make_user(role=Role.HR, locale="zh_CN"))
    response = client.post("/jobs/new", data=job_form(make_department().id, title="", title_en=""))
    assert response.status_code == 422
    assert "请填写岗位的中文名称、英文名称，或两者都填。" in response.get_data(as_text=True)


# Departments ------------------------------------------------------------------------------------


def test_hr_adds_a_department_in_both_languages(client, auth, hr):
    auth.login(hr)
    response = client.post("/people/departments", data={"name": "市场部", "name_en": "Marketing"})
    assert response.status_code == 302
    department = db.session.scalars(select(Department).where(Department.name == "市场部")).one()
    assert department.name_en == "Marketing"
    page = client.get("/people/departments").get_data(as_text=True)
    assert (
        "Marketing" in page
        and '<div class="small text-body-secondary" lang="zh">市场部</div>' in page
    )


def test_a_department_needs_a_name_in_at_least_one_language(client, auth, hr):
    auth.login(hr)
    before = db.session.scalar(select(func.count()).select_from(Department))
    response = client.post("/people/departments", data={"name": "", "name_en": "  "})
    assert response.status_code == 422
    assert "Enter the department&#39;s name in Chinese, in English, or both." in response.get_data(
        as_text=True
    )
    assert db.session.scalar(select(func.count()).select_from(Department)) == before


def test_department_names_are_unique_across_both_languages(app):
    account_services.create_department("市场部", name_en="Marketing")
    for name, name_en in (("marketing", ""), ("", "市场部"), ("销售部", " MARKETING ")):
        with pytest.raises(AccountError, match="already exists"):
            account_services.create_department(name, name_en=name_en)
    assert account_services.find_department("Marketing").name == "市场部"


def test_hr_gives_an_existing_department_its_english_name(client, auth, hr):
    department = make_department("财务部")
    auth.login(hr)
    form = client.get(f"/people/departments/{department.id}/edit").get_data(as_text=True)
    assert 'value="财务部"' in form
    response = client.post(
        f"/people/departments/{department.id}/edit", data={"name": "财务部", "name_en": "Finance"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Department, department.id).name_en == "Finance"


def test_renaming_a_department_to_anothers_name_is_refused(client, auth, hr):
    make_department("Sales")
    department = make_department("财务部")
    auth.login(hr)
    response = client.post(
        f"/people/departments/{department.id}/edit", data={"name": "财务部", "name_en": "sales"}
    )
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Department, department.id).name_en is None


def test_only_hr_edits_departments(client, auth, english_reader):
    department = make_department("财务部")
    auth.login(english_reader)
    assert client.get(f"/people/departments/{department.id}/edit").status_code == 403
    response = client.post(
        f"/people/departments/{department.id}/edit", data={"name": "X", "name_en": "Y"}
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Department, department.id).name == "财务部"


def test_a_missing_department_is_a_404(client, auth, hr):
    auth.login(hr)
    assert client.get("/people/departments/999999/edit").status_code == 404


def test_localized_reads_the_department_too(app):
    department = make_department("人力资源部")
    assert localized(department, "name", "en").lang == "zh"
    department.name_en = "People"
    assert localized(department, "name", "en") == "People"
