"""The employees' pages: "My links" is one's own (links, QR codes, counts, switches), HR's list
of codes is HR's, and the referrer adds their reason to an application afterwards."""

from __future__ import annotations

from sqlalchemy import select

from community.accounts.models import Role
from community.extensions import db
from community.jobs.models import JobStatus
from community.links import services
from community.links.models import PersonalLink, ReferralCode
from community.referrals import services as referral_services
from community.referrals.models import Referral, ReferralSource, Relationship
from tests.factories import make_job, make_user
from tests.links.factories import apply_data
from tests.referrals.factories import FIT_REASON, make_referral, pdf_upload


def test_my_links_shows_my_code_my_links_and_their_counts(client, auth):
    me = make_user(name="王小明")
    job = make_job(title="Data engineer")
    closed = make_job(title="Closed role", status=JobStatus.CLOSED)
    auth.login(me)
    page = client.get("/links/mine")
    assert page.status_code == 200
    code = db.session.scalars(select(ReferralCode)).one()
    assert code.user_id == me.id
    assert f"{code.code[:4]}-{code.code[4:]}" in page.text
    assert f"/r/{code.code}/{job.id}" in page.text and f"/r/{code.code}" in page.text
    assert "Closed role" not in page.text and f"/{closed.id}" not in page.text.split("job-links")[1]
    assert f"/links/mine/qr/{job.id}" in page.text

    client.post("/logout")
    client.environ_base["REMOTE_ADDR"] = "198.51.100.3"
    client.get(f"/r/{code.code}/{job.id}")
    client.post(f"/r/{code.code}/{job.id}", data=apply_data(), content_type="multipart/form-data")
    auth.login(me)
    page = client.get("/links/mine")
    row = page.text.split(f'id="job-{job.id}"')[1].split("</li>")[0]
    assert "1 visitor" in row and "1 application" in row


def test_the_qr_code_is_an_svg_of_my_link(client, auth):
    me = make_user()
    job = make_job()
    auth.login(me)
    qr = client.get(f"/links/mine/qr/{job.id}")
    assert qr.status_code == 200
    assert qr.mimetype == "image/svg+xml" and qr.data.startswith(b"<?xml")
    download = client.get("/links/mine/qr?download=1")
    assert "attachment" in download.headers["Content-Disposition"]
    assert client.get(f"/links/mine/qr/{make_job(status=JobStatus.DRAFT).id}").status_code == 404


def test_i_switch_my_link_off_and_candidates_see_it_no_more(client, auth):
    me = make_user()
    job = make_job()
    auth.login(me)
    response = client.post(f"/links/mine/jobs/{job.id}", data={"on": "0"})
    assert response.status_code == 303
    code = db.session.scalars(select(ReferralCode)).one()
    client.post("/logout")
    assert client.get(f"/r/{code.code}/{job.id}").status_code == 404
    auth.login(me)
    client.post(f"/links/mine/jobs/{job.id}", data={"on": "1"})
    client.post("/logout")
    assert client.get(f"/r/{code.code}/{job.id}").status_code == 200


def test_i_switch_my_whole_code_off(client, auth):
    me = make_user()
    auth.login(me)
    client.post("/links/mine/code", data={"on": "0"})
    code = db.session.scalars(select(ReferralCode)).one()
    assert not code.active
    page = client.get("/links/mine")
    assert "Your code is switched off" in page.text


def test_a_switch_without_a_clear_on_or_off_is_refused(client, auth):
    auth.login(make_user())
    job = make_job()
    assert client.post(f"/links/mine/jobs/{job.id}", data={"on": "maybe"}).status_code == 400
    assert client.post("/links/mine/code").status_code == 400
    assert db.session.scalars(select(PersonalLink)).first() is None


def test_my_links_are_mine_alone(client, auth):
    """No URL of "My links" names another person: each shows and switches the reader's own."""
    other = make_user()
    theirs = services.code_of(other)
    me = make_user()
    auth.login(me)
    page = client.get("/links/mine")
    assert theirs.code not in page.text
    client.post("/links/mine/code", data={"on": "0"})
    db.session.refresh(theirs)
    assert theirs.active


