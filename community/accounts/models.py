"""Departments and users."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from community.core.emails import email_key, email_key_of_inserted_row
from community.core.enums import enum_column
from community.core.roles import Role
from community.core.time import utcnow
from community.extensions import db


class Department(db.Model):
    """A department. `name` is its Chinese name (or its only one), `name_en` its English name;
    readers see theirs (`community.core.localized`)."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    name_en: Mapped[str | None] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="department")

    def __repr__(self) -> str:
        return f"<Department {self.name}>"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # The address's identity for comparisons (core.emails.email_key), kept with `email`.
    email_key: Mapped[str] = mapped_column(
        String(254), index=True, default=email_key_of_inserted_row
    )
    name: Mapped[str] = mapped_column(String(120))
    display_name: Mapped[str | None] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        enum_column(Role),
        default=Role.EMPLOYEE,
    )
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    locale: Mapped[str | None] = mapped_column(String(10))
    leaderboard_opt_out: Mapped[bool] = mapped_column(default=False)
    is_active_account: Mapped[bool] = mapped_column(default=True)
    deactivated_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Part of the session cookie's user id; raising it ends every session of this user.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Whom this person reports to (an active colleague, never themselves, never in a loop).
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    department: Mapped[Department | None] = relationship(back_populates="users")
    manager: Mapped[User | None] = relationship(remote_side=[id], foreign_keys=[manager_id])

    @validates("email")
    def _keep_email_key(self, _key: str, value: str) -> str:
        self.email_key = email_key(value) or ""
        return value

    # Flask-Login: a deactivated user cannot log in and loses any live session.
    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.is_active_account

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def end_sessions(self) -> None:
        """Log this user out everywhere: cookies carrying the old version no longer load them."""
        self.session_version = (self.session_version or 0) + 1

    @property
    def shown_name(self) -> str:
        return self.display_name or self.name

    @property
    def is_hr(self) -> bool:
        return self.role == Role.HR

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class ChangedField(enum.StrEnum):
    """What HR changed about a person (a `PersonChange`)."""

    ROLE = "role"
    DEPARTMENT = "department"
    MANAGER = "manager"
    ACTIVE = "active"


class PersonChange(db.Model):
    """One change HR made to a person's account: who, when, what, from and to. Append-only.
    Values are stored as written (a role's value, an id, "true"/"false") and named when shown."""

    __tablename__ = "person_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    field: Mapped[ChangedField] = mapped_column(enum_column(ChangedField))
    old_value: Mapped[str | None] = mapped_column(String(40))
    new_value: Mapped[str | None] = mapped_column(String(40))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])


class PasswordToken(db.Model):
    """A one-time, expiring link to set a password. Only the token's hash is stored."""

    __tablename__ = "password_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])
