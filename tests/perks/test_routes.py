"""Perk pages: the shop (plain POST and htmx), HR's perks with picture upload, HR's redemptions,
the picture route and "My points". Who may, who may not, and bad input (4xx, nothing written)."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from community.accounts.models import Role, User
from community.extensions import db
from community.perks import services
from community.perks.models import Perk, Redemption, RedemptionStatus
from community.points import queries as points_queries
from community.points.services import adjust_points
from tests.factories import make_user
from tests.perks.factories import JPEG_BYTES, WEBP_BYTES, give_points, make_perk, png_bytes
from tests.security.conftest import db_fingerprint


def login(client, user: User) -> None:
    client.post("/logout")
    assert (
        client.post("/login", data={"email": user.email, "password": "password123"}).status_code
        == 302
    )


def perk_form(**overrides: object) -> dict[str, object]:
    form: dict[str, object] = {
        "name_en": "Health check-up package",
        "name_zh": "体检套餐",
        "description_en": "A full check-up at a partner clinic.",
        "description_zh": "合作体检机构的全面体检。",
        "cost_points": "500",
        "stock": "10",
        "limit_per_year": "1",
        "requires_approval": "y",
        "active": "y",
    }
    form.update(overrides)
    return form


def count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


# The shop ------------------------------------------------------------------------------------


def test_the_shop_shows_perks_balance_and_what_is_missing(client, employee: User) -> None:
    make_perk(name_en="Company merchandise", name_zh="公司周边", cost_points=50, stock=4)
    make_perk(name_en="Team dinner", cost_points=300)
    make_perk(name_en="Retired perk", active=False)
    give_points(employee, 120)
    login(client, employee)
    page = client.get("/perks/")
    assert page.status_code == 200
    text = page.text
    assert "Company merchandise" in text and "Team dinner" in text
    assert "Retired perk" not in text
    assert "120 points" in text
    assert "4 left" in text
    assert "You need 180 more points." in text


def test_the_shop_speaks_the_readers_language(client) -> None:
    person = make_user(locale="zh_CN")
    make_perk(name_en="Company merchandise", name_zh="公司周边")
    login(client, person)
    text = client.get("/perks/").text
    assert "公司周边" in text
    assert "Company merchandise" not in text


def test_redeeming_with_a_plain_form_redirects_back_with_a_message(client, employee: User) -> None:
    perk = make_perk(cost_points=100)
    give_points(employee, 150)
    login(client, employee)
    response = client.post(f"/perks/{perk.id}/redeem", follow_redirects=True)
    assert response.status_code == 200
    assert "Your points are reserved" in response.text
    assert points_queries.balance(employee) == 50
    (redemption,) = db.session.scalars(select(Redemption))
    assert redemption.status == RedemptionStatus.PENDING
    assert "Waiting for approval" in response.text  # in "My redemptions"


def test_redeeming_with_htmx_swaps_the_shop_and_toasts(client, employee: User) -> None:
    perk = make_perk(cost_points=100, requires_approval=False)
    give_points(employee, 100)
    login(client, employee)
    response = client.post(f"/perks/{perk.id}/redeem", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="shop"')
    assert "It is yours" in response.headers["HX-Trigger"]
    assert "Fulfilled" in response.text


@pytest.mark.parametrize(
    ("perk_fields", "points", "message", "status"),
    [
        ({"cost_points": 100}, 99, "You need 1 more point", 422),
        ({"stock": 0}, 500, "out of stock", 409),
        ({"active": False}, 500, "not offered any more", 404),
    ],
)
def test_a_refused_redemption_says_why_and_writes_nothing(
    client, employee: User, perk_fields: dict, points: int, message: str, status: int
) -> None:
    perk = make_perk(**perk_fields)
    give_points(employee, points)
    login(client, employee)
    before = db_fingerprint()
    response = client.post(f"/perks/{perk.id}/redeem")
    assert response.status_code == status
    assert message in response.text
    htmx = client.post(f"/perks/{perk.id}/redeem", headers={"HX-Request": "true"})
    assert htmx.status_code == status
    assert message in htmx.headers["HX-Trigger"]
    assert db_fingerprint() == before


def test_over_the_yearly_limit_is_refused(client, employee: User) -> None:
    perk = make_perk(cost_points=10, limit_per_year=1, requires_approval=False)
    give_points(employee, 100)
    login(client, employee)
    assert client.post(f"/perks/{perk.id}/redeem").status_code == 302
    assert "reached this year" in client.get("/perks/").text
    response = client.post(f"/perks/{perk.id}/redeem")
    assert response.status_code == 409
    assert "reached the limit" in response.text
    assert points_queries.balance(employee) == 90


def test_nobody_sees_another_persons_redemptions_or_points(client, employee: User, hr) -> None:
    perk = make_perk(name_en="Learning budget", cost_points=10)
    give_points(employee, 10)
    redemption = services.redeem(employee, perk.id)
    services.reject_redemption(hr, redemption.id, "Budget frozen for Q4")
    adjust_points(hr, employee, 5, "Secret thanks for the meetup")
    other = make_user()
    login(client, other)
    shop = client.get("/perks/").text
    assert "Learning budget" not in shop.split('id="my-redemptions"')[1]
    mine = client.get("/points/").text
    assert "Budget frozen" not in mine and "Secret thanks" not in mine
    assert client.get(f"/points/?user_id={employee.id}").text.count("Secret thanks") == 0


# The picture ---------------------------------------------------------------------------------


def test_hr_uploads_a_picture_and_employees_see_it_with_the_right_headers(client, hr) -> None:
    login(client, hr)
    response = client.post(
        "/perks/new",
        data=perk_form(picture=(io.BytesIO(png_bytes()), "photo.jpg")),  # name lies; content wins
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    perk = db.session.scalars(select(Perk)).one()
    assert perk.picture_mimetype == "image/png"
    assert perk.picture_file.endswith(".png")
    login(client, make_user())
    picture = client.get(f"/perks/{perk.id}/picture")
    assert picture.status_code == 200
    assert picture.mimetype == "image/png"
    assert picture.data == png_bytes()
    assert picture.headers["Cache-Control"] == "private, max-age=86400"
    assert picture.headers["X-Content-Type-Options"] == "nosniff"
    client.post("/logout")
    assert client.get(f"/perks/{perk.id}/picture").status_code == 302  # login first


@pytest.mark.parametrize(
    ("content", "mimetype"), [(JPEG_BYTES, "image/jpeg"), (WEBP_BYTES, "image/webp")]
)
def test_jpeg_and_webp_pictures_are_accepted(client, hr, content: bytes, mimetype: str) -> None:
    perk = make_perk()
    login(client, hr)
    response = client.post(
        f"/perks/{perk.id}/edit",
        data=perk_form(picture=(io.BytesIO(content), "pic.png")),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert client.get(f"/perks/{perk.id}/picture").mimetype == mimetype


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "must be a PNG, JPEG or WebP"),
        (b"GIF89a" + b"\x00" * 20, "must be a PNG, JPEG or WebP"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * (2 * 1024 * 1024), "too large"),
    ],
)
def test_a_bad_picture_is_refused_and_nothing_is_written(client, hr, content, message) -> None:
    login(client, hr)
    before = db_fingerprint()
    response = client.post(
        "/perks/new",
        data=perk_form(picture=(io.BytesIO(content), "picture.png")),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert message in response.text
    assert db_fingerprint() == before


# HR's perks ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"cost_points": "-5"}, "The cost must be a whole number"),
        ({"cost_points": "0"}, "Enter the cost in points"),
        ({"cost_points": "abc"}, "Enter the cost in points"),
        ({"stock": "-1"}, "The stock cannot be negative"),
        ({"name_zh": ""}, "name in Chinese"),
    ],
)
def test_bad_perk_input_is_refused_with_a_message(client, hr, overrides, message) -> None:
    login(client, hr)
    response = client.post("/perks/new", data=perk_form(**overrides))
    assert response.status_code == 422
    assert message in response.text
    assert count(Perk) == 0


def test_hr_creates_edits_and_deactivates_perks(client, hr) -> None:
    login(client, hr)
    assert client.post("/perks/new", data=perk_form()).status_code == 302
    perk = db.session.scalars(select(Perk)).one()
    assert (perk.name_zh, perk.cost_points, perk.stock, perk.limit_per_year) == (
        "体检套餐",
        500,
        10,
        1,
    )
    assert "Health check-up package" in client.get("/perks/manage").text
    edit = client.post(f"/perks/{perk.id}/edit", data=perk_form(cost_points="450", stock=""))
    assert edit.status_code == 302
    db.session.expire_all()
    assert (perk.cost_points, perk.stock) == (450, None)
    toggled = client.post(f"/perks/{perk.id}/deactivate", headers={"HX-Request": "true"})
    assert toggled.status_code == 200
    assert "Activate" in toggled.text
    db.session.expire_all()
    assert perk.active is False
    assert client.get(f"/perks/{perk.id}/picture").status_code == 404  # no picture yet


def test_an_inactive_perks_picture_is_hidden_from_employees(client, hr, employee) -> None:
    login(client, hr)
    client.post(
        "/perks/new",
        data=perk_form(active="", picture=(io.BytesIO(png_bytes()), "p.png")),
        content_type="multipart/form-data",
    )
    perk = db.session.scalars(select(Perk)).one()
    assert client.get(f"/perks/{perk.id}/picture").status_code == 200  # HR previews it
    login(client, employee)
    assert client.get(f"/perks/{perk.id}/picture").status_code == 404


# HR's redemptions ----------------------------------------------------------------------------


def _pending(employee: User, **perk_fields: object) -> Redemption:
    perk = make_perk(cost_points=100, **perk_fields)
    give_points(employee, 100)
    return services.redeem(employee, perk.id)


def test_hr_filters_and_approves_one_redemption_with_htmx(client, hr, employee) -> None:
    redemption = _pending(employee)
    login(client, hr)
    page = client.get("/perks/redemptions?status=pending")
    assert "Evan Employee" in page.text
    assert "Evan Employee" not in client.get("/perks/redemptions?status=rejected").text
    response = client.post(
        f"/perks/redemptions/{redemption.id}/approve?status=pending",
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<tbody id="redemption-{redemption.id}"')
    assert "Fulfilled" in response.text
    db.session.expire_all()
    assert redemption.status == RedemptionStatus.FULFILLED


def test_hr_rejects_with_a_reason_and_the_employee_sees_it(client, hr, employee) -> None:
    redemption = _pending(employee, name_en="Team dinner")
    login(client, hr)
    response = client.post(
        f"/perks/redemptions/{redemption.id}/reject", data={"reason": "Restaurant closed"}
    )
    assert response.status_code == 302
    assert points_queries.balance(employee) == 100
    login(client, employee)
    shop = client.get("/perks/").text
    assert "Rejected: Restaurant closed. Your points are back." in shop
    history = client.get("/points/").text
    assert "Refund: HR rejected your redemption of Team dinner" in history
    assert "Restaurant closed" in history
    assert "Redeemed Team dinner" in history


def test_rejecting_without_a_reason_is_refused(client, hr, employee) -> None:
    redemption = _pending(employee)
    login(client, hr)
    before = db_fingerprint()
    plain = client.post(f"/perks/redemptions/{redemption.id}/reject", data={"reason": " "})
    assert plain.status_code == 422
    assert "Please give a reason" in plain.text
    htmx = client.post(
        f"/perks/redemptions/{redemption.id}/reject",
        data={"reason": ""},
        headers={"HX-Request": "true"},
    )
    assert htmx.status_code == 422
    assert "Please give a reason" in htmx.text
    assert db_fingerprint() == before


def test_deciding_twice_is_a_conflict(client, hr, employee) -> None:
    redemption = _pending(employee)
    login(client, hr)
    client.post(f"/perks/redemptions/{redemption.id}/approve")
    again = client.post(f"/perks/redemptions/{redemption.id}/reject", data={"reason": "Oops"})
    assert again.status_code == 409
    assert "already decided" in again.text
    assert client.post("/perks/redemptions/98765/approve").status_code == 404


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER])
def test_only_hr_reaches_the_hr_pages(client, employee, role: Role) -> None:
    redemption = _pending(employee)
    login(client, make_user(role=role))
    before = db_fingerprint()
    assert client.get("/perks/manage").status_code == 403
    assert client.get("/perks/redemptions").status_code == 403
    assert client.post("/perks/new", data=perk_form()).status_code == 403
    assert client.post(f"/perks/redemptions/{redemption.id}/approve").status_code == 403
    assert (
        client.post(f"/perks/redemptions/{redemption.id}/reject", data={"reason": "x"}).status_code
        == 403
    )
    assert db_fingerprint() == before


# My points -----------------------------------------------------------------------------------


def test_my_points_shows_score_balance_and_causes_newest_first(client, hr, employee) -> None:
    from community.referrals.models import Stage
    from community.referrals.services import advance_stage
    from tests.referrals.factories import make_referral

    referral = make_referral(employee, candidate_name="Lin Wei")
    advance_stage(referral, Stage.SCREENING, hr, expected_from=referral.stage)  # 10 points
    adjust_points(hr, employee, 200, "Spoke at the hiring fair")
    perk = make_perk(name_en="Company merchandise", cost_points=50, requires_approval=False)
    services.redeem(employee, perk.id)
    login(client, employee)
    page = client.get("/points/")
    text = page.text
    assert page.status_code == 200
    assert 'data-testid="score">210<' in text
    assert 'data-testid="balance">160<' in text
    assert text.index("Redeemed Company merchandise") < text.index("Spoke at the hiring fair")
    assert text.index("Spoke at the hiring fair") < text.index("Lin Wei")
    assert "Adjusted by Hana HR (HR)" in text
    assert "-50" in text and "+200" in text


def test_my_points_is_paginated(client, app, employee) -> None:
    app.config["ITEMS_PER_PAGE"] = 3
    try:
        for _ in range(7):
            give_points(employee, 1)
        login(client, employee)
        first = client.get("/points/")
        assert first.text.count('data-testid="points-entry"') == 3
        assert 'aria-current="page">1</a>' in first.text and "?page=3" in first.text
        last = client.get("/points/?page=3")
        assert last.text.count('data-testid="points-entry"') == 1
    finally:
        app.config["ITEMS_PER_PAGE"] = 25


def test_a_plain_form_that_loses_the_race_sees_who_decided(client, hr, employee, app) -> None:
    """Issue 11 §8: with more than one page of redemptions, the refused decision of a plain form
    (no htmx) used to build the pager's links from the POST endpoint and answer 500."""
    app.config["ITEMS_PER_PAGE"], per_page = 1, app.config["ITEMS_PER_PAGE"]
    try:
        first, _second = _pending(employee), _pending(employee)
        login(client, hr)
        assert client.post(f"/perks/redemptions/{first.id}/approve").status_code == 302
        again = client.post(f"/perks/redemptions/{first.id}/approve")
        assert again.status_code == 409
        assert f"already decided by {hr.shown_name}" in again.text
        assert "/perks/redemptions?" in again.text and "page=2" in again.text  # the pager
    finally:
        app.config["ITEMS_PER_PAGE"] = per_page


