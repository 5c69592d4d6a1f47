"""People admin (issue 11 §24): HR changes a person's role, department and manager and
(de)activates them; never the last HR, never their own role, never a manager loop; every change
logged and shown on the profile; names in HR's lists link to profiles."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from community.accounts import services
from community.accounts.errors import AccountError
from community.accounts.models import ChangedField, PersonChange, Role, User
from community.extensions import db
from community.leaderboards import visibility
from tests.factories import make_department, make_user


def changes(user: User) -> list[tuple[str, str | None, str | None]]:
    rows = db.session.scalars(
        select(PersonChange).where(PersonChange.user_id == user.id).order_by(PersonChange.id)
    )
    return [(str(c.field), c.old_value, c.new_value) for c in rows]


def fresh(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def account_form(person: User, **values: object) -> dict[str, object]:
    data = {
        "role": person.role.value,
        "department": str(person.department_id or ""),
        "manager": str(person.manager_id or ""),
    }
    data.update({k: "" if v is None else str(v) for k, v in values.items()})
    return data


@pytest.fixture
def hr(auth):
    user = make_user(role=Role.HR, name="Hana HR")
    auth.login(user)
    return user


# Behaviour ----------------------------------------------------------------------------------


def test_hr_changes_role_department_and_manager_and_each_change_is_logged(client, hr):
    sales = make_department("Sales")
    boss = make_user(role=Role.MANAGER, name="Bea Boss")
    person = make_user(name="Pat Person")
    old_department = person.department_id
    response = client.post(
        f"/people/{person.id}/account",
        data=account_form(person, role="manager", department=sales.id, manager=boss.id),
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/people/{person.id}/profile"
    person = fresh(person)
    assert (person.role, person.department_id, person.manager_id) == (
        Role.MANAGER,
        sales.id,
        boss.id,
    )
    assert changes(person) == [
        ("role", "employee", "manager"),
        ("department", str(old_department), str(sales.id)),
        ("manager", None, str(boss.id)),
    ]
    logged = db.session.scalars(select(PersonChange).where(PersonChange.user_id == person.id))
    assert {c.actor_id for c in logged} == {hr.id}

    profile = client.get(f"/people/{person.id}/profile").text
    assert 'data-testid="person-change"' in profile
    assert "Sales" in profile and "Bea Boss" in profile and "Hana HR" in profile
    assert "Reports to" in profile


def test_saving_without_a_change_logs_nothing(client, hr):
    person = make_user()
    response = client.post(f"/people/{person.id}/account", data=account_form(person))
    assert response.status_code == 302
    assert changes(person) == []


def test_a_manager_can_be_removed(client, hr):
    boss = make_user(role=Role.MANAGER)
    person = make_user(manager_id=boss.id)
    client.post(f"/people/{person.id}/account", data=account_form(person, manager=None))
    assert fresh(person).manager_id is None
    assert changes(person) == [("manager", str(boss.id), None)]


def test_deactivation_and_reactivation_are_logged_and_shown(client, hr):
    person = make_user(name="Leo Leaver")
    client.post(f"/people/{person.id}/deactivate", data={"next": f"/people/{person.id}/profile"})
    client.post(f"/people/{person.id}/reactivate")
    assert changes(person) == [("active", "true", "false"), ("active", "false", "true")]
    profile = client.get(f"/people/{person.id}/profile").text
    assert profile.count('data-testid="person-change"') == 2


def test_deactivating_from_the_profile_comes_back_to_the_profile(client, hr):
    person = make_user()
    response = client.post(
        f"/people/{person.id}/deactivate", data={"next": f"/people/{person.id}/profile"}
    )
    assert response.headers["Location"] == f"/people/{person.id}/profile"
    assert not fresh(person).is_active_account


def test_a_deactivated_person_cannot_log_in_and_their_session_ends(client, auth, new_client):
    hr = make_user(role=Role.HR)
    person = make_user(email="gone@example.com")
    auth.login(person)
    assert client.get("/jobs/").status_code == 200
    version = person.session_version

    hr_client = new_client()
    hr_client.post("/login", data={"email": hr.email, "password": "password123"})
    hr_client.post(f"/people/{person.id}/deactivate")

    assert fresh(person).session_version == version + 1  # the cookie's version no longer loads
    assert client.get("/jobs/").status_code == 302  # sent to log in
    assert auth.login(person).status_code == 403


def test_a_role_change_to_hr_takes_the_person_off_the_public_boards(client, hr):
    person = make_user()
    assert not visibility.is_hidden(person)
    client.post(f"/people/{person.id}/account", data=account_form(person, role="hr"))
    assert visibility.is_hidden(fresh(person))


def test_hr_may_change_their_own_department_and_give_up_their_role_unless_last(client, hr):
    other = make_department("People Ops")
    response = client.post(f"/people/{hr.id}/account", data=account_form(hr, department=other.id))
    assert response.status_code == 302
    assert fresh(hr).department_id == other.id
    alone = client.post(f"/people/{hr.id}/account", data=account_form(hr, role="employee"))
    assert alone.status_code == 409 and "Hana HR is the last HR officer" in alone.text
    assert fresh(hr).role == Role.HR
    make_user(role=Role.HR)  # now someone is left to run the program
    response = client.post(f"/people/{hr.id}/account", data=account_form(hr, role="employee"))
    assert response.status_code == 302
    assert fresh(hr).role == Role.EMPLOYEE
    assert client.get("/people").status_code == 403  # the HR pages closed at once


# Bad input: refused with a message, nothing written -------------------------------------------


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"department": "999999"}, "Choose a department from the list."),
        ({"department": "sales"}, "Choose a department from the list."),
        ({"department": ""}, "Choose a department from the list."),
        ({"role": "admin"}, "Choose a role from the list."),
        ({"manager": "999999"}, "Choose an active colleague as the manager."),
        ({"manager": "99999999999999999999"}, "Choose an active colleague as the manager."),
        ({"manager": "boss"}, "Choose an active colleague as the manager."),
    ],
)
def test_unknown_values_are_refused(client, hr, values, message):
    person = make_user()
    before = (person.role, person.department_id, person.manager_id)
    response = client.post(f"/people/{person.id}/account", data=account_form(person, **values))
    assert response.status_code == 422
    assert message in response.text
    person = fresh(person)
    assert (person.role, person.department_id, person.manager_id) == before
    assert changes(person) == []


def test_nobody_is_their_own_manager(client, hr):
    person = make_user()
    response = client.post(
        f"/people/{person.id}/account", data=account_form(person, manager=person.id)
    )
    assert response.status_code == 422 and "Nobody can be their own manager." in response.text
    assert fresh(person).manager_id is None


def test_a_deactivated_colleague_cannot_be_a_manager(client, hr):
    person = make_user()
    gone = make_user(is_active_account=False)
    response = client.post(
        f"/people/{person.id}/account", data=account_form(person, manager=gone.id)
    )
    assert response.status_code == 422
    assert "Choose an active colleague as the manager." in response.text


def test_a_manager_loop_is_refused_directly_and_through_others(client, hr):
    top = make_user(name="Tia Top")
    middle = make_user(name="Mo Middle", manager_id=top.id)
    bottom = make_user(name="Bo Bottom", manager_id=middle.id)
    direct = client.post(f"/people/{top.id}/account", data=account_form(top, manager=middle.id))
    assert direct.status_code == 422 and "would make a loop" in direct.text
    through = client.post(f"/people/{top.id}/account", data=account_form(top, manager=bottom.id))
    assert through.status_code == 422 and "Bo Bottom already reports to Tia Top" in through.text
    assert fresh(top).manager_id is None
    assert changes(top) == []


def test_the_last_hr_keeps_their_role(app):
    only_hr = make_user(role=Role.HR, name="Olga Only")
    make_user(role=Role.HR, is_active_account=False)  # a deactivated officer does not count
    with pytest.raises(AccountError) as refused:
        services.update_person(
            only_hr,
            only_hr,
            role=Role.EMPLOYEE,
            department_id=only_hr.department_id,
            manager_id=None,
        )
    assert (
        refused.value.status == 409 and "Olga Only is the last HR officer" in refused.value.message
    )
    assert refused.value.field == "role"
    assert fresh(only_hr).role == Role.HR
    assert changes(only_hr) == []


def test_the_last_hr_cannot_be_deactivated(app):
    only_hr = make_user(role=Role.HR)
    # Not reachable through the pages (HR cannot deactivate themselves), but the rule holds in
    # the service whoever calls it.
    someone = make_user(role=Role.EMPLOYEE)
    with pytest.raises(AccountError) as refused:
        services.deactivate_user(only_hr, someone)
    assert "last HR officer" in refused.value.message
    assert fresh(only_hr).is_active_account


def test_one_of_two_hr_officers_may_be_made_an_employee(client, hr):
    colleague = make_user(role=Role.HR)
    response = client.post(
        f"/people/{colleague.id}/account", data=account_form(colleague, role="employee")
    )
    assert response.status_code == 302
    assert fresh(colleague).role == Role.EMPLOYEE
    again = client.post(f"/people/{hr.id}/account", data=account_form(hr, role="employee"))
    assert again.status_code == 409 and "last HR officer" in again.text


# Permissions --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER])
def test_employees_and_managers_may_not_change_people(client, auth, role):
    actor = make_user(role=role)
    person = make_user()
    auth.login(actor)
    for url, data in [
        (f"/people/{person.id}/account", account_form(person, role="hr")),
        (f"/people/{person.id}/deactivate", {}),
        (f"/people/{person.id}/reactivate", {}),
    ]:
        assert client.post(url, data=data).status_code == 403
    assert fresh(person).role == Role.EMPLOYEE and fresh(person).is_active_account
    profile = client.get(f"/people/{person.id}/profile").text
    assert 'data-testid="account-form"' not in profile
    assert 'data-testid="person-changes"' not in profile
    assert db.session.scalar(select(func.count()).select_from(PersonChange)) == 0


def test_changing_a_missing_person_is_404(client, hr):
    assert client.post("/people/999999/account", data={"role": "hr"}).status_code == 404


def test_the_form_needs_a_csrf_token(client, hr):
    person = make_user()
    response = client.post(
        f"/people/{person.id}/account", data=account_form(person, role="hr"), csrf=False
    )
    assert response.status_code == 400
    assert fresh(person).role == Role.EMPLOYEE


# Links to profiles -----------------------------------------------------------------------------


def test_names_in_the_people_list_link_to_profiles(client, hr):
    person = make_user(name="Lina Linked")
    page = client.get("/people").text
    assert f'href="/people/{person.id}/profile" data-testid="person-link">Lina Linked' in page


def test_the_service_logs_who_changed_what(app):
    hr = make_user(role=Role.HR)
    person = make_user()
    new_department = make_department()
    done = services.update_person(
        person, hr, role="employee", department_id=new_department.id, manager_id=None
    )
    assert [c.field for c in done] == [ChangedField.DEPARTMENT]
    assert done[0].actor_id == hr.id and done[0].changed_at is not None


# The people list sorts (§21) ------------------------------------------------------------------


def test_hr_sorts_the_people_list_and_the_pager_keeps_it(client, hr, app):
    a = make_user(name="Ava", email="zz@example.com", department=make_department("Zoo"))
    b = make_user(name="Ben", email="aa@example.com", department=make_department("Art"))

    def order(text: str) -> list[str]:
        found = {name: text.find(f">{name}</a>") for name in ("Ava", "Ben", "Hana HR")}
        return [n for n in sorted(found, key=found.__getitem__) if found[n] >= 0]

    page = client.get("/people").text
    assert order(page) == ["Ava", "Ben", "Hana HR"]
    assert "Sorted by name, A to Z (the default order)." in page
    # aa@ < user…@ (Hana) < zz@; Zoo > Department … (Hana's) > Art
    assert order(client.get("/people?sort=email").text) == ["Ben", "Hana HR", "Ava"]
    assert order(client.get("/people?sort=department&dir=desc").text) == ["Ava", "Hana HR", "Ben"]
    assert order(client.get("/people?sort=role&dir=desc").text)[0] == "Hana HR"
    assert order(client.get("/people?sort=password_hash").text) == ["Ava", "Ben", "Hana HR"]
    app.config["ITEMS_PER_PAGE"], per_page = 1, app.config["ITEMS_PER_PAGE"]
    try:
        paged = client.get("/people?q=a&sort=email").text
        assert "q=a&amp;sort=email&amp;dir=asc&amp;page=2" in paged
    finally:
        app.config["ITEMS_PER_PAGE"] = per_page
    assert a.id and b.id


def test_the_service_refuses_an_actor_who_is_not_hr(app):
    manager = make_user(role=Role.MANAGER)
    person = make_user()
    with pytest.raises(AccountError) as refused:
        services.update_person(
            person, manager, role="hr", department_id=person.department_id, manager_id=None
        )
    assert refused.value.status == 403
    assert fresh(person).role == Role.EMPLOYEE
