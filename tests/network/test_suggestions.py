"""Suggestions: which contacts may fit a job and why; when HR opens a job the worker tells each
owner how many of their contacts may fit (never which, never to anyone else), once per opening."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from community.core.time import utcnow
from community.extensions import db
from community.jobs import services as job_services
from community.jobs.models import JobFamily, JobStatus
from community.network import suggestions
from community.network.matching import fits_text
from community.network.models import SuggestionScan, TagKind
from community.network.rules import fold
from community.notifications.models import Notification
from community.notifications.queries import shown
from community.worker import duties
from tests.factories import make_job
from tests.network.conftest import contact


@pytest.mark.parametrize(
    ("tag", "item", "fits"),
    [
        ("Go", "Go", True),
        ("go", "Go microservices", True),
        ("Go", "Google Ads", False),
        ("Java", "JavaScript", False),
        ("c++", "C++ and Rust", True),
        ("支付", "支付系统设计", True),
        ("付", "支付系统设计", False),  # one Chinese character fits too much
        ("ＫＡＦＫＡ", "Kafka", True),  # full-width letters read as half-width
        ("", "Go", False),
    ],
)
def test_a_tag_fits_a_whole_word_or_a_chinese_phrase(tag, item, fits) -> None:
    assert fits_text(fold(tag), fold(item)) is fits


def test_the_owners_contacts_that_fit_come_with_their_reasons_best_first(cast) -> None:
    contact(cast.ann, "Acquaintance Ace", skills="Go, Kafka", closeness="acquaintance")
    contact(cast.ann, "Close Cleo", skills="Kafka", industries="支付", closeness="close")
    contact(cast.ann, "Wishful Will", wishes="backend")
    contact(cast.ann, "Designer Dee", skills="Figma", industries="retail")
    contact(cast.bob, "Bob's Go friend", skills="Go")
    found = suggestions.for_owner(cast.ann.id, cast.job, "en")
    assert [s.contact.name for s in found] == ["Acquaintance Ace", "Close Cleo", "Wishful Will"]
    assert [s.score for s in found] == [4, 3, 1]
    cleo = found[1]
    assert [(r.kind, r.tag, r.part) for r in cleo.reasons] == [
        (TagKind.SKILL, "Kafka", "skills"),
        (TagKind.INDUSTRY, "支付", "title"),
    ]
    assert found[2].reasons[0].item == "Payments backend engineer"


def test_the_job_page_lists_suggestions_with_reasons_and_a_link_into_the_coach(
    client, auth, cast
) -> None:
    cleo = contact(cast.ann, "Close Cleo", skills="Kafka", closeness="close")
    auth.login(cast.ann)
    job_page = client.get(f"/jobs/{cast.job.id}").get_data(as_text=True)
    assert f"/network/suggestions/{cast.job.id}" in job_page
    page = client.get(f"/network/suggestions/{cast.job.id}").get_data(as_text=True)
    assert "Close Cleo" in page
    assert "Skill “Kafka”: the job asks for Kafka." in page
    assert f"/network/coach?contact={cleo.id}&amp;job={cast.job.id}" in page
    overview = client.get("/network/suggestions").get_data(as_text=True)
    assert "Payments backend engineer" in overview and "1 contact" in overview


@pytest.mark.parametrize("status", [JobStatus.DRAFT, JobStatus.CLOSED])
def test_a_job_that_is_not_open_has_no_suggestions_page(client, auth, cast, status) -> None:
    job = make_job(status=status, title="Hidden job")
    auth.login(cast.ann)
    theirs = client.get(f"/network/suggestions/{job.id}")
    missing = client.get("/network/suggestions/987654")
    assert theirs.status_code == missing.status_code == 404
    assert "Hidden job" not in theirs.get_data(as_text=True)


def _notes(user) -> list[Notification]:
    return db.session.scalars(
        select(Notification).where(
            Notification.user_id == user.id, Notification.kind == "network_suggestions"
        )
    ).all()


def test_opening_a_job_tells_each_owner_how_many_of_their_contacts_may_fit(cast) -> None:
    contact(cast.ann, "Kafka Kai", skills="Kafka")
    contact(cast.ann, "Go Gao", skills="go")
    contact(cast.ann, "Sales Sun", industries="FMCG")
    contact(cast.bob, "Bob's Kafka friend", skills="KAFKA")
    contact(cast.cat, "Cat's designer", skills="Figma")
    job = make_job(
        title="流式平台工程师",
        title_en="Streaming engineer",
        status=JobStatus.DRAFT,
        skills=["Kafka", "Go"],
        family=JobFamily.ENGINEERING,
    )
    job_services.open_job(cast.hr, job)
    scan = db.session.scalars(select(SuggestionScan)).one()
    assert scan.job_id == job.id and scan.done_at is None
    assert _notes(cast.ann) == []  # the worker tells, not HR's click

    assert suggestions.scan_opened_jobs(utcnow()) == 1
    ann_note = _notes(cast.ann)
    assert len(ann_note) == 1
    assert ann_note[0].link == f"/network/suggestions/{job.id}"
    text = shown(ann_note[0]).text
    assert text == "2 of your contacts may fit Streaming engineer."
    assert "Kafka Kai" not in str(ann_note[0].params) and "Go Gao" not in str(ann_note[0].params)
    assert shown(_notes(cast.bob)[0]).text == "1 of your contacts may fit Streaming engineer."
    assert _notes(cast.cat) == [] and _notes(cast.hr) == []

    # Once per opening, however often the worker ticks; reopening is a new opening.
    assert suggestions.scan_opened_jobs(utcnow()) == 0
    assert len(_notes(cast.ann)) == 1
    job_services.close_job(cast.hr, job)
    with time_machine.travel(datetime.now(UTC) + timedelta(days=3), tick=False):
        job_services.open_job(cast.hr, job)
        duties.run_due()
    assert len(_notes(cast.ann)) == 2


def test_a_job_closed_before_the_worker_came_tells_nobody(cast) -> None:
    contact(cast.ann, "Kafka Kai", skills="Kafka")
    job = make_job(status=JobStatus.DRAFT, skills=["Kafka"])
    job_services.open_job(cast.hr, job)
    job_services.close_job(cast.hr, job)
    assert suggestions.scan_opened_jobs(utcnow()) == 1
    assert _notes(cast.ann) == []
    assert db.session.scalars(select(SuggestionScan)).one().done_at is not None


def test_a_worker_that_was_down_catches_up_on_its_first_tick(cast) -> None:
    contact(cast.ann, "Kafka Kai", skills="Kafka")
    start = datetime.now(UTC)
    with time_machine.travel(start, tick=False):
        job_services.create_job(
            cast.hr,
            job_services.JobFields(
                title="Kafka engineer",
                department_id=cast.job.department_id,
                location="Shanghai",
                skills="Kafka",
            ),
            open_now=True,
        )
    with time_machine.travel(start + timedelta(hours=6), tick=False):
        result = duties.run_due()
    assert result["network.suggest"] == 1
    assert [shown(n).text for n in _notes(cast.ann)] == [
        "1 of your contacts may fit Kafka engineer."
    ]


def test_the_notification_reads_in_the_owners_language(client, auth, cast) -> None:
    contact(cast.ann, "Kafka Kai", skills="Kafka")
    job = make_job(
        status=JobStatus.DRAFT,
        title="流式平台工程师",
        title_en="Streaming engineer",
        skills=["Kafka"],
    )
    job_services.open_job(cast.hr, job)
    suggestions.scan_opened_jobs(utcnow())
    auth.login(cast.ann)
    page = client.get("/notifications/").get_data(as_text=True)
    assert "1 of your contacts may fit Streaming engineer." in page
    client.post("/language", data={"locale": "zh_CN"})
    page = client.get("/notifications/").get_data(as_text=True)
    assert "流式平台工程师" in page
