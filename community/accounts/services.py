"""Account writes: people, departments, CSV imports, set-password links, deactivation, settings.

Every function here that changes state commits (or rolls back) itself, so a route never leaves
anything half-written. Errors a person can cause are raised as `AccountError` with a message in
the current user's language.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from community.accounts.models import Department, PasswordToken, Role, User
from community.config import SUPPORTED_LOCALES
from community.core.time import utcnow
from community.extensions import db

logger = logging.getLogger(__name__)

NAME_MAX = 120
EMAIL_MAX = 254
DEPARTMENT_MAX = 120
PASSWORD_MIN = 10
PASSWORD_MAX = 200
IMPORT_MAX_ROWS = 5000

# Role names accepted in imports, compared after removing whitespace and case-folding.
ROLE_ALIASES: dict[str, Role] = {
    "employee": Role.EMPLOYEE,
    "staff": Role.EMPLOYEE,
    "员工": Role.EMPLOYEE,
    "普通员工": Role.EMPLOYEE,
    "职员": Role.EMPLOYEE,
    "manager": Role.MANAGER,
    "经理": Role.MANAGER,
    "主管": Role.MANAGER,
    "hr": Role.HR,
    "humanresources": Role.HR,
    "人事": Role.HR,
    "人力资源": Role.HR,
}

# CSV header names accepted for each column (English or Chinese), compared case-insensitively.
HEADER_ALIASES: dict[str, str] = {
    "email": "email",
    "e-mail": "email",
    "邮箱": "email",
    "电子邮件": "email",
    "邮件": "email",
    "name": "name",
    "姓名": "name",
    "名字": "name",
    "department": "department",
    "dept": "department",
    "部门": "department",
    "role": "role",
    "角色": "role",
}
REQUIRED_COLUMNS = ("email", "name", "department", "role")


class AccountError(Exception):
    """An account change refused for a reason the person can fix; `message` is translated."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class PasswordTokenError(AccountError):
    """A set-password link that cannot be used; `reason` is "unknown", "used" or "expired"."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


# Helpers ------------------------------------------------------------------------------------


def normalise_email(raw: str | None) -> str:
    """Return the email trimmed, validated and lowercased; raise AccountError when it is not one."""
    text = (raw or "").strip()
    if not text:
        raise AccountError(_("Email is missing."), field="email")
    if len(text) > EMAIL_MAX:
        raise AccountError(_("Email is too long."), field="email")
    try:
        normalized = validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        raise AccountError(
            _("“%(email)s” is not a valid email address.", email=text), field="email"
        ) from None
    return normalized.lower()


def parse_role(raw: str | None) -> Role | None:
    """Read a role written in English or Chinese ("HR", " Manager ", "员工", "人事"); None if unknown."""
    key = "".join((raw or "").split()).casefold()
    return ROLE_ALIASES.get(key)


def email_taken(email: str, exclude_id: int | None = None) -> bool:
    stmt = select(User.id).where(func.lower(User.email) == email.lower())
    if exclude_id is not None:
        stmt = stmt.where(User.id != exclude_id)
    return db.session.scalars(stmt).first() is not None


def find_department(name: str) -> Department | None:
    key = " ".join(name.split()).casefold()
    return db.session.scalars(select(Department).where(func.lower(Department.name) == key)).first()


def _clean_name(raw: str | None) -> str:
    return " ".join((raw or "").split())


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def password_link_url(token: str) -> str:
    """The absolute URL of a set-password link (also outside a request, e.g. from the CLI)."""
    if has_request_context():
        return url_for("accounts.set_password", token=token, _external=True)
    adapter = current_app.url_map.bind(
        current_app.config.get("SERVER_NAME") or "localhost",
        url_scheme=current_app.config.get("PREFERRED_URL_SCHEME", "http"),
    )
    return adapter.build("accounts.set_password", {"token": token}, force_external=True)


# Departments --------------------------------------------------------------------------------


def create_department(name: str, actor: User | None = None) -> Department:
    """Add a department; names are unique regardless of case and surrounding spaces."""
    clean = _clean_name(name)
    if not clean:
        raise AccountError(_("Department name is missing."), field="name")
    if len(clean) > DEPARTMENT_MAX:
        raise AccountError(_("Department name is too long."), field="name")
    if find_department(clean):
        raise AccountError(
            _("A department called “%(name)s” already exists.", name=clean), field="name"
        )
    department = Department(name=clean)
    db.session.add(department)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AccountError(
            _("A department called “%(name)s” already exists.", name=clean), field="name"
        ) from None
    logger.info("department %s created by user %s", department.id, actor.id if actor else None)
    return department


# People -------------------------------------------------------------------------------------


def create_user(
    email: str,
    name: str,
    role: Role,
    department: Department | None,
    actor: User | None = None,
) -> tuple[User, str]:
    """Add one person without a password and return (user, set-password link URL).

    Raises AccountError for a bad or already-used email or a missing name; nothing is written then.
    """
    clean_email = normalise_email(email)
    clean_name = _clean_name(name)
    if not clean_name:
        raise AccountError(_("Name is missing."), field="name")
    if len(clean_name) > NAME_MAX:
        raise AccountError(_("Name is too long."), field="name")
    if email_taken(clean_email):
        raise AccountError(
            _("Someone with the email %(email)s already exists.", email=clean_email),
            field="email",
        )
    user = User(email=clean_email, name=clean_name, role=Role(role), department=department)
    db.session.add(user)
    db.session.flush()
    _token, url = _new_password_token(user, actor)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AccountError(
            _("Someone with the email %(email)s already exists.", email=clean_email),
            field="email",
        ) from None
    logger.info("user %s created by user %s", user.id, actor.id if actor else None)
    return user, url


@dataclass
class RowError:
    """Why one row of an import was refused. `row` counts like a spreadsheet: the header is row 1."""

    row: int
    email: str
    reasons: list[str]


@dataclass
class ImportedUser:
    user: User
    link: str


@dataclass
class ImportResult:
    """What an import did: either `created` (everything) or `errors` (and nothing written)."""

    created: list[ImportedUser] = field(default_factory=list)
    new_departments: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_errors


@dataclass
class _ImportRow:
    row: int
    email: str
    name: str
    department: str
    role: Role


def decode_csv(data: bytes) -> str:
    """Decode an uploaded CSV: UTF-8 (with or without BOM), or GB18030 as saved by Chinese Excel."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AccountError(_("The file is not a readable CSV text file. Save it as “CSV UTF-8”."))


