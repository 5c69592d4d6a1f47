"""Account services: people, CSV imports, set-password links, deactivation and settings."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from community.accounts import imports, passwords, services
from community.accounts.errors import AccountError
from community.accounts.models import Department, PasswordToken, Role, User
from community.core.time import utcnow
from community.extensions import db
from tests.factories import PASSWORD, make_department, make_user


@pytest.fixture(autouse=True)
def _request(app):
    """Services speak the user's language and build absolute links, so they run inside a request."""
    with app.test_request_context():
        yield


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def user_by_email(email: str) -> User | None:
    return db.session.scalars(select(User).where(User.email == email)).first()


# create_user --------------------------------------------------------------------------------


def test_create_user_normalises_email_and_issues_a_link(app):
    hr = make_user(role=Role.HR)
    engineering = make_department("Engineering")
    user, link = services.create_user(
        "  Li.Lei@Example.COM ", "  李雷 ", Role.MANAGER, engineering, actor=hr
    )
    assert user.email == "li.lei@example.com"
    assert user.name == "李雷"
    assert user.role == Role.MANAGER
    assert user.department == engineering
    assert user.password_hash is None
    assert "/set-password/" in link
    token = link.rsplit("/", 1)[1]
    stored = db.session.scalars(select(PasswordToken).where(PasswordToken.user_id == user.id)).one()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in stored.token_hash


@pytest.mark.parametrize("email", ["not-an-email", "a b@example.com", "x@nodot", ""])
def test_create_user_refuses_a_bad_email(app, email):
    with pytest.raises(AccountError) as caught:
        services.create_user(email, "Ada", Role.EMPLOYEE, make_department())
    assert caught.value.field == "email"
    assert count(User) == 0


def test_create_user_refuses_an_existing_email_whatever_its_case(app):
    make_user(email="ada@example.com")
    with pytest.raises(AccountError, match="already exists"):
        services.create_user("ADA@example.com", "Ada", Role.EMPLOYEE, make_department())
    assert count(User) == 1


def test_create_user_requires_a_name(app):
    with pytest.raises(AccountError) as caught:
        services.create_user("ada@example.com", "   ", Role.EMPLOYEE, make_department())
    assert caught.value.field == "name"


# Departments --------------------------------------------------------------------------------


def test_create_department_refuses_a_duplicate_name_ignoring_case():
    services.create_department("Engineering")
    with pytest.raises(AccountError, match="already exists"):
        services.create_department("  engineering ")
    assert count(Department) == 1


# import_users_csv ---------------------------------------------------------------------------

VALID_CSV = (
    "email,name,department,role\n"
    "li.lei@example.com,李雷,Engineering,employee\n"
    "Han.Meimei@Example.com,韩梅梅,Marketing,Manager\n"
    "wang.fang@example.com,王芳,People,hr\n"
)


def test_import_creates_everyone_with_links_and_new_departments(app):
    hr = make_user(role=Role.HR)
    make_department("engineering")  # matched by name, ignoring case
    result = imports.import_users_csv(VALID_CSV, actor=hr)
    assert result.ok
    assert [item.user.email for item in result.created] == [
        "li.lei@example.com",
        "han.meimei@example.com",
        "wang.fang@example.com",
    ]
    assert result.new_departments == ["Marketing", "People"]
    assert user_by_email("li.lei@example.com").department.name == "engineering"
    assert user_by_email("han.meimei@example.com").role == Role.MANAGER
    assert user_by_email("wang.fang@example.com").role == Role.HR
    assert all("/set-password/" in item.link for item in result.created)
    assert count(PasswordToken) == 3


def test_import_with_one_bad_row_writes_nothing_and_names_the_row(app):
    text = (
        "email,name,department,role\n"
        "li.lei@example.com,李雷,Engineering,employee\n"
        "not-an-email,韩梅梅,Marketing,manager\n"
        "wang.fang@example.com,王芳,People,hr\n"
    )
    result = imports.import_users_csv(text)
    assert not result.ok
    assert [(e.row, e.email) for e in result.errors] == [(3, "not-an-email")]
    assert "not a valid email" in result.errors[0].reasons[0]
    assert result.created == []
    assert count(User) == 0
    assert count(Department) == 0  # missing departments are only created for a valid file
    assert count(PasswordToken) == 0


def test_import_reports_every_bad_row_with_its_reasons(app):
    make_user(email="taken@example.com")
    text = (
        "email,name,department,role\n"
        "ok@example.com,OK,Engineering,employee\n"  # row 2
        "taken@example.com,Taken,Engineering,employee\n"  # row 3: already has an account
        "OK@example.com,Again,Engineering,employee\n"  # row 4: duplicate of row 2
        "new@example.com,,Engineering,boss\n"  # row 5: missing name, unknown role
        "\n"  # row 6: blank lines are skipped but still counted
        "other@example.com,Other,,employee\n"  # row 7: missing department
        "third@example.com,Third,Sales,\n"  # row 8: missing role
    )
    result = imports.import_users_csv(text)
    by_row = {error.row: " ".join(error.reasons) for error in result.errors}
    assert sorted(by_row) == [3, 4, 5, 7, 8]
    assert "already has an account" in by_row[3]
    assert "already on row 2" in by_row[4]
    assert "Name is missing" in by_row[5] and "Unknown role “boss”" in by_row[5]
    assert "Department is missing" in by_row[7]
    assert "Role is missing" in by_row[8]
    assert count(User) == 1


