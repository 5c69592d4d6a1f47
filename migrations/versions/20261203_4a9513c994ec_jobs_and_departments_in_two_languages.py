"""jobs and departments in two languages

Each text keeps its base column (the Chinese wording, or the only one) and gains an English one.
Existing rows keep their wording where it was written: a base text in English needs no
translation for English readers (it is shown as English, by its script), and a Chinese one is
shown to them marked lang="zh" until HR adds its English.

Revision ID: 4a9513c994ec
Revises: 3c503208be16
Create Date: 2026-12-03 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4a9513c994ec'
down_revision = '3c503208be16'
branch_labels = None
depends_on = None

LISTS = ('competencies_en', 'skills_en', 'certificates_en', 'soft_traits_en')


def upgrade():
    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_en', sa.String(length=120), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_departments_name_en'), ['name_en'])

    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_en', sa.String(length=160), nullable=True))
        batch_op.add_column(sa.Column('location_en', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('description_en', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('challenges_en', sa.Text(), server_default='', nullable=False))
        for name in LISTS:
            batch_op.add_column(sa.Column(name, sa.JSON(), server_default=sa.text("'[]'"), nullable=False))


def downgrade():
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        for name in reversed(LISTS):
            batch_op.drop_column(name)
        batch_op.drop_column('challenges_en')
        batch_op.drop_column('description_en')
        batch_op.drop_column('location_en')
        batch_op.drop_column('title_en')

    with op.batch_alter_table('departments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_departments_name_en'), type_='unique')
        batch_op.drop_column('name_en')
