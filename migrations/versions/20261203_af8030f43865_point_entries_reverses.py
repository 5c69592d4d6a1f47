"""point entries reverses

A ledger entry may undo another: the points of a referral rejected as a duplicate or a
self-referral are reversed by new entries of the negated amount, each naming the entry it undoes
in `reverses_id` (indexed, not unique: the idempotency key keeps one reversal per entry).

Revision ID: af8030f43865
Revises: 173c6f070882
Create Date: 2026-12-03 09:34:57.211051

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'af8030f43865'
down_revision = '173c6f070882'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('point_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reverses_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_point_entries_reverses_id'), ['reverses_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_point_entries_reverses_id_point_entries'), 'point_entries', ['reverses_id'], ['id']
        )


def downgrade():
    with op.batch_alter_table('point_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_point_entries_reverses_id_point_entries'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_point_entries_reverses_id'))
        batch_op.drop_column('reverses_id')