def import_users_csv(file_text: str, actor: User | None = None) -> ImportResult:
    """Import people from CSV text with the columns email, name, department and role.

    All or nothing: when any row is bad, nothing is written and every bad row is reported with
    its row number and reasons. Departments are matched by name, ignoring case; a department that
    does not exist yet is created, but only when the whole file is valid. Roles may be written in
    English (employee, manager, hr) or Chinese (员工, 经理, HR/人事). Each new person gets a
    set-password link, returned in the result (only its hash is stored).
    """
    result = ImportResult()
    text = file_text.lstrip("\ufeff")
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        result.file_errors.append(_("The file is not a valid CSV file (%(detail)s).", detail=exc))
        return result

    header_index = next((i for i, rec in enumerate(records) if any(c.strip() for c in rec)), None)
    if header_index is None:
        result.file_errors.append(_("The file is empty."))
        return result
    columns = _read_header(records[header_index], result)
    if columns is None:
        return result

    rows: list[_ImportRow] = []
    first_row_of: dict[str, int] = {}
    for index in range(header_index + 1, len(records)):
        record = records[index]
        if not any(cell.strip() for cell in record):
            continue  # blank lines are harmless
        row_number = index + 1
        if len(rows) + len(result.errors) >= IMPORT_MAX_ROWS:
            result.file_errors.append(
                _(
                    "The file has more than %(count)d people. Split it into smaller files.",
                    count=IMPORT_MAX_ROWS,
                )
            )
            return result
        parsed = _parse_row(row_number, record, columns, first_row_of, result)
        if parsed:
            rows.append(parsed)

    if not rows and not result.errors:
        result.file_errors.append(_("The file has a header row but no people in it."))
        return result

    _check_existing_emails(rows, result)
    if not result.ok:
        result.errors.sort(key=lambda e: e.row)
        return result

    departments: dict[str, Department] = {}
    for row in rows:
        key = row.department.casefold()
        if key not in departments:
            department = find_department(row.department)
            if department is None:
                department = Department(name=row.department)
                db.session.add(department)
                result.new_departments.append(row.department)
            departments[key] = department

    try:
        for row in rows:
            user = User(
                email=row.email,
                name=row.name,
                role=row.role,
                department=departments[row.department.casefold()],
            )
            db.session.add(user)
            db.session.flush()
            _token, url = _new_password_token(user, actor)
            result.created.append(ImportedUser(user=user, link=url))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        logger.info("CSV import raced with another change; nothing imported")
        return ImportResult(
            file_errors=[
                _(
                    "Some of these people or departments were added by someone else while you were importing. Nothing was imported; please upload the file again."
                )
            ]
        )
    logger.info(
        "CSV import by user %s: %d people, %d new departments",
        actor.id if actor else None,
        len(result.created),
        len(result.new_departments),
    )
    return result