def test_import_accepts_a_bom_chinese_headers_and_chinese_roles(app):
    text = (
        "\ufeff邮箱,姓名,部门,角色\n"
        "a@example.com,甲,研发部, 员工 \n"
        "b@example.com,乙,研发部,经理\n"
        "c@example.com,丙,人力资源部,人事\n"
        "d@example.com,丁,人力资源部,HR\n"
    )
    result = imports.import_users_csv(text)
    assert result.ok, result.errors
    roles = {item.user.email: item.user.role for item in result.created}
    assert roles == {
        "a@example.com": Role.EMPLOYEE,
        "b@example.com": Role.MANAGER,
        "c@example.com": Role.HR,
        "d@example.com": Role.HR,
    }
    assert result.new_departments == ["研发部", "人力资源部"]


def test_decode_csv_accepts_utf8_with_bom_and_excel_gb18030():
    text = "email,name,department,role\na@example.com,张三,研发部,员工\n"
    assert imports.decode_csv(("\ufeff" + text).encode("utf-8")) == text
    assert imports.decode_csv(text.encode("utf-8")) == text
    assert imports.decode_csv(text.encode("gb18030")) == text


def test_import_without_the_required_header_is_refused(app):
    result = imports.import_users_csv("a@example.com,Ada,Engineering,employee\n")
    assert not result.ok
    assert "Missing" in result.file_errors[0]
    assert count(User) == 0


@pytest.mark.parametrize("text", ["", "\n\n", "email,name,department,role\n"])
def test_import_of_an_empty_file_is_refused(app, text):
    result = imports.import_users_csv(text)
    assert not result.ok and result.file_errors


@pytest.mark.parametrize(
    ("raw", "role"),
    [
        ("employee", Role.EMPLOYEE),
        (" EMPLOYEE ", Role.EMPLOYEE),
        ("员工", Role.EMPLOYEE),
        ("Manager", Role.MANAGER),
        ("经理", Role.MANAGER),
        ("hr", Role.HR),
        ("H R", Role.HR),
        ("人事", Role.HR),
        ("boss", None),
        ("", None),
    ],
)
def test_parse_role_is_lenient_about_case_spaces_and_language(raw, role):
    assert imports.parse_role(raw) == role


# Set-password links -------------------------------------------------------------------------


def _issue(app, user, actor=None) -> str:
    token, url = passwords.issue_password_link(user, actor)
    assert url.endswith(f"/set-password/{token}")
    return token


def test_a_link_sets_the_password_once(app):
    user = make_user(password=None)
    token = _issue(app, user)
    passwords.set_password_with_token(token, "a-long-password")
    assert user.check_password("a-long-password")
    with pytest.raises(AccountError) as caught:
        passwords.set_password_with_token(token, "another-password")
    assert caught.value.code == "used"
    assert user.check_password("a-long-password")


def test_a_link_expires_after_the_configured_hours(app):
    user = make_user(password=None)
    with time_machine.travel(utcnow(), tick=False) as traveller:
        token = _issue(app, user)
        traveller.shift(timedelta(hours=app.config["SET_PASSWORD_TOKEN_HOURS"] - 1))
        passwords.check_password_token(token)  # still fine an hour before it expires
        traveller.shift(timedelta(hours=1, seconds=1))
        with pytest.raises(AccountError) as caught:
            passwords.set_password_with_token(token, "a-long-password")
    assert caught.value.code == "expired"
    assert user.password_hash is None


def test_issuing_a_new_link_invalidates_the_earlier_one(app):
    user = make_user(password=None)
    first = _issue(app, user)
    second = _issue(app, user)
    with pytest.raises(AccountError) as caught:
        passwords.check_password_token(first)
    assert caught.value.code == "expired"
    passwords.set_password_with_token(second, "a-long-password")
    assert user.check_password("a-long-password")


def test_an_unknown_link_is_refused():
    with pytest.raises(AccountError) as caught:
        passwords.check_password_token("made-up-token")
    assert caught.value.code == "unknown"


def test_a_short_password_is_refused_and_the_link_stays_usable(app):
    user = make_user(password=None)
    token = _issue(app, user)
    with pytest.raises(AccountError, match="at least 10"):
        passwords.set_password_with_token(token, "short")
    assert passwords.check_password_token(token).used_at is None


