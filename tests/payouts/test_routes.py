"""Section 1 pages: HR's payouts page (filters, one-by-one and bulk actions, CSV, overdue flag),
the referrer's own payouts, the referral page's exclusion line, and who may do what."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from community.accounts.models import Role
from community.core.time import local_today, utcnow
from community.extensions import db
from community.payouts import services
from community.payouts.models import Payout, PayoutStatus
from community.referrals.models import Stage
from tests.factories import make_department, make_job, make_user
from tests.payouts.factories import TO_HIRED
from tests.pipeline import walk
from tests.referrals.factories import make_referral


def hired_payout(hr, referrer=None, **referral_fields) -> Payout:
    referral = make_referral(referrer=referrer, **referral_fields)
    walk(referral, hr, *TO_HIRED)
    return db.session.scalars(select(Payout).where(Payout.referral_id == referral.id)).one()


def status_of(payout: Payout) -> PayoutStatus:
    db.session.expire_all()
    return db.session.get(Payout, payout.id).status


def listed(response) -> str:
    """The list part of the payouts page (the filters above it name every referrer)."""
    return response.text.split('id="payout-results"', 1)[1]


def test_hr_sees_the_page_and_filters_by_status_department_and_month(client, auth, hr):
    sales = make_department("Sales")
    first = hired_payout(hr, referrer=make_user(name="Rita Referrer", department=sales))
    second = hired_payout(hr, referrer=make_user(name="Oscar Other"))
    services.approve_payout(second, hr)
    auth.login(hr)
    page = client.get("/payouts/")
    assert page.status_code == 200
    assert "Rita Referrer" in listed(page) and "Oscar Other" in listed(page)
    assert "¥2,400.00" in page.text
    pending = listed(client.get("/payouts/?status=pending"))
    assert "Rita Referrer" in pending and "Oscar Other" not in pending
    by_department = listed(client.get(f"/payouts/?department={sales.id}"))
    assert "Rita Referrer" in by_department and "Oscar Other" not in by_department
    this_month = local_today().strftime("%Y-%m")
    assert "Rita Referrer" in listed(client.get(f"/payouts/?month={this_month}"))
    assert "Rita Referrer" not in listed(client.get("/payouts/?month=2001-01"))
    assert first.id  # (kept for readability)


def test_approve_then_mark_paid_with_plain_forms(client, auth, hr):
    payout = hired_payout(hr)
    auth.login(hr)
    response = client.post(f"/payouts/{payout.id}/approve")
    assert response.status_code == 302
    assert status_of(payout) == PayoutStatus.APPROVED
    response = client.post(
        f"/payouts/{payout.id}/pay",
        data={"paid_on": local_today().isoformat(), "payroll_reference": "PR-11"},
    )
    assert response.status_code == 302
    assert status_of(payout) == PayoutStatus.PAID


def test_htmx_action_returns_the_updated_row_and_a_toast(client, auth, hr):
    payout = hired_payout(hr)
    auth.login(hr)
    response = client.post(f"/payouts/{payout.id}/approve", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert f'id="payout-{payout.id}"' in response.text and "<html" not in response.text
    assert "toast" in response.headers["HX-Trigger"]


def test_illegal_moves_answer_4xx_with_the_reason_not_500(client, auth, hr):
    payout = hired_payout(hr)
    auth.login(hr)
    early = client.post(
        f"/payouts/{payout.id}/pay",
        data={"paid_on": local_today().isoformat(), "payroll_reference": "X"},
    )
    assert early.status_code == 409 and "Approve this payout before" in early.text
    no_reason = client.post(f"/payouts/{payout.id}/cancel", data={"reason": ""})
    assert no_reason.status_code == 422
    client.post(f"/payouts/{payout.id}/approve")
    again = client.post(f"/payouts/{payout.id}/approve", headers={"HX-Request": "true"})
    assert again.status_code == 409 and "already approved" in again.text
    future = client.post(
        f"/payouts/{payout.id}/pay",
        data={"paid_on": (local_today() + timedelta(days=3)).isoformat(), "payroll_reference": "X"},
    )
    assert future.status_code == 422
    assert client.post("/payouts/987654/approve").status_code == 404
    assert status_of(payout) == PayoutStatus.APPROVED


def test_cancel_with_a_reason_is_shown_to_the_referrer(client, auth, hr):
    referrer = make_user()
    payout = hired_payout(hr, referrer=referrer)
    auth.login(hr)
    client.post(f"/payouts/{payout.id}/cancel", data={"reason": "Paid outside the program"})
    assert status_of(payout) == PayoutStatus.CANCELLED
    auth.logout()
    auth.login(referrer)
    page = client.get("/payouts/mine").text
    assert "Paid outside the program" in page


def test_bulk_approve_and_pay_with_plain_form_and_htmx(client, auth, hr):
    payouts = [hired_payout(hr) for _ in range(3)]
    ids = [str(p.id) for p in payouts]
    auth.login(hr)
    response = client.post("/payouts/bulk", data={"payout_ids": ids[:2], "action": "approve"})
    assert response.status_code == 302
    assert [status_of(p) for p in payouts] == [
        PayoutStatus.APPROVED,
        PayoutStatus.APPROVED,
        PayoutStatus.PENDING,
    ]
    response = client.post(
        "/payouts/bulk?status=approved",
        data={
            "payout_ids": ids,
            "action": "pay",
            "paid_on": local_today().isoformat(),
            "payroll_reference": "BATCH-1",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert 'id="payout-results"' in response.text and "<html" not in response.text
    assert "2 payouts marked paid" in response.headers["HX-Trigger"]
    assert "skipped" in response.headers["HX-Trigger"]
    assert [status_of(p) for p in payouts] == [
        PayoutStatus.PAID,
        PayoutStatus.PAID,
        PayoutStatus.PENDING,
    ]
    nothing = client.post("/payouts/bulk", data={"action": "approve"})
    assert nothing.status_code == 422
    for unusable in ("2147483648", "99999999999999999999", "²", "-1"):
        absurd = client.post("/payouts/bulk", data={"payout_ids": unusable, "action": "approve"})
        assert absurd.status_code == 422, unusable
        assert "Please tick at least one payout." in absurd.text
    no_reference = client.post(
        "/payouts/bulk", data={"payout_ids": ids[2:], "action": "pay", "paid_on": "2026-01-01"}
    )
    assert no_reference.status_code == 422


def test_csv_export_is_utf8_with_bom_and_exact_decimal_amounts(client, auth, hr):
    referrer = make_user(name="李雷")
    referral = make_referral(referrer=referrer, job=make_job(bonus_minor=10001, title="后端工程师"))
    walk(referral, hr, *TO_HIRED)
    auth.login(hr)
    response = client.get("/payouts/export.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.data
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header, row = rows[0], rows[1]
    assert header[8] == "Amount"
    assert row[1] == "李雷" and row[5] == "后端工程师"
    assert row[8] == "30.00" and row[9] == "CNY"  # 30% of 100.01, rounded down, as a decimal


def test_csv_cells_never_start_a_formula(client, auth, hr):
    hired_payout(hr, referrer=make_user(name="=HYPERLINK(1)"))
    auth.login(hr)
    body = client.get("/payouts/export.csv").data.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in body


def test_a_long_pending_payout_is_flagged(client, auth, hr, app):
    payout = hired_payout(hr)
    auth.login(hr)
    assert 'data-testid="payout-overdue"' not in client.get("/payouts/").text
    late = db.session.get(Payout, payout.id)
    late.created_at = utcnow() - timedelta(days=15)
    late.due_on = late.created_at.date()  # the hire started the day it was confirmed
    db.session.commit()
    assert 'data-testid="payout-overdue"' in client.get("/payouts/").text
    app.config["PAYOUT_OVERDUE_DAYS"] = 30
    try:
        assert 'data-testid="payout-overdue"' not in client.get("/payouts/").text
    finally:
        app.config["PAYOUT_OVERDUE_DAYS"] = 14


def test_the_referrer_sees_only_their_own_payouts_with_the_next_step(client, auth, hr):
    referrer = make_user()
    mine = hired_payout(hr, referrer=referrer, candidate_name="My Candidate Ma")
    hired_payout(hr, candidate_name="Someone Elses Candidate")
    services.approve_payout(mine, hr)
    auth.login(referrer)
    page = client.get("/payouts/mine")
    assert page.status_code == 200
    assert "My Candidate Ma" in page.text and "Someone Elses Candidate" not in page.text
    assert "It will be paid with the next payroll" in page.text
    assert "¥2,400.00" in page.text


def test_the_nav_links_to_my_payouts_and_hr_gets_the_payouts_page(client, auth, hr):
    auth.login(make_user())
    home = client.get("/jobs/").text
    assert 'href="/payouts/mine"' in home and 'href="/payouts/"' not in home
    auth.logout()
    auth.login(hr)
    assert 'href="/payouts/"' in client.get("/jobs/").text


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.MANAGER])
def test_only_hr_approves_pays_cancels_or_exports(client, auth, hr, role):
    payout = hired_payout(hr)
    auth.login(make_user(role=role))
    assert client.get("/payouts/").status_code == 403
    assert client.get("/payouts/export.csv").status_code == 403
    assert client.post(f"/payouts/{payout.id}/approve").status_code == 403
    assert client.post(f"/payouts/{payout.id}/cancel", data={"reason": "x"}).status_code == 403
    assert (
        client.post("/payouts/bulk", data={"payout_ids": [payout.id], "action": "approve"})
    ).status_code == 403
    assert status_of(payout) == PayoutStatus.PENDING


def test_even_the_referrer_cannot_approve_their_own_payout(client, auth, hr):
    referrer = make_user()
    payout = hired_payout(hr, referrer=referrer)
    auth.login(referrer)
    assert client.post(f"/payouts/{payout.id}/approve").status_code == 403
    assert status_of(payout) == PayoutStatus.PENDING


def test_a_post_without_csrf_token_is_refused(client, auth, hr):
    payout = hired_payout(hr)
    auth.login(hr)
    response = client.post(f"/payouts/{payout.id}/approve", csrf=False)
    assert response.status_code == 400
    assert status_of(payout) == PayoutStatus.PENDING


def test_the_referral_page_says_why_an_excluded_referrer_gets_no_bonus(client, auth, hr):
    manager = make_user(role=Role.MANAGER)
    referral = make_referral(referrer=manager, job=make_job(hiring_manager_id=manager.id))
    walk(referral, hr, *TO_HIRED)
    auth.login(manager)
    page = client.get(f"/referrals/{referral.id}").text
    assert "the hiring manager of a job earns no bonus" in page
    assert client.get("/payouts/mine").text.count('data-testid="my-payout"') == 0
    auth.logout()
    auth.login(hr)
    assert (
        "the hiring manager of a job earns no bonus" in client.get(f"/referrals/{referral.id}").text
    )


def test_the_referral_page_links_to_the_payouts(client, auth, hr):
    referrer = make_user()
    referral = make_referral(referrer=referrer)
    walk(referral, hr, Stage.SCREENING)
    auth.login(referrer)
    assert 'href="/payouts/mine"' in client.get(f"/referrals/{referral.id}").text


def test_a_refused_plain_form_renders_the_list_with_its_pager(client, auth, hr, app):
    """Issue 11 §8: the refused action of a plain form (no htmx) renders the list, whose pager
    used to build its links from the POST endpoint and answer 500."""
    app.config["ITEMS_PER_PAGE"], per_page = 1, app.config["ITEMS_PER_PAGE"]
    try:
        payout, _other = hired_payout(hr), hired_payout(hr)
        auth.login(hr)
        assert client.post(f"/payouts/{payout.id}/approve").status_code == 302
        again = client.post(f"/payouts/{payout.id}/approve")
        assert again.status_code == 409 and "already approved" in again.text
        assert "page=2" in again.text
    finally:
        app.config["ITEMS_PER_PAGE"] = per_page


# Issue 11 §21: filters, a stated order, sortable columns, kept by the pager and the actions ----


def order_of(response, payouts: list[Payout]) -> list[int]:
    """The ids of `payouts` in the order the page lists them."""
    text = listed(response)
    found = {p.id: text.find(f'id="payout-{p.id}"') for p in payouts}
    assert all(index >= 0 for index in found.values()), found
    return sorted(found, key=found.__getitem__)


@pytest.fixture
def three_payouts(hr):
    """Three pending payouts: amounts 3,000 / 9,000 / 6,000 (30% of the bonus), due on three
    days, referrers named so that names, amounts and due dates each sort differently."""
    made = []
    for name, bonus, days_ago in [
        ("Cara", 1_000_000, 2),
        ("Abe", 3_000_000, 10),
        ("Bo", 2_000_000, 5),
    ]:
        payout = hired_payout(hr, referrer=make_user(name=name), job=make_job(bonus_minor=bonus))
        payout.created_at = utcnow() - timedelta(days=days_ago)
        payout.due_on = local_today() - timedelta(days=days_ago)
        made.append(payout)
    db.session.commit()
    return made


def test_the_payouts_list_states_its_default_order_and_follows_it(client, auth, hr, three_payouts):
    cara, abe, bo = three_payouts
    services.approve_payout(abe, hr)
    auth.login(hr)
    page = client.get("/payouts/")
    assert "Sorted by status, pending approval first" in page.text
    assert "(the default order)" in page.text
    # Pending first (Bo due before Cara), then the approved one.
    assert order_of(page, three_payouts) == [bo.id, cara.id, abe.id]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sort=amount", ["Abe", "Bo", "Cara"]),  # largest first, the amount's own direction
        ("sort=amount&dir=asc", ["Cara", "Bo", "Abe"]),
        ("sort=due", ["Abe", "Bo", "Cara"]),  # earliest due first
        ("sort=due&dir=desc", ["Cara", "Bo", "Abe"]),
        ("sort=referrer", ["Abe", "Bo", "Cara"]),
        ("sort=referrer&dir=desc", ["Cara", "Bo", "Abe"]),
    ],
)
def test_hr_sorts_payouts_by_a_column(client, auth, hr, three_payouts, query, expected):
    by_name = {p.referrer.name: p.id for p in three_payouts}
    auth.login(hr)
    page = client.get(f"/payouts/?{query}")
    assert page.status_code == 200
    assert order_of(page, three_payouts) == [by_name[name] for name in expected]
    assert "Back to the default order" in page.text


@pytest.mark.parametrize(
    "query",
    [
        "sort=cancel_reason",
        "sort=amount&dir=up",
        "sort=%00",
        "sort=due;drop",
        "month=2026-13",
        "month=garbage",
        "referrer=abc",
        "referrer=99999999999999999999",
        "department=-1",
        "status=lost",
    ],
)
def test_unusable_sorts_and_filters_show_the_default_list(client, auth, hr, three_payouts, query):
    auth.login(hr)
    page = client.get(f"/payouts/?{query}")
    assert page.status_code in (200, 400)  # a NUL byte is refused in one place (§4)
    if page.status_code == 200:
        assert len(order_of(page, three_payouts)) == 3


def test_hr_filters_payouts_by_referrer_and_month_due(client, auth, hr, three_payouts):
    cara, abe, _bo = three_payouts
    auth.login(hr)
    mine = listed(client.get(f"/payouts/?referrer={cara.referrer_id}"))
    assert f'id="payout-{cara.id}"' in mine and f'id="payout-{abe.id}"' not in mine
    abe.due_on = local_today() - timedelta(days=80)  # (a hire whose start date was then)
    db.session.commit()
    page = client.get("/payouts/")
    month = abe.due_on.strftime("%Y-%m")
    # The month filter offers the months that have payouts, not a free-text placeholder.
    assert f'<option value="{month}"' in page.text and 'placeholder="2026-11"' not in page.text
    in_month = listed(client.get(f"/payouts/?month={month}"))
    assert f'id="payout-{abe.id}"' in in_month and f'id="payout-{cara.id}"' not in in_month


def test_the_due_column_month_and_sort_read_the_due_date_not_the_day_hr_clicked(
    client, auth, hr, three_payouts
):
    """A probation share is written when probation passes but may have fallen due earlier, and
    a hire's share falls due on the start date, which may be next month: the HR list shows and
    filters by the same due date as My payouts."""
    cara, abe, bo = three_payouts
    later = local_today().replace(day=1) + timedelta(days=40)  # some day next month
    cara.due_on = later
    db.session.commit()
    auth.login(hr)
    next_month = listed(client.get(f"/payouts/?month={later.strftime('%Y-%m')}"))
    assert f'id="payout-{cara.id}"' in next_month and f'id="payout-{abe.id}"' not in next_month
    this_month = listed(client.get(f"/payouts/?month={local_today().strftime('%Y-%m')}"))
    assert f'id="payout-{cara.id}"' not in this_month
    by_due = client.get("/payouts/?sort=due&dir=desc")
    assert order_of(by_due, three_payouts)[0] == cara.id


def test_the_pager_and_the_actions_keep_filters_and_sort(client, auth, hr, app, three_payouts):
    app.config["ITEMS_PER_PAGE"], per_page = 1, app.config["ITEMS_PER_PAGE"]
    try:
        auth.login(hr)
        page = client.get("/payouts/?status=pending&sort=amount&dir=asc")
        assert "status=pending&amp;sort=amount&amp;dir=asc&amp;page=2" in page.text
        second = client.get("/payouts/?status=pending&sort=amount&dir=asc&page=2")
        bo = three_payouts[2]
        assert f'id="payout-{bo.id}"' in listed(second)  # the middle amount on page 2
        approved = client.post(f"/payouts/{bo.id}/approve?status=pending&sort=amount&dir=asc")
        assert approved.headers["Location"] == "/payouts/?status=pending&sort=amount&dir=asc"
    finally:
        app.config["ITEMS_PER_PAGE"] = per_page


def test_the_csv_follows_the_lists_filters_and_order(client, auth, hr, three_payouts):
    auth.login(hr)
    rows = list(
        csv.reader(io.StringIO(client.get("/payouts/export.csv?sort=amount").text.lstrip("\ufeff")))
    )
    assert [row[1] for row in rows[1:]] == ["Abe", "Bo", "Cara"]


def test_a_long_cancel_reason_is_kept_whole_for_the_reader(client, auth, hr, three_payouts):
    reason = "Budget review " * 40
    services.cancel_payout(three_payouts[0], hr, reason)
    auth.login(hr)
    text = listed(client.get("/payouts/"))
    assert (
        'class="small text-body-secondary cell-text cell-clamp" title="Cancelled by HR. Reason: Budget review'
        in text
    )
    assert 'data-testid="person-link"' in text  # the referrer's name links to their profile
