"""A column type for Python enums stored by value, identical on SQLite and PostgreSQL."""

from __future__ import annotations

import enum

from community.extensions import db


def enum_column(enum_cls: type[enum.Enum], length: int = 20) -> db.Enum:
    return db.Enum(
        enum_cls,
        native_enum=False,
        length=length,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )
