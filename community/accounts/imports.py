"""Importing people from a CSV file (what HR exports from its HR system or a spreadsheet).

All or nothing: when any row is bad, nothing is written and every bad row is reported with its
row number and reasons.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from community.accounts.models import Department, Role, User
from community.accounts.passwords import new_password_token
from community.accounts.services import (
    DEPARTMENT_MAX,
    NAME_MAX,
    AccountError,
    checked_email,
    clean_name,
    find_department,
)
from community.core.emails import email_identity, identity_keys
from community.extensions import db

logger = logging.getLogger(__name__)

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


def parse_role(raw: str | None) -> Role | None:
    """Read a role written in English or Chinese ("HR", " Manager ", "员工", "人事"); None if unknown."""
    key = "".join((raw or "").split()).casefold()
    return ROLE_ALIASES.get(key)


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
                ngettext(
                    "The file has more than %(num)d person. Split it into smaller files.",
                    "The file has more than %(num)d people. Split it into smaller files.",
                    IMPORT_MAX_ROWS,
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
            _token, url = new_password_token(user, actor)
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
        email = checked_email(raw_email)
    except AccountError as exc:
        reasons.append(exc.message)
    if email:
        identity = email_identity(email)  # one person, whatever the case, plus-tag or alias domain
        if identity in first_row_of:
            reasons.append(
                _("This email is already on row %(row)d of this file.", row=first_row_of[identity])
            )
        else:
            first_row_of[identity] = row_number

    name = clean_name(cell("name"))
    if not name:
        reasons.append(_("Name is missing."))
    elif len(name) > NAME_MAX:
        reasons.append(
            ngettext(
                "Name is too long (at most %(num)d character).",
                "Name is too long (at most %(num)d characters).",
                NAME_MAX,
            )
        )

    department = clean_name(cell("department"))
    if not department:
        reasons.append(_("Department is missing."))
    elif len(department) > DEPARTMENT_MAX:
        reasons.append(
            ngettext(
                "Department name is too long (at most %(num)d character).",
                "Department name is too long (at most %(num)d characters).",
                DEPARTMENT_MAX,
            )
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
    keys = sorted({key for row in rows for key in identity_keys(row.email)})
    existing: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        existing.update(
            email_identity(e)
            for e in db.session.scalars(select(User.email).where(User.email_key.in_(chunk)))
        )
    for row in rows:
        if email_identity(row.email) in existing:
            result.errors.append(
                RowError(
                    row=row.row,
                    email=row.email,
                    reasons=[_("Someone with this email already has an account.")],
                )
            )
