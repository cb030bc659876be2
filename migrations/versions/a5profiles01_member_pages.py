"""member pages: profile photos (issue 5, profiles)

Revision ID: a5profiles01
Revises: 684ad6cce777
Create Date: 2026-11-28 15:50:00

"""
from alembic import op
import sqlalchemy as sa
import app.db_types


# revision identifiers, used by Alembic.
revision = 'a5profiles01'
down_revision = '684ad6cce777'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('member_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('width', sa.SmallInteger(), nullable=False),
    sa.Column('height', sa.SmallInteger(), nullable=False),
    sa.Column('is_main', sa.Boolean(), nullable=False),
    sa.Column('created_at', app.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_member_photo_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_photo')),
    sa.UniqueConstraint('token', name=op.f('uq_member_photo_token'))
    )
    with op.batch_alter_table('member_photo', schema=None) as batch_op:
        batch_op.create_index('ix_member_photo_user_main', ['user_id', 'is_main'], unique=False)


def downgrade():
    with op.batch_alter_table('member_photo', schema=None) as batch_op:
        batch_op.drop_index('ix_member_photo_user_main')

    op.drop_table('member_photo')