# Issue 11 §21: the redemptions list filters, states its order and sorts ---------------------------


def _redemptions_of_three(hr: User) -> dict[str, Redemption]:
    """Three people in two departments redeem three perks, a day apart (oldest first)."""
    from datetime import timedelta

    from community.core.time import utcnow
    from tests.factories import make_department

    sales = make_department("Sales")
    made = {}
    for days_ago, (name, perk_name, cost, department) in zip(
        (3, 2, 1),
        [
            ("Ann", "Cinema tickets", 300, sales),
            ("Cy", "Annual leave", 100, None),
            ("Bea", "Books", 200, sales),
        ],
        strict=True,
    ):
        person = make_user(name=name, **({"department": department} if department else {}))
        perk = make_perk(name_en=perk_name, cost_points=cost)
        give_points(person, cost)
        redemption = services.redeem(person, perk.id)
        redemption.created_at = utcnow() - timedelta(days=days_ago)
        made[name] = redemption
    db.session.commit()
    return made


def _order(text: str, made: dict[str, Redemption]) -> list[str]:
    found = {name: text.find(f'id="redemption-{r.id}"') for name, r in made.items()}
    return [name for name in sorted(found, key=found.__getitem__) if found[name] >= 0]


def test_redemptions_are_newest_first_and_pending_ones_oldest_first(client, hr) -> None:
    made = _redemptions_of_three(hr)
    login(client, hr)
    everything = client.get("/perks/redemptions").text
    assert _order(everything, made) == ["Bea", "Cy", "Ann"]
    assert "Sorted by redeemed, newest first (the default order)." in everything
    pending = client.get("/perks/redemptions?status=pending").text
    assert _order(pending, made) == ["Ann", "Cy", "Bea"]
    assert "Sorted by redeemed, oldest first (the default order)." in pending


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sort=points", ["Ann", "Bea", "Cy"]),
        ("sort=points&dir=asc", ["Cy", "Bea", "Ann"]),
        ("sort=employee", ["Ann", "Bea", "Cy"]),
        ("sort=perk", ["Cy", "Bea", "Ann"]),  # Annual leave, Books, Cinema tickets
        ("sort=nonsense&dir=asc", ["Bea", "Cy", "Ann"]),  # unknown: the default
    ],
)
def test_hr_sorts_redemptions_by_a_column(client, hr, query, expected) -> None:
    made = _redemptions_of_three(hr)
    login(client, hr)
    response = client.get(f"/perks/redemptions?{query}")
    assert response.status_code == 200
    assert _order(response.text, made) == expected


