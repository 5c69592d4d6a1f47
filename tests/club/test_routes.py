"""The members page and HR's controls on it and on a profile: who may, who may not, and what a
refusal reads like."""

from __future__ import annotations

import pytest

from community.accounts.models import Role
from community.club import membership
from tests.club.factories import make_member
from tests.factories import make_user


@pytest.fixture
def hr():
    return make_user(role=Role.HR)


def test_everyone_signed_in_sees_the_members_and_their_marks(client, auth, hr) -> None:
    moderator = make_member(make_user(name="Mo Derator"), moderator=True, hr=hr)
    member = make_member(make_user(name="Mem Ber"), hr=hr)
    auth.login(make_user())
    page = client.get("/club/members").get_data(as_text=True)
    assert page.index("Mo Derator") < page.index("Mem Ber")  # moderators first
    assert 'data-testid="club-mark-moderator"' in page and 'data-testid="club-mark-member"' in page
    assert "toggle-moderator" not in page  # HR's controls only for HR
    profile = client.get(f"/people/{member.id}/profile").get_data(as_text=True)
    assert 'data-testid="club-since"' in profile and "club-appoint" not in profile
    assert moderator.id


def test_anonymous_is_sent_to_sign_in(client) -> None:
    assert client.get("/club/members").status_code in (302, 401)
    assert client.post("/club/members/1/appoint").status_code in (302, 401, 403)


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER])
def test_only_hr_changes_membership(client, auth, role) -> None:
    target = make_user()
    auth.login(make_user(role=role))
    for path in ("appoint", "remove", "moderator"):
        assert client.post(f"/club/members/{target.id}/{path}", data={"on": "1"}).status_code == 403
    assert not membership.is_member(target.id)


def test_hr_appoints_from_a_profile_and_goes_back_there(client, auth, hr) -> None:
    person = make_user()
    auth.login(hr)
    back = f"/people/{person.id}/profile#club"
    response = client.post(f"/club/members/{person.id}/appoint", data={"next": back})
    assert response.status_code == 303 and response.headers["Location"].endswith(back)
    assert membership.is_member(person.id)
    page = client.get(f"/people/{person.id}/profile").get_data(as_text=True)
    assert "club-remove-form" in page and "club-moderator" in page


def test_an_offsite_next_goes_to_the_members_page(client, auth, hr) -> None:
    person = make_user()
    auth.login(hr)
    response = client.post(
        f"/club/members/{person.id}/appoint", data={"next": "https://evil.example/"}
    )
    assert response.headers["Location"].endswith("/club/members")


def test_removing_without_a_reason_is_refused_in_the_readers_language(client, auth) -> None:
    hr = make_user(role=Role.HR, locale="zh_CN")
    member = make_member(hr=hr)
    auth.login(hr)
    response = client.post(f"/club/members/{member.id}/remove", data={"reason": ""})
    assert response.status_code == 422
    assert "请说明移出俱乐部的原因" in response.get_data(as_text=True)
    assert membership.is_member(member.id)


def test_forged_ids_are_not_found(client, auth, hr) -> None:
    auth.login(hr)
    assert client.post("/club/members/999999/appoint").status_code == 404
    assert client.post("/club/members/999999/remove", data={"reason": "x"}).status_code == 404
