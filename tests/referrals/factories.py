"""Referral factories: real resumes and `make_referral`, which goes through `submit_referral`."""

from __future__ import annotations

import io
import itertools
import zipfile
from typing import Any

from community.accounts.models import User
from community.jobs.models import Job, hard_requirements
from community.referrals.models import Referral
from community.referrals.services import ReferralSubmission, ResumeUpload, submit_referral
from tests.factories import make_job, make_user

_seq = itertools.count(1)

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
FIT_REASON = (
    "Led the payments migration at Acme and cut p99 latency by 40%; "
    "calm under pressure and explains trade-offs clearly to non-engineers."
)


def docx_bytes() -> bytes:
    """A minimal but real DOCX (a zip with word/document.xml)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Resume</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def submission_for(job: Job, **overrides: Any) -> ReferralSubmission:
    n = next(_seq)
    values: dict[str, Any] = {
        "candidate_name": f"Candidate {n}",
        "email": f"candidate{n}@example.org",
        "phone": None,
        "relationship": "former_colleague",
        "known_for": "3_5",
        "fit_reason": FIT_REASON,
        "consent": True,
        "hard_assessment": {req.key: "meets" for req in hard_requirements(job)},
        "soft_ratings": {trait: 4 for trait in job.soft_traits or []},
        "resume_url": None,
        "confirm_low_match": False,
    }
    values.update(overrides)
    return ReferralSubmission(**values)


def pdf_upload(name: str = "resume.pdf", content: bytes = PDF_BYTES) -> ResumeUpload:
    return ResumeUpload(io.BytesIO(content), name)


def make_referral(
    referrer: User | None = None,
    job: Job | None = None,
    resume: ResumeUpload | None = None,
    **overrides: Any,
) -> Referral:
    referrer = referrer or make_user()
    job = job or make_job()
    return submit_referral(referrer, job, submission_for(job, **overrides), resume or pdf_upload())


def form_data(job: Job, **overrides: Any) -> dict[str, Any]:
    """What a browser posts to /referrals/new/<job_id> (multipart)."""
    n = next(_seq)
    data: dict[str, Any] = {
        "candidate_name": f"Form Candidate {n}",
        "email": f"form{n}@example.org",
        "phone": "",
        "current_employer": "Acme",
        "current_title": "Senior Engineer",
        "relationship": "former_colleague",
        "known_for": "3_5",
        "fit_reason": FIT_REASON,
        "consent": "y",
        "resume_url": "",
        "resume": (io.BytesIO(PDF_BYTES), "resume.pdf"),
    }
    for i, _req in enumerate(hard_requirements(job)):
        data[f"hard_{i}"] = "meets"
    for i, _trait in enumerate(job.soft_traits or []):
        data[f"soft_{i}"] = "4"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
