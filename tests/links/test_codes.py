"""Referral codes: their shape, one per person, and the first names candidates read."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from community.extensions import db
from community.links import codes, queries, services
from community.links.models import ReferralCode
from tests.factories import make_user


def test_a_code_is_eight_unambiguous_characters():
    for _ in range(200):
        code = codes.new_code()
        assert len(code) == 8
        assert not set(code) & set("0O1I")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("abcd-2345", "ABCD2345"), (" ABCD 2345 ", "ABCD2345"), ("abcd2345", "ABCD2345")],
)
def test_a_typed_code_is_read_as_people_type_it(typed, stored):
    assert codes.normalise_code(typed) == stored


@pytest.mark.parametrize("typed", ["", "ABCD234", "ABCD23456", "ABCD1234", "ABCDO234", "ABCD-23%5"])
def test_what_cannot_be_a_code_is_none(typed):
    assert codes.normalise_code(typed) is None


def test_each_person_has_one_code_made_on_first_need():
    person = make_user()
    first = services.code_of(person)
    assert services.code_of(person).id == first.id
    assert db.session.scalar(select(func.count(ReferralCode.id))) == 1
    assert codes.shown(first.code) == f"{first.code[:4]}-{first.code[4:]}"


def test_a_drawn_code_that_is_taken_is_drawn_again(monkeypatch):
    taken = services.code_of(make_user()).code
    draws = iter([taken, "ABCD2345"])
    monkeypatch.setattr(codes, "new_code", lambda: next(draws))
    assert services.code_of(make_user()).code == "ABCD2345"


@pytest.mark.parametrize(
    ("name", "display", "shown"),
    [
        ("王小明", None, "小明"),
        ("欧阳娜", None, "娜"),
        ("林", None, "林"),
        ("Rita Referrer", None, "Rita"),
        ("王小明", "Xiaoming Wang", "Xiaoming"),
    ],
)
def test_a_candidate_reads_the_referrers_first_name_only(name, display, shown):
    assert queries.first_name(make_user(name=name, display_name=display)) == shown


def test_a_code_stops_working_when_switched_off_or_its_owner_leaves():
    person = make_user()
    code = services.code_of(person)
    assert queries.active_code(code.code.lower()) == code
    services.switch_code(person, code, False)
    assert queries.active_code(code.code) is None
    services.switch_code(person, code, True)
    person.is_active_account = False
    db.session.commit()
    assert queries.active_code(code.code) is None