# Deactivation -------------------------------------------------------------------------------


def test_deactivation_keeps_the_user_and_stops_their_links(app):
    hr = make_user(role=Role.HR)
    user = make_user()
    token = _issue(app, user, hr)
    services.deactivate_user(user, hr)
    assert db.session.get(User, user.id) is not None
    assert not user.is_active and user.deactivated_at is not None
    with pytest.raises(AccountError):
        passwords.check_password_token(token)
    with pytest.raises(AccountError):
        _issue(app, user, hr)
    services.reactivate_user(user, hr)
    assert user.is_active and user.deactivated_at is None


def test_nobody_can_deactivate_themselves():
    hr = make_user(role=Role.HR)
    with pytest.raises(AccountError, match="your own account"):
        services.deactivate_user(hr, hr)
    assert hr.is_active


# Settings -----------------------------------------------------------------------------------


def test_update_settings_stores_name_language_and_opt_out():
    user = make_user(name="Ada Lovelace")
    services.update_settings(user, "  Ada  ", "en", True)
    assert (user.display_name, user.locale, user.leaderboard_opt_out) == ("Ada", "en", True)
    services.update_settings(user, "", "zh_CN", False)
    assert user.display_name is None and user.shown_name == "Ada Lovelace"


def test_update_settings_refuses_an_unknown_language():
    user = make_user()
    with pytest.raises(AccountError):
        services.update_settings(user, "", "fr", False)
    assert user.locale is None


def test_credentials_are_found_only_for_the_right_password() -> None:
    from community.accounts.services import find_by_credentials

    user = make_user(email="Ada@Example.com")
    assert find_by_credentials(" ada@example.com ", PASSWORD) == user
    assert find_by_credentials("ada@example.com", "wrong password") is None
    assert find_by_credentials("nobody@example.com", PASSWORD) is None
    assert find_by_credentials(make_user(password=None).email, "") is None


def test_login_accepts_the_address_in_any_case_and_at_a_company_alias_but_not_a_plus_tag(
    app, monkeypatch
) -> None:
    """The decision (core.emails): a login names the account's own address. Letter case never
    matters and the company's alias domains are the same mailbox; a plus-tag is a different
    spelling that signs in only to an account whose own address carries it."""
    from community.accounts.services import find_by_credentials

    monkeypatch.setitem(app.config, "COMPANY_EMAIL_DOMAINS", "corp.example, corp-old.example")
    ann = make_user(email="ann@corp.example")
    tagged = make_user(email="bo+work@corp.example")
    assert find_by_credentials("ANN@Corp.Example", PASSWORD) == ann
    assert find_by_credentials("ann@corp-old.example", PASSWORD) == ann
    assert find_by_credentials("ann+x@corp.example", PASSWORD) is None
    assert find_by_credentials("Bo+Work@corp-old.example", PASSWORD) == tagged
    assert find_by_credentials("bo@corp.example", PASSWORD) is None
    assert find_by_credentials("ann@elsewhere.example", PASSWORD) is None
    monkeypatch.setitem(app.config, "COMPANY_EMAIL_DOMAINS", "")
    assert find_by_credentials("ann@corp-old.example", PASSWORD) is None


def test_an_address_taken_under_another_spelling_is_refused(app, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "COMPANY_EMAIL_DOMAINS", "corp.example,corp-old.example")
    make_user(email="ann@corp.example")
    for spelling in ("Ann+new@corp.example", "ann@corp-old.example"):
        with pytest.raises(AccountError, match="already exists"):
            services.create_user(spelling, "Ann", Role.EMPLOYEE, make_department())
    assert count(User) == 1


def test_import_finds_duplicates_and_existing_people_by_identity(app, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "COMPANY_EMAIL_DOMAINS", "corp.example,corp-old.example")
    make_user(email="ann@corp.example")
    text = (
        "email,name,department,role\n"
        "ann+2@corp-old.example,Ann again,Engineering,employee\n"  # row 2: Ann has an account
        "bo@corp.example,Bo,Engineering,employee\n"  # row 3
        "BO+x@corp-old.example,Bo again,Engineering,employee\n"  # row 4: Bo is on row 3
    )
    result = imports.import_users_csv(text)
    by_row = {error.row: " ".join(error.reasons) for error in result.errors}
    assert sorted(by_row) == [2, 4]
    assert "already has an account" in by_row[2]
    assert "already on row 3" in by_row[4]
    assert count(User) == 1


def test_an_unknown_email_costs_a_password_hash_like_a_known_one(monkeypatch) -> None:
    """Timing must not reveal who has an account: both paths hash the password once."""
    import community.accounts.services as services

    calls: list[str] = []
    real = services.check_password_hash
    monkeypatch.setattr(services, "check_password_hash", lambda h, p: calls.append(p) or real(h, p))
    services.find_by_credentials("nobody@example.com", "guess")
    assert calls == ["guess"]
