"""people admin: a person's manager, and the log of HR's changes to people

Revision ID: 3c503208be16
Revises: f6e8a0ceafd6
Create Date: 2026-12-03 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c503208be16'
down_revision = 'f6e8a0ceafd6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('manager_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_users_manager_id'), ['manager_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_users_manager_id_users'), 'users', ['manager_id'], ['id'])

    op.create_table('person_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('field', sa.Enum('role', 'department', 'manager', 'active', name='changedfield', native_enum=False, length=20), nullable=False),
    sa.Column('old_value', sa.String(length=40), nullable=True),
    sa.Column('new_value', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_person_changes_actor_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_person_changes_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_changes'))
    )
    with op.batch_alter_table('person_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_changes_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('person_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_changes_user_id'))

    op.drop_table('person_changes')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_users_manager_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_users_manager_id'))
        batch_op.drop_column('manager_id')
