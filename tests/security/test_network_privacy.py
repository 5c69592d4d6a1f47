"""The private network is its owner's alone: from every other role (another employee, a manager,
the job's hiring manager, HR) no page, list, export, search, profile or notification shows one of
the referrer's contacts, and every URL naming one answers like a missing contact and changes
nothing."""

from __future__ import annotations

import pytest

from community.core.time import utcnow
from community.jobs import services as job_services
from community.network import services, suggestions
from community.network.services import CoachRequest
from tests.factories import make_job
from tests.security.conftest import Company, db_fingerprint, login, same_response
from tests.security.network_cases import referrers_contact
from tests.security.test_role_matrix import ANY_USER_GETS, CASES

SECRETS = ("Private Contact Pei", "pei.private@example.org", "Secret note about Pei")
OTHERS = ["employee", "manager", "hiring_manager", "hr"]


def _private_network(company: Company) -> int:
    """The referrer's contact, a message the coach drafted for them, and the referrer's
    suggestion notification for a job that opened."""
    contact_id = referrers_contact(company)
    services.coach(
        company.referrer,
        CoachRequest(job_id=company.job.id, contact_id=contact_id, reason="Pei knows Go"),
    )
    job = make_job(company.department, title="Go platform engineer", skills=["Go"])
    job_services.close_job(company.hr, job)
    job_services.open_job(company.hr, job)
    suggestions.scan_opened_jobs(utcnow())
    return contact_id


def _main(response) -> str:
    text = response.get_data(as_text=True)
    return text[text.index('<main class="container-xl') : text.index("</main>")]


def _shows_a_secret(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


@pytest.mark.parametrize("who", OTHERS)
def test_no_page_anyone_else_opens_shows_the_referrers_network(client, company, who) -> None:
    _private_network(company)
    login(client, company.user(who))
    paths = [path(company) for path in ANY_USER_GETS.values()]
    paths += [
        f"/people/{company.referrer.id}/profile",
        "/club/search?q=Pei",
        "/club/search?q=Private+Contact",
        "/network/suggestions",
        "/notifications/",
    ]
    if who == "hr":  # every HR page: the people directory, the queues, the exports
        paths += [case.path(company) for case in CASES if case.method == "GET"]
        paths += ["/people?q=Pei", "/payouts/export.csv"]
    leaks = []
    for path in paths:
        response = client.get(path, follow_redirects=True)
        found = _shows_a_secret(response.get_data().decode("utf-8", "replace"))
        if found:
            leaks.append(f"{path}: {found}")
    assert not leaks, "\n".join(leaks)


@pytest.mark.parametrize("who", OTHERS)
def test_every_url_naming_the_contact_answers_like_a_missing_one(client, company, who) -> None:
    contact_id = _private_network(company)
    login(client, company.user(who))
    before = db_fingerprint()
    missing = 987654
    requests = [
        ("GET", "/network/contacts/{}/edit", {}),
        ("POST", "/network/contacts/{}/edit", {"name": "Taken over", "closeness": "close"}),
        ("POST", "/network/contacts/{}/delete", {}),
        ("GET", "/network/coach?contact={}", {}),
        (
            "POST",
            "/network/coach",
            {"job_id": str(company.job.id), "action": "draft", "contact_id": "{}"},
        ),
    ]
    for method, path, data in requests:
        theirs_data = {k: v.format(contact_id) for k, v in data.items()}
        missing_data = {k: v.format(missing) for k, v in data.items()}
        theirs = client.open(path.format(contact_id), method=method, data=theirs_data)
        nothing = client.open(path.format(missing), method=method, data=missing_data)
        assert theirs.status_code == nothing.status_code == 404, (method, path)
        if "?" in path:  # the page echoes its query (the language switcher): compare the page
            assert _main(theirs) == _main(nothing), (method, path)
        else:
            assert same_response(theirs, nothing), (method, path)
        assert not _shows_a_secret(theirs.get_data(as_text=True))
    assert db_fingerprint() == before


@pytest.mark.parametrize("who", OTHERS)
def test_their_own_network_pages_and_exports_hold_only_their_own(client, company, who) -> None:
    _private_network(company)
    login(client, company.user(who))
    for path in (
        "/network/",
        "/network/export.csv",
        "/network/export.vcf",
        f"/network/suggestions/{company.job.id}",
        "/network/delete-all",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert not _shows_a_secret(response.get_data(as_text=True)), path