def _read_header(header: list[str], result: ImportResult) -> dict[str, int] | None:
    columns: dict[str, int] = {}
    for position, cell in enumerate(header):
        key = HEADER_ALIASES.get(cell.strip().lower())
        if key and key not in columns:
            columns[key] = position
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        result.file_errors.append(
            _(
                "The first row must name the columns email, name, department and role. Missing: %(columns)s.",
                columns=", ".join(missing),
            )
        )
        return None
    return columns


def _parse_row(
    row_number: int,
    record: list[str],
    columns: dict[str, int],
    first_row_of: dict[str, int],
    result: ImportResult,
) -> _ImportRow | None:
    def cell(name: str) -> str:
        position = columns[name]
        return record[position].strip() if position < len(record) else ""

    reasons: list[str] = []
    raw_email = cell("email")
    email = ""
    try:
        email = normalise_email(raw_email)
    except AccountError as exc:
        reasons.append(exc.message)
    if email:
        if email in first_row_of:
            reasons.append(
                _("This email is already on row %(row)d of this file.", row=first_row_of[email])
            )
        else:
            first_row_of[email] = row_number

    name = _clean_name(cell("name"))
    if not name:
        reasons.append(_("Name is missing."))
    elif len(name) > NAME_MAX:
        reasons.append(_("Name is too long (at most %(max)d characters).", max=NAME_MAX))

    department = _clean_name(cell("department"))
    if not department:
        reasons.append(_("Department is missing."))
    elif len(department) > DEPARTMENT_MAX:
        reasons.append(
            _("Department name is too long (at most %(max)d characters).", max=DEPARTMENT_MAX)
        )

    raw_role = cell("role")
    role = parse_role(raw_role)
    if not raw_role:
        reasons.append(_("Role is missing (employee, manager or HR)."))
    elif role is None:
        reasons.append(_("Unknown role “%(role)s”: use employee, manager or HR.", role=raw_role))

    if reasons:
        result.errors.append(RowError(row=row_number, email=email or raw_email, reasons=reasons))
        return None
    assert role is not None
    return _ImportRow(row=row_number, email=email, name=name, department=department, role=role)


def _check_existing_emails(rows: list[_ImportRow], result: ImportResult) -> None:
    emails = [row.email for row in rows]
    existing: set[str] = set()
    for start in range(0, len(emails), 500):
        chunk = emails[start : start + 500]
        existing.update(
            e.lower()
            for e in db.session.scalars(select(User.email).where(func.lower(User.email).in_(chunk)))
        )
    for row in rows:
        if row.email in existing:
            result.errors.append(
                RowError(
                    row=row.row,
                    email=row.email,
                    reasons=[_("Someone with this email already has an account.")],
                )
            )


# Set-password links -------------------------------------------------------------------------