def test_hr_filters_redemptions_by_perk_and_department(client, hr) -> None:
    made = _redemptions_of_three(hr)
    login(client, hr)
    by_perk = client.get(f"/perks/redemptions?perk={made['Cy'].perk_id}").text
    assert _order(by_perk, made) == ["Cy"]
    sales = made["Ann"].user.department_id
    by_department = client.get(f"/perks/redemptions?department={sales}&sort=employee").text
    assert _order(by_department, made) == ["Ann", "Bea"]
    unusable = client.get("/perks/redemptions?perk=abc&department=99999999999999999999")
    assert unusable.status_code == 200 and len(_order(unusable.text, made)) == 3
    assert 'data-testid="person-link"' in by_perk  # the name links to the profile


def test_the_redemptions_pager_and_decisions_keep_filters_and_sort(client, hr, app) -> None:
    made = _redemptions_of_three(hr)
    app.config["ITEMS_PER_PAGE"], per_page = 1, app.config["ITEMS_PER_PAGE"]
    try:
        login(client, hr)
        page = client.get("/perks/redemptions?status=pending&sort=points")
        assert "status=pending&amp;sort=points&amp;dir=desc&amp;page=2" in page.text
        second = client.get("/perks/redemptions?status=pending&sort=points&dir=desc&page=2")
        assert _order(second.text, made) == ["Bea"]
        approved = client.post(
            f"/perks/redemptions/{made['Bea'].id}/approve?status=pending&sort=points&dir=desc"
        )
        assert approved.headers["Location"] == (
            "/perks/redemptions?status=pending&sort=points&dir=desc"
        )
    finally:
        app.config["ITEMS_PER_PAGE"] = per_page
