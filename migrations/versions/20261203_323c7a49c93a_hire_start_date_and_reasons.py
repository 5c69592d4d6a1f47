"""hire start date, payout due dates, probation length, reason codes

Revision ID: 323c7a49c93a
Revises: f2e880b7e03a
Create Date: 2026-12-03 10:00:00.000000

A hire gets a start date (referrals.start_date) from which its bonus schedule is counted
(payouts.due_on), with the probation length of the program rules (program_rules.probation_months).
A rejection or withdrawal records a reason code beside its free text (referral_events.reason_code).
Existing hires take the day they were moved to "hired" as their start date.
"""

import calendar
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "323c7a49c93a"
down_revision = "f2e880b7e03a"
branch_labels = None
depends_on = None

PROBATION_MONTHS = 3

referrals = sa.table("referrals", sa.column("id", sa.Integer), sa.column("start_date", sa.Date))
events = sa.table(
    "referral_events",
    sa.column("referral_id", sa.Integer),
    sa.column("to_stage", sa.String),
    sa.column("created_at", sa.DateTime),
)
payouts = sa.table(
    "payouts",
    sa.column("id", sa.Integer),
    sa.column("referral_id", sa.Integer),
    sa.column("stage", sa.String),
    sa.column("created_at", sa.DateTime),
    sa.column("due_on", sa.Date),
)


def _company_tz():
    try:
        from flask import current_app

        return ZoneInfo(current_app.config["COMPANY_TIMEZONE"])
    except Exception:  # run outside the app: dates in UTC
        return UTC


def _local_date(moment: datetime, tz) -> date:
    return moment.replace(tzinfo=UTC).astimezone(tz).date()


def _after_months(start: date, months: int) -> date:
    total = start.month - 1 + months
    year, month = start.year + total // 12, total % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def upgrade():
    with op.batch_alter_table("program_rules", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("probation_months", sa.Integer(), server_default="3", nullable=False)
        )
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("start_date", sa.Date(), nullable=True))
    with op.batch_alter_table("referral_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason_code", sa.String(length=32), nullable=True))
    with op.batch_alter_table("payouts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("due_on", sa.Date(), nullable=True))

    bind = op.get_bind()
    tz = _company_tz()
    starts: dict[int, date] = {}
    for referral_id, created_at in bind.execute(
        sa.select(events.c.referral_id, events.c.created_at).where(events.c.to_stage == "hired")
    ):
        starts[referral_id] = _local_date(created_at, tz)
    for referral_id, start in starts.items():
        bind.execute(
            referrals.update().where(referrals.c.id == referral_id).values(start_date=start)
        )
    for payout_id, referral_id, stage, created_at in bind.execute(
        sa.select(payouts.c.id, payouts.c.referral_id, payouts.c.stage, payouts.c.created_at)
    ).all():
        start = starts.get(referral_id)
        if stage == "hired" and start:
            due = start
        elif stage == "probation_passed" and start:
            due = _after_months(start, PROBATION_MONTHS)
        else:
            due = _local_date(created_at, tz)
        bind.execute(payouts.update().where(payouts.c.id == payout_id).values(due_on=due))


def downgrade():
    with op.batch_alter_table("payouts", schema=None) as batch_op:
        batch_op.drop_column("due_on")
    with op.batch_alter_table("referral_events", schema=None) as batch_op:
        batch_op.drop_column("reason_code")
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_column("start_date")
    with op.batch_alter_table("program_rules", schema=None) as batch_op:
        batch_op.drop_column("probation_months")
