"""Keeping one's network: add, edit, delete one or all, filter by tag and closeness; every bad
input refused with a message in the person's language beside its field, and nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from community.core.time import local_today
from community.extensions import db
from community.network import queries, services
from community.network.models import Closeness, NetworkContact, NetworkTag, TagKind
from community.network.rules import ContactError, ContactFields, NetworkError
from tests.network.conftest import contact
from tests.security.conftest import db_fingerprint


def contacts_of(user) -> list[str]:
    return [c.name for c in queries.all_contacts(user.id)]


def test_a_contact_keeps_its_three_kinds_of_tags_folded_once(cast) -> None:
    made = contact(
        cast.ann,
        "  Wang   Wei ",
        skills="Go, go; Kafka，支付、 #SQL",
        industries="Fintech",
        wishes="lead a team",
        closeness="亲密",
        email="Wang.Wei+jobs@Example.com",
        phone="138 1234 5678",
        timezone="Europe/London",
        last_contact_on="2026/1/5",
    )
    assert made.name == "Wang Wei"
    assert made.closeness == Closeness.CLOSE
    assert made.tags_of(TagKind.SKILL) == ["Go", "Kafka", "支付", "SQL"]
    assert made.tags_of(TagKind.INDUSTRY) == ["Fintech"]
    assert made.tags_of(TagKind.WISH) == ["lead a team"]
    assert made.email == "wang.wei+jobs@example.com"
    assert made.email_key == "wang.wei@example.com"
    assert made.phone == "+8613812345678"
    assert made.last_contact_on.isoformat() == "2026-01-05"
    assert {tag.owner_id for tag in made.tags} == {cast.ann.id}


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"name": " "}, "name", "Enter the contact's name."),
        ({"name": "x" * 121}, "name", "Keep it under 120 characters."),
        ({"email": "not-an-address"}, "email", "is not a valid email address"),
        ({"phone": "12345"}, "phone", "is not a phone number"),
        ({"closeness": "bestie"}, "closeness", "Choose close, ordinary or acquaintance."),
        ({"timezone": "Mars/Olympus"}, "timezone", "Choose a time zone from the list"),
        ({"last_contact_on": "yesterday"}, "last_contact_on", "Write the date as 2026-03-01."),
        ({"last_contact_on": "2026-02-30"}, "last_contact_on", "Write the date as 2026-03-01."),
        ({"skills": ", ".join(f"s{i}" for i in range(16))}, "skills", "At most 15 tags"),
        ({"wishes": "w" * 41}, "wishes", "Keep each tag under 40 characters."),
        ({"notes": "n" * 2001}, "notes", "Keep it under 2000 characters."),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_writes_nothing(cast, values, field, message):
    before = db_fingerprint()
    fields = {"name": "Wang Wei", **values}
    with pytest.raises(ContactError) as refused:
        services.add_contact(cast.ann, ContactFields(**fields))
    assert message in refused.value.errors[field]
    assert db_fingerprint() == before


def test_a_last_contact_in_the_future_is_refused(cast) -> None:
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    with pytest.raises(ContactError) as refused:
        contact(cast.ann, last_contact_on=tomorrow)
    assert refused.value.errors == {"last_contact_on": "The last contact cannot be in the future."}


def test_the_form_shows_every_problem_with_a_422_and_saves_nothing(client, auth, cast) -> None:
    auth.login(cast.ann)
    response = client.post(
        "/network/contacts/new",
        data={"name": "", "closeness": "ordinary", "email": "nope", "phone": "1"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Enter the contact&#39;s name." in page
    assert "is not a valid email address" in page
    assert "is not a phone number" in page
    assert contacts_of(cast.ann) == []


def test_the_form_adds_edits_and_deletes_a_contact(client, auth, cast) -> None:
    auth.login(cast.ann)
    response = client.post(
        "/network/contacts/new",
        data={"name": "Li Na", "closeness": "acquaintance", "skills": "React", "timezone": ""},
    )
    assert response.status_code == 302
    made = queries.all_contacts(cast.ann.id)[0]
    assert made.closeness == Closeness.ACQUAINTANCE and made.timezone is None
    page = client.get(f"/network/contacts/{made.id}/edit").get_data(as_text=True)
    assert 'value="React"' in page
    response = client.post(
        f"/network/contacts/{made.id}/edit",
        data={
            "name": "Li Na",
            "closeness": "close",
            "skills": "React, Vue",
            "industries": "retail",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    edited = queries.get_own(cast.ann.id, made.id)
    assert edited.closeness == Closeness.CLOSE
    assert edited.tags_of(TagKind.SKILL) == ["React", "Vue"]
    assert edited.tags_of(TagKind.INDUSTRY) == ["retail"]
    response = client.post(f"/network/contacts/{made.id}/delete")
    assert response.status_code == 302
    assert contacts_of(cast.ann) == []
    assert db.session.scalar(select(func.count()).select_from(NetworkTag)) == 0


def test_the_list_filters_by_tag_closeness_and_words(client, auth, cast) -> None:
    contact(cast.ann, "Wang Wei", skills="Go", closeness="close", notes="met at GopherChina")
    contact(cast.ann, "Li Na", skills="React", closeness="ordinary")
    contact(cast.ann, "Zhang San", industries="Go", closeness="close")
    contact(cast.bob, "Bob's Friend", skills="Go")
    auth.login(cast.ann)

    def names(query: str) -> list[str]:
        page = client.get(f"/network/{query}").get_data(as_text=True)
        return [n for n in ("Wang Wei", "Li Na", "Zhang San", "Bob&#39;s Friend") if n in page]

    assert names("") == ["Wang Wei", "Li Na", "Zhang San"]
    assert names("?tag=go&kind=skill") == ["Wang Wei"]
    assert names("?tag=GO") == ["Wang Wei", "Zhang San"]
    assert names("?closeness=close") == ["Wang Wei", "Zhang San"]
    assert names("?q=gopher") == ["Wang Wei"]
    assert names("?closeness=nonsense&kind=nonsense") == ["Wang Wei", "Li Na", "Zhang San"]


def test_delete_all_asks_to_confirm_and_counts_what_it_deletes(client, auth, cast) -> None:
    for name in ("A", "B", "C"):
        contact(cast.ann, name, skills="Go")
    contact(cast.bob, "Bob's own")
    auth.login(cast.ann)
    page = client.get("/network/delete-all").get_data(as_text=True)
    assert 'name="expected" type="hidden" value="3"' in page
    before = db_fingerprint()
    assert client.post("/network/delete-all", data={"expected": "3"}).status_code == 422
    assert db_fingerprint() == before
    # A contact added in another tab since: the count no longer matches, nothing is deleted.
    contact(cast.ann, "D")
    assert (
        client.post("/network/delete-all", data={"expected": "3", "confirm": "y"}).status_code
        == 409
    )
    assert len(contacts_of(cast.ann)) == 4
    response = client.post("/network/delete-all", data={"expected": "4", "confirm": "y"})
    assert response.status_code == 302
    assert contacts_of(cast.ann) == []
    assert contacts_of(cast.bob) == ["Bob's own"]
    owners = db.session.scalars(select(NetworkTag.owner_id)).all()
    assert set(owners) <= {cast.bob.id}


def test_a_network_has_a_size_limit(app, cast) -> None:
    app.config["NETWORK_MAX_CONTACTS"] = 2
    try:
        contact(cast.ann, "A")
        contact(cast.ann, "B")
        with pytest.raises(NetworkError) as refused:
            contact(cast.ann, "C")
        assert refused.value.status == 409
        assert "at most 2 contacts" in refused.value.message
    finally:
        app.config["NETWORK_MAX_CONTACTS"] = 5000
    assert db.session.scalar(select(func.count()).select_from(NetworkContact)) == 2
