"""badge revocation and Open Badges credentials: who revoked a badge award, when and why; the
issuer's signing keys (private half sealed) and the credentials exported from badge awards

Three columns on user_badges, two new tables.

Revision ID: c8d1e2f3a4b5
Revises: 2e30976af997
Create Date: 2026-12-04 21:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c8d1e2f3a4b5"
down_revision = "2e30976af997"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_badges", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revoked_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("revoked_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("revoke_reason", sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_user_badges_revoked_by_id_users"), "users", ["revoked_by_id"], ["id"]
        )
    op.create_table(
        "issuer_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kid", sa.String(length=64), nullable=False),
        sa.Column("public_jwk", sa.Text(), nullable=False),
        sa.Column("private_key_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issuer_keys")),
        sa.UniqueConstraint("kid", name=op.f("uq_issuer_keys_kid")),
    )
    op.create_table(
        "issued_credentials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("award_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("show_name", sa.Boolean(), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=False),
        sa.Column("jwt", sa.Text(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["award_id"], ["user_badges.id"], name=op.f("fk_issued_credentials_award_id_user_badges")
        ),
        sa.ForeignKeyConstraint(
            ["key_id"], ["issuer_keys.id"], name=op.f("fk_issued_credentials_key_id_issuer_keys")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_issued_credentials_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issued_credentials")),
        sa.UniqueConstraint("token", name=op.f("uq_issued_credentials_token")),
    )
    with op.batch_alter_table("issued_credentials", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_issued_credentials_award_id"), ["award_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_issued_credentials_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("issued_credentials", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_issued_credentials_user_id"))
        batch_op.drop_index(batch_op.f("ix_issued_credentials_award_id"))
    op.drop_table("issued_credentials")
    op.drop_table("issuer_keys")
    with op.batch_alter_table("user_badges", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_user_badges_revoked_by_id_users"), type_="foreignkey")
        batch_op.drop_column("revoke_reason")
        batch_op.drop_column("revoked_by_id")
        batch_op.drop_column("revoked_at")
