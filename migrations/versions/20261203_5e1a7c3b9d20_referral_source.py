"""How each referral came: the referrer's form, the candidate's application through a personal
link or referral code, or an accepted invitation. Existing referrals all came by the form.

Revision ID: 5e1a7c3b9d20
Revises: 4c92d2c64ca4
Create Date: 2026-12-03 16:45:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5e1a7c3b9d20"
down_revision = "4c92d2c64ca4"
branch_labels = None
depends_on = None

SOURCES = ("form", "link", "code", "invite")


def upgrade() -> None:
    op.add_column(
        "referrals",
        sa.Column(
            "source",
            sa.Enum(*SOURCES, name="referralsource", native_enum=False, length=20),
            server_default="form",
            nullable=False,
        ),
    )


def downgrade() -> None:
    with op.batch_alter_table("referrals") as batch_op:
        batch_op.drop_column("source")
