"""Importing and exporting a network: CSV (UTF-8, UTF-8 with BOM, GBK) and vCard, a preview that
writes nothing and says what will be added, merged and refused, then the confirmation; whole
files that cannot be read are refused with a clear message and nothing written."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
import time_machine

from community.network import exports, imports, queries
from community.network.models import Closeness, TagKind
from tests.network.conftest import contact
from tests.security.conftest import db_fingerprint

CSV = (
    "姓名,关系,亲密度,技能,行业,职业诉求,最近联系,邮箱,手机\n"
    '王伟,前同事,亲密,"Go, Kafka",金融科技,带团队,2026-01-15,wang.wei@example.com,13812345678\n'
    "Emma Chen,conference,acquaintance,React,e-commerce,remote,,emma@example.org,\n"
)


def upload(client, content: bytes, filename: str = "contacts.csv"):
    return client.post(
        "/network/import",
        data={"file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def preview_token(page: str) -> str:
    match = re.search(r'name="preview" type="hidden" value="([^"]+)"', page)
    assert match, "the preview has no confirmation form"
    return unescape(match.group(1))


@pytest.mark.parametrize(
    "encoded",
    [CSV.encode("utf-8"), ("\ufeff" + CSV).encode("utf-8"), CSV.encode("gbk")],
    ids=["utf-8", "utf-8-bom", "gbk"],
)
def test_a_csv_is_previewed_then_imported_in_any_of_its_encodings(client, auth, cast, encoded):
    auth.login(cast.ann)
    before = db_fingerprint()
    response = upload(client, encoded)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert db_fingerprint() == before, "a preview writes nothing"
    assert page.count('data-testid="preview-added-row"') == 2
    assert "王伟" in page and "Emma Chen" in page
    response = client.post("/network/import/confirm", data={"preview": preview_token(page)})
    assert response.status_code == 302
    wang, emma = sorted(queries.all_contacts(cast.ann.id), key=lambda c: c.name != "王伟")
    assert wang.closeness == Closeness.CLOSE
    assert wang.tags_of(TagKind.SKILL) == ["Go", "Kafka"]
    assert wang.tags_of(TagKind.INDUSTRY) == ["金融科技"]
    assert wang.tags_of(TagKind.WISH) == ["带团队"]
    assert wang.phone == "+8613812345678"
    assert emma.closeness == Closeness.ACQUAINTANCE


def test_duplicates_merge_by_address_phone_and_name_and_bad_rows_are_refused(client, auth, cast):
    mine = contact(cast.ann, "Wang Wei", email="wang@example.com", skills="Go", closeness="close")
    by_phone = contact(cast.ann, "Li Na", phone="13900001111")
    by_name = contact(cast.ann, "Zhang San", notes="old note")
    namesake = contact(cast.ann, "Chen Jie", email="chen.one@example.com")
    csv = (
        "name,closeness,skills,email,phone,notes,last_contact\n"
        "W. Wang,ordinary,Kafka,WANG+x@example.com,,,\n"  # same address: merged, closeness kept
        "Li Na (new job),,Rust,,139 0000 1111,,\n"  # same phone
        "zhang  san,,SQL,,,new note,2026-01-02\n"  # same name, nothing says otherwise
        "Chen Jie,,,chen.two@example.com,,,\n"  # same name, another address: someone else
        "Chen Jie,,Java,chen.two@example.com,,,\n"  # the same row twice in the file
        ",close,Go,,,,\n"  # no name
        "Bad Mail,,,not-mail,,,\n"
        "Bad Date,,,,,,someday\n"
    )
    auth.login(cast.ann)
    page = upload(client, csv.encode()).get_data(as_text=True)
    assert page.count('data-testid="preview-merged-row"') == 3
    assert page.count('data-testid="preview-added-row"') == 1
    assert 'data-testid="count-folded">1<' in page
    assert page.count('data-testid="preview-rejected-row"') == 3
    assert "Enter the contact&#39;s name." in page
    assert "is not a valid email address" in page
    assert "Write the date as 2026-03-01." in page
    assert "the same e-mail address" in page and "the same phone number" in page
    client.post("/network/import/confirm", data={"preview": preview_token(page)})
    assert len(queries.all_contacts(cast.ann.id)) == 5
    merged = queries.get_own(cast.ann.id, mine.id)
    assert merged.name == "Wang Wei" and merged.closeness == Closeness.CLOSE
    assert merged.tags_of(TagKind.SKILL) == ["Go", "Kafka"]
    assert queries.get_own(cast.ann.id, by_phone.id).tags_of(TagKind.SKILL) == ["Rust"]
    third = queries.get_own(cast.ann.id, by_name.id)
    assert third.notes == "old note\nnew note"
    assert third.last_contact_on.isoformat() == "2026-01-02"
    assert queries.get_own(cast.ann.id, namesake.id).tags == []
    new_chen = [c for c in queries.all_contacts(cast.ann.id) if c.email == "chen.two@example.com"]
    assert [c.tags_of(TagKind.SKILL) for c in new_chen] == [["Java"]]


VCARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:王伟\r\nN:王;伟;;;\r\nEMAIL;TYPE=INTERNET:wang.wei@example.com\r\n"
    "TEL;TYPE=CELL:138 1234 5678\r\nORG:Acme\r\nTITLE:Engineer\r\nCATEGORIES:Python,Go\r\n"
    "NOTE:met at a conference\\, nice\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E6=9D=8E;=E5=A8=9C;;;\r\n"
    "TEL;CELL:13900001111\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Bob Li\r\nTEL;VALUE=uri;TYPE=cell:tel:+86-138-0000-2222\r\n"
    "EMAIL:bob@example.org\r\nEND:VCARD\r\n"
)


def test_a_vcard_file_imports_names_phones_addresses_and_categories(client, auth, cast):
    auth.login(cast.ann)
    page = upload(client, VCARDS.encode(), "contacts.vcf").get_data(as_text=True)
    assert page.count('data-testid="preview-added-row"') == 3
    client.post("/network/import/confirm", data={"preview": preview_token(page)})
    by_name = {c.name: c for c in queries.all_contacts(cast.ann.id)}
    assert set(by_name) == {"王伟", "李娜", "Bob Li"}
    assert by_name["王伟"].tags_of(TagKind.SKILL) == ["Python", "Go"]
    assert by_name["王伟"].notes == "met at a conference, nice\nAcme · Engineer"
    assert by_name["李娜"].phone == "+8613900001111"
    assert by_name["Bob Li"].phone == "+8613800002222"


def test_an_export_imports_back_as_the_same_network(client, auth, cast):
    contact(
        cast.ann,
        "=Formula Fan",
        skills="Go, 支付",
        industries="fintech",
        wishes="lead a team",
        closeness="close",
        email="fan@example.com",
        phone="+8613812345678",
        timezone="Europe/London",
        last_contact_on="2026-01-05",
        notes="line one\nline two, with a comma",
        how_known="前同事",
    )
    contact(cast.bob, "Bob's secret friend")
    auth.login(cast.ann)
    as_csv = client.get("/network/export.csv")
    as_vcf = client.get("/network/export.vcf")
    assert as_csv.headers["Cache-Control"] == "private, no-store"
    assert as_csv.data.startswith("\ufeff".encode())
    assert "'=Formula Fan" in as_csv.get_data(as_text=True)  # a spreadsheet shows it as text
    assert "Bob's secret friend" not in as_csv.get_data(as_text=True) + as_vcf.get_data(
        as_text=True
    )
    original = queries.all_contacts(cast.ann.id)[0]

    def shape(c):
        return (
            c.name, c.closeness, c.email, c.phone, c.timezone, c.last_contact_on, c.notes,
            c.how_known, {k: c.tags_of(k) for k in TagKind},
        )  # fmt: skip

    expected = shape(original)
    for body, name in ((as_csv.data, "back.csv"), (as_vcf.data, "back.vcf")):
        client.post("/network/delete-all", data={"expected": "1", "confirm": "y"})
        page = upload(client, body, name).get_data(as_text=True)
        assert page.count('data-testid="preview-added-row"') == 1, name
        client.post("/network/import/confirm", data={"preview": preview_token(page)})
        assert [shape(c) for c in queries.all_contacts(cast.ann.id)] == [expected], name


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This is not a CSV or vCard text file."),
        (b"\xff\xfe\xfa\xfb\x81\x30", "could not be read. Save it as UTF-8"),
        (b"email,phone\nx@example.com,1\n", "The file needs a “name” column"),
        (b"name\n", "The file has no contacts below its header row."),
        (b'name,notes\n"unclosed,quote\n', "The file is not a CSV file that can be read."),
        (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:X\r\n", "The vCard file could not be read"),
        (b"BEGIN:VCARD\r\nthis is not a line\r\nEND:VCARD\r\n", "The vCard file could not be read"),
    ],
    ids=[
        "empty",
        "binary",
        "undecodable",
        "no-name",
        "no-rows",
        "bad-quote",
        "open-vcard",
        "bad-vcard",
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(client, auth, cast, content, message):
    auth.login(cast.ann)
    before = db_fingerprint()
    response = upload(client, content)
    assert response.status_code == 422
    assert message in unescape(response.get_data(as_text=True))
    assert 'name="preview"' not in response.get_data(as_text=True)
    assert db_fingerprint() == before


def test_size_and_row_limits(app, client, auth, cast):
    auth.login(cast.ann)
    app.config["NETWORK_IMPORT_MAX_ROWS"] = 3
    try:
        rows = "name\n" + "".join(f"Person {i}\n" for i in range(4))
        response = upload(client, rows.encode())
        assert response.status_code == 422
        assert "more than 3 contacts" in response.get_data(as_text=True)
        vcards = "".join(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:P{i}\r\nEND:VCARD\r\n" for i in range(4)
        )
        assert "more than 3 contacts" in upload(client, vcards.encode(), "a.vcf").get_data(
            as_text=True
        )
    finally:
        app.config["NETWORK_IMPORT_MAX_ROWS"] = 1000
    big = b"name\n" + b"x" * (app.config["NETWORK_IMPORT_MAX_BYTES"] + 1)
    response = upload(client, big)
    assert response.status_code == 422
    assert "The file is larger than 512 KB" in response.get_data(as_text=True)
    assert queries.all_contacts(cast.ann.id) == []


def test_a_preview_is_its_owners_and_does_not_last(app, client, auth, cast):
    auth.login(cast.ann)
    token = preview_token(upload(client, CSV.encode()).get_data(as_text=True))
    auth.logout()
    auth.login(cast.bob)
    response = client.post("/network/import/confirm", data={"preview": token})
    assert response.status_code == 422
    assert "This preview is not valid" in response.get_data(as_text=True)
    forged = client.post("/network/import/confirm", data={"preview": token[:-3] + "abc"})
    assert forged.status_code == 422
    auth.logout()
    auth.login(cast.ann)
    later = datetime.now(UTC) + timedelta(minutes=app.config["NETWORK_IMPORT_PREVIEW_MINUTES"] + 1)
    with time_machine.travel(later, tick=False):
        response = client.post("/network/import/confirm", data={"preview": token})
    assert response.status_code == 422
    assert "This preview is too old" in response.get_data(as_text=True)
    assert queries.all_contacts(cast.ann.id) == queries.all_contacts(cast.bob.id) == []


def test_rows_are_planned_again_when_confirmed(client, auth, cast):
    """Someone added by hand between the preview and the confirmation is merged, not doubled."""
    auth.login(cast.ann)
    token = preview_token(upload(client, CSV.encode()).get_data(as_text=True))
    contact(cast.ann, "Emma", email="emma@example.org")
    client.post("/network/import/confirm", data={"preview": token})
    assert sorted(c.name for c in queries.all_contacts(cast.ann.id)) == ["Emma", "王伟"]


def test_the_vcard_export_names_every_tag_kind(cast):
    made = contact(cast.ann, "Wang Wei", skills="Go", industries="fintech", wishes="lead")
    text = exports.as_vcards([made])
    assert "X-REFERRAL-SKILL:Go" in text
    assert "X-REFERRAL-INDUSTRY:fintech" in text
    assert "X-REFERRAL-WISH:lead" in text
    assert imports.parse(text.encode()).rows[0][1].tags[TagKind.WISH] == ["lead"]
