"""The dashboard for each reader (tests/analytics/conftest.py's known company, Q3 2026): HR reads
the company, a manager their department (another one is a clear 403), an employee their own
numbers; htmx swaps the content only; bad filters are a 4xx with the message."""

from __future__ import annotations

import json
import re

from tests.analytics.conftest import Corpus
from tests.conftest import AuthActions

Q3 = "?period=custom&start=2026-07-01&end=2026-09-30"


def charts(html: str) -> dict[str, dict]:
    """The charts' JSON embedded in the page, by key."""
    specs = re.findall(r'<script type="application/json">(.*?)</script>', html, re.S)
    return {spec["key"]: spec for spec in map(json.loads, specs)}


def test_hr_reads_the_company_with_every_section(client, auth: AuthActions, corpus: Corpus) -> None:
    auth.login(corpus.hr)
    page = client.get(f"/analytics/{Q3}")
    assert page.status_code == 200, page.text[:2000]
    for key in ("funnel", "timing", "retention", "participation", "rewards", "quality"):
        assert f'data-testid="section-{key}"' in page.text
    assert "numbers for the whole company." in page.text
    assert "Numbers as of" in page.text
    funnel = charts(page.text)["funnel"]
    # Q3's cohort: five referrals submitted, four screened (r2 went straight to interview,
    # counted as screened), three interviewed, two offers... as the numbers helper counts them.
    assert funnel["labels"][0] == "Submitted"
    assert funnel["series"][0]["values"][0] == 5
    assert 'data-testid="table-funnel"' in page.text
    assert "<caption" in page.text
    assert "Emma One" in page.text  # quality by referrer: HR's


def test_a_manager_reads_their_own_department(client, auth: AuthActions, corpus: Corpus) -> None:
    auth.login(corpus.manager)
    page = client.get(f"/analytics/{Q3}")
    assert page.status_code == 200, page.text[:2000]
    assert "The referral numbers of your department, Engineering." in page.text
    assert 'data-testid="section-quality"' not in page.text
    assert "Emma One" not in page.text and "Fay Three" not in page.text
    # Engineering's jobs got r1, r2 and r3 in Q3.
    assert charts(page.text)["funnel"]["series"][0]["values"][0] == 3
    assert 'id="f-department"' not in page.text


def test_a_manager_asking_for_another_department_is_told_no(
    client, auth: AuthActions, corpus: Corpus
) -> None:
    auth.login(corpus.manager)
    page = client.get(f"/analytics/{Q3}&department={corpus.fin.id}")
    assert page.status_code == 403
    assert "You can see the numbers of your own department only." in page.text
    csv = client.get(f"/analytics/funnel.csv{Q3}&department={corpus.fin.id}")
    assert csv.status_code == 403


def test_an_employee_reads_their_own_numbers(client, auth: AuthActions, corpus: Corpus) -> None:
    auth.login(corpus.emp1)
    page = client.get(f"/analytics/{Q3}")
    assert page.status_code == 200, page.text[:2000]
    assert "Your own referrals" in page.text
    for key in ("funnel", "timing", "rewards"):
        assert f'data-testid="section-{key}"' in page.text
    for key in ("participation", "retention", "quality"):
        assert f'data-testid="section-{key}"' not in page.text
    assert "How long you waited to hear back" in page.text
    assert charts(page.text)["funnel"]["series"][0]["values"][0] == 2  # r1 and r2
    assert 'data-testid="findings"' not in page.text


def test_htmx_swaps_only_the_content(client, auth: AuthActions, corpus: Corpus) -> None:
    auth.login(corpus.hr)
    page = client.get(f"/analytics/{Q3}&family=finance", headers={"HX-Request": "true"})
    assert page.status_code == 200
    assert page.text.lstrip().startswith('<div id="analytics-content"')
    assert "<html" not in page.text and "analytics-filters" not in page.text
    assert charts(page.text)["funnel"]["series"][0]["values"][0] == 2  # r4 and r5
    assert "HX-Request" in page.headers.get("Vary", "")
    restore = client.get(
        f"/analytics/{Q3}", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.text


def test_bad_filters_are_refused_with_the_message(
    client, auth: AuthActions, corpus: Corpus
) -> None:
    auth.login(corpus.hr)
    cases = {
        "?period=custom&start=2026-13-01&end=2026-09-30": "Start date: please enter a date",
        "?period=custom&start=2026-09-30&end=2026-07-01": "The end date is before the start date.",
        "?period=custom&start=1999-01-01&end=1999-02-01": "cannot be before 2000",
        "?department=987654": "Department: unknown choice.",
        "?job=987654": "Job: unknown choice.",
        "?family=astrology": "Job family: unknown choice.",
        "?source=pigeon": "Source: unknown choice.",
        "?period=decade": "Period: unknown choice.",
    }
    for query, message in cases.items():
        page = client.get(f"/analytics/{query}")
        assert page.status_code == 400, query
        assert message in page.text, query
        htmx = client.get(f"/analytics/{query}", headers={"HX-Request": "true"})
        assert htmx.status_code == 400 and message in htmx.text


def test_an_employee_cannot_probe_a_draft_job_through_the_filter(
    client, auth: AuthActions, corpus: Corpus
) -> None:
    from community.jobs.models import JobStatus
    from tests.factories import make_job

    draft = make_job(corpus.eng, status=JobStatus.DRAFT, title="Secret Draft")
    auth.login(corpus.emp1)
    theirs = client.get(f"/analytics/?job={draft.id}")
    missing = client.get("/analytics/?job=987654")
    assert theirs.status_code == missing.status_code == 400
    assert "Secret Draft" not in theirs.text
    assert theirs.text.replace(f"job={draft.id}", "job=<id>").replace(
        f"job%3D{draft.id}", "job%3D<id>"
    ) == missing.text.replace("job=987654", "job=<id>").replace("job%3D987654", "job%3D<id>")


def test_the_page_says_how_fresh_its_numbers_are(client, auth: AuthActions, corpus: Corpus) -> None:
    auth.login(corpus.hr)
    page = client.get(f"/analytics/{Q3}")
    assert 'data-testid="freshness"' in page.text
    # The rollups ran at noon in Shanghai on 15 Oct 2026; the page shows the reader's zone.
    assert "Numbers as of" in page.text
