"""The roles a person can have. Here in `core` because permissions are decided in one place and
that place imports no domain; `accounts` stores a role on every user."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    EMPLOYEE = "employee"
    MANAGER = "manager"
    HR = "hr"
