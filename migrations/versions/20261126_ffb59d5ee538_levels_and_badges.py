"""levels and badges

Revision ID: ffb59d5ee538
Revises: 76ce2aded226
Create Date: 2026-11-26 09:42:06.525923

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ffb59d5ee538'
down_revision = '76ce2aded226'
branch_labels = None
depends_on = None


def upgrade():
    levels = op.create_table('levels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('threshold', sa.Integer(), nullable=False),
    sa.Column('name_en', sa.String(length=60), nullable=False),
    sa.Column('name_zh', sa.String(length=60), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_levels')),
    sa.UniqueConstraint('threshold', name=op.f('uq_levels_threshold'))
    )
    # Default levels; HR edits them on /badges/levels.
    op.bulk_insert(levels, [
        {'threshold': 0, 'name_en': 'Newcomer', 'name_zh': '新人'},
        {'threshold': 100, 'name_en': 'Talent Scout', 'name_zh': '伯乐'},
        {'threshold': 300, 'name_en': 'Seasoned Scout', 'name_zh': '资深伯乐'},
        {'threshold': 800, 'name_en': 'Referral Pro', 'name_zh': '内推达人'},
        {'threshold': 2000, 'name_en': 'Referral Master', 'name_zh': '内推大师'},
    ])
    op.create_table('badge_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gold_bronze_hires', sa.Integer(), nullable=False),
    sa.Column('gold_silver_hires', sa.Integer(), nullable=False),
    sa.Column('gold_gold_hires', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_badge_settings_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_badge_settings'))
    )
    op.create_table('user_badges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('badge_key', sa.String(length=60), nullable=False),
    sa.Column('tier', sa.String(length=20), nullable=False),
    sa.Column('earned_at', sa.DateTime(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=True),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('announced_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], name=op.f('fk_user_badges_granted_by_id_users')),
    sa.ForeignKeyConstraint(['referral_id'], ['referrals.id'], name=op.f('fk_user_badges_referral_id_referrals')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_badges_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_badges')),
    sa.UniqueConstraint('user_id', 'badge_key', 'tier', name=op.f('uq_user_badges_user_id_badge_key_tier'))
    )
    with op.batch_alter_table('user_badges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_badges_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('user_badges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_badges_user_id'))

    op.drop_table('user_badges')
    op.drop_table('badge_settings')
    op.drop_table('levels')
