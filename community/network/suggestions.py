"""Suggesting one's own contacts for a job: on demand (a job's page, the suggestions page) for
the reader's own network, and when a job opens, for everyone's, on the worker.

A job that opens (`JobOpened`) leaves a `SuggestionScan` in HR's transaction (nothing slower:
opening a job stays quick however large the networks are). The duty `network.suggest` matches
each pending scan against every network: the distinct tags of the house are matched once
(`matching.fitting_keys`), then the contacts with a fitting tag are counted per owner, and
`NetworkSuggestionsFound` tells each owner how many of their contacts may fit, never which. The
scan is re-read under its row lock and marked done in the same transaction, so a scan is told
once however many workers tick; a job reopened later is a new scan. A job closed again before
the worker came is skipped."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select, tuple_

from community import events
from community.core.transaction import insert_once
from community.extensions import db
from community.jobs.models import Job, JobStatus
from community.network import queries
from community.network.matching import Suggestion, fitting_keys, suggest
from community.network.models import NetworkTag, SuggestionScan, TagKind

logger = logging.getLogger(__name__)
CHUNK = 500  # (kind, key) pairs per IN (…) of the count


def request_scan(job_id: int, opened_at: datetime) -> None:
    """Leave a job that opened at `opened_at` for the worker to match (once per opening), in
    the caller's transaction."""
    insert_once(
        SuggestionScan,
        {"job_id": job_id, "opened_at": opened_at, "requested_at": opened_at},
        ["job_id", "opened_at"],
    )


def job_opened(event: events.JobOpened) -> None:
    """Listener: a job opened; the worker will match it."""
    request_scan(event.job_id, event.at)


def for_owner(owner_id: int, job: Job, reader: str | None = None) -> list[Suggestion]:
    """The owner's contacts who may fit `job`, with reasons, best first."""
    return suggest(job, queries.all_contacts(owner_id), reader)


def counts_by_owner(job: Job) -> dict[int, int]:
    """How many contacts of each person may fit `job` (persons with none left out)."""
    pairs = [
        (TagKind(kind), key)
        for kind, key in db.session.execute(select(NetworkTag.kind, NetworkTag.key).distinct())
    ]
    fitting = sorted(fitting_keys(job, pairs))
    found: dict[int, set[int]] = {}
    for start in range(0, len(fitting), CHUNK):
        chunk = fitting[start : start + CHUNK]
        rows = db.session.execute(
            select(NetworkTag.owner_id, NetworkTag.contact_id).where(
                tuple_(NetworkTag.kind, NetworkTag.key).in_(chunk)
            )
        )
        for owner_id, contact_id in rows:
            found.setdefault(owner_id, set()).add(contact_id)
    return {owner_id: len(contacts) for owner_id, contacts in found.items()}


def _locked(scan_id: int) -> SuggestionScan:
    return db.session.scalars(
        select(SuggestionScan).where(SuggestionScan.id == scan_id).with_for_update()
    ).one()


def scan_opened_jobs(now: datetime) -> int:
    """The duty: match every pending scan and tell the owners; how many scans were done."""
    pending = db.session.scalars(
        select(SuggestionScan.id)
        .where(SuggestionScan.done_at.is_(None), SuggestionScan.requested_at <= now)
        .order_by(SuggestionScan.id)
    ).all()
    done = 0
    for scan_id in pending:
        try:  # one scan that fails never holds up the others
            scan = _locked(scan_id)
            if scan.done_at is None:
                job = db.session.get(Job, scan.job_id)
                counts = (
                    counts_by_owner(job) if job is not None and job.status == JobStatus.OPEN else {}
                )
                scan.done_at = now
                scan.owners_told = len(counts)
                if counts:
                    events.publish(
                        events.NetworkSuggestionsFound(
                            job_id=job.id,
                            title=job.title,
                            title_en=job.title_en,
                            found=tuple(sorted(counts.items())),
                            at=now,
                        )
                    )
                done += 1
            db.session.commit()
        except Exception:
            db.session.rollback()
            logger.exception("network: scan %s failed; the next tick tries again", scan_id)
    return done