def _new_password_token(user: User, actor: User | None) -> tuple[str, str]:
    """Add a fresh token for `user` (not committed), expiring every earlier unused one."""
    now = utcnow()
    db.session.execute(
        update(PasswordToken)
        .where(
            PasswordToken.user_id == user.id,
            PasswordToken.used_at.is_(None),
            PasswordToken.expires_at > now,
        )
        .values(expires_at=now)
    )
    token = secrets.token_urlsafe(32)
    hours = int(current_app.config.get("SET_PASSWORD_TOKEN_HOURS", 72))
    db.session.add(
        PasswordToken(
            user_id=user.id,
            token_hash=_hash_token(token),
            created_by_id=actor.id if actor else None,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    return token, password_link_url(token)


def issue_password_link(user: User, actor: User | None = None) -> tuple[str, str]:
    """Create a one-time set-password link for `user` and return (token, url).

    Only the token's SHA-256 hash is stored. The link expires after SET_PASSWORD_TOKEN_HOURS
    (default 72) and issuing a new one makes every earlier unused link invalid.
    """
    if not user.is_active_account:
        raise AccountError(_("This account is deactivated. Reactivate it first."))
    token, url = _new_password_token(user, actor)
    db.session.commit()
    logger.info("password link issued for user %s by user %s", user.id, actor.id if actor else None)
    return token, url


def check_password_token(token: str) -> PasswordToken:
    """Return the usable token record for `token`, or raise PasswordTokenError saying why not."""
    record = db.session.scalars(
        select(PasswordToken).where(PasswordToken.token_hash == _hash_token(token or ""))
    ).first()
    if record is None or not record.user.is_active_account:
        raise PasswordTokenError(
            "unknown",
            _(
                "This link is not valid. Check that you copied the whole link, or ask HR for a new one."
            ),
        )
    if record.used_at is not None:
        raise PasswordTokenError(
            "used",
            _(
                "This link has already been used. Log in with your password, or ask HR for a new link."
            ),
        )
    if record.expires_at <= utcnow():
        raise PasswordTokenError(
            "expired",
            _("This link has expired or was replaced by a newer one. Ask HR for a new link."),
        )
    return record


def validate_new_password(password: str | None) -> str:
    password = password or ""
    if len(password) < PASSWORD_MIN:
        raise AccountError(
            _("Use at least %(count)d characters.", count=PASSWORD_MIN), field="password"
        )
    if len(password) > PASSWORD_MAX:
        raise AccountError(
            _("Use at most %(count)d characters.", count=PASSWORD_MAX), field="password"
        )
    return password


def set_password_with_token(token: str, password: str) -> User:
    """Set a password through a one-time link: checks it is known, unused and unexpired,
    requires at least 10 characters, then marks the link used. Raises AccountError otherwise."""
    record = check_password_token(token)
    validate_new_password(password)
    # Claim the token atomically so two submissions of the same link cannot both succeed.
    claimed = db.session.execute(
        update(PasswordToken)
        .where(PasswordToken.id == record.id, PasswordToken.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        raise PasswordTokenError(
            "used",
            _(
                "This link has already been used. Log in with your password, or ask HR for a new link."
            ),
        )
    user = record.user
    user.set_password(password)
    db.session.commit()
    logger.info("password set through a link for user %s", user.id)
    return user


def end_all_sessions(user: User) -> None:
    """Logging out ends every session of `user`, including a copy of the cookie kept elsewhere."""
    user.end_sessions()
    db.session.commit()


# Deactivation -------------------------------------------------------------------------------


def deactivate_user(user: User, actor: User) -> User:
    """Stop `user` from logging in (live sessions end on their next request); history stays.

    Unused set-password links stop working. You cannot deactivate yourself.
    """
    if user.id == actor.id:
        raise AccountError(_("You cannot deactivate your own account."))
    if not user.is_active_account:
        return user
    now = utcnow()
    user.is_active_account = False
    user.deactivated_at = now
    user.end_sessions()
    db.session.execute(
        update(PasswordToken)
        .where(PasswordToken.user_id == user.id, PasswordToken.used_at.is_(None))
        .values(expires_at=now)
    )
    db.session.commit()
    _refresh_leaderboards(user)
    logger.info("user %s deactivated by user %s", user.id, actor.id)
    return user


def reactivate_user(user: User, actor: User) -> User:
    """Let a deactivated user log in again with their existing password."""
    if user.is_active_account:
        return user
    user.is_active_account = True
    user.deactivated_at = None
    user.end_sessions()  # a session from before the deactivation does not come back to life
    db.session.commit()
    _refresh_leaderboards(user)
    logger.info("user %s reactivated by user %s", user.id, actor.id)
    return user


# Settings -----------------------------------------------------------------------------------


def update_settings(
    user: User, display_name: str | None, locale: str, leaderboard_opt_out: bool
) -> User:
    """Save a person's display name (blank = use their name), language and leaderboard opt-out."""
    clean = _clean_name(display_name)
    if len(clean) > NAME_MAX:
        raise AccountError(_("Display name is too long."), field="display_name")
    if locale not in SUPPORTED_LOCALES:
        raise AccountError(_("Choose a supported language."), field="locale")
    user.display_name = clean or None
    user.locale = locale
    was_opted_out = user.leaderboard_opt_out
    user.leaderboard_opt_out = bool(leaderboard_opt_out)
    db.session.commit()
    if was_opted_out != user.leaderboard_opt_out:
        _refresh_leaderboards(user)
    return user


def _refresh_leaderboards(user: User) -> None:
    """Show or hide `user` on the leaderboards after a change of who is shown (best effort)."""
    from community.points.boards import refresh_visibility

    refresh_visibility(user)


_DUMMY_HASH: list[str] = []


def find_by_credentials(email: str, password: str) -> User | None:
    """The account with this email and password, or None.

    An unknown email (or an account with no password yet) still costs one password hash, so the
    answer takes as long as for a wrong password and does not reveal who has an account.
    """
    user = db.session.scalars(
        select(User).where(func.lower(User.email) == email.strip().lower())
    ).first()
    if user is not None and user.password_hash:
        return user if user.check_password(password) else None
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(generate_password_hash(secrets.token_hex(16)))
    check_password_hash(_DUMMY_HASH[0], password)
    return None
