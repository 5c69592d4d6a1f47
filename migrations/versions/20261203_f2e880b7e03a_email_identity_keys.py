"""email identity keys: users and candidates keep the identity of their address (case-folded,
plus-tag dropped) in an indexed `email_key`, so duplicates, self-referrals and logins compare
people, not spellings. Existing rows are backfilled here.

Revision ID: f2e880b7e03a
Revises: 20859a0d64f8
Create Date: 2026-12-03 06:39:17.577665

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f2e880b7e03a'
down_revision = "20859a0d64f8"
branch_labels = None
depends_on = None


def email_key(address):
    """community.core.emails.email_key as of this revision, copied so the migration never changes
    with the app: case-folded, the local part's plus-tag dropped, the domain as stored."""
    if not (address or "").strip():
        return None
    local, at, domain = address.strip().casefold().rpartition("@")
    if not at:
        return domain
    return f"{local.split('+', 1)[0] or local}@{domain}"


def _backfill(table):
    rows = sa.table(table, sa.column("id", sa.Integer), sa.column("email", sa.String),
                    sa.column("email_key", sa.String))
    connection = op.get_bind()
    found = connection.execute(sa.select(rows.c.id, rows.c.email)).all()
    for row_id, address in found:
        connection.execute(
            rows.update().where(rows.c.id == row_id).values(email_key=email_key(address))
        )


def upgrade():
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_key', sa.String(length=254), nullable=True))
        batch_op.create_index(batch_op.f('ix_candidates_email_key'), ['email_key'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_key', sa.String(length=254), nullable=True))

    _backfill('candidates')
    _backfill('users')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('email_key', existing_type=sa.String(length=254), nullable=False)
        batch_op.create_index(batch_op.f('ix_users_email_key'), ['email_key'], unique=False)


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_email_key'))
        batch_op.drop_column('email_key')

    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidates_email_key'))
        batch_op.drop_column('email_key')
