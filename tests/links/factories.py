"""Links factories: a referrer's code and what a candidate's browser posts to a job page."""

from __future__ import annotations

import io
import itertools
from typing import Any

from community.accounts.models import User
from community.links import services
from community.links.models import ReferralCode
from tests.factories import make_user
from tests.referrals.factories import PDF_BYTES

_seq = itertools.count(1)


def make_code(user: User | None = None) -> ReferralCode:
    return services.code_of(user or make_user(name="王小明"))


def apply_data(**overrides: Any) -> dict[str, Any]:
    """What the application form posts (multipart)."""
    n = next(_seq)
    data: dict[str, Any] = {
        "name": f"Applicant {n}",
        "email": f"applicant{n}@example.org",
        "phone": "",
        "current_employer": "Acme",
        "current_title": "Engineer",
        "resume_url": "",
        "consent": "y",
        "website": "",
        "resume": (io.BytesIO(PDF_BYTES), "cv.pdf"),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
