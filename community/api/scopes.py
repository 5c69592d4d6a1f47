"""The scopes a token may carry: one word per kind of data, read or write."""

from __future__ import annotations

import enum

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


class Scope(enum.StrEnum):
    JOBS_READ = "jobs:read"
    REFERRALS_READ = "referrals:read"
    REFERRALS_WRITE = "referrals:write"
    CANDIDATES_READ = "candidates:read"
    PAYOUTS_READ = "payouts:read"
    PEOPLE_READ = "people:read"


def scope_description(scope: Scope) -> LazyString:
    """What a scope lets an integration do, in the reader's language (HR's token form)."""
    return {
        Scope.JOBS_READ: _l("Read jobs: titles, departments, status and bonus."),
        Scope.REFERRALS_READ: _l(
            "Read referrals and their stage history (without the candidate's contact details)."
        ),
        Scope.REFERRALS_WRITE: _l(
            "Move referrals through the stages, as you, with the same rules as the review page."
        ),
        Scope.CANDIDATES_READ: _l(
            "Add the candidate's name, e-mail and phone to the referrals it reads."
        ),
        Scope.PAYOUTS_READ: _l("Read bonus payouts: amounts, stages and status."),
        Scope.PEOPLE_READ: _l("Read the staff directory: names and departments only."),
    }[scope]
