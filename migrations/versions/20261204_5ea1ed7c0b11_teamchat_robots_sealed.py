"""Team chat robots: the webhook address and the signing secret sealed at rest (core.sealing),
so a copy of the database alone posts to no group. The columns grow to hold the sealed text and
the rows written before are sealed in place.

Revision ID: 5ea1ed7c0b11
Revises: a71c0de5e7a1
Create Date: 2026-12-04 06:10:00

"""

import sqlalchemy as sa
from alembic import op

from community.core.sealing import seal, sealed_length, unseal

# revision identifiers, used by Alembic.
revision = "5ea1ed7c0b11"
down_revision = "a71c0de5e7a1"
branch_labels = None
depends_on = None

PURPOSE = "community.teamchat.robots"  # community.teamchat.models.SEALED, as of this revision
URL_LENGTH, SECRET_LENGTH = sealed_length(500 * 4), sealed_length(200 * 4)

robots = sa.table(
    "teamchat_robots",
    sa.column("id", sa.Integer),
    sa.column("webhook_url", sa.String),
    sa.column("secret", sa.String),
)


def _rewrite(change) -> None:  # type: ignore[no-untyped-def]
    connection = op.get_bind()
    for row in connection.execute(sa.select(robots)).all():
        connection.execute(
            robots.update()
            .where(robots.c.id == row.id)
            .values(
                webhook_url=change(row.webhook_url),
                secret=None if row.secret is None else change(row.secret),
            )
        )


def upgrade() -> None:
    with op.batch_alter_table("teamchat_robots") as batch:
        batch.alter_column("webhook_url", type_=sa.String(URL_LENGTH), existing_nullable=False)
        batch.alter_column("secret", type_=sa.String(SECRET_LENGTH), existing_nullable=True)
    _rewrite(lambda value: seal(value, PURPOSE))


def downgrade() -> None:
    _rewrite(lambda value: unseal(value, PURPOSE) or "")
    with op.batch_alter_table("teamchat_robots") as batch:
        batch.alter_column("webhook_url", type_=sa.String(500), existing_nullable=False)
        batch.alter_column("secret", type_=sa.String(200), existing_nullable=True)
