"""Account pages: permissions for every role, people management, imports, links, settings, login."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community.accounts import passwords
from community.accounts.models import Department, PasswordToken, Role, User
from community.core.time import utcnow
from community.extensions import db
from tests.factories import make_department, make_user

HR_GETS = ["/people", "/people/new", "/people/import", "/people/departments"]
HR_POSTS = [
    "/people/{id}/deactivate",
    "/people/{id}/reactivate",
    "/people/{id}/password-link",
    "/people/new",
    "/people/import",
    "/people/departments",
]


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def upload(client, text: str | bytes, filename: str = "people.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post(
        "/people/import",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def link_in(html: str) -> str:
    match = re.search(r'data-copy="(http://[^"]+/set-password/[^"]+)"', html)
    assert match, "no set-password link on the page"
    return match.group(1).replace("http://localhost", "")


@pytest.fixture
def hr(auth):
    user = make_user(role=Role.HR, name="Hana HR")
    auth.login(user)
    return user


# Permissions --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER])
@pytest.mark.parametrize("url", HR_GETS)
def test_employees_and_managers_get_403_on_people_pages(client, auth, role, url):
    auth.login(make_user(role=role))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER])
@pytest.mark.parametrize("url", HR_POSTS)
def test_employees_and_managers_get_403_on_people_actions(client, auth, role, url):
    target = make_user(name="Target")
    auth.login(make_user(role=role))
    assert client.post(url.format(id=target.id)).status_code == 403
    assert target.is_active_account
    assert count(PasswordToken) == 0


@pytest.mark.parametrize("url", HR_GETS + ["/settings"])
def test_anonymous_visitors_are_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("url", HR_POSTS)
def test_anonymous_posts_are_sent_to_login(client, url):
    target = make_user()
    response = client.post(url.format(id=target.id))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert target.is_active_account


@pytest.mark.parametrize("url", HR_GETS)
def test_hr_sees_the_people_pages(client, hr, url):
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER, Role.HR])
def test_everyone_has_their_settings_page(client, auth, role):
    auth.login(make_user(role=role))
    assert client.get("/settings").status_code == 200


def test_a_post_without_csrf_token_is_refused(client, hr):
    target = make_user()
    response = client.post(f"/people/{target.id}/deactivate", csrf=False)
    assert response.status_code == 400
    assert target.is_active_account
    response = client.post("/settings", data={"locale": "en"}, csrf=False)
    assert response.status_code == 400


# People directory ---------------------------------------------------------------------------


def test_people_search_and_filters(client, hr):
    sales = make_department("Sales")
    make_user(name="Zhang Wei", email="zhang.wei@example.com", department=sales)
    make_user(name="Li Na", email="li.na@example.com", role=Role.MANAGER)
    gone = make_user(name="Zhao Lei", email="zhao.lei@example.com")
    gone.is_active_account = False
    db.session.commit()

    page = client.get("/people?q=ZHANG").get_data(as_text=True)
    assert "Zhang Wei" in page and "Li Na" not in page
    page = client.get("/people?q=li.na@").get_data(as_text=True)
    assert "Li Na" in page and "Zhang Wei" not in page
    page = client.get(f"/people?department={sales.id}").get_data(as_text=True)
    assert "Zhang Wei" in page and "Li Na" not in page
    page = client.get("/people?role=manager").get_data(as_text=True)
    assert "Li Na" in page and "Zhang Wei" not in page
    page = client.get("/people?status=deactivated").get_data(as_text=True)
    assert "Zhao Lei" in page and "Zhang Wei" not in page
    page = client.get("/people?status=active").get_data(as_text=True)
    assert "Zhao Lei" not in page and "Zhang Wei" in page
    page = client.get("/people?q=%25").get_data(as_text=True)  # "%" is a literal, not a wildcard
    assert "Nobody matches" in page
    # Nonsense filter values are ignored rather than failing.
    assert client.get("/people?role=king&department=x&status=zzz&page=-3").status_code == 200


def test_people_search_as_you_type_returns_only_the_results(client, hr):
    make_user(name="Zhang Wei")
    response = client.get("/people?q=zhang", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="people-results">')
    assert "<nav" not in html.split('id="people-results"')[0]
    assert "Zhang Wei" in html
    assert "HX-Request" in response.headers["Vary"]


def test_people_are_paginated(client, hr, app):
    app.config["ITEMS_PER_PAGE"] = 5
    try:
        for n in range(11):
            make_user(name=f"Person {n:02d}")
        first = client.get("/people?q=person").get_data(as_text=True)
        third = client.get("/people?q=person&page=3").get_data(as_text=True)
    finally:
        app.config["ITEMS_PER_PAGE"] = 25
    assert "11 people" in first
    assert "Person 00" in first and "Person 05" not in first
    assert "Person 10" in third and "Person 00" not in third
    assert "page=2" in first and "q=person" in first


# Adding people ------------------------------------------------------------------------------


def test_hr_adds_a_person_and_gets_a_link_that_sets_their_password(client, hr, auth):
    engineering = make_department("Engineering")
    response = client.post(
        "/people/new",
        data={
            "email": "New.Hire@Example.com",
            "name": "New Hire",
            "department": str(engineering.id),
            "role": "manager",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "New Hire has been added" in html
    person = db.session.scalars(select(User).where(User.email == "new.hire@example.com")).one()
    assert person.role == Role.MANAGER and person.department == engineering

    link = link_in(html)
    auth.logout()
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": "correct-horse", "confirm": "correct-horse"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert auth.login("new.hire@example.com", "correct-horse").headers["Location"] == "/"


def test_adding_an_existing_email_is_refused_with_422(client, hr):
    department = make_department()
    make_user(email="ada@example.com")
    response = client.post(
        "/people/new",
        data={
            "email": "ADA@example.com",
            "name": "Ada",
            "department": department.id,
            "role": "employee",
        },
    )
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)
    assert count(User) == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "nope", "name": "Ada", "role": "employee"}, "not a valid email"),
        ({"email": "ada@example.com", "name": "", "role": "employee"}, "Enter the person"),
        ({"email": "ada@example.com", "name": "Ada", "role": "king"}, "Not a valid choice"),
        (
            {"email": "ada@example.com", "name": "Ada", "role": "employee", "department": ""},
            "Choose a department",
        ),
        (
            {"email": "ada@example.com", "name": "Ada", "role": "employee", "department": "999"},
            "Not a valid choice",
        ),
    ],
)
def test_adding_a_person_with_bad_input_is_refused_with_422(client, hr, data, message):
    department = make_department()
    data = {"department": str(department.id), **data}
    response = client.post("/people/new", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(User) == 1


def test_hr_adds_a_department_and_duplicates_are_refused(client, hr):
    response = client.post("/people/departments", data={"name": "  Research "})
    assert response.status_code == 302
    assert db.session.scalars(select(Department.name).where(Department.name == "Research")).one()
    response = client.post("/people/departments", data={"name": "research"})
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)


# Importing ----------------------------------------------------------------------------------


def test_import_with_one_bad_row_shows_the_row_and_imports_nobody(client, hr):
    text = (
        "email,name,department,role\n"
        "li.lei@example.com,李雷,Engineering,employee\n"
        "han.meimei@example.com,韩梅梅,Marketing,director\n"
    )
    response = upload(client, text)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nothing was imported." in html
    row = re.search(r'<tr data-testid="import-error-row">(.*?)</tr>', html, re.S).group(1)
    assert ">3<" in row and "han.meimei@example.com" in row and "Unknown role “director”" in row
    assert count(User) == 1 and count(Department) == 1


def test_import_success_lists_each_new_person_with_a_link(client, hr, auth):
    text = "\ufeffemail,name,department,role\nli.lei@example.com,李雷,Engineering,员工\nwang.fang@example.com,王芳,People,HR\n"
    response = upload(client, text)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 people were imported." in html
    assert "New departments: Engineering and People" in html
    assert html.count('data-testid="imported-row"') == 2
    assert len(re.findall(r'data-copy="[^"]+/set-password/', html)) == 2
    assert count(User) == 3


def test_import_accepts_a_gb18030_file_saved_by_excel(client, hr):
    text = "email,name,department,role\nzhang.san@example.com,张三,研发部,经理\n"
    response = upload(client, text.encode("gb18030"))
    assert response.status_code == 200
    person = db.session.scalars(select(User).where(User.email == "zhang.san@example.com")).one()
    assert person.name == "张三" and person.role == Role.MANAGER


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"", "Choose a CSV file"),
        (b"\xff\xfe\x00\x00\xff", "not a readable CSV"),
        (b"a@example.com,Ada,Engineering,employee\n", "must name the columns"),
    ],
)
def test_unreadable_imports_are_refused_with_422(client, hr, payload, message):
    response = upload(client, payload) if payload else client.post("/people/import", data={})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(User) == 1


# Links, deactivation ------------------------------------------------------------------------


def test_hr_issues_a_new_link_and_the_old_one_stops_working(client, hr):
    person = make_user(password=None)
    first = link_in(client.post(f"/people/{person.id}/password-link").get_data(as_text=True))
    second = link_in(client.post(f"/people/{person.id}/password-link").get_data(as_text=True))
    assert first != second
    response = client.get(first)
    assert response.status_code == 410
    assert "expired or was replaced" in response.get_data(as_text=True)
    assert client.get(second).status_code == 200


def test_set_password_page_explains_unknown_used_and_expired_links(client, app):
    person = make_user(password=None)
    with app.test_request_context():
        token, _url = passwords.issue_password_link(person)
    response = client.get("/set-password/not-a-real-token")
    assert response.status_code == 404
    assert "This link does not work" in response.get_data(as_text=True)

    short = client.post(f"/set-password/{token}", data={"password": "short", "confirm": "short"})
    assert short.status_code == 422 and "between 10 and 200" in short.get_data(as_text=True)
    mismatch = client.post(
        f"/set-password/{token}", data={"password": "long-enough-1", "confirm": "long-enough-2"}
    )
    assert mismatch.status_code == 422 and "do not match" in mismatch.get_data(as_text=True)

    ok = client.post(
        f"/set-password/{token}", data={"password": "long-enough-1", "confirm": "long-enough-1"}
    )
    assert ok.status_code == 302
    used = client.get(f"/set-password/{token}")
    assert used.status_code == 410 and "already been used" in used.get_data(as_text=True)

    with app.test_request_context():
        token, _url = passwords.issue_password_link(person)
    record = db.session.scalars(select(PasswordToken).where(PasswordToken.used_at.is_(None))).one()
    record.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    expired = client.post(
        f"/set-password/{token}", data={"password": "another-pass", "confirm": "another-pass"}
    )
    assert expired.status_code == 410 and "has expired" in expired.get_data(as_text=True)
    assert person.check_password("long-enough-1")


def test_deactivated_user_loses_their_session_and_cannot_log_in(client, auth, new_client):
    hr = make_user(role=Role.HR)
    person = make_user(email="leaver@example.com")
    auth.login(person)
    assert client.get("/settings").status_code == 200

    hr_client = new_client()
    hr_client.post("/login", data={"email": hr.email, "password": "password123"})
    response = hr_client.post(f"/people/{person.id}/deactivate", data={"next": "/people?q=leaver"})
    assert response.status_code == 302 and response.headers["Location"] == "/people?q=leaver"
    db.session.refresh(person)
    assert not person.is_active_account

    assert client.get("/settings").status_code == 302  # the live session is gone
    auth.logout()
    response = auth.login(person)
    assert response.status_code == 403
    assert "This account has been deactivated" in response.get_data(as_text=True)

    hr_client.post(f"/people/{person.id}/reactivate")
    assert auth.login(person).status_code == 302


def test_deactivate_from_the_list_with_htmx_swaps_the_row(client, hr):
    person = make_user(name="Row Person")
    response = client.post(f"/people/{person.id}/deactivate", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="person-{person.id}"')
    assert "Deactivated" in html and "Reactivate" in html
    assert "toast" in response.headers["HX-Trigger"]


def test_hr_cannot_deactivate_themselves(client, hr):
    response = client.post(f"/people/{hr.id}/deactivate")
    assert response.status_code == 409
    assert "You cannot deactivate your own account." in response.get_data(as_text=True)
    assert hr.is_active_account


def test_actions_on_a_missing_person_are_404(client, hr):
    assert client.post("/people/9999/deactivate").status_code == 404
    assert client.post("/people/9999/password-link").status_code == 404


# Settings -----------------------------------------------------------------------------------


def test_settings_saves_name_language_and_leaderboard_opt_out(client, auth):
    user = make_user(name="Ada Lovelace", locale="zh_CN")
    auth.login(user)
    page = client.get("/settings").get_data(as_text=True)
    assert "public leaderboards" in page or "排行榜" in page
    response = client.post(
        "/settings",
        data={"display_name": "Ada", "locale": "en", "leaderboard_opt_out": "y"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Your settings are saved." in response.get_data(as_text=True)
    db.session.refresh(user)
    assert (user.display_name, user.locale, user.leaderboard_opt_out) == ("Ada", "en", True)

    client.post("/settings", data={"display_name": "", "locale": "zh_CN"})
    db.session.refresh(user)
    assert (user.display_name, user.locale, user.leaderboard_opt_out) == (None, "zh_CN", False)


def test_settings_refuses_an_unknown_language(client, auth):
    user = make_user()
    auth.login(user)
    response = client.post("/settings", data={"display_name": "x" * 121, "locale": "fr"})
    assert response.status_code == 422
    db.session.refresh(user)
    assert user.locale is None and user.display_name is None


# Login --------------------------------------------------------------------------------------


def test_the_eleventh_bad_login_attempt_in_a_minute_is_refused(client):
    make_user(email="ada@example.com")
    for _attempt in range(10):
        response = client.post("/login", data={"email": "ada@example.com", "password": "wrong"})
        assert response.status_code == 401
    response = client.post("/login", data={"email": "ada@example.com", "password": "wrong"})
    assert response.status_code == 429
    # Even the right password waits until the window passes.
    response = client.post("/login", data={"email": "ada@example.com", "password": "password123"})
    assert response.status_code == 429


def test_plus_tags_and_letter_case_of_one_address_share_its_login_limit(client):
    make_user(email="ada@example.com")
    for n in range(10):
        spelling = f"ADA+try{n}@example.com" if n % 2 else f"ada+{n}@Example.com"
        response = client.post("/login", data={"email": spelling, "password": "wrong"})
        assert response.status_code == 401
    response = client.post("/login", data={"email": "ada@example.com", "password": "password123"})
    assert response.status_code == 429