def test_hr_switches_off_a_misused_code_and_the_owner_cannot_undo_it(client, auth):
    hr = make_user(role=Role.HR)
    owner = make_user(name="Spammy Sam")
    code = services.code_of(owner)
    auth.login(hr)
    profile = client.get(f"/people/{owner.id}/profile")
    assert f"/links/hr?q={owner.email}" in profile.text
    page = client.get("/links/hr", query_string={"q": "spammy"})
    assert "Spammy Sam" in page.text
    client.post(f"/links/hr/codes/{code.id}", data={"on": "0", "q": "spammy"})
    db.session.refresh(code)
    assert not code.active and code.off_by_hr
    auth.logout()
    auth.login(owner)
    response = client.post("/links/mine/code", data={"on": "1"}, follow_redirects=True)
    assert "HR switched this link off" in response.text
    db.session.refresh(code)
    assert not code.active
    assert "Switched off by HR" in client.get("/links/mine").text


def test_hr_finds_a_code_by_the_code_itself_and_switches_a_job_link(client, auth):
    hr = make_user(role=Role.HR)
    code = services.code_of(make_user(name="Owner Olga"))
    link = services.link_for(code, make_job(title="Quiet job"))
    db.session.commit()
    auth.login(hr)
    page = client.get("/links/hr", query_string={"q": code.code.lower()})
    assert "Owner Olga" in page.text and "Quiet job" in page.text
    client.post(f"/links/hr/links/{link.id}", data={"on": "0"})
    db.session.refresh(link)
    assert not link.active and link.off_by_hr


def test_hr_pages_are_hr_only(client, auth):
    code = services.code_of(make_user())
    auth.login(make_user(role=Role.MANAGER))
    assert client.get("/links/hr").status_code == 403
    assert client.post(f"/links/hr/codes/{code.id}", data={"on": "0"}).status_code == 403
    db.session.refresh(code)
    assert code.active


# The referrer's own reason, afterwards ------------------------------------------------------


def _application(referrer, job):
    return referral_services.submit_application(
        referrer,
        job,
        referral_services.Application(
            name="Self Applicant", email="self.app@example.org", consent=True, resume=pdf_upload()
        ),
        ReferralSource.LINK,
    )


def test_the_referrer_adds_their_reason_on_the_referral_page(client, auth):
    me = make_user()
    referral = _application(me, make_job())
    auth.login(me)
    page = client.get(f"/referrals/{referral.id}")
    assert 'data-testid="own-reason-form"' in page.text
    short = client.post(
        f"/referrals/{referral.id}/reason",
        data={"relationship": "classmate", "known_for": "3_5", "fit_reason": "good"},
    )
    assert short.status_code == 422
    done = client.post(
        f"/referrals/{referral.id}/reason",
        data={"relationship": "classmate", "known_for": "3_5", "fit_reason": FIT_REASON},
    )
    assert done.status_code == 303
    db.session.refresh(referral)
    assert referral.relationship_kind == Relationship.CLASSMATE
    assert referral.fit_reason == FIT_REASON
    assert 'data-testid="own-reason-form"' not in client.get(f"/referrals/{referral.id}").text


def test_only_the_referrer_adds_a_reason(client, auth):
    me = make_user()
    job = make_job()
    referral = _application(me, job)
    data = {"relationship": "classmate", "known_for": "3_5", "fit_reason": FIT_REASON}
    auth.login(make_user(role=Role.HR))
    assert client.post(f"/referrals/{referral.id}/reason", data=data).status_code == 403
    auth.logout()
    auth.login(make_user())
    assert client.post(f"/referrals/{referral.id}/reason", data=data).status_code == 404
    db.session.refresh(referral)
    assert referral.fit_reason == ""
    form_referral = make_referral(me, job)
    auth.logout()
    auth.login(me)
    assert "own-reason-form" not in client.get(f"/referrals/{form_referral.id}").text
    other_reason = {**data, "fit_reason": FIT_REASON + " Written again."}
    client.post(f"/referrals/{form_referral.id}/reason", data=other_reason)
    assert db.session.get(Referral, form_referral.id).fit_reason == FIT_REASON
