"""Reading an API request's query string and JSON body: every problem is collected and refused
at once as a 422 naming each field, before anything is read or written."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from flask import request
from flask_babel import gettext as _
from flask_babel import ngettext

from community.api.errors import ApiError
from community.core.errors import BAD_INPUT
from community.core.params import MAX_ID, parse_int

E = TypeVar("E", bound=enum.Enum)

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_TEXT = 4000


class InvalidInput(ApiError):
    """Several fields refused at once: `fields` maps each to its message."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__(
            _("Some of what you sent is not valid: see fields."), status=BAD_INPUT, code="invalid"
        )
        self.fields = fields


class Reader:
    """Collects values and problems from a mapping (query string or JSON object)."""

    def __init__(self, values: Any, allowed: Iterable[str]) -> None:
        self.values = values
        self.problems: dict[str, str] = {}
        for name in values:
            if name not in allowed:
                self.problems[name] = _("Unknown parameter.")

    def _raw(self, name: str) -> Any:
        value = self.values.get(name)
        return None if value in (None, "") else value

    def text(self, name: str, *, required: bool = False, limit: int = MAX_TEXT) -> str | None:
        value = self._raw(name)
        if value is None:
            if required:
                self.problems[name] = _("This field is required.")
            return None
        if not isinstance(value, str):
            self.problems[name] = _("Must be a string.")
            return None
        if len(value) > limit:
            self.problems[name] = ngettext(
                "Must be %(num)d character or fewer.", "Must be %(num)d characters or fewer.", limit
            )
            return None
        if "\x00" in value:
            self.problems[name] = _("Must not contain a null byte.")
            return None
        return value

    def choice(self, name: str, kind: type[E], *, required: bool = False) -> E | None:
        value = self.text(name, required=required, limit=64)
        if value is None:
            return None
        try:
            return kind(value)
        except ValueError:
            allowed = ", ".join(str(member.value) for member in kind)
            self.problems[name] = _("Must be one of: %(values)s.", values=allowed)
            return None

    def number(self, name: str, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
        value = self._raw(name)
        if value is None:
            return None
        parsed = value if isinstance(value, int) and not isinstance(value, bool) else None
        parsed = (
            parsed
            if parsed is not None
            else parse_int(str(value), minimum=minimum, maximum=maximum)
        )
        if parsed is None or not minimum <= parsed <= maximum:
            self.problems[name] = _(
                "Must be a whole number from %(min)d to %(max)d.", min=minimum, max=maximum
            )
            return None
        return parsed

    def moment(self, name: str) -> datetime | None:
        """An ISO 8601 time; without a zone it is read as UTC. Returned as naive UTC."""
        value = self.text(name, limit=40)
        if value is None:
            return None
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is None or not 2000 <= parsed.year <= 2100:
            self.problems[name] = _("Must be a time like 2026-12-01T08:00:00Z.")
            return None
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(UTC).replace(tzinfo=None)
        return parsed

    def day(self, name: str) -> date | None:
        value = self.text(name, limit=10)
        if value is None:
            return None
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is None or len(value) != 10:
            self.problems[name] = _("Must be a date like 2026-12-01.")
            return None
        return parsed

    def page(self) -> tuple[int | None, int]:
        """The cursor (the last id of the page before) and the page size."""
        cursor = self.number("cursor", minimum=0)
        limit = self.number("limit", minimum=1, maximum=MAX_LIMIT) or DEFAULT_LIMIT
        return cursor, limit

    def done(self) -> None:
        """Refuse the request (422) if anything was wrong."""
        if self.problems:
            raise InvalidInput(dict(sorted(self.problems.items())))


PAGE_PARAMS = ("cursor", "limit")


def query(*allowed: str) -> Reader:
    """A reader of the query string that knows `allowed` and the page parameters."""
    return Reader(request.args, (*allowed, *PAGE_PARAMS))


def json_body(*allowed: str) -> Reader:
    """A reader of the JSON object in the body (anything else is refused at once)."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput({"body": _("Send a JSON object with Content-Type: application/json.")})
    return Reader(body, allowed)
