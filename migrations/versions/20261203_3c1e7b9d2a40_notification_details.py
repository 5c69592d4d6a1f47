"""notification details

A notification gets its detail lines (`details`: what the same event set off, kept as kinds and
params). The rows written before have none (NULL) and read as they always did.

Revision ID: 3c1e7b9d2a40
Revises: 323c7a49c93a
Create Date: 2026-12-03 06:43:55.183557

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c1e7b9d2a40'
down_revision = '323c7a49c93a'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('details', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('details')
