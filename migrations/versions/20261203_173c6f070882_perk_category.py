"""perk category

Each perk says what kind it is; one without a picture of its own is shown with its kind's
illustration. Existing perks start as "other" (a gift) until HR picks their kind.

Revision ID: 173c6f070882
Revises: 4a9513c994ec
Create Date: 2026-12-03 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '173c6f070882'
down_revision = '4a9513c994ec'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('perks', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'category',
                sa.Enum('time_off', 'health', 'learning', 'food', 'merchandise', 'experience', 'other',
                        name='perkcategory', native_enum=False, length=20),
                server_default='other',
                nullable=False,
            )
        )


def downgrade():
    with op.batch_alter_table('perks', schema=None) as batch_op:
        batch_op.drop_column('category')
