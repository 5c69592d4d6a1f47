"""Switching links off and on: the owner their own, HR any, and HR's switch-off for good."""

from __future__ import annotations

import pytest

from community.accounts.models import Role
from community.extensions import db
from community.links import queries, services
from tests.factories import make_job, make_user
from tests.links.factories import make_code


def test_the_owner_switches_a_job_link_off_and_on():
    code = make_code()
    job = make_job()
    link = services.switch_link(code.user, code, job, False)
    assert (link.active, link.off_by_hr) == (False, False)
    assert queries.linked_job(code, job.id) is None
    assert job not in queries.open_jobs_of(code)
    services.switch_link(code.user, code, job, True)
    assert queries.linked_job(code, job.id) == job


def test_someone_else_may_not_switch_a_link():
    code = make_code()
    with pytest.raises(services.LinkError) as refused:
        services.switch_code(make_user(), code, False)
    assert refused.value.status == 403
    assert code.active


def test_what_hr_switched_off_only_hr_switches_on():
    hr = make_user(role=Role.HR)
    code = make_code()
    job = make_job()
    services.switch_code(hr, code, False)
    services.switch_link(hr, code, job, False)
    assert code.off_by_hr
    with pytest.raises(services.LinkError) as refused:
        services.switch_code(code.user, code, True)
    assert refused.value.status == 409
    with pytest.raises(services.LinkError):
        services.switch_link(code.user, code, job, True)
    assert not code.active
    services.switch_code(hr, code, True)
    assert code.active and not code.off_by_hr


def test_a_switched_off_code_has_no_working_link():
    code = make_code()
    job = make_job()
    services.switch_code(code.user, code, False)
    assert queries.active_code(code.code) is None
    # The owner may switch it on again: it was their own switch.
    services.switch_code(code.user, code, True)
    assert queries.linked_job(code, job.id) == job


def test_a_new_code_stops_the_old_code_and_its_links_and_keeps_the_counts(client, auth):
    code = make_code()
    job = make_job()
    link = services.link_for(code, job)
    link.clicks = 7
    db.session.commit()
    old = code.code
    auth.login(code.user)
    response = client.post("/links/mine/code/renew")
    assert response.status_code == 303
    page = client.get("/links/mine")
    assert "You have a new code." in page.text and code.code in page.text
    assert code.code != old and code.active
    assert queries.active_code(old) is None
    assert client.get(f"/r/{old}/{job.id}").status_code == 404
    assert client.get(f"/r/{code.code}/{job.id}").status_code == 200
    assert queries.linked_job(code, job.id) == job and link.clicks == 7


def test_only_the_owner_renews_and_not_while_hr_has_it_off():
    hr = make_user(role=Role.HR)
    code = make_code()
    old = code.code
    with pytest.raises(services.LinkError) as refused:
        services.renew_code(hr, code)
    assert refused.value.status == 403
    services.switch_code(hr, code, False)
    with pytest.raises(services.LinkError) as refused:
        services.renew_code(code.user, code)
    assert refused.value.status == 409
    assert code.code == old and not code.active
