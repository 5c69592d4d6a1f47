"""The language a candidate applied in, when they applied themselves through a referrer's link,
code or invitation (None for candidates a referrer's form named): what to write to them in.

Revision ID: 7b3d51e0a9c4
Revises: 5422afd6a82b
Create Date: 2026-12-04 09:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7b3d51e0a9c4"
down_revision = "5422afd6a82b"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("candidates", sa.Column("locale", sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("candidates") as batch_op:
        batch_op.drop_column("locale")
