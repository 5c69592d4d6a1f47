"""Abuse: rate limits per visitor and per link, visitors counted once a day without keeping an
address, and nothing in Redis or the database that could name a visitor."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import select

from community.core.time import utcnow
from community.extensions import db, redis_store
from community.links.models import PersonalLink, ReferralCode
from community.referrals.models import Referral
from tests.factories import make_job, make_user
from tests.links.factories import apply_data, make_code


def _visit(client, path: str, address: str):
    client.environ_base["REMOTE_ADDR"] = address
    return client.get(path)


def _redis_text() -> str:
    client = redis_store.client
    return " ".join(f"{key} {client.dump(key)!r}" for key in client.scan_iter("*"))


def test_visitors_are_counted_once_a_day_each(client):
    code = make_code()
    job = make_job()
    path = f"/r/{code.code}/{job.id}"
    _visit(client, path, "203.0.113.7")
    _visit(client, path, "203.0.113.7")
    _visit(client, path, "198.51.100.2")
    _visit(client, f"/r/{code.code}", "203.0.113.7")
    link = db.session.scalars(select(PersonalLink)).one()
    assert link.clicks == 2
    db.session.refresh(code)
    assert code.clicks == 1
    with time_machine.travel(utcnow() + timedelta(days=1), tick=False):
        _visit(client, path, "203.0.113.7")
    db.session.refresh(link)
    assert link.clicks == 3


def test_no_address_is_kept_anywhere(client):
    code = make_code()
    job = make_job()
    _visit(client, f"/r/{code.code}/{job.id}", "203.0.113.77")
    client.post(f"/r/{code.code}/{job.id}", data=apply_data(), content_type="multipart/form-data")
    assert db.session.scalars(select(Referral)).one()
    assert "203.0.113.77" not in _redis_text()  # neither the counts nor the limiter's keys
    from tests.security.conftest import db_fingerprint

    assert "203.0.113.77" not in db_fingerprint()


def test_the_referrers_own_visits_are_not_counted(client, auth):
    code = make_code()
    job = make_job()
    auth.login(code.user)
    assert client.get(f"/r/{code.code}/{job.id}").status_code == 200
    assert db.session.scalars(select(PersonalLink)).first() is None


def test_a_visitor_applying_too_often_is_slowed_down(client, limits):
    limits["LINKS_APPLY_RATE_LIMIT"] = "2 per hour"
    code = make_code()
    job = make_job()
    path = f"/r/{code.code}/{job.id}"
    statuses = [
        client.post(
            path, data=apply_data(consent=None), content_type="multipart/form-data"
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [422, 422, 429]
    # Another visitor is not held up by the first.
    client.environ_base["REMOTE_ADDR"] = "198.51.100.9"
    ok = client.post(path, data=apply_data(), content_type="multipart/form-data")
    assert ok.status_code == 302


def test_a_link_takes_only_so_many_applications_whoever_sends_them(client, limits):
    limits["LINKS_PER_LINK_RATE_LIMIT"] = "2 per hour"
    code = make_code()
    job = make_job()
    other = make_job()
    path = f"/r/{code.code}/{job.id}"
    statuses = []
    for n in range(3):
        client.environ_base["REMOTE_ADDR"] = f"198.51.100.{n + 1}"
        statuses.append(
            client.post(path, data=apply_data(), content_type="multipart/form-data").status_code
        )
    assert statuses == [302, 302, 429]
    assert len(db.session.scalars(select(Referral)).all()) == 2
    # The same referrer's link for another job is another link.
    fine = client.post(
        f"/r/{code.code}/{other.id}", data=apply_data(), content_type="multipart/form-data"
    )
    assert fine.status_code == 302


def test_guessing_codes_is_slowed_down_but_working_links_are_not(client, limits):
    limits["LINKS_LOOKUP_RATE_LIMIT"] = "3 per hour"
    code = make_code()
    for guess in ("AAAA2222", "AAAA3333", "AAAA4444"):
        assert client.get(f"/r/{guess}").status_code == 404
    assert client.get("/r/AAAA5555").status_code == 429
    assert client.get("/careers?code=AAAA6666").status_code == 429
    client.environ_base["REMOTE_ADDR"] = "198.51.100.50"
    for _ in range(5):  # hits do not count
        assert client.get(f"/r/{code.code}").status_code == 200


def test_a_switched_off_code_is_refused_however_it_is_reached(client):
    code = make_code()
    job = make_job()
    from community.links import services

    services.switch_code(code.user, code, False)
    assert client.get(f"/r/{code.code}").status_code == 404
    assert client.get(f"/r/{code.code}/{job.id}").status_code == 404
    assert client.get(f"/careers?code={code.code}").status_code == 404
    post = client.post(
        f"/r/{code.code}/{job.id}", data=apply_data(), content_type="multipart/form-data"
    )
    assert post.status_code == 404
    assert db.session.scalars(select(Referral)).first() is None
    assert db.session.get(ReferralCode, code.id).clicks == 0


def test_an_ineligible_department_has_no_working_link(client, hr):
    from community.program.queries import current_rules

    code = make_code(make_user())
    job = make_job()
    rules = current_rules()
    rules.all_departments_eligible = False
    rules.eligible_department_ids = []
    db.session.add(rules)
    db.session.commit()
    assert client.get(f"/r/{code.code}").status_code == 404
    assert client.get(f"/r/{code.code}/{job.id}").status_code == 404


def test_the_salt_is_read_once_a_day_and_changes_with_the_day():
    from datetime import date

    from community.links import counting

    today = date(2026, 12, 4)
    first = counting.visitor_hash("203.0.113.7", today)
    # Another process (no copy of the salt yet) hashes the same visitor the same way today...
    counting.forget_salts()
    assert counting.visitor_hash("203.0.113.7", today) == first
    # ...and this process reads the salt from Redis once a day, not once a visit.
    redis_store.client.delete(counting.salt_key(today))
    assert counting.visitor_hash("203.0.113.7", today) == first
    # A new day is a new salt: yesterday's hash no longer ties to the address.
    assert counting.visitor_hash("203.0.113.7", date(2026, 12, 5)) != first
    assert "203.0.113.7" not in _redis_text()
