"""Perk pictures: HR's own, or the illustration drawn for the perk's kind; never a grey box. The
illustrations are this app's own SVG files, one per kind, all of one size and palette."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from sqlalchemy import select

from community.accounts.models import Role, User
from community.extensions import db
from community.perks import pictures
from community.perks.labels import category_labels
from community.perks.models import Perk, PerkCategory
from tests.factories import make_user
from tests.perks.factories import make_perk, png_bytes
from tests.perks.test_routes import login, perk_form

STATIC = Path(__file__).resolve().parents[2] / "static"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def hr() -> User:
    return make_user(role=Role.HR, locale="en")


@pytest.mark.parametrize("category", list(PerkCategory))
def test_every_kind_has_an_illustration_of_the_shop_s_shape(category: PerkCategory) -> None:
    path = STATIC / pictures.illustration(Perk(category=category))
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 480 270"  # 16:9, like the cards' picture frame
    text = path.read_text(encoding="utf-8")
    # Drawn here: no script, no embedded raster, no outside reference, no words to translate.
    assert not re.search(r"<script|<image|<text|href=\"http|xlink:href", text)
    assert len(root) > 5


def test_illustrations_are_distinct(app) -> None:
    contents = {
        (STATIC / pictures.illustration(Perk(category=c))).read_bytes() for c in PerkCategory
    }
    assert len(contents) == len(PerkCategory)


def test_a_perk_without_a_picture_shows_its_kind_s_illustration(client, employee: User) -> None:
    make_perk(name_en="Extra day of annual leave", category=PerkCategory.TIME_OFF)
    make_perk(name_en="Mystery box")  # no kind chosen: "other", a gift
    login(client, employee)
    page = client.get("/perks/").get_data(as_text=True)
    assert 'src="/static/img/perks/time_off.svg' in page
    assert 'src="/static/img/perks/other.svg' in page
    assert "perk-placeholder" not in page and 'bi-gift"></i></div>' not in page
    assert client.get("/static/img/perks/time_off.svg").status_code == 200


def test_an_uploaded_picture_wins_over_the_illustration(client, employee: User) -> None:
    perk = make_perk(category=PerkCategory.HEALTH)
    perk.picture_file = pictures.store_picture(pictures.check_picture(io.BytesIO(png_bytes())))
    perk.picture_mimetype = "image/png"
    db.session.commit()
    login(client, employee)
    page = client.get("/perks/").get_data(as_text=True)
    assert f"/perks/{perk.id}/picture" in page
    assert "health.svg" not in page


def test_hr_chooses_the_kind_of_a_perk(client, hr: User) -> None:
    login(client, hr)
    form = client.get("/perks/new").get_data(as_text=True)
    for label in ("Time off", "Health", "Learning", "Food and drink"):
        assert label in form
    response = client.post("/perks/new", data=perk_form(category="health"))
    assert response.status_code == 302
    perk = db.session.scalars(select(Perk)).one()
    assert perk.category == PerkCategory.HEALTH
    edit = client.get(f"/perks/{perk.id}/edit").get_data(as_text=True)
    assert re.search(r'<option selected value="health">|<option value="health" selected>', edit)
    assert "img/perks/health.svg" in edit


def test_an_unknown_kind_is_refused(client, hr: User) -> None:
    login(client, hr)
    response = client.post("/perks/new", data=perk_form(category="yacht"))
    assert response.status_code == 422
    assert db.session.scalars(select(Perk)).first() is None


def test_only_hr_chooses_a_kind(client, employee: User) -> None:
    perk = make_perk(category=PerkCategory.FOOD)
    login(client, employee)
    response = client.post(f"/perks/{perk.id}/edit", data=perk_form(category="health"))
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Perk, perk.id).category == PerkCategory.FOOD


def test_every_kind_is_named_in_both_languages(app) -> None:
    from flask_babel import force_locale

    for locale in ("en", "zh_CN"):
        with app.test_request_context(), force_locale(locale):
            labels = category_labels()
            assert set(labels) == set(PerkCategory)
            assert len(set(labels.values())) == len(labels)
